/**
 * The rendered API reference (`scripts/docs.ts`, Redoc inlined) in headless Chromium:
 * it shows the operation, every ConnectionStatus value and the deprecation notice, logs no
 * error, and loads nothing from outside 127.0.0.1. Needs Debian's Chromium at /usr/bin/chromium
 * (CI installs it); without it every test here fails, none is skipped.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import spec from "../generated/openapi.json" with { type: "json" };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CHROMIUM = "/usr/bin/chromium";
/** Keeps Chromium's own background traffic off the (closed) network. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);
const SCREENSHOT = path.join(root, "test-results", "docs.png");

const OPERATION_PATH = "/connection/{connection_id}";
const operation = spec.paths[OPERATION_PATH].get;
const statuses: readonly string[] = spec.components.schemas.ConnectionStatus.enum;
/** Redoc's sections: `/<tag>` and `/<tag>/<operationId>`, lower-cased. */
const tagSection = `/${operation.tags[0]?.toLowerCase()}`;
const operationSection = `[data-section-id="${tagSection}/${operation.operationId.toLowerCase()}"]`;

let tmp: string | undefined;
let server: http.Server | undefined;
let browser: Browser | undefined;
let page: Page;
const leftLocalhost: string[] = [];
const consoleErrors: string[] = [];
const pageErrors: string[] = [];

async function renderDocs(outFile: string): Promise<void> {
  const cli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  try {
    await promisify(execFile)(process.execPath, [cli, "scripts/docs.ts", "--out", outFile], {
      cwd: root,
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`scripts/docs.ts failed:\n${stdout}${stderr}`, { cause: error });
  }
}

/** Serves `dir` read-only on 127.0.0.1, on a free port. */
async function serve(dir: string): Promise<string> {
  const srv = http.createServer(async (req, res) => {
    try {
      const urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      const file = path.join(dir, urlPath.endsWith("/") ? `${urlPath}index.html` : urlPath);
      if (!file.startsWith(dir + path.sep)) {
        res.writeHead(403).end();
        return;
      }
      const body = await readFile(file);
      const type = file.endsWith(".html") ? "text/html; charset=utf-8" : "application/octet-stream";
      res.writeHead(200, { "content-type": type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  server = srv;
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", resolve);
  });
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
}

/**
 * Renders, serves and opens the docs. A failure here fails every test with its message (vitest
 * would report the tests of a failed beforeAll as skipped).
 */
let setupError: unknown;
beforeAll(async () => {
  try {
    await setUp();
  } catch (error) {
    setupError = error;
  }
});
beforeEach(() => {
  if (setupError !== undefined) throw setupError;
});

async function setUp(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the docs tests need it and are never skipped. ` +
        "Install Debian's build: apt-get update && apt-get install -y --no-install-recommends chromium",
    );
  }
  tmp = await mkdtemp(path.join(os.tmpdir(), "nectar-docs-"));
  // Chromium starts while Redocly renders; a failure in either fails every test.
  const [launched, rendered] = await Promise.allSettled([
    chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS }),
    renderDocs(path.join(tmp, "index.html")),
  ]);
  if (launched.status === "fulfilled") browser = launched.value;
  else throw launched.reason;
  if (rendered.status === "rejected") throw rendered.reason;
  const baseUrl = await serve(tmp);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    const local =
      url.protocol === "data:" || url.protocol === "blob:" || LOCAL_HOSTS.has(url.hostname);
    if (local) return route.continue();
    leftLocalhost.push(url.href);
    return route.abort("blockedbyclient");
  });
  page = await context.newPage();
  page.setDefaultTimeout(10_000); // below vitest's testTimeout, so Playwright's message shows
  page.on("console", (message) => {
    if (message.type() === "error") {
      const { url, lineNumber } = message.location();
      consoleErrors.push(`${message.text()} (${url}:${lineNumber})`);
    }
  });
  page.on("pageerror", (error) => pageErrors.push(`${error.name}: ${error.message}`));

  // "networkidle" comes after hydration and the requests Redoc makes when it mounts.
  await page.goto(baseUrl, { waitUntil: "networkidle" });
  // Redoc 3 lists a tag's operations collapsed ("+ Show"); open the Connections tag.
  await page
    .locator(`[data-section-id="${tagSection}"]`)
    .getByRole("button", { name: "+ Show" })
    .click();
  await page.locator(operationSection).locator("h2").waitFor();
}

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("API reference rendered by scripts/docs.ts, in Chromium", () => {
  it("shows the operation's summary and its method and path", async () => {
    const section = page.locator(operationSection);
    const heading = section.locator("h2");
    expect(await heading.isVisible()).toBe(true);
    expect(await heading.textContent()).toContain(operation.summary);
    // The request panel's header: the method tag, then the path.
    const request = section
      .locator('[data-testid="right-panel"] [data-component-name="Dropdown/Dropdown"] > button')
      .first();
    expect(await request.locator('[data-component-name="Tag/Tag"]').textContent()).toBe("GET");
    expect(await request.isVisible()).toBe(true);
    expect(await request.locator(":scope > span").textContent()).toBe(OPERATION_PATH);
  });

  it("lists every ConnectionStatus value of the spec under the 200 body's status", async () => {
    const enumValues = page
      .locator(operationSection)
      .locator('[id$="&c=200&path=status"] [data-testid="schema-enum-values"]');
    // Redoc shows the first 10 values and a "+N more" button for the rest.
    const more = enumValues.getByRole("button", { name: /^\+\d+ more$/ });
    if ((await more.count()) > 0) await more.click();
    const shown = async () =>
      (await enumValues.locator("span").allInnerTexts())
        .filter((text) => text !== "Enum:")
        .map((text) => text.replace(/^"|"$/g, ""));
    await expect.poll(shown, { timeout: 5_000 }).toEqual(statuses);
  });

  it("shows the deprecation: a Deprecated badge and the pointer to invitations", async () => {
    expect(operation.deprecated).toBe(true);
    const section = page.locator(operationSection);
    const badge = section.locator('h2 [data-component-name="Tag/Tag"]');
    // biome-ignore lint/performance/useDomNodeTextContent: the DOM says "deprecated"; CSS capitalises what the reader sees
    expect(await badge.innerText()).toBe("Deprecated");
    const notice = section.locator("p", {
      has: page.locator("strong", { hasText: "Deprecated." }),
    });
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain(
      "use POST /invitation/connection/{connection_id} to create a reconnect invitation instead",
    );
  });

  it("writes a full-page screenshot to test-results/docs.png", async () => {
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await rm(SCREENSHOT, { force: true });
    // From the top: scrolled down (the enum click scrolls), Chromium's full-page capture leaves
    // the sections above the viewport blank and paints the sticky sidebar mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = await readFile(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(png.toString("latin1", 12, 16)).toBe("IHDR");
    expect(png.readUInt32BE(16)).toBe(1280); // width: the viewport
    expect(png.readUInt32BE(20)).toBeGreaterThan(800); // height: the whole page, not one screen
    expect((await stat(SCREENSHOT)).size).toBeGreaterThan(20_000);
  });

  it("logs no console error and throws no page error", () => {
    expect({ consoleErrors, pageErrors }).toEqual({ consoleErrors: [], pageErrors: [] });
  });

  it("makes no request that leaves 127.0.0.1", () => {
    expect(leftLocalhost).toEqual([]);
  });
});
