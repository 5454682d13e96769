/**
 * Runs the CLI's `main` in-process, as the CLI test files do: output collected, stderr recorded
 * for the suite-wide redaction check (stdout may legitimately carry links and tokens; stderr
 * never may), and the usual assertion on a one-line error.
 */
import { expect } from "vitest";
import { type CliIo, main } from "../../src/cli/index.js";
import { recordForRedaction } from "../setup/redaction.js";
import { TEST_API_KEY } from "./fixtures.js";

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
