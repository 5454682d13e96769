/**
 * Mutation tests of `src/core/proxy.ts`: the `proxy` option's check, the plan made from it and
 * from the environment (each bad variable named as the caller spelled it), and, over real
 * sockets, a proxy that cannot be reached (the error passed on as it is) or that refuses the
 * tunnel (a `ProxyRefusal` with its status).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { NectarInvalidInputError } from "../../src/core/errors.ts";
import {
  checkProxyOption,
  createProxyFetch,
  ProxyRefusal,
  planProxy,
} from "../../src/core/proxy.ts";

/** The message of what `call` throws. */
function messageOf(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    return (error as Error).message;
  }
  throw new Error("expected the call to throw");
}

describe("checkProxyOption (mutation)", () => {
  test("keeps false and env, and refuses a value of another type by the option's name", () => {
    expect(checkProxyOption(false, "proxy")).toBe(false);
    expect(checkProxyOption("env", "proxy")).toBe("env");
    expect(messageOf(() => checkProxyOption(42, "proxy"))).toBe(
      'proxy must be "env", a proxy URL, or false.',
    );
  });
});

describe("planProxy (mutation)", () => {
  const PROXY = "http://proxy.example:3128";

  test("no plan for no option or false, whatever the environment", () => {
    expect(planProxy(undefined, { HTTP_PROXY: PROXY })).toBeUndefined();
    expect(planProxy(false, { HTTP_PROXY: PROXY })).toBeUndefined();
    expect(planProxy("env", {})).toBeUndefined();
  });

  test("a URL plan, and an env plan holding what the variables say", () => {
    expect(planProxy(PROXY, {})).toEqual({ kind: "url", uri: PROXY });
    expect(planProxy("env", { HTTPS_PROXY: PROXY, NO_PROXY: "localhost" })).toEqual({
      kind: "env",
      httpProxy: "",
      httpsProxy: PROXY,
      noProxy: "localhost",
    });
  });

  test.each([
    [{ http_proxy: "ftp://bad.example", HTTPS_PROXY: PROXY }, "http_proxy"],
    [{ HTTP_PROXY: "ftp://bad.example", HTTPS_PROXY: PROXY }, "HTTP_PROXY"],
    [{ HTTP_PROXY: PROXY, https_proxy: "ftp://bad.example" }, "https_proxy"],
  ])("names the bad variable as it was spelled: %o", (env, name) => {
    expect(messageOf(() => planProxy("env", env))).toMatch(new RegExp(`^${name} must be`));
  });
});

describe("createProxyFetch over real sockets (mutation)", () => {
  test("a proxy that cannot be reached: undici's own error, not a refusal", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const send = createProxyFetch({ kind: "url", uri: `http://127.0.0.1:${port}` });
    const error = await send("http://example.invalid/").catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(ProxyRefusal);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe("fetch failed");
  });

  test("a proxy that refuses CONNECT: a ProxyRefusal with its status", async () => {
    const proxy = createServer();
    proxy.on("connect", (_request, socket) => {
      socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const send = createProxyFetch({ kind: "url", uri: `http://127.0.0.1:${port}` });
      const error = await send("https://example.invalid/").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProxyRefusal);
      expect(error).toMatchObject({
        status: 403,
        message: "the proxy refused the tunnel with 403",
      });
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
