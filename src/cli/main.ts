/**
 * `main`: runs one command line in-process and resolves to its exit code. It takes its
 * environment and writers as arguments so that tests run it without a child process.
 */
import { VERSION } from "../core/constants.js";
import { GLOBAL_OPTIONS, type OptionSpec, parse } from "./args.js";
import type { CliCommand } from "./commands/command.js";
import { COMMANDS } from "./commands/index.js";
import { type CliIo, EXIT, exitCodeOf, messageOf, PROGRAM, usageError } from "./io.js";
import { keysOnCommandLine, masker, oneLine, shown } from "./text.js";

const BY_NAME: ReadonlyMap<string, CliCommand> = new Map(COMMANDS.map((c) => [c.name, c]));

const HELP_COMMAND = `Usage: ${PROGRAM} help [command]

Show the help of a command, or of the program.
`;

/** The options of each command, `help` included, for the parser. */
const OPTIONS_BY_COMMAND: Record<string, Readonly<Record<string, OptionSpec>>> = {
  help: GLOBAL_OPTIONS,
  ...Object.fromEntries(COMMANDS.map((c) => [c.name, c.options])),
};

/** The program's own help: every command's synopsis. */
function programHelp(): string {
  const example = COMMANDS[0]?.help.match(/^Example:\n(.*)$/m)?.[1] ?? "";
  return `Usage: ${PROGRAM} <command> [options]

Look up Nectar Climate utility connections.

Commands:
${COMMANDS.map((c) => c.synopsis).join("\n")}
  help [command]   Show help for a command

Options:
  -h, --help       Show help (also after a command: ${PROGRAM} get --help)
  --version        Print the version

Environment: NECTAR_API_KEY (the API key), NO_COLOR (any non-empty value turns colour off).
Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 API error, 4 network or timeout,
5 condition (check --fail-on matched, watch --timeout ran out), 130 interrupted (Ctrl-C).

Example:
${example}
`;
}

/** The help of `topic` (a command, `help`, or the program when undefined). */
function helpOf(topic: string | undefined): string {
  if (topic === undefined) return programHelp();
  if (topic === "help") return HELP_COMMAND;
  const command = BY_NAME.get(topic);
  if (command === undefined)
    throw usageError(`unknown command ${shown(topic, "an unknown command")}`);
  return command.help;
}

/**
 * Runs the command line `argv` (without `node` and the script) and resolves to the exit code.
 * Never throws and never prints a stack trace: every failure is one line on `io.stderr`,
 * prefixed `nectar-connection:`, with any API key masked.
 *
 * @example
 * const code = await main(["get", "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13", "--mock"], {
 *   env: process.env,
 *   stdout: (text) => process.stdout.write(text),
 *   stderr: (text) => process.stderr.write(text),
 *   isTTY: process.stdout.isTTY === true,
 * });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const mask = masker([...keysOnCommandLine(argv), io.env.NECTAR_API_KEY]);
  try {
    const invocation = parse(argv, OPTIONS_BY_COMMAND);
    const { word, command, values, positionals } = invocation;
    if (values.help === true || command === "help") {
      io.stdout(helpOf(command === "help" ? positionals[0] : word));
      return EXIT.ok;
    }
    if (invocation.problem !== undefined) throw usageError(invocation.problem);
    if (values.version === true) {
      io.stdout(`${VERSION}\n`);
      return EXIT.ok;
    }
    const selected = command === undefined ? undefined : BY_NAME.get(command);
    if (selected === undefined) {
      throw usageError(`missing command: ${COMMANDS.map((c) => c.name).join(", ")}`);
    }
    return await selected.run(invocation, { io, mask });
  } catch (error) {
    const hint = exitCodeOf(error) === EXIT.usage ? ` (see ${PROGRAM} --help)` : "";
    const interrupted = exitCodeOf(error) === EXIT.interrupted;
    const line = interrupted ? "interrupted" : oneLine(mask(messageOf(error)));
    io.stderr(`${PROGRAM}: ${hint ? line.replace(/\.$/, "") : line}${hint}\n`);
    return exitCodeOf(error);
  }
}
