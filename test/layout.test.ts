/**
 * The layout the style guide asks for, checked on the source: `core/` imports no resource, no
 * tool and not the client wired above it (dependencies point one way), and no function of the
 * package (library, mock, webhooks, command line) is longer than a screen (50 lines).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = new URL("../src/", import.meta.url).pathname;
/** The longest function allowed, in lines: a screen. */
const SCREEN = 50;

/** Every `.ts` file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** The module specifiers a file imports or re-exports. */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  return source.statements.flatMap((statement) =>
    (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
    statement.moduleSpecifier &&
    ts.isStringLiteral(statement.moduleSpecifier)
      ? [statement.moduleSpecifier.text]
      : [],
  );
}

/** Every function with a body in a file, with its length in lines. */
function functionsOf(file: string): { name: string; line: number; lines: number }[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: { name: string; line: number; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name?.getText(source) ?? "(anonymous)";
      found.push({ name, line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("core/", () => {
  it("imports no resource, no tool and not the client: dependencies point one way", () => {
    const outward = filesUnder(join(SRC, "core")).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => /^\.\.\/(resources|helpers|cli|mock|client)\b/.test(specifier))
        .map((specifier) => `${relative(SRC, file)} imports ${specifier}`),
    );
    expect(outward).toEqual([]);
  });

  it("the check would see such an import", () => {
    expect(importsOf(join(SRC, "client.ts"))).toContain("./resources/connections.js");
  });
});

describe("no function longer than a screen", () => {
  // Every module of the package: library, mock, webhooks and the command line.
  it.each(filesUnder(SRC).map((f) => [relative(SRC, f), f]))("%s", (_, file) => {
    const long = functionsOf(file)
      .filter(({ lines }) => lines > SCREEN)
      .map(({ name, line, lines }) => `${name} (line ${line}): ${lines} lines`);
    expect(long).toEqual([]);
  });

  it("the measure counts a function's lines", () => {
    const measured = functionsOf(join(SRC, "core", "transport.ts"));
    expect(measured.find(({ name }) => name === "createTransport")?.lines).toBeGreaterThan(5);
  });
});
