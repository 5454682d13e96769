/**
 * The checks of the caller's arguments: what passes, what is refused, and messages that say
 * what was expected without echoing a value that could be a credential.
 */
import { describe, expect, test } from "vitest";
import { NectarInvalidInputError } from "../src/core/errors.ts";
import {
  integerOption,
  oneOf,
  positiveOption,
  rejectUnknownKeys,
  requireUuid,
  secureUrl,
} from "../src/core/input.ts";
import { createNectarClient } from "../src/index.ts";
import { createObservedClient, json, rejectionOf, seedFor } from "./helpers/client.ts";
import { connections, KNOWN_SECRETS, TEST_API_KEY } from "./helpers/fixtures.ts";
import { recordForRedaction } from "./setup/redaction.ts";

const ID = connections.passwordIncorrect().id;
const EXAMPLE = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

/** The message of the NectarInvalidInputError a call throws (recorded for the redaction check). */
function messageOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    recordForRedaction(error);
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    return (error as Error).message;
  }
  throw new Error("expected the call to throw");
}

describe("requireUuid", () => {
  test("returns a UUID in lower case, as Nectar's routes match", () => {
    expect(requireUuid(ID, "connectionId")).toBe(ID);
    expect(requireUuid(ID.toUpperCase(), "connectionId")).toBe(ID);
    expect(requireUuid("00000000-0000-0000-0000-000000000000", "connectionId")).toBe(
      "00000000-0000-0000-0000-000000000000",
    );
  });

  test.each([
    ["one character short", ID.slice(0, -1)],
    ["wrapped in braces", `{${ID}}`],
    ["with surrounding spaces", ` ${ID} `],
    ["without dashes", ID.replaceAll("-", "")],
    ["with a non-hex digit", `g${ID.slice(1)}`],
    ["followed by a path", `${ID}/accounts`],
    ["followed by a newline", `${ID}\n`],
  ])("refuses a UUID %s", (_what, value) => {
    expect(() => requireUuid(value, "connectionId")).toThrow(NectarInvalidInputError);
  });

  test("names the argument and the expected form, and describes the value without quoting it", () => {
    const almost = ID.slice(0, -1);
    const message = messageOf(() => requireUuid(almost, "connectionId"));
    expect(message).toBe(
      `connectionId must be a UUID such as ${EXAMPLE}, got a string of 35 characters (not shown).`,
    );
    expect(message).not.toContain(almost);
  });

  test.each([
    [undefined, "undefined"],
    [null, "null"],
    [42, "42"],
    [true, "true"],
    ["", "an empty string"],
    ["x", "a string of 1 character (not shown)"],
    [{ id: ID }, "a value of type object"],
    [[ID], "a value of type object"],
    [Symbol("id"), "a value of type symbol"],
  ])("describes %o as %s", (value, shown) => {
    expect(messageOf(() => requireUuid(value, "connectionId"))).toMatch(
      new RegExp(`, got ${shown.replace(/[()]/g, "\\$&")}\\.$`),
    );
  });

  test("never quotes even a short word, since an id may be anything the caller had at hand", () => {
    expect(messageOf(() => requireUuid("pending", "connectionId"))).not.toContain("pending");
  });

  test.each([
    ["the API key", TEST_API_KEY],
    ...KNOWN_SECRETS.filter((secret) => secret !== TEST_API_KEY).map(
      (secret, index) => [`magic-link secret ${index + 1}`, secret] as [string, string],
    ),
  ])("shows no part of %s passed as the id", (_what, secret) => {
    const message = messageOf(() => requireUuid(secret, "connectionId"));
    for (let start = 0; start + 8 <= secret.length; start++) {
      const piece = secret.slice(start, start + 8);
      if (!EXAMPLE.includes(piece)) expect(message).not.toContain(piece);
    }
  });
});

