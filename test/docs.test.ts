/**
 * Both references rendered by `scripts/docs.ts` (the HTTP one by Redoc, the TypeScript one by
 * TypeDoc), served on 127.0.0.1 and opened in headless Chromium at 1280 px and at 390 px: every
 * operation's details and code samples show without a click, the realistic example comes first,
 * nothing overflows a phone's width, code samples wrap inside their panel, no image is broken,
 * the generated types are documented with their fields and linked (never expanded) from
 * signatures, the two link to each other, no console error, no request leaves 127.0.0.1. Screenshots of both, at both widths, land in test-results/.
 * Needs Debian's Chromium at /usr/bin/chromium (`npm run setup` installs it); without it every
 * test here fails, none is skipped.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import spec from "../generated/openapi.json" with { type: "json" };
import { type CodeSample, operationsOf, snippetFilesOf } from "../scripts/code-samples.ts";
import { DOCS_TITLE } from "../scripts/docs-spec.ts";
import { launchChromium, setUpOrFailEveryTest } from "./helpers/chromium.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost"]);
const RESULTS = path.join(root, "test-results");
const WIDTHS = { desktop: 1280, phone: 390 } as const;
type Width = keyof typeof WIDTHS;

const OPERATION_PATH = "/connection/{connection_id}";
const operation = spec.paths[OPERATION_PATH].get;
const statuses: readonly string[] = spec.components.schemas.ConnectionStatus.anyOf[0]?.enum ?? [];
const operationIds = [...operationsOf(spec).keys()];
/** Redoc's section of an operation: its id ends with the lower-cased operationId. */
const sectionOf = (id: string) => `[data-section-id$="/${id.toLowerCase()}"]`;

let tmp: string | undefined;
let server: http.Server | undefined;
let browser: Browser | undefined;
let baseUrl = "";
const contexts = new Map<Width, BrowserContext>();
/** The HTTP reference at each width, loaded and scrolled through once. */
const http1 = new Map<Width, Page>();
const leftLocalhost: string[] = [];
const consoleErrors: string[] = [];
const pageErrors: string[] = [];

async function renderDocs(outDir: string): Promise<void> {
  const cli = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
  try {
    await promisify(execFile)(process.execPath, [cli, "scripts/docs.ts", "--out", outDir], {
      cwd: root,
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`scripts/docs.ts failed:\n${stdout}${stderr}`, { cause: error });
  }
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
};

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
      const type = TYPES[path.extname(file)] ?? "application/octet-stream";
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

/** A browser context at `width` that blocks (and records) every request leaving 127.0.0.1. */
async function newContext(width: number): Promise<BrowserContext> {
  if (browser === undefined) throw new Error("Chromium did not start");
  const context = await browser.newContext({ viewport: { width, height: 844 } });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    const local =
      url.protocol === "data:" || url.protocol === "blob:" || LOCAL_HOSTS.has(url.hostname);
    if (local) return route.continue();
    leftLocalhost.push(url.href);
    return route.abort("blockedbyclient");
  });
  return context;
}

/** Opens `url` in a new page of `context`, recording console errors and page errors. */
async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000); // below vitest's testTimeout, so Playwright's message shows
  page.on("console", (message) => {
    if (message.type() === "error") {
      const { url: where, lineNumber } = message.location();
      consoleErrors.push(`${message.text()} (${where}:${lineNumber})`);
    }
  });
  page.on("pageerror", (error) => pageErrors.push(`${error.name}: ${error.message}`));
  // "networkidle" comes after hydration and the requests Redoc makes when it mounts.
  await page.goto(url, { waitUntil: "networkidle" });
  return page;
}

/**
 * Scrolls to the bottom and back, as a reader would: Redoc mounts a section's content when it
 * nears the viewport. Nothing is clicked.
 */
