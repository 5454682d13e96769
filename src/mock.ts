/**
 * A mock of Nectar Climate's `GET /connection/{connection_id}` for tests, shipped as
 * `nectar-climate-connection/mock`. It uses `node:http` only and answers from the examples in the
 * bundled spec (`generated/openapi.json`), and it can be scripted to misbehave: throttle, fail,
 * hang, reset the connection, or send broken bodies.
 *
 * Node-only (it serves with `node:http` and reads the spec with `node:fs`): its `exports` entry
 * has a `node` condition only, so a bundler for a browser or a Worker refuses to resolve it. The
 * client itself (`nectar-climate-connection`) touches no Node API.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
  validateHeaderName,
  validateHeaderValue,
} from "node:http";
import type { Socket } from "node:net";
import type { Connection } from "../generated/schema.js";
import { isUuid } from "./input.js";
import { redactHeaders } from "./redact.js";

/** The path prefix of every answered URL, mirroring `https://external.nectarclimate.com/v2.2`. */
export const MOCK_BASE_PATH = "/v2.2";

/** The API key the mock accepts when {@link MockServerOptions.apiKey} is not given. */
export const DEFAULT_MOCK_API_KEY = "mock-api-key";

/**
 * A JSON answer with a chosen status, e.g. a 429 with a `Retry-After` header or a 503.
 *
 * When `body` is left out it defaults to the spec's example for the status: 400, 401, 403, 404
 * and 429 get the `detail` of `ErrorBadRequest`, `ErrorUnauthorized`, `ErrorForbidden`,
 * `ErrorNotFound` and `ErrorTooManyRequests`, any 5xx that of `ErrorServerError`, a 2xx the stored
 * connection (or `{}` when the id is unknown), and any other status `{ "detail": <reason phrase> }`.
 * `headers` are added to (and may override) `content-type: application/json`.
 *
 * @example
 * ```ts
 * mock.script(id, [{ status: 429, headers: { "Retry-After": "1" } }, { status: 503 }]);
 * ```
 */
export interface MockStatusFault {
  kind?: never;
  /** HTTP status, 200-599. */
  status: number;
  /** The JSON body; defaults as described above. */
  body?: unknown;
  /** Extra response headers, e.g. `{ "Retry-After": "2" }`. */
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

/**
 * One scripted misbehaviour, consumed by one request to the scripted connection id (after the
 * API key has been checked). See {@link MockServer.script}.
 *
 * | fault | what the client sees |
 * | --- | --- |
 * | `{ status, body?, headers? }` | a JSON answer with that status (see {@link MockStatusFault}) |
 * | `{ kind: "json", status?, body, headers? }` | any JSON body, status defaults to 200 (e.g. an unknown `status` value, an undeclared 422) |
 * | `{ kind: "reset" }` | the socket is reset before any byte of the answer |
 * | `{ kind: "hang" }` | the request is accepted and never answered |
 * | `{ kind: "endless-body" }` | 200 headers and the start of a JSON body that trickles forever |
 * | `{ kind: "truncated-json" }` | 200 with the Content-Length of the full body, half the body, then the socket is destroyed |
 * | `{ kind: "html", status? }` | an HTML error page (`text/html`), status defaults to 502 |
 * | `{ kind: "invalid-json" }` | 200 `application/json` whose complete body is not JSON |
 * | `{ kind: "delay", ms }` | the normal answer, `ms` late |
 *
 * Every fault may carry `delayMs`: the wait before the fault happens.
 */
export type MockFault =
  | MockStatusFault
  | {
      kind: "json";
      /** HTTP status, 200-599; defaults to 200. */
      status?: number;
      /** Sent as `JSON.stringify(body)`. */
      body: unknown;
      headers?: Record<string, string>;
      delayMs?: number;
    }
  | { kind: "reset"; delayMs?: number }
  | { kind: "hang"; delayMs?: number }
  | { kind: "endless-body"; delayMs?: number }
  | { kind: "truncated-json"; delayMs?: number }
  | {
      kind: "html";
      /** HTTP status, 200-599; defaults to 502. */
      status?: number;
      delayMs?: number;
    }
  | { kind: "invalid-json"; delayMs?: number }
  | {
      kind: "delay";
      /** How late the normal answer comes. */
      ms: number;
      delayMs?: number;
    };

/** One request as the mock received it; `x-api-key` and `authorization` read `"[redacted]"`. */
export interface MockRequestLogEntry {
  method: string;
  /** The request target as sent, query string included. */
  path: string;
  /** Header names in lower case; repeated headers joined with `", "`. */
  headers: Record<string, string>;
}

/** Counters kept by the mock. The object is live: it changes as requests arrive. */
export interface MockStats {
  /** Requests received, whatever their answer. */
  requests: number;
  /** Requests whose answer has not finished (or whose socket is still open, for `hang`). */
  inFlight: number;
  /** The highest `inFlight` seen since start or {@link MockServer.reset}. */
  maxInFlight: number;
  /** Every request received, oldest first. */
  log: MockRequestLogEntry[];
}

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /**
   * The connections the mock knows; defaults to the `value` of the spec's three Connection
   * examples (`ConnectionSeed`, `ConnectionPasswordIncorrect`, `ConnectionDeactivated`). They
   * are copied, and looked up by `id` without regard to case.
   */
  connections?: Connection[];
  /** The only `X-API-KEY` value accepted; defaults to {@link DEFAULT_MOCK_API_KEY}. */
  apiKey?: string;
  /** Port on 127.0.0.1; defaults to 0 (a free port). */
  port?: number;
}

