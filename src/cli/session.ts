/**
 * A client for one run of a command: from `--api-key`/`NECTAR_API_KEY` and
 * `--base-url`/`NECTAR_BASE_URL`, or against the embedded mock server with `--mock`, which is
 * started only then and always closed. Every call of the client carries the run's signal.
 */
import { createNectarClient, type NectarClientOptions } from "../client.js";
import { NectarInvalidInputError } from "../core/errors.js";
import { secureUrl } from "../core/input.js";
import { LOG_LEVELS, type LogLevel, type NectarLogger } from "../core/logger.js";
import { proxiesFromEnv } from "../core/proxy-env.js";
import type { MockServer, MockServerOptions } from "../mock/index.js";
import { type OptionValues, stringOption, timeoutOption } from "./args.js";
import type { CommandContext, CommandIo } from "./context.js";
import { CliError, EXIT, messageOf, PROGRAM, usageError } from "./io.js";
import { bindSignal, type SessionClient } from "./session-client.js";
import { printable } from "./text.js";

/** The client a command uses, and the mock it talks to with `--mock`. */
export interface Session {
  /** The client: every call carries the run's signal. */
  readonly client: SessionClient;
  readonly mock: MockServer | undefined;
}

/** Where the API is: where `--mock`, `--base-url` and `NECTAR_BASE_URL` point. */
interface Target {
  readonly useMock: boolean;
  readonly apiKey: string | undefined;
  readonly baseUrl: string | undefined;
}

/**
 * The base URL from `--base-url`, else `NECTAR_BASE_URL` (empty counts as unset), checked by the
 * library's rule (https, or http on a loopback host); a bad one is a usage error naming its source.
 */
function baseUrlOf(values: OptionValues, io: CommandIo): string | undefined {
  const fromOption = stringOption(values, "base-url");
  const [value, source] =
    fromOption === undefined
      ? [io.env.NECTAR_BASE_URL || undefined, "NECTAR_BASE_URL"]
      : [fromOption, "--base-url"];
  if (value === undefined) return undefined;
  try {
    return secureUrl(value, source);
  } catch (error) {
    if (error instanceof NectarInvalidInputError) throw usageError(error.message);
    throw error;
  }
}

/**
 * Checks the connection options before anything starts: usage errors come first. `--mock`
 * wins over `NECTAR_API_KEY` and `NECTAR_BASE_URL` (they describe the real API), but not over
 * `--api-key` or `--base-url` given with it.
 */
function targetOf(values: OptionValues, io: CommandIo): Target {
  const useMock = values.mock === true;
  if (useMock && values["base-url"] !== undefined) {
    throw usageError("--mock and --base-url cannot be used together");
  }
  if (useMock && values["api-key"] !== undefined) {
    throw usageError("--mock uses its own key: leave out --api-key");
  }
  if (useMock) return { useMock, apiKey: undefined, baseUrl: undefined };
  const apiKey = stringOption(values, "api-key") ?? io.env.NECTAR_API_KEY;
  if (apiKey === undefined || apiKey === "") {
    throw usageError("no API key: pass --api-key, set NECTAR_API_KEY, or try --mock");
  }
  return { useMock, apiKey, baseUrl: baseUrlOf(values, io) };
}

/** Starts the mock server (loaded only now: a command without `--mock` never loads it). */
async function startMock(options: MockServerOptions): Promise<MockServer> {
  try {
    const { startMockServer } = await import("../mock/index.js");
    return await startMockServer(options);
  } catch (error) {
    throw new CliError(EXIT.failure, `the mock server could not start: ${messageOf(error)}`);
  }
}

/**
 * The log level from `NECTAR_LOG` (`debug` shows each attempt and its redacted headers), else
 * `warn`; a value that is no level is a usage error.
 */
function logLevelOf(io: CommandIo): LogLevel {
  const value = io.env.NECTAR_LOG;
  if (value === undefined || value === "") return "warn";
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw usageError(`NECTAR_LOG must be one of ${LOG_LEVELS.join(", ")}`);
}

/**
 * The library's log lines on standard error, one safe line each (key masked, sanitised):
 * errors and warnings as `warning:`, info and debug lines (with `NECTAR_LOG`) as `debug:` with
 * their details as JSON.
 */
function loggerOf(context: CommandContext): NectarLogger {
  const line = (label: string) => (message: string, details?: unknown) => {
    const text = message.replace(/^\[nectar\] /, "");
    const extra = details === undefined ? "" : ` ${JSON.stringify(details)}`;
    context.out.stderr(`${PROGRAM}: ${label}: ${printable(context.mask(text + extra))}\n`);
  };
  const warn = line("warning");
  return { error: warn, warn, info: line("info"), debug: line("debug") };
}

/**
 * The proxy the CLI sends through: the environment's (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
 * `NO_PROXY`), as curl, gh and npm do; none against the embedded mock. Without a proxy variable
 * nothing is loaded.
 */
function proxyOf(io: CommandIo, useMock: boolean): NectarClientOptions["proxy"] {
  if (useMock) return undefined;
  const { httpProxy, httpsProxy } = proxiesFromEnv(io.env);
  return httpProxy || httpsProxy ? "env" : undefined;
}

/**
 * Runs `use` with a client built from the command line, starting the mock first when
 * `--mock` is given (with `mockOptions`), and closing it whatever happens. Every call of the
 * client carries `context.signal`; a run already stopped starts nothing.
 * @throws a usage error ({@link CliError}, exit 2) on a bad option, before anything starts.
 */
export async function withSession<T>(
  values: OptionValues,
  context: CommandContext,
  use: (session: Session) => Promise<T>,
  mockOptions: MockServerOptions = {},
): Promise<T> {
  const timeoutMs = timeoutOption(values);
  const target = targetOf(values, context.io);
  const logLevel = logLevelOf(context.io);
  const proxy = proxyOf(context.io, target.useMock);
  context.signal.throwIfAborted();
  const mock = target.useMock ? await startMock(mockOptions) : undefined;
  try {
    const options: NectarClientOptions = { logger: loggerOf(context), logLevel };
    if (proxy !== undefined) options.proxy = proxy;
    const key = mock?.apiKey ?? target.apiKey;
    if (key !== undefined) options.apiKey = key;
    const baseUrl = mock?.url ?? target.baseUrl;
    if (baseUrl !== undefined) options.baseUrl = baseUrl;
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    const client = bindSignal(createNectarClient(options), context.signal);
    return await use({ client, mock });
  } finally {
    await mock?.close();
  }
}
