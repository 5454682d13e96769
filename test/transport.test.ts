/**
 * The transport, observed through a real client on an injected fetch: which failures are
 * retried and how long it waits, the retry budget, the concurrency cap, aborts, per-attempt
 * timeouts and the log of every attempt. No real network; sleeps are recorded, not waited,
 * except where a test says otherwise.
 */
import { describe, expect, it } from "vitest";
import {
  NectarAbortError,
  NectarApiError,
  type NectarClientOptions,
  NectarConnectionError,
  type NectarError,
  NectarRateLimitError,
  NectarServerError,
  NectarTimeoutError,
} from "../src/index.js";
import {
  createObservedClient,
  delay,
  type Handler,
  json,
  rejectionOf,
  type SeenRequest,
  seedFor,
} from "./helpers/client.js";
import { connections, errorBodies, TEST_API_KEY } from "./helpers/fixtures.js";

const ID = connections.seed().id;
const PATH = `/connection/${ID}`;
const NOW = Date.parse("2024-01-01T00:00:00Z");

/** A distinct valid UUID per number, to tell calls apart. */
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** Makes one answer; called once per request, so every Response body is fresh. */
type Answer = (request: SeenRequest) => Response | Promise<Response>;

const ok: Answer = (request) => json(200, seedFor(request));
const status =
  (code: number, headers: Record<string, string> = {}): Answer =>
  () =>
    json(code, { detail: `status ${code}` }, headers);
/** What undici throws when the connection is refused. */
const refused: Answer = () => {
  throw new TypeError("fetch failed", {
    cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:443"), {
      code: "ECONNREFUSED",
    }),
  });
};
/** Never answers; rejects when the request's signal aborts, as a real fetch does. */
const hang: Answer = (request) =>
  new Promise<Response>((_, reject) => {
    request.signal?.addEventListener("abort", () => reject(request.signal?.reason), {
      once: true,
    });
  });

/** Answers the n-th request with the n-th answer; the last one repeats. */
const script =
  (...answers: Answer[]): Handler =>
  (request) => {
    const answer = answers[Math.min(request.index, answers.length) - 1];
    if (answer === undefined) throw new Error("empty script");
    return answer(request);
  };

/** An observed client with jitter off (random = 0) unless the test says otherwise. */
const observe = (handler: Handler, options: NectarClientOptions = {}) =>
  createObservedClient(handler, { random: () => 0, ...options });

/** A promise with its resolve function. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Polls (1 ms steps, at most 2 s) until `done()` holds; the caller asserts afterwards. */
async function until(done: () => boolean): Promise<void> {
  const deadline = performance.now() + 2000;
  while (!done() && performance.now() < deadline) await delay(1);
}

