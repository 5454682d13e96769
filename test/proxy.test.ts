/**
 * The library through a real CONNECT proxy on 127.0.0.1: what the proxy can read (an https
 * target: only the CONNECT line), refused tunnels as typed errors with a hint, credentials kept
 * out of errors, logs and inspections, one agent (a handful of tunnels) for many calls, and the
 * client's policies (redirects, size cap, timeouts, concurrency cap) unchanged through a proxy.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createProxyFetch } from "../src/core/proxy.js";
import {
  createNectarClient,
  type NectarClientOptions,
  NectarInvalidInputError,
  NectarProxyError,
  NectarRedirectError,
  NectarResponseTooLargeError,
  NectarTimeoutError,
} from "../src/index.js";
import { sendJson, startApi } from "./helpers/cli-server.js";
import { type LogLine, recordingLogger, rejectionOf, seedFor } from "./helpers/client.js";
import { startConnectProxy } from "./helpers/connect-proxy.js";
import { connections, TEST_API_KEY, TEST_PROXY_PASSWORD } from "./helpers/fixtures.js";
import { startTlsApi } from "./helpers/tls-api.js";
import { recordForRedaction } from "./setup/redaction.js";

const ID = connections.seed().id;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  vi.unstubAllEnvs();
});

/** Answers a retrieve with the seed connection for the asked id. */
function answerSeed(request: IncomingMessage, response: ServerResponse): void {
  sendJson(response, 200, seedFor({ url: `http://x${request.url}` }));
}

/** A client whose log lines are kept (and checked for secrets). */
function loggedClient(options: NectarClientOptions) {
  const logs: LogLine[] = [];
  const client = createNectarClient({
    apiKey: TEST_API_KEY,
    logLevel: "debug",
    logger: recordingLogger(logs),
    ...options,
  });
  recordForRedaction(client);
  return { client, logs };
}

async function proxy(behaviour?: Parameters<typeof startConnectProxy>[0]) {
  const started = await startConnectProxy(behaviour);
  closers.push(started.close);
  return started;
}

async function api(handler = answerSeed) {
  const started = await startApi(handler);
  closers.push(started.close);
  return started;
}

