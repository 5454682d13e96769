/**
 * The CLI and the library behind a proxy, in real processes with the proxy variables set: the
 * CLI honours them by default (an https API through a CONNECT proxy that never reads the key),
 * NO_PROXY reaches the API directly, a refused tunnel exits 4 with a hint and no credential,
 * a bad proxy URL is a usage error, and NECTAR_LOG=debug logs each attempt without the key.
 * The certificate of the test API is trusted with NODE_EXTRA_CA_CERTS.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { killChildren, spawnCli } from "./helpers/cli.js";
import { sendJson } from "./helpers/cli-server.js";
import { seedFor } from "./helpers/client.js";
import { startConnectProxy, type TestProxy } from "./helpers/connect-proxy.js";
import { connections, TEST_API_KEY, TEST_PROXY_PASSWORD } from "./helpers/fixtures.js";
import { cleanEnv, ensureBuilt, root } from "./helpers/package.js";
import { startTlsApi, type TlsApi } from "./helpers/tls-api.js";
import { recordForRedaction } from "./setup/redaction.js";

const ID = connections.seed().id;
let proxy: TestProxy | undefined;
let api: TlsApi | undefined;

beforeAll(ensureBuilt, 120_000);
afterEach(async () => {
  killChildren();
  await proxy?.close();
  await api?.close();
  proxy = undefined;
  api = undefined;
});

/** Starts the https API answering with the asked connection, and a proxy. */
async function start(behaviour?: Parameters<typeof startConnectProxy>[0]) {
  api = await startTlsApi((request, response) =>
    sendJson(response, 200, seedFor({ url: `http://x${request.url}` })),
  );
  proxy = await startConnectProxy(behaviour);
  return { api, proxy };
}

/** The environment of a run against `api` through `proxyUrl`. */
function envFor(api: TlsApi, extra: Record<string, string>): Record<string, string> {
  return {
    NECTAR_API_KEY: TEST_API_KEY,
    NECTAR_BASE_URL: api.baseUrl,
    NODE_EXTRA_CA_CERTS: api.caFile,
    ...extra,
  };
}

describe("the CLI behind a proxy", () => {
  it("sends through HTTPS_PROXY by default; the proxy reads only the CONNECT line", async () => {
    const { api, proxy } = await start();
    const run = spawnCli(["get", ID, "--json"], envFor(api, { HTTPS_PROXY: proxy.url }));
    const exit = await run.exit;
    expect(run.stderr().replace(/^.*UNDICI-EHPA.*\n(.*--trace-warnings.*\n)?/m, "")).toBe("");
    expect(exit.code).toBe(0);
    expect(JSON.parse(run.stdout())).toMatchObject({ id: ID });
    expect(proxy.targets).toEqual([`127.0.0.1:${api.port}`]);
    expect(api.keys).toEqual([TEST_API_KEY]);
    expect(proxy.seen()).not.toContain(TEST_API_KEY);
    expect(proxy.seen()).not.toContain(ID);
  });

  it("reaches the API directly when NO_PROXY lists it", async () => {
    const { api, proxy } = await start();
    const env = envFor(api, { https_proxy: proxy.url, no_proxy: "localhost,127.0.0.1" });
    const run = spawnCli(["get", ID, "--json"], env);
    expect((await run.exit).code).toBe(0);
    expect(proxy.targets).toEqual([]);
    expect(api.keys).toHaveLength(1);
  });

  it("exits 4 with a hint when the proxy wants other credentials; no credential shown", async () => {
    const { api, proxy } = await start({ credentials: "user:another" });
    const url = `http://user:${TEST_PROXY_PASSWORD}@127.0.0.1:${proxy.port}`;
    const run = spawnCli(["get", ID], envFor(api, { HTTPS_PROXY: url, NECTAR_LOG: "debug" }));
    const exit = await run.exit;
    expect(exit.code).toBe(4);
    expect(run.stderr()).toMatch(
      /407 Proxy Authentication Required: check the user name and password/,
    );
    expect(run.stderr()).not.toContain(TEST_PROXY_PASSWORD);
    expect(run.stderr()).not.toContain(
      Buffer.from(`user:${TEST_PROXY_PASSWORD}`).toString("base64"),
    );
    expect(proxy.targets).toHaveLength(1);
    expect(api.keys).toEqual([]);
  });

  it("refuses a proxy URL it cannot use: exit 2, the variable named, its value not shown", async () => {
    const { api, proxy } = await start();
    const bad = `socks5://user:${TEST_PROXY_PASSWORD}@127.0.0.1:${proxy.port}`;
    const run = spawnCli(["get", ID], envFor(api, { HTTPS_PROXY: bad }));
    expect((await run.exit).code).toBe(2);
    expect(run.stderr()).toMatch(/HTTPS_PROXY must be an http:\/\/ or https:\/\/ proxy URL/);
    expect(run.stderr()).not.toContain(TEST_PROXY_PASSWORD);
    expect(proxy.targets).toEqual([]);
  });

  it("logs each attempt with NECTAR_LOG=debug, the key redacted", async () => {
    const { api, proxy } = await start();
    const env = envFor(api, { HTTPS_PROXY: proxy.url, NECTAR_LOG: "debug" });
    const run = spawnCli(["get", ID, "--json"], env);
    expect((await run.exit).code).toBe(0);
    expect(run.stderr()).toMatch(/nectar-connection: info: GET \/connection\/[^\n]*attempt 1 of 3/);
    expect(run.stderr()).toMatch(/nectar-connection: debug: [^\n]*"x-api-key":"\[redacted\]"/);
    expect(run.stderr()).not.toContain(TEST_API_KEY);
  });

  it("refuses a NECTAR_LOG that is no level: exit 2", async () => {
    const { api } = await start();
    const run = spawnCli(["get", ID], envFor(api, { NECTAR_LOG: "verbose" }));
    expect((await run.exit).code).toBe(2);
    expect(run.stderr()).toMatch(/NECTAR_LOG must be one of off, error, warn, info, debug/);
  });
});

describe("the library behind a proxy, in a process", () => {
  it('sends through HTTPS_PROXY with proxy: "env" and reaches the https API', async () => {
    const { api, proxy } = await start();
    const entry = path.join(root, "dist", "node", "index.js");
    const script = `
      const { createNectarClient } = await import(${JSON.stringify(entry)});
      const client = createNectarClient({ proxy: "env", baseUrl: process.env.NECTAR_BASE_URL });
      const found = await client.connections.retrieve(${JSON.stringify(ID)});
      console.log(found.id);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: root,
      env: { ...cleanEnv(), ...envFor(api, { HTTPS_PROXY: proxy.url }) },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    recordForRedaction(err);
    expect(code, err).toBe(0);
    expect(out.trim()).toBe(ID);
    expect(proxy.targets).toEqual([`127.0.0.1:${api.port}`]);
    expect(proxy.seen()).not.toContain(TEST_API_KEY);
  });
});
