/**
 * A mock of Nectar Climate's API for tests, shipped as `nectar-climate-connection/mock`
 * (Node-only: it uses `node:http`). It answers from the examples in the bundled spec
 * (`generated/openapi.json`), and it can be scripted to misbehave: throttle, fail, hang, reset
 * the connection, or send broken bodies. One file per concern: `types.ts` (the public types),
 * `spec-facts.ts` (the examples), `routes/` (one file per resource), `faults.ts`, `respond.ts`.
 *
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Connection } from "../../generated/schema.js";
import { redactHeaders } from "../core/redact.js";
import { applyFault, checkFault } from "./faults.js";
import { generateFleet } from "./fleet.js";
import { createInvitationStore, loadInvitationExamples } from "./invitations.js";
import { createResponder } from "./respond.js";
import { ROUTES } from "./routes/index.js";
import type { MockState, Route, RouteRequest } from "./routes/route.js";
import { isRecord, loadSpecFacts } from "./spec-facts.js";
import { createStatusChanges, isStatusChange, type MockStatusChange } from "./status-changes.js";
import {
  DEFAULT_MOCK_API_KEY,
  MOCK_BASE_PATH,
  MOCK_LOG_LIMIT,
  type MockFault,
  type MockServer,
  type MockServerOptions,
  type MockStats,
} from "./types.js";

export * from "./types.js";

/** The largest request body the mock reads; a larger one gets 413. */
const MAX_REQUEST_BODY = 1024 * 1024;

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

/** The route that matches `pathname` (below the base path) and its raw id segment. */
function matchRoute(pathname: string): { route: Route; rawId: string } | undefined {
  if (!pathname.startsWith(`${MOCK_BASE_PATH}/`)) return undefined;
  const below = pathname.slice(MOCK_BASE_PATH.length);
  for (const route of ROUTES) {
    const rawId = route.pattern.exec(below)?.[1];
    if (rawId !== undefined) return { route, rawId };
  }
  return undefined;
}

