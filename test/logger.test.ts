/**
 * The log: levels filter, a method that is off costs nothing (not even its message), every
 * line is masked and prefixed, and headers are redacted before they reach a line.
 */
import { describe, expect, test } from "vitest";
import { createLog, LOG_LEVELS } from "../src/core/logger.ts";
import type { LogLevel, NectarLogger } from "../src/index.ts";
import { createObservedClient, json } from "./helpers/client.ts";
import { connections, TEST_API_KEY } from "./helpers/fixtures.ts";
import { recordForRedaction } from "./setup/redaction.ts";

type Level = Exclude<LogLevel, "off">;

/** A logger that records each call's arguments by level (and feeds the redaction check). */
function recordingLogger(): { logger: NectarLogger; calls: [Level, unknown[]][] } {
  const calls: [Level, unknown[]][] = [];
  const record =
    (level: Level) =>
    (...args: unknown[]) => {
      calls.push([level, args]);
      recordForRedaction(args);
    };
  return {
    calls,
    logger: {
      error: record("error"),
      warn: record("warn"),
      info: record("info"),
      debug: record("debug"),
    },
  };
}

/** The client's own mask: the key replaced wherever it appears. */
const mask = (text: string) => text.split(TEST_API_KEY).join("[redacted]");

const ID = connections.seed().id;

describe("levels", () => {
  test.each([
    ["off", []],
    ["error", ["error"]],
    ["warn", ["error", "warn"]],
    ["info", ["error", "warn", "info"]],
    ["debug", ["error", "warn", "info", "debug"]],
  ] as const)("at %s, exactly %o are on", (level, on) => {
    const log = createLog(recordingLogger().logger, level, mask);
    const enabled = (["error", "warn", "info", "debug"] as const).filter(
      (name) => log[name] !== undefined,
    );
    expect(enabled).toEqual(on);
  });

  test("each level's method writes to the logger method of the same name", () => {
    const { logger, calls } = recordingLogger();
    const log = createLog(logger, "debug", mask);
    log.error?.("e");
    log.warn?.("w");
    log.info?.("i");
    log.debug?.("d");
    expect(calls).toEqual([
      ["error", ["[nectar] e"]],
      ["warn", ["[nectar] w"]],
      ["info", ["[nectar] i"]],
      ["debug", ["[nectar] d"]],
    ]);
  });

  test("LOG_LEVELS lists every level, quietest first", () => {
    expect(LOG_LEVELS).toEqual(["off", "error", "warn", "info", "debug"]);
  });

  test("a level that is off does not even build its message", () => {
    let built = 0;
    const expensive = () => {
      built++;
      return "costly message";
    };
    const { logger, calls } = recordingLogger();
    const quiet = createLog(logger, "warn", mask);
    quiet.info?.(expensive());
    quiet.debug?.(expensive(), { headers: {} });
    expect(built).toBe(0);
    expect(calls).toEqual([]);

    const chatty = createLog(logger, "info", mask);
    chatty.info?.(expensive());
    expect(built).toBe(1);
    expect(calls).toEqual([["info", ["[nectar] costly message"]]]);
  });
});

describe("masking", () => {
  test("removes the key from a message, wherever and however often it appears", () => {
    const { logger, calls } = recordingLogger();
    const log = createLog(logger, "debug", mask);
    log.warn?.(`key ${TEST_API_KEY} and again:${TEST_API_KEY}.`);
    expect(calls).toEqual([["warn", ["[nectar] key [redacted] and again:[redacted]."]]]);
  });

  test("removes the key from nested details, passed as one plain object", () => {
    const { logger, calls } = recordingLogger();
    const log = createLog(logger, "debug", mask);
    const details = {
      headers: { "x-forwarded-key": TEST_API_KEY },
      list: [`Bearer ${TEST_API_KEY}`],
      count: 2,
    };
    log.debug?.("request", details);
    expect(calls).toEqual([
      [
        "debug",
        [
          "[nectar] request",
          {
            headers: { "x-forwarded-key": "[redacted]" },
            list: ["Bearer [redacted]"],
            count: 2,
          },
        ],
      ],
    ]);
    // The caller's object is left as it was: the logger gets a copy.
    expect(details.headers["x-forwarded-key"]).toBe(TEST_API_KEY);
  });

  test("passes a line without details as a single argument", () => {
    const { logger, calls } = recordingLogger();
    createLog(logger, "info", mask).info?.("attempt 1 of 3");
    expect(calls[0]?.[1]).toHaveLength(1);
  });
});

describe("the client's log", () => {
  /** 503, then 200: one retry, so every kind of line the transport writes. */
  const flaky = () => {
    let calls = 0;
    return () => (++calls === 1 ? json(503, { detail: "busy" }) : json(200, connections.seed()));
  };

  test("writes nothing at off, even around a retry", async () => {
    const { logger, calls } = recordingLogger();
    const { client } = createObservedClient(flaky(), { logLevel: "off", logger });
    await client.connections.retrieve(ID);
    expect(calls).toEqual([]);
  });

  test("writes no attempt lines at the default level, warn", async () => {
    const { logger, calls } = recordingLogger();
    const { client } = createObservedClient(flaky(), { logger, logLevel: undefined as never });
    await client.connections.retrieve(ID);
    expect(calls).toEqual([]);
  });

  test("writes attempt and retry lines at info, and no headers", async () => {
    const { client, logs } = createObservedClient(flaky(), { logLevel: "info" });
    await client.connections.retrieve(ID);
    expect(logs.map((line) => [line.level, line.message])).toEqual([
      ["info", `[nectar] GET /connection/${ID}: attempt 1 of 3`],
      [
        "info",
        expect.stringMatching(
          /^\[nectar\] GET \/connection\/.+: attempt 1 answered 503; retrying in \d+ ms$/,
        ),
      ],
      ["info", `[nectar] GET /connection/${ID}: attempt 2 of 3`],
    ]);
  });

  test("writes request and response headers at debug, with the key redacted", async () => {
    const { client, logs } = createObservedClient(flaky());
    await client.connections.retrieve(ID);
    const debug = logs.filter((line) => line.level === "debug");
    expect(debug.map((line) => line.message)).toEqual([
      `[nectar] GET /connection/${ID}: request headers`,
      `[nectar] GET /connection/${ID}: request headers`,
      `[nectar] GET /connection/${ID}: answered 200`,
    ]);
    expect(debug[0]?.details).toEqual([
      {
        headers: {
          "x-api-key": "[redacted]",
          accept: "application/json",
          "user-agent": "nectar-climate-connection/0.1.0",
        },
      },
    ]);
    expect(JSON.stringify(logs)).not.toContain(TEST_API_KEY);
  });
});