/** A sleep that never ends by itself: it rejects when the call's signal aborts. */
function sleepUntilAborted(sleeps: number[]) {
  return (ms: number, signal?: AbortSignal) =>
    new Promise<void>((_, reject) => {
      sleeps.push(ms);
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
}

describe("what is retried", () => {
  it.each([408, 429, 500, 502, 503, 504])(
    "retries a %i once, then returns the data of the success",
    async (code) => {
      const { client, requests, sleeps } = observe(script(status(code), ok));
      const { data, attempts } = await client.connections.retrieve(ID).withResponse();
      expect(data.id).toBe(ID);
      expect(attempts).toBe(2);
      expect(requests).toHaveLength(2);
      expect(sleeps).toEqual([500]);
    },
  );

  it.each([
    [400, "NectarBadRequestError"],
    [401, "NectarAuthenticationError"],
    [403, "NectarPermissionError"],
    [404, "NectarNotFoundError"],
    [422, "NectarApiError"],
  ])("never retries a %i", async (code, name) => {
    const { client, requests, sleeps } = observe(script(status(code), ok));
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarApiError);
    expect(error).toMatchObject({ name, status: code, attempts: 1 });
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("retries a connection error, then returns the data", async () => {
    const { client, requests, sleeps } = observe(script(refused, ok));
    const { data, attempts } = await client.connections.retrieve(ID).withResponse();
    expect(data.id).toBe(ID);
    expect(attempts).toBe(2);
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([500]);
  });

  it("retries a timed-out attempt, then returns the data", async () => {
    const { client, requests } = observe(script(hang, ok), { timeoutMs: 30 });
    const { data, attempts } = await client.connections.retrieve(ID).withResponse();
    expect(data.id).toBe(ID);
    expect(attempts).toBe(2);
    expect(requests).toHaveLength(2);
    // The first attempt's request was aborted when it timed out.
    expect(requests[0]?.signal?.aborted).toBe(true);
    expect(requests[1]?.signal?.aborted).toBe(false);
  });

  it("makes three attempts by default, then throws the last answer's error", async () => {
    const { client, requests, sleeps } = observe(script(status(503)));
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarServerError);
    expect(error).toMatchObject({ status: 503, attempts: 3 });
    expect(requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  it("throws a NectarConnectionError with its cause after the last connection error", async () => {
    const { client, requests } = observe(script(refused));
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).not.toBeInstanceOf(NectarTimeoutError);
    expect(error).toMatchObject({
      name: "NectarConnectionError",
      attempts: 3,
      message: `GET ${PATH} failed: connect ECONNREFUSED 127.0.0.1:443 (ECONNREFUSED).`,
    });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(requests).toHaveLength(3);
  });

  it("throws a NectarTimeoutError after the last timed-out attempt", async () => {
    const { client, requests } = observe(script(hang), { timeoutMs: 30, maxRetries: 1 });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarTimeoutError);
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).toMatchObject({
      name: "NectarTimeoutError",
      timeoutMs: 30,
      attempts: 2,
      message: `GET ${PATH} timed out after 30 ms (attempt 2).`,
    });
    expect(requests).toHaveLength(2);
  });

  it("makes one attempt only with maxRetries: 0", async () => {
    const { client, requests, sleeps } = observe(script(status(503), ok), { maxRetries: 0 });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("lets a call's maxRetries override the client's, both ways", async () => {
    const more = observe(script(status(503)), { maxRetries: 0 });
    const error = await rejectionOf(more.client.connections.retrieve(ID, { maxRetries: 3 }));
    expect(error).toMatchObject({ attempts: 4 });
    expect(more.requests).toHaveLength(4);

    const fewer = observe(script(status(503)), { maxRetries: 5 });
    const none = await rejectionOf(fewer.client.connections.retrieve(ID, { maxRetries: 0 }));
    expect(none).toMatchObject({ attempts: 1 });
    expect(fewer.requests).toHaveLength(1);
  });

  it("a fetch that throws synchronously is a connection error, and is retried", async () => {
    let calls = 0;
    const { client } = observe(ok, {
      fetch: () => {
        calls++;
        if (calls === 1) throw new TypeError("fetch failed");
        return Promise.resolve(json(200, connections.seed()));
      },
    });
    const { data, attempts } = await client.connections.retrieve(ID).withResponse();
    expect(data.id).toBe(ID);
    expect(attempts).toBe(2);
    expect(calls).toBe(2);

    const broken = observe(ok, {
      maxRetries: 1,
      fetch: () => {
        throw new TypeError("fetch failed");
      },
    });
    const error = await rejectionOf(broken.client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).toMatchObject({ attempts: 2, message: `GET ${PATH} failed: fetch failed.` });
  });
});

describe("what is never retried", () => {
  it("a custom fetch that throws something other than a network failure: one attempt", async () => {
    const { client, requests } = observe(() => {
      throw new RangeError("a bug in the caller's fetch wrapper");
    });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).toMatchObject({
      attempts: 1,
      message: `GET ${PATH} failed: a bug in the caller's fetch wrapper.`,
    });
    expect(requests).toHaveLength(1);
  });

  it("a custom fetch that resolves to something that is not a Response: one attempt", async () => {
    let calls = 0;
    const { client } = observe(ok, {
      fetch: async () => {
        calls++;
        return { status: "200" } as unknown as Response;
      },
    });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect((error as Error).message).toBe(
      `GET ${PATH} failed: fetch resolved to something that is not a Response.`,
    );
    expect(calls).toBe(1);
  });

  it("an injected random or clock that returns garbage does not make a wait NaN or endless", async () => {
    const { client, sleeps } = observe(
      script(status(503, { "retry-after": "Mon, 01 Jan 2024 00:00:05 GMT" }), ok),
      {
        random: () => Number.NaN,
        now: () => Number.NaN,
      },
    );
    await client.connections.retrieve(ID);
    expect(sleeps).toEqual([500]); // the first backoff, as with no jitter
  });
});

describe("how long it waits", () => {
  it("sleeps the backoff, 0.5 s doubling up to 8 s, without jitter when random is 0", async () => {
    const { client, sleeps } = observe(script(status(503)), { maxRetries: 6 });
    await rejectionOf(client.connections.retrieve(ID));
    expect(sleeps).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });

  it("shortens the backoff by the injected random number", async () => {
    const { client, sleeps } = observe(script(status(503)), { maxRetries: 3, random: () => 0.5 });
    await rejectionOf(client.connections.retrieve(ID));
    expect(sleeps).toEqual([438, 875, 1750]);
  });

  it("waits Retry-After seconds", async () => {
    const { client, sleeps } = observe(script(status(429, { "retry-after": "2" }), ok));
    await client.connections.retrieve(ID);
    expect(sleeps).toEqual([2000]);
  });

  it("waits until a Retry-After HTTP date, by the injected clock", async () => {
    const later = status(503, { "retry-after": "Mon, 01 Jan 2024 00:00:05 GMT" });
    const { client, sleeps } = observe(script(later, ok), { now: () => NOW });
    await client.connections.retrieve(ID);
    expect(sleeps).toEqual([5000]);
  });

  it("prefers retry-after-ms to Retry-After", async () => {
    const both = status(429, { "retry-after-ms": "1500", "retry-after": "10" });
    const { client, sleeps } = observe(script(both, ok));
    await client.connections.retrieve(ID);
    expect(sleeps).toEqual([1500]);
  });

  it("falls back to the backoff when Retry-After is absurd, unreadable or negative", async () => {
    const answers = [
      status(429, { "retry-after": "3600" }),
      status(503, { "retry-after": "Mon, 01 Jan 2024 01:00:00 GMT" }),
      status(503, { "retry-after": "soon" }),
      status(503, { "retry-after": "-1" }),
      ok,
    ];
    const { client, sleeps } = observe(script(...answers), { maxRetries: 4, now: () => NOW });
    await client.connections.retrieve(ID);
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it("reports the server's wait on the NectarRateLimitError once retries are spent", async () => {
    const { client } = observe(script(status(429, { "retry-after": "7" })), { maxRetries: 1 });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarRateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 7000, attempts: 2 });
  });
});

describe("the retry budget", () => {
  it("stops retrying when the budget runs dry; successes earn tokens back", async () => {
    const queue: Answer[] = [];
    const { client, requests, logs } = observe((request) =>
      (queue.shift() ?? status(503))(request),
    );
    const failing = async () => (await rejectionOf(client.connections.retrieve(ID))) as NectarError;
    const count = async (run: () => Promise<unknown>) => {
      const before = requests.length;
      await run();
      return requests.length - before;
    };

    // 500 tokens pay for 100 retries at 5: 50 calls of three attempts each.
    for (let call = 0; call < 50; call++) {
      expect(await count(failing)).toBe(3);
    }
    expect(requests).toHaveLength(150);
    // Dry: the next failing call gets its first attempt only, and says why.
    const dry = await failing();
    expect(dry).toMatchObject({ attempts: 1 });
    expect(requests).toHaveLength(151);
    expect(logs.filter((line) => line.level === "warn").map((line) => line.message)).toContain(
      `[nectar] GET ${PATH}: retry budget exhausted; not retrying attempt 1`,
    );

    // Four successes without retries earn four tokens: still too few for one retry.
    for (let i = 0; i < 4; i++) {
      queue.push(ok);
      await client.connections.retrieve(ID);
    }
    expect(await count(failing)).toBe(1);
    // A fifth earns the fifth token: one retry, then dry again.
    queue.push(ok);
    await client.connections.retrieve(ID);
    expect(await count(failing)).toBe(2);

    // A success after a retry earns back the 5 it spent, so the budget still holds one retry.
    for (let i = 0; i < 5; i++) {
      queue.push(ok);
      await client.connections.retrieve(ID);
    }
    queue.push(status(503), ok);
    expect(await count(() => client.connections.retrieve(ID))).toBe(2);
    queue.push(status(503), ok);
    expect(await count(() => client.connections.retrieve(ID))).toBe(2);
    expect(await count(failing)).toBe(2);
    expect(await count(failing)).toBe(1);
  });

  it("charges 10 tokens for a retry after a timeout", async () => {
    const queue: Answer[] = [];
    const { client, requests } = observe((request) => (queue.shift() ?? status(503))(request), {
      timeoutMs: 30,
    });
    // 49 calls × 2 retries × 5 + 1 retry × 5 = 495 tokens spent: 5 left.
    for (let call = 0; call < 49; call++) await rejectionOf(client.connections.retrieve(ID));
    await rejectionOf(client.connections.retrieve(ID, { maxRetries: 1 }));
    expect(requests).toHaveLength(149);

    // 5 tokens do not pay for a timeout retry …
    queue.push(hang);
    const timedOut = await rejectionOf(client.connections.retrieve(ID, { maxRetries: 1 }));
    expect(timedOut).toBeInstanceOf(NectarTimeoutError);
    expect(timedOut).toMatchObject({ attempts: 1 });
    expect(requests).toHaveLength(150);
    // … but do pay for a retry after a 503.
    await rejectionOf(client.connections.retrieve(ID, { maxRetries: 1 }));
    expect(requests).toHaveLength(152);
  });

  it("is per client: a second client still retries", async () => {
    const first = observe(script(status(503)));
    for (let call = 0; call < 51; call++) await rejectionOf(first.client.connections.retrieve(ID));
    expect(first.requests).toHaveLength(151);
    const second = observe(script(status(503)));
    await rejectionOf(second.client.connections.retrieve(ID));
    expect(second.requests).toHaveLength(3);
  });
});

describe("the concurrency cap", () => {
  it("never has more than 10 requests in flight by default; the 11th waits for a slot", async () => {
    const held: Array<() => void> = [];
    let inFlight = 0;
    let most = 0;
    const { client, requests } = observe(async (request) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const gate = deferred();
      held.push(gate.resolve);
      await gate.promise;
      inFlight--;
      return json(200, seedFor(request));
    });
    const calls = Array.from({ length: 11 }, (_, i) => client.connections.retrieve(uuid(i + 1)));
    await until(() => requests.length === 10);
    await delay(20);
    expect(requests).toHaveLength(10);
    expect(requests.map((request) => request.url.slice(-2))).toEqual(
      Array.from({ length: 10 }, (_, i) => String(i + 1).padStart(2, "0")),
    );

    held[0]?.();
    await until(() => requests.length === 11);
    expect(requests[10]?.url).toContain(uuid(11));
    for (const release of held) release();
    expect(await Promise.all(calls)).toHaveLength(11);
    expect(most).toBe(10);
  });

  it("keeps to maxConcurrency and sends queued calls first in, first out", async () => {
    let inFlight = 0;
    let most = 0;
    const { client, requests } = observe(
      async (request) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await delay(5);
        inFlight--;
        return json(200, seedFor(request));
      },
      { maxConcurrency: 2 },
    );
    await Promise.all(Array.from({ length: 6 }, (_, i) => client.connections.retrieve(uuid(i))));
    expect(most).toBe(2);
    expect(requests.map((request) => request.url.slice(-1))).toEqual([
      "0",
      "1",
      "2",
      "3",
      "4",
      "5",
    ]);
  });

  it("does not send a queued call whose signal aborts, and rejects it with NectarAbortError", async () => {
    const gate = deferred();
    const { client, requests } = observe(
      async (request) => {
        await gate.promise;
        return json(200, seedFor(request));
      },
      { maxConcurrency: 1 },
    );
    const first = client.connections.retrieve(uuid(1));
    const controller = new AbortController();
    const queued = client.connections.retrieve(uuid(2), { signal: controller.signal });
    const behind = client.connections.retrieve(uuid(3));
    await until(() => requests.length === 1);

    controller.abort();
    const error = await rejectionOf(queued);
    expect(error).toBeInstanceOf(NectarAbortError);
    expect(error).toMatchObject({
      name: "NectarAbortError",
      message: `GET /connection/${uuid(2)} was aborted by the caller.`,
    });
    gate.resolve();
    await Promise.all([first, behind]);
    expect(requests.map((request) => request.url.slice(-1))).toEqual(["1", "3"]);
  });

  it("does not send a call aborted just as a slot is handed to it", async () => {
    const controller = new AbortController();
    const { client, requests } = observe(
      (request) => (request.index === 1 ? status(503) : ok)(request),
      {
        maxConcurrency: 1,
        logLevel: "info",
        // The first call logs its retry right after handing its slot to the second: abort that.
        logger: {
          error: () => {},
          warn: () => {},
          debug: () => {},
          info: (message: string) => {
            if (message.includes("retrying in")) controller.abort();
          },
        },
      },
    );
    const first = client.connections.retrieve(uuid(1));
    const second = client.connections.retrieve(uuid(2), { signal: controller.signal });
    expect(await rejectionOf(second)).toBeInstanceOf(NectarAbortError);
    await first;
    expect(requests.map((request) => request.url.slice(-1))).toEqual(["1", "1"]);
  });

  it("starts a queued call's timeout when it is sent, not when it is queued", async () => {
    const { client } = observe(
      async (request) => {
        await delay(request.url.endsWith(uuid(1)) ? 200 : 10);
        return json(200, seedFor(request));
      },
      { maxConcurrency: 1 },
    );
    const started = performance.now();
    const slow = client.connections.retrieve(uuid(1), { timeoutMs: 5000 });
    const queued = client.connections.retrieve(uuid(2), { timeoutMs: 80 });
    const [, data] = await Promise.all([slow, queued]);
    expect(data.id).toBe(uuid(2));
    // It waited longer than its own timeout, in the queue.
    expect(performance.now() - started).toBeGreaterThanOrEqual(180);
  });
});

describe("aborts", () => {
  it("sends nothing when the signal has already aborted", async () => {
    const { client, requests } = observe(ok);
    const error = await rejectionOf(
      client.connections.retrieve(ID, { signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(NectarAbortError);
    expect(requests).toHaveLength(0);
  });

  it("stops during the backoff and never retries after the caller aborts", async () => {
    const sleeps: number[] = [];
    const controller = new AbortController();
    const { client, requests } = observe(script(status(503)), {
      sleep: sleepUntilAborted(sleeps),
    });
    const call = client.connections.retrieve(ID, { signal: controller.signal });
    await until(() => sleeps.length === 1);
    expect(requests).toHaveLength(1);

    controller.abort();
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(NectarAbortError);
    await delay(10);
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([500]);
  });

  it("aborts the request in flight and does not retry it", async () => {
    const controller = new AbortController();
    const { client, requests, sleeps } = observe(hang);
    const call = client.connections.retrieve(ID, { signal: controller.signal });
    await until(() => requests.length === 1);

    controller.abort();
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(NectarAbortError);
    expect(error).not.toBeInstanceOf(NectarConnectionError);
    expect(requests[0]?.signal?.aborted).toBe(true);
    await delay(10);
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("rejects at once even when the fetch ignores the abort", async () => {
    const controller = new AbortController();
    const { client, requests } = observe(() => new Promise<Response>(() => {}));
    const call = client.connections.retrieve(ID, { signal: controller.signal, timeoutMs: 10_000 });
    await until(() => requests.length === 1);
    const started = performance.now();
    controller.abort();
    expect(await rejectionOf(call)).toBeInstanceOf(NectarAbortError);
    expect(performance.now() - started).toBeLessThan(5_000); // far below any default timeout: a bound on hanging
  });
});

describe("the per-attempt timeout", () => {
  it("covers the headers: a fetch that never answers times out", async () => {
    const { client, requests } = observe(hang, { timeoutMs: 30, maxRetries: 0 });
    const started = performance.now();
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 30, attempts: 1 });
    expect(performance.now() - started).toBeLessThan(5_000); // far below any default timeout: a bound on hanging
    expect(requests[0]?.signal?.aborted).toBe(true);
  });

  it("covers the body: headers arrive, the body never ends", async () => {
    const endless = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"id":"3c90c3cc-'));
          },
        }),
        { status: 200, headers: { "content-type": "application/json" } },
      );
    const { client, requests } = observe(endless, { timeoutMs: 30, maxRetries: 1 });
    const started = performance.now();
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarTimeoutError);
    expect(error).toMatchObject({
      attempts: 2,
      message: `GET ${PATH} timed out after 30 ms (attempt 2).`,
    });
    expect(requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(5_000); // far below any default timeout: a bound on hanging
  });

  it("frees the slot of a timed-out body read even when the stream ignores the abort", async () => {
    // A custom fetch's body that only a cancel can end: the transport cancels it on timeout, so
    // the connection's slot comes back and the next call (maxConcurrency 1) can go.
    let cancelled = 0;
    const stubborn = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          cancel() {
            cancelled++;
          },
        }),
        { status: 200 },
      );
    const { client } = observe(script(stubborn, ok), {
      timeoutMs: 30,
      maxRetries: 0,
      maxConcurrency: 1,
    });
    expect(await rejectionOf(client.connections.retrieve(ID))).toBeInstanceOf(NectarTimeoutError);
    expect(cancelled).toBe(1);
    expect((await client.connections.retrieve(ID)).id).toBe(ID);
  });

  it("covers the body for client.raw too", async () => {
    const endless = () =>
      new Response(new ReadableStream<Uint8Array>({ start() {} }), { status: 200 });
    const { client } = observe(endless, { timeoutMs: 30, maxRetries: 0 });
    const error = await rejectionOf(
      client.raw.GET("/connection/{connection_id}", { params: { path: { connection_id: ID } } }),
    );
    expect(error).toBeInstanceOf(NectarTimeoutError);
  });

  it("lets a call's timeoutMs override the client's", async () => {
    const { client } = observe(hang, { timeoutMs: 60_000, maxRetries: 0 });
    const error = await rejectionOf(client.connections.retrieve(ID, { timeoutMs: 30 }));
    expect(error).toMatchObject({ name: "NectarTimeoutError", timeoutMs: 30 });
  });

  it("does not time out at once when timeoutMs is beyond the range of a timer", async () => {
    const { client } = observe(
      async () => {
        await delay(20);
        return json(200, connections.seed());
      },
      { timeoutMs: 3_000_000_000, maxRetries: 0 },
    );
    const data = await client.connections.retrieve(ID);
    expect(data.id).toBe(ID);
  });
});