/** Reads a request body up to {@link MAX_REQUEST_BODY}; `undefined` when it is larger. */
function readBody(req: IncomingMessage, done: (body: string | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_REQUEST_BODY) chunks.push(chunk);
  });
  req.once("end", () =>
    done(size > MAX_REQUEST_BODY ? undefined : Buffer.concat(chunks).toString("utf8")),
  );
  req.once("error", () => done(undefined));
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
 * Invitations are stateful: `POST /invitation/connection/{id}` (a known connection; a bad body
 * gets 400 with a `detail` naming the field) answers 201 with a new invitation, which
 * `GET /invitation/{id}` then returns with its events and its status against `options.now`, and
 * `POST /invitation/{id}/revoke` turns `REVOKED`. `stats.invitationsCreated` counts creations.
 *
 * `GET /connection/company/{company_id}` lists a company's connections with Nectar's paging
 * (1-indexed pages of `limit`, 1 to 500, default 100; a page past the end is the last page
 * again) and filters (`status`, `connectionOwnerEmail`, repeated `sites`); a company no
 * connection belongs to gets 403. `mock.companyIds` names the companies; a script on a company id
 * scripts its page requests. `GET /ping` answers 200 to a good key.
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
 * const id = "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13"; // the spec's ConnectionPasswordIncorrect
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
  const initialConnections = structuredClone(options.connections ?? [...facts.connections]);
  for (const connection of initialConnections) {
    if (!isRecord(connection) || typeof connection.id !== "string") {
      throw new TypeError("Every connection given to startMockServer needs a string id");
    }
  }
  if (options.fleet !== undefined) {
    initialConnections.push(...generateFleet(options.fleet, facts.statuses));
  }
  const latencyMs = options.latencyMs ?? 0;
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) {
    throw new RangeError(`latencyMs must be a finite number >= 0, got ${latencyMs}`);
  }
  const ids = Object.freeze(initialConnections.map((connection) => connection.id));
  const companyIds = Object.freeze([
    ...new Set(initialConnections.flatMap((connection) => connection.company?.id ?? [])),
  ]);

  const responder = createResponder(facts);
  const initialInvitations = structuredClone(
    options.invitations ?? (await loadInvitationExamples()),
  );
  const now = options.now ?? Date.now;
  const invitations = createInvitationStore(initialInvitations, now, () => {
    stats.invitationsCreated += 1;
  });
  const state: MockState = { connections: new Map<string, Connection>(), invitations, responder };
  const scripts = new Map<string, MockFault[]>();
  const statusChanges = createStatusChanges();
  const sockets = new Set<Socket>();
  const openResponses = new Set<ServerResponse>();
  const stats: MockStats = {
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    log: [],
    invitationsCreated: 0,
  };
  let closing: Promise<void> | undefined;

  const restoreConnections = (): void => {
    state.connections.clear();
    for (const connection of initialConnections) {
      state.connections.set(connection.id.toLowerCase(), structuredClone(connection));
    }
  };
  restoreConnections();

  /** Counts the request, keeps it in the bounded log, and tracks it until it closes. */
  const record = (req: IncomingMessage, res: ServerResponse): void => {
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    stats.log.push({ method: req.method ?? "GET", path: req.url ?? "/", headers: logHeaders(req) });
    if (stats.log.length > MOCK_LOG_LIMIT) stats.log.splice(0, stats.log.length - MOCK_LOG_LIMIT);
    openResponses.add(res);
    res.once("close", () => {
      openResponses.delete(res);
      stats.inFlight -= 1;
    });
  };

  /** Answers one routed request: its scripted fault if any, else the route's answer. */
  const dispatch = (route: Route, request: RouteRequest): void => {
    const key = request.id.toLowerCase();
    const fault = scripts.get(key)?.shift();
    const answer = () => {
      statusChanges.beforeAnswer(key, state.connections);
      route.answer(request, state);
    };
    if (fault === undefined) {
      answer();
      return;
    }
    responder.later(request.res, fault.delayMs ?? 0, () =>
      applyFault(fault, {
        req: request.req,
        res: request.res,
        responder,
        id: request.id,
        answer,
        fullBody: () => route.fullBody(request, state),
      }),
    );
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? "GET";
    if (req.headers["x-api-key"] !== apiKey) {
      req.resume();
      responder.sendJson(res, 401, responder.detailBody(401));
      return;
    }
    const matched = matchRoute((req.url ?? "/").split("?", 1)[0] ?? "/");
    if (matched === undefined || !matched.route.methods.includes(method)) {
      req.resume();
      if (matched === undefined) responder.sendJson(res, 404, responder.detailBody(404));
      else {
        const allow = matched.route.methods.join(", ");
        responder.sendJson(res, 405, { detail: `Method "${method}" not allowed.` }, { allow });
      }
      return;
    }
    const { route, rawId } = matched;
    readBody(req, (body) =>
      responder.guarded(res, () => {
        if (body === undefined) responder.sendJson(res, 413, { detail: "Request body too large." });
        else dispatch(route, { req, res, id: decodeSegment(rawId), body });
      }),
    );
  };

  const server: Server = createServer((req, res) => {
    record(req, res);
    responder.later(res, latencyMs, () => handle(req, res));
  });
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
    ids,
    companyIds,
    script(id: string, faults: readonly MockFault[] | MockStatusChange): void {
      const key = id.toLowerCase();
      if (isStatusChange(faults)) {
        statusChanges.add(key, faults);
        return;
      }
      for (const fault of faults) checkFault(fault);
      const queue = scripts.get(key) ?? [];
      queue.push(...faults);
      scripts.set(key, queue);
    },
    setConnection(connection: Connection): void {
      if (!isRecord(connection) || typeof connection.id !== "string") {
        throw new TypeError("setConnection needs a connection with a string id");
      }
      state.connections.set(connection.id.toLowerCase(), structuredClone(connection));
    },
    reset(): void {
      scripts.clear();
      statusChanges.clear();
      restoreConnections();
      stats.requests = 0;
      stats.maxInFlight = stats.inFlight;
      stats.log.length = 0;
      invitations.reset();
      stats.invitationsCreated = 0;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        const responsesClosed = [...openResponses].map(
          (res) => new Promise<void>((resolve) => res.once("close", () => resolve())),
        );
        responder.close();
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        await Promise.all([serverClosed, ...responsesClosed]);
      })();
      return closing;
    },
  };
}
