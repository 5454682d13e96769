/**
 * What `npm publish` would ship, for both packages: the exact file list of each tarball
 * (`npm pack --dry-run --json`), and publint and `attw --pack --profile esm-only` reporting
 * nothing. The main package ships what users run: the library's modules (JS, source maps,
 * `.d.ts`) for bundlers, the three one-file bundles Node loads (library, bin, mock), the mock's
 * declarations, and the generated files the code reads; the types package (`dist/types-package/`, assembled by
 * `scripts/pack-types.ts`) ships declarations and the spec, and no JavaScript.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import {
  bin,
  ensureBuilt,
  npmPack,
  type PackResult,
  root,
  run,
  typesPackageDir,
} from "./helpers/package.ts";

const SLOW = 60_000;

/** The modules of `src/` (`client`, `mock`, …, nested ones as `dir/name`), sorted. */
function srcModules(): string[] {
  return readdirSync(path.join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => file.slice(0, -".ts".length).split(path.sep).join("/"))
    .sort();
}

/** Paths a tarball must never hold. */
const FORBIDDEN = [
  /^test\//,
  /fixtures/,
  /^scripts\//,
  /^openapi\//,
  /\.ya?ml$/,
  /^\.tmp\//,
  /^dist\/docs\//,
  /^dist\/types-package\//,
  /^bench\//,
  /^node_modules\//,
  /^test-results\//,
  /\.tgz$/,
  /\.tsbuildinfo$/,
  /^src\//,
];