describe("the log", () => {
  it("logs every attempt at info with its number", async () => {
    const { client, logs } = observe(script(status(503), refused, ok));
    await client.connections.retrieve(ID);
    const info = logs.filter((line) => line.level === "info").map((line) => line.message);
    expect(info).toEqual([
      `[nectar] GET ${PATH}: attempt 1 of 3`,
      `[nectar] GET ${PATH}: attempt 1 answered 503; retrying in 500 ms`,
      `[nectar] GET ${PATH}: attempt 2 of 3`,
      `[nectar] GET ${PATH}: attempt 2 failed (GET ${PATH} failed: connect ECONNREFUSED 127.0.0.1:443 (ECONNREFUSED).); retrying in 1000 ms`,
      `[nectar] GET ${PATH}: attempt 3 of 3`,
    ]);
  });

  it("logs request headers at debug with the key redacted", async () => {
    const { client, logs } = observe(ok);
    await client.connections.retrieve(ID);
    const debug = logs.find((line) => line.message.endsWith("request headers"));
    expect(debug?.level).toBe("debug");
    expect(debug?.details).toEqual([
      {
        headers: expect.objectContaining({ "x-api-key": "[redacted]", accept: "application/json" }),
      },
    ]);
    expect(JSON.stringify(logs)).not.toContain(TEST_API_KEY);
  });

  it("logs nothing at info under the default level", async () => {
    const lines: string[] = [];
    const record = (message: string) => lines.push(message);
    const { client } = observe(script(status(503), ok), {
      logLevel: "warn",
      logger: { error: record, warn: record, info: record, debug: record },
    });
    await client.connections.retrieve(ID);
    expect(lines).toEqual([]);
  });
});

