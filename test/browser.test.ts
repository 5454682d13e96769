import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, describe, expect, test } from "vitest";
import { launchChromium, setUpOrFailEveryTest } from "./helpers/chromium.ts";
import { connections } from "./helpers/fixtures.ts";
import { ensureBuilt, root } from "./helpers/package.ts";
import { type PackedMock, startPackedMock } from "./helpers/runtimes.ts";

const SEED = connections.seed();
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>nectar</title></head>
<body><script type="module">import * as nectar from "/nectar.js"; window.nectar = nectar;</script></body></html>`;

let browser: Browser | undefined;
let server: http.Server | undefined;
let mock: PackedMock | undefined;
let page: Page;
let origin: string;

/** `dist/index.js` and its one dependency (openapi-fetch) as one ES module for the browser. */
async function bundleBuild(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, "dist", "index.js")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild wrote nothing for dist/index.js");
  return output.text;
}

/** Serves the page and the bundle, and forwards `/v2.2/*` to the mock, on 127.0.0.1. */
async function servePage(bundle: string, mockUrl: string): Promise<string> {
  const mockOrigin = new URL(mockUrl).origin;
  const srv = http.createServer(async (req, res) => {
    const url = req.url ?? "/";
    if (url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    } else if (url === "/nectar.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(bundle);
    } else if (url.startsWith("/v2.2/")) {
      const forwarded = await fetch(mockOrigin + url, {
        headers: { "x-api-key": String(req.headers["x-api-key"] ?? "") },
      });
      const type = forwarded.headers.get("content-type") ?? "application/json";
      res.writeHead(forwarded.status, { "content-type": type }).end(await forwarded.text());
    } else {
      res.writeHead(404).end();
    }
  });
  server = srv;
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", resolve);
  });
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

async function setUp(): Promise<void> {
  await ensureBuilt();
  const [launched, bundle, started] = await Promise.all([
    launchChromium("browser"),
    bundleBuild(),
    startPackedMock(root),
  ]);
  browser = launched;
  mock = started;
  origin = await servePage(bundle, mock.url);
  page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => "nectar" in window);
}

setUpOrFailEveryTest(setUp, 60_000);

afterAll(async () => {
  await browser?.close();
  await mock?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

/** What `createNectarClient` does in the page, with or without the flag. */
interface Outcome {
  created: boolean;
  name?: string;
  message?: string;
  invalidInput?: boolean;
  retrieved?: { id: string; status: string | undefined };
}

/** Creates a client in the page (and, when that works, retrieves `id`). */
function inPage(apiKey: string, id: string, allow: boolean | undefined): Promise<Outcome> {
  const baseUrl = `${origin}/v2.2`;
  return page.evaluate(
    async ({ apiKey, baseUrl, id, allow }) => {
      const nectar = (window as unknown as { nectar: typeof import("../src/index.ts") }).nectar;
      const options = { apiKey, baseUrl, maxRetries: 0 };
      try {
        const client = nectar.createNectarClient(
          allow === undefined ? options : { ...options, dangerouslyAllowBrowser: allow },
        );
        const connection = await client.connections.retrieve(id);
        return { created: true, retrieved: { id: connection.id, status: connection.status } };
      } catch (error) {
        const { name, message } = error as Error;
        return {
          created: false,
          name,
          message,
          invalidInput: error instanceof nectar.NectarInvalidInputError,
        };
      }
    },
    { apiKey, baseUrl, id, allow },
  );
}

describe("createNectarClient in Chromium (the ESM build)", () => {
  test("the page is a browser: window, document and navigator exist", async () => {
    const seen = await page.evaluate(() => [typeof window, typeof document, typeof navigator]);
    expect(seen).toEqual(["object", "object", "object"]);
  });

  test("refuses without dangerouslyAllowBrowser, with a NectarInvalidInputError saying why", async () => {
    const before = mock?.stats.requests;
    const outcome = await inPage(mock?.apiKey ?? "", SEED.id, undefined);
    expect(outcome).toMatchObject({
      created: false,
      name: "NectarInvalidInputError",
      invalidInput: true,
    });
    expect(outcome.message).toMatch(/browser-like environment/);
    expect(outcome.message).toMatch(/server secret/);
    expect(mock?.stats.requests).toBe(before);
  });

  test("refuses with dangerouslyAllowBrowser: false", async () => {
    const outcome = await inPage(mock?.apiKey ?? "", SEED.id, false);
    expect(outcome).toMatchObject({ created: false, name: "NectarInvalidInputError" });
  });

  test("with dangerouslyAllowBrowser: true, retrieves a connection from the mock", async () => {
    const before = mock?.stats.requests ?? 0;
    const outcome = await inPage(mock?.apiKey ?? "", SEED.id, true);
    expect(outcome).toEqual({ created: true, retrieved: { id: SEED.id, status: SEED.status } });
    expect(mock?.stats.requests).toBe(before + 1);
  });
});
