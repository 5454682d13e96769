/**
 * The client's core over real sockets, the edges the other tests leave open: its own sleep
 * between retries (the wait `Retry-After` asks for, cut short by the caller's signal, no
 * listener left behind); hook and tracing failures logged once at warn, never thrown, even with
 * debug off; schema warnings with warn off; operations with no schema (`ping`) answered with a
 * non-object or non-JSON body; query strings and JSON bodies on the wire; an error before the
 * request passed through unchanged; a call begun while nobody listened staying unobserved; an
 * invalid id observed as nothing at all; an operation without an id traced as `unknown`; and
 * `client.raw` retrying a GET.
 */
import { tracingChannel } from "node:diagnostics_channel";
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import type { Connection } from "../../generated/schema.js";
import { createClientParts } from "../../src/core/client-core.js";
import type { OpenTelemetryApi } from "../../src/core/otel.js";
import {
  CHANNEL_NAMES,
  createNectarClient,
  NectarAbortError,
  type NectarClientOptions,
  NectarInvalidInputError,
} from "../../src/index.js";
import { listen, stopListening } from "../helpers/channels.js";
import { type LogLine, recordingLogger, rejectionOf, seedFor } from "../helpers/client.js";
import { startConnectProxy } from "../helpers/connect-proxy.js";
import { type FetchHandler, startFetchServer } from "../helpers/fetch-server.js";
import { connections, invitations, TEST_API_KEY } from "../helpers/fixtures.js";
import { recordForRedaction } from "../setup/redaction.js";

const ID = connections.seed().id;
const COMPANY = "0f0f0f0f-1111-4222-8333-444455556666";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterEach(stopListening);

/** A request as the server saw it: when, method, path with query, and body text. */
interface Arrival {
  at: number;
  method: string;
  url: URL;
  body: string;
}

/** A JSON answer. */
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

/** Serves `answer` (given the arrival and its 1-based index) on 127.0.0.1; records every arrival. */
async function serve(answer: (arrival: Arrival, index: number) => Response | Promise<Response>) {
  const arrivals: Arrival[] = [];
  const handler: FetchHandler = async (request) => {
    const arrival = {
      at: performance.now(),
      method: request.method,
      url: new URL(request.url),
      body: await request.text(),
    };
    arrivals.push(arrival);
    return answer(arrival, arrivals.length);
  };
  const server = await startFetchServer(handler);
  cleanups.push(() => server.close());
  return { arrivals, baseUrl: `${server.url}/v2.2` };
}

/** A client on `baseUrl` with the real sleep and fetch; its log lines kept in `logs`. */
function clientOn(baseUrl: string, options: NectarClientOptions = {}) {
  const logs: LogLine[] = [];
  const client = createNectarClient({
    apiKey: TEST_API_KEY,
    baseUrl,
    logger: recordingLogger(logs),
    ...options,
  });
  recordForRedaction(client);
  return { client, logs };
}

/** The seed connection for the id the arrival asked for. */
const seedAt = (arrival: Arrival) => seedFor({ url: arrival.url.href });

