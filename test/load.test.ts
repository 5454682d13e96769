/**
 * Load: 2 000 `retrieve` calls at once against the mock server over real sockets, with
 * `maxConcurrency` 10. All succeed; the server never sees more than 10 requests in flight, and
 * does see 10 (the cap is reached, not merely respected); afterwards nothing is left behind:
 * no socket, server, timer or immediate (`process.getActiveResourcesInfo()` returns to what it
 * was before), and no abort listener on the caller's signal.
 *
 * The client uses the global fetch, whose dispatcher keeps idle sockets alive: the mock's
 * `close()` destroys every socket, and the test then polls until the resources are back.
 */
import { getEventListeners, setMaxListeners } from "node:events";
import { afterAll, describe, expect, it } from "vitest";
import type { Connection } from "../generated/schema.js";
import { createNectarClient, type NectarClient } from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { connections, TEST_API_KEY } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

const CALLS = 2_000;
const MAX_CONCURRENCY = 10;
/**
 * Each answer is held back this long. The mock runs in this process and answers a request the
 * moment it is parsed, so without a delay requests barely overlap at the server (its
 * `maxInFlight` stays at 1 or 2) and the cap would never be put to the test.
 */
const ANSWER_DELAY_MS = 3;
const EXAMPLES: Connection[] = [
  connections.seed(),
  connections.passwordIncorrect(),
  connections.deactivated(),
];

/** The kinds of active resources, counted: `{ TCPSocketWrap: 3, Timeout: 1, ... }`. */
function tally(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** The resources present now that were not present (as often) in `before`. */
function leftSince(before: Record<string, number>): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [kind, count] of Object.entries(tally())) {
    const more = count - (before[kind] ?? 0);
    if (more > 0) extra[kind] = more;
  }
  return extra;
}

/** Polls every 20 ms until `leftSince(before)` is empty, at most `ms`; returns the last value. */
async function settledSince(before: Record<string, number>, ms: number) {
  const deadline = performance.now() + ms;
  let extra = leftSince(before);
  while (Object.keys(extra).length > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    extra = leftSince(before);
  }
  return extra;
}

function clientFor(mock: MockServer): NectarClient {
  const record = (message: string, ...details: unknown[]) =>
    recordForRedaction({ message, details });
  return createNectarClient({
    apiKey: mock.apiKey,
    baseUrl: mock.url,
    maxConcurrency: MAX_CONCURRENCY,
    timeoutMs: 15_000,
    logger: { error: record, warn: record, info: record, debug: record },
  });
}

const mocks: MockServer[] = [];
afterAll(async () => {
  await Promise.all(mocks.map((mock) => mock.close()));
});

describe("2 000 calls at once, maxConcurrency 10", () => {
  it("all succeed, the cap holds and is reached, and nothing is left behind", async () => {
    const before = tally();
    const mock = await startMockServer({ apiKey: TEST_API_KEY, connections: EXAMPLES });
    mocks.push(mock);
    const client = clientFor(mock);
    for (const [index, example] of EXAMPLES.entries()) {
      const count = Math.ceil((CALLS - index) / EXAMPLES.length);
      mock.script(
        example.id,
        Array.from({ length: count }, () => ({ kind: "delay" as const, ms: ANSWER_DELAY_MS })),
      );
    }
    // One caller signal shared by every call. Each call waiting for a slot listens on it, so it
    // carries up to 2 000 listeners at once: raise its limit, or Node warns of a possible leak
    // (see the known-issue test below).
    const caller = new AbortController();
    setMaxListeners(CALLS + MAX_CONCURRENCY, caller.signal);

    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CALLS }, (_, index) => {
        const example = EXAMPLES[index % EXAMPLES.length] as Connection;
        return client.connections
          .retrieve(example.id, { signal: caller.signal })
          .withResponse()
          .then(({ data, attempts }) => ({ expected: example, data, attempts }));
      }),
    );
    const elapsed = performance.now() - started;

    expect(results).toHaveLength(CALLS);
    for (const { expected, data, attempts } of results) {
      expect(data).toEqual(expected);
      expect(attempts).toBe(1);
    }
    expect(mock.stats.requests).toBe(CALLS);
    expect(mock.stats.maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENCY);
    expect(mock.stats.maxInFlight).toBe(MAX_CONCURRENCY);
    expect(elapsed, "ms for 2 000 calls (a bound on hanging, not a benchmark)").toBeLessThan(
      45_000,
    );

    // Every listener the calls put on the caller's signal is gone.
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);

    // Close the server: it destroys every socket, so the fetch dispatcher's idle keep-alive
    // sockets close too. Then every socket, server, timer and immediate must go.
    // The check sees what the run opened (so it can fail)...
    expect(Object.keys(leftSince(before))).toEqual(
      expect.arrayContaining(["TCPServerWrap", "TCPSocketWrap"]),
    );
    await mock.close();
    // ...and all of it goes.
    expect(await settledSince(before, 5_000)).toEqual({});
  }, 60_000);

  it("a call aborted while queued leaves no listener, and the others still succeed", async () => {
    const mock = await startMockServer({ apiKey: TEST_API_KEY, connections: EXAMPLES });
    mocks.push(mock);
    const client = clientFor(mock);
    const [seed] = EXAMPLES as [Connection];
    mock.script(
      seed.id,
      Array.from({ length: 40 }, () => ({ kind: "delay" as const, ms: 200 })),
    );
    const shared = new AbortController();
    setMaxListeners(100, shared.signal);
    const doomed = new AbortController();
    const calls = Array.from({ length: 30 }, () =>
      client.connections.retrieve(seed.id, { signal: shared.signal }),
    );
    // Queued behind 30 others (10 in flight): aborted before its turn.
    const aborted = client.connections.retrieve(seed.id, { signal: doomed.signal }).then(
      () => "resolved",
      (error: unknown) => {
        recordForRedaction(error);
        return (error as Error).name;
      },
    );
    // Wait until the first 10 are at the server (held there 200 ms): the rest, the doomed one
    // last, wait in the client's queue.
    const deadline = performance.now() + 5_000;
    while (mock.stats.requests < MAX_CONCURRENCY && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(mock.stats.requests).toBe(MAX_CONCURRENCY);
    doomed.abort();
    expect(await aborted).toBe("NectarAbortError");
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 30 }, () => seed));
    expect(getEventListeners(doomed.signal, "abort")).toHaveLength(0);
    expect(getEventListeners(shared.signal, "abort")).toHaveLength(0);
    expect(mock.stats.requests).toBe(30);
    expect(mock.stats.maxInFlight).toBe(MAX_CONCURRENCY);
    await mock.close();
  });

  it("a caller signal shared by many calls gets one listener per client, and no leak warning", async () => {
    // 10 attempts in flight and 11 waiting for a slot: with a listener per call, Node would
    // print a MaxListenersExceededWarning past ten. The client keeps one listener per signal.
    const mock = await startMockServer({ apiKey: TEST_API_KEY, connections: EXAMPLES });
    mocks.push(mock);
    const client = clientFor(mock);
    const [seed] = EXAMPLES as [Connection];
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const signal = new AbortController().signal;
      const calls = Array.from({ length: 2 * MAX_CONCURRENCY + 1 }, () =>
        client.connections.retrieve(seed.id, { signal }),
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(getEventListeners(signal, "abort").length).toBeLessThanOrEqual(1);
      await Promise.all(calls);
      await new Promise((resolve) => setImmediate(resolve));
      expect(getEventListeners(signal, "abort")).toHaveLength(0);
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      await mock.close();
    }
  });
});