describe("the proxy option", () => {
  it("sends through the proxy given as a URL: the proxy sees one CONNECT to the API", async () => {
    const [through, target] = await Promise.all([proxy(), api()]);
    const { client } = loggedClient({ baseUrl: target.baseUrl, proxy: through.url });
    const connection = await client.connections.retrieve(ID);
    expect(connection.id).toBe(ID);
    expect(through.targets).toEqual([`127.0.0.1:${new URL(target.baseUrl).port}`]);
    expect(target.requests).toEqual([`GET /v2.2/connection/${ID}`]);
  });

  it('reads HTTP_PROXY with proxy: "env", and NO_PROXY sends the API directly', async () => {
    const [through, target] = await Promise.all([proxy(), api()]);
    vi.stubEnv("HTTP_PROXY", through.url);
    vi.stubEnv("NO_PROXY", "");
    const { client } = loggedClient({ baseUrl: target.baseUrl, proxy: "env" });
    await client.connections.retrieve(ID);
    expect(through.tunnels).toBe(1);
    vi.stubEnv("NO_PROXY", "127.0.0.1");
    const direct = loggedClient({ baseUrl: target.baseUrl, proxy: "env" }).client;
    await direct.connections.retrieve(ID);
    expect(through.tunnels).toBe(1);
    expect(target.requests).toHaveLength(2);
  });

  it("reads no_proxy in lower case too, as curl and undici do", async () => {
    const [through, target] = await Promise.all([proxy(), api()]);
    vi.stubEnv("HTTP_PROXY", through.url);
    vi.stubEnv("NO_PROXY", "");
    vi.stubEnv("no_proxy", "127.0.0.1");
    await loggedClient({ baseUrl: target.baseUrl, proxy: "env" }).client.connections.retrieve(ID);
    expect(through.tunnels).toBe(0);
    expect(target.requests).toHaveLength(1);
  });

  it("reads ALL_PROXY when no HTTP_PROXY is set", async () => {
    const [through, target] = await Promise.all([proxy(), api()]);
    vi.stubEnv("ALL_PROXY", through.url);
    const { client } = loggedClient({ baseUrl: target.baseUrl, proxy: "env" });
    await client.connections.retrieve(ID);
    expect(through.tunnels).toBe(1);
  });

  it("is off by default: HTTP_PROXY alone changes nothing for the library", async () => {
    const [through, target] = await Promise.all([proxy(), api()]);
    vi.stubEnv("HTTP_PROXY", through.url);
    await loggedClient({ baseUrl: target.baseUrl }).client.connections.retrieve(ID);
    expect(through.targets).toEqual([]);
    expect(target.requests).toHaveLength(1);
  });

  it("refuses bad values before anything is sent, without quoting them", () => {
    const bad: unknown[] = [
      42,
      true,
      "",
      "proxy.corp:3128",
      `ftp://u:${TEST_PROXY_PASSWORD}@h`,
      `http://u:${TEST_PROXY_PASSWORD}@h/path`,
    ];
    for (const value of bad) {
      const error = (() => {
        try {
          createNectarClient({ apiKey: TEST_API_KEY, proxy: value as string });
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error, String(value)).toBeInstanceOf(NectarInvalidInputError);
      expect(String((error as Error).message)).not.toContain(TEST_PROXY_PASSWORD);
      recordForRedaction(error);
    }
  });

  it('refuses a bad HTTPS_PROXY with proxy: "env", naming the variable, not its value', () => {
    vi.stubEnv("HTTPS_PROXY", `socks5://u:${TEST_PROXY_PASSWORD}@proxy:1080`);
    expect(() => createNectarClient({ apiKey: TEST_API_KEY, proxy: "env" })).toThrow(
      /^HTTPS_PROXY must be an http:\/\/ or https:\/\/ proxy URL[\s\S]*not shown\.$/,
    );
  });

  it("refuses proxy with a custom fetch (the proxy would be ignored)", () => {
    expect(() =>
      createNectarClient({
        apiKey: TEST_API_KEY,
        proxy: "http://127.0.0.1:9",
        fetch: globalThis.fetch,
      }),
    ).toThrow(/proxy and fetch cannot be used together/);
  });
});

describe("an https API through the proxy", () => {
  it("lets the proxy read only the CONNECT line: never the key, the path or the body", async () => {
    const through = await proxy();
    const target = await startTlsApi(answerSeed);
    closers.push(target.close);
    const plan = { kind: "url", uri: through.url } as const;
    const { client } = loggedClient({
      baseUrl: target.baseUrl,
      fetch: createProxyFetch(plan, { requestTls: { ca: target.ca } }),
    });
    const connection = await client.connections.retrieve(ID);
    expect(connection.connectionMagicLinkSecret).toBe(connections.seed().connectionMagicLinkSecret);
    expect(target.keys).toEqual([TEST_API_KEY]);
    const seen = through.seen();
    expect(seen).toMatch(new RegExp(`^CONNECT 127\\.0\\.0\\.1:${target.port} HTTP/1\\.1\\r\\n`));
    for (const secret of [TEST_API_KEY, ID, "x-api-key", connection.connectionMagicLinkSecret]) {
      expect(seen).not.toContain(secret);
    }
  });
});

describe("tunnels", () => {
  it("serves 100 calls with at most 10 tunnels: one agent per client", async () => {
    const [through, target] = await Promise.all([proxy(), api()]);
    const { client } = loggedClient({
      baseUrl: target.baseUrl,
      proxy: through.url,
      logLevel: "warn",
    });
    const results = await Promise.all(
      Array.from({ length: 100 }, () => client.connections.retrieve(ID)),
    );
    expect(results).toHaveLength(100);
    expect(target.requests).toHaveLength(100);
    expect(through.tunnels).toBeGreaterThanOrEqual(1);
    expect(through.tunnels).toBeLessThanOrEqual(10);
  });
});

describe("a refused tunnel", () => {
  it("is a NectarProxyError with a hint on 407, not retried, with no credential anywhere", async () => {
    const through = await proxy({ credentials: `user:right-${TEST_PROXY_PASSWORD}` });
    const target = await api();
    const withWrong = `http://user:${TEST_PROXY_PASSWORD}@127.0.0.1:${through.port}`;
    const { client, logs } = loggedClient({ baseUrl: target.baseUrl, proxy: withWrong });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarProxyError);
    const proxyError = error as NectarProxyError;
    expect(proxyError.proxyStatus).toBe(407);
    expect(proxyError.attempts).toBe(1);
    expect(proxyError.message).toMatch(
      /407 Proxy Authentication Required: check the user name and password/,
    );
    expect(through.targets).toHaveLength(1);
    expect(target.requests).toEqual([]);
    const everything = [
      inspect(error, { showHidden: true, depth: 9 }),
      inspect(client, { showHidden: true, depth: 9 }),
      JSON.stringify(logs),
    ];
    for (const text of everything) expect(text).not.toContain(TEST_PROXY_PASSWORD);
    expect(logs.length).toBeGreaterThan(0);
  });

  it("opens with the right credentials", async () => {
    const through = await proxy({ credentials: `user:${TEST_PROXY_PASSWORD}` });
    const target = await api();
    const url = `http://user:${TEST_PROXY_PASSWORD}@127.0.0.1:${through.port}`;
    await loggedClient({ baseUrl: target.baseUrl, proxy: url }).client.connections.retrieve(ID);
    expect(through.tunnels).toBe(1);
  });

  it("is a NectarProxyError naming NO_PROXY when the proxy forbids the host", async () => {
    const [through, target] = await Promise.all([proxy({ refuseWith: 403 }), api()]);
    const { client } = loggedClient({ baseUrl: target.baseUrl, proxy: through.url });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarProxyError);
    expect((error as NectarProxyError).proxyStatus).toBe(403);
    expect((error as Error).message).toMatch(/refused the tunnel with 403[\s\S]*NO_PROXY/);
  });
});

