/**
 * `nectar-connection doctor`: `main` in-process against the mock and against servers on
 * 127.0.0.1 that refuse the key, are gone, or keep a clock an hour away; the key (and any
 * proxy password) never printed, exit codes 0, 3, 4.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { clockSkewOf } from "../src/cli/doctor-report.js";
import { proxySettingsOf } from "../src/cli/proxy-env.js";
import { VERSION } from "../src/core/constants.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { runCli as cli } from "./helpers/cli.js";
import { TEST_API_KEY } from "./helpers/fixtures.js";

let mock: MockServer;
let against: string[];
beforeAll(async () => {
  mock = await startMockServer({ apiKey: TEST_API_KEY });
  against = ["--base-url", mock.url, "--api-key", TEST_API_KEY];
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

/** Neither the key nor its last four characters appear in `text`. */
function expectNoKey(text: string, key = TEST_API_KEY): void {
  expect(text).not.toContain(key);
  expect(text).not.toContain(key.slice(-4));
}

describe("doctor", () => {
  it("reports an accepted key, the base URL and its source, versions, clock, proxy, latency", async () => {
    const run = await cli(["doctor", ...against]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("API key:   accepted (from --api-key; the key is never shown)");
    expect(lines[1]).toBe(`Base URL:  ${mock.url} (from --base-url)`);
    expect(lines[2]).toBe(
      `Versions:  nectar-climate-connection ${VERSION}, Node ${process.versions.node}, ${process.platform} ${process.arch}`,
    );
    expect(lines[3]).toMatch(/^Clock: {5}this machine is .* \(±0\.5 s, from the Date header\)$/);
    expect(lines[4]).toBe("Proxy:     none set in the environment");
    expect(lines[5]).toMatch(/^Latency: {3}\d+ ms \(one GET \/ping, no retry\)$/);
    expect(lines).toHaveLength(6);
    expect(mock.stats.log.map((entry) => entry.path)).toEqual(["/v2.2/ping"]);
    expectNoKey(run.stdout);
  });

  it("names NECTAR_API_KEY and NECTAR_BASE_URL as the sources when they are used", async () => {
    const run = await cli(["doctor", "--json"], {
      env: { NECTAR_API_KEY: TEST_API_KEY, NECTAR_BASE_URL: mock.url },
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      accepted: true,
      keySource: "NECTAR_API_KEY",
      baseUrl: mock.url,
      baseUrlSource: "NECTAR_BASE_URL",
      versions: { package: VERSION, node: process.versions.node },
      proxy: [],
      problem: null,
      exitCode: 0,
    });
    expect(typeof report.latencyMs).toBe("number");
    expectNoKey(run.stdout);
  });

  it("a refused key: 'refused', Nectar's words, exit 3, the key never shown", async () => {
    const wrong = "nk_test_wrongwrongwrongwrong9876";
    const run = await cli(["doctor", "--base-url", mock.url, "--api-key", wrong]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain("API key:   refused (from --api-key; the key is never shown)");
    expect(run.stdout).toMatch(/Problem: {3}GET \/ping failed with status 401/);
    expect(run.stdout).toMatch(/Clock: {5}this machine is/); // the 401 had a Date too
    expectNoKey(`${run.stdout}${run.stderr}`, wrong);
  });

  it("no answer: 'not checked', no latency nor clock, exit 4", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const run = await cli([
      "doctor",
      "--base-url",
      `http://127.0.0.1:${port}/v2.2`,
      "--api-key",
      TEST_API_KEY,
    ]);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("API key:   not checked");
    expect(run.stdout).toContain("Clock:     unknown (no answer with a Date header)");
    expect(run.stdout).toContain("Latency:   unknown (no answer)");
    expect(run.stdout).toMatch(/Problem: {3}GET \/ping failed/);
    expectNoKey(run.stdout);
  });

  it("measures the skew against the server's Date: an hour ahead here is flagged for webhooks", async () => {
    const run = await cli(["doctor", "--json", ...against], { now: () => Date.now() + 3_600_000 });
    expect(run.code).toBe(0);
    const { clockSkewSeconds } = JSON.parse(run.stdout) as { clockSkewSeconds: number };
    expect(clockSkewSeconds).toBeLessThan(-3_595);
    expect(clockSkewSeconds).toBeGreaterThan(-3_605);
    const text = await cli(["doctor", ...against], { now: () => Date.now() + 3_600_000 });
    expect(text.stdout).toMatch(/this machine is 3[56]\d\d(\.\d)? s ahead of Nectar's clock/);
    expect(text.stdout).toContain("webhook signatures allow 5 minutes: fix the clock");
  });

  it("shows the proxy variables with their credentials redacted, and the route its requests take", async () => {
    const env = {
      HTTPS_PROXY: "http://alice:s3cretPassw0rd@proxy.example:3128/?token=t0kenValue",
      http_proxy: "proxy.example:8080",
      NO_PROXY: "localhost,.internal,127.0.0.1",
      ALL_PROXY: "::not a url::",
    };
    const run = await cli(["doctor", ...against], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("HTTPS_PROXY=http://[redacted]@proxy.example:3128");
    expect(run.stdout).toContain("http_proxy=http://proxy.example:8080");
    expect(run.stdout).toContain("NO_PROXY=localhost,.internal,127.0.0.1");
    expect(run.stdout).toContain("ALL_PROXY=(set, but not a URL: not shown)");
    expect(run.stdout).toContain("requests to the base URL go direct"); // NO_PROXY names it
    for (const secret of ["alice", "s3cretPassw0rd", "t0kenValue", "not a url"]) {
      expect(run.stdout).not.toContain(secret);
    }
  });

  it("names the proxy its requests go through, credentials redacted (the client's own rule)", async () => {
    // The mock here is an http:// base URL: HTTP_PROXY is its variable.
    const proxied = { HTTP_PROXY: "http://alice:s3cretPassw0rd@proxy.example:3128" };
    const report = await cli(["doctor", "--json", ...against], { env: proxied });
    expect(JSON.parse(report.stdout).proxyRoute).toBe("http://***:***@proxy.example:3128");
    expect(report.stdout).not.toContain("s3cretPassw0rd");
    const direct = await cli(["doctor", "--json", ...against], {
      env: { ...proxied, NO_PROXY: "*" },
    });
    expect(JSON.parse(direct.stdout).proxyRoute).toBeNull();
    const viaMock = await cli(["doctor", "--mock", "--json"], { env: proxied });
    expect(JSON.parse(viaMock.stdout).proxyRoute).toBeNull(); // the embedded mock: never proxied
  });

  it("takes no arguments", async () => {
    const run = await cli(["doctor", "extra", ...against]);
    expect(run.code).toBe(2);
    expect(mock.stats.requests).toBe(0);
  });

  it("works against the embedded mock", async () => {
    const run = await cli(["doctor", "--mock"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("API key:   accepted (from the mock's own key");
    expect(run.stdout).toContain("(from the embedded mock)");
  });
});

describe("doctor's parts", () => {
  it("reads the skew from the middle of the Date's second and of the request", () => {
    const date = "Thu, 01 Jan 2026 00:00:10 GMT";
    const at = Date.parse("2026-01-01T00:00:00Z");
    expect(clockSkewOf(date, at, at + 1_000)).toBe(10);
    expect(clockSkewOf(date, at + 20_000, at + 20_000)).toBe(-9.5);
    expect(clockSkewOf("not a date", at, at)).toBeNull();
    expect(clockSkewOf(null, at, at)).toBeNull();
  });

  it("lists only the proxy variables that are set and not empty, in a fixed order", () => {
    expect(proxySettingsOf({})).toEqual([]);
    expect(
      proxySettingsOf({ no_proxy: "*", HTTP_PROXY: "", HTTPS_PROXY: "https://p.example" }),
    ).toEqual([
      { name: "HTTPS_PROXY", value: "https://p.example" },
      { name: "no_proxy", value: "*" },
    ]);
  });
});
