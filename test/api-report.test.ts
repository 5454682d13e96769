/**
 * The committed public-API reports (`api/*.api.md`, api-extractor) match the build: a change to
 * the public types fails here until `npm run api:update` rewrites the report. Also proves the
 * check notices a stale report, and says how to fix it.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bin, ensureBuilt, root, run } from "./helpers/package.ts";

const SLOW = 120_000;
const SCRIPT = path.join(root, "scripts", "api-report.ts");
let tmp: string | undefined;

beforeAll(ensureBuilt, 180_000);
afterAll(async () => {
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe("public-API reports", () => {
  test(
    "api/ matches the public types of the build (else: npm run api:update)",
    async () => {
      const result = await run(process.execPath, [bin.tsx, SCRIPT], { cwd: root, timeoutMs: SLOW });
      expect(result.stderr, result.stderr).toBe("");
      expect(result.stdout).toContain("every report is up to date");
      expect(result.code).toBe(0);
    },
    SLOW,
  );

  test(
    "a report that misses an export fails the check, naming the report and npm run api:update",
    async () => {
      tmp = await mkdtemp(path.join(os.tmpdir(), "nectar-api-"));
      const file = "nectar-climate-connection.mock.api.md";
      await cp(path.join(root, "api", file), path.join(tmp, file));
      const report = await readFile(path.join(tmp, file), "utf8");
      const stale = report.replace(/^export const DEFAULT_MOCK_API_KEY.*\n/m, "");
      expect(stale).not.toBe(report);
      await writeFile(path.join(tmp, file), stale);

      const args = [bin.tsx, SCRIPT, "--reports", tmp, "--only", file];
      const result = await run(process.execPath, args, { cwd: root, timeoutMs: SLOW });
      expect(result.stderr).toContain(`api/${file} is stale`);
      expect(result.stderr).toContain("npm run api:update");
      expect(result.code).toBe(1);
    },
    SLOW,
  );
});
