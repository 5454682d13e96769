/**
 * `-` means standard input wherever the CLI reads a list or a body: `check -` is `check --file -`.
 * Standard input can be read once, and never from a terminal (the command would wait for
 * typing): each of those is one usage error, before anything starts.
 */
import type { Invocation, OptionValues } from "./args.js";
import type { CommandIo } from "./context.js";
import { usageError } from "./io.js";

/** What `-` stands for. */
export const STDIN = "-";

/**
 * Standard input, to read `what` (`ids`, `the body`) from; a usage error saying `how` to give
 * it when there is none or it is a terminal.
 */
export function stdinOf(io: CommandIo, what: string, how: string): NonNullable<CommandIo["stdin"]> {
  if (io.stdin === undefined) throw usageError(`no standard input to read ${what} from`);
  if (io.stdinIsTTY === true) {
    throw usageError(`standard input is a terminal, not ${what}: ${how}`);
  }
  return io.stdin;
}

/**
 * The ids and the `--file` of a command that reads a list of ids: a `-` among the ids becomes
 * `--file -`. Standard input read twice (`- -`, `- --file -`), or `-` beside `--file <path>`,
 * is a usage error.
 */
export function idListOf(invocation: Invocation): { positionals: string[]; values: OptionValues } {
  const { values } = invocation;
  const positionals = invocation.positionals.filter((value) => value !== STDIN);
  const dashes = invocation.positionals.length - positionals.length;
  if (dashes === 0) return { positionals, values };
  const file = values.file;
  if (dashes > 1 || file === STDIN) {
    throw usageError("standard input can be read once: give - once (or --file -, not both)");
  }
  if (file !== undefined) {
    throw usageError("- reads the ids from standard input: give it or --file <path>, not both");
  }
  return { positionals, values: { ...values, file: STDIN } };
}
