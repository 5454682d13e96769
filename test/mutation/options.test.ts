/**
 * The client's and the calls' options (`src/core/options.ts`), the behaviours mutation testing
 * found unpinned: each option given at creation or per call is kept (not the default, not the
 * client's), an empty API key is "required", the exact texts of the apiKey, userAgent and
 * logger refusals, a logger that is `null` or a function, and a page with only part of a
 * browser's globals.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { NectarInvalidInputError } from "../../src/core/errors.js";
import type { NectarLogger } from "../../src/core/logger.js";
import {
  type ClientSettings,
  type NectarClientOptions,
  resolveCallOptions,
  resolveClientOptions,
} from "../../src/core/options.js";
import { TEST_API_KEY } from "../helpers/fixtures.js";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

/** The message of what resolving `options` threw (it must throw a NectarInvalidInputError). */
function refusal(options: NectarClientOptions): string {
  try {
    resolveClientOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    return (error as Error).message;
  }
  throw new Error("expected the options to be refused");
}

const quietLogger: NectarLogger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

describe("options given at creation", () => {
  it("are kept, none replaced by its default", () => {
    const settings = resolveClientOptions({
      apiKey: TEST_API_KEY,
      baseUrl: "https://nectar.example/v2.2",
      dashboardUrl: "https://dash.example",
      timeoutMs: 1234,
      maxRetries: 0,
      maxConcurrency: 3,
      maxResponseBytes: 4096,
      validateResponses: "warn",
      logger: quietLogger,
      logLevel: "debug",
      userAgent: "my-platform/1.4",
    });
    expect(settings).toMatchObject({
      apiKey: TEST_API_KEY,
      baseUrl: "https://nectar.example/v2.2",
      dashboardUrl: "https://dash.example",
      timeoutMs: 1234,
      maxRetries: 0,
      maxConcurrency: 3,
      maxResponseBytes: 4096,
      validation: "warn",
      logLevel: "debug",
      userAgent: "my-platform/1.4",
    });
    expect(settings.logger).toBe(quietLogger);
  });

  it("a retry count other than zero is kept too", () => {
    expect(resolveClientOptions({ apiKey: TEST_API_KEY, maxRetries: 5 }).maxRetries).toBe(5);
  });

  it("an empty userAgent appends nothing", () => {
    expect(resolveClientOptions({ apiKey: TEST_API_KEY, userAgent: "" }).userAgent).toBeUndefined();
  });
});

describe("options given per call", () => {
  const client = resolveClientOptions({
    apiKey: TEST_API_KEY,
    timeoutMs: 5000,
    maxRetries: 2,
    maxResponseBytes: 9000,
  }) satisfies ClientSettings;

  it("replace the client's, zero retries included", () => {
    const signal = new AbortController().signal;
    expect(
      resolveCallOptions({ signal, timeoutMs: 50, maxRetries: 0, maxResponseBytes: 10 }, client),
    ).toEqual({ signal, timeoutMs: 50, maxRetries: 0, maxResponseBytes: 10 });
    expect(resolveCallOptions({ maxRetries: 1 }, client).maxRetries).toBe(1);
  });

  it("fall back to the client's when left out", () => {
    expect(resolveCallOptions({}, client)).toEqual({
      signal: undefined,
      timeoutMs: 5000,
      maxRetries: 2,
      maxResponseBytes: 9000,
    });
  });
});

describe("the apiKey refusals", () => {
  it("an empty key is missing, whatever the environment", () => {
    vi.stubEnv("NECTAR_API_KEY", "");
    expect(refusal({ apiKey: "" })).toBe(
      "apiKey is required: pass it to createNectarClient or set NECTAR_API_KEY.",
    );
  });

  it("a key no header can carry is said so, without its value", () => {
    expect(refusal({ apiKey: "line\nbreak" })).toBe(
      "apiKey must be a string an HTTP header can carry: visible ASCII or Latin-1 characters, " +
        "no control characters or line breaks, no surrounding spaces (its value is not shown).",
    );
  });
});

describe("the userAgent and logger refusals", () => {
  it("a userAgent no header can carry", () => {
    expect(refusal({ apiKey: TEST_API_KEY, userAgent: "a\r\nb" })).toBe(
      "userAgent must be a single-line string an HTTP header can carry: visible ASCII or Latin-1 " +
        "characters, no control characters, no surrounding spaces (its value is not shown).",
    );
  });

  it.each([
    ["null", null],
    ["a function with the four methods", Object.assign(() => undefined, quietLogger)],
    ["an object missing debug", { ...quietLogger, debug: undefined }],
  ])("a logger that is %s", (_, logger) => {
    expect(refusal({ apiKey: TEST_API_KEY, logger: logger as unknown as NectarLogger })).toBe(
      "logger must be an object with error, warn, info and debug methods.",
    );
  });
});

describe("a page with only part of a browser's globals", () => {
  it.each([
    ["a window without a document", { window: {}, navigator: { userAgent: "x" } }],
    ["no navigator", { window: { document: {} }, navigator: undefined }],
  ])("is not a browser: %s", (_, globals) => {
    vi.stubGlobal("window", globals.window);
    vi.stubGlobal("navigator", globals.navigator);
    expect(resolveClientOptions({ apiKey: TEST_API_KEY }).apiKey).toBe(TEST_API_KEY);
  });
});