describe("client.raw", () => {
  it("retries with the same policy and sends the credentials on every attempt", async () => {
    const { client, requests, sleeps } = observe(script(status(503), refused, ok));
    const { data, response } = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
    });
    expect(response.status).toBe(200);
    expect(data?.id).toBe(ID);
    expect(requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
    for (const request of requests) {
      expect(request.headers["x-api-key"]).toBe(TEST_API_KEY);
      expect(request.url).toBe(`https://external.nectarclimate.com/v2.2${PATH}`);
    }
  });

  it("returns the last error response after its retries, without throwing", async () => {
    const serverError = () => json(503, errorBodies.serverError());
    const { client, requests } = observe(script(serverError));
    const { data, error, response } = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(503);
    expect(error).toEqual(errorBodies.serverError());
    expect(requests).toHaveLength(3);
  });

  it("rejects with a NectarConnectionError when every attempt fails to connect", async () => {
    const { client, requests } = observe(script(refused), { maxRetries: 1 });
    const error = await rejectionOf(
      client.raw.GET("/connection/{connection_id}", { params: { path: { connection_id: ID } } }),
    );
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).toMatchObject({ attempts: 2 });
    expect(requests).toHaveLength(2);
  });

  it("honours the caller's signal", async () => {
    const controller = new AbortController();
    const { client, requests } = observe(hang);
    const call = client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
      signal: controller.signal,
    });
    await until(() => requests.length === 1);
    controller.abort();
    expect(await rejectionOf(call)).toBeInstanceOf(NectarAbortError);
    expect(requests).toHaveLength(1);
  });
});

