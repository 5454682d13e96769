/**
 * `client.connections.list` against the mock over real sockets: the arguments refused before
 * anything is sent, the query it sends, the walk through a company's pages (`for await`,
 * `.pages()`, `await`, `toArray`), fetching ahead, and the client's policies on every page.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Connection } from "../generated/schema.js";
import {
  ConnectionList,
  createNectarClient,
  NectarAbortError,
  type NectarClient,
  NectarPermissionError,
  NectarResponseTooLargeError,
  NectarTooManyItemsError,
} from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { refusal } from "./helpers/refused.js";

let mock: MockServer;
let client: NectarClient;
let company: string;
let own: Connection[];

beforeAll(async () => {
  mock = await startMockServer({ fleet: { size: 2_000, seed: 3 } });
  client = createNectarClient({ apiKey: mock.apiKey, baseUrl: mock.url, logLevel: "off" });
  company = mock.companyIds[3] ?? "";
  own = [];
  for (const id of mock.ids) {
    const connection = await client.connections.retrieve(id);
    if (connection.company?.id === company) own.push(connection);
  }
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

/** The request targets the mock logged, below /v2.2. */
const sent = () => mock.stats.log.map((entry) => entry.path.replace(/^\/v2\.2/, ""));

describe("arguments, refused at once with nothing sent", () => {
  test.each([
    [() => client.connections.list("acme"), /^companyId must be a UUID/],
    [
      () => client.connections.list(company, { limit: 0 }),
      /^limit must be a whole number from 1 to 500/,
    ],
    [
      () => client.connections.list(company, { status: "DEACTIVATED" as "PENDING" }),
      /^status must be one of/,
    ],
    [
      () => client.connections.list(company, { connectionOwnerEmail: "x" }),
      /^connectionOwnerEmail must be an email/,
    ],
    [() => client.connections.list(company, { sites: ["x"] }), /^sites\[0\] must be a UUID/],
    [() => client.connections.list(company, { page: 2 } as object), /^Unknown list option "page"/],
    [
      () => client.connections.list(company, { pageConcurrency: 0 }),
      /^pageConcurrency must be a whole number of at least 1/,
    ],
    [
      () => client.connections.list(company, { pageConcurrency: 11 }),
      /^pageConcurrency must be at most the client's maxConcurrency \(10\), got 11/,
    ],
    [
      () => client.connections.list(company, { timeoutMs: -1 }),
      /^timeoutMs must be a positive number/,
    ],
    [
      () => client.connections.list(company, { maxRetries: 1.5 }),
      /^maxRetries must be a whole number/,
    ],
    [
      () => client.connections.list(company, { maxResponseBytes: 0 }),
      /^maxResponseBytes must be a whole number of at least 1/,
    ],
    [
      () =>
        client.connections.list(company, {
          signal: new AbortController() as unknown as AbortSignal,
        }),
      /pass controller.signal/,
    ],
    [
      () => client.connections.list(company, "fast" as unknown as object),
      /^The list options must be an object/,
    ],
  ])("%#: %s", (run, message) => {
    expect(refusal(run)).toMatch(message);
    expect(mock.stats.requests).toBe(0);
  });

  test("toArray refuses a bad max or an unknown option, before any request", async () => {
    const list = client.connections.list(company);
    await expect(list.toArray({ max: -1 })).rejects.toThrow(
      /^max must be a whole number of at least 0/,
    );
    await expect(list.toArray({ limit: 5 } as object)).rejects.toThrow(
      /^Unknown toArray option "limit"/,
    );
    expect(mock.stats.requests).toBe(0);
  });

  test("nothing is sent until the list is read", () => {
    client.connections.list(company);
    expect(mock.stats.requests).toBe(0);
  });
});

