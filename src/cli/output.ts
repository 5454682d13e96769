/**
 * Where every command writes: standard output and error, each write through {@link printable}
 * (so no server text reaches the terminal raw, whichever command printed it), and silent once
 * the output is gone. A write that fails stops the run through its one signal.
 */
import type { CliIo } from "./io.js";
import { ERASE_LINE } from "./progress.js";
import { RunStop, stopForWriteError } from "./stop.js";
import { colourOn, printable, SGR_CODES } from "./text.js";

/** The two streams a command writes to. Each text carries its own newlines. */
export interface Output {
  /** Writes to standard output. */
  stdout(text: string): void;
  /** Writes to standard error. */
  stderr(text: string): void;
}

/** What an output needs of its run: its signal, and how to stop it. */
export interface OutputRun {
  readonly signal: AbortSignal;
  stop(reason: RunStop): void;
}

/** Makes a string safe inside a regular expression. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The sequences of our own that a stream lets through: line ends (CSV's CRLF included), the
 * colours of {@link SGR_CODES} when the stream is coloured, the progress line's erase when drawn.
 */
export function ownSequences(colour: boolean, progress: boolean): RegExp {
  const parts = ["\\r?\\n"];
  if (colour) parts.push(`\\u001b\\[(?:${SGR_CODES.map(literal).join("|")})m`);
  if (progress) parts.push(literal(ERASE_LINE));
  return new RegExp(parts.join("|"));
}

/** True once the run stopped because its output is gone: nothing more is written. */
const outputGone = (signal: AbortSignal) =>
  signal.aborted && signal.reason instanceof RunStop && !signal.reason.said;

/** One stream's writer: sanitised, silent once the output is gone, a failure stops the run. */
function writerOf(
  write: (text: string) => void,
  keep: RegExp,
  stream: "output" | "error",
  run: OutputRun,
): (text: string) => void {
  return (text) => {
    if (outputGone(run.signal)) return;
    try {
      write(printable(text, keep));
    } catch (error) {
      run.stop(stopForWriteError(stream, error));
    }
  };
}

/** The output of one run over `io`'s writers. */
export function createOutput(io: CliIo, run: OutputRun): Output {
  return {
    stdout: writerOf(io.stdout, ownSequences(colourOn(io.isTTY, io.env), false), "output", run),
    stderr: writerOf(io.stderr, ownSequences(false, io.stderrIsTTY === true), "error", run),
  };
}
