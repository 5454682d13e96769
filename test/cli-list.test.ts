/**
 * `nectar-connection list <companyId>` and `check --company`: `main` in-process against the
 * mock (a generated fleet spread over four companies, Nectar's paging), counting the requests
 * the mock received; then hostile paging over a real socket: the last page repeated past the
 * end, `hasNext` always true, a page repeated, totals that grow on every page.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "../generated/schema.js";
import { EXAMPLE_COMPANY_ID, MOCK_COMPANY_OPTIONS } from "../src/cli/company-walk.js";
import { lineText, pagesText } from "../src/cli/progress.js";
import { createNectarClient } from "../src/client.js";
import { connectionHealth } from "../src/helpers/status.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { runCli as cli, expectOneErrorLine } from "./helpers/cli.js";
import { sendJson, startApi, type TestApi } from "./helpers/cli-server.js";
import { connections as fixtures, TEST_API_KEY } from "./helpers/fixtures.js";

let mock: MockServer;
let against: string[];
/** The first company of the fleet, and its connections as the library lists them. */
let company: string;
let members: Connection[];

beforeAll(async () => {
  mock = await startMockServer({ apiKey: TEST_API_KEY, fleet: { size: 3_000, seed: 5 } });
  against = ["--base-url", mock.url, "--api-key", TEST_API_KEY];
  company = mock.companyIds[3] ?? "";
  const client = createNectarClient({ apiKey: TEST_API_KEY, baseUrl: mock.url });
  members = await client.connections.list(company).toArray();
  mock.reset();
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

/** The NDJSON lines of a run, parsed. */
const jsonLines = (out: string) =>
  out
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The paths of the list requests the mock received. */
const listRequests = () =>
  mock.stats.log.filter((entry) => entry.path.includes("/connection/company/"));

const needsUser = (c: Connection) => connectionHealth(c).group === "needs_user_action";

describe("list: formats", () => {
  it("prints every connection of the company, those needing action first, in two pages", async () => {
    expect(members.length).toBeGreaterThan(500); // so that the walk takes two pages
    const run = await cli(["list", company, ...against]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID +STATUS +GROUP +SINCE +WHAT TO DO$/);
    const rows = lines.slice(1, 1 + members.length);
    expect(new Set(rows.map((line) => line.split(" ")[0]))).toEqual(
      new Set(members.map((c) => c.id)),
    );
    expect(rows[0]?.split(/ {2,}/)[2]).toBe("needs_user_action");
    expect(lines.at(-1)).toMatch(new RegExp(`\\(${members.length} listed\\)$`));
    expect(mock.stats.requests).toBe(2);
  });

  it("--json prints one object per connection, without the magic-link secret", async () => {
    const run = await cli(["list", company, "--json", ...against]);
    expect(run.code).toBe(0);
    const objects = jsonLines(run.stdout);
    expect(objects.map((o) => o.id)).toEqual(members.map((c) => c.id)); // the list's order
    const first = members[0];
    expect(objects[0]).toMatchObject({
      ok: true,
      status: first?.status,
      company: first?.company?.name,
    });
    for (const c of members) expect(run.stdout).not.toContain(c.connectionMagicLinkSecret);
  });

  it("--csv prints a header and a row per connection", async () => {
    const run = await cli(["list", company, "--csv", ...against]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,ok,status,group,needsUserAction,/);
    expect(lines).toHaveLength(members.length + 1);
  });
});

describe("list: filters", () => {
  it("--status, repeated or comma-separated, walks once per status with Nectar's filter", async () => {
    const run = await cli([
      "list",
      company,
      "--status",
      "password_incorrect,MFA_TOKEN_EXPIRED",
      "--status",
      "PASSWORD_INCORRECT",
      "--json",
      ...against,
    ]);
    expect(run.code).toBe(0);
    const wanted = members.filter((c) =>
      ["PASSWORD_INCORRECT", "MFA_TOKEN_EXPIRED"].includes(c.status ?? ""),
    );
    expect(wanted.length).toBeGreaterThan(0);
    expect(new Set(jsonLines(run.stdout).map((o) => o.id))).toEqual(
      new Set(wanted.map((c) => c.id)),
    );
    expect(
      listRequests().map((entry) => new URL(entry.path, "http://x").searchParams.get("status")),
    ).toEqual(["PASSWORD_INCORRECT", "MFA_TOKEN_EXPIRED"]);
  });

  it("--owner and --site go to Nectar as connectionOwnerEmail and repeated sites", async () => {
    const owner = members[0]?.workflowOwnerEmail ?? "";
    const sites = members.slice(0, 2).flatMap((c) => c.initialSites ?? []);
    const argv = ["list", company, "--owner", owner, "--json", ...against];
    const run = await cli([...argv, ...sites.flatMap((site) => ["--site", site])]);
    expect(run.code).toBe(0);
    const query = new URL(listRequests()[0]?.path ?? "", "http://x").searchParams;
    expect(query.get("connectionOwnerEmail")).toBe(owner);
    expect(query.getAll("sites")).toEqual(sites);
  });

  it("--limit reads no more connections, and asks for no larger pages, than it says", async () => {
    const three = await cli(["list", company, "--limit", "3", "--json", ...against]);
    expect(jsonLines(three.stdout).map((o) => o.id)).toEqual(members.slice(0, 3).map((c) => c.id));
    // The page after may have been asked for ahead, and cancelled: never more.
    const asked = listRequests().map((entry) => entry.path);
    expect(asked[0]).toBe(`/v2.2/connection/company/${company}?limit=3&page=1`);
    expect(asked.length).toBeLessThanOrEqual(2);
    mock.reset();
    const more = await cli(["list", company, "--limit", "501", "--csv", ...against]);
    expect(more.stdout.trimEnd().split("\r\n")).toHaveLength(502);
    // (the first run's cancelled request may reach the mock late: only this run's pages count)
    const pages = listRequests().filter((entry) => entry.path.includes("limit=500"));
    expect(pages[0]?.path).toContain("limit=500&page=1");
    expect(pages.length).toBeLessThanOrEqual(3);
  });

  it.each([
    [[], "list needs a company id"],
    [["not-a-uuid"], "company id"],
    [["COMPANY", "COMPANY"], "takes one company id"],
    [["COMPANY", "--status", "BROKEN"], "--status takes one of PENDING"],
    [["COMPANY", "--status", "DEACTIVATED"], "--status takes one of"],
    [["COMPANY", "--owner", "someone"], "--owner must be an email address"],
    [["COMPANY", "--site", "nope"], "--site takes site ids"],
    [["COMPANY", "--limit", "0"], "--limit must be a whole number"],
    [["COMPANY", "--json", "--csv"], "--json and --csv cannot be used together"],
  ])("refuses %j with a usage error (exit 2) and sends nothing", async (args, message) => {
    const argv = args.map((arg) => (arg === "COMPANY" ? company : arg));
    const run = await cli(["list", ...argv, ...against]);
    expect(run.code).toBe(2);
    expectOneErrorLine(run);
    expect(run.stderr).toContain(message);
    expect(mock.stats.requests).toBe(0);
  });

  it("a company the key may not see: one line, exit 3", async () => {
    const run = await cli(["list", "11111111-2222-4333-8444-555555555555", ...against]);
    expect(run.code).toBe(3);
    expectOneErrorLine(run);
    expect(run.stderr).toContain("status 403");
  });
});

describe("list: --mock and the progress line", () => {
  it("the help's example company is one of the mock's", async () => {
    const started = await startMockServer(MOCK_COMPANY_OPTIONS);
    try {
      expect(started.companyIds).toContain(EXAMPLE_COMPANY_ID);
    } finally {
      await started.close();
    }
    const run = await cli(["list", EXAMPLE_COMPANY_ID, "--mock", "--limit", "5", "--json"]);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toHaveLength(5);
    const help = await cli(["list", "--help"]);
    expect(help.stdout).toContain(`list ${EXAMPLE_COMPANY_ID} --mock`);
  });

  it("counts pages and connections on a terminal, and is erased before the table", async () => {
    let clock = 0;
    const run = await cli(["list", company, ...against], {
      stderrIsTTY: true,
      now: () => (clock += 200),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("\r\u001b[Kpage 1/2 · 500 connections");
    expect(run.stderr).toContain(`page 2/2 · ${members.length} connections`);
    expect(run.stderr.endsWith("\r\u001b[K")).toBe(true);
    expect(run.stdout).not.toContain("\u001b[K");
  });

  it("reads pages, connections, and the lookups when there are any", () => {
    const pages = { pages: 2, totalPages: 20, connections: 1_000 };
    expect(pagesText(pages)).toBe("page 2/20 · 1000 connections");
    expect(pagesText({ pages: 1, totalPages: 0, connections: 1 })).toBe("page 1/1 · 1 connection");
    expect(lineText(undefined, pages, 2_000)).toBe("page 2/20 · 1000 connections · 500/s");
    expect(lineText({ done: 900, total: undefined, failed: 1 }, pages, 3_000)).toBe(
      "page 2/20 · 1000 connections · checked 900 · 1 failed · 300/s",
    );
  });
});

describe("check --company", () => {
  it("checks the company's connections from the list alone: no request per connection", async () => {
    const run = await cli(["check", "--company", company, "--json", ...against]);
    expect(run.code).toBe(0);
    expect(new Set(jsonLines(run.stdout).map((o) => o.id))).toEqual(
      new Set(members.map((c) => c.id)),
    );
    expect(mock.stats.requests).toBe(2);
  });

  it("--fresh fetches each listed connection again", async () => {
    const run = await cli([
      "check",
      "--company",
      company,
      "--fresh",
      "--csv",
      "--limit",
      "40",
      ...against,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\r\n")).toHaveLength(41);
    const lookups = mock.stats.log.filter((entry) =>
      /\/connection\/[0-9a-f-]{36}$/.test(entry.path),
    );
    expect(lookups.map((entry) => entry.path.split("/").at(-1)).sort()).toEqual(
      members
        .slice(0, 40)
        .map((c) => c.id)
        .sort(),
    );
    expect(listRequests().length).toBeLessThanOrEqual(2); // the next page, asked ahead
  });

  it("--fail-on and --invite act on the listed connections", async () => {
    const broken = members.filter(needsUser);
    expect(broken.length).toBeGreaterThan(0);
    const argv = ["check", "--company", company, "--status", "PASSWORD_INCORRECT"];
    const run = await cli([
      ...argv,
      "--invite",
      "--yes",
      "--json",
      "--fail-on",
      "needs_user_action",
      ...against,
    ]);
    expect(run.code).toBe(5);
    const rows = jsonLines(run.stdout);
    const expected = members.filter((c) => c.status === "PASSWORD_INCORRECT");
    expect(rows.map((o) => o.id).sort()).toEqual(expected.map((c) => c.id).sort());
    for (const row of rows) expect(row.invitationUrl).toMatch(/^https:\/\//);
    expect(mock.stats.invitationsCreated).toBe(expected.length);
  });

  it("the progress line counts pages, connections and, with --fresh, lookups", async () => {
    let clock = 0;
    const run = await cli(
      ["check", "--company", company, "--fresh", "--limit", "30", "--json", ...against],
      {
        stderrIsTTY: true,
        now: () => (clock += 200),
      },
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/page 1\/\d+ · 30 connections · checked \d+ · 0 failed/);
  });

  it.each([
    [["--company", "COMPANY", fixtures.passwordIncorrect().id], "give no ids"],
    [["--company", "not-a-uuid"], "--company takes a company id"],
    [["--status", "CONNECTED", fixtures.passwordIncorrect().id], "go with --company"],
    [["--fresh", fixtures.passwordIncorrect().id], "go with --company"],
    [[], "--company <id>"],
  ])("refuses %j with a usage error (exit 2) and sends nothing", async (args, message) => {
    const argv = args.map((arg) => (arg === "COMPANY" ? company : arg));
    const run = await cli(["check", ...argv, ...against]);
    expect(run.code).toBe(2);
    expectOneErrorLine(run);
    expect(run.stderr).toContain(message);
    expect(mock.stats.requests).toBe(0);
  });
});

describe("hostile paging, through the command line, over a real socket", () => {
  const COMPANY = fixtures.passwordIncorrect().company?.id ?? "";
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  /** A connection with an id of its own: the `n`th of the list. */
  const item = (n: number) => ({
    ...fixtures.passwordIncorrect(),
    id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`,
  });

  /** The page asked for in a request. */
  const pageOf = (request: IncomingMessage) =>
    Number(new URL(request.url ?? "/", "http://x").searchParams.get("page") ?? 1);

  /** A server answering each page with `answer(page)`: the page numbers and its items. */
  function serve(
    answer: (page: number) => { current: number; total: number; hasNext: boolean; items: number[] },
  ) {
    return startApi((request: IncomingMessage, response: ServerResponse) => {
      const { current, total, hasNext, items } = answer(pageOf(request));
      sendJson(response, 200, {
        totalConnections: total * 2,
        perPage: 2,
        totalPages: total,
        currentPage: current,
        hasNext,
        hasPrevious: current > 1,
        connections: items.map(item),
      });
    });
  }

  it("the last page, answered again past the end with hasNext still true, ends the walk", async () => {
    // Three pages; asked for page 4 or later, the server answers page 3 again, claiming more.
    api = await serve((page) => {
      const current = Math.min(page, 3);
      return { current, total: 5, hasNext: true, items: [2 * current, 2 * current + 1] };
    });
    const run = await cli(["list", COMPANY, "--json", ...api.flags]);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout).map((o) => o.id)).toEqual(
      [2, 3, 4, 5, 6, 7].map((n) => item(n).id),
    );
    expect(api.requests).toHaveLength(4);
  });

  it("hasNext always true stops at totalPages", async () => {
    api = await serve((page) => ({
      current: page,
      total: 2,
      hasNext: true,
      items: [2 * page, 2 * page + 1],
    }));
    const run = await cli(["list", COMPANY, "--csv", ...api.flags]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\r\n")).toHaveLength(5);
    expect(api.requests).toHaveLength(2);
  });

  it("the same page forever, announcing more: a typed error, exit 3, never a loop", async () => {
    api = await serve((page) => ({ current: page, total: 1_000, hasNext: true, items: [0, 1] }));
    const run = await cli(["check", "--company", COMPANY, "--json", ...api.flags]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^nectar-connection: .*answered page 2 with the items of page 1/);
    expect(jsonLines(run.stdout)).toHaveLength(2); // the first page was checked
    expect(api.requests.length).toBeLessThanOrEqual(3);
  });

  it("totals that grow on every page end at the ceiling derived from the first page", async () => {
    api = await serve((page) => ({
      current: page,
      total: page + 1,
      hasNext: true,
      items: [2 * page, 2 * page + 1],
    }));
    const run = await cli(["list", COMPANY, "--json", ...api.flags]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("still had pages after page");
    expect(api.requests.length).toBeLessThan(20); // 2 × 2 + 10: the ceiling for totalPages 2
  });
});
