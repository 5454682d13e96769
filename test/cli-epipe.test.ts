/**
 * Output that stops when nobody reads: when standard output or error closes (EPIPE), `check`
 * sends no new request and creates no new invitation, and ends quietly with exit 141. The built
 * binary with a reader that closes after one line, for each format, counting on the server; then
 * `main` in-process with a writer that fails, for the exact number of writes.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LINES_PER_WRITE } from "../src/cli/formats/table.js";
import { main } from "../src/cli/index.js";
import type { MockServer } from "../src/mock/index.js";
import { killChildren, spawnCli } from "./helpers/cli.js";
import { startCliMock } from "./helpers/cli-mock.js";
import { lastSegment, sendJson, startApi, type TestApi } from "./helpers/cli-server.js";
import { connections, invitations } from "./helpers/fixtures.js";
import { cleanEnv, ensureBuilt, root } from "./helpers/package.js";
import { recordForRedaction } from "./setup/redaction.js";

const NEEDS_ACTION = connections.passwordIncorrect();
const COMPANY = NEEDS_ACTION.company?.id ?? "";
const IDS = 2_000;
/** Far fewer than the ids given: what is in flight when the reader leaves, and a margin. */
const FAR_FEWER = 200;

const dir = mkdtempSync(path.join(tmpdir(), "nectar-epipe-"));
/**
 * Ids for a table of four pieces, every one looked up first. The reader leaves after its first
 * chunk (at most 64 KiB) and a pipe holds 64 KiB more, so the table (about 80 bytes a row) must
 * be well over 128 KiB for its writer to meet the closed pipe however late the reader leaves:
 * at 1 200 rows, a loaded machine let the whole table through and `check` exited 0.
 */
const TABLE_IDS = 4 * LINES_PER_WRITE;
const ids = Array.from({ length: Math.max(IDS, TABLE_IDS) }, () => randomUUID());
const idFile = path.join(dir, "ids.txt");
writeFileSync(idFile, `${ids.slice(0, IDS).join("\n")}\n`);
const tableFile = path.join(dir, "table.txt");
writeFileSync(tableFile, `${ids.slice(0, TABLE_IDS).join("\n")}\n`);

/** Pages of the company's list: far more than a reader who leaves after one line needs. */
const PAGES = 40;
const PAGE_SIZE = 500;