describe("rejectUnknownKeys", () => {
  const known = new Set(["signal", "timeoutMs", "maxRetries"]);

  test("accepts known keys and an empty object", () => {
    expect(() =>
      rejectUnknownKeys({ timeoutMs: 1, signal: undefined }, known, "request"),
    ).not.toThrow();
    expect(() => rejectUnknownKeys({}, known, "request")).not.toThrow();
  });

  test("names a misspelled key and lists the expected ones", () => {
    expect(messageOf(() => rejectUnknownKeys({ timeout: 1 }, known, "request"))).toBe(
      'Unknown request option "timeout"; expected one of signal, timeoutMs, maxRetries.',
    );
  });

  test("describes a key that does not look like an option name instead of quoting it", () => {
    const message = messageOf(() => rejectUnknownKeys({ [TEST_API_KEY]: true }, known, "client"));
    expect(message).toBe(
      `Unknown client option a string of ${TEST_API_KEY.length} characters (not shown); expected one of signal, timeoutMs, maxRetries.`,
    );
  });
});

describe("integerOption and positiveOption", () => {
  test("return the default for undefined and the value when it fits", () => {
    expect(integerOption(undefined, "maxRetries", 0, 2)).toBe(2);
    expect(integerOption(0, "maxRetries", 0, 2)).toBe(0);
    expect(integerOption(7, "maxConcurrency", 1, 10)).toBe(7);
    expect(positiveOption(undefined, "timeoutMs", 30_000)).toBe(30_000);
    expect(positiveOption(0.5, "timeoutMs", 30_000)).toBe(0.5);
  });

  test.each([
    [-1, "got -1."],
    [1.5, "got 1.5."],
    [Number.NaN, "got NaN."],
    [Number.MAX_SAFE_INTEGER + 1, `got ${Number.MAX_SAFE_INTEGER + 1}.`],
    ["3", "got a string of 1 character (not shown)."],
    [null, "got null."],
  ])("integerOption refuses %o and says what it got", (value, ending) => {
    expect(messageOf(() => integerOption(value, "maxRetries", 0, 2))).toBe(
      `maxRetries must be a whole number of at least 0, ${ending}`,
    );
  });

  test("integerOption refuses a value under its minimum", () => {
    expect(messageOf(() => integerOption(0, "maxConcurrency", 1, 10))).toBe(
      "maxConcurrency must be a whole number of at least 1, got 0.",
    );
  });

  test.each([0, -5, Number.POSITIVE_INFINITY, Number.NaN, "100", null])(
    "positiveOption refuses %o",
    (value) => {
      expect(messageOf(() => positiveOption(value, "timeoutMs", 30_000))).toMatch(
        /^timeoutMs must be a positive number, got .+\.$/,
      );
    },
  );
});

describe("oneOf", () => {
  const levels = ["off", "error", "warn", "info", "debug"] as const;

  test("returns the default for undefined and a listed value as it is", () => {
    expect(oneOf(undefined, "logLevel", levels, "warn")).toBe("warn");
    expect(oneOf("debug", "logLevel", levels, "warn")).toBe("debug");
  });

  test("quotes a short wrong word and lists the allowed ones", () => {
    expect(messageOf(() => oneOf("verbose", "logLevel", levels, "warn"))).toBe(
      'logLevel must be one of off, error, warn, info, debug, got "verbose".',
    );
  });

  test("is case-sensitive", () => {
    expect(() => oneOf("DEBUG", "logLevel", levels, "warn")).toThrow(NectarInvalidInputError);
  });

  test("does not quote a long value", () => {
    const message = messageOf(() => oneOf(TEST_API_KEY, "logLevel", levels, "warn"));
    expect(message).toMatch(/got a string of 40 characters \(not shown\)\.$/);
  });
});

