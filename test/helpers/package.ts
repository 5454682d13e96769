/**
 * Shared by `test/package.test.ts` and `test/consumer.test.ts`: the built packages' locations, a
 * build-once guard (the two files run in parallel workers), and a child-process runner whose
 * environment carries none of the `npm_*` variables of an enclosing `npm test`, so `npm pack`
 * and `npm install` behave as they do from a shell.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

/** The root of this checkout. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The types-only package, as `npm run build` assembles it. */
export const typesPackageDir = path.join(root, "dist", "types-package");
/** Binaries of this checkout, called directly (no `npx`). */
export const bin = {
  tsc: path.join(root, "node_modules", "typescript", "bin", "tsc"),
  tsx: path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
  publint: path.join(root, "node_modules", ".bin", "publint"),
  attw: path.join(root, "node_modules", ".bin", "attw"),
};

/** What a finished child process left. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `process.env` without `npm_*` variables (an enclosing `npm test` sets several), colour off. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name)) env[name] = value;
  }
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0" };
}

/** Where and how long a command runs; `env` adds to (or overrides) {@link cleanEnv}. */
export interface RunOptions {
  cwd: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** Runs a command to completion; never rejects on a non-zero exit (the caller asserts). */
export function run(
  file: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: { ...cleanEnv(), ...options.env },
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 60_000,
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") {
          reject(
            new Error(`${file} ${args.join(" ")} did not finish: ${error.message}\n${stderr}`),
          );
          return;
        }
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
  });
}

/** Runs a command and fails with its output unless it exits 0. */
export async function runOk(
  file: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const result = await run(file, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${path.basename(file)} ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

function isBuilt(): boolean {
  return (
    existsSync(path.join(root, "dist", "index.js")) &&
    existsSync(path.join(typesPackageDir, "package.json"))
  );
}

/**
 * Runs `scripts/build.ts` when `dist/` lacks the build (`npm test` builds before vitest, so
 * normally this does nothing). A lock directory keeps two test files from building at once.
 */
export async function ensureBuilt(): Promise<void> {
  if (isBuilt()) return;
  const lock = path.join(root, ".tmp", "build.lock");
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A lock older than two minutes belongs to a build that died.
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > 120_000) {
        rmSync(lock, { recursive: true, force: true });
      }
      await sleep(200);
    }
  }
  try {
    if (!isBuilt()) {
      await runOk(process.execPath, [bin.tsx, "scripts/build.ts"], {
        cwd: root,
        timeoutMs: 120_000,
      });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** One file of `npm pack --json`. */
export interface PackedFile {
  path: string;
  size: number;
  mode: number;
}

/** The first (only) entry of `npm pack --json`. */
export interface PackResult {
  name: string;
  version: string;
  filename: string;
  files: PackedFile[];
  bundled: string[];
}

/** `npm pack --json [...extra]` in `dir`. */
export async function npmPack(dir: string, extra: readonly string[] = []): Promise<PackResult> {
  const { stdout } = await runOk("npm", ["pack", "--json", ...extra], { cwd: dir });
  const [result] = JSON.parse(stdout) as PackResult[];
  if (result === undefined) throw new Error(`npm pack in ${dir} reported nothing`);
  return result;
}
