/**
 * `nectar-connection mock`: the package's mock server as a process, for the tests of any
 * language (as `stripe-mock` and `prism mock` serve theirs). It prints where it listens as
 * `NAME=value` lines a test harness can read, sends signed webhooks when asked, and runs until
 * the run's signal aborts (Ctrl-C, SIGTERM, a closed output); then it closes (cancelling every
 * webhook retry) and the run ends with the signal's exit code, 130 or 143.
 */
import { NectarInvalidInputError } from "../../core/errors.js";
import type { MockServer, MockServerOptions } from "../../mock/types.js";
import { GLOBAL_OPTIONS } from "../args.js";
import type { CommandContext } from "../context.js";
import { CliError, EXAMPLE_CONNECTION_ID, EXIT, PROGRAM, usageError } from "../io.js";
import { mockOptionsOf } from "../mock-options.js";
import { inCliWords } from "../words.js";
import type { CliCommand } from "./command.js";

/** The mock's own word for the key: the one it accepts, given by its --api-key. */
const MOCK_WORDS = { apiKey: "--api-key" };

/** Starts the mock (loaded only now); a refused option is a usage error naming its flag. */
async function start(options: MockServerOptions): Promise<MockServer> {
  const { startMockServer } = await import("../../mock/index.js");
  try {
    return await startMockServer(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof NectarInvalidInputError) {
      throw usageError(inCliWords(message, MOCK_WORDS));
    }
    throw new CliError(EXIT.failure, `the mock server could not start: ${message}`);
  }
}

/** Resolves when `signal` aborts. */
function stopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** What the mock serves, where, and how to use it: stdout for programs, stderr for people. */
function announce(mock: MockServer, options: MockServerOptions, context: CommandContext): void {
  const { out } = context;
  out.stdout(`NECTAR_BASE_URL=${mock.url}\nNECTAR_API_KEY=${mock.apiKey}\n`);
  // Standard output failed (a full disk): the run is stopping, so "serving" would be untrue.
  if (context.signal.aborted) return;
  const example = mock.ids.includes(EXAMPLE_CONNECTION_ID) ? EXAMPLE_CONNECTION_ID : mock.ids[0];
  const lines = [
    `mock serving ${mock.ids.length} connections of ${mock.companyIds.length} companies at ${mock.url} (127.0.0.1 only)`,
    `point the CLI or a client at it with the two lines above, e.g.: NECTAR_BASE_URL=${mock.url} NECTAR_API_KEY=<key> ${PROGRAM} get ${example ?? "<id>"}`,
  ];
  if (options.webhooks !== undefined) {
    const { url, retryScheduleMs } = options.webhooks;
    const retries =
      retryScheduleMs === undefined ? "Svix's schedule" : `${retryScheduleMs.length} retries`;
    lines.push(`webhooks: signed, posted to ${url} (${retries})`);
  }
  lines.push("Ctrl-C stops it (exit 130; SIGTERM: 143)");
  for (const line of lines) out.stderr(`${PROGRAM}: ${line}\n`);
}

/** The `mock` command. */
export const mock: CliCommand = {
  name: "mock",
  synopsis: `  mock             Serve the mock API on 127.0.0.1 for any language's tests, sending
                   signed webhooks if asked; prints NECTAR_BASE_URL and NECTAR_API_KEY`,
  help: `Usage: ${PROGRAM} mock [options]

Serve the package's mock of Nectar's API on 127.0.0.1 until Ctrl-C or SIGTERM, for tests in any
language. It prints two lines on standard output, NECTAR_BASE_URL=<url> and NECTAR_API_KEY=<key>,
for a test harness to read (the CLI itself reads both variables), and what it serves on standard
error. It serves the spec's example connections, or with --fleet a generated fleet of exactly
that size instead.

A test makes a connection change status (and the mock send its webhooks) with
  POST <origin>/_mock/connection/<id>/status   X-API-KEY: <key>
  {"becomes": "CONNECTED"}   (optionally "after": <polls> or "afterMs": <ms>)
which answers 202; the next poll of the connection (or the time, with afterMs) applies it.

With --webhook-url it posts signed webhooks (connection.created.v2, connection.updated.v2,
connection.validated.v2) as Nectar does through Svix, retried on Svix's schedule (5 s, 5 min,
30 min, 2 h, 5 h, 10 h, 10 h) or --webhook-retry's. Give the secret by the name of an
environment variable (--webhook-secret-env): --webhook-secret shows it to anyone who lists
processes.

Options:
  --port <n>                  Port on 127.0.0.1 (default: a free one, printed)
  --host <host>               127.0.0.1 or localhost; any other host is refused (loopback only)
  --fleet <n>                 Add n generated connections over every status (at most 100000)
  --seed <n>                  The fleet's seed: the same seed, the same fleet
  --latency <time>            Delay every answer, as a real network would, e.g. 200ms (0 to 60s)
  --api-key <key>             The key it accepts (default: mock-api-key)
  --webhook-url <url>         Send webhooks to this http(s) URL
  --webhook-secret-env <VAR>  The endpoint secret (whsec_...), from this environment variable
  --webhook-secret <secret>   The endpoint secret itself (visible in the process list)
  --webhook-retry <waits>     The waits between attempts, e.g. 1s,5s (or none); default Svix's
                              (in every duration, a bare number is milliseconds)
  -h, --help                  Show this help

Exit codes: 130 stopped by Ctrl-C, 143 by SIGTERM (it runs until stopped), 1 the mock could
not start (e.g. the port is taken), 2 usage.

Example:
  NECTAR_WEBHOOK_SECRET=whsec_... ${PROGRAM} mock --port 4010 --fleet 100 --webhook-url http://127.0.0.1:3000/webhooks/nectar --webhook-secret-env NECTAR_WEBHOOK_SECRET
`,
  options: {
    ...GLOBAL_OPTIONS,
    port: { type: "string" },
    host: { type: "string" },
    fleet: { type: "string" },
    seed: { type: "string" },
    latency: { type: "string" },
    "api-key": { type: "string" },
    "webhook-url": { type: "string" },
    "webhook-secret-env": { type: "string" },
    "webhook-secret": { type: "string" },
    "webhook-retry": { type: "string" },
  },
  async run(invocation, context) {
    if (invocation.positionals.length > 0) throw usageError("mock takes no argument");
    const options = mockOptionsOf(invocation.values, context.io);
    context.signal.throwIfAborted();
    const server = await start(options);
    try {
      announce(server, options, context);
      await stopped(context.signal);
    } finally {
      await server.close();
    }
    return EXIT.ok;
  },
};
