/**
 * `nectar-climate-connection/types` and the `nectar-climate-connection-types` package export the
 * same names (the README says they hold the same types): both built declaration files are read
 * by TypeScript's checker, as a consumer's compiler reads them, and their export lists compared;
 * each name is also a type of the generated schema, and each resolves to the same declaration.
 */

import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, test } from "vitest";
import { schemaExports } from "../scripts/pack-types.ts";
import { ensureBuilt, root, typesPackageDir } from "./helpers/package.ts";

const TYPES_ENTRY = path.join(root, "dist", "types.d.ts");
const TYPES_PACKAGE = path.join(typesPackageDir, "index.d.ts");

let program: ts.Program;

/** The names a declaration file exports, with the file each one is declared in. */
function exportsOf(file: string): Map<string, string> {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`${file} is not a module TypeScript can read`);
  return new Map(
    checker.getExportsOfModule(module).map((symbol) => {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declared = target.declarations?.[0]?.getSourceFile().fileName ?? "";
      return [symbol.name, path.basename(declared)];
    }),
  );
}

beforeAll(async () => {
  await ensureBuilt();
  program = ts.createProgram([TYPES_ENTRY, TYPES_PACKAGE], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    types: [],
  });
}, 180_000);

describe("the /types entry and the types package", () => {
  test("export the same names", () => {
    const entry = [...exportsOf(TYPES_ENTRY).keys()].sort();
    const standalone = [...exportsOf(TYPES_PACKAGE).keys()].sort();
    expect(entry).toEqual(standalone);
    expect(entry.length).toBeGreaterThan(40);
  });

  test("every name of the generated schema, each declared there", () => {
    const schema = readFileSync(path.join(root, "generated", "schema.d.ts"), "utf8");
    const names = schemaExports(schema);
    const entry = exportsOf(TYPES_ENTRY);
    expect([...entry.keys()].sort()).toEqual([...names].sort());
    for (const name of ["Connection", "ResponseNotFound", "ParameterConnectionId", "webhooks"]) {
      expect(entry.get(name), name).toBe("schema.d.ts");
    }
  });

  test("with no type error in either declaration file", () => {
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    expect(errors).toEqual([]);
  });
});
