/**
 * Why a run stops before its command finished: an interrupt (SIGINT), a termination (SIGTERM),
 * or an output nobody reads any more. Each is the reason of the run's one abort signal, and
 * decides the exit code and the one line (if any) that `main` prints.
 */
import { EXIT } from "./io.js";

/** The reason a run was stopped: its exit code and its line on standard error, if any. */
export class RunStop extends Error {
  /** The exit code the run ends with. */
  readonly code: number;
  /** False when the run ends without a word (its output is gone, or nobody reads it). */
  readonly said: boolean;

  /** A stop ending the run with `code`; `message` is printed unless `said` is false. */
  constructor(code: number, message: string, said = true) {
    super(message);
    this.name = "RunStop";
    this.code = code;
    this.said = said;
  }
}

/** Ctrl-C (SIGINT). */
export const interrupted = (): RunStop => new RunStop(EXIT.interrupted, "interrupted");

/** SIGTERM (`kill`, a service manager, a CI timeout). */
export const terminated = (): RunStop => new RunStop(EXIT.terminated, "terminated");

/** Standard output or error was closed by its reader (`… | head -1`): stop without a word. */
export const outputClosed = (): RunStop => new RunStop(EXIT.outputClosed, "output closed", false);

/** The stop of a signal's `reason`: a {@link RunStop} as it is, anything else an interrupt. */
export function stopOf(reason: unknown): RunStop {
  return reason instanceof RunStop ? reason : interrupted();
}

/** Error codes that mean the reader of a stream is gone. */
const CLOSED_CODES: ReadonlySet<unknown> = new Set(["EPIPE", "ERR_STREAM_DESTROYED"]);

/**
 * The stop for a failed write to standard output or error (`stream`): a closed reader is a
 * quiet stop (141); any other failure (a full disk: ENOSPC) ends the run with exit 1 and says so.
 */
export function stopForWriteError(stream: "output" | "error", error: unknown): RunStop {
  const code = typeof error === "object" && error !== null ? Reflect.get(error, "code") : undefined;
  if (CLOSED_CODES.has(code)) return outputClosed();
  const reason = typeof code === "string" && /^[A-Z_]{2,40}$/.test(code) ? ` (${code})` : "";
  return new RunStop(EXIT.failure, `cannot write to standard ${stream}${reason}`);
}
