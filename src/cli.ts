#!/usr/bin/env node
/**
 * `nectar-connection`: look up one Nectar Climate connection from a shell. Node-only (the
 * package's `bin`, run by Node 20 or later).
 *
 * ```sh
 * nectar-connection get <id> [--json]   # a readable summary, or the connection as JSON
 * nectar-connection link <id>           # only the update link
 * nectar-connection get 3c90c3cc-0d44-4b50-8888-8dd25736052a --mock   # no key, no network
 * ```
 *
 * Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 API error, 4 network or timeout.
 * Everything runs through {@link main}, which takes its environment and writers as arguments so
 * that tests can run it in-process; the process-level wiring is at the end of the file.
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Connection } from "../generated/schema.js";
import { createNectarClient, type NectarClientOptions } from "./client.js";
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS, VERSION } from "./constants.js";
import {
  NectarApiError,
  NectarAuthenticationError,
  NectarConnectionError,
  NectarInvalidInputError,
  NectarInvalidResponseError,
  NectarResponseValidationError,
} from "./errors.js";
import { requireUuid } from "./input.js";
import type { NectarLogger } from "./logger.js";
import { updateLinkUrl } from "./magic-link.js";
import { type MockServer, startMockServer } from "./mock.js";
import { connectionHealth, type HealthGroup } from "./status.js";

/** The program's name, as installed by `bin` and as it prefixes every error line. */
export const PROGRAM = "nectar-connection";

/** The exit codes of {@link main}. */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** Something unexpected failed (a bug, or the mock server could not start). */
  failure: 1,
  /** Bad usage: unknown command or option, missing or invalid id, missing API key. */
  usage: 2,
  /** Nectar answered with an error, or with a response the client could not accept. */
  api: 3,
  /** The request never got a complete answer: network failure or timeout. */
  network: 4,
} as const;

/** What {@link main} needs of its surroundings; the bin passes `process`'s. */
export interface CliIo {
  /** The environment: `NECTAR_API_KEY`, `NO_COLOR`, `TERM` are read. */
  env: Readonly<Record<string, string | undefined>>;
  /** Writes text to standard output (the text carries its own newlines). */
  stdout: (text: string) => void;
  /** Writes text to standard error (the text carries its own newlines). */
  stderr: (text: string) => void;
  /** Whether standard output is a terminal; colour is used only then. */
  isTTY: boolean;
}

type Command = "get" | "link" | "help";

const COMMANDS: readonly Command[] = ["get", "link", "help"];

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
  json: { type: "boolean" },
  "api-key": { type: "string" },
  "base-url": { type: "string" },
  mock: { type: "boolean" },
  timeout: { type: "string" },
} as const;

type OptionName = keyof typeof OPTIONS;

const REQUEST_OPTIONS: readonly OptionName[] = [
  "help",
  "version",
  "api-key",
  "base-url",
  "mock",
  "timeout",
];

/** The options each command accepts; `none` is the bare program (no command). */
const ALLOWED: Record<Command | "none", readonly OptionName[]> = {
  none: ["help", "version"],
  help: ["help", "version"],
  get: [...REQUEST_OPTIONS, "json"],
  link: REQUEST_OPTIONS,
};

/** The options of `get` and `link`, with `extra` lines for the command's own. */
const requestOptionsHelp = (extra = "") => `Options:
  --api-key <key>    Nectar API key (default: the NECTAR_API_KEY environment variable)
  --base-url <url>   API base URL (default: ${DEFAULT_BASE_URL})
  --mock             Use an embedded mock server serving the spec's example connections
                     (no key, no network needed)
  --timeout <ms>     Per-attempt timeout in milliseconds (default: ${DEFAULT_TIMEOUT_MS})
${extra}  -h, --help         Show this help`;

const EXIT_CODES_HELP = "Exit codes: 0 ok, 2 usage, 3 API error, 4 network or timeout.";