describe("the client's own sleep between retries", () => {
  it("waits the second a 503's Retry-After asks for before the retry, then answers", async () => {
    const { arrivals, baseUrl } = await serve((arrival, index) =>
      index === 1 ? json(503, {}, { "retry-after": "1" }) : json(200, seedAt(arrival)),
    );
    const { client } = clientOn(baseUrl);
    expect((await client.connections.retrieve(ID)).id).toBe(ID);
    expect(arrivals).toHaveLength(2);
    const [first, second] = arrivals.map((arrival) => arrival.at);
    // Not sent before the second was over (a lower bound: a loaded machine only waits longer).
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("stops waiting as soon as the caller's signal aborts, without a second request", async () => {
    const stop = new AbortController();
    const { arrivals, baseUrl } = await serve(() => {
      setTimeout(() => stop.abort(), 100);
      return json(503, {}, { "retry-after": "60" });
    });
    const { client } = clientOn(baseUrl);
    const error = await rejectionOf(client.connections.retrieve(ID, { signal: stop.signal }));
    expect(error).toBeInstanceOf(NectarAbortError);
    expect(arrivals).toHaveLength(1);
  }, 10_000); // a bound against hanging: the 60 s wait must be cut short

  it("leaves no listener on the caller's signal once the wait is over", async () => {
    const { arrivals, baseUrl } = await serve((arrival, index) =>
      index === 1 ? json(503, {}, { "retry-after": "0" }) : json(200, seedAt(arrival)),
    );
    const { client } = clientOn(baseUrl);
    const { signal } = new AbortController();
    expect((await client.connections.retrieve(ID, { signal })).id).toBe(ID);
    expect(arrivals).toHaveLength(2);
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });
});

describe("faults of hooks and tracing", () => {
  const failingHook = () => {
    throw new Error("hook broke");
  };

  it("logs a hook's first failure at warn, once, and never fails the call, even with debug off", async () => {
    const { baseUrl } = await serve((arrival) => json(200, seedAt(arrival)));
    const { client, logs } = clientOn(baseUrl, {
      logLevel: "warn",
      hooks: { onRequest: failingHook },
    });
    await client.connections.retrieve(ID);
    await client.connections.retrieve(ID);
    expect(logs).toEqual([
      {
        level: "warn",
        message:
          "[nectar] hook onRequest failed: Error: hook broke (logged once; later failures at debug)",
        details: [],
      },
    ]);
  });

  it("logs later failures of the hook at debug, without the note", async () => {
    const { baseUrl } = await serve((arrival) => json(200, seedAt(arrival)));
    const { client, logs } = clientOn(baseUrl, {
      logLevel: "debug",
      hooks: { onRequest: failingHook },
    });
    await client.connections.retrieve(ID);
    await client.connections.retrieve(ID);
    const hookLines = logs.filter((line) => line.message.includes("hook onRequest"));
    expect(hookLines.map((line) => [line.level, line.message])).toEqual([
      [
        "warn",
        "[nectar] hook onRequest failed: Error: hook broke (logged once; later failures at debug)",
      ],
      ["debug", "[nectar] hook onRequest failed: Error: hook broke"],
    ]);
  });

  /** An OpenTelemetry api whose tracer throws on every span (the message names the key). */
  const brokenTracing = (): OpenTelemetryApi => ({
    trace: {
      getTracer: () => ({
        startSpan: () => {
          throw new Error(`tracer down for ${TEST_API_KEY}`);
        },
      }),
      setSpan: (context) => context,
    },
    context: {
      active: () => ({}),
      with: (_context, fn, thisArg, ...args) => fn.apply(thisArg, args),
    },
  });

  it("logs a failing OpenTelemetry tracer at warn, key masked, and the call still answers", async () => {
    const { baseUrl } = await serve((arrival) => json(200, seedAt(arrival)));
    const { client, logs } = clientOn(baseUrl, {
      logLevel: "warn",
      tracing: { openTelemetry: brokenTracing() },
    });
    expect((await client.connections.retrieve(ID)).id).toBe(ID);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line.level).toBe("warn");
      expect(line.message).toMatch(
        /^\[nectar\] a tracing subscriber failed: Error: tracer down for /,
      );
      expect(line.message).not.toContain(TEST_API_KEY);
    }
  });

  it("answers as well when the tracer fails with the warn level off", async () => {
    const { baseUrl } = await serve((arrival) => json(200, seedAt(arrival)));
    const { client, logs } = clientOn(baseUrl, {
      logLevel: "error",
      tracing: { openTelemetry: brokenTracing() },
    });
    expect((await client.connections.retrieve(ID)).id).toBe(ID);
    expect(logs).toEqual([]);
  });
});

describe("schema violations with validateResponses warn", () => {
  it("resolves to the body and logs nothing when the logger's warn level is off", async () => {
    const { baseUrl } = await serve((arrival) => json(200, { ...seedAt(arrival), status: 42 }));
    const { client, logs } = clientOn(baseUrl, { validateResponses: "warn", logLevel: "error" });
    const connection = await client.connections.retrieve(ID);
    expect(connection.status as unknown).toBe(42);
    expect(logs).toEqual([]);
  });
});

describe("an operation with no schema (ping)", () => {
  it("resolves to a body that is not a JSON object, as sent", async () => {
    const { baseUrl } = await serve(() => json(200, ["v2.2", "ok"]));
    expect(await clientOn(baseUrl).client.ping()).toEqual(["v2.2", "ok"]);
  });

  it("resolves to no data, with the response, when its 2xx body is not JSON", async () => {
    const { baseUrl } = await serve(
      () => new Response("pong", { headers: { "content-type": "application/json" } }),
    );
    const { data, response, attempts } = await clientOn(baseUrl).client.ping().withResponse();
    expect(data).toBeUndefined();
    expect(response.status).toBe(200);
    expect(attempts).toBe(1);
  });
});