/** A running mock, as resolved by {@link startMockServer}. */
export interface MockServer {
  /** The base URL to give a client, e.g. `http://127.0.0.1:41235/v2.2` (no trailing slash). */
  readonly url: string;
  /** The accepted `X-API-KEY` value. */
  readonly apiKey: string;
  /** Live counters and the request log. */
  readonly stats: MockStats;
  /**
   * Queues faults for `connectionId` (matched without regard to case): each request to that id
   * that passes the API-key check takes the next fault; once the queue is empty, requests get
   * normal answers again. Calling it again appends to the queue.
   */
  script(connectionId: string, faults: readonly MockFault[]): void;
  /** Adds a connection, or replaces the one with the same `id`. */
  setConnection(connection: Connection): void;
  /**
   * Clears every script and the stats (`maxInFlight` restarts from the current `inFlight`), and
   * restores the connections given at start (undoing {@link MockServer.setConnection}).
   */
  reset(): void;
  /**
   * Stops the server and destroys every open socket, hung ones included, and every pending
   * timer, so nothing is left behind. Safe to call more than once.
   */
  close(): Promise<void>;
}

interface SpecFacts {
  connections: Connection[];
  details: Record<string, string>;
}

const SPEC_URL = new URL("../generated/openapi.json", import.meta.url);
const CONNECTION_EXAMPLES = [
  "ConnectionSeed",
  "ConnectionPasswordIncorrect",
  "ConnectionDeactivated",
] as const;
const ERROR_EXAMPLES = [
  "ErrorBadRequest",
  "ErrorUnauthorized",
  "ErrorForbidden",
  "ErrorNotFound",
  "ErrorTooManyRequests",
  "ErrorServerError",
] as const;
const EXAMPLE_FOR_STATUS: Record<number, (typeof ERROR_EXAMPLES)[number]> = {
  400: "ErrorBadRequest",
  401: "ErrorUnauthorized",
  403: "ErrorForbidden",
  404: "ErrorNotFound",
  429: "ErrorTooManyRequests",
};
const ROUTE = /^\/v2\.2\/connection\/([^/]+)$/;
const JSON_TYPE = "application/json";
const ENDLESS_CHUNK_MS = 50;

let specFacts: SpecFacts | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function exampleValue(examples: Record<string, unknown>, name: string): unknown {
  const example = examples[name];
  if (!isRecord(example) || !("value" in example)) {
    throw new Error(`generated/openapi.json has no components.examples.${name}.value`);
  }
  return example.value;
}

async function loadSpecFacts(): Promise<SpecFacts> {
  if (specFacts) return specFacts;
  const spec: unknown = JSON.parse(await readFile(SPEC_URL, "utf8"));
  const examples = isRecord(spec) && isRecord(spec.components) ? spec.components.examples : {};
  if (!isRecord(examples)) throw new Error("generated/openapi.json has no components.examples");
  const connections = CONNECTION_EXAMPLES.map((name) => {
    const value = exampleValue(examples, name);
    if (!isRecord(value) || typeof value.id !== "string") {
      throw new Error(`components.examples.${name}.value is not a connection with an id`);
    }
    return value as Connection;
  });
  const details: Record<string, string> = {};
  for (const name of ERROR_EXAMPLES) {
    const value = exampleValue(examples, name);
    if (!isRecord(value) || typeof value.detail !== "string") {
      throw new Error(`components.examples.${name}.value has no detail string`);
    }
    details[name] = value.detail;
  }
  specFacts = { connections, details };
  return specFacts;
}

function checkStatus(status: number): void {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`A mock fault's status must be an integer from 200 to 599, got ${status}`);
  }
}