const HELP: Record<Command | "none", string> = {
  none: `Usage: ${PROGRAM} <command> [options]

Look up a Nectar Climate utility connection.

Commands:
  get <id>         Show a connection: its status and what to do, when the status began and
                   was last confirmed, datasource, company, accounts, and the update link
                   when the user must act
  link <id>        Print only the connection's update link
  help [command]   Show help for a command

Options:
  -h, --help       Show help (also after a command: ${PROGRAM} get --help)
  --version        Print the version

Environment: NECTAR_API_KEY (the API key), NO_COLOR (any value turns colour off).
${EXIT_CODES_HELP}

Example:
  ${PROGRAM} get 3c90c3cc-0d44-4b50-8888-8dd25736052a --mock
`,
  help: `Usage: ${PROGRAM} help [command]

Show the help of a command, or of the program.
`,
  get: `Usage: ${PROGRAM} get <id> [options]

Show a connection: its status, health group and what to do, when the status began and was
last confirmed, the datasource, company, number of accounts, country, whether it is active,
and the update link when the status needs the user.

${requestOptionsHelp("  --json             Print the connection as JSON (2-space indent) instead\n")}

${EXIT_CODES_HELP}

Example:
  ${PROGRAM} get 3c90c3cc-0d44-4b50-8888-8dd25736052a --mock
`,
  link: `Usage: ${PROGRAM} link <id> [options]

Print only the connection's update link: the page where its user re-enters their credentials.
The link carries a secret: give it to the connection's user only.

${requestOptionsHelp()}

${EXIT_CODES_HELP}

Example:
  ${PROGRAM} link 8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13 --mock
`,
};

/** A failure with the exit code it ends the program with; its message is one line. */
class CliError extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

const usageError = (message: string) => new CliError(EXIT.usage, message);

/** Control characters and bidirectional overrides: removed from anything a server sent. */
const UNSAFE_CHARACTERS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu;

/** Text made safe for one terminal line. */
function oneLine(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, " ").replace(/\s+/g, " ").trim();
}

/** A value the user typed, quoted only when it is short and word-like (never a credential). */
function shown(value: string, what: string): string {
  return /^-{0,2}[A-Za-z][\w-]{0,19}$/.test(value) ? `"${value}"` : `${what} (not shown)`;
}

/** Shorter secrets are not masked: masking a short string would mangle ordinary words. */
const MIN_MASKED_LENGTH = 8;

/** Replaces each secret in `text` by `[redacted]`. */
function masker(secrets: readonly (string | undefined)[]): (text: string) => string {
  const masked = secrets.filter(
    (secret): secret is string => secret !== undefined && secret.length >= MIN_MASKED_LENGTH,
  );
  return (text) => masked.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
}

/** The parsed command line. */
interface Invocation {
  /** The first positional, a command or not. */
  word: string | undefined;
  command: Command | undefined;
  positionals: string[];
  values: Partial<Record<OptionName, string | boolean>>;
  /** A usage problem found while parsing, reported unless `--help` or `--version` wins. */
  problem: string | undefined;
}

function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(OPTIONS, name);
}

function isCommand(name: string | undefined): name is Command {
  return COMMANDS.some((command) => command === name);
}

/**
 * Parses argv with `node:util`'s tokens (non-strict), then checks the tokens itself so that
 * every problem gets one clear line that never quotes a value.
 */
function parse(argv: readonly string[]): Invocation {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const values: Invocation["values"] = {};
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    if (!isOptionName(token.name)) {
      problems.push(`unknown option ${shown(token.rawName, "an unknown option")}`);
      continue;
    }
    if (OPTIONS[token.name].type === "boolean") {
      if (token.value !== undefined) problems.push(`option --${token.name} takes no value`);
      else values[token.name] = true;
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-"))) {
      problems.push(
        `option --${token.name} needs a value (write --${token.name}=<value> for one starting with "-")`,
      );
      continue;
    }
    values[token.name] = token.value;
  }
  const first = positionals[0];
  const command = isCommand(first) ? first : undefined;
  if (first !== undefined && command === undefined) {
    problems.unshift(`unknown command ${shown(first, "an unknown command")}`);
  } else {
    const allowed = ALLOWED[command ?? "none"];
    for (const name of Object.keys(values)) {
      if (isOptionName(name) && !allowed.includes(name)) {
        problems.push(
          command === undefined
            ? `option --${name} needs a command`
            : `the ${command} command takes no option --${name}`,
        );
      }
    }
  }
  return { word: first, command, positionals: positionals.slice(1), values, problem: problems[0] };
}