/** The relative specifiers a module imports or re-exports (static and dynamic, quoted literally). */
function relativeImports(source: string): string[] {
  const specifiers = source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.\.?\/[^"']+)["']/g);
  return [...specifiers].map((match) => match[1] as string);
}

function json(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

/** Every file target of `exports` (nested conditions included), as tarball paths. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return [exports.replace(/^\.\//, "")];
  if (exports === null || typeof exports !== "object") return [];
  return Object.values(exports).flatMap(exportTargets);
}

/** attw's problems other than those of the resolutions `--profile esm-only` ignores. */
function attwProblems(stdout: string): unknown[] {
  const report = JSON.parse(stdout) as {
    analysis?: { entrypoints?: Record<string, unknown> };
    problems?: Record<string, { resolutionKind?: string }[]>;
  };
  const ignored = new Set(["node10", "node16-cjs"]);
  return Object.values(report.problems ?? {})
    .flat()
    .filter(
      (problem) => problem.resolutionKind === undefined || !ignored.has(problem.resolutionKind),
    );
}

function attwEntrypoints(stdout: string): string[] {
  const report = JSON.parse(stdout) as { analysis?: { entrypoints?: Record<string, unknown> } };
  return Object.keys(report.analysis?.entrypoints ?? {}).sort();
}

beforeAll(ensureBuilt, 180_000);

describe("nectar-climate-connection tarball", () => {
  let packed: PackResult;
  let files: string[];
  const pkg = json(path.join(root, "package.json"));

  beforeAll(async () => {
    packed = await npmPack(root, ["--dry-run"]);
    files = packed.files.map((file) => file.path).sort();
  }, SLOW);

  test("holds the library's modules, the three bundles, the mock's types and the generated files", () => {
    const expected = [
      ...srcModules()
        .filter((name) => !/^(cli|mock)\//.test(name))
        .flatMap((name) => [".js", ".js.map", ".d.ts"].map((ext) => `dist/${name}${ext}`)),
      // The one-file bundles (scripts/bundle-node.ts): the library for the `node` condition, the
      // bin, and the mock (whose `.d.ts` files, one per module, describe `./mock`).
      ...["node", "cli", "mock"].flatMap((dir) => [
        `dist/${dir}/index.js`,
        `dist/${dir}/index.js.map`,
      ]),
      ...srcModules()
        .filter((name) => name.startsWith("mock/"))
        .map((name) => `dist/${name}.d.ts`),
      "generated/enums.d.ts",
      "generated/enums.js",
      "generated/openapi.json",
      "generated/operations.d.ts",
      "generated/operations.js",
      "generated/schema.d.ts",
      "generated/validators.d.ts",
      "generated/validators.js",
      "LICENSE",
      "package.json",
      "README.md",
    ].sort();
    expect(files).toEqual(expected);
    expect(packed.name).toBe(pkg.name);
    expect(packed.version).toBe(pkg.version);
  });

  test("ships no unbundled CLI module, no mock module's code, no declaration map", () => {
    expect(files.filter((file) => file.startsWith("dist/cli/"))).toEqual([
      "dist/cli/index.js",
      "dist/cli/index.js.map",
    ]);
    expect(files.filter((file) => /^dist\/mock\/.*\.js$/.test(file))).toEqual([
      "dist/mock/index.js",
    ]);
    expect(files.filter((file) => file.endsWith(".d.ts.map"))).toEqual([]);
  });

  test("every relative import of a shipped file names a shipped file", () => {
    const shipped = new Set(files);
    const unresolved = files
      .filter((file) => /\.(?:js|d\.ts)$/.test(file))
      .flatMap((file) =>
        relativeImports(readFileSync(path.join(root, file), "utf8"))
          .map((specifier) => path.posix.join(path.posix.dirname(file), specifier))
          .map((target) => (file.endsWith(".d.ts") ? target.replace(/\.js$/, ".d.ts") : target))
          .filter((target) => !shipped.has(target))
          .map((target) => `${file} → ${target}`),
      );
    expect(unresolved).toEqual([]);
  });

  test("ships the entry points, and nothing from tests, scripts, the spec sources or the docs", () => {
    for (const name of ["index", "node/index", "types", "validators", "mock/index", "cli/index"])
      expect(files).toContain(`dist/${name}.js`);
    expect(files.filter((file) => FORBIDDEN.some((pattern) => pattern.test(file)))).toEqual([]);
  });

  test("the node entry (one file) exports what the multi-file entry does", async () => {
    const node: object = await import(path.join(root, "dist", "node", "index.js"));
    const multi: object = await import(path.join(root, "dist", "index.js"));
    expect(Object.keys(node).sort()).toEqual(Object.keys(multi).sort());
    expect(Object.keys(node)).toContain("createNectarClient");
  });

  test("every file named by exports, main, types and bin is in it", () => {
    const bins = Object.values((pkg.bin ?? {}) as Record<string, string>);
    const named = [...exportTargets(pkg.exports), String(pkg.main), String(pkg.types), ...bins].map(
      (target) => target.replace(/^\.\//, ""),
    );
    expect(named.filter((target) => !files.includes(target))).toEqual([]);
  });

  test(
    "publint reports nothing",
    async () => {
      await expectPublintClean(root);
    },
    SLOW,
  );

  test(
    "attw --pack --profile esm-only reports nothing",
    async () => {
      await expectAttwClean(root, Object.keys(pkg.exports as object).sort());
    },
    SLOW,
  );
});

describe("nectar-climate-connection-types tarball", () => {
  let packed: PackResult;
  let files: string[];
  const generated = path.join(root, "generated");
  const spec = json(path.join(generated, "openapi.json")) as { info: { version: string } };

  beforeAll(async () => {
    packed = await npmPack(typesPackageDir, ["--dry-run"]);
    files = packed.files.map((file) => file.path).sort();
  }, SLOW);

  test("holds exactly the declarations, the spec and the metadata: no JavaScript", () => {
    expect(files).toEqual(
      ["index.d.ts", "LICENSE", "openapi.json", "package.json", "README.md", "schema.d.ts"].sort(),
    );
    expect(files.filter((file) => /\.[cm]?js$/.test(file))).toEqual([]);
  });

  test("package.json: named, versioned from the spec, types-only exports, no dependencies", () => {
    const pkg = json(path.join(typesPackageDir, "package.json"));
    expect(spec.info.version).toBe("2.2");
    expect(pkg).toMatchObject({
      name: "nectar-climate-connection-types",
      version: "2.2.0",
      license: "MIT",
      type: "module",
      sideEffects: false,
      exports: { ".": { types: "./index.d.ts" }, "./openapi.json": "./openapi.json" },
    });
    expect(typeof pkg.description).toBe("string");
    for (const field of [
      "dependencies",
      "peerDependencies",
      "optionalDependencies",
      "main",
      "bin",
    ]) {
      expect(pkg).not.toHaveProperty(field);
    }
    expect(packed.version).toBe("2.2.0");
  });

  test("schema.d.ts, openapi.json and LICENSE are copies; index.d.ts re-exports every type", () => {
    const read = (file: string): string => readFileSync(file, "utf8");
    expect(read(path.join(typesPackageDir, "schema.d.ts"))).toBe(
      read(path.join(generated, "schema.d.ts")),
    );
    expect(read(path.join(typesPackageDir, "openapi.json"))).toBe(
      read(path.join(generated, "openapi.json")),
    );
    expect(read(path.join(typesPackageDir, "LICENSE"))).toBe(read(path.join(root, "LICENSE")));

    const schemaNames = [
      ...read(path.join(generated, "schema.d.ts")).matchAll(
        /^export (?:declare )?(?:type|interface) ([A-Za-z_$][\w$]*)/gm,
      ),
    ].map((match) => match[1]);
    const index = read(path.join(typesPackageDir, "index.d.ts"));
    expect(index).toMatch(/^export type \{[^}]+\} from "\.\/schema\.js";$/m);
    const reexported = /export type \{([^}]+)\}/.exec(index)?.[1]?.match(/[\w$]+/g) ?? [];
    expect(reexported.sort()).toEqual(schemaNames.sort());
    for (const name of [
      "paths",
      "components",
      "operations",
      "Connection",
      "ConnectionStatus",
      "CountryCode",
      "DatasourceType",
      "Account",
      "ErrorBody",
    ]) {
      expect(reexported).toContain(name);
    }
  });

  test(
    "publint reports nothing",
    async () => {
      await expectPublintClean(typesPackageDir);
    },
    SLOW,
  );

  test(
    "attw --pack --profile esm-only reports nothing",
    async () => {
      await expectAttwClean(typesPackageDir, [".", "./openapi.json", "./package.json"]);
    },
    SLOW,
  );
});

/** publint, run in a package folder, finds nothing to report. */
async function expectPublintClean(cwd: string): Promise<void> {
  const result = await run(bin.publint, ["run", "."], { cwd });
  expect(result.stdout + result.stderr).toContain("All good!");
  expect(result.stdout).not.toMatch(/Errors:|Warnings:|Suggestions:/);
  expect(result.code).toBe(0);
}

/** attw (ESM profile), run on a package folder, finds no problem and exactly these entrypoints. */
async function expectAttwClean(cwd: string, entrypoints: string[]): Promise<void> {
  const args = ["--pack", ".", "--profile", "esm-only", "--format", "json"];
  const result = await run(bin.attw, args, { cwd });
  expect(result.stderr).toBe("");
  expect(attwProblems(result.stdout)).toEqual([]);
  expect(attwEntrypoints(result.stdout)).toEqual(entrypoints);
  expect(result.code).toBe(0);
}
