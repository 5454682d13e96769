/**
 * `NO_PROXY` and the proxy variables, read as undici reads them. Each row of the table is sent
 * through undici's own `EnvHttpProxyAgent` (a direct connection is caught by a stub connector,
 * a proxied one reaches a local proxy that refuses it): `proxyFor` must decide as undici did.
 */
import { EnvHttpProxyAgent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeProxy, proxiesFromEnv, proxyFor, redactProxyUrl } from "../src/core/proxy-env.js";
import { startConnectProxy, type TestProxy } from "./helpers/connect-proxy.js";
import { TEST_PROXY_PASSWORD } from "./helpers/fixtures.js";

/** [target, NO_PROXY, expected: does undici send it through the proxy?] */
const TABLE: readonly (readonly [string, string, boolean])[] = [
  ["https://api.example.com/v2.2", "", true],
  ["https://api.example.com/v2.2", "*", false],
  ["https://api.example.com/v2.2", "api.example.com", false],
  ["https://api.example.com/v2.2", "example.com", true],
  ["https://api.example.com/v2.2", ".example.com", false],
  ["https://api.example.com/v2.2", "*.example.com", false],
  ["https://example.com/", ".example.com", true],
  ["https://a.b.example.com/", ".example.com", false],
  ["https://notexample.com/", ".example.com", true],
  ["https://notexample.com/", "*example.com", false],
  ["https://api.example.com:8443/", "api.example.com:8443", false],
  ["https://api.example.com:8443/", "api.example.com:443", true],
  ["https://api.example.com/", "api.example.com:443", false],
  ["http://api.example.com/", "api.example.com:443", true],
  ["http://api.example.com/", "api.example.com:80", false],
  ["https://API.Example.COM/", "api.example.com", false],
  ["https://api.example.com/", "API.EXAMPLE.COM", false],
  ["https://127.0.0.1:8443/", "", true],
  ["https://127.0.0.1:8443/", "127.0.0.1", false],
  ["https://localhost:8080/", "localhost", false],
  ["https://[::1]:8443/", "[::1]", false],
  ["https://[::1]:8443/", "::1", true],
  ["https://[::1]:8443/", "[::1]:8443", false],
  ["https://api.example.com/", "other.com, api.example.com", false],
  ["https://api.example.com/", "other.com api.example.com", false],
  ["https://api.example.com/", "*,other.com", false],
  ["https://10.1.2.3/", "10.0.0.0/8", true],
  ["https://api.example.com/", ",,", true],
];

let proxy: TestProxy;
beforeAll(async () => {
  // Refuses every tunnel: a proxied request ends there, without any lookup of the target.
  proxy = await startConnectProxy({ refuseWith: 502 });
});
afterAll(() => proxy.close());

/** Sends `target` through undici's agent; true when it went to the proxy. */
async function undiciProxies(target: string, noProxy: string): Promise<boolean> {
  const direct: string[] = [];
  const before = proxy.targets.length;
  const agent = new EnvHttpProxyAgent({
    httpProxy: proxy.url,
    httpsProxy: proxy.url,
    noProxy,
    connect: (options: { hostname: string }, callback: (error: Error, socket: null) => void) => {
      direct.push(options.hostname);
      callback(new Error("direct connection stubbed"), null);
    },
  });
  await fetch(target, { dispatcher: agent }).then(
    () => undefined,
    () => undefined,
  );
  await agent.close().catch(() => undefined);
  const proxied = proxy.targets.length > before;
  expect(proxied !== direct.length > 0, `exactly one route for ${target}`).toBe(true);
  return proxied;
}

describe("NO_PROXY follows undici's rules", () => {
  it.each(TABLE)("%s with NO_PROXY=%j: proxied %s", async (target, noProxy, expected) => {
    const env = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: noProxy };
    expect(await undiciProxies(target, noProxy)).toBe(expected);
    expect(proxyFor(target, env) !== undefined).toBe(expected);
  });
});

describe("the proxy variables", () => {
  it("reads the lower-case form first, an empty one meaning none, as undici", () => {
    expect(
      proxiesFromEnv({ https_proxy: "http://a:1", HTTPS_PROXY: "http://b:2" }).httpsProxy,
    ).toBe("http://a:1");
    expect(proxiesFromEnv({ https_proxy: "", HTTPS_PROXY: "http://b:2" }).httpsProxy).toBe("");
    expect(proxiesFromEnv({ no_proxy: "a", NO_PROXY: "b" }).noProxy).toBe("a");
  });

  it("falls back from https to the http proxy, and from HTTP_PROXY to ALL_PROXY", () => {
    const found = proxiesFromEnv({ ALL_PROXY: "http://all:3128" });
    expect(found).toMatchObject({ httpProxy: "http://all:3128", httpsProxy: "http://all:3128" });
    expect(found.sources).toEqual({ http: "ALL_PROXY", https: "ALL_PROXY" });
    expect(proxiesFromEnv({ HTTP_PROXY: "http://h:1", ALL_PROXY: "http://all:2" }).httpProxy).toBe(
      "http://h:1",
    );
    expect(proxiesFromEnv({}).httpsProxy).toBe("");
  });

  it("describes the settings in effect with credentials redacted", () => {
    const lines = describeProxy({
      HTTPS_PROXY: `http://user:${TEST_PROXY_PASSWORD}@proxy.corp:3128`,
      NO_PROXY: "localhost",
    });
    expect(lines).toEqual([
      "https: http://***:***@proxy.corp:3128 (from HTTPS_PROXY)",
      "http: none",
      "no proxy for: localhost (from NO_PROXY)",
      "https://external.nectarclimate.com/v2.2: through http://***:***@proxy.corp:3128",
    ]);
    expect(describeProxy({}, "https://api.example.com")).toEqual([
      "https: none",
      "http: none",
      "no proxy for: -",
      "https://api.example.com: direct",
    ]);
    expect(redactProxyUrl("not a url")).toBe("(not a URL)");
    expect(redactProxyUrl("http://user@proxy:1")).toBe("http://***@proxy:1");
  });
});