describe("the client's policies through a proxy", () => {
  it("follows a same-origin redirect and refuses one to another origin", async () => {
    const through = await proxy();
    let answered = 0;
    const target = await api((request, response) => {
      if (answered++ === 0) response.writeHead(307, { location: request.url ?? "/" }).end();
      else answerSeed(request, response);
    });
    const { client } = loggedClient({ baseUrl: target.baseUrl, proxy: through.url });
    await expect(client.connections.retrieve(ID)).resolves.toMatchObject({ id: ID });
    expect(target.requests).toEqual([`GET /v2.2/connection/${ID}`, `GET /v2.2/connection/${ID}`]);
    const moved = await api((_request, response) =>
      response.writeHead(302, { location: "https://elsewhere.example/x" }).end(),
    );
    const away = loggedClient({ baseUrl: moved.baseUrl, proxy: through.url }).client;
    expect(await rejectionOf(away.connections.retrieve(ID))).toBeInstanceOf(NectarRedirectError);
    expect(through.targets.every((t) => t.startsWith("127.0.0.1:"))).toBe(true);
  });

  it("refuses a body over maxResponseBytes", async () => {
    const through = await proxy();
    const target = await api((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ padding: "x".repeat(5000) }));
    });
    const { client } = loggedClient({
      baseUrl: target.baseUrl,
      proxy: through.url,
      maxResponseBytes: 1000,
    });
    expect(await rejectionOf(client.connections.retrieve(ID))).toBeInstanceOf(
      NectarResponseTooLargeError,
    );
  });

  it("times out an attempt the API never answers", async () => {
    const through = await proxy();
    const target = await api(() => {});
    const { client } = loggedClient({
      baseUrl: target.baseUrl,
      proxy: through.url,
      timeoutMs: 300,
      maxRetries: 0,
    });
    expect(await rejectionOf(client.connections.retrieve(ID))).toBeInstanceOf(NectarTimeoutError);
  });

  it("keeps at most maxConcurrency requests in flight", async () => {
    const through = await proxy();
    let inFlight = 0;
    let most = 0;
    const target = await api((request, response) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        answerSeed(request, response);
      }, 20);
    });
    const { client } = loggedClient({
      baseUrl: target.baseUrl,
      proxy: through.url,
      maxConcurrency: 3,
      logLevel: "warn",
    });
    await Promise.all(Array.from({ length: 12 }, () => client.connections.retrieve(ID)));
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBeGreaterThanOrEqual(1);
  });
});
