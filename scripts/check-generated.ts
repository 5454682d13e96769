/**
 * `npm run check:generated`: regenerates into a scratch folder and fails when `generated/`
 * differs from it by a single byte, naming each stale, missing or unexpected file.
 * `--root DIR` checks another checkout (the tests use a copy).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "./paths.ts";

const { values: flags } = parseArgs({ options: { root: { type: "string" } } });
const root = path.resolve(flags.root ?? projectRoot);
const committed = path.join(root, "generated");
const fresh = mkdtempSync(path.join(tmpdir(), "nectar-check-"));

/** Lists a folder's files, or none when it does not exist. */
const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

try {
  const tsx = path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs");
  const generate = path.join(projectRoot, "scripts", "generate.ts");
  execFileSync(process.execPath, [tsx, generate, "--root", root, "--out", fresh], {
    stdio: "pipe",
  });
  const problems: string[] = [];
  for (const name of new Set([...list(committed), ...list(fresh)])) {
    const before = path.join(committed, name);
    const after = path.join(fresh, name);
    if (!existsSync(after)) problems.push(`${name}: not produced by the spec (remove it)`);
    else if (!existsSync(before)) problems.push(`${name}: missing`);
    else if (!readFileSync(before).equals(readFileSync(after))) problems.push(`${name}: stale`);
  }
  if (problems.length > 0) {
    console.error("generated/ does not match the spec; run `npm run generate` and commit:");
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
  } else {
    console.log("generated/ is up to date");
  }
} catch (error) {
  const failed = error as { stderr?: Buffer };
  console.error(
    `check:generated: generation failed\n${failed.stderr?.toString() ?? String(error)}`,
  );
  process.exitCode = 1;
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
