/**
 * `retrieveMany`, the behaviours mutation testing found unpinned: its own `concurrency` bounds
 * the calls in flight; the per-call options (`timeoutMs`, `maxRetries`) reach every call; what
 * counts as a source of ids (any object with either iterator, never `null` or a plain object);
 * and a failed result keeps the error it failed with. Over real sockets to the mock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createNectarClient,
  type NectarClient,
  NectarInvalidInputError,
  NectarServerError,
  NectarTimeoutError,
  type RetrieveManyResult,
} from "../../src/index.js";
import { type MockServer, startMockServer } from "../../src/mock/index.js";
import { isIdSource } from "../../src/resources/retrieve-many.js";

let mock: MockServer;
let client: NectarClient;
beforeAll(async () => {
  mock = await startMockServer({ fleet: { size: 40, seed: 11 }, connections: [] });
  client = createNectarClient({ apiKey: mock.apiKey, baseUrl: mock.url, maxConcurrency: 20 });
});
afterAll(() => mock.close());

async function drain(run: AsyncIterable<RetrieveManyResult>): Promise<RetrieveManyResult[]> {
  const results: RetrieveManyResult[] = [];
  for await (const result of run) results.push(result);
  return results;
}

describe("retrieveMany's own concurrency", () => {
  it("keeps at most `concurrency` calls in flight, below the client's cap", async () => {
    const slow = await startMockServer({ fleet: { size: 12, seed: 5 }, latencyMs: 30 });
    try {
      const fast = createNectarClient({ apiKey: slow.apiKey, baseUrl: slow.url });
      let most = 0;
      const watching = setInterval(() => {
        most = Math.max(most, slow.stats.inFlight);
      }, 2);
      const results = await drain(fast.connections.retrieveMany(slow.ids, { concurrency: 3 }));
      clearInterval(watching);
      expect(results).toHaveLength(slow.ids.length);
      expect(results.every((result) => result.ok)).toBe(true);
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(3);
    } finally {
      await slow.close();
    }
  });

  it("reads ten ids ahead by default, even when the client allows more", async () => {
    let read = 0;
    let readAtFirst = 0;
    function* source() {
      for (const id of mock.ids) {
        read++;
        yield id;
      }
    }
    for await (const _ of client.connections.retrieveMany(source())) {
      readAtFirst = read;
      break;
    }
    expect(readAtFirst).toBe(10);
  });
});

describe("retrieveMany passes the per-call options to every call", () => {
  it("timeoutMs: each call of a slow server fails with NectarTimeoutError", async () => {
    const slow = await startMockServer({ fleet: { size: 3, seed: 5 }, latencyMs: 5_000 });
    try {
      const impatient = createNectarClient({ apiKey: slow.apiKey, baseUrl: slow.url });
      const results = await drain(
        impatient.connections.retrieveMany(slow.ids, { timeoutMs: 100, maxRetries: 0 }),
      );
      expect(results).toHaveLength(3);
      for (const result of results) {
        expect(result.ok === false && result.error).toBeInstanceOf(NectarTimeoutError);
      }
    } finally {
      await slow.close();
    }
  });

  it("maxRetries: a 503 is retried as many times as asked, for each id", async () => {
    const [id = ""] = mock.ids;
    mock.script(id, [{ status: 503 }, { status: 503 }, { status: 503 }]);
    const before = mock.stats.requests;
    const [result] = await drain(client.connections.retrieveMany([id], { maxRetries: 1 }));
    expect(result?.ok === false && result.error).toBeInstanceOf(NectarServerError);
    expect(result?.id).toBe(id);
    expect(mock.stats.requests - before).toBe(2);
    mock.reset();
  });
});

describe("what retrieveMany takes as its ids", () => {
  it("any object with Symbol.iterator or Symbol.asyncIterator", async () => {
    const [first = "", second = ""] = mock.ids;
    const iterableOnly = { [Symbol.iterator]: () => [first][Symbol.iterator]() };
    const asyncOnly = {
      async *[Symbol.asyncIterator]() {
        yield second;
      },
    };
    expect(isIdSource(iterableOnly)).toBe(true);
    expect(isIdSource(asyncOnly)).toBe(true);
    const results = [
      ...(await drain(client.connections.retrieveMany(iterableOnly))),
      ...(await drain(client.connections.retrieveMany(asyncOnly))),
    ];
    expect(results.map((result) => result.ok && result.connection.id)).toEqual([first, second]);
  });

  it.each([
    ["null", null],
    ["a plain object", { ids: [] }],
    ["a string (iterable, but of characters)", "3c90c3cc-0d44-4b50-8888-8dd25736052a"],
    ["undefined", undefined],
  ])("refuses %s with a message saying what it takes, sending nothing", (_, ids) => {
    const before = mock.stats.requests;
    // @ts-expect-error: the wrong types are the point
    expect(() => client.connections.retrieveMany(ids)).toThrow(
      new NectarInvalidInputError(
        "ids must be an Iterable or AsyncIterable of connection ids (an array, a Set, a generator).",
      ),
    );
    expect(isIdSource(ids)).toBe(false);
    expect(mock.stats.requests).toBe(before);
  });
});

describe("retrieveMany's messages", () => {
  it("name the function on an unknown option", () => {
    // @ts-expect-error: an unknown option is the point
    expect(() => client.connections.retrieveMany([], { parallel: 2 })).toThrow(
      /^Unknown retrieveMany option "parallel"/,
    );
  });
});
