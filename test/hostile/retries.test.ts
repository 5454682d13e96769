/**
 * Retry only what can succeed, over real sockets. Idempotent calls retry network failures,
 * timeouts and 408/429/5xx; never what cannot succeed (an invalid header value, a redirect, a
 * body too large: see the other files). A call that must not run twice (a create, built here
 * through the client core with `idempotent: false`, as invitations' will be) retries only what
 * cannot have been processed: a 429, a 503 with `Retry-After`, or a failure to connect at all.
 */
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createClientParts } from "../../src/core/client-core.js";
import {
  createNectarClient,
  NectarApiError,
  type NectarClientOptions,
  NectarConnectionError,
  NectarRateLimitError,
  NectarServerError,
  NectarTimeoutError,
} from "../../src/index.js";
import { connections } from "../helpers/fixtures.js";
import { closeAll, failureOf, type HostileHandler, optionsFor, startServer } from "./servers.js";

const ID = connections.seed().id;

afterAll(closeAll);

/** Answers the n-th request with the n-th handler; the last one repeats. */
function script(...answers: HostileHandler[]): HostileHandler {
  let count = 0;
  return (request, response, seen) =>
    answers[Math.min(count++, answers.length - 1)]?.(request, response, seen);
}

const status =
  (code: number, headers: Record<string, string> = {}): HostileHandler =>
  (_request, response) => {
    response.writeHead(code, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify({ detail: `status ${code}` }));
  };
const created: HostileHandler = (_request, response) => {
  response.writeHead(201, { "content-type": "application/json" });
  response.end(JSON.stringify({ created: true }));
};
/** Reads the whole request, then resets the connection: the request may have been processed. */
const resetAfterRead: HostileHandler = (request) => {
  request.socket.resetAndDestroy();
};
/** Reads the whole request and never answers. */
const silent: HostileHandler = () => {};