/** The API-key values on a command line, found even when the command line is otherwise bad. */
function keysOnCommandLine(argv: readonly string[]): string[] {
  const keys: string[] = [];
  argv.forEach((arg, index) => {
    if (arg.startsWith("--api-key=")) keys.push(arg.slice("--api-key=".length));
    else if (arg === "--api-key" && argv[index + 1] !== undefined) keys.push(argv[index + 1] ?? "");
  });
  return keys;
}

const ANSI: Record<HealthGroup, string> = {
  healthy: "32", // green
  pending: "36", // cyan
  needs_user_action: "1;31", // bold red
  provider_issue: "33", // yellow
  inactive: "90", // grey
  unknown: "35", // magenta
};

type Paint = (text: string, code: string) => string;

/** A label and its value, one line of the summary. */
type Row = readonly [label: string, value: string];

/** A server-sent value for the summary: safe on a terminal, or a placeholder when absent. */
function text(value: unknown, absent = "(none)"): string {
  if (typeof value === "string" && value.trim() !== "") return oneLine(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return absent;
}

/** The readable summary of `get`. */
function summary(connection: Connection, paint: Paint): string {
  const health = connectionHealth(connection);
  const status = text(connection.status, "(missing)");
  const rows: Row[] = [
    ["Status", `${paint(status, ANSI[health.group])} (${paint(health.group, ANSI[health.group])})`],
    ["What to do", oneLine(health.summary)],
  ];
  if (typeof connection.statusErrorDetail === "string" && connection.statusErrorDetail !== "") {
    rows.push(["Detail", text(connection.statusErrorDetail)]);
  }
  const datasource = connection.datasource as Partial<Connection["datasource"]> | null | undefined;
  const accounts = Array.isArray(connection.accounts)
    ? String(connection.accounts.length)
    : "unknown";
  const active =
    connection.isActive === true ? "yes" : connection.isActive === false ? "no" : "unknown";
  rows.push(
    ["Status since", text(connection.statusFirstSeenTime, "unknown")],
    ["Last confirmed", text(connection.statusLastUpdateTime, "unknown")],
    [
      "Datasource",
      `${text(datasource?.name, "(unnamed)")}${datasource?.url ? ` (${text(datasource.url)})` : ""}`,
    ],
    ["Company", text(connection.company?.name, "(unnamed)")],
    ["Accounts", accounts],
    ["Country", text(connection.country, "unknown")],
    ["Active", active],
  );
  if (health.needsUserAction) {
    let link: string;
    try {
      link = updateLinkUrl(connection);
    } catch (error) {
      link = `unavailable: ${error instanceof Error ? oneLine(error.message) : "cannot be built"}`;
    }
    rows.push(["Update link", link]);
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}`);
  return `Connection ${text(connection.id, "(no id)")}\n${lines.join("\n")}\n`;
}

/** A positive whole number of milliseconds, or a usage error. */
function timeoutOption(value: string | boolean | undefined): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(ms > 0)) throw usageError("--timeout must be a whole number of milliseconds above 0");
  return ms;
}

/** The exit code an error ends the program with. */
function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.code;
  if (error instanceof NectarInvalidInputError) return EXIT.usage;
  if (
    error instanceof NectarApiError ||
    error instanceof NectarInvalidResponseError ||
    error instanceof NectarResponseValidationError
  ) {
    return EXIT.api;
  }
  if (error instanceof NectarConnectionError) return EXIT.network;
  return EXIT.failure;
}

/** The one line that describes an error. */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NectarAuthenticationError) {
    return `${message} (check --api-key or NECTAR_API_KEY)`;
  }
  return message;
}

/** Runs `get` or `link` on a client, starting the mock first when asked; closes it always. */
async function run(invocation: Invocation, io: CliIo, mask: (text: string) => string) {
  const { command, positionals, values } = invocation;
  const [id, extra] = positionals;
  if (id === undefined) throw usageError(`${command} needs a connection id`);
  if (extra !== undefined) throw usageError(`${command} takes one connection id, got more`);
  const connectionId = requireUuid(id, "the connection id");
  const timeoutMs = timeoutOption(values.timeout);
  const useMock = values.mock === true;
  if (useMock && values["base-url"] !== undefined) {
    throw usageError("--mock and --base-url cannot be used together");
  }
  if (useMock && values["api-key"] !== undefined) {
    throw usageError("--mock uses its own key: leave out --api-key");
  }
  const apiKey = useMock
    ? undefined
    : ((values["api-key"] as string | undefined) ?? io.env.NECTAR_API_KEY);
  if (!useMock && (apiKey === undefined || apiKey === "")) {
    throw usageError("no API key: pass --api-key, set NECTAR_API_KEY, or try --mock");
  }

  const warn = (message: string) =>
    io.stderr(`${PROGRAM}: warning: ${oneLine(mask(message.replace(/^\[nectar\] /, "")))}\n`);
  const logger: NectarLogger = { error: warn, warn, info: () => {}, debug: () => {} };

  let mock: MockServer | undefined;
  try {
    if (useMock) {
      try {
        mock = await startMockServer();
      } catch (error) {
        throw new CliError(
          EXIT.failure,
          `the mock server could not start: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const options: NectarClientOptions = { logger, logLevel: "warn" };
    const key = mock?.apiKey ?? apiKey;
    if (key !== undefined) options.apiKey = key;
    const baseUrl = mock?.url ?? (values["base-url"] as string | undefined);
    if (baseUrl !== undefined) options.baseUrl = baseUrl;
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    const client = createNectarClient(options);
    const connection = await client.connections.retrieve(connectionId);

    if (command === "link") {
      let url: string;
      try {
        url = updateLinkUrl(connection);
      } catch (error) {
        // The id was fine; it is Nectar's answer that lacks the link's pieces.
        throw new CliError(EXIT.api, error instanceof Error ? error.message : String(error));
      }
      io.stdout(`${url}\n`);
    } else if (values.json === true) {
      io.stdout(`${JSON.stringify(connection, null, 2)}\n`);
    } else {
      const colour = io.isTTY && io.env.NO_COLOR === undefined && io.env.TERM !== "dumb";
      const paint: Paint = colour ? (s, code) => `\u001b[${code}m${s}\u001b[0m` : (s) => s;
      io.stdout(summary(connection, paint));
    }
  } finally {
    await mock?.close();
  }
}

