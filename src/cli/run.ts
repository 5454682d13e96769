/**
 * One run of the CLI: the one abort signal that every request, wait and write of the command
 * hears, and the output it writes through. The caller's `io.signal` (the bin's SIGINT, SIGTERM
 * and closed-output handling) and a failed write both stop it.
 */
import type { CliIo } from "./io.js";
import { createOutput, type Output } from "./output.js";
import { type RunStop, stopOf } from "./stop.js";

/** The signal and output of one run. */
export interface Run {
  /** Aborted once the run must stop; its reason is a {@link RunStop}. */
  readonly signal: AbortSignal;
  /** The streams the command writes to. */
  readonly output: Output;
  /** Stops the run (the first stop wins). */
  stop(reason: RunStop): void;
  /** Stops following `io.signal` (once the run is over). */
  dispose(): void;
}

/** Starts a run over `io`. */
export function startRun(io: CliIo): Run {
  const controller = new AbortController();
  const stop = (reason: RunStop) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const follow = () => stop(stopOf(io.signal?.reason));
  if (io.signal?.aborted) follow();
  else io.signal?.addEventListener("abort", follow, { once: true });
  const { signal } = controller;
  return {
    signal,
    output: createOutput(io, { signal, stop }),
    stop,
    dispose: () => io.signal?.removeEventListener("abort", follow),
  };
}
