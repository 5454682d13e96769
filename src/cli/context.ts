/** What a command runs with: its part of the surroundings, its output, its signal. */
import type { CliIo } from "./io.js";
import type { Output } from "./output.js";

/**
 * The surroundings a command reads: the environment, terminal flags, standard input, the clock
 * and the question on a terminal. Its writers and signal are left out: a command writes through
 * {@link CommandContext.out} and stops with {@link CommandContext.signal}, never around them.
 */
export type CommandIo = Omit<CliIo, "stdout" | "stderr" | "signal">;

/** What a command runs with. */
export interface CommandContext {
  readonly io: CommandIo;
  /** Standard output and error, each write made safe for a terminal; silent once closed. */
  readonly out: Output;
  /**
   * The run's one signal: aborted on Ctrl-C, SIGTERM or a closed output. The session's client
   * passes it to every call; anything else that waits must hear it too.
   */
  readonly signal: AbortSignal;
  /** Masks the API key (and any other secret on the command line) in a text. */
  readonly mask: (text: string) => string;
}