/**
 * Runs the command line `argv` (without `node` and the script) and resolves to the exit code.
 * Never throws and never prints a stack trace: every failure is one line on `io.stderr`,
 * prefixed `nectar-connection:`, with any API key masked.
 *
 * @example
 * const code = await main(["get", "3c90c3cc-0d44-4b50-8888-8dd25736052a", "--mock"], {
 *   env: process.env,
 *   stdout: (text) => process.stdout.write(text),
 *   stderr: (text) => process.stderr.write(text),
 *   isTTY: process.stdout.isTTY === true,
 * });
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const mask = masker([...keysOnCommandLine(argv), io.env.NECTAR_API_KEY]);
  try {
    const invocation = parse(argv);
    const { word, command, values, positionals } = invocation;
    if (values.help === true || command === "help") {
      const topic = command === "help" ? positionals[0] : word;
      if (topic !== undefined && !isCommand(topic)) {
        throw usageError(`unknown command ${shown(topic, "an unknown command")}`);
      }
      io.stdout(HELP[topic ?? "none"]);
      return EXIT.ok;
    }
    if (invocation.problem !== undefined) throw usageError(invocation.problem);
    if (values.version === true) {
      io.stdout(`${VERSION}\n`);
      return EXIT.ok;
    }
    if (command === undefined) throw usageError("missing command: get or link");
    await run(invocation, io, mask);
    return EXIT.ok;
  } catch (error) {
    const hint = exitCodeOf(error) === EXIT.usage ? ` (see ${PROGRAM} --help)` : "";
    const line = oneLine(mask(messageOf(error)));
    io.stderr(`${PROGRAM}: ${hint ? line.replace(/\.$/, "") : line}${hint}\n`);
    return exitCodeOf(error);
  }
}

/** True when this file is the program node was started with (also through a symlinked bin). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A closed pipe (`nectar-connection get … | head -1`) is not an error worth a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  process.exitCode = await main(process.argv.slice(2), {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
  });
}
