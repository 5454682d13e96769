/**
 * A client for one run of a command: from `--api-key`/`NECTAR_API_KEY` and `--base-url`, or
 * against the embedded mock server with `--mock`, which is started only then and always closed.
 */
import { createNectarClient, type NectarClient, type NectarClientOptions } from "../client.js";
import type { NectarLogger } from "../core/logger.js";
import type { MockServer, MockServerOptions } from "../mock/index.js";
import { type OptionValues, stringOption, timeoutOption } from "./args.js";
import { CliError, type CliIo, EXIT, PROGRAM, usageError } from "./io.js";
import { oneLine } from "./text.js";

/** What a command runs with. */
export interface CommandContext {
  readonly io: CliIo;
  /** Masks the API key (and any other secret on the command line) in a text. */
  readonly mask: (text: string) => string;
}

/** The client a command uses, and the mock it talks to with `--mock`. */
export interface Session {
  readonly client: NectarClient;
  readonly mock: MockServer | undefined;
}

/** Checks the connection options before anything starts: usage errors come first. */
function checkConnectionOptions(values: OptionValues, io: CliIo): string | undefined {
  const useMock = values.mock === true;
  if (useMock && values["base-url"] !== undefined) {
    throw usageError("--mock and --base-url cannot be used together");
  }
  if (useMock && values["api-key"] !== undefined) {
    throw usageError("--mock uses its own key: leave out --api-key");
  }
  const apiKey = useMock ? undefined : (stringOption(values, "api-key") ?? io.env.NECTAR_API_KEY);
  if (!useMock && (apiKey === undefined || apiKey === "")) {
    throw usageError("no API key: pass --api-key, set NECTAR_API_KEY, or try --mock");
  }
  return apiKey;
}

/** Starts the mock server (loaded only now: a command without `--mock` never loads it). */
async function startMock(options: MockServerOptions): Promise<MockServer> {
  try {
    const { startMockServer } = await import("../mock/index.js");
    return await startMockServer(options);
  } catch (error) {
    throw new CliError(
      EXIT.failure,
      `the mock server could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Runs `use` with a client built from the command line, starting the mock first when
 * `--mock` is given (with `mockOptions`), and closing it whatever happens.
 */
export async function withSession<T>(
  values: OptionValues,
  context: CommandContext,
  use: (session: Session) => Promise<T>,
  mockOptions: MockServerOptions = {},
): Promise<T> {
  const { io, mask } = context;
  const timeoutMs = timeoutOption(values);
  const apiKey = checkConnectionOptions(values, io);
  const warn = (message: string) =>
    io.stderr(`${PROGRAM}: warning: ${oneLine(mask(message.replace(/^\[nectar\] /, "")))}\n`);
  const logger: NectarLogger = { error: warn, warn, info: () => {}, debug: () => {} };

  const mock = values.mock === true ? await startMock(mockOptions) : undefined;
  try {
    const options: NectarClientOptions = { logger, logLevel: "warn" };
    const key = mock?.apiKey ?? apiKey;
    if (key !== undefined) options.apiKey = key;
    const baseUrl = mock?.url ?? stringOption(values, "base-url");
    if (baseUrl !== undefined) options.baseUrl = baseUrl;
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    return await use({ client: createNectarClient(options), mock });
  } finally {
    await mock?.close();
  }
}
