/**
 * The browser guard of `createNectarClient`: with a fake `window`, `document` and `navigator` on
 * `globalThis` (what a browser has), the client refuses with a `NectarInvalidInputError` that
 * says why, unless `dangerouslyAllowBrowser: true`; without them (Node) it needs no flag. The
 * same guard in a real browser is proven in `test/browser.test.ts` (Chromium).
 */
import { afterEach, describe, expect, test } from "vitest";
import {
  createNectarClient,
  type NectarClientOptions,
  NectarInvalidInputError,
} from "../src/index.js";
import { TEST_API_KEY } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

const GLOBALS = ["window", "document", "navigator"] as const;
const saved = new Map(
  GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)]),
);

/** Makes `globalThis` look like a browser page's global scope. */
function pretendBrowser(): void {
  const document = { title: "a page" };
  Object.defineProperty(globalThis, "document", { value: document, configurable: true });
  Object.defineProperty(globalThis, "window", { value: { document }, configurable: true });
  Object.defineProperty(globalThis, "navigator", {
    value: { userAgent: "Mozilla/5.0 (fake)" },
    configurable: true,
  });
}

afterEach(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor === undefined) Reflect.deleteProperty(globalThis, name);
    else Object.defineProperty(globalThis, name, descriptor);
  }
});

/** What `createNectarClient(options)` threw, or undefined. */
function thrownBy(options: NectarClientOptions): unknown {
  try {
    createNectarClient(options);
    return undefined;
  } catch (error) {
    recordForRedaction(error);
    return error;
  }
}

describe("in a browser-like environment", () => {
  test("refuses without dangerouslyAllowBrowser, saying the key is a server secret", () => {
    pretendBrowser();
    const error = thrownBy({ apiKey: TEST_API_KEY });
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(String((error as Error).message)).toMatch(/browser-like environment/);
    expect(String((error as Error).message)).toMatch(/server secret/);
    expect(String((error as Error).message)).toMatch(/dangerouslyAllowBrowser: true/);
  });

  test("refuses with dangerouslyAllowBrowser: false", () => {
    pretendBrowser();
    const error = thrownBy({ apiKey: TEST_API_KEY, dangerouslyAllowBrowser: false });
    expect(error).toBeInstanceOf(NectarInvalidInputError);
  });

  test("refuses before looking at the key: no key, still the browser message", () => {
    pretendBrowser();
    const error = thrownBy({ apiKey: "" });
    expect(String((error as Error).message)).toMatch(/browser-like environment/);
  });

  test("checks the key's type first, as every option's: a number is bad input, not a browser", () => {
    pretendBrowser();
    const error = thrownBy({ apiKey: 42 as unknown as string });
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(String((error as Error).message)).toMatch(/^apiKey must be a string an HTTP header/);
  });

  test("creates the client with dangerouslyAllowBrowser: true", () => {
    pretendBrowser();
    const client = createNectarClient({ apiKey: TEST_API_KEY, dangerouslyAllowBrowser: true });
    expect(client.baseUrl).toBe("https://external.nectarclimate.com/v2.2");
  });

  test("a global navigator alone (Node 21+, Deno, Bun) is not a browser", () => {
    Object.defineProperty(globalThis, "navigator", {
      value: { userAgent: "Node.js/22", hardwareConcurrency: 2 },
      configurable: true,
    });
    expect(thrownBy({ apiKey: TEST_API_KEY })).toBeUndefined();
  });

  test("a navigator and a document without a window is not a browser either", () => {
    Object.defineProperty(globalThis, "navigator", { value: {}, configurable: true });
    Object.defineProperty(globalThis, "document", { value: {}, configurable: true });
    expect(thrownBy({ apiKey: TEST_API_KEY })).toBeUndefined();
  });

  test("a window without a document (a worker polyfill) is not a browser", () => {
    Object.defineProperty(globalThis, "window", { value: {}, configurable: true });
    expect(thrownBy({ apiKey: TEST_API_KEY })).toBeUndefined();
  });
});

describe("outside a browser", () => {
  test("needs no flag, and accepts it", () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe("undefined");
    expect(thrownBy({ apiKey: TEST_API_KEY })).toBeUndefined();
    expect(thrownBy({ apiKey: TEST_API_KEY, dangerouslyAllowBrowser: true })).toBeUndefined();
  });

  test("a non-boolean dangerouslyAllowBrowser is bad input", () => {
    const options = { apiKey: TEST_API_KEY, dangerouslyAllowBrowser: "yes" } as unknown;
    const error = thrownBy(options as NectarClientOptions);
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(String((error as Error).message)).toBe(
      "dangerouslyAllowBrowser must be true or false, got a string (not shown).",
    );
  });
});
