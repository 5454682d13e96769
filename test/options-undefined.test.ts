/**
 * Every optional option accepts `undefined` under `exactOptionalPropertyTypes`, found rather than
 * listed: TypeScript's checker walks every public entry of `package.json` `exports`, takes every
 * exported type whose name ends in `Options` (a type added later is covered the day it is
 * exported) and every object type nested in one (`fleet`, `hooks`, …), and writes a program that
 * passes `undefined` to each optional property, one object literal per type (a required property,
 * such as the fleet's `size`, gets `null!`, of type `never`). That program must
 * type-check with this repository's strict settings; a second one, giving a `number` where none
 * is accepted, must not (the check can fail).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { root } from "./helpers/package.ts";

/** The `src/` file of each public entry with types (`./dist/x.d.ts` → `src/x.ts`). */
function entrySources(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    exports: Record<string, unknown>;
  };
  return Object.values(manifest.exports).flatMap((target) => {
    const types = typeof target === "object" && target !== null ? Reflect.get(target, "types") : 0;
    return typeof types === "string"
      ? [path.join(root, types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts"))]
      : [];
  });
}

/** A literal giving `undefined` to each optional property (nested objects get their own). */
interface Literal {
  /** Where it was found, e.g. `MockServerOptions.fleet`. */
  where: string;
  /** The entry's file and the exported type the literal is typed as. */
  entry: string;
  typeName: string;
  /** The property path from that type to the object (empty for the type itself). */
  path: readonly string[];
  /** The optional properties of the object. */
  keys: readonly string[];
  /** Its required properties: given `null!` (type `never`), which fits any type. */
  required: readonly string[];
}

const tmp = mkdtempSync(path.join(root, ".tmp", "options-undefined-"));
const parsed = ts.getParsedCommandLineOfConfigFile(
  path.join(root, "tsconfig.json"),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  },
);
if (parsed === undefined) throw new Error("tsconfig.json cannot be read");
const options = parsed.options;
let literals: Literal[] = [];

/** Is `type` an object of options (not a function, an array, a class instance of a library)? */
function isOptionsObject(type: ts.Type, checker: ts.TypeChecker): boolean {
  if (!(type.flags & ts.TypeFlags.Object) || type.getCallSignatures().length > 0) return false;
  if (checker.isArrayType(type) || checker.isTupleType(type)) return false;
  const file = type.getSymbol()?.declarations?.[0]?.getSourceFile().fileName ?? "";
  return file.startsWith(path.join(root, "src") + path.sep);
}

/** The literals for `type` at `at`, and for each options object among its properties. */
function literalsOf(
  checker: ts.TypeChecker,
  base: Pick<Literal, "entry" | "typeName">,
  type: ts.Type,
  at: readonly string[],
  seen: Set<ts.Type>,
): Literal[] {
  if (seen.has(type)) return [];
  seen.add(type);
  const properties = checker.getPropertiesOfType(type);
  const optional = properties.filter((property) => property.flags & ts.SymbolFlags.Optional);
  if (optional.length === 0) return []; // a logger, the validators: not options
  const required = properties.filter((property) => !(property.flags & ts.SymbolFlags.Optional));
  const own: Literal = {
    ...base,
    where: [base.typeName, ...at].join("."),
    path: at,
    keys: optional.map((property) => property.name),
    required: required.map((property) => property.name),
  };
  const nested = optional.flatMap((property) => {
    const declared = checker.getNonNullableType(checker.getTypeOfSymbol(property));
    const members = declared.isUnion() ? declared.types : [declared];
    return members
      .filter((member) => isOptionsObject(member, checker))
      .flatMap((member) => literalsOf(checker, base, member, [...at, property.name], seen));
  });
  return [own, ...nested];
}

/** Every exported `*Options` type of every public entry, with its nested options objects. */
function findLiterals(): Literal[] {
  const entries = entrySources();
  const program = ts.createProgram(entries, options);
  const checker = program.getTypeChecker();
  return entries.flatMap((entry) => {
    const source = program.getSourceFile(entry);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${entry} is not a module`);
    return checker
      .getExportsOfModule(module)
      .filter((symbol) => /Options$/.test(symbol.name))
      .flatMap((symbol) =>
        literalsOf(
          checker,
          { entry, typeName: symbol.name },
          checker.getDeclaredTypeOfSymbol(
            symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol,
          ),
          [],
          new Set(),
        ),
      );
  });
}

/** `{ a: { b: VALUE_FOR_EACH_KEY } }` as source text. */
function literalText(literal: Literal, value: string): string {
  const fields = [
    ...literal.keys.map((key) => `${JSON.stringify(key)}: ${value}`),
    ...literal.required.map((key) => `${JSON.stringify(key)}: null!`),
  ];
  const inner = `{ ${fields.join(", ")} }`;
  return literal.path.reduceRight((text, key) => `{ ${JSON.stringify(key)}: ${text} }`, inner);
}

/** Type-checks a program of one assignment per literal; returns its errors. */
function check(name: string, value: string): string[] {
  const lines = literals.map((literal, index) => {
    const from = path.relative(tmp, literal.entry).split(path.sep).join("/");
    return `import type { ${literal.typeName} as T${index} } from ${JSON.stringify(from)};\nexport const v${index}: T${index} = ${literalText(literal, value)};`;
  });
  const file = path.join(tmp, `${name}.ts`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  const program = ts.createProgram([file], options);
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, " "));
}

beforeAll(() => {
  mkdirSync(tmp, { recursive: true });
  literals = findLiterals();
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("every optional option of every public options type accepts undefined", () => {
  test("finds the options types of every entry, nested ones too", () => {
    const found = literals.map((literal) => literal.where);
    for (const name of [
      "NectarClientOptions",
      "RequestOptions",
      "RetrieveManyOptions",
      "WaitForOptions",
      "UpdateLinkOptions",
      "UpdateLinkUrlOptions",
      "CreateReconnectOptions",
      "ListConnectionsOptions",
      "ToArrayOptions",
      "VerifyWebhookOptions",
      "SignWebhookOptions",
      "WebhookDeduperOptions",
      "MockServerOptions",
      "MockServerOptions.fleet",
      "MockFleetOptions",
    ]) {
      expect(found).toContain(name);
    }
    expect(literals.every((literal) => literal.keys.length > 0)).toBe(true);
  });

  test("a program passing undefined to each of them type-checks", () => {
    expect(check("undefined-everywhere", "undefined")).toEqual([]);
  }, 120_000);

  test("the same program with a symbol for each is refused (the check can fail)", () => {
    const errors = check("symbol-everywhere", "Symbol()");
    expect(errors.length).toBeGreaterThanOrEqual(literals.length);
  }, 120_000);
});
