/**
 * Bulk sources cannot stall `retrieveMany`: a source that yields only duplicates (for ever, in
 * an iterable or an async one), never yields, throws, or whose `next()` rejects is read with a
 * turn of the event loop at least every few hundred items, so timers run, `signal` ends the run
 * and `break` works; the source's `return()` is awaited after `break`; and no listener is left on
 * a signal reused across runs. Calls go over real sockets to the mock.
 */
import { getEventListeners } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createNectarClient,
  NectarAbortError,
  type NectarClient,
  type RetrieveManyResult,
} from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { rejectionOf } from "./helpers/client.js";

let mock: MockServer;
let client: NectarClient;
beforeAll(async () => {
  mock = await startMockServer({ fleet: { size: 30, seed: 3 }, connections: [] });
  client = createNectarClient({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());

/** Runs the loop to its end; resolves to the results, or rejects with what the loop threw. */
async function drain(run: AsyncIterable<RetrieveManyResult>): Promise<RetrieveManyResult[]> {
  const results: RetrieveManyResult[] = [];
  for await (const result of run) results.push(result);
  return results;
}

/** The same id for ever, synchronously. */
function* sameIdForever(id: string) {
  for (;;) yield id;
}

/** The same id for ever, each read resolving at once (a chain of microtasks, no macrotask). */
async function* sameIdForeverAsync(id: string) {
  for (;;) yield id;
}

/** The first id, then fresh ids for ever: never a duplicate, never exhausted. */
function* endless(ids: readonly string[]) {
  for (let n = 0; ; n++) yield ids[n % ids.length] ?? "";
}

describe("a source that never ends", () => {
  it.each([
    ["an iterable", () => sameIdForever(mock.ids[0] ?? "")],
    ["an async iterable", () => sameIdForeverAsync(mock.ids[0] ?? "")],
  ])("of duplicates only (%s): a timer's abort ends the run", async (_, source) => {
    const signal = AbortSignal.timeout(50);
    const ticks: number[] = [];
    const ticker = setInterval(() => ticks.push(Date.now()), 5);
    try {
      const error = await rejectionOf(drain(client.connections.retrieveMany(source(), { signal })));
      expect(error).toBeInstanceOf(NectarAbortError);
    } finally {
      clearInterval(ticker);
    }
    expect(ticks.length).toBeGreaterThan(0); // the event loop kept turning while it read
  });

  it("of duplicates after one result: the result is yielded, and break ends the loop", async () => {
    const id = mock.ids[0] ?? "";
    const results: RetrieveManyResult[] = [];
    for await (const result of client.connections.retrieveMany(sameIdForever(id))) {
      results.push(result);
      break;
    }
    expect(results.map((result) => result.id)).toEqual([id]);
  });

  it("of distinct ids without dedupe: break after 25 results stops reading and calling", async () => {
    let seen = 0;
    const before = mock.stats.requests;
    for await (const _ of client.connections.retrieveMany(endless(mock.ids), { dedupe: false })) {
      if (++seen === 25) break;
    }
    expect(seen).toBe(25);
    expect(mock.stats.requests - before).toBeLessThanOrEqual(25 + 10);
  });

  it("that waits for ever with nothing in flight: an abort ends it", async () => {
    const controller = new AbortController();
    const never: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<string>>(() => {}) }),
    };
    const run = drain(client.connections.retrieveMany(never, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    expect(await rejectionOf(run)).toBeInstanceOf(NectarAbortError);
  });

  it("an already aborted signal ends the run before anything is read or sent", async () => {
    let read = 0;
    function* counting() {
      for (;;) {
        read++;
        yield mock.ids[0] ?? "";
      }
    }
    const before = mock.stats.requests;
    const signal = AbortSignal.abort();
    const error = await rejectionOf(drain(client.connections.retrieveMany(counting(), { signal })));
    expect(error).toBeInstanceOf(NectarAbortError);
    expect(read).toBe(0);
    expect(mock.stats.requests).toBe(before);
  });
});

describe("a source that fails", () => {
  it("whose iterator throws: the loop throws that error", async () => {
    const failure = new Error("the id file is unreadable");
    function* failing() {
      yield mock.ids[0] ?? "";
      yield mock.ids[1] ?? "";
      throw failure;
    }
    expect(await rejectionOf(drain(client.connections.retrieveMany(failing())))).toBe(failure);
  });

  it("whose next() rejects: the loop throws that error rather than hanging", async () => {
    const failure = new Error("the stream broke");
    let calls = 0;
    const rejecting: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          calls++;
          if (calls > 2) throw failure;
          return { done: false, value: mock.ids[calls] ?? "" };
        },
      }),
    };
    expect(await rejectionOf(drain(client.connections.retrieveMany(rejecting)))).toBe(failure);
  });

  it("whose next() rejects after an abort: the loop still ends with NectarAbortError", async () => {
    const controller = new AbortController();
    const late: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () =>
          new Promise<IteratorResult<string>>((_, reject) => {
            setTimeout(() => reject(new Error("late failure")), 40);
          }),
      }),
    };
    const run = drain(client.connections.retrieveMany(late, { signal: controller.signal }));
    controller.abort();
    expect(await rejectionOf(run)).toBeInstanceOf(NectarAbortError);
    await new Promise((resolve) => setTimeout(resolve, 60)); // the late rejection is not unhandled
  });
});

describe("closing the source", () => {
  it("awaits the source's return() after break, before the loop exits", async () => {
    let closed = false;
    async function* source() {
      try {
        for (const id of mock.ids) yield id;
      } finally {
        await new Promise((resolve) => setTimeout(resolve, 20));
        closed = true;
      }
    }
    for await (const _ of client.connections.retrieveMany(source())) break;
    expect(closed).toBe(true);
  });

  it("awaits the source's return() after an abort with a read settled", async () => {
    let closed = false;
    const controller = new AbortController();
    async function* source() {
      try {
        for (const id of mock.ids) yield id;
      } finally {
        await new Promise((resolve) => setTimeout(resolve, 20));
        closed = true;
      }
    }
    const run = client.connections.retrieveMany(source(), { signal: controller.signal });
    const error = await rejectionOf(
      (async () => {
        for await (const _ of run) controller.abort();
      })(),
    );
    expect(error).toBeInstanceOf(NectarAbortError);
    expect(closed).toBe(true);
  });
});

describe("a signal reused across runs", () => {
  it("carries no listener once each run has ended, however it ended", async () => {
    const controller = new AbortController();
    const { signal } = controller;
    const ids = mock.ids.slice(0, 12);
    await drain(client.connections.retrieveMany(ids, { signal }));
    for await (const _ of client.connections.retrieveMany(ids, { signal })) break;
    function* failing() {
      yield ids[0] ?? "";
      throw new Error("broken source");
    }
    await rejectionOf(drain(client.connections.retrieveMany(failing(), { signal })));
    for (let i = 0; i < 20; i++) {
      await drain(client.connections.retrieveMany(ids.slice(0, 2), { signal }));
    }
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });
});
