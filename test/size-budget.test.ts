/**
 * The bundle-size budget: the facade entry, bundled exactly as `bench/size.ts` does it (esbuild,
 * minified ESM for the browser, code splitting, gzip level 9), must stay within the budget in
 * `bench/size-budget.json`, and a `/types` import must add nothing. Deterministic, so enforced
 * here; it measures the built package (`dist/`, which `npm test` builds before the tests).
 *
 * Also: where `npm run bench` writes (untracked by default, the committed files with `--update`).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { distState, projectRoot } from "../bench/common.ts";
import { outputPaths } from "../bench/output.ts";
import {
  type BundleSize,
  buildFacadeEntry,
  bundleEntry,
  measureTypesImport,
} from "../bench/size.ts";
import { VALIDATION_OFF_ENTRY, VALIDATION_ON_ENTRY } from "../bench/size-single.ts";

/** Building with esbuild takes well under a second; leave room for a busy machine. */
const SLOW = 60_000;

/** The budget: the measured gzip size of the entry chunk plus 10 %. */
function budget(): number {
  const parsed: unknown = JSON.parse(
    readFileSync(path.join(projectRoot, "bench", "size-budget.json"), "utf8"),
  );
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    !("facadeEntryGzipBytes" in parsed) ||
    typeof parsed.facadeEntryGzipBytes !== "number"
  ) {
    throw new Error("bench/size-budget.json must be { facadeEntryGzipBytes: number }");
  }
  return parsed.facadeEntryGzipBytes;
}

describe("bundle size", () => {
  let facade: BundleSize;

  beforeAll(async () => {
    const state = distState();
    if (!state.fresh) throw new Error(`${state.reason}: run \`npm run build\` first`);
    facade = await buildFacadeEntry();
  }, SLOW);

  test("the facade entry chunk, gzipped, is within bench/size-budget.json", () => {
    expect(facade.entry.gzip).toBeGreaterThan(0);
    expect(facade.entry.gzip).toBeLessThanOrEqual(budget());
  });

  test("the validators are in no chunk: the client's own import of them is not followed", () => {
    expect(facade.chunks.length).toBeGreaterThan(0);
    expect(facade.validators).toBeUndefined();
    for (const chunk of facade.chunks)
      expect(chunk.inputs).not.toContain("generated/validators.js");
  });

  test(
    "one file without splitting: validators only for the user who imports them",
    async () => {
      const off = await bundleEntry(VALIDATION_OFF_ENTRY, false, false);
      const on = await bundleEntry(VALIDATION_ON_ENTRY, false, false);
      expect(off.chunks).toHaveLength(1);
      expect(off.chunks[0]?.inputs).toContain("dist/index.js");
      expect(off.chunks[0]?.inputs).not.toContain("generated/validators.js");
      expect(on.chunks[0]?.inputs).toContain("generated/validators.js");
      expect(off.total.gzip).toBeLessThan(on.total.gzip);
    },
    SLOW,
  );

  test(
    "an import from nectar-climate-connection/types adds 0 bytes",
    async () => {
      const costs = await measureTypesImport();
      expect(costs.map((cost) => cost.statement)).toContain(
        'import type { Connection, paths } from "nectar-climate-connection/types";',
      );
      for (const cost of costs) {
        expect(cost, cost.statement).toMatchObject({ added: { raw: 0, gzip: 0 }, identical: true });
      }
    },
    SLOW,
  );
});

describe("where npm run bench writes", () => {
  /** Runs git in the project root; throws on a non-zero exit. */
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: projectRoot, encoding: "utf8", stdio: "pipe" });

  test("by default, files that git ignores (a run leaves the tree clean)", () => {
    const { json, markdown } = outputPaths(false);
    for (const file of [json, markdown]) {
      expect(path.relative(projectRoot, file).split(path.sep).slice(0, 2)).toEqual([
        ".tmp",
        "bench",
      ]);
      expect(git("check-ignore", file).trim()).toBe(file);
    }
  });

  test("with --update, the committed bench/results.json and bench/RESULTS.md", () => {
    const { json, markdown } = outputPaths(true);
    const files = [json, markdown].map((file) => path.relative(projectRoot, file));
    expect(files).toEqual([path.join("bench", "results.json"), path.join("bench", "RESULTS.md")]);
    expect(
      git("ls-files", "--error-unmatch", ...files)
        .trim()
        .split("\n"),
    ).toHaveLength(2);
  });
});
