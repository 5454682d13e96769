/**
 * The `logger` option with real loggers as they are: pino (object-first, detected), winston and
 * console (message-first) each get `status`, `attempt` and `requestId` as fields of a retried
 * call's lines, and 1 000 debug-level calls whose answers echo the key (in a header), a
 * magic-link secret and an invitation token (in the body) leave none of them in the output.
 * `NECTAR_LOG` sets the library's default level.
 */
import { Console } from "node:console";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import winston from "winston";
import {
  createNectarClient,
  type NectarClientOptions,
  NectarInvalidInputError,
  type NectarLogger,
} from "../src/index.js";
import { json, seedFor } from "./helpers/client.js";
import { connections, invitations, TEST_API_KEY } from "./helpers/fixtures.js";

const ID = connections.seed().id;
const INVITATION = invitations.detailActive();
const SECRETS = [TEST_API_KEY, connections.seed().connectionMagicLinkSecret, INVITATION.token];

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A writable that keeps what is written. */
function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

/** 503 (request id `req-503`) on the first request, then answers that echo the key and carry secrets. */
function answering(): NonNullable<NectarClientOptions["fetch"]> {
  let count = 0;
  return async (input) => {
    const url = typeof input === "string" ? input : input.url;
    count++;
    const echo = {
      "x-request-id": `req-${count === 1 ? 503 : 200}`,
      "x-echo-api-key": TEST_API_KEY,
    };
    if (count === 1) return json(503, { detail: "busy" }, echo);
    if (url.includes("/invitation/")) return json(200, INVITATION, echo);
    return json(200, seedFor({ url }), echo);
  };
}

/** A client logging at `debug` to `logger`, no waiting between retries. */
function clientWith(logger: NectarLogger) {
  return createNectarClient({
    apiKey: TEST_API_KEY,
    logger,
    logLevel: "debug",
    fetch: answering(),
    sleep: async () => {},
  });
}

/** 1 000 calls at debug: half connections, half invitations. */
async function thousandCalls(client: ReturnType<typeof clientWith>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    await client.connections.retrieve(ID);
    await client.invitations.retrieve(INVITATION.id);
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("pino", () => {
  it("gets the fields as fields (object-first, detected)", async () => {
    const out = sink();
    const logger = pino({ level: "debug" }, out.stream);
    await clientWith(logger).connections.retrieve(ID);
    await settle();
    const lines = out
      .text()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 30,
        attempt: 1,
        status: 503,
        requestId: "req-503",
        retryDelayMs: expect.any(Number),
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 20, attempt: 2, status: 200, requestId: "req-200" }),
    );
    expect(lines.every((line) => String(line.msg).startsWith("[nectar] "))).toBe(true);
  });

  it("shows no secret in 1 000 debug calls", async () => {
    const out = sink();
    await thousandCalls(clientWith(pino({ level: "debug" }, out.stream)));
    await settle();
    const text = out.text();
    expect(text.split("\n").length).toBeGreaterThan(3000);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});

describe("winston", () => {
  /** A winston logger writing JSON lines to `stream`. */
  const winstonTo = (stream: Writable) =>
    winston.createLogger({
      level: "debug",
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream })],
    });

  it("gets the fields as fields (message-first)", async () => {
    const out = sink();
    await clientWith(winstonTo(out.stream)).connections.retrieve(ID);
    await settle();
    const lines = out
      .text()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "info", attempt: 1, status: 503, requestId: "req-503" }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "debug", attempt: 2, status: 200, requestId: "req-200" }),
    );
  });

  it("shows no secret in 1 000 debug calls", async () => {
    const out = sink();
    await thousandCalls(clientWith(winstonTo(out.stream)));
    await settle();
    const text = out.text();
    expect(text.split("\n").length).toBeGreaterThan(3000);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});

describe("console", () => {
  it("gets the message first and the fields after it", async () => {
    const out = sink();
    const logger = new Console({ stdout: out.stream, stderr: out.stream });
    await clientWith(logger).connections.retrieve(ID);
    await settle();
    expect(out.text()).toMatch(
      /\[nectar\] GET \/connection\/[^\n]*retrying in \d+ ms \{[^}]*attempt: 1,[^}]*status: 503,[^}]*requestId: 'req-503'/,
    );
    for (const secret of SECRETS) expect(out.text()).not.toContain(secret);
  });

  it("takes an explicit logShape over detection", async () => {
    const calls: unknown[][] = [];
    const record = (...args: unknown[]) => calls.push(args);
    const logger = { error: record, warn: record, info: record, debug: record };
    await createNectarClient({
      apiKey: TEST_API_KEY,
      logger,
      logLevel: "info",
      logShape: "object-first",
      fetch: answering(),
      sleep: async () => {},
    }).connections.retrieve(ID);
    expect(calls[0]).toEqual([
      { attempt: 1 },
      expect.stringMatching(/^\[nectar\] GET .*: attempt 1 of 3$/),
    ]);
  });
});

describe("logShape", () => {
  it("message-first given to a pino-marked logger wins over detection", async () => {
    const calls: unknown[][] = [];
    const record = (...args: unknown[]) => calls.push(args);
    const logger = { error: record, warn: record, info: record, debug: record };
    Object.assign(logger, { [Symbol.for("pino.serializers")]: {} });
    await createNectarClient({
      apiKey: TEST_API_KEY,
      logger,
      logLevel: "info",
      logShape: "message-first",
      fetch: answering(),
      sleep: async () => {},
    }).connections.retrieve(ID);
    expect(calls[0]).toEqual([
      expect.stringMatching(/^\[nectar\] GET .*: attempt 1 of 3$/),
      { attempt: 1 },
    ]);
  });
});

describe("NECTAR_LOG", () => {
  it("sets the default level of the library; logLevel wins", async () => {
    vi.stubEnv("NECTAR_LOG", "debug");
    const calls: string[] = [];
    const record = (level: string) => () => calls.push(level);
    const logger = {
      error: record("error"),
      warn: record("warn"),
      info: record("info"),
      debug: record("debug"),
    };
    const make = (options: NectarClientOptions = {}) =>
      createNectarClient({
        apiKey: TEST_API_KEY,
        logger,
        fetch: answering(),
        sleep: async () => {},
        ...options,
      });
    await make().connections.retrieve(ID);
    expect(calls).toContain("debug");
    calls.length = 0;
    await make({ logLevel: "warn" }).connections.retrieve(ID);
    expect(calls).toEqual([]);
  });

  it("refuses a value that is no level", () => {
    vi.stubEnv("NECTAR_LOG", "verbose");
    expect(() => createNectarClient({ apiKey: TEST_API_KEY })).toThrow(NectarInvalidInputError);
  });
});
