/**
 * `client.connections.retrieveMany`: lazy reading of the ids, results as they complete, dedup,
 * bad ids as results, the shared cap, progress, and abort or `break` leaving nothing running.
 * Over real sockets against the mock's generated fleet, and on an in-memory `fetch` where the
 * test must see each call open and close.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BulkProgress,
  createNectarClient,
  NectarAbortError,
  NectarInvalidInputError,
  NectarNotFoundError,
  type RetrieveManyResult,
} from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { createObservedClient, json, rejectionOf } from "./helpers/client.js";
import { connections } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer({ fleet: { size: 60, seed: 7 }, latencyMs: 2 });
});
afterAll(() => mock.close());

function mockClient(maxConcurrency = 10) {
  const record = (message: string, ...details: unknown[]) =>
    recordForRedaction({ message, details });
  return createNectarClient({
    apiKey: mock.apiKey,
    baseUrl: mock.url,
    maxConcurrency,
    logger: { error: record, warn: record, info: record, debug: record },
  });
}

/** Every result of a run, in completion order. */
async function collect(run: AsyncIterable<RetrieveManyResult>): Promise<RetrieveManyResult[]> {
  const results: RetrieveManyResult[] = [];
  for await (const result of run) {
    recordForRedaction(result.ok ? result.id : result.error);
    results.push(result);
  }
  return results;
}

/** The fleet's ids (the examples come first in `mock.ids`). */
const fleetIds = () => mock.ids.slice(3);

/** An in-memory client whose calls stay open until the test releases them; counts them. */
function heldClient() {
  const open = new Set<() => void>();
  let max = 0;
  const observed = createObservedClient(
    (request) =>
      new Promise<Response>((resolve, reject) => {
        const id = request.url.split("/").pop() ?? "";
        const release = () => {
          open.delete(release);
          resolve(json(200, { ...connections.seed(), id }));
        };
        open.add(release);
        max = Math.max(max, open.size);
        request.signal?.addEventListener("abort", () => {
          open.delete(release);
          reject(request.signal?.reason);
        });
      }),
  );
  const releaseAll = () => {
    for (const release of [...open]) release();
  };
  return { ...observed, open, releaseAll, maxOpen: () => max };
}