function checkDelay(ms: number | undefined): void {
  if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) {
    throw new RangeError(`A mock fault's delay must be a finite number >= 0, got ${ms}`);
  }
}

function checkFault(fault: MockFault): void {
  if (fault.kind === undefined || fault.kind === "json" || fault.kind === "html") {
    if (fault.status !== undefined) checkStatus(fault.status);
  }
  if (fault.kind === "delay") checkDelay(fault.ms);
  checkDelay(fault.delayMs);
  if (fault.kind === undefined || fault.kind === "json") {
    for (const [name, value] of Object.entries(fault.headers ?? {})) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    }
    if ("body" in fault) JSON.stringify(fault.body); // throws now, not inside the server
  }
}

function logHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return redactHeaders(headers);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Starts a mock of Nectar's `GET /connection/{connection_id}` on 127.0.0.1.
 *
 * Every request is first checked for the `X-API-KEY` header (401 `{"detail":"Invalid API key."}`
 * when it is missing or wrong). Then `GET` (or `HEAD`) `/v2.2/connection/{id}` answers 200 with
 * the stored connection, 404 `{"detail":"Not found."}` for an unknown id, or 400
 * `{"detail":"Invalid connection_id: expected a UUID."}` for an id that is not a UUID; any other
 * path gets 404 and any other method on that path 405. Paths without the `/v2.2` prefix get 404,
 * as they would from Nectar, so a client that drops the version from its base URL fails here too.
 * All of these are `application/json` with bodies from the spec's examples.
 *
 * @param options - connections to serve, the accepted API key, the port.
 * @returns the running mock; call {@link MockServer.close} when done.
 * @throws when `generated/openapi.json` cannot be read or the port cannot be bound.
 *
 * @example
 * ```ts
 * import { startMockServer } from "nectar-climate-connection/mock";
 *
 * const mock = await startMockServer();
 * const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a"; // the spec's ConnectionSeed
 * mock.script(id, [{ status: 429, headers: { "Retry-After": "1" } }, { kind: "reset" }]);
 * const response = await fetch(`${mock.url}/connection/${id}`, {
 *   headers: { "X-API-KEY": mock.apiKey },
 * }); // 429; the next request to this id meets a reset socket, the one after gets 200
 * await mock.close();
 * ```
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const facts = await loadSpecFacts();
  const apiKey = options.apiKey ?? DEFAULT_MOCK_API_KEY;
  const initialConnections = structuredClone(options.connections ?? facts.connections);
  for (const connection of initialConnections) {
    if (!isRecord(connection) || typeof connection.id !== "string") {
      throw new TypeError("Every connection given to startMockServer needs a string id");
    }
  }

  const connections = new Map<string, Connection>();
  const scripts = new Map<string, MockFault[]>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const openResponses = new Set<ServerResponse>();
  const stats: MockStats = { requests: 0, inFlight: 0, maxInFlight: 0, log: [] };
  let closing: Promise<void> | undefined;

  const restoreConnections = (): void => {
    connections.clear();
    for (const connection of initialConnections) {
      connections.set(connection.id.toLowerCase(), structuredClone(connection));
    }
  };
  restoreConnections();

  const detailBody = (status: number): { detail: string } => {
    const name = status >= 500 ? "ErrorServerError" : EXAMPLE_FOR_STATUS[status];
    const detail = name === undefined ? undefined : facts.details[name];
    return { detail: detail ?? STATUS_CODES[status] ?? "Error" };
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void => {
    if (res.destroyed || res.writableEnded) return;
    const noBody = status === 204 || status === 205 || status === 304;
    res.writeHead(status, {
      "content-type": JSON_TYPE,
      ...(noBody ? {} : { "content-length": String(Buffer.byteLength(body)) }),
      ...headers,
    });
    res.end(noBody ? undefined : body);
  };

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    send(res, status, JSON.stringify(body) ?? "", headers);
  };

  /** Runs `fn`; should it throw, the socket is destroyed rather than the process crashed. */
  const guarded = (res: ServerResponse, fn: () => void): void => {
    try {
      fn();
    } catch {
      res.socket?.destroy();
    }
  };

  /** Runs `fn` after `ms`, unless the response has gone (closed socket, close()). */
  const later = (res: ServerResponse, ms: number, fn: () => void): void => {
    if (ms <= 0) {
      guarded(res, fn);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.off("close", cancel);
      if (!res.destroyed) guarded(res, fn);
    }, ms);
    const cancel = (): void => {
      clearTimeout(timer);
      timers.delete(timer);
    };
    timers.add(timer);
    res.once("close", cancel);
  };

  const answer = (res: ServerResponse, rawId: string): void => {
    const id = decodeSegment(rawId);
    if (!isUuid(id)) {
      sendJson(res, 400, detailBody(400));
      return;
    }
    const connection = connections.get(id.toLowerCase());
    if (connection === undefined) {
      sendJson(res, 404, detailBody(404));
      return;
    }
    sendJson(res, 200, connection);
  };

  const fullBodyFor = (rawId: string): unknown =>
    connections.get(decodeSegment(rawId).toLowerCase()) ?? {};

  const applyFault = (
    req: IncomingMessage,
    res: ServerResponse,
    rawId: string,
    fault: MockFault,
  ): void => {
    switch (fault.kind) {
      case undefined: {
        const body =
          "body" in fault
            ? fault.body
            : fault.status < 300
              ? fullBodyFor(rawId)
              : detailBody(fault.status);
        sendJson(res, fault.status, body, fault.headers);
        return;
      }
      case "json":
        sendJson(res, fault.status ?? 200, fault.body, fault.headers);
        return;
      case "reset":
        req.socket.resetAndDestroy();
        return;
      case "hang":
        return;
      case "endless-body": {
        res.writeHead(200, { "content-type": JSON_TYPE });
        res.write(`{"id":${JSON.stringify(decodeSegment(rawId))},"padding":"`);
        const chunk = "x".repeat(64);
        const timer = setInterval(() => {
          if (res.destroyed) return;
          res.write(chunk);
        }, ENDLESS_CHUNK_MS);
        timers.add(timer);
        res.once("close", () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case "truncated-json": {
        const full = Buffer.from(JSON.stringify(fullBodyFor(rawId)));
        res.writeHead(200, { "content-type": JSON_TYPE, "content-length": String(full.length) });
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => req.socket.destroy());
        return;
      }
      case "html": {
        const status = fault.status ?? 502;
        const reason = `${status} ${STATUS_CODES[status] ?? "Error"}`;
        const page = `<html>\r\n<head><title>${reason}</title></head>\r\n<body>\r\n<center><h1>${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
        send(res, status, page, { "content-type": "text/html; charset=utf-8" });
        return;
      }
      case "invalid-json":
        send(res, 200, `{"id": ${JSON.stringify(decodeSegment(rawId))}, "status": CONNECTED`);
        return;
      case "delay":
        later(res, fault.ms, () => answer(res, rawId));
        return;
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    req.resume();
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const target = req.url ?? "/";
    const method = req.method ?? "GET";
    stats.log.push({ method, path: target, headers: logHeaders(req) });
    openResponses.add(res);
    res.once("close", () => {
      openResponses.delete(res);
      stats.inFlight -= 1;
    });

    if (req.headers["x-api-key"] !== apiKey) {
      sendJson(res, 401, detailBody(401));
      return;
    }
    const pathname = target.split("?", 1)[0] ?? "/";
    const rawId = ROUTE.exec(pathname)?.[1];
    if (rawId === undefined) {
      sendJson(res, 404, detailBody(404));
      return;
    }
    if (method !== "GET" && method !== "HEAD") {
      sendJson(res, 405, { detail: `Method "${method}" not allowed.` }, { allow: "GET, HEAD" });
      return;
    }
    const fault = scripts.get(decodeSegment(rawId).toLowerCase())?.shift();
    if (fault === undefined) {
      answer(res, rawId);
      return;
    }
    later(res, fault.delayMs ?? 0, () => applyFault(req, res, rawId, fault));
  };

  const server: Server = createServer((req, res) => guarded(res, () => handle(req, res)));
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    server.close();
    throw new Error("The mock server did not get a TCP address");
  }

  return {
    url: `http://127.0.0.1:${address.port}${MOCK_BASE_PATH}`,
    apiKey,
    stats,
    script(connectionId: string, faults: readonly MockFault[]): void {
      for (const fault of faults) checkFault(fault);
      const key = connectionId.toLowerCase();
      const queue = scripts.get(key) ?? [];
      queue.push(...faults);
      scripts.set(key, queue);
    },
    setConnection(connection: Connection): void {
      if (!isRecord(connection) || typeof connection.id !== "string") {
        throw new TypeError("setConnection needs a connection with a string id");
      }
      connections.set(connection.id.toLowerCase(), structuredClone(connection));
    },
    reset(): void {
      scripts.clear();
      restoreConnections();
      stats.requests = 0;
      stats.maxInFlight = stats.inFlight;
      stats.log.length = 0;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        const responsesClosed = [...openResponses].map(
          (res) => new Promise<void>((resolve) => res.once("close", () => resolve())),
        );
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        await Promise.all([serverClosed, ...responsesClosed]);
      })();
      return closing;
    },
  };
}
