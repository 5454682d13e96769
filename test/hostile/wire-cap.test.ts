/**
 * The concurrency cap holds on the wire: thousands of calls, a third aborted by their caller at a
 * random moment and many timing out, against a server in a separate process that counts the
 * requests open at once. Every promise settles, neither the client's fetch nor the server ever
 * has more than `maxConcurrency` open (a slot is freed only once the attempt's fetch has settled
 * and its body is read or cancelled), and the process's resources go back to what they were.
 *
 * The client's `fetch` is Node's, wrapped to record when each attempt's connection is released
 * (fetch rejected, body ended, errored or cancelled) and to tell the server so in the next
 * requests (`x-attempt`, `x-released`, repeated over the next attempts; see counting-server.ts). A second run uses a fetch that
 * lets go of an aborted request only some milliseconds later, as a proxying fetch may: its
 * connection is still open, so its slot must still be held.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  createNectarClient,
  isNectarError,
  NectarAbortError,
  NectarTimeoutError,
} from "../../src/index.js";
import { TEST_API_KEY } from "../helpers/fixtures.js";

const SERVER = fileURLToPath(new URL("./counting-server.ts", import.meta.url));
const MAX_CONCURRENCY = 10;
const ID = "00000000-0000-4000-8000-000000000000";
/**
 * How many later attempts repeat a release to the server. A connection the client closed is
 * seen closed by the server within milliseconds, long before 256 more attempts are made.
 */
const RELEASE_WINDOW = 256;

interface Stats {
  requests: number;
  open: number;
  maxOpen: number;
}

let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill();
});

/** The next message of the child. */
function nextMessage<T>(from: ChildProcess): Promise<T> {
  return new Promise((resolve) => from.once("message", (message) => resolve(message as T)));
}

