/**
 * `waitFor`, the behaviours mutation testing found unpinned: every transient failure (a 5xx, a
 * reset socket, not only a 429) keeps the wait going; a non-transient one ends it; only a
 * predicate answering `true` ends it; an abort from inside `onChange` ends the pause at once;
 * the caller's signal keeps no listener; the timeout error says how long it waited; and an
 * unknown `until` is refused with a message naming the groups. Polls go over real sockets to
 * the mock, under fake timers moved on only while the waiter pauses.
 */
import { getEventListeners } from "node:events";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Connection } from "../../generated/schema.js";
import {
  createNectarClient,
  NectarAbortError,
  type NectarClient,
  NectarInvalidInputError,
  NectarInvalidResponseError,
  NectarWaitTimeoutError,
} from "../../src/index.js";
import { type MockServer, startMockServer } from "../../src/mock/index.js";
import { waitForConnection } from "../../src/resources/wait.js";
import { connections } from "../helpers/fixtures.js";
import { countingFetch, driver, STEP_MS } from "../helpers/wait-driver.js";

const NEEDS_USER = connections.passwordIncorrect();

let mock: MockServer;
let client: NectarClient;

/** Counts each fetch until its body is read, so the driver knows when the waiter pauses. */
const counter = countingFetch();
/** Drives a wait to its end: see test/helpers/wait-driver.ts. */
const drive = driver(() => counter.open() > 0 || mock.stats.inFlight > 0);

beforeAll(async () => {
  mock = await startMockServer();
  client = createNectarClient({
    apiKey: mock.apiKey,
    baseUrl: mock.url,
    maxRetries: 0,
    fetch: counter.fetch,
  });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const pollsOf = (id: string) => mock.stats.log.filter((entry) => entry.path.endsWith(id)).length;

describe("waitFor polls again after every transient failure", () => {
  it.each([
    ["a 500", { status: 500 }],
    ["a 503 without Retry-After", { status: 503 }],
    ["a socket reset before the answer", { kind: "reset" as const }],
  ])("%s: the next poll comes after the usual pause", async (_, fault) => {
    mock.script(NEEDS_USER.id, [fault]);
    mock.script(NEEDS_USER.id, { becomes: "CONNECTED" });
    const { outcome, elapsed } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { intervalMs: 1_000 }),
    );
    expect("value" in outcome && outcome.value.status).toBe("CONNECTED");
    expect(pollsOf(NEEDS_USER.id)).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(1_000 + 4 * STEP_MS);
  });

  it("a 429 asking for less than the interval waits the interval", async () => {
    mock.script(NEEDS_USER.id, [{ status: 429, headers: { "Retry-After": "1" } }]);
    mock.script(NEEDS_USER.id, { becomes: "CONNECTED" });
    const { outcome, elapsed } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { intervalMs: 3_000 }),
    );
    expect("value" in outcome && outcome.value.status).toBe("CONNECTED");
    expect(elapsed).toBeGreaterThanOrEqual(3_000);
    expect(elapsed).toBeLessThan(3_000 + 4 * STEP_MS);
  });

  it("an answer that is not a connection (a final failure) ends the wait at once", async () => {
    mock.script(NEEDS_USER.id, [{ kind: "invalid-json" }]);
    const { outcome } = await drive(client.connections.waitFor(NEEDS_USER.id));
    expect("error" in outcome && outcome.error).toBeInstanceOf(NectarInvalidResponseError);
    expect(pollsOf(NEEDS_USER.id)).toBe(1);
  });
});

describe("waitFor's condition", () => {
  it("ends only when a predicate returns true, not a truthy value", async () => {
    let calls = 0;
    const until = (() => {
      calls++;
      return calls < 3 ? "yes" : true;
    }) as unknown as (connection: Connection) => boolean;
    const { outcome } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { intervalMs: 100, until }),
    );
    expect("value" in outcome && outcome.value.id).toBe(NEEDS_USER.id);
    expect(pollsOf(NEEDS_USER.id)).toBe(3);
  });

  it("takes a list of groups and ends on any of them", async () => {
    mock.script(NEEDS_USER.id, { becomes: "WEBSITE_DOWN", after: 1 });
    const { outcome } = await drive(
      client.connections.waitFor(NEEDS_USER.id, {
        intervalMs: 100,
        until: ["healthy", "provider_issue"],
      }),
    );
    expect("value" in outcome && outcome.value.status).toBe("WEBSITE_DOWN");
  });

  it("refuses an unknown group with a message listing the groups", async () => {
    // @ts-expect-error: an unknown group is the point
    const { outcome } = await drive(client.connections.waitFor(NEEDS_USER.id, { until: "ok" }));
    const error = "error" in outcome ? outcome.error : undefined;
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toBe(
      "until must be a health group (healthy, pending, needs_user_action, provider_issue, inactive, unknown), a list of them, or a function.",
    );
    // @ts-expect-error: a bad element is the point
    const listed = await drive(client.connections.waitFor(NEEDS_USER.id, { until: ["ok"] }));
    const second = "error" in listed.outcome ? listed.outcome.error : undefined;
    expect((second as Error).message).toMatch(/^until\[0\] must be a health group \(healthy, /);
    const empty = await drive(client.connections.waitFor(NEEDS_USER.id, { until: [] }));
    const third = "error" in empty.outcome ? empty.outcome.error : undefined;
    expect((third as Error).message).toBe((error as Error).message);
    expect(mock.stats.requests).toBe(0);
  });

  it("names the function and the argument in its messages", async () => {
    // @ts-expect-error: an unknown option is the point
    const unknown = await drive(client.connections.waitFor(NEEDS_USER.id, { every: 5 }));
    expect("error" in unknown.outcome && (unknown.outcome.error as Error).message).toMatch(
      /^Unknown waitFor option "every"/,
    );
    const badId = await drive(client.connections.waitFor("nope"));
    expect("error" in badId.outcome && (badId.outcome.error as Error).message).toMatch(
      /^connectionId must be a UUID/,
    );
  });
});

