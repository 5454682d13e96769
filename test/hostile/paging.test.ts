/**
 * Hostile paging over real sockets: servers that repeat the last page forever, keep `hasNext`
 * true, change their totals mid-run, or answer another page than the one asked, and a list of
 * 100 000 connections walked with flat memory (in a child process, so the heap is the client's).
 * Every walk ends: with all the items, or with a typed error, never in a loop.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createNectarClient, NectarPaginationError } from "../../src/index.js";
import { connectionAt, type PagingRules, pagingHandler } from "./paging-server.js";
import { closeAll, optionsFor, startServer } from "./servers.js";

const COMPANY = "6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const CHILD = fileURLToPath(new URL("./list-memory-child.ts", import.meta.url));

afterAll(closeAll);

/** Starts a server with `rules`; returns a client on it and what reached it. */
async function serve(rules: PagingRules) {
  const server = await startServer(pagingHandler(rules));
  const client = createNectarClient(optionsFor(server));
  const pagesAsked = () =>
    server.requests.map((seen) =>
      Number(new URL(seen.url, server.origin).searchParams.get("page")),
    );
  return { client, server, pagesAsked };
}

/** The ids of the first `count` connections of the virtual list. */
const ids = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => connectionAt(from + i).id);

/** Walks the list; resolves to the ids seen and the error it ended with, if any. */
async function walk(client: ReturnType<typeof createNectarClient>, limit: number) {
  const seen: string[] = [];
  try {
    for await (const connection of client.connections.list(COMPANY, { limit }))
      seen.push(connection.id);
    return { seen, error: undefined };
  } catch (error) {
    return { seen, error };
  }
}

describe("a walk against a hostile list server", () => {
  it("Nectar's own paging (the last page again past the end) is read once, to its end", async () => {
    const { client, pagesAsked } = await serve({ total: () => 25 });
    expect(await walk(client, 10)).toEqual({ seen: ids(25), error: undefined });
    expect(pagesAsked()).toEqual([1, 2, 3]);
  });

  it("the last page repeated forever, hasNext true: stops when the page answered is not the one asked", async () => {
    const { client, pagesAsked } = await serve({
      total: () => 25,
      hasNext: () => true,
      totalPages: () => 1_000,
    });
    expect(await walk(client, 10)).toEqual({ seen: ids(25), error: undefined });
    expect(pagesAsked()).toEqual([1, 2, 3, 4]);
  });

  it("the last page repeated forever, numbered as asked: NectarPaginationError on the repeat", async () => {
    const { client, pagesAsked } = await serve({
      total: () => 25,
      numbered: (asked) => asked,
      hasNext: () => true,
      totalPages: () => 1_000_000,
    });
    const { seen, error } = await walk(client, 10);
    expect(seen).toEqual(ids(25));
    expect(error).toBeInstanceOf(NectarPaginationError);
    expect(error).toMatchObject({ problem: "repeated_page", page: 4 });
    expect(pagesAsked()).toEqual([1, 2, 3, 4]);
  });

  it("empty pages forever under a huge totalPages: NectarPaginationError on the second empty page", async () => {
    const { client, pagesAsked } = await serve({
      total: () => 20,
      served: (asked) => asked,
      hasNext: () => true,
      totalPages: () => 1_000_000,
    });
    const { seen, error } = await walk(client, 10);
    expect(seen).toEqual(ids(20));
    expect(error).toMatchObject({ problem: "repeated_page", page: 4 });
    expect(pagesAsked()).toEqual([1, 2, 3, 4]);
  });

  it("hasNext always true with honest totals: stops at currentPage = totalPages", async () => {
    const { client, pagesAsked } = await serve({ total: () => 30, hasNext: () => true });
    expect(await walk(client, 10)).toEqual({ seen: ids(30), error: undefined });
    expect(pagesAsked()).toEqual([1, 2, 3]);
  });

  it("totals that grow on every request: NectarPaginationError at the ceiling, after the pages read", async () => {
    let requests = 0;
    const { client, pagesAsked } = await serve({ total: () => 20 + 10 * requests++ });
    const { seen, error } = await walk(client, 10);
    expect(error).toBeInstanceOf(NectarPaginationError);
    expect(error).toMatchObject({ problem: "too_many_pages", page: 14 });
    // The first page said 2 pages: the ceiling is 2 × 2 + 10 = 14.
    expect(pagesAsked()).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(seen).toEqual(ids(140));
  });

  it("totals that shrink mid-run: stops at the new last page, without repeating it", async () => {
    let requests = 0;
    const { client, pagesAsked } = await serve({ total: () => (requests++ < 2 ? 50 : 22) });
    const { seen, error } = await walk(client, 10);
    expect(error).toBeUndefined();
    // Pages 1 and 2 from the list of 50; page 3 is the last of 22 (2 items): all read once.
    expect(seen).toEqual(ids(22));
    expect(pagesAsked()).toEqual([1, 2, 3]);
  });

  it("a page that is not the one asked for ends the walk", async () => {
    const { client, pagesAsked } = await serve({
      total: () => 100,
      served: (asked) => (asked === 3 ? 5 : asked),
    });
    expect(await walk(client, 10)).toEqual({ seen: ids(20), error: undefined });
    expect(pagesAsked()).toEqual([1, 2, 3]);
  });

  it("the same items under every page number: NectarPaginationError after the first page", async () => {
    const { client, pagesAsked } = await serve({
      total: () => 100,
      served: () => 1,
      numbered: (asked) => asked,
    });
    const { seen, error } = await walk(client, 10);
    expect(seen).toEqual(ids(10));
    expect(error).toMatchObject({ problem: "repeated_page", page: 2 });
    expect(pagesAsked()).toEqual([1, 2]);
  });
});

describe("a list of 100 000 connections", () => {
  it("is walked with flat memory: the heap after GC does not grow with the pages read", async () => {
    const server = await startServer(pagingHandler({ total: () => 100_000 }));
    const result = await new Promise<{ count: number; samples: number[] }>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--expose-gc", "--import", "tsx", CHILD],
        {
          env: { ...process.env, NECTAR_TEST_BASE_URL: `${server.origin}/v2.2` },
          timeout: 120_000,
        },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`child failed: ${error.message}\n${stderr}`));
          else resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}"));
        },
      );
    });
    expect(result.count).toBe(100_000);
    expect(result.samples).toHaveLength(20);
    const [first = 0] = result.samples;
    const growth = Math.max(...result.samples) - first;
    const MiB = 1024 * 1024;
    console.info(
      `100 000 connections, 200 pages: heap after GC ${(first / MiB).toFixed(1)} MiB at page 10, peak ${(Math.max(...result.samples) / MiB).toFixed(1)} MiB (+${(growth / MiB).toFixed(1)} MiB)`,
    );
    // The whole list is ~40 MB of JSON; holding it would grow the heap by far more than this.
    expect(growth).toBeLessThan(5 * MiB);
    expect(server.requests).toHaveLength(200);
  }, 120_000);
});
