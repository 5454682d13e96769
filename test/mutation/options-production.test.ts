/**
 * The options issue 20 added to `createNectarClient`, checked at creation (what mutation testing
 * of `core/options.ts` found unpinned): `hooks` refused unless an object of known hook functions,
 * `proxy` with a custom `fetch` refused, `NECTAR_LOG` read and refused by name, and the proxy
 * variables read in both cases (a bad one is named at creation, its value never shown).
 */
import { afterEach, describe, expect, test } from "vitest";
import { createNectarClient } from "../../src/index.ts";
import { TEST_API_KEY } from "../helpers/fixtures.ts";
import { refused } from "../helpers/refused.js";

const apiKey = TEST_API_KEY;
const HOOKS_MESSAGE =
  "hooks must be an object whose keys are onRequest, onResponse, onRetry, onError, each a function.";

const saved = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

describe("hooks", () => {
  test.each([
    ["an array", []],
    ["null", null],
    ["a function", () => undefined],
    ["an unknown key", { onSend: () => undefined }],
    ["a hook that is not a function", { onRequest: "log" }],
    ["one good and one bad hook", { onRequest: () => undefined, onError: 1 }],
  ])("refuses %s, naming every hook", (_label, hooks) => {
    const error = refused(() => createNectarClient({ apiKey, hooks: hooks as never }));
    expect(error.message).toBe(HOOKS_MESSAGE);
  });

  test("accepts known hooks, each a function or undefined", () => {
    const hooks = { onRequest: () => undefined, onResponse: undefined, onRetry: () => undefined };
    expect(() => createNectarClient({ apiKey, hooks })).not.toThrow();
    expect(() => createNectarClient({ apiKey, hooks: {} })).not.toThrow();
  });
});

describe("proxy and fetch", () => {
  test.each(["env", "http://proxy.example:3128"])(
    "refuses proxy %s with a custom fetch",
    (proxy) => {
      const error = refused(() => createNectarClient({ apiKey, proxy, fetch: globalThis.fetch }));
      expect(error.message).toMatch(/^proxy and fetch cannot be used together/);
    },
  );

  test("accepts a custom fetch with the proxy off or unset", () => {
    expect(() => createNectarClient({ apiKey, fetch: globalThis.fetch })).not.toThrow();
    expect(() =>
      createNectarClient({ apiKey, fetch: globalThis.fetch, proxy: false }),
    ).not.toThrow();
  });
});

describe("NECTAR_LOG", () => {
  test("a value that is not a level is refused by name", () => {
    process.env.NECTAR_LOG = "verbose";
    const error = refused(() => createNectarClient({ apiKey }));
    expect(error.message).toBe("NECTAR_LOG must be one of off, error, warn, info, debug.");
  });

  test.each(["", "debug", "off"])("%j is accepted", (value) => {
    process.env.NECTAR_LOG = value;
    expect(() => createNectarClient({ apiKey })).not.toThrow();
  });
});

describe("the proxy variables, read in both cases", () => {
  test.each(["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"])(
    "a bad %s is named at creation with proxy: 'env', its value not shown",
    (name) => {
      for (const other of [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
      ])
        delete process.env[other];
      process.env[name] = "ftp://user:s3cret@proxy.example/path";
      const error = refused(() => createNectarClient({ apiKey, proxy: "env" }));
      expect(error.message).toMatch(
        new RegExp(`^${name} must be an http:// or https:// proxy URL`),
      );
      expect(error.message).not.toContain("s3cret");
      expect(() => createNectarClient({ apiKey })).not.toThrow(); // the proxy is off by default
    },
  );
});
