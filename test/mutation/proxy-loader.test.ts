/**
 * Mutation tests of `src/core/proxy.ts` through the loader `createProxyFetch` takes: undici
 * missing (the typed error that says what to do), undici as named exports or as a bundle's
 * interop object (both send through the proxy, over real sockets), and undici's fetch failing
 * with errors whose causes are a cycle, deep, or only mention a proxy's refusal.
 */
import * as undici from "undici";
import { afterEach, describe, expect, test } from "vitest";
import { NectarInvalidInputError } from "../../src/core/errors.ts";
import { createProxyFetch, ProxyRefusal } from "../../src/core/proxy.ts";
import { startConnectProxy } from "../helpers/connect-proxy.ts";
import { startFetchServer } from "../helpers/fetch-server.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const PLAN = { kind: "url", uri: "http://127.0.0.1:9" } as const;

/** What a request through `load`'s undici rejects with. */
const failureOf = (load: () => Promise<unknown>) =>
  createProxyFetch(
    PLAN,
    {},
    load,
  )("http://api.example/").then(
    () => undefined,
    (error: unknown) => error,
  );

/** An undici whose fetch rejects with `error` (its agents do nothing). */
const failingUndici = (error: Error) => () =>
  Promise.resolve({
    fetch: () => Promise.reject(error),
    ProxyAgent: class {},
    EnvHttpProxyAgent: class {},
  });

/** `message` under `depth` wrapping errors, as undici wraps a refusal. */
function wrapped(message: string, depth: number): Error {
  let error = new Error(message);
  for (let level = 0; level < depth; level++)
    error = new TypeError("fetch failed", { cause: error });
  return error;
}

describe("createProxyFetch's undici (mutation)", () => {
  test("undici not installed: the request rejects with the typed error saying what to do", async () => {
    const missing = Object.assign(new Error("Cannot find package 'undici'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const failure = await failureOf(() => Promise.reject(missing));
    expect(failure).toBeInstanceOf(NectarInvalidInputError);
    expect((failure as Error).message).toBe(
      "The proxy option needs the optional dependency undici, which could not be loaded: install it (npm install undici@6) or leave the proxy off.",
    );
  });

  test.each([
    ["the named exports only", () => Promise.resolve({ ...undici, default: undefined })],
    [
      "a bundle's interop object, the module under default",
      () => Promise.resolve({ default: undici }),
    ],
  ])("%s: the request goes through the proxy", async (_shape, load) => {
    const proxy = await startConnectProxy();
    closers.push(proxy.close);
    const target = await startFetchServer(() => new Response("through"));
    closers.push(target.close);
    const send = createProxyFetch({ kind: "url", uri: proxy.url }, {}, load);
    const response = await send(`${target.url}/ping`);
    expect(await response.text()).toBe("through");
    expect(proxy.targets).toEqual([new URL(target.url).host]);
  });
});

describe("createProxyFetch's reading of undici's errors (mutation)", () => {
  test("a cycle of causes: the error passed on as it is", async () => {
    const error = new TypeError("fetch failed");
    error.cause = error;
    expect(await failureOf(failingUndici(error))).toBe(error);
  });

  test("a refusal four causes down is a ProxyRefusal; five down, the error passed on", async () => {
    const refusal = await failureOf(failingUndici(wrapped("Proxy response (403) !== 200", 4)));
    expect(refusal).toBeInstanceOf(ProxyRefusal);
    expect(refusal).toMatchObject({ status: 403 });
    const deeper = wrapped("Proxy response (403) !== 200", 5);
    expect(await failureOf(failingUndici(deeper))).toBe(deeper);
  });

  test.each([
    ["a refusal quoted inside another message", "upstream said: Proxy response (403)"],
    ["a 407 quoted inside another message", "upstream said: Proxy Authentication Required (407)"],
  ])("%s: the error passed on, not a refusal", async (_case, message) => {
    const error = wrapped(message, 1);
    expect(await failureOf(failingUndici(error))).toBe(error);
  });

  test("undici's 407 at the start of a message: a ProxyRefusal(407)", async () => {
    const refusal = await failureOf(
      failingUndici(wrapped("Proxy Authentication Required (407)", 2)),
    );
    expect(refusal).toBeInstanceOf(ProxyRefusal);
    expect(refusal).toMatchObject({ status: 407 });
  });
});
