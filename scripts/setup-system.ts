/**
 * First step of `npm run setup`: makes sure the system programs the tests need and npm cannot
 * install are there (`scripts/system-deps.ts` lists them: Debian's Chromium, curl). When one is
 * missing it installs it with apt-get if it may (root, apt-get on the PATH); otherwise it prints
 * one line saying what to run and exits 1, so the set-up never passes while `npm test` would fail.
 *
 * `--dry-run` prints the decision and changes nothing. `NECTAR_SETUP_PREFIX` (for tests) is put in
 * front of the absolute paths looked up, e.g. `/tmp/fake` checks `/tmp/fake/usr/bin/chromium`.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { planSystemSetup, SYSTEM_DEPENDENCIES, type SystemFacts } from "./system-deps.ts";

const { values: flags } = parseArgs({ options: { "dry-run": { type: "boolean" } } });
const prefix = process.env.NECTAR_SETUP_PREFIX ?? "";

/** Whether `file` exists and may be executed. */
function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `key` (an absolute path, or a program name looked up on the PATH) is there. */
function isPresent(key: string): boolean {
  if (path.isAbsolute(key)) return isExecutable(prefix + key);
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  return dirs.some((dir) => isExecutable(path.join(dir, key)));
}

/** Looks at this machine. */
function gatherFacts(): SystemFacts {
  return {
    missing: Object.keys(SYSTEM_DEPENDENCIES).filter((key) => !isPresent(key)),
    isRoot: process.getuid?.() === 0,
    hasAptGet: isPresent("apt-get"),
  };
}

/** Runs one command quietly; on failure prints the end of its output and exits 1. */
function runQuietly(argv: readonly string[]): void {
  const [file = "", ...args] = argv;
  const result = spawnSync(file, args, {
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) return;
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n").slice(-20);
  console.error(output.join("\n"));
  console.error(`npm run setup: \`${argv.join(" ")}\` failed; run it yourself to see why.`);
  process.exit(1);
}

const plan = planSystemSetup(gatherFacts());
if (plan.action === "ready") {
  console.log("setup: system programs present (Chromium, curl)");
} else if (plan.action === "instruct") {
  console.error(plan.message);
  process.exit(1);
} else if (flags["dry-run"]) {
  console.log(`setup: would run: ${plan.commands.map((argv) => argv.join(" ")).join(" && ")}`);
} else {
  console.log(`setup: installing ${plan.packages.join(", ")} with apt-get`);
  for (const argv of plan.commands) runQuietly(argv);
  const still = gatherFacts().missing;
  if (still.length > 0) {
    console.error(`npm run setup: apt-get finished but ${still.join(", ")} is still missing.`);
    process.exit(1);
  }
  console.log(`setup: installed ${plan.packages.join(", ")}`);
}
