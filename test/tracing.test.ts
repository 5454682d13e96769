/**
 * The tracing channels and the hooks: a call with one retry and a call queued behind the
 * concurrency cap, seen through `diagnostics_channel` subscribers and through hooks, with
 * frozen events that carry the operation, the path template, the attempt, the status, the
 * request id and the retry delay, and never the key, an id or a body. Hooks that throw, reject
 * or never settle cannot fail or delay a call.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type NectarHooks, NectarInvalidInputError, NectarNotFoundError } from "../src/index.js";
import { listen, stopListening } from "./helpers/channels.js";
import { createObservedClient, json, rejectionOf, seedFor } from "./helpers/client.js";
import { connections, errorBodies, TEST_API_KEY } from "./helpers/fixtures.js";

const ID = connections.seed().id;
const SECRET = connections.seed().connectionMagicLinkSecret;

afterEach(stopListening);

/** 503 with a request id on the first request, then the connection. */
const retryOnce = (request: { url: string; index: number }) =>
  request.index === 1
    ? json(503, errorBodies.serverError(), { "x-request-id": "req-503" })
    : json(200, seedFor(request), { "x-request-id": "req-200" });

describe("the tracing channels", () => {
  it("publish a call with one retry: call and attempt events, frozen, without secrets", async () => {
    const seen = listen();
    const { client } = createObservedClient(retryOnce);
    await client.connections.retrieve(ID);
    const common = {
      operationId: "retrieveConnection",
      method: "GET",
      path: "/connection/{connection_id}",
    };
    expect(seen.map(([channel, kind, event]) => [channel, kind, event.attempt])).toEqual([
      ["nectar:call", "start", undefined],
      ["nectar:attempt", "start", 1],
      ["nectar:attempt", "asyncEnd", 1],
      ["nectar:attempt", "start", 2],
      ["nectar:attempt", "asyncEnd", 2],
      ["nectar:call", "asyncEnd", 2],
    ]);
    const [, , firstEnd] = seen[2] ?? [];
    expect(firstEnd).toMatchObject({ ...common, attempt: 1, status: 503, requestId: "req-503" });
    expect(firstEnd?.retryDelayMs).toEqual(expect.any(Number));
    expect(seen[5]?.[2]).toMatchObject({
      ...common,
      status: 200,
      requestId: "req-200",
      retryDelayMs: undefined,
    });
    const callIds = new Set(seen.map(([, , event]) => event.callId));
    expect(callIds.size).toBe(1);
    for (const [, , event] of seen) expect(Object.isFrozen(event)).toBe(true);
    const text = JSON.stringify(seen);
    for (const secret of [TEST_API_KEY, ID, SECRET]) expect(text).not.toContain(secret);
  });

  it("publish the wait of a call queued behind maxConcurrency", async () => {
    const seen = listen();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { client } = createObservedClient(
      async (request) => {
        if (request.index === 1) await gate;
        return json(200, seedFor(request));
      },
      { maxConcurrency: 1 },
    );
    const first = client.connections.retrieve(ID);
    const second = client.connections.retrieve(ID);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await Promise.all([first, second]);
    const queued = seen.filter(([channel]) => channel === "nectar:queue");
    expect(queued).toHaveLength(1);
    expect(queued[0]?.[1]).toBe("asyncEnd");
    expect(queued[0]?.[2]).toMatchObject({ operationId: "retrieveConnection", attempt: 1 });
    expect(queued[0]?.[2].waitMs).toBeGreaterThan(0);
  });

  it("publish a failed call on error with the error's class and status", async () => {
    const seen = listen();
    const { client } = createObservedClient(() =>
      json(404, errorBodies.notFound(), { "x-request-id": "req-404" }),
    );
    expect(await rejectionOf(client.connections.retrieve(ID))).toBeInstanceOf(NectarNotFoundError);
    const errors = seen.filter(([, kind]) => kind === "error");
    expect(errors.map(([channel]) => channel)).toEqual(["nectar:call"]);
    expect(errors[0]?.[2]).toMatchObject({
      errorName: "NectarNotFoundError",
      status: 404,
      requestId: "req-404",
      attempt: 1,
    });
  });
});

describe("hooks", () => {
  it("get the same frozen events: request, response, retry", async () => {
    const events: [string, unknown][] = [];
    const hooks: NectarHooks = {
      onRequest: (event) => events.push(["request", event]),
      onResponse: (event) => events.push(["response", event]),
      onRetry: (event) => events.push(["retry", event]),
      onError: (event) => events.push(["error", event]),
    };
    const { client } = createObservedClient(retryOnce, { hooks });
    await client.connections.retrieve(ID);
    expect(events.map(([name, event]) => [name, (event as { attempt: number }).attempt])).toEqual([
      ["request", 1],
      ["response", 1],
      ["retry", 1],
      ["request", 2],
      ["response", 2],
    ]);
    expect(events[2]?.[1]).toMatchObject({ status: 503, retryDelayMs: expect.any(Number) });
    for (const [, event] of events) expect(Object.isFrozen(event)).toBe(true);
  });

  it("onError gets a call that failed for good", async () => {
    const failures: unknown[] = [];
    const { client } = createObservedClient(() => json(404, {}), {
      hooks: { onError: (event) => failures.push(event) },
    });
    await rejectionOf(client.connections.retrieve(ID));
    expect(failures).toEqual([
      expect.objectContaining({ errorName: "NectarNotFoundError", status: 404 }),
    ]);
  });

  it("cannot fail or delay a call: a throw, a rejection, a promise that never settles", async () => {
    let calls = 0;
    const hooks: NectarHooks = {
      onRequest: () => {
        calls++;
        throw new Error(`hook broke, key ${TEST_API_KEY}`);
      },
      onResponse: (() => Promise.reject(new Error("rejected"))) as NectarHooks["onResponse"],
      onRetry: (() => new Promise<never>(() => {})) as NectarHooks["onRetry"],
    };
    const { client, logs } = createObservedClient(retryOnce, { hooks });
    await expect(client.connections.retrieve(ID)).resolves.toMatchObject({ id: ID });
    await expect(client.connections.retrieve(ID)).resolves.toMatchObject({ id: ID });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toBe(3);
    const warnings = logs.filter((line) => line.level === "warn" && line.message.includes("hook"));
    expect(warnings.map((line) => line.message)).toEqual([
      "[nectar] hook onRequest failed: Error: hook broke, key [redacted] (logged once; later failures at debug)",
      "[nectar] hook onResponse failed: Error: rejected (logged once; later failures at debug)",
    ]);
    expect(
      logs.filter(
        (line) => line.level === "debug" && line.message.includes("hook onRequest failed"),
      ),
    ).toHaveLength(2);
  });

  it("are checked: unknown names and non-functions are refused", () => {
    for (const hooks of [{ onSend: () => {} }, { onRequest: "log" }, [], "hooks"]) {
      expect(() =>
        createObservedClient(() => json(200, {}), { hooks: hooks as NectarHooks }),
      ).toThrow(NectarInvalidInputError);
    }
  });
});
