/**
 * `client.connections.waitFor`: polls the mock (real sockets) whose connection is scripted to
 * change status, under fake timers: the test moves time forward only while the waiter pauses,
 * so no test waits for real time and every count is exact.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Connection } from "../generated/schema.js";
import {
  createNectarClient,
  NectarAbortError,
  type NectarClient,
  NectarInvalidInputError,
  NectarNotFoundError,
  NectarWaitTimeoutError,
} from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { conditionOf, nextInterval } from "../src/resources/wait.js";
import { connections } from "./helpers/fixtures.js";
import { countingFetch, driver, STEP_MS, turn } from "./helpers/wait-driver.js";
import { recordForRedaction } from "./setup/redaction.js";

const NEEDS_USER = connections.passwordIncorrect(); // PASSWORD_INCORRECT
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

let mock: MockServer;
let client: NectarClient;

/** Counts each fetch until its body is read, so the driver knows when the waiter pauses. */
const counter = countingFetch();
/** Drives a wait to its end: see test/helpers/wait-driver.ts. */
const drive = driver(() => counter.open() > 0 || mock.stats.inFlight > 0);

beforeAll(async () => {
  mock = await startMockServer();
  const record = (message: string, ...details: unknown[]) =>
    recordForRedaction({ message, details });
  client = createNectarClient({
    apiKey: mock.apiKey,
    baseUrl: mock.url,
    maxRetries: 0,
    logger: { error: record, warn: record, info: record, debug: record },
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

/** Fake timers left by one plain `retrieve` (fetch's own keep-alive timer): a wait may leave no more. */
async function timersOfAPlainCall(): Promise<number> {
  await drive(client.connections.retrieve(NEEDS_USER.id));
  return vi.getTimerCount();
}

/** Requests the mock received for `id`. */
const pollsOf = (id: string) => mock.stats.log.filter((entry) => entry.path.endsWith(id)).length;

describe("waitFor with scripted status changes", () => {
  it("resolves once the user fixes the connection, after backing off while nothing changed", async () => {
    mock.script(NEEDS_USER.id, { becomes: "CONNECTED", after: 3 });
    const changes: [string, string | undefined][] = [];
    const { outcome, elapsed } = await drive(
      client.connections.waitFor(NEEDS_USER.id, {
        intervalMs: 1_000,
        onChange: (now, previous) => changes.push([now.status ?? "", previous?.status]),
      }),
    );
    expect("value" in outcome && outcome.value.status).toBe("CONNECTED");
    expect(pollsOf(NEEDS_USER.id)).toBe(4);
    expect(changes).toEqual([
      ["PASSWORD_INCORRECT", undefined],
      ["CONNECTED", "PASSWORD_INCORRECT"],
    ]);
    // pauses of 1 000, 1 500 and 2 250 ms: the status did not change in between
    expect(elapsed).toBeGreaterThanOrEqual(4_750);
    expect(elapsed).toBeLessThan(4_750 + 4 * STEP_MS);
  });

  it("waits for the group asked for, through other statuses", async () => {
    mock.script(NEEDS_USER.id, { becomes: "UNDER_INVESTIGATION", after: 1 });
    mock.script(NEEDS_USER.id, { becomes: "WEBSITE_DOWN", after: 1 });
    mock.script(NEEDS_USER.id, { becomes: "CONNECTED", after: 2 });
    const seen: string[] = [];
    const { outcome } = await drive(
      client.connections.waitFor(NEEDS_USER.id, {
        intervalMs: 500,
        until: "healthy",
        onChange: (now) => seen.push(now.status ?? ""),
      }),
    );
    expect("value" in outcome && outcome.value.status).toBe("CONNECTED");
    expect(seen).toEqual([
      "PASSWORD_INCORRECT",
      "UNDER_INVESTIGATION",
      "WEBSITE_DOWN",
      "CONNECTED",
    ]);
  });

  it("stops on the default condition at a provider issue (the user has nothing left to do)", async () => {
    mock.script(NEEDS_USER.id, { becomes: "WEBSITE_DOWN", after: 1 });
    const { outcome } = await drive(client.connections.waitFor(NEEDS_USER.id, { intervalMs: 500 }));
    expect("value" in outcome && outcome.value.status).toBe("WEBSITE_DOWN");
  });

  it("takes a predicate, and a change scripted by time", async () => {
    mock.script(NEEDS_USER.id, { becomes: "CONNECTED", afterMs: 3_000 });
    const { outcome, elapsed } = await drive(
      client.connections.waitFor(NEEDS_USER.id, {
        intervalMs: 1_000,
        maxIntervalMs: 1_000,
        until: (connection: Connection) => connection.status === "CONNECTED",
      }),
    );
    expect("value" in outcome && outcome.value.status).toBe("CONNECTED");
    expect(elapsed).toBeGreaterThanOrEqual(3_000);
    expect(pollsOf(NEEDS_USER.id)).toBe(4); // at 0, 1, 2 and 3 s
  });

  it("keeps polling through a 429 and waits as long as its Retry-After asks", async () => {
    mock.script(NEEDS_USER.id, [{ status: 429, headers: { "Retry-After": "5" } }]);
    mock.script(NEEDS_USER.id, { becomes: "CONNECTED" });
    const { outcome, elapsed } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { intervalMs: 1_000 }),
    );
    expect("value" in outcome && outcome.value.status).toBe("CONNECTED");
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(pollsOf(NEEDS_USER.id)).toBe(2);
  });
});

describe("waitFor's overall limit: deadlineMs, and timeoutMs its deprecated alias", () => {
  it("still takes timeoutMs as the overall limit, for one minor", async () => {
    const { outcome, elapsed } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { intervalMs: 1_000, timeoutMs: 3_000 }),
    );
    const error = "error" in outcome ? outcome.error : undefined;
    expect(error).toBeInstanceOf(NectarWaitTimeoutError);
    expect(error).toMatchObject({ deadlineMs: 3_000, timeoutMs: 3_000 });
    expect(elapsed).toBeGreaterThanOrEqual(3_000);
    expect(elapsed).toBeLessThan(3_000 + 2 * STEP_MS);
  });

  it("refuses deadlineMs and timeoutMs together (ambiguous), before any poll", async () => {
    const before = mock.stats.requests;
    for (const [deadlineMs, timeoutMs] of [
      [5_000, 5_000],
      [5_000, 60_000],
    ] as const) {
      const { outcome } = await drive(
        client.connections.waitFor(NEEDS_USER.id, { deadlineMs, timeoutMs }),
        5,
      );
      const error = "error" in outcome ? outcome.error : undefined;
      expect(error).toBeInstanceOf(NectarInvalidInputError);
      expect((error as Error).message).toBe(
        "waitFor takes deadlineMs or timeoutMs (its deprecated name), not both: give deadlineMs.",
      );
    }
    expect(mock.stats.requests).toBe(before);
  });

  it("checks deadlineMs as it checked timeoutMs: a positive number", async () => {
    const { outcome } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { deadlineMs: 0 }),
      5,
    );
    expect("error" in outcome && outcome.error).toBeInstanceOf(NectarInvalidInputError);
    expect("error" in outcome && (outcome.error as Error).message).toMatch(/deadlineMs must be/);
  });
});