describe("the query it sends", () => {
  test("limit 500 by default, the page, each site repeated, the status and the owner, encoded", async () => {
    const sites = ["2E3F4A5B-6C7D-4E8F-9A0B-1C2D3E4F5A6B", "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"];
    await client.connections.list(company, {
      status: "PASSWORD_INCORRECT",
      connectionOwnerEmail: "energy+ops@acme.example",
      sites,
    });
    expect(sent()).toEqual([
      `/connection/company/${company}?connectionOwnerEmail=energy%2Bops%40acme.example&limit=500&page=1&sites=${sites[0]?.toLowerCase()}&sites=${sites[1]}&status=PASSWORD_INCORRECT`,
    ]);
  });

  test("an upper-case company id is sent in lower case", async () => {
    await client.connections.list(company.toUpperCase(), { limit: 1 });
    expect(sent()).toEqual([`/connection/company/${company}?limit=1&page=1`]);
  });
});

describe("walking a company's pages", () => {
  test("for await: every connection of the company once, in order, one request per page", async () => {
    const seen: string[] = [];
    for await (const connection of client.connections.list(company, { limit: 100 })) {
      seen.push(connection.id);
    }
    expect(seen).toEqual(own.map((c) => c.id));
    const pages = Math.ceil(own.length / 100);
    expect(sent()).toEqual(
      Array.from(
        { length: pages },
        (_, i) => `/connection/company/${company}?limit=100&page=${i + 1}`,
      ),
    );
  });

  test(".pages(): each page as sent, numbered 1 to totalPages", async () => {
    const numbers: number[] = [];
    let total = 0;
    for await (const page of client.connections.list(company, { limit: 200 }).pages()) {
      numbers.push(page.currentPage);
      total += page.connections.length;
      expect(page.totalConnections).toBe(own.length);
    }
    expect(numbers).toEqual(Array.from({ length: Math.ceil(own.length / 200) }, (_, i) => i + 1));
    expect(total).toBe(own.length);
  });

  test("await: the first page, fetched once however often it is awaited", async () => {
    const list = client.connections.list(company, { limit: 7 });
    const first = await list;
    expect(first.currentPage).toBe(1);
    expect(first.connections.map((c) => c.id)).toEqual(own.slice(0, 7).map((c) => c.id));
    expect(await list).toBe(first);
    expect(mock.stats.requests).toBe(1);
    expect(list).toBeInstanceOf(ConnectionList);
  });

  test("filters narrow the walk", async () => {
    const needy = await client.connections
      .list(company, { status: "PASSWORD_INCORRECT" })
      .toArray();
    expect(needy.map((c) => c.id)).toEqual(
      own.filter((c) => c.status === "PASSWORD_INCORRECT").map((c) => c.id),
    );
    expect(needy.length).toBeGreaterThan(0);
  });

  test("the owner filter (an email address) reaches no error message and no log line", async () => {
    const lines: string[] = [];
    const record = (message: string, ...details: unknown[]) =>
      lines.push(`${message} ${JSON.stringify(details)}`);
    const logged = createNectarClient({
      apiKey: mock.apiKey,
      baseUrl: mock.url,
      maxRetries: 1,
      logLevel: "debug",
      logger: { error: record, warn: record, info: record, debug: record },
      sleep: async () => {},
    });
    const email = "private.owner@acme.example";
    mock.script(company, [{ status: 503 }, { status: 503 }]);
    const error = await logged.connections
      .list(company, { connectionOwnerEmail: email })
      .toArray()
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      `GET /connection/company/${company} failed with status 503: ${(error as { detail: string }).detail}`,
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [...lines, (error as Error).message, String((error as Error).stack)]) {
      expect(text).not.toContain("private.owner");
    }
  });

  test("an unknown company: NectarPermissionError when the walk starts", async () => {
    const list = client.connections.list("00000000-0000-4000-8000-000000000000");
    await expect(list.toArray()).rejects.toBeInstanceOf(NectarPermissionError);
    await expect(list).rejects.toBeInstanceOf(NectarPermissionError);
  });
});

