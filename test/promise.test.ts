/**
 * NectarPromise: awaiting gives the data, `.withResponse()` the full result, and a caller who
 * only uses `.withResponse()` sees no unhandled rejection from the data promise behind it.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { CallResult } from "../src/core/promise.ts";
import { NectarNotFoundError, NectarPromise, type WithResponse } from "../src/index.ts";
import { createObservedClient, json, rejectionOf } from "./helpers/client.ts";
import { connections, errorBodies } from "./helpers/fixtures.ts";

const seed = connections.seed();

/** A call's result as the client builds it. */
function resultOf<T>(data: T, headers: Record<string, string> = { "x-request-id": "req-1" }) {
  const response = new Response(JSON.stringify(data), { status: 200, headers });
  return { data, response, attempts: 2 } satisfies CallResult<T>;
}

/** Lets the event loop run long enough for Node to report unhandled rejections. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

describe("a resolved NectarPromise", () => {
  test("gives the data when awaited", async () => {
    const promise = new NectarPromise(Promise.resolve(resultOf(seed)));
    await expect(promise).resolves.toBe(seed);
    expect(await promise).toBe(seed);
  });

  test("gives the data, response, attempts and request id through withResponse()", async () => {
    const full = resultOf(seed);
    const promise = new NectarPromise(Promise.resolve(full));
    const result: WithResponse<typeof seed> = await promise.withResponse();
    expect(result).toEqual({ ...full, requestId: "req-1" });
    expect(result.data).toBe(seed);
    expect(result.response).toBe(full.response);
    expect(result.attempts).toBe(2);
  });

  test("reads the request id from the response headers, undefined when there is none", async () => {
    const amazon = resultOf(seed, { "x-amzn-requestid": "amzn-9" });
    expect((await new NectarPromise(Promise.resolve(amazon)).withResponse()).requestId).toBe(
      "amzn-9",
    );
    const none = resultOf(seed, {});
    expect((await new NectarPromise(Promise.resolve(none)).withResponse()).requestId).toBe(
      undefined,
    );
  });

  test("can be awaited and asked withResponse() in either order, more than once", async () => {
    const promise = new NectarPromise(Promise.resolve(resultOf(seed)));
    expect((await promise.withResponse()).data).toBe(seed);
    expect(await promise).toBe(seed);
    expect(await promise).toBe(seed);
    expect((await promise.withResponse()).data).toBe(seed);
  });

  test("chains with then, and runs finally", async () => {
    const promise = new NectarPromise(Promise.resolve(resultOf(seed)));
    await expect(promise.then((connection) => connection.id)).resolves.toBe(seed.id);
    let ran = false;
    await expect(
      promise.finally(() => {
        ran = true;
      }),
    ).resolves.toBe(seed);
    expect(ran).toBe(true);
    await expect(promise.catch(() => "never")).resolves.toBe(seed);
  });

  test("is a Promise that Promise.all and Promise.resolve read as its data", async () => {
    const promise = new NectarPromise(Promise.resolve(resultOf(seed)));
    expect(promise).toBeInstanceOf(Promise);
    await expect(Promise.all([promise])).resolves.toEqual([seed]);
    await expect(Promise.resolve(promise)).resolves.toBe(seed);
  });
});

describe("a rejected NectarPromise", () => {
  const failure = () => new Error("GET /connection/x failed with status 404: Not found.");

  test("rejects when awaited and through withResponse(), with the same error", async () => {
    const error = failure();
    const promise = new NectarPromise<never>(Promise.reject(error));
    await expect(promise).rejects.toBe(error);
    await expect(promise.withResponse()).rejects.toBe(error);
  });

  test("hands the error to catch, to then's second callback, and runs finally", async () => {
    const error = failure();
    const promise = new NectarPromise<never>(Promise.reject(error));
    await expect(promise.catch((reason: unknown) => reason)).resolves.toBe(error);
    await expect(promise.then(undefined, (reason: unknown) => reason)).resolves.toBe(error);
    let ran = false;
    await expect(
      promise.finally(() => {
        ran = true;
      }),
    ).rejects.toBe(error);
    expect(ran).toBe(true);
  });
});

describe("unhandled rejections", () => {
  const seen: unknown[] = [];
  const onUnhandled = (reason: unknown) => {
    seen.push(reason);
  };
  let others: NodeJS.UnhandledRejectionListener[] = [];

  // While a test runs, this listener alone hears unhandled rejections, so that the control
  // below can provoke one without failing the run; the runner's listeners come back after.
  beforeEach(() => {
    seen.length = 0;
    others = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    process.on("unhandledRejection", onUnhandled);
  });

  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
    for (const listener of others) process.on("unhandledRejection", listener);
  });

  test("a control: an ordinary rejected promise nobody handles is heard", async () => {
    const error = new Error("control");
    Promise.reject(error);
    await settle();
    expect(seen).toEqual([error]);
  });

  test("none when only withResponse() is used and it handles the rejection", async () => {
    const error = new Error("handled through withResponse");
    const promise = new NectarPromise<never>(Promise.reject(error));
    await expect(promise.withResponse()).rejects.toBe(error);
    await settle();
    expect(seen).toEqual([]);
  });

  test("none when only the data is awaited and the rejection is caught", async () => {
    const promise = new NectarPromise<never>(Promise.reject(new Error("caught by await")));
    await promise.catch(() => undefined);
    await settle();
    expect(seen).toEqual([]);
  });

  test("none from a client call whose 404 is read only through withResponse()", async () => {
    const { client } = createObservedClient(() => json(404, errorBodies.notFound()));
    const error = await rejectionOf(client.connections.retrieve(seed.id).withResponse());
    expect(error).toBeInstanceOf(NectarNotFoundError);
    await settle();
    expect(seen).toEqual([]);
  });
});

describe("from the client", () => {
  test("retrieve resolves to the connection and withResponse() adds the response", async () => {
    const { client } = createObservedClient(() => json(200, seed, { "x-request-id": "req-42" }));
    const call = client.connections.retrieve(seed.id);
    expect(call).toBeInstanceOf(NectarPromise);
    const { data, response, attempts, requestId } = await call.withResponse();
    expect(data).toEqual(seed);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-42");
    expect(attempts).toBe(1);
    expect(requestId).toBe("req-42");
    expect(await call).toEqual(seed);
  });

  test("one call sends one request, however the result is read", async () => {
    const { client, requests } = createObservedClient(() => json(200, seed));
    const call = client.connections.retrieve(seed.id);
    await call;
    await call.withResponse();
    await call.then((connection) => connection.id);
    expect(requests).toHaveLength(1);
  });
});