/** Page `page` of a company of {@link PAGES} full pages, every connection with an id of its own. */
function companyPage(url: string) {
  const page = Number(new URL(url, "http://api.invalid").searchParams.get("page") ?? 1);
  const currentPage = Math.min(page, PAGES);
  const connections = Array.from({ length: PAGE_SIZE }, (_, i) => {
    const n = (currentPage - 1) * PAGE_SIZE + i;
    return { ...NEEDS_ACTION, id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}` };
  });
  const numbers = { totalConnections: PAGES * PAGE_SIZE, perPage: PAGE_SIZE, totalPages: PAGES };
  const hasNext = currentPage < PAGES;
  return { ...numbers, currentPage, hasNext, hasPrevious: currentPage > 1, connections };
}

/** An API whose every connection needs its user (each answered a little late, as over a network). */
async function startFleetApi(): Promise<TestApi> {
  return startApi((request, response) => {
    if (request.method === "POST") {
      sendJson(response, 201, invitations.reconnect());
      return;
    }
    if (request.url?.includes("/connection/company/")) {
      const page = companyPage(request.url);
      setTimeout(() => sendJson(response, 200, page), 2);
      return;
    }
    const id = lastSegment(request);
    setTimeout(() => sendJson(response, 200, { ...NEEDS_ACTION, id }), 2);
  });
}

let api: TestApi | undefined;
beforeAll(ensureBuilt, 120_000);
afterEach(async () => {
  killChildren();
  await api?.close();
  api = undefined;
});

describe("the built binary, its standard output read by one that leaves after one line", () => {
  it.each<[string[]]>([[["--json"]], [["--csv"]], [["--json", "--invite", "--yes"]]])(
    "check %j stops its requests and exits 141 without a word",
    async (flags) => {
      api = await startFleetApi();
      const run = spawnCli(["check", "--file", idFile, ...flags, ...api.flags]);
      await run.firstLine;
      run.child.stdout.destroy(); // as `| head -1` does
      expect(await run.exit).toEqual({ code: 141, signal: null });
      expect(run.stderr()).toBe("");
      expect(api.count("GET")).toBeLessThan(FAR_FEWER);
      expect(api.count("POST")).toBeLessThanOrEqual(api.count("GET"));
    },
  );

  it.each<[string[]]>([
    [["list", COMPANY, "--json"]],
    [["list", COMPANY, "--csv"]],
    [["check", "--company", COMPANY, "--json", "--invite", "--yes"]],
    [["check", "--company", COMPANY, "--csv", "--fresh"]],
  ])("%j stops walking the pages and exits 141 without a word", async (argv) => {
    api = await startFleetApi();
    const run = spawnCli([...argv, ...api.flags]);
    await run.firstLine;
    run.child.stdout.destroy();
    expect(await run.exit).toEqual({ code: 141, signal: null });
    expect(run.stderr()).toBe("");
    const pages = api.requests.filter((line) => line.includes("/connection/company/")).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThan(PAGES / 2);
    expect(api.count("GET") - pages).toBeLessThan(FAR_FEWER); // --fresh's lookups
    expect(api.count("POST")).toBeLessThan(FAR_FEWER);
  });

  it("check's table (sorted, so written once every id was checked) stops writing and exits 141", async () => {
    api = await startFleetApi();
    const run = spawnCli(["check", "--file", tableFile, ...api.flags]);
    await run.firstLine;
    run.child.stdout.destroy();
    expect(await run.exit).toEqual({ code: 141, signal: null });
    expect(run.stderr()).toBe("");
    expect(run.stdout()).toMatch(/^ID +STATUS/);
  }, 60_000);

  it("when standard error closes, check stops too", async () => {
    api = await startFleetApi();
    // Every other line is not an id: each is reported on standard error.
    const mixed = path.join(dir, "mixed.txt");
    writeFileSync(
      mixed,
      ids
        .slice(0, IDS)
        .map((id) => `${id}\nnot-an-id\n`)
        .join(""),
    );
    const run = spawnCli(["check", "--file", mixed, "--json", ...api.flags]);
    await new Promise<void>((resolve) => run.child.stderr.once("data", () => resolve()));
    run.child.stderr.destroy();
    expect(await run.exit).toEqual({ code: 141, signal: null });
    expect(api.count("GET")).toBeLessThan(FAR_FEWER);
  });

  it("a standard output that fails otherwise (a full disk) ends with exit 1 and says so", async () => {
    const child = spawn(process.execPath, ["dist/cli/index.js", "get", NEEDS_ACTION.id, "--mock"], {
      cwd: root,
      env: cleanEnv(),
      stdio: ["ignore", openSync("/dev/full", "w"), "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(code).toBe(1);
    expect(stderr).toBe("nectar-connection: cannot write to standard output (ENOSPC)\n");
  });
});

describe("main, with a standard output that fails", () => {
  let mock: MockServer;
  let against: string[];
  beforeAll(async () => {
    // Three pieces of table: the second fails, the third must not be tried.
    const size = 2 * LINES_PER_WRITE + 100;
    ({ mock, against } = await startCliMock({ size, seed: 3 }));
  });
  afterEach(() => mock.reset());
  afterAll(() => mock.close());

  /** Runs `argv` with a standard output that takes `accepted` writes, then fails with `code`. */
  async function failingAfter(argv: string[], accepted: number, code = "EPIPE") {
    const writes: string[] = [];
    let stderr = "";
    const exit = await main(argv, {
      env: {},
      isTTY: false,
      stdout: (text) => {
        if (writes.length >= accepted) throw Object.assign(new Error(`write ${code}`), { code });
        writes.push(text);
      },
      stderr: (text) => {
        stderr += text;
      },
    });
    recordForRedaction(stderr);
    return { code: exit, writes, stderr };
  }

  it.each(["--json", "--csv"])(
    "check %s sends nothing more once a write failed, and ends quietly with 141",
    async (format) => {
      const run = await failingAfter(["check", ...mock.ids, format, ...against], 1);
      expect(run.code).toBe(141);
      expect(run.stderr).toBe("");
      expect(run.writes).toHaveLength(1);
      expect(mock.stats.requests).toBeLessThan(FAR_FEWER);
    },
  );

  it("the table stops at the first piece that cannot be written", async () => {
    const run = await failingAfter(["check", ...mock.ids, ...against], 1);
    expect(run.code).toBe(141);
    expect(run.stderr).toBe("");
    // The first piece: the header and a thousand rows; the second failed; no third was tried.
    expect(run.writes).toHaveLength(1);
    expect(run.writes[0]?.split("\n")).toHaveLength(LINES_PER_WRITE + 1);
  }, 60_000);

  it("watch stops polling once its output is gone, instead of waiting for the next poll", async () => {
    const run = await failingAfter(["watch", NEEDS_ACTION.id, "--interval", "60s", ...against], 0);
    expect(run.code).toBe(141);
    expect(run.stderr).toBe("");
    expect(mock.stats.requests).toBe(1);
  });

  it("any other failed write ends the run with exit 1 and one line", async () => {
    const run = await failingAfter(
      ["check", ...mock.ids.slice(0, 5), "--json", ...against],
      0,
      "ENOSPC",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("nectar-connection: cannot write to standard output (ENOSPC)\n");
  });
});
