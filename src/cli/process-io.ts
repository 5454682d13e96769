/**
 * The bin's surroundings: `process`'s streams, environment and terminal, and the one abort
 * signal of the run, aborted on SIGINT, SIGTERM and a closed (or failing) standard output or
 * error. A second signal ends the process at once; a run that is still stopping a second after
 * the first is ended too. Node-only, used by `index.ts`.
 */
import { type CliIo, PROGRAM } from "./io.js";
import { interrupted, type RunStop, stopForWriteError, terminated } from "./stop.js";

/** How long a stopped run may take to wind down before the process is ended. */
export const STOP_GRACE_MS = 1_000;

/** The bin's io, and what to do once `main` resolved. */
export interface ProcessIo {
  readonly io: CliIo;
  /** Ends the process with `code`: at once when the run was stopped (nothing is left to wait for). */
  finish(code: number): void;
}

/** Asks `question` on standard error and reads one answer line: yes only for `y` or `yes`. */
async function askOnTerminal(
  question: string,
  signal: AbortSignal,
  stop: (reason: RunStop) => void,
): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  // In raw mode Ctrl-C is a key, not a signal: readline reports it here.
  terminal.on("SIGINT", () => stop(interrupted()));
  try {
    return /^y(es)?$/i.test((await terminal.question(question, { signal })).trim());
  } finally {
    terminal.close();
  }
}

/** Arms the end of a stopping run: after {@link STOP_GRACE_MS}, or at a second signal. */
function armForcedExit(reason: RunStop): void {
  const force = (why: string) => () => {
    if (reason.said) process.stderr.write(`${PROGRAM}: ${reason.message} (forced ${why})\n`);
    process.exit(reason.code);
  };
  setTimeout(force(`after ${STOP_GRACE_MS / 1_000} s`), STOP_GRACE_MS).unref();
  process.once("SIGINT", force("by a second signal"));
  process.once("SIGTERM", force("by a second signal"));
}

/**
 * A write failure that arrives once `main` resolved (the last write of a command is still in
 * flight then): the output is lost, so a successful run's code becomes the failure's, and a
 * failing standard output is reported on standard error.
 */
function lateWriteFailure(stream: "output" | "error", reason: RunStop): void {
  if (!process.exitCode) process.exitCode = reason.code;
  if (stream === "output" && reason.said) process.stderr.write(`${PROGRAM}: ${reason.message}\n`);
}

/** The io of the bin: `process`'s, with the run's signal wired to signals and broken pipes. */
export function processIo(): ProcessIo {
  const run = new AbortController();
  let finished = false;
  const stop = (reason: RunStop) => {
    if (run.signal.aborted) return;
    run.abort(reason);
    armForcedExit(reason);
  };
  process.once("SIGINT", () => stop(interrupted()));
  process.once("SIGTERM", () => stop(terminated()));
  // A closed pipe (`nectar-connection check … | head -1`) arrives as an error event.
  for (const [stream, name] of [
    [process.stdout, "output"],
    [process.stderr, "error"],
  ] as const) {
    stream.on("error", (error) => {
      const reason = stopForWriteError(name, error);
      if (finished) lateWriteFailure(name, reason);
      else stop(reason);
    });
  }
  const io: CliIo = {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns || 80,
    stdin: () => process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    signal: run.signal,
    ...(process.stdin.isTTY && process.stderr.isTTY
      ? { confirm: (question: string) => askOnTerminal(question, run.signal, stop) }
      : {}),
  };
  return {
    io,
    finish(code) {
      finished = true;
      process.exitCode = code;
      // Standard input, or a socket still closing, would keep a stopped process alive.
      if (run.signal.aborted) process.exit(code);
    },
  };
}