async function scrollThrough(page: Page): Promise<void> {
  for (let y = 0; y < (await page.evaluate(() => document.body.scrollHeight)); y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
}

// Rendering both references takes most of a minute on a loaded machine: a bound against a hang.
setUpOrFailEveryTest(setUp, 240_000);

async function setUp(): Promise<void> {
  tmp = await mkdtemp(path.join(os.tmpdir(), "nectar-docs-"));
  // Chromium starts while Redocly and TypeDoc render; a failure in either fails every test.
  const [launched, rendered] = await Promise.allSettled([launchChromium("docs"), renderDocs(tmp)]);
  if (launched.status === "fulfilled") browser = launched.value;
  else throw launched.reason;
  if (rendered.status === "rejected") throw rendered.reason;
  baseUrl = await serve(tmp);
  for (const [name, width] of Object.entries(WIDTHS) as [Width, number][]) {
    const context = await newContext(width);
    contexts.set(name, context);
    const page = await open(context, baseUrl);
    await scrollThrough(page);
    http1.set(name, page);
  }
}

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The loaded HTTP reference at a width. */
function httpPage(width: Width = "desktop"): Page {
  const page = http1.get(width);
  if (page === undefined) throw new Error(`no page at ${width}`);
  return page;
}

/** Every `img` of the page that has not loaded a picture (none at all passes). */
function brokenImages(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.images)
      .filter((img) => !(img.complete && img.naturalWidth > 0))
      .map((img) => img.src),
  );
}

/** What {@link codeBlocksThroughout} records of one code block. */
interface CodeBlock {
  text: string;
  overflow: number;
  whiteSpace: string;
}

/**
 * Every code block (sample or example) Redoc shows, measured as the reader scrolls the whole
 * page (Redoc mounts a section's content near the viewport): how far its widest line runs past
 * its box, and its white-space rule. Ends back at the top.
 */
