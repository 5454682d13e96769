/**
 * Runs the CLI's `main` in-process, as the CLI test files do: output collected, stderr recorded
 * for the suite-wide redaction check (stdout may legitimately carry links and tokens; stderr
 * never may), and the usual assertion on a one-line error. Also runs the built binary as a
 * child process, for what only a process has: signals, closed pipes, exit codes.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";
import { type CliIo, main } from "../../src/cli/index.js";
import { recordForRedaction } from "../setup/redaction.js";
import { TEST_API_KEY } from "./fixtures.js";
import { cleanEnv, root } from "./package.js";

/** What one run of the CLI produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `argv`; `io` overrides the defaults (empty environment, not a terminal, no stdin).
 * `onStdout` is called after each write to stdout (e.g. to abort mid-run).
 */
export async function runCli(
  argv: string[],
  io: Partial<CliIo> = {},
  onStdout: () => void = () => {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    env: {},
    isTTY: false,
    ...io,
    stdout: (text) => {
      stdout += text;
      onStdout();
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  recordForRedaction(stderr);
  return { code, stdout, stderr };
}

/** Asserts one error line, prefixed with the program's name, nothing on stdout, no test key. */
export function expectOneErrorLine(run: CliRun): void {
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/^nectar-connection: [^\n]+\n$/);
  expect(run.stderr).not.toContain(TEST_API_KEY);
}

/** How a child process ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The built CLI running in a child process. */
export interface CliChild {
  readonly child: ChildProcessWithoutNullStreams;
  /** What it wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when it wrote a whole line to standard output. */
  readonly firstLine: Promise<void>;
  /** Resolves when it exited (its stderr recorded for the redaction check). */
  readonly exit: Promise<ChildExit>;
}

const children = new Set<ChildProcessWithoutNullStreams>();

/**
 * Starts `dist/cli/index.js` with `args`; `env` adds to a clean environment (no colour). Call
 * {@link ensureBuilt} first; {@link killChildren} after each test.
 */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}): CliChild {
  const child = spawn(process.execPath, [path.join(root, "dist", "cli", "index.js"), ...args], {
    cwd: root,
    env: { ...cleanEnv(), ...env },
  });
  children.add(child);
  let stdout = "";
  let stderr = "";
  const firstLine = new Promise<void>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.includes("\n")) resolve();
    });
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  // "close": the process exited and its output streams are drained.
  const exit = new Promise<ChildExit>((resolve) => {
    child.once("close", (code, signal) => {
      children.delete(child);
      recordForRedaction(stderr);
      resolve({ code, signal });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, firstLine, exit };
}

/** Kills every child still running (a failed test must not leave one behind). */
export function killChildren(): void {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
}
