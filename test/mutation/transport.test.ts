/**
 * What the transport tells the tracing channels beyond the tracing tests: calls through
 * `client.raw` (a call event named `raw`, its end or its error), a call begun before anyone
 * subscribed (it publishes nothing, even when a subscriber arrives while it waits in the queue),
 * and a queue wait that is a duration, not a timestamp. And its log lines' details, and the
 * retry budget's price of a connection failure (5 tokens; only a timeout costs 10).
 */
import { afterEach, describe, expect, it } from "vitest";
import { NectarAbortError, NectarConnectionError } from "../../src/index.js";
import { listen, stopListening } from "../helpers/channels.js";
import { createObservedClient, json, rejectionOf, seedFor } from "../helpers/client.js";
import { connections } from "../helpers/fixtures.js";

const ID = connections.seed().id;

afterEach(stopListening);

/** A gate the handler waits on, and the function that opens it. */
function gate() {
  let open: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

const rawGet = (client: ReturnType<typeof createObservedClient>["client"]) =>
  client.raw.GET("/connection/{connection_id}", { params: { path: { connection_id: ID } } });

describe("a call through client.raw, observed", () => {
  it("publishes a call named raw, its attempt, and its end with the status", async () => {
    const seen = listen();
    const { client } = createObservedClient((request) => json(200, seedFor(request)));
    const { response } = await rawGet(client);
    expect(response.status).toBe(200);
    expect(seen.map(([channel, kind]) => [channel, kind])).toEqual([
      ["nectar:call", "start"],
      ["nectar:attempt", "start"],
      ["nectar:attempt", "asyncEnd"],
      ["nectar:call", "asyncEnd"],
    ]);
    expect(seen[0]?.[2]).toMatchObject({ operationId: "raw", method: "GET" });
    expect(seen[3]?.[2]).toMatchObject({ operationId: "raw", status: 200, attempt: 1 });
  });

  it("publishes the error of a raw call that fails, and still rejects with it", async () => {
    const seen = listen();
    const { client } = createObservedClient(
      () => {
        throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
      },
      { maxRetries: 0 },
    );
    const error = await rejectionOf(rawGet(client));
    expect(error).toBeInstanceOf(Error);
    const attempts = seen.filter(([channel]) => channel === "nectar:attempt");
    expect(attempts.map(([, kind]) => kind)).toEqual(["start", "error"]);
    expect(attempts[1]?.[2]).toMatchObject({ errorName: (error as Error).name, attempt: 1 });
    const calls = seen.filter(([channel]) => channel === "nectar:call");
    expect(calls.map(([, kind]) => kind)).toEqual(["start", "error"]);
    expect(calls[1]?.[2]).toMatchObject({
      operationId: "raw",
      errorName: (error as Error).name,
      attempt: 1,
    });
  });
});

describe("a call begun before anyone subscribed", () => {
  it("publishes nothing, even when a subscriber arrives while it is queued", async () => {
    const first = gate();
    const { client } = createObservedClient(
      async (request) => {
        if (request.index === 1) await first.closed;
        return json(200, seedFor(request));
      },
      { maxConcurrency: 1 },
    );
    const holding = client.connections.retrieve(ID);
    const queued = client.connections.retrieve(ID); // waits for the only slot
    await new Promise((resolve) => setTimeout(resolve, 20));
    const seen = listen();
    first.open();
    await Promise.all([holding, queued]);
    expect(seen).toEqual([]);
  });
});

describe("the queue's wait", () => {
  it("is a duration: positive, and less than the time since the process began", async () => {
    const seen = listen();
    const first = gate();
    const { client } = createObservedClient(
      async (request) => {
        if (request.index === 1) await first.closed;
        return json(200, seedFor(request));
      },
      { maxConcurrency: 1 },
    );
    const both = Promise.all([client.connections.retrieve(ID), client.connections.retrieve(ID)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    first.open();
    await both;
    const waits = seen.filter(([channel]) => channel === "nectar:queue");
    expect(waits).toHaveLength(1);
    const waitMs = waits[0]?.[2]?.waitMs as number;
    expect(waitMs).toBeGreaterThan(0);
    expect(waitMs).toBeLessThan(performance.now());
  });
});

const PATH = `/connection/${ID}`;

describe("the transport's log lines", () => {
  it("give the attempt, the retry delay, the status and the request id as details", async () => {
    const { client, logs, sleeps } = createObservedClient((request) =>
      request.index === 1
        ? json(503, {}, { "x-request-id": "req-503" })
        : json(200, seedFor(request)),
    );
    await client.connections.retrieve(ID);
    const line = (message: string) =>
      logs.find((one) => one.message === `[nectar] GET ${PATH}: ${message}`);
    expect(line("attempt 1 of 3")?.details).toEqual([{ attempt: 1 }]);
    expect(line(`attempt 1 answered 503; retrying in ${sleeps[0]} ms`)?.details).toEqual([
      { attempt: 1, retryDelayMs: sleeps[0], status: 503, requestId: "req-503" },
    ]);
    expect(line("answered 200")).toMatchObject({
      level: "debug",
      details: [expect.objectContaining({ attempt: 2, status: 200, requestId: null })],
    });
  });
});

describe("the retry budget and connection failures", () => {
  it("charges 5 tokens a retry: 100 retries, then the first attempt only, even with warn off", async () => {
    const { client, requests } = createObservedClient(
      () => {
        throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
      },
      { logLevel: "error" }, // no warn method: the budget's warning is skipped, not a TypeError
    );
    for (let call = 0; call < 50; call++) {
      const before = requests.length;
      expect(await rejectionOf(client.connections.retrieve(ID))).toBeInstanceOf(
        NectarConnectionError,
      );
      expect(requests.length - before).toBe(3);
    }
    const dry = await rejectionOf(client.connections.retrieve(ID));
    expect(dry).toBeInstanceOf(NectarConnectionError);
    expect(dry).toMatchObject({ attempts: 1 });
    expect(requests).toHaveLength(151);
  });
});

describe("an attempt its caller aborts, observed", () => {
  it("ends on the attempt channel's error, with the abort error's name", async () => {
    const seen = listen();
    const controller = new AbortController();
    const { client } = createObservedClient(
      (request) =>
        new Promise<Response>((_resolve, reject) => {
          request.signal?.addEventListener("abort", () => reject(request.signal?.reason));
          controller.abort();
        }),
    );
    const error = await rejectionOf(client.connections.retrieve(ID, { signal: controller.signal }));
    expect(error).toBeInstanceOf(NectarAbortError);
    const attempts = seen.filter(([channel]) => channel === "nectar:attempt");
    expect(attempts.map(([, kind]) => kind)).toEqual(["start", "error"]);
    expect(attempts[1]?.[2]).toMatchObject({ errorName: "NectarAbortError", attempt: 1 });
  });
});