describe("what goes on the wire", () => {
  it("sends a list's filters as its query string", async () => {
    const { arrivals, baseUrl } = await serve(() =>
      json(200, {
        totalConnections: 0,
        perPage: 5,
        totalPages: 1,
        currentPage: 1,
        hasNext: false,
        hasPrevious: false,
        connections: [],
      }),
    );
    const list = clientOn(baseUrl).client.connections.list(COMPANY, {
      status: "CONNECTED",
      limit: 5,
    });
    for await (const _ of list) {
      // no connection
    }
    expect(arrivals).toHaveLength(1);
    const query = arrivals[0]?.url.searchParams;
    expect(query?.get("status")).toBe("CONNECTED");
    expect(query?.get("limit")).toBe("5");
    expect(query?.get("page")).toBe("1");
  });

  it("sends a create's options as its JSON body", async () => {
    const { arrivals, baseUrl } = await serve(() =>
      json(201, { ...invitations.reconnect(), connectionId: ID }),
    );
    await clientOn(baseUrl).client.invitations.createReconnect(ID, { maxUses: 3 });
    expect(arrivals.map((arrival) => arrival.method)).toEqual(["POST"]);
    expect(JSON.parse(arrivals[0]?.body ?? "")).toMatchObject({ maxUses: 3 });
  });

  it("refuses query values for an operation that declares no query parameter", async () => {
    const { arrivals, baseUrl } = await serve((arrival) => json(200, seedAt(arrival)));
    const { core } = createClientParts({ apiKey: TEST_API_KEY, baseUrl });
    const operation = {
      method: "GET",
      path: "/connection/{connection_id}",
      idempotent: true,
    } as const;
    const input = { path: { connection_id: ID }, query: { limit: 1 } };
    const error = await rejectionOf(core.request(operation, input, undefined));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toBe('Unknown query parameter "limit".');
    expect(arrivals).toEqual([]);
  });

  it("passes an error raised before the request through unchanged, sending nothing", async () => {
    const { arrivals, baseUrl } = await serve(() => json(200, {}));
    const { core } = createClientParts({ apiKey: TEST_API_KEY, baseUrl });
    const failure = new Error("cannot serialize");
    const body = {
      toJSON: () => {
        throw failure;
      },
    };
    const operation = {
      method: "POST",
      path: "/connection/{connection_id}",
      idempotent: false,
    } as const;
    const error = await rejectionOf(
      core.request(operation, { path: { connection_id: ID }, body }, undefined),
    );
    expect(error).toBe(failure);
    expect(arrivals).toEqual([]);
  });
});

describe("observed calls", () => {
  it("does not observe a call begun while nobody listened, even when someone subscribes during it", async () => {
    const seen: unknown[][] = [];
    const { baseUrl } = await serve((arrival) => {
      seen.push(listen());
      return json(200, seedAt(arrival));
    });
    const { client } = clientOn(baseUrl);
    expect((await client.connections.retrieve(ID)).id).toBe(ID);
    expect(seen).toEqual([[]]);
  });

  it("reports nothing for an invalid id, and rejects with the input error", async () => {
    const seen = listen();
    const errors: unknown[] = [];
    const { arrivals, baseUrl } = await serve((arrival) => json(200, seedAt(arrival)));
    const { client } = clientOn(baseUrl, { hooks: { onError: (event) => errors.push(event) } });
    const error = await rejectionOf(client.connections.retrieve("not-a-uuid"));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(seen).toEqual([]);
    expect(errors).toEqual([]);
    expect(arrivals).toEqual([]);
  });

  it("names an operation without an id `unknown` in its events", async () => {
    const started: unknown[] = [];
    const { start } = tracingChannel(CHANNEL_NAMES.call);
    const onStart = (event: unknown) => started.push(event);
    start.subscribe(onStart);
    cleanups.push(() => start.unsubscribe(onStart));
    const { baseUrl } = await serve((arrival) => json(200, seedAt(arrival)));
    const { core } = createClientParts({ apiKey: TEST_API_KEY, baseUrl });
    const operation = {
      method: "GET",
      path: "/connection/{connection_id}",
      idempotent: true,
    } as const;
    await core.request<Connection>(operation, { path: { connection_id: ID } }, undefined);
    expect(started).toEqual([
      expect.objectContaining({ operationId: "unknown", path: "/connection/{connection_id}" }),
    ]);
  });
});

describe("client.raw", () => {
  it("retries a GET answered 502, as any idempotent call", async () => {
    // 502 without Retry-After: retried only when the call may run twice.
    const { arrivals, baseUrl } = await serve((arrival, index) =>
      index === 1 ? json(502, {}) : json(200, seedAt(arrival)),
    );
    const { client } = clientOn(baseUrl);
    const { data, response } = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
    });
    expect(response.status).toBe(200);
    expect(data?.id).toBe(ID);
    expect(arrivals).toHaveLength(2);
  });
});

describe("through a proxy", () => {
  it("opens no more tunnels than the client's maxConcurrency, however many calls", async () => {
    const through = await startConnectProxy();
    cleanups.push(() => through.close());
    const { baseUrl } = await serve((arrival) => json(200, seedAt(arrival)));
    const { client } = clientOn(baseUrl, { proxy: through.url, maxConcurrency: 2 });
    const calls = Array.from({ length: 60 }, () => client.connections.retrieve(ID));
    expect(await Promise.all(calls)).toHaveLength(60);
    expect(through.tunnels).toBeGreaterThanOrEqual(1);
    expect(through.tunnels).toBeLessThanOrEqual(2);
  });
});