/** A POST through the client core: idempotent or not, with the client options given. */
async function post(
  handler: HostileHandler,
  idempotent: boolean,
  options: NectarClientOptions = {},
) {
  const server = await startServer(handler);
  const { core } = createClientParts(optionsFor(server, { maxRetries: 2, ...options }));
  const call = core.request(
    { method: "POST", path: "/connection/{connection_id}", schema: undefined, idempotent },
    { path: { connection_id: ID }, body: { create: 1 } },
    undefined,
  );
  return { server, call };
}

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("a POST that must not run twice (idempotent: false)", () => {
  it.each([
    ["429", status(429)],
    ["503 with Retry-After", status(503, { "retry-after": "0" })],
  ])("is retried after a %s: the server says it did nothing", async (_what, first) => {
    const { server, call } = await post(script(first, created), false);
    const { data, attempts } = await call;
    expect(data).toEqual({ created: true });
    expect(attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ["503 without Retry-After", status(503), NectarServerError],
    ["500", status(500), NectarServerError],
    ["502", status(502), NectarServerError],
    ["408", status(408), NectarApiError],
    // Only a 503 says "not processed" with its Retry-After: any other 5xx may have created it.
    ["500 with Retry-After", status(500, { "retry-after": "0" }), NectarServerError],
    ["502 with Retry-After", status(502, { "retry-after": "0" }), NectarServerError],
    ["504 with Retry-After", status(504, { "retry-after": "0" }), NectarServerError],
    ["500 with retry-after-ms", status(500, { "retry-after-ms": "0" }), NectarServerError],
  ])("is not retried after a %s", async (_what, first, errorClass) => {
    const { server, call } = await post(script(first, created), false);
    const error = await failureOf(call);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("is not retried after a reset once the request was sent", async () => {
    const { server, call } = await post(script(resetAfterRead, created), false);
    const error = await failureOf(call);
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("is not retried after a response timeout", async () => {
    const { server, call } = await post(script(silent, created), false, { timeoutMs: 100 });
    const error = await failureOf(call);
    expect(error).toBeInstanceOf(NectarTimeoutError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("is retried when the connection is refused: nothing reached a server", async () => {
    const port = await closedPort();
    const { core } = createClientParts(optionsFor({ origin: `http://127.0.0.1:${port}` }));
    const error = await failureOf(
      core.request(
        {
          method: "POST",
          path: "/connection/{connection_id}",
          schema: undefined,
          idempotent: false,
        },
        { path: { connection_id: ID }, body: {} },
        undefined,
      ),
    );
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).toMatchObject({ attempts: 3 });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe("the same failures for an idempotent call", () => {
  it.each([
    ["503 without Retry-After", status(503)],
    ["500", status(500)],
    ["408", status(408)],
    ["a reset once sent", resetAfterRead],
  ])("are retried: %s", async (_what, first) => {
    const { server, call } = await post(script(first, created), true);
    const { attempts } = await call;
    expect(attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });

  it("a response timeout is retried", async () => {
    const { server, call } = await post(script(silent, created), true, { timeoutMs: 150 });
    const { attempts } = await call;
    expect(attempts).toBe(2);
    expect(server.requests).toHaveLength(2);
  });
});

describe("failures that cannot succeed", () => {
  it("an invalid header value (raw, DEL character) is not retried and sends nothing", async () => {
    const server = await startServer(status(200));
    const client = createNectarClient(optionsFor(server, { maxRetries: 3 }));
    const error = await failureOf(
      client.raw.GET("/connection/{connection_id}", {
        params: { path: { connection_id: ID } },
        headers: { "x-note": "a\u007fb" },
      }),
    );
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).toMatchObject({ attempts: 1 });
    expect(server.requests).toHaveLength(0);
  });
});

/** A client whose fetch fails as undici does, with `cause` (and its code) as given. */
function failingWith(cause: unknown, calls: { count: number }) {
  return createNectarClient({
    ...optionsFor({ origin: "http://127.0.0.1:9" }, { maxRetries: 2 }),
    fetch: async () => {
      calls.count++;
      throw new TypeError("fetch failed", { cause });
    },
  });
}

/** An error with a Node-style `code`. */
const coded = (code: string) =>
  Object.assign(new Error(`getaddrinfo ${code} api.example`), { code });

describe("failures to connect, by their code (as undici reports them)", () => {
  it.each([
    ["ENOTFOUND (DNS: no such host)", coded("ENOTFOUND")],
    ["EAI_AGAIN (DNS: try again)", coded("EAI_AGAIN")],
    ["UND_ERR_CONNECT_TIMEOUT", coded("UND_ERR_CONNECT_TIMEOUT")],
    [
      "an AggregateError of refusals (happy eyeballs over IPv4 and IPv6)",
      new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")], "connect failed"),
    ],
  ])("%s is retried, even for a POST that must not run twice", async (_what, cause) => {
    const calls = { count: 0 };
    const client = failingWith(cause, calls);
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).toMatchObject({ attempts: 3 });
    const created = await failureOf(client.invitations.createReconnect(ID));
    expect(created).toMatchObject({ name: "NectarConnectionError", attempts: 3 });
    expect(calls.count).toBe(6);
  });

  it("another TypeError, with no code anywhere in its causes, is final", async () => {
    const calls = { count: 0 };
    const client = createNectarClient({
      ...optionsFor({ origin: "http://127.0.0.1:9" }, { maxRetries: 2 }),
      fetch: async () => {
        calls.count++;
        throw new TypeError("Cannot read properties of undefined (reading 'get')");
      },
    });
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toMatchObject({ name: "NectarConnectionError", attempts: 1 });
    expect(calls.count).toBe(1);
  });

  it("a cause chain that loops back on itself ends, and is final", async () => {
    const calls = { count: 0 };
    const looping = new Error("a proxy agent wrapped itself");
    (looping as { cause?: unknown }).cause = looping;
    const client = createNectarClient({
      ...optionsFor({ origin: "http://127.0.0.1:9" }, { maxRetries: 2 }),
      fetch: async () => {
        calls.count++;
        throw looping;
      },
    });
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(calls.count).toBe(1);
  });

  it("a looping chain around a connect code is still retried", async () => {
    const calls = { count: 0 };
    const outer = new Error("outer");
    const inner = Object.assign(new Error("inner"), { code: "ECONNREFUSED", cause: outer });
    (outer as { cause?: unknown }).cause = inner;
    const client = failingWith(outer, calls);
    await failureOf(client.connections.retrieve(ID));
    expect(calls.count).toBe(3);
  });
});

describe("retryAfterMs", () => {
  it.each([
    ["seconds beyond a day", "99999999999"],
    ["more seconds than a double holds exactly", "99999999999999999999999999"],
    ["an HTTP date in the year 9999", "Fri, 31 Dec 9999 23:59:59 GMT"],
  ])("is undefined for %s", async (_what, header) => {
    const server = await startServer(status(429, { "retry-after": header }));
    const client = createNectarClient(optionsFor(server, { maxRetries: 0 }));
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarRateLimitError);
    expect((error as NectarRateLimitError).retryAfterMs).toBeUndefined();
  });

  it("is the server's wait when it is believable (an hour)", async () => {
    const server = await startServer(status(429, { "retry-after": "3600" }));
    const client = createNectarClient(optionsFor(server, { maxRetries: 0 }));
    const error = await failureOf(client.connections.retrieve(ID));
    expect((error as NectarRateLimitError).retryAfterMs).toBe(3_600_000);
  });
});