describe("secureUrl", () => {
  test.each([
    ["https://external.nectarclimate.com/v2.2", "https://external.nectarclimate.com/v2.2"],
    ["https://external.nectarclimate.com/v2.2/", "https://external.nectarclimate.com/v2.2"],
    ["https://EXTERNAL.nectarclimate.com", "https://external.nectarclimate.com"],
    ["http://localhost:4010/v2.2", "http://localhost:4010/v2.2"],
    ["http://127.0.0.1:4010", "http://127.0.0.1:4010"],
    ["http://127.255.0.9", "http://127.255.0.9"],
    ["http://[::1]:4010/", "http://[::1]:4010"],
  ])("accepts %s as %s", (value, expected) => {
    expect(secureUrl(value, "baseUrl")).toBe(expected);
  });

  test.each([
    ["http://external.nectarclimate.com/v2.2", "got http://external.nectarclimate.com."],
    ["http://localhost.example.com", "got http://localhost.example.com."],
    ["http://10.0.0.1", "got http://10.0.0.1."],
    ["ws://localhost", "got a URL of another scheme."],
    ["file:///etc/passwd", "got a URL of another scheme."],
  ])("refuses %s, naming only its scheme and host", (value, ending) => {
    expect(messageOf(() => secureUrl(value, "baseUrl"))).toBe(
      `baseUrl must use https (http is allowed only for localhost), ${ending}`,
    );
  });

  test("refuses credentials, a query or a fragment without quoting the URL", () => {
    for (const value of [
      `https://user:${TEST_API_KEY}@external.nectarclimate.com`,
      `http://user:${TEST_API_KEY}@external.nectarclimate.com`,
      `https://external.nectarclimate.com/v2.2?api_key=${TEST_API_KEY}`,
      `https://external.nectarclimate.com/v2.2#${TEST_API_KEY}`,
    ]) {
      expect(messageOf(() => secureUrl(value, "baseUrl"))).toBe(
        "baseUrl must not carry a query, fragment or credentials.",
      );
    }
  });

  test("refuses a value that is not an absolute URL, describing it", () => {
    expect(messageOf(() => secureUrl("external.nectarclimate.com", "baseUrl"))).toBe(
      "baseUrl must be an absolute URL, got a string of 26 characters (not shown).",
    );
    expect(messageOf(() => secureUrl(TEST_API_KEY, "baseUrl"))).not.toContain(
      TEST_API_KEY.slice(0, 8),
    );
    expect(messageOf(() => secureUrl(42, "baseUrl"))).toBe(
      "baseUrl must be an absolute URL, got 42.",
    );
  });
});

describe("through the public API", () => {
  test("createNectarClient refuses a misspelled option before anything else", () => {
    expect(
      messageOf(() => createNectarClient({ apiKey: TEST_API_KEY, timeout: 5 } as never)),
    ).toMatch(
      /^Unknown client option "timeout"; expected one of apiKey, baseUrl, fetch, proxy, timeoutMs,/,
    );
  });

  test("createNectarClient refuses bad numbers and levels with the value shown", () => {
    const key = { apiKey: TEST_API_KEY };
    expect(messageOf(() => createNectarClient({ ...key, timeoutMs: -1 }))).toBe(
      "timeoutMs must be a positive number, got -1.",
    );
    expect(messageOf(() => createNectarClient({ ...key, maxConcurrency: 0 }))).toBe(
      "maxConcurrency must be a whole number of at least 1, got 0.",
    );
    expect(messageOf(() => createNectarClient({ ...key, logLevel: "trace" as never }))).toBe(
      'logLevel must be one of off, error, warn, info, debug, got "trace".',
    );
    expect(
      messageOf(() => createNectarClient({ ...key, baseUrl: "http://external.nectarclimate.com" })),
    ).toBe(
      "baseUrl must use https (http is allowed only for localhost), got http://external.nectarclimate.com.",
    );
  });

  test("retrieve refuses a bad id and a misspelled option before sending anything", async () => {
    const { client, requests } = createObservedClient(() => json(200, connections.seed()));
    const badId = await rejectionOf(client.connections.retrieve("not-a-uuid"));
    expect(badId).toBeInstanceOf(NectarInvalidInputError);
    expect((badId as Error).message).toBe(
      `connectionId must be a UUID such as ${EXAMPLE}, got a string of 10 characters (not shown).`,
    );
    const badOption = await rejectionOf(client.connections.retrieve(ID, { timeout: 5 } as never));
    expect((badOption as Error).message).toBe(
      'Unknown request option "timeout"; expected one of signal, timeoutMs, maxRetries, maxResponseBytes.',
    );
    const badTimeout = await rejectionOf(client.connections.retrieve(ID, { timeoutMs: 0 }));
    expect((badTimeout as Error).message).toBe("timeoutMs must be a positive number, got 0.");
    expect(requests).toEqual([]);
  });

  test("retrieve sends an upper-case id in lower case", async () => {
    const { client, requests } = createObservedClient((request) => json(200, seedFor(request)));
    await client.connections.retrieve(ID.toUpperCase());
    expect(requests[0]?.url).toBe(`https://external.nectarclimate.com/v2.2/connection/${ID}`);
  });
});
