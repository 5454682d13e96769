/**
 * `main`: runs one command line in-process and resolves to its exit code. It takes its
 * environment and writers as arguments so that tests run it without a child process.
 */

import { VERSION } from "../core/constants.js";
import { GLOBAL_OPTIONS, type Invocation, type OptionSpec, parse } from "./args.js";
import { bareSecondsWarnings } from "./bare-seconds.js";
import type { CliCommand } from "./commands/command.js";
import { COMMANDS } from "./commands/index.js";
import type { CommandContext } from "./context.js";
import { type CliIo, EXIT, exitCodeOf, messageOf, PROGRAM, usageError } from "./io.js";
import { type Run, startRun } from "./run.js";
import { stopOf } from "./stop.js";
import { keysOnCommandLine, masker, printable, shown } from "./text.js";

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

Environment:
  NECTAR_API_KEY   the API key (--api-key wins)
  NECTAR_BASE_URL  the API base URL, https or a loopback http URL (--base-url wins;
                   --mock ignores it)
  NO_COLOR         any non-empty value turns colour off (so does TERM=dumb)
  HTTPS_PROXY      the proxy for the API (also HTTP_PROXY, ALL_PROXY; NO_PROXY lists hosts
                   reached directly; lower-case forms win, as in curl)
  NECTAR_LOG       info or debug: each attempt on standard error (credentials redacted)

Durations (--timeout, --deadline, --interval, --expires, ...) take units: 500ms, 30s, 10m,
2h, 7d; a bare number is milliseconds. - reads a list or a body from standard input.

Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 API error, 4 network or timeout,
5 condition (check --fail-on matched, watch --deadline ran out), 130 interrupted (Ctrl-C),
141 output closed before the end (| head: nothing more is sent), 143 terminated (SIGTERM).

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
 * prefixed `nectar-connection:`, with any API key masked. When `io.signal` aborts (or a write
 * fails), every request and wait of the command is aborted and the run ends with the stop's
 * code: 130 interrupted, 143 terminated, 141 quietly when the output was closed.
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
  const run = startRun(io);
  let invocation: Invocation | undefined;
  try {
    invocation = parse(argv, OPTIONS_BY_COMMAND);
    const code = await dispatch(invocation, io, run, mask);
    return run.signal.aborted ? stopped(run) : code;
  } catch (error) {
    if (run.signal.aborted) return stopped(run);
    const hint = exitCodeOf(error) === EXIT.usage ? ` (see: ${helpCommandOf(invocation)})` : "";
    const line = printable(mask(messageOf(error)).trim());
    run.output.stderr(`${PROGRAM}: ${hint ? line.replace(/\.$/, "") : line}${hint}\n`);
    return exitCodeOf(error);
  } finally {
    run.dispose();
  }
}

/** Reports a stopped run in one line (none when its output is gone); returns its exit code. */
function stopped(run: Run): number {
  const stop = stopOf(run.signal.reason);
  if (stop.said) run.output.stderr(`${PROGRAM}: ${stop.message}\n`);
  return stop.code;
}

/** The help a usage error points to: its command's, else the program's. */
function helpCommandOf(invocation: Invocation | undefined): string {
  const command = invocation?.command;
  return command === undefined || command === "help"
    ? `${PROGRAM} --help`
    : `${PROGRAM} ${command} --help`;
}

/** Runs what the parsed command line asks for; resolves to the exit code. */
async function dispatch(
  invocation: Invocation,
  io: CliIo,
  run: Run,
  mask: (text: string) => string,
): Promise<number> {
  const { word, command, values, positionals } = invocation;
  if (values.help === true || command === "help") {
    run.output.stdout(helpOf(command === "help" ? positionals[0] : word));
    return EXIT.ok;
  }
  if (invocation.problem !== undefined) throw usageError(invocation.problem);
  if (values.version === true) {
    run.output.stdout(`${VERSION}\n`);
    return EXIT.ok;
  }
  const selected = command === undefined ? undefined : BY_NAME.get(command);
  if (selected === undefined) {
    throw usageError(`missing command: ${COMMANDS.map((c) => c.name).join(", ")}`);
  }
  for (const warning of bareSecondsWarnings(values)) run.output.stderr(warning);
  const { stdout, stderr, signal, ...commandIo } = io;
  const context: CommandContext = { io: commandIo, out: run.output, signal: run.signal, mask };
  return await selected.run(invocation, context);
}
