/**
 * The proxy variables past the proxy-env tests: each lower-case and fallback name read alone, a
 * proxy URL checked (path, query, fragment, scheme refused; its value never shown), credentials
 * masked when only one part is set, an http target taking the http proxy, no proxy at all, and
 * `no_proxy` named as the source when it is the one set.
 */
import { describe, expect, it } from "vitest";
import { NectarInvalidInputError } from "../../src/core/errors.js";
import {
  checkProxyUrl,
  describeProxy,
  proxiesFromEnv,
  proxyFor,
  redactProxyUrl,
} from "../../src/core/proxy-env.js";

const PROXY = "http://proxy.example:3128";

describe("proxiesFromEnv", () => {
  it.each(["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"])("reads %s alone", (name) => {
    const found = proxiesFromEnv({ [name]: PROXY });
    expect(found).toMatchObject({ httpProxy: PROXY, httpsProxy: PROXY });
    expect(found.sources).toEqual({ http: name, https: name });
  });
});

describe("checkProxyUrl", () => {
  it.each([PROXY, "https://proxy.example", "http://user:pw@proxy.example:8080/"])(
    "accepts %s as it is",
    (value) => {
      expect(checkProxyUrl(value, "HTTPS_PROXY")).toBe(value);
    },
  );

  it.each([
    "proxy.example:3128",
    "http://proxy.example/path",
    "http://proxy.example/?token=s3cret",
    "http://proxy.example/#s3cret",
    "socks5://proxy.example:1080",
    "ftp://proxy.example:2121",
    "",
  ])("refuses %j without showing it", (value) => {
    expect(() => checkProxyUrl(value, "HTTPS_PROXY")).toThrow(
      new NectarInvalidInputError(
        "HTTPS_PROXY must be an http:// or https:// proxy URL such as http://proxy.example:8080 (with no path or query); its value is not shown.",
      ),
    );
  });
});

describe("redactProxyUrl", () => {
  it.each([
    ["http://proxy.example:3128", "http://proxy.example:3128"],
    ["http://:pw@proxy.example:3128", "http://:***@proxy.example:3128"],
    ["http://user@proxy.example:3128", "http://***@proxy.example:3128"],
  ])("shows %s as %s", (value, shown) => {
    expect(redactProxyUrl(value)).toBe(shown);
  });
});

describe("proxyFor", () => {
  it("sends an http target through the http proxy, not the https one", () => {
    const env = { HTTP_PROXY: PROXY, HTTPS_PROXY: "http://other.example:8080" };
    expect(proxyFor("http://api.example/v2.2", env)).toBe(PROXY);
  });

  it("is undefined when no proxy is set", () => {
    expect(proxyFor("https://api.example/v2.2", {})).toBeUndefined();
    expect(proxyFor("https://api.example/v2.2", { NO_PROXY: "*" })).toBeUndefined();
  });
});

describe("describeProxy", () => {
  it("names no_proxy as the source when the lower-case variable is set", () => {
    const lines = describeProxy({ no_proxy: "internal.example" }, "https://api.example");
    expect(lines).toContain("no proxy for: internal.example (from no_proxy)");
  });
});