describe("toArray", () => {
  test("collects every connection when there are at most max", async () => {
    const all = await client.connections.list(company).toArray({ max: own.length });
    expect(all.map((c) => c.id)).toEqual(own.map((c) => c.id));
  });

  test("throws NectarTooManyItemsError past max, never a truncated array, and stops fetching", async () => {
    const list = client.connections.list(company, { limit: 10 });
    const error = await list.toArray({ max: 25 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NectarTooManyItemsError);
    expect(error).toMatchObject({ max: 25 });
    expect(mock.stats.requests).toBeLessThanOrEqual(4);
  });

  test("max 0 throws on the first connection", async () => {
    await expect(client.connections.list(company).toArray({ max: 0 })).rejects.toBeInstanceOf(
      NectarTooManyItemsError,
    );
  });
});

describe("fetching ahead and stopping", () => {
  test("pageConcurrency 3: at most three pages in flight, items still in order", async () => {
    const slow = await startMockServer({ fleet: { size: 2_000, seed: 3 }, latencyMs: 30 });
    try {
      const slowClient = createNectarClient({
        apiKey: slow.apiKey,
        baseUrl: slow.url,
        logLevel: "off",
      });
      const seen: string[] = [];
      for await (const connection of slowClient.connections.list(company, {
        limit: 50,
        pageConcurrency: 3,
      })) {
        seen.push(connection.id);
      }
      expect(seen).toEqual(own.map((c) => c.id));
      expect(slow.stats.maxInFlight).toBe(3);
    } finally {
      await slow.close();
    }
  });

  test("break cancels the pages in flight; nothing more is requested", async () => {
    const slow = await startMockServer({ fleet: { size: 2_000, seed: 3 }, latencyMs: 200 });
    try {
      const slowClient = createNectarClient({
        apiKey: slow.apiKey,
        baseUrl: slow.url,
        logLevel: "off",
      });
      const list = slowClient.connections.list(company, { limit: 10, pageConcurrency: 2 });
      for await (const connection of list) {
        expect(connection.id).toBe(own[0]?.id);
        break;
      }
      // Page 1, and at most the two pages fetched ahead (their requests may be cut before sending).
      const requests = slow.stats.requests;
      expect(requests).toBeLessThanOrEqual(3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(slow.stats.requests).toBe(requests);
      expect(slow.stats.inFlight).toBe(0);
    } finally {
      await slow.close();
    }
  });

  test("aborting the signal ends the walk with NectarAbortError", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const walk = async () => {
      for await (const connection of client.connections.list(company, {
        limit: 10,
        signal: controller.signal,
      })) {
        seen.push(connection.id);
        if (seen.length === 15) controller.abort();
      }
    };
    await expect(walk()).rejects.toBeInstanceOf(NectarAbortError);
    expect(seen).toHaveLength(15);
  });
});

describe("the client's policies apply to each page", () => {
  test("a 503 on a page is retried, and the walk goes on", async () => {
    mock.script(company, [{ status: 503 }]);
    const all = await client.connections.list(company).toArray();
    expect(all).toHaveLength(own.length);
    expect(mock.stats.requests).toBe(Math.ceil(own.length / 500) + 1);
  });

  test("maxResponseBytes caps each page", async () => {
    const list = client.connections.list(company, { maxResponseBytes: 10_000 });
    await expect(list.toArray()).rejects.toBeInstanceOf(NectarResponseTooLargeError);
  });

  test("the cap of requests in flight is the client's", async () => {
    const capped = createNectarClient({
      apiKey: mock.apiKey,
      baseUrl: mock.url,
      maxConcurrency: 2,
      logLevel: "off",
    });
    expect(refusal(() => capped.connections.list(company, { pageConcurrency: 3 }))).toMatch(
      /\(2\), got 3/,
    );
    expect(
      await capped.connections.list(company, { limit: 100, pageConcurrency: 2 }).toArray(),
    ).toHaveLength(own.length);
  });
});
