/**
 * The mock's `GET /connection/company/{company_id}` and `GET /ping`, over HTTP: Nectar's paging
 * (1-indexed pages of `limit`, the last page again past the end), the filters, the refusals, and
 * a fleet spread over a few companies (`mock.companyIds`).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Connection, ConnectionPage } from "../generated/schema.js";
import { validateConnectionPage } from "../generated/validators.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { connections, exampleConnections } from "./helpers/fixtures.js";

let mock: MockServer;
let everyone: Connection[];

beforeAll(async () => {
  mock = await startMockServer({
    connections: exampleConnections(),
    fleet: { size: 1_000, seed: 7 },
  });
  everyone = await Promise.all(
    mock.ids.map(async (id) => {
      const response = await fetch(`${mock.url}/connection/${id}`, {
        headers: { "x-api-key": mock.apiKey },
      });
      return (await response.json()) as Connection;
    }),
  );
});
afterAll(() => mock.close());

/** GETs a path of the mock with its key; resolves to the status and the JSON body. */
async function get(path: string, key = mock.apiKey): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${mock.url}${path}`, { headers: { "x-api-key": key } });
  return { status: response.status, body: await response.json() };
}

/** One page of a company, which must be a 200 that conforms to the spec. */
async function pageOf(companyId: string, query = ""): Promise<ConnectionPage> {
  const { status, body } = await get(`/connection/company/${companyId}${query}`);
  expect(status).toBe(200);
  expect(validateConnectionPage(body), JSON.stringify(validateConnectionPage.errors)).toBe(true);
  return body as ConnectionPage;
}

/** The fleet companies (the examples' companies come first). */
const fleetCompanies = () => mock.companyIds.slice(-4);
const ownedBy = (companyId: string) => everyone.filter((c) => c.company?.id === companyId);

describe("companyIds", () => {
  test("the examples' companies, then the fleet's four, each holding connections", () => {
    expect(mock.companyIds.slice(0, 3)).toEqual(
      [connections.passwordIncorrect(), connections.deactivated(), connections.seed()].map(
        (c) => c.company?.id,
      ),
    );
    expect(mock.companyIds).toHaveLength(7);
    const sizes = fleetCompanies().map((id) => ownedBy(id).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_000);
    for (const size of sizes) expect(size).toBeGreaterThan(150);
  });

  test("the same seed gives the same companies; another seed other ones", async () => {
    const examples = { connections: exampleConnections() };
    const again = await startMockServer({ ...examples, fleet: { size: 10, seed: 7 } });
    const other = await startMockServer({ ...examples, fleet: { size: 10, seed: 8 } });
    try {
      expect(new Set(again.companyIds.slice(3))).toEqual(
        new Set(fleetCompanies().filter((id) => again.companyIds.includes(id))),
      );
      expect(other.companyIds.slice(3).some((id) => mock.companyIds.includes(id))).toBe(false);
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
  });
});

describe("paging", () => {
  test("pages of 100 by default, 1-indexed, every connection once and in order", async () => {
    const company = fleetCompanies()[0] ?? "";
    const own = ownedBy(company);
    const first = await pageOf(company);
    expect(first).toMatchObject({
      totalConnections: own.length,
      perPage: 100,
      totalPages: Math.ceil(own.length / 100),
      currentPage: 1,
      hasNext: true,
      hasPrevious: false,
    });
    const seen: string[] = [];
    for (let page = 1; page <= first.totalPages; page++) {
      const body = await pageOf(company, `?page=${page}`);
      expect(body.currentPage).toBe(page);
      expect(body.hasNext).toBe(page < first.totalPages);
      expect(body.hasPrevious).toBe(page > 1);
      seen.push(...body.connections.map((c) => c.id));
    }
    expect(seen).toEqual(own.map((c) => c.id));
  });

  test("a page past the end is the last page again, not an empty one", async () => {
    const company = fleetCompanies()[1] ?? "";
    const last = await pageOf(company, "?limit=50&page=1");
    const lastPage = await pageOf(company, `?limit=50&page=${last.totalPages}`);
    for (const past of [last.totalPages + 1, last.totalPages + 1_000, 999_999_999]) {
      expect(await pageOf(company, `?limit=50&page=${past}`)).toEqual(lastPage);
    }
    expect(lastPage.hasNext).toBe(false);
    expect(lastPage.connections.length).toBeGreaterThan(0);
  });

  test("limit 1 and 500 are taken; perPage echoes the limit", async () => {
    const company = fleetCompanies()[2] ?? "";
    const one = await pageOf(company, "?limit=1&page=2");
    expect(one).toMatchObject({ perPage: 1, currentPage: 2, totalPages: ownedBy(company).length });
    expect(one.connections).toHaveLength(1);
    const all = await pageOf(company, "?limit=500");
    expect(all.connections).toHaveLength(Math.min(500, ownedBy(company).length));
  });

  test("a filter that matches nothing is page 1 of 1, empty", async () => {
    const company = fleetCompanies()[0] ?? "";
    expect(await pageOf(company, "?connectionOwnerEmail=nobody%40nowhere.example")).toEqual({
      totalConnections: 0,
      perPage: 100,
      totalPages: 1,
      currentPage: 1,
      hasNext: false,
      hasPrevious: false,
      connections: [],
    });
  });
});

describe("filters", () => {
  const company = () => fleetCompanies()[3] ?? "";

  test("status: only connections with that status", async () => {
    const body = await pageOf(company(), "?status=CONNECTED&limit=500");
    const expected = ownedBy(company()).filter((c) => c.status === "CONNECTED");
    expect(body.connections.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    expect(expected.length).toBeGreaterThan(0);
  });

  test("connectionOwnerEmail: exact match on workflowOwnerEmail", async () => {
    const target = ownedBy(company())[5];
    const email = target?.workflowOwnerEmail ?? "";
    const body = await pageOf(company(), `?connectionOwnerEmail=${encodeURIComponent(email)}`);
    expect(body.connections.map((c) => c.id)).toEqual([target?.id]);
    const upper = await pageOf(
      company(),
      `?connectionOwnerEmail=${encodeURIComponent(email.toUpperCase())}`,
    );
    expect(upper.totalConnections).toBe(0);
  });

  test("sites, repeated: connections linked to any of them", async () => {
    const [a, b] = ownedBy(company());
    const sites = [a?.initialSites?.[0], b?.initialSites?.[0]?.toUpperCase()];
    const body = await pageOf(company(), `?sites=${sites[0]}&sites=${sites[1]}`);
    expect(body.connections.map((c) => c.id)).toEqual([a?.id, b?.id]);
  });
});

describe("refusals", () => {
  const company = () => fleetCompanies()[0] ?? "";

  test.each([
    ["limit=0", "limit must be an integer from 1 to 500."],
    ["limit=501", "limit must be an integer from 1 to 500."],
    ["limit=abc", "limit must be an integer from 1 to 500."],
    ["page=0", "page must be an integer of at least 1."],
    ["page=-1", "page must be an integer of at least 1."],
    ["status=DEACTIVATED", '"DEACTIVATED" is not a valid choice for status.'],
    ["connectionOwnerEmail=nope", "connectionOwnerEmail must be a valid email address."],
    ["sites=nope", "sites must be UUIDs."],
  ])("?%s: 400 %s", async (query, detail) => {
    expect(await get(`/connection/company/${company()}?${query}`)).toEqual({
      status: 400,
      body: { detail },
    });
  });

  test("a company_id that is not a UUID: 400", async () => {
    expect(await get("/connection/company/acme")).toEqual({
      status: 400,
      body: { detail: "Invalid company_id: expected a UUID." },
    });
  });

  test("a company the key sees no connection of: 403", async () => {
    expect(await get("/connection/company/00000000-0000-4000-8000-000000000000")).toEqual({
      status: 403,
      body: { detail: "You do not have permission to perform this action." },
    });
  });

  test("a wrong key: 401", async () => {
    expect((await get(`/connection/company/${company()}`, "wrong")).status).toBe(401);
  });

  test("a POST: 405", async () => {
    const response = await fetch(`${mock.url}/connection/company/${company()}`, {
      method: "POST",
      headers: { "x-api-key": mock.apiKey },
    });
    expect(response.status).toBe(405);
  });
});

describe("ping", () => {
  test("200 with the key, 401 without", async () => {
    expect(await get("/ping")).toEqual({ status: 200, body: { version: "2.2" } });
    expect((await get("/ping", "wrong")).status).toBe(401);
  });
});