async function codeBlocksThroughout(page: Page): Promise<CodeBlock[]> {
  const seen = new Map<string, CodeBlock>();
  for (let y = 0; y < (await page.evaluate(() => document.body.scrollHeight)); y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    const shown = await page.evaluate(() =>
      Array.from(
        document.querySelectorAll('pre[data-component-name="CodeBlock/CodeBlockContainer"]'),
      )
        .filter((pre) => pre.getClientRects().length > 0)
        .map((pre) => ({
          text: pre.textContent ?? "",
          overflow: pre.scrollWidth - pre.clientWidth,
          whiteSpace: getComputedStyle(pre).whiteSpace,
        })),
    );
    for (const block of shown) seen.set(block.text, block);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return [...seen.values()];
}

/** `{ scrollWidth, viewport }` of the document: the page scrolls sideways when the first is larger. */
function widths(page: Page): Promise<{ scrollWidth: number; viewport: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
}

/** A full-page screenshot in test-results/, checked to be a PNG of the page's width. */
async function screenshot(page: Page, name: string, width: number, minHeight = 845) {
  const file = path.join(RESULTS, name);
  await mkdir(RESULTS, { recursive: true });
  await rm(file, { force: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  // A bound against a hang, not a speed check: a full page of the reference is tall.
  await page.screenshot({ path: file, fullPage: true, timeout: 90_000 });
  const png = await readFile(file);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.readUInt32BE(16)).toBe(width);
  expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(minHeight); // the whole page
}

describe("HTTP API reference (Redoc), with no click", () => {
  it.each(operationIds)("shows %s's details: heading, request, responses", async (id) => {
    const section = httpPage().locator(sectionOf(id));
    const heading = section.locator("h2").first();
    expect(await heading.isVisible()).toBe(true);
    expect(await section.getByText("Responses", { exact: true }).first().isVisible()).toBe(true);
    // The shortest section (ping: no parameter, two responses) is ~750 px; a collapsed one is a heading.
    expect((await section.boundingBox())?.height).toBeGreaterThan(600);
  });

  it("has no collapsed operation list (Redoc's '+ Show' button)", async () => {
    expect(
      await httpPage()
        .getByRole("button", { name: /^\+\s*Show$/ })
        .count(),
    ).toBe(0);
  });

  it("shows GET /connection/{connection_id} with its summary", async () => {
    const section = httpPage().locator(sectionOf(operation.operationId));
    expect(await section.locator("h2").first().textContent()).toContain(operation.summary);
    const request = section
      .getByRole("button")
      .filter({ hasText: `GET${OPERATION_PATH}`, visible: true });
    expect(await request.count()).toBe(1);
  });

  it.each(operationIds)(
    "shows %s's TypeScript sample first, then curl and CLI (if any)",
    async (id) => {
      const page = httpPage();
      const section = page.locator(sectionOf(id));
      const samples = operationsOf(spec).get(id)?.["x-codeSamples"] as CodeSample[] | undefined;
      expect(samples?.map((sample) => sample.label)).toEqual(
        snippetFilesOf(id).map(({ label }) => label),
      );
      /** How many of the sample's code blocks are on screen (its first line tells them apart). */
      const shows = (sample: CodeSample) =>
        section
          .locator("pre", { hasText: sample.source.split("\n")[0]?.slice(0, 40) ?? "" })
          .filter({ visible: true })
          .count();
      // The open menu may sit below the fold of a short section: click it as a reader's
      // keyboard would, by dispatching the click on the item itself.
      const pick = (label: string) =>
        page.getByRole("menuitem", { name: label, exact: true }).dispatchEvent("click");
      const [typeScript, ...others] = samples ?? [];
      if (typeScript === undefined) throw new Error(`${id} has no code samples`);
      expect(await shows(typeScript)).toBe(1); // on load, no click
      let current = typeScript.label;
      for (const sample of others) {
        await section.getByRole("button", { name: current, exact: true }).click();
        await pick(sample.label);
        await expect.poll(() => shows(sample)).toBe(1);
        current = sample.label;
      }
      // Back to TypeScript, as a reader finds the page (and the screenshots show it).
      await section.getByRole("button", { name: current, exact: true }).click();
      await pick(typeScript.label);
      await expect.poll(() => shows(typeScript)).toBe(1);
    },
  );

  it("opens on the realistic 200 example; Nectar's placeholder comes last, named so", async () => {
    const section = httpPage().locator(sectionOf(operation.operationId));
    const examples = operation.responses["200"].content["application/json"].examples;
    expect(Object.keys(examples)).toEqual(["passwordIncorrect", "deactivated", "seed"]);
    const summary = spec.components.examples.ConnectionPasswordIncorrect.summary;
    const picker = section.getByRole("button").filter({ hasText: summary, visible: true });
    expect(await picker.count()).toBe(1);
    const sample = section.locator("pre", { hasText: '"status": "PASSWORD_INCORRECT"' });
    expect(await sample.filter({ visible: true }).count()).toBe(1);
    expect(spec.components.examples.ConnectionSeed.summary).toMatch(
      /^Nectar's placeholder example/,
    );
  });

  it("lists every ConnectionStatus value of the spec under the 200 body's status", async () => {
    const enumValues = httpPage()
      .locator(sectionOf(operation.operationId))
      .locator('[id$="&c=200&path=status"] [data-testid="schema-enum-values"]');
    // Redoc shows the first 10 values and a "+N more" button for the rest. On a loaded machine
    // the button may render after a first look: each poll presses it if it is there.
    const more = enumValues.getByRole("button", { name: /^\+\d+ more$/ });
    const shown = async () => {
      if ((await more.count()) > 0) await more.click();
      return (await enumValues.locator("span").allInnerTexts())
        .filter((text) => text !== "Enum:")
        .map((text) => text.replace(/^"|"$/g, ""));
    };
    await expect.poll(shown, { timeout: 15_000 }).toEqual(statuses);
  });

  it("shows the deprecation: a Deprecated badge and the pointer to invitations", async () => {
    expect(operation.deprecated).toBe(true);
    const section = httpPage().locator(sectionOf(operation.operationId));
    const badge = section.locator(
      'h2 ~ * [data-component-name="Tag/Tag"], h2 [data-component-name="Tag/Tag"]',
    );
    // biome-ignore lint/performance/useDomNodeTextContent: the DOM says "deprecated"; CSS capitalises what the reader sees
    expect(await badge.first().innerText()).toBe("Deprecated");
    const notice = section.locator("p", {
      has: httpPage().locator("strong", { hasText: "Deprecated." }),
    });
    expect(await notice.first().textContent()).toContain(
      "use POST /invitation/connection/{connection_id} to create a reconnect invitation instead",
    );
  });

  it("has a short title and no Redocly credit (its logo would come from a CDN)", async () => {
    const page = httpPage();
    expect(await page.locator("h1").first().textContent()).toBe(
      `${DOCS_TITLE} (${spec.info.version})`,
    );
    expect(await page.getByText("API docs by").isVisible()).toBe(false);
    expect(await page.locator('a[href^="https://redocly.com"]:visible').count()).toBe(0);
  });
});

describe.each(Object.keys(WIDTHS) as Width[])("HTTP API reference at %s width", (width) => {
  it("has no broken image", async () => {
    expect(await brokenImages(httpPage(width))).toEqual([]);
  });

  it("does not scroll sideways", async () => {
    const { scrollWidth, viewport } = await widths(httpPage(width));
    expect(viewport).toBe(WIDTHS[width]);
    expect(scrollWidth).toBeLessThanOrEqual(WIDTHS[width]);
  });

  it("wraps headings between words only, inside their box", async () => {
    const headings = await httpPage(width).evaluate(() =>
      Array.from(document.querySelectorAll("h1, h2")).map((h) => {
        const style = getComputedStyle(h);
        return {
          text: h.textContent,
          breaks: `${style.wordBreak}/${style.overflowWrap}`,
          fits: h.scrollWidth <= h.clientWidth,
        };
      }),
    );
    expect(headings.length).toBeGreaterThan(1);
    for (const heading of headings)
      expect(heading, heading.text ?? "").toMatchObject({ breaks: "normal/normal", fits: true });
  });

  it("wraps every code sample and example inside its panel (no line runs past its box)", async () => {
    const page = httpPage(width);
    const blocks = await codeBlocksThroughout(page);
    expect(blocks.length).toBeGreaterThan(operationIds.length); // a sample and an example each
    for (const block of blocks) {
      expect(block, block.text.slice(0, 60)).toMatchObject({ overflow: 0, whiteSpace: "pre-wrap" });
    }
    // The retrieve operation's TypeScript sample, as a reader sees it in its panel.
    const section = page.locator(sectionOf(operation.operationId));
    await section.locator("h2").first().scrollIntoViewIfNeeded();
    const sample = section
      .locator('pre[data-component-name="CodeBlock/CodeBlockContainer"]')
      .filter({ visible: true })
      .first();
    const file = path.join(RESULTS, `docs-http-sample-${width}.png`);
    await mkdir(RESULTS, { recursive: true });
    await sample.scrollIntoViewIfNeeded();
    await sample.screenshot({ path: file, timeout: 30_000 });
    const box = await sample.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(WIDTHS[width]);
    const shotWidth = (await readFile(file)).readUInt32BE(16);
    expect(Math.abs(shotWidth - (box?.width ?? 0))).toBeLessThanOrEqual(1);
  }, 60_000);

  it(`writes test-results/docs-http-${width}.png`, async () => {
    await screenshot(httpPage(width), `docs-http-${width}.png`, WIDTHS[width]);
  }, 120_000);
});

describe("the webhooks in the HTTP reference, with no click", () => {
  const webhooks = Object.entries(spec.webhooks).map(([name, item]) => ({
    name,
    id: item.post.operationId,
    summary: item.post.summary,
  }));

  it("lists the three in the menu, under a Webhooks heading", async () => {
    const page = httpPage();
    expect(await page.getByText("Webhooks", { exact: true }).isVisible()).toBe(true);
    for (const { summary } of webhooks) {
      const item = page.locator('[data-component-name="Menu/MenuItem"]', { hasText: summary });
      expect(await item.count()).toBe(1);
    }
  });

  it.each(webhooks.map((webhook) => [webhook.name, webhook] as const))(
    "shows %s: summary, the three svix headers, the body and its realistic example",
    async (name, { id, summary }) => {
      const section = httpPage().locator(sectionOf(id));
      expect(await section.locator("h2").first().textContent()).toContain(summary);
      expect((await section.boundingBox())?.height).toBeGreaterThan(1_000);
      for (const header of ["svix-id", "svix-timestamp", "svix-signature"]) {
        expect(await section.getByText(header, { exact: true }).first().isVisible()).toBe(true);
      }
      const protectedChanges = await section.getByText("protectedChanges").count();
      expect(protectedChanges > 0).toBe(name === "connection.updated.v2");
      const example = section.locator("pre", { hasText: `"eventType": "${name}"` });
      expect(await example.filter({ visible: true }).count()).toBe(1);
    },
  );
});

describe("TypeScript API reference (TypeDoc), linked from the HTTP reference", () => {
  it.each(Object.keys(WIDTHS) as Width[])(
    "opens from the link at %s width, complete and fitting",
    async (width) => {
      const context = contexts.get(width);
      if (context === undefined) throw new Error("no context");
      const page = await open(context, baseUrl);
      await page.getByRole("link", { name: "TypeScript API reference" }).click();
      await page.waitForLoadState("networkidle");
      expect(new URL(page.url()).pathname).toBe("/api/index.html");
      expect(await page.title()).toContain("TypeScript API reference");
      // The client's entry point and its main function are documented.
      await page.goto(new URL("api/functions/index.createNectarClient.html", baseUrl).href, {
        waitUntil: "networkidle",
      });
      expect(await page.locator("h1").first().textContent()).toContain("createNectarClient");
      // Its TSDoc, rendered: the summary line and the example's code.
      expect(await page.getByText("Creates a client for Nectar Climate's API.").isVisible()).toBe(
        true,
      );
      expect(
        await page.locator("pre", { hasText: "createNectarClient({" }).first().isVisible(),
      ).toBe(true);
      expect(await brokenImages(page)).toEqual([]);
      const { scrollWidth } = await widths(page);
      expect(scrollWidth).toBeLessThanOrEqual(WIDTHS[width]);
      await page.goto(new URL("api/index.html", baseUrl).href, { waitUntil: "networkidle" });
      await screenshot(page, `docs-typescript-${width}.png`, WIDTHS[width], 844);
      await page.close();
    },
  );

  it("documents each generated type with its fields, linked from signatures, never expanded", async () => {
    const context = contexts.get("desktop");
    if (context === undefined) throw new Error("no context");
    const page = await open(context, new URL("api/types/index.Connection.html", baseUrl).href);
    const signature = page.locator(".tsd-signature").first();
    // biome-ignore lint/performance/useDomNodeTextContent: what the reader sees
    const shown = await signature.innerText();
    expect(shown).not.toContain("components");
    for (const field of ["id", "status", "statusLastUpdateTime", "country", "accounts"]) {
      expect(shown).toMatch(new RegExp(`\\b${field}\\??:`));
    }
    for (const [field, type] of [
      ["status", "ConnectionStatus"],
      ["country", "CountryCode"],
      ["accounts", "Account"],
    ]) {
      const link = signature.locator(`a[href$="index.${type}.html"]`);
      expect(await link.count(), `${field}: ${type}`).toBeGreaterThan(0);
    }
    await page.goto(new URL("api/types/index.ConnectionStatus.html", baseUrl).href);
    expect(await page.locator(".tsd-signature").first().textContent()).toContain('"CONNECTED"');

    await page.goto(new URL("api/classes/index.ConnectionsResource.html", baseUrl).href);
    const retrieve = page.locator(".tsd-signature", { hasText: "retrieve(" }).first();
    expect((await retrieve.textContent())?.replace(/\s+/g, "")).toContain(
      "NectarPromise<Connection>",
    );
    expect(await retrieve.locator('a[href$="index.Connection.html"]').count()).toBe(1);
    // No signature on the page spells out the 249 country codes.
    expect(await page.locator(".tsd-signature", { hasText: '"AF"' }).count()).toBe(0);
    const section = page.locator("section.tsd-member", { has: retrieve });
    expect((await section.boundingBox())?.height).toBeLessThan(2_000); // was 12 000 px
    await page.close();
  });

  it("names each module on its front page as its menu does: the mock entry is `mock`", async () => {
    const context = contexts.get("desktop");
    if (context === undefined) throw new Error("no context");
    const page = await open(context, new URL("api/index.html", baseUrl).href);
    const rows = await page
      .locator("table tr")
      .evaluateAll((trs) =>
        trs.slice(1).map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)),
      );
    expect(rows).toEqual([
      ["index", 'import … from "nectar-climate-connection"'],
      ["types", 'import … from "nectar-climate-connection/types"'],
      ["validators", 'import … from "nectar-climate-connection/validators"'],
      ["mock", 'import … from "nectar-climate-connection/mock"'],
    ]);
    for (const [name] of rows) {
      await page.goto(new URL(`api/modules/${name}.html`, baseUrl).href);
      expect(await page.locator("h1").first().textContent()).toContain(name ?? "");
    }
    await page.close();
  });

  it("links back to the HTTP reference", async () => {
    const context = contexts.get("desktop");
    if (context === undefined) throw new Error("no context");
    const page = await open(context, new URL("api/index.html", baseUrl).href);
    await page.getByRole("link", { name: "HTTP API reference" }).first().click();
    await page.waitForLoadState("networkidle");
    expect(new URL(page.url()).pathname).toBe("/index.html");
    expect(await page.locator("h1").first().textContent()).toContain(DOCS_TITLE);
    await page.close();
  });
});

describe("both references", () => {
  it("log no console error and throw no page error", () => {
    expect({ consoleErrors, pageErrors }).toEqual({ consoleErrors: [], pageErrors: [] });
  });

  it("make no request that leaves 127.0.0.1", () => {
    expect(leftLocalhost).toEqual([]);
  });
});
