/**
 * The CLI's bundle (`dist/cli/index.js`, the package's `bin`) leaves the mock to its own file:
 * `--mock` and the `mock` command import it at run time, so a command that does not use it never
 * parses it. Inlined (as the `mock` command's import once was, through a path the build's plugin
 * did not match), the 21 mock modules grew the bundle by 67 kB and every start by about 20 ms.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, expect, test } from "vitest";
import { ensureBuilt, root } from "./helpers/package.js";

let bundle = "";
beforeAll(async () => {
  await ensureBuilt();
  bundle = readFileSync(path.join(root, "dist", "cli", "index.js"), "utf8");
}, 180_000);

test("inlines no module of the mock", () => {
  expect(bundle.match(/^\/\/ src\/mock\/.*$/gm) ?? []).toEqual([]);
  expect(bundle).not.toContain("function startMockServer(");
});

test("imports the mock's own file lazily, by the path that leads to it from dist/cli/", () => {
  const mockImports = bundle.match(/import\("[^"]*mock[^"]*"\)/g) ?? [];
  expect(mockImports.length).toBeGreaterThan(0);
  expect(new Set(mockImports)).toEqual(new Set(['import("../mock/index.js")']));
});