describe("waitFor ends with a typed error", () => {
  it("rejects with NectarWaitTimeoutError after deadlineMs, and leaves no timer", async () => {
    const baseline = await timersOfAPlainCall();
    const { outcome, elapsed } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { intervalMs: 1_000, deadlineMs: 5_000 }),
    );
    const error = "error" in outcome ? outcome.error : undefined;
    expect(error).toBeInstanceOf(NectarWaitTimeoutError);
    // The field and the message name deadlineMs; timeoutMs stays as its deprecated alias.
    expect(error).toMatchObject({
      deadlineMs: 5_000,
      timeoutMs: 5_000,
      lastStatus: "PASSWORD_INCORRECT",
    });
    expect((error as Error).message).toMatch(/\(deadlineMs 5000, \d+ polls, last status/);
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(elapsed).toBeLessThan(5_000 + 2 * STEP_MS);
    expect(vi.getTimerCount()).toBe(baseline);
  });

  it("rejects with NectarAbortError as soon as the signal aborts, mid-pause", async () => {
    const baseline = await timersOfAPlainCall();
    const controller = new AbortController();
    const waiting = client.connections.waitFor(NEEDS_USER.id, {
      intervalMs: 60_000,
      signal: controller.signal,
      onChange: () => setImmediate(() => controller.abort()),
    });
    const { outcome, elapsed } = await drive(waiting);
    expect("error" in outcome && outcome.error).toBeInstanceOf(NectarAbortError);
    expect(elapsed).toBeLessThan(60_000);
    expect(vi.getTimerCount()).toBe(baseline);
  });

  it("rejects with NectarAbortError on a signal already aborted, before any poll", async () => {
    const baseline = await timersOfAPlainCall();
    const before = mock.stats.requests;
    const { outcome } = await drive(
      client.connections.waitFor(NEEDS_USER.id, {
        signal: AbortSignal.abort(),
        deadlineMs: 60_000,
      }),
      5,
    );
    expect("error" in outcome && outcome.error).toBeInstanceOf(NectarAbortError);
    expect(mock.stats.requests).toBe(before);
    expect(vi.getTimerCount()).toBe(baseline); // the deadline timer was cleared too
  });

  it("clears its deadline timer when it ends early, well before deadlineMs", async () => {
    const baseline = await timersOfAPlainCall();
    mock.script(NEEDS_USER.id, { becomes: "CONNECTED", after: 1 });
    const { outcome, elapsed } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { intervalMs: 100, deadlineMs: 3_600_000 }),
    );
    expect("value" in outcome && outcome.value.status).toBe("CONNECTED");
    expect(elapsed).toBeLessThan(3_600_000);
    expect(vi.getTimerCount()).toBe(baseline);
  });

  it("times out during a slow poll: the poll in flight is aborted", async () => {
    mock.script(NEEDS_USER.id, [{ kind: "hang" }]);
    const waiting = client.connections.waitFor(NEEDS_USER.id, { deadlineMs: 200 });
    const started = Date.now();
    let outcome: unknown;
    waiting.catch((error: unknown) => {
      outcome = error;
    });
    // The hung request keeps a socket open, so drive() cannot wait for it: move time directly.
    for (let i = 0; i < 100 && outcome === undefined; i++) {
      await turn();
      await vi.advanceTimersByTimeAsync(STEP_MS);
    }
    expect(outcome).toBeInstanceOf(NectarWaitTimeoutError);
    expect(outcome).toMatchObject({ deadlineMs: 200, polls: 1, lastStatus: undefined });
    expect(Date.now() - started).toBeLessThan(200 + 3 * STEP_MS);
  });

  it("passes maxRetries on to each poll", async () => {
    mock.script(NEEDS_USER.id, [{ status: 404 }, { status: 503 }, { status: 503 }]);
    const before = pollsOf(NEEDS_USER.id);
    const { outcome } = await drive(
      client.connections.waitFor(NEEDS_USER.id, { maxRetries: 0, until: () => true }),
    );
    expect("error" in outcome && outcome.error).toBeInstanceOf(NectarNotFoundError);
    expect(pollsOf(NEEDS_USER.id) - before).toBe(1);
    mock.reset();
    mock.script(NEEDS_USER.id, [{ status: 503 }, { status: 503 }]);
    const retried = createNectarClient({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0 });
    const { outcome: second } = await drive(
      retried.connections.waitFor(NEEDS_USER.id, { maxRetries: 2, until: () => true }),
    );
    expect("value" in second && second.value.id).toBe(NEEDS_USER.id);
    expect(pollsOf(NEEDS_USER.id)).toBe(3); // one poll, two retries of it within the poll
  });

  it("rejects at once on a connection that does not exist", async () => {
    const { outcome } = await drive(client.connections.waitFor(UNKNOWN_ID));
    expect("error" in outcome && outcome.error).toBeInstanceOf(NectarNotFoundError);
    expect(pollsOf(UNKNOWN_ID)).toBe(1);
  });

  it.each([
    ["a bad id", "nope", {}],
    ["an unknown group", NEEDS_USER.id, { until: "fixed" }],
    ["an empty group list", NEEDS_USER.id, { until: [] }],
    ["a zero interval", NEEDS_USER.id, { intervalMs: 0 }],
    ["an unknown option", NEEDS_USER.id, { interval: 5 }],
    ["an onChange that is not a function", NEEDS_USER.id, { onChange: "log" }],
    ["a negative maxRetries", NEEDS_USER.id, { maxRetries: -1 }],
    ["a signal that is null", NEEDS_USER.id, { signal: null }],
  ])("refuses %s before sending anything", async (_, id, options) => {
    const before = mock.stats.requests;
    // @ts-expect-error: the wrong types are the point
    const { outcome } = await drive(client.connections.waitFor(id, options));
    expect("error" in outcome && outcome.error).toBeInstanceOf(NectarInvalidInputError);
    expect(mock.stats.requests).toBe(before);
  });
});

describe("the pause between polls", () => {
  it("grows by half while nothing changes, up to the cap, and starts over on a change", () => {
    expect(nextInterval(1_000, false, 1_000, 10_000)).toBe(1_500);
    expect(nextInterval(8_000, false, 1_000, 10_000)).toBe(10_000);
    expect(nextInterval(10_000, true, 1_000, 10_000)).toBe(1_000);
  });

  it("reads the default condition as: neither needs_user_action nor pending", () => {
    const done = conditionOf(undefined);
    const as = (status: NonNullable<Connection["status"]>): Connection => ({
      ...NEEDS_USER,
      status,
    });
    expect(done(as("PASSWORD_INCORRECT"))).toBe(false);
    expect(done(as("PENDING"))).toBe(false);
    expect(done(as("UNDER_INVESTIGATION"))).toBe(false);
    expect(done(as("CONNECTED"))).toBe(true);
    expect(done(as("DEACTIVATED"))).toBe(true);
    expect(conditionOf(["inactive", "healthy"])(as("COMPANY_INACTIVE"))).toBe(true);
  });
});
