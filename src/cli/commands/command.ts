/** The shape of a CLI command: its name, help, options and what it runs. */
import type { Invocation, OptionSpec } from "../args.js";
import type { CommandContext } from "../context.js";

/** One command of `nectar-connection`. Each lives in its own file in `commands/`. */
export interface CliCommand {
  /** The word that selects it: `nectar-connection <name> …`. */
  readonly name: string;
  /** The lines of the program's help that list it (already indented and wrapped). */
  readonly synopsis: string;
  /** Its own help, printed by `nectar-connection <name> --help`. */
  readonly help: string;
  /** The options it accepts (the global `--help`/`--version` included). */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Runs it; resolves to the exit code (0 unless the command decides otherwise). */
  run(invocation: Invocation, context: CommandContext): Promise<number>;
}
