/**
 * The shape of a CLI command: its name, help, options and what it runs.
 *
 * A new command is one file in `commands/` exporting a {@link CliCommand}, listed in
 * `commands/index.ts`. It keeps the CLI's guarantees by construction: it writes only through
 * `context.out` (each write made printable, silent once the output closed: its context has no
 * other writer), and calls the API only through `withSession`'s client, whose every call
 * carries the run's signal (Ctrl-C, SIGTERM, a closed output). Anything else it waits on hears
 * `context.signal`. The tests that hold every command to this iterate over `COMMANDS`: add the
 * command's lines to `test/cli-signals.test.ts` and `test/cli-hostile-text.test.ts`, which fail
 * until they are there.
 */
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
