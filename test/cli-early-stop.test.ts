/**
 * `check` stops when the key fails every id (a 401; a 403 for a second id before any success):
 * over a real socket, a counting server answers every lookup so; the run sends no more than the
 * lookups already in flight (and, for a 403, the one that confirms it), prints one line on
 * standard error and no row, and exits 3. A 404 or a 500 on one id does not stop it, nor does a
 * 403 about one connection the key may not see (Nectar's notes: 403 is scope or visibility).
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { runCli as cli } from "./helpers/cli.js";
import { lastSegment, sendJson, startApi, type TestApi } from "./helpers/cli-server.js";
import { connections } from "./helpers/fixtures.js";

const IDS = Array.from({ length: 300 }, () => randomUUID());
const CONCURRENCY = 4;

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The detail Nectar sends with each status. */
const DETAIL: Record<number, string> = {
  401: "Invalid API key.",
  403: "You do not have permission to perform this action.",
};

describe.each([401, 403])("check against a key answered %i for every id", (status) => {
  it(`sends at most --concurrency ${CONCURRENCY} lookups, says so in one line, prints no row, exits 3`, async () => {
    const started = await startApi((_request, response) =>
      sendJson(response, status, { detail: DETAIL[status] }),
    );
    api = started;
    const run = await cli([
      "check",
      ...IDS,
      "--concurrency",
      String(CONCURRENCY),
      "--json",
      ...started.flags,
    ]);
    expect(run.code).toBe(3);
    expect(started.requests.length).toBeGreaterThanOrEqual(1);
    // 401 and 403 are not retried; a 403 waits for a second id's 403, one lookup more at most.
    expect(started.requests.length).toBeLessThanOrEqual(CONCURRENCY + (status === 403 ? 1 : 0));
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^nectar-connection: check stopped: the API key /);
    expect(lines[0]).toContain(`(${status}`);
    expect(lines[0]).toContain(DETAIL[status]);
  });

  it("stops the same way with the table, and with --company --fresh", async () => {
    const listed = connections.passwordIncorrect();
    const company = listed.company?.id ?? "";
    const started = await startApi((request, response) => {
      if ((request.url ?? "").includes("/connection/company/")) {
        const page = IDS.slice(0, 40).map((id) => ({ ...listed, id }));
        sendJson(response, 200, {
          totalConnections: 40,
          perPage: 500,
          totalPages: 1,
          currentPage: 1,
          hasNext: false,
          hasPrevious: false,
          connections: page,
        });
      } else sendJson(response, status, { detail: DETAIL[status] });
    });
    api = started;
    const table = await cli(["check", ...IDS, "--concurrency", "2", ...started.flags]);
    expect(table.code).toBe(3);
    expect(table.stdout).toBe("");
    expect(started.requests.length).toBeLessThanOrEqual(2 + (status === 403 ? 1 : 0));
    const before = started.requests.length;
    const fresh = await cli(["check", "--company", company, "--fresh", "--csv", ...started.flags]);
    expect(fresh.code).toBe(3);
    expect(fresh.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(fresh.stderr).toContain("check stopped");
    const lookups = started.requests.slice(before).filter((r) => !r.includes("/company/"));
    expect(lookups.length).toBeLessThanOrEqual(11); // the default: at most 10 in flight, +1 for a 403
    expect(fresh.stdout.trimEnd().split("\r\n")).toHaveLength(1); // the header alone
  });

  it("check --company stops at the listing's first page: one request, one line, exit 3", async () => {
    const started = await startApi((_request, response) =>
      sendJson(response, status, { detail: DETAIL[status] }),
    );
    api = started;
    const run = await cli(["check", "--company", randomUUID(), "--json", ...started.flags]);
    expect(run.code).toBe(3);
    expect(started.requests).toHaveLength(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("the stop's line counts the connections checked before it", () => {
  it.each([
    [0, "0 connections checked before"],
    [1, "1 connection checked before"],
    [2, "2 connections checked before"],
  ])("%i answered before the 401: %j", async (answered, words) => {
    const ids = IDS.slice(0, 10);
    const listed = connections.passwordIncorrect();
    const started = await startApi((request, response) => {
      const id = lastSegment(request);
      if ((ids as readonly string[]).indexOf(id) < answered)
        sendJson(response, 200, { ...listed, id });
      else sendJson(response, 401, { detail: DETAIL[401] });
    });
    api = started;
    const run = await cli(["check", ...ids, "--concurrency", "1", "--json", ...started.flags]);
    expect(run.code).toBe(3);
    expect(run.stdout.trimEnd().split("\n").filter(Boolean)).toHaveLength(answered);
    expect(run.stderr).toContain(`(lookups in flight cancelled, ${words}).`);
  });
});

describe("a 403 about one connection does not stop the run", () => {
  /** A server that refuses `forbidden` with a 403 and answers every other id. */
  async function refusing(forbidden: readonly string[]) {
    const listed = connections.passwordIncorrect();
    return startApi((request, response) => {
      const id = lastSegment(request);
      if (forbidden.includes(id)) sendJson(response, 403, { detail: DETAIL[403] });
      else sendJson(response, 200, { ...listed, id });
    });
  }

  /** The NDJSON rows of a run. */
  const rowsOf = (stdout: string) =>
    stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; ok: boolean; errorStatus: number | null });

  it.each([
    ["the first id, answered before any success", 0],
    ["an id after successes", 9],
  ])("a 403 on %s: a row for it, every id checked, exit 3", async (_, index) => {
    const ids = IDS.slice(0, 20);
    const forbidden = ids[index] ?? "";
    api = await refusing([forbidden]);
    const run = await cli(["check", ...ids, "--concurrency", "1", "--json", ...api.flags]);
    expect(run.code).toBe(3);
    expect(run.stderr).not.toContain("check stopped");
    const rows = rowsOf(run.stdout);
    expect(rows.map((row) => row.id)).toEqual(ids); // one at a time: in order, the held one too
    expect(rows[index]).toMatchObject({ ok: false, errorStatus: 403 });
  });

  it("a single id answered 403: its row, exit 3, no stop", async () => {
    const [id = ""] = IDS;
    api = await refusing([id]);
    const run = await cli(["check", id, "--json", ...api.flags]);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe("");
    expect(rowsOf(run.stdout)).toEqual([expect.objectContaining({ id, errorStatus: 403 })]);
  });

  it("two 403s after a success are two rows: the key can read, those two it may not see", async () => {
    const ids = IDS.slice(0, 10);
    const forbidden = [ids[3] ?? "", ids[4] ?? ""];
    api = await refusing(forbidden);
    const run = await cli(["check", ...ids, "--concurrency", "1", "--json", ...api.flags]);
    expect(run.code).toBe(3);
    expect(run.stderr).not.toContain("check stopped");
    const failed = rowsOf(run.stdout).filter((row) => !row.ok);
    expect(failed.map((row) => row.id)).toEqual(forbidden);
  });
});

describe("a failure of one id does not stop the run", () => {
  it.each([404, 500])("a %i on one id: every other id is still checked, exit 3", async (status) => {
    const failing = IDS[7] ?? "";
    const ids = IDS.slice(0, 20);
    const listed = connections.passwordIncorrect();
    const started = await startApi((request, response) => {
      const id = lastSegment(request);
      if (id === failing) sendJson(response, status, { detail: "Not found." });
      else sendJson(response, 200, { ...listed, id });
    });
    api = started;
    const run = await cli(["check", ...ids, "--concurrency", "3", "--json", ...started.flags]);
    expect(run.code).toBe(3);
    const rows = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; ok: boolean; errorStatus: number | null });
    expect(rows.map((row) => row.id).sort()).toEqual([...ids].sort());
    expect(rows.find((row) => row.id === failing)).toMatchObject({
      ok: false,
      errorStatus: status,
    });
    expect(run.stderr).not.toContain("check stopped");
  });
});

describe("--concurrency", () => {
  it.each(["0", "11", "2.5", "ten"])(
    "refuses %j with a usage error, nothing sent",
    async (value) => {
      const started = await startApi((_request, response) => sendJson(response, 401, {}));
      api = started;
      const run = await cli([
        "check",
        ...IDS.slice(0, 3),
        "--concurrency",
        value,
        ...started.flags,
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--concurrency must be a whole number from 1 to 10");
      expect(started.requests).toHaveLength(0);
    },
  );
});