/** The kinds of active resources, counted. */
function tally(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** The resources present now beyond `before`, polled until none are left or `ms` passed. */
async function leftSince(before: Record<string, number>, ms: number) {
  const deadline = performance.now() + ms;
  for (;;) {
    const extra: Record<string, number> = {};
    for (const [kind, count] of Object.entries(tally())) {
      if (count > (before[kind] ?? 0)) extra[kind] = count - (before[kind] ?? 0);
    }
    if (Object.keys(extra).length === 0 || performance.now() > deadline) return extra;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Node's fetch, recording how many requests hold a connection (from the call until the fetch
 * rejects or its body ends, errors or is cancelled). With `lateMs`, an abort reaches Node's fetch
 * only a random 0 to `lateMs` ms after the caller's signal fired.
 */
function recordingFetch(lateMs = 0) {
  let next = 0;
  /** Released attempt ids, each repeated on every request of the next RELEASE_WINDOW attempts. */
  let releasedRecently: number[] = [];
  let held = 0;
  let maxHeld = 0;
  const fetchImpl = async (input: string | Request, init: RequestInit = {}) => {
    const attempt = ++next;
    const id = String(attempt);
    const headers = new Headers(init.headers);
    headers.set("x-attempt", id);
    // Repeated, not sent once: the request that carries a release may itself reach the server
    // after later requests (or never, when it is aborted before it is sent).
    releasedRecently = releasedRecently.filter((released) => released > attempt - RELEASE_WINDOW);
    headers.set("x-released", releasedRecently.join(","));
    held++;
    maxHeld = Math.max(maxHeld, held);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held--;
      releasedRecently.push(Number(id));
    };
    const late = new AbortController();
    init.signal?.addEventListener(
      "abort",
      () => {
        const reason = init.signal?.reason;
        if (lateMs === 0) late.abort(reason);
        else setTimeout(() => late.abort(reason), Math.floor(Math.random() * (lateMs + 1)));
      },
      { once: true },
    );
    let response: Response;
    try {
      response = await fetch(input, { ...init, headers, signal: late.signal });
    } catch (error) {
      release();
      throw error;
    }
    if (response.body === null) {
      release();
      return response;
    }
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            release();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          release();
          controller.error(error);
        }
      },
      cancel(reason) {
        if (lateMs === 0) {
          const cancelled = reader.cancel(reason);
          release();
          return cancelled;
        }
        // Lets go later: the connection stays open meanwhile.
        setTimeout(
          () => reader.cancel(reason).finally(release),
          Math.floor(Math.random() * (lateMs + 1)),
        );
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return {
    fetchImpl,
    get maxHeld() {
      return maxHeld;
    },
  };
}

/** Runs `calls` calls, every third aborted at a random moment, and reports what happened. */
async function storm(calls: number, lateMs: number) {
  const before = tally();
  child = fork(SERVER, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const { port } = await nextMessage<{ port: number }>(child);
  const recording = recordingFetch(lateMs);
  const client = createNectarClient({
    apiKey: TEST_API_KEY,
    baseUrl: `http://127.0.0.1:${port}/v2.2`,
    maxConcurrency: MAX_CONCURRENCY,
    maxRetries: 0,
    timeoutMs: 12,
    logLevel: "off",
    fetch: recording.fetchImpl,
  });

  const started = performance.now();
  const outcomes = await Promise.allSettled(
    Array.from({ length: calls }, (_, index) => {
      if (index % 3 !== 0) return client.connections.retrieve(ID);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), Math.floor(Math.random() * 15));
      return client.connections.retrieve(ID, { signal: controller.signal });
    }),
  );
  const elapsed = performance.now() - started;
  child.send("stats");
  const stats = await nextMessage<Stats>(child);
  const counts = { ok: 0, timeout: 0, abort: 0, other: 0 };
  for (const outcome of outcomes) {
    if (outcome.status === "fulfilled") counts.ok++;
    else if (outcome.reason instanceof NectarTimeoutError) counts.timeout++;
    else if (outcome.reason instanceof NectarAbortError) counts.abort++;
    else counts.other++;
  }
  console.info(
    `${calls} calls (abort reaches fetch up to ${lateMs} ms late) in ${Math.round(elapsed)} ms: ` +
      `${JSON.stringify(counts)}; server saw ${stats.requests} requests, at most ${stats.maxOpen} ` +
      `open; the client's fetch held at most ${recording.maxHeld}`,
  );
  const exited = new Promise((resolve) => child?.once("exit", resolve));
  child.send("close");
  await exited;
  child = undefined;
  return {
    outcomes,
    stats,
    counts,
    maxHeld: recording.maxHeld,
    left: await leftSince(before, 5_000),
  };
}

describe("calls with random aborts and timeouts against a separate-process server", () => {
  it("5 000 calls: every promise settles, never more than maxConcurrency open, resources back", async () => {
    const { outcomes, stats, counts, maxHeld, left } = await storm(5_000, 0);
    expect(outcomes).toHaveLength(5_000);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") expect(isNectarError(outcome.reason)).toBe(true);
    }
    expect(counts.other).toBe(0);
    // The run put the cap to the test: calls timed out, were aborted, and succeeded.
    expect(counts.timeout).toBeGreaterThan(0);
    expect(counts.abort).toBeGreaterThan(0);
    expect(counts.ok).toBeGreaterThan(0);
    expect(maxHeld).toBeLessThanOrEqual(MAX_CONCURRENCY);
    expect(stats.maxOpen).toBeLessThanOrEqual(MAX_CONCURRENCY);
    expect(stats.maxOpen).toBe(MAX_CONCURRENCY);
    expect(left).toEqual({});
  }, 30_000);

  it("1 500 calls with a fetch that lets go of an abort up to 10 ms late: the slot waits for it", async () => {
    const { outcomes, stats, maxHeld, left } = await storm(1_500, 10);
    expect(outcomes).toHaveLength(1_500);
    expect(maxHeld).toBeLessThanOrEqual(MAX_CONCURRENCY);
    expect(stats.maxOpen).toBeLessThanOrEqual(MAX_CONCURRENCY);
    expect(left).toEqual({});
  }, 30_000);
});