describe("reading the body", () => {
  const seed = JSON.stringify(connections.seed());
  const bytes = (text: string) => new TextEncoder().encode(text);
  /** A body that yields `chunks` one read at a time and counts its cancels. */
  function streamOf(chunks: unknown[]) {
    const counts = { cancelled: 0 };
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(next);
      },
      cancel() {
        counts.cancelled++;
      },
    });
    return { stream, counts };
  }

  it.each(["1e9", "0x100000", "5000.0", "1e5000", "-1", "10, 10"])(
    "ignores a Content-Length of %s (not a plain decimal) and measures the body instead",
    async (declared) => {
      const answer = () =>
        new Response(seed, {
          headers: { "content-type": "application/json", "content-length": declared },
        });
      const { client } = observe(script(answer), { maxResponseBytes: 1000 });
      expect((await client.connections.retrieve(ID)).id).toBe(ID);
    },
  );

  it("cancels, unread, a 2xx body whose Content-Length is over the limit", async () => {
    const { stream, counts } = streamOf([bytes(seed)]);
    const answer = () =>
      new Response(stream, {
        headers: { "content-type": "application/json", "content-length": "5000" },
      });
    const { client } = observe(script(answer), { maxResponseBytes: 1000, maxRetries: 0 });
    expect(await rejectionOf(client.connections.retrieve(ID))).toMatchObject({
      name: "NectarResponseTooLargeError",
    });
    expect(counts.cancelled).toBe(1);
  });

  it("cancels the body of a redirect it follows", async () => {
    const { stream, counts } = streamOf([bytes("moved")]);
    const moved = () =>
      new Response(stream, { status: 307, headers: { location: `/v2.2${PATH}/` } });
    const { client, requests } = observe(script(moved, ok));
    expect((await client.connections.retrieve(ID)).id).toBe(ID);
    expect(requests).toHaveLength(2);
    expect(counts.cancelled).toBe(1);
  });

  it("decodes a UTF-8 character split across two chunks", async () => {
    const whole = bytes(JSON.stringify({ detail: "Zoë’s meter: 5 m³" }));
    const at = whole.indexOf(0xe2) + 1; // inside the three bytes of ’
    const answer = () =>
      new Response(streamOf([whole.subarray(0, at), whole.subarray(at)]).stream, {
        status: 409,
        headers: { "content-type": "application/json" },
      });
    const { client } = observe(script(answer));
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toMatchObject({ status: 409, body: { detail: "Zoë’s meter: 5 m³" } });
  });

  it("fails with a NectarConnectionError for a body whose chunks are not bytes", async () => {
    const answer = () =>
      new Response(streamOf(["not", "bytes"]).stream, {
        headers: { "content-type": "application/json" },
      });
    const { client } = observe(script(answer), { maxRetries: 0 });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect((error as Error).message).toMatch(/the response body is not bytes/);
  });
});