/** A poll that answers at once with `connection`, recording what it was given. */
function recordingPoll(connection: Connection = NEEDS_USER) {
  const calls: { signal: AbortSignal; maxRetries?: number }[] = [];
  const poll = async (_id: string, options: { signal: AbortSignal; maxRetries?: number }) => {
    calls.push(options);
    return connection;
  };
  return { poll, calls };
}

describe("waitFor and its poll", () => {
  it("passes maxRetries to each poll when given, and no maxRetries when not", async () => {
    const given = recordingPoll();
    await waitForConnection(given.poll, NEEDS_USER.id, { maxRetries: 2, until: () => true });
    expect(given.calls.map((call) => call.maxRetries)).toEqual([2]);
    const absent = recordingPoll();
    await waitForConnection(absent.poll, NEEDS_USER.id, { until: () => true });
    expect(absent.calls).toHaveLength(1);
    expect(Object.keys(absent.calls[0] ?? {})).toEqual(["signal"]);
  });

  it("calls no poll at all on a signal already aborted, and says it was aborted", async () => {
    const { poll, calls } = recordingPoll();
    const error = await waitForConnection(poll, NEEDS_USER.id, {
      signal: AbortSignal.abort(),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NectarAbortError);
    expect((error as Error).message).toBe("waitFor was aborted by the caller.");
    expect(calls).toEqual([]);
  });

  it("leaves no listener behind on its poll signal from one pause to the next", async () => {
    const { poll, calls } = recordingPoll();
    const waiting = waitForConnection(poll, NEEDS_USER.id, { intervalMs: 100, maxIntervalMs: 100 });
    waiting.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.length).toBeGreaterThanOrEqual(10);
    const signal = calls.at(-1)?.signal;
    if (signal === undefined) throw new Error("no poll");
    // the one pause in progress listens; the nine before it left nothing
    expect(getEventListeners(signal, "abort").length).toBeLessThanOrEqual(1);
  });

  it("without timeoutMs, waits past the longest timer rather than timing out", async () => {
    const { poll, calls } = recordingPoll();
    let ended: unknown;
    const waiting = waitForConnection(poll, NEEDS_USER.id, {
      intervalMs: 1_000_000_000,
      maxIntervalMs: 1_000_000_000,
    });
    waiting.then(
      () => {
        ended = "resolved";
      },
      (error: unknown) => {
        ended = error;
      },
    );
    await vi.advanceTimersByTimeAsync(3_000_000_000);
    expect(ended).toBeUndefined();
    expect(calls).toHaveLength(4); // at 0, 1e9, 2e9 and 3e9 ms
  });
});

describe("waitFor ends cleanly", () => {
  it("an abort from inside onChange ends the pause at once, without waiting it out", async () => {
    const controller = new AbortController();
    const { outcome, elapsed } = await drive(
      client.connections.waitFor(NEEDS_USER.id, {
        intervalMs: 60_000,
        signal: controller.signal,
        onChange: () => controller.abort(),
      }),
    );
    expect("error" in outcome && outcome.error).toBeInstanceOf(NectarAbortError);
    expect(elapsed).toBeLessThan(2 * STEP_MS);
    expect(pollsOf(NEEDS_USER.id)).toBe(1);
  });

  it("leaves no listener on the caller's signal, however the wait ended", async () => {
    const controller = new AbortController();
    const { signal } = controller;
    mock.script(NEEDS_USER.id, { becomes: "CONNECTED", after: 1 });
    await drive(client.connections.waitFor(NEEDS_USER.id, { intervalMs: 100, signal }));
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
    mock.reset(); // back to PASSWORD_INCORRECT: the second wait times out
    const timedOut = await drive(
      client.connections.waitFor(NEEDS_USER.id, { intervalMs: 100, timeoutMs: 300, signal }),
    );
    expect("error" in timedOut.outcome && timedOut.outcome.error).toBeInstanceOf(
      NectarWaitTimeoutError,
    );
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("the timeout error says how long it waited and how many polls it made", async () => {
    const { outcome } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { intervalMs: 1_000, timeoutMs: 5_000 }),
    );
    const error = "error" in outcome ? outcome.error : undefined;
    expect(error).toBeInstanceOf(NectarWaitTimeoutError);
    const waited = Number(/^waitFor gave up after (\d+) ms/.exec((error as Error).message)?.[1]);
    expect(waited).toBeGreaterThanOrEqual(5_000);
    expect(waited).toBeLessThan(5_000 + 2 * STEP_MS);
    // polls at 0, 1 000, 2 500 and 4 750 ms (then a pause of 3 375 ms, cut by the deadline)
    expect((error as NectarWaitTimeoutError).polls).toBe(4);
  });

  it("a pause longer than setTimeout can hold is capped rather than firing at once", async () => {
    let polls = 0;
    const poll = async (): Promise<Connection> => {
      polls++;
      return NEEDS_USER;
    };
    const waiting = waitForConnection(poll, NEEDS_USER.id, {
      intervalMs: 10 * 2_147_483_647,
      timeoutMs: 10 * 2_147_483_647,
    });
    waiting.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(polls).toBe(1); // a delay past 2^31 - 1 ms would have fired at once, polling again
    await vi.advanceTimersByTimeAsync(2_147_483_647);
    await expect(waiting).rejects.toBeInstanceOf(NectarWaitTimeoutError);
  });
});