/** Lets queued microtasks and I/O callbacks run. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("retrieveMany against the mock's fleet", () => {
  it("fetches every id of an array and yields one result per id", async () => {
    const ids = fleetIds();
    const results = await collect(mockClient().connections.retrieveMany(ids));
    expect(results).toHaveLength(ids.length);
    expect(new Set(results.map((r) => r.id))).toEqual(new Set(ids));
    for (const result of results) {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.connection.id).toBe(result.id);
    }
  });

  it("fetches a duplicate once and reports it once, whatever its case", async () => {
    const [id = ""] = fleetIds();
    const before = mock.stats.requests;
    const results = await collect(
      mockClient().connections.retrieveMany([id, id.toUpperCase(), id, `${id}`]),
    );
    expect(results).toHaveLength(1);
    expect(mock.stats.requests - before).toBe(1);
  });

  it("reports a bad id and an unknown id as failed results, and goes on", async () => {
    const [first = "", second = ""] = fleetIds();
    const before = mock.stats.requests;
    const results = await collect(
      mockClient().connections.retrieveMany([first, "not-an-id", UNKNOWN_ID, second]),
    );
    const byId = new Map(results.map((r) => [r.id, r]));
    expect(byId.get(first)?.ok).toBe(true);
    expect(byId.get(second)?.ok).toBe(true);
    const bad = byId.get("not-an-id");
    expect(bad?.ok === false && bad.error).toBeInstanceOf(NectarInvalidInputError);
    const unknown = byId.get(UNKNOWN_ID);
    expect(unknown?.ok === false && unknown.error).toBeInstanceOf(NectarNotFoundError);
    expect(mock.stats.requests - before).toBe(3); // the bad id sent nothing
  });

  it("reads a generator only as far as the cap needs: one that throws after id 20 is never hit", async () => {
    const ids = fleetIds();
    let read = 0;
    let readAtFirstResult = 0;
    function* source() {
      for (const id of ids) {
        read++;
        if (read > 20) throw new Error("read past the 20th id");
        yield id;
      }
    }
    let seen = 0;
    for await (const result of mockClient().connections.retrieveMany(source())) {
      if (seen === 0) readAtFirstResult = read;
      expect(result.ok).toBe(true);
      if (++seen === 10) break;
    }
    expect(readAtFirstResult).toBe(10); // the cap, not more
    expect(read).toBeLessThanOrEqual(20);
  });

  it("accepts an async generator, and gives no total for it", async () => {
    const ids = fleetIds().slice(0, 15);
    async function* lines() {
      for (const id of ids) yield id;
    }
    const progress: BulkProgress[] = [];
    const results = await collect(
      mockClient().connections.retrieveMany(lines(), { onProgress: (p) => progress.push(p) }),
    );
    expect(results).toHaveLength(15);
    expect(progress.at(-1)).toEqual({ done: 15, total: undefined, failed: 0 });
  });
});

describe("retrieveMany progress", () => {
  it("counts done and failed after each result, with the distinct total of an array", async () => {
    const ids = fleetIds().slice(0, 8);
    const input = [...ids, ids[0] ?? "", "bad", UNKNOWN_ID];
    const progress: BulkProgress[] = [];
    const results = await collect(
      mockClient().connections.retrieveMany(input, { onProgress: (p) => progress.push({ ...p }) }),
    );
    expect(results).toHaveLength(10);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(progress.every((p) => p.total === 10)).toBe(true);
    expect(progress.at(-1)?.failed).toBe(2);
  });

  it("counts every id, duplicates and bad ones included, when dedupe is off", async () => {
    const ids = fleetIds().slice(0, 3);
    const input = [...ids, ids[0] ?? "", ids[1]?.toUpperCase() ?? "", "bad", "bad"];
    const totals: (number | undefined)[] = [];
    const results = await collect(
      mockClient().connections.retrieveMany(input, {
        dedupe: false,
        onProgress: (p) => totals.push(p.total),
      }),
    );
    expect(results).toHaveLength(7);
    expect(new Set(totals)).toEqual(new Set([7]));
    const sized = new Set([...ids, "bad"]);
    const setTotals: (number | undefined)[] = [];
    await collect(
      mockClient().connections.retrieveMany(sized, {
        dedupe: false,
        onProgress: (p) => setTotals.push(p.total),
      }),
    );
    expect(setTotals).toEqual([4, 4, 4, 4]);
  });

  it("counts each bad or non-string id of an array once per appearance in the distinct total", async () => {
    const [id = ""] = fleetIds();
    const input = [id, id.toUpperCase(), "bad", "bad", 7 as unknown as string];
    const totals: (number | undefined)[] = [];
    const results = await collect(
      mockClient().connections.retrieveMany(input, { onProgress: (p) => totals.push(p.total) }),
    );
    expect(results).toHaveLength(4); // the id once, each bad entry on its own
    expect(new Set(totals)).toEqual(new Set([4]));
  });

  it("takes the total of a Set", async () => {
    const ids = new Set(fleetIds().slice(0, 5));
    const totals: (number | undefined)[] = [];
    await collect(
      mockClient().connections.retrieveMany(ids, { onProgress: (p) => totals.push(p.total) }),
    );
    expect(totals).toEqual([5, 5, 5, 5, 5]);
  });
});

describe("retrieveMany shares the client's cap", () => {
  it("keeps a bulk run and single calls together within maxConcurrency", async () => {
    const held = heldClient();
    const ids = Array.from(
      { length: 30 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    const run = collect(held.client.connections.retrieveMany(ids));
    await turn();
    const single = held.client.connections.retrieve("11111111-1111-4111-8111-111111111111");
    let singleDone = false;
    void single.then(() => {
      singleDone = true;
    });
    while (!singleDone) {
      expect(held.open.size).toBeLessThanOrEqual(10);
      held.releaseAll();
      await turn();
    }
    let bulkDone = false;
    void run.then(() => {
      bulkDone = true;
    });
    expect(bulkDone).toBe(false); // the single call was served while the run went on
    while (!bulkDone) {
      held.releaseAll();
      await turn();
    }
    expect(await run).toHaveLength(30);
    expect(held.maxOpen()).toBe(10);
  });
});

describe("retrieveMany shares the client's retry budget", () => {
  it("stops retrying once the budget is spent, for the run and for single calls alike", async () => {
    const { client, requests } = createObservedClient(() => json(503, { detail: "down" }));
    const ids = Array.from(
      { length: 200 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    const results = await collect(client.connections.retrieveMany(ids, { maxRetries: 2 }));
    expect(results.every((r) => !r.ok)).toBe(true);
    // 500 tokens at 5 a retry: 100 retries in all, not 2 for each of the 200 ids.
    expect(requests).toHaveLength(200 + 100);
    const single = await rejectionOf(client.connections.retrieve(ids[0] ?? ""));
    expect(single).toMatchObject({ status: 503, attempts: 1 });
  });
});

describe("retrieveMany stops cleanly", () => {
  it("break aborts the calls in flight before the loop exits", async () => {
    const held = heldClient();
    const ids = Array.from(
      { length: 25 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    const loop = (async () => {
      for await (const _ of held.client.connections.retrieveMany(ids)) break;
    })();
    while (held.open.size < 10) await turn();
    const [first] = held.open;
    first?.();
    await loop;
    expect(held.open.size).toBe(0); // nothing left open when the loop returned
    expect(held.requests).toHaveLength(10); // nothing new started after the break
  });

  it("an aborted signal aborts the calls in flight and the loop throws NectarAbortError", async () => {
    const held = heldClient();
    const controller = new AbortController();
    const ids = Array.from(
      { length: 25 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    const results: RetrieveManyResult[] = [];
    const loop = (async () => {
      for await (const r of held.client.connections.retrieveMany(ids, {
        signal: controller.signal,
      }))
        results.push(r);
    })();
    while (held.open.size < 10) await turn();
    controller.abort();
    const error = await rejectionOf(loop);
    expect(error).toBeInstanceOf(NectarAbortError);
    expect(held.open.size).toBe(0);
    expect(results).toEqual([]); // aborted calls are not reported as failures
  });

  it("an abort ends a run whose source is still waiting for its next id (say, standard input)", async () => {
    const held = heldClient();
    const controller = new AbortController();
    const [first = "", second = ""] = fleetIds();
    async function* typing() {
      yield first;
      yield second;
      await new Promise(() => {}); // the user never types the third line
    }
    const results: string[] = [];
    const loop = (async () => {
      for await (const r of held.client.connections.retrieveMany(typing(), {
        signal: controller.signal,
      })) {
        results.push(r.id);
        if (results.length === 2) controller.abort();
      }
    })();
    while (held.open.size < 2) await turn();
    held.releaseAll();
    expect(await rejectionOf(loop)).toBeInstanceOf(NectarAbortError);
    expect(results.sort()).toEqual([first, second].sort());
  });

  it("leaves no socket, timer or server behind after an abort over real sockets", async () => {
    const tally = () => {
      const counts: Record<string, number> = {};
      for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
      return counts;
    };
    const before = tally();
    const slow = await startMockServer({ fleet: { size: 40, seed: 3 }, latencyMs: 5_000 });
    const client = createNectarClient({ apiKey: slow.apiKey, baseUrl: slow.url });
    const controller = new AbortController();
    const loop = (async () => {
      for await (const _ of client.connections.retrieveMany(slow.ids, {
        signal: controller.signal,
      })) {
        // never reached: every answer takes 5 s
      }
    })();
    while (slow.stats.inFlight < 10) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    expect(await rejectionOf(loop)).toBeInstanceOf(NectarAbortError);
    await slow.close();
    const deadline = performance.now() + 5_000;
    const extra = () =>
      Object.entries(tally()).filter(([kind, count]) => count > (before[kind] ?? 0));
    while (extra().length > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(extra()).toEqual([]);
  });
});

describe("retrieveMany refuses bad arguments before sending anything", () => {
  it.each([
    ["a string", "3c90c3cc-0d44-4b50-8888-8dd25736052a", {}],
    ["a number", 42, {}],
    ["an unknown option", [], { parallel: 3 }],
    ["concurrency 0", [], { concurrency: 0 }],
    ["a bad timeoutMs", [], { timeoutMs: -1 }],
    ["a non-function onProgress", [], { onProgress: "yes" }],
  ])("throws NectarInvalidInputError for %s", (_, ids, options) => {
    const { client, requests } = createObservedClient(() => json(200, connections.seed()));
    // @ts-expect-error: the wrong types are the point
    expect(() => client.connections.retrieveMany(ids, options)).toThrow(NectarInvalidInputError);
    expect(requests).toEqual([]);
  });
});
