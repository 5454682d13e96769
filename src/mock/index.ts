/**
 * A mock of Nectar Climate's API for tests, shipped as `nectar-climate-connection/mock`
 * (Node-only: it uses `node:http`). It answers from the examples in the bundled spec
 * (`generated/openapi.json`), and it can be scripted to misbehave: throttle, fail, hang, reset
 * the connection, or send broken bodies. One file per concern: `types.ts` (the public types),
 * `options.ts` (their checks), `spec-facts.ts` (the examples), `handler.ts` (one request),
 * `routes/` (one file per resource), `faults.ts`, `respond.ts`.
 *
 * @module
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Connection, InvitationDetail } from "../../generated/schema.js";
import { checkFault } from "./faults.js";
import { generateFleet } from "./fleet.js";
import { createHandler, type HandlerContext } from "./handler.js";
import { createInvitationStore, loadInvitationExamples } from "./invitations.js";
import { checkMockOptions } from "./options.js";
import { invitationsAsOf, realisticConnection } from "./realistic-examples.js";
import { createResponder } from "./respond.js";
import type { MockState } from "./routes/route.js";
import { isRecord, loadSpecFacts } from "./spec-facts.js";
import { createStatusChanges, isStatusChange, type MockStatusChange } from "./status-changes.js";
import {
  DEFAULT_MOCK_API_KEY,
  DEFAULT_MOCK_INVITATIONS,
  MOCK_BASE_PATH,
  type MockFault,
  type MockServer,
  type MockServerOptions,
  type MockStats,
} from "./types.js";
import { webhookSettings } from "./webhook-options.js";
import { eventsOfChange } from "./webhook-payloads.js";
import { createWebhookSender, type WebhookSender } from "./webhook-sender.js";

export * from "./types.js";

/**
 * The connections served at start: those given, then the fleet. With neither, the spec's
 * examples (Nectar's placeholder one made realistic); a fleet alone is served alone, so that
 * `fleet: { size: 40 }` serves exactly 40.
 */
async function initialConnectionsOf(
  options: ReturnType<typeof checkMockOptions>,
): Promise<{ connections: Connection[]; loadedFacts: Awaited<ReturnType<typeof loadSpecFacts>> }> {
  const facts = await loadSpecFacts();
  const examples = options.fleet === undefined ? facts.connections.map(realisticConnection) : [];
  const connections = structuredClone(options.connections ?? examples);
  if (options.fleet !== undefined)
    connections.push(...generateFleet(options.fleet, facts.statuses));
  return { connections, loadedFacts: facts };
}

/** Listens on 127.0.0.1 and resolves to the port. */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") {
    server.close();
    throw new Error("The mock server did not get a TCP address");
  }
  return address.port;
}

/** Tracks the server's sockets, so that `close()` can destroy hung ones. */
function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  return sockets;
}

/** Stops the server, destroys every socket and timer, and waits for open responses. */
async function shutDown(
  server: Server,
  sockets: Set<Socket>,
  context: HandlerContext,
): Promise<void> {
  const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  const responsesClosed = [...context.openResponses].map(
    (res) => new Promise<void>((resolve) => res.once("close", () => resolve())),
  );
  context.state.responder.close();
  context.statusChanges.clear();
  const webhooksClosed = context.webhooks?.close();
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all([serverClosed, ...responsesClosed, webhooksClosed]);
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
 * The store is bounded (`maxInvitations`, default 10 000): when full, the oldest expired
 * invitations go first, then the oldest.
 *
 * `GET /connection/company/{company_id}` lists a company's connections with Nectar's paging
 * (1-indexed pages of `limit`, 1 to 500, default 100; a page past the end is the last page
 * again) and filters (`status`, `connectionOwnerEmail`, repeated `sites`); a company no
 * connection belongs to gets 403. `mock.companyIds` names the companies; a script on a company id
 * scripts its page requests. `GET /ping` answers 200 to a good key.
 *
 * @param options - connections to serve, the accepted API key, the port.
 * @returns the running mock; call {@link MockServer.close} when done.
 * @throws {NectarInvalidInputError} on an unknown option, `null` or a bad value (naming it);
 * an error when `generated/openapi.json` cannot be read or the port cannot be bound.
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
export async function startMockServer(options?: MockServerOptions): Promise<MockServer> {
  const checked = checkMockOptions(options);
  const { connections, loadedFacts } = await initialConnectionsOf(checked);
  const initialInvitations =
    checked.invitations ??
    invitationsAsOf(await loadInvitationExamples(), (checked.now ?? Date.now)());
  const context = createContext(checked, loadedFacts, structuredClone(initialInvitations));
  restoreConnections(context.state, connections);
  const server = createServer(createHandler(context));
  const sockets = trackSockets(server);
  const port = await listen(server, checked.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}${MOCK_BASE_PATH}`,
    apiKey: context.apiKey,
    stats: context.stats,
    ids: Object.freeze(connections.map((connection) => connection.id)),
    companyIds: Object.freeze([
      ...new Set(connections.flatMap((connection) => connection.company?.id ?? [])),
    ]),
    script: (id: string, faults: readonly MockFault[] | MockStatusChange) =>
      addScript(context, id, faults),
    setConnection: (connection: Connection) => setConnection(context, connection),
    reset: () => resetMock(context, connections),
    close(): Promise<void> {
      closing ??= shutDown(server, sockets, context);
      return closing;
    },
  };
}

/** The state of a new mock: no request seen, the invitations given, no script. */
function createContext(
  checked: ReturnType<typeof checkMockOptions>,
  facts: Awaited<ReturnType<typeof loadSpecFacts>>,
  initialInvitations: InvitationDetail[],
): HandlerContext {
  const stats: MockStats = {
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    log: [],
    invitationsCreated: 0,
    webhooks: {
      sent: 0,
      attempts: 0,
      delivered: 0,
      failed: 0,
      dropped: 0,
      inProgress: 0,
      events: [],
    },
  };
  const invitations = createInvitationStore(
    initialInvitations,
    { now: checked.now ?? Date.now, limit: checked.maxInvitations ?? DEFAULT_MOCK_INVITATIONS },
    () => {
      stats.invitationsCreated += 1;
    },
  );
  const responder = createResponder(facts);
  const connections = new Map<string, Connection>();
  const webhooks =
    checked.webhooks && createWebhookSender(webhookSettings(checked.webhooks), stats.webhooks);
  const onChange = (before: Connection, after: Connection) =>
    sendEvents(webhooks, before, after, true);
  return {
    apiKey: checked.apiKey ?? DEFAULT_MOCK_API_KEY,
    latencyMs: checked.latencyMs ?? 0,
    state: { connections, invitations, responder },
    scripts: new Map<string, MockFault[]>(),
    statusChanges: createStatusChanges(webhooks && { connections, onChange }),
    stats,
    openResponses: new Set<ServerResponse>(),
    control: checked.control ?? false,
    webhooks,
  };
}

/** Sends the webhooks of a change (none when the mock sends none). */
function sendEvents(
  webhooks: WebhookSender | undefined,
  before: Connection | undefined,
  after: Connection,
  checked: boolean,
): void {
  if (webhooks === undefined) return;
  for (const { eventType, payload } of eventsOfChange(before, after, checked)) {
    webhooks.send(eventType, payload);
  }
}

/**
 * `setConnection()`: adds a connection, or replaces the one with the same id (copied), and
 * sends the webhooks of the change.
 */
function setConnection(context: HandlerContext, connection: Connection): void {
  if (!isRecord(connection) || typeof connection.id !== "string") {
    throw new TypeError("setConnection needs a connection with a string id");
  }
  const key = connection.id.toLowerCase();
  const before = context.state.connections.get(key);
  const after = structuredClone(connection);
  context.state.connections.set(key, after);
  sendEvents(context.webhooks, before, structuredClone(after), false);
}

/** `reset()`: no script, the connections and invitations of the start, the stats zeroed. */
function resetMock(context: HandlerContext, initial: readonly Connection[]): void {
  const { stats } = context;
  context.scripts.clear();
  context.statusChanges.clear();
  context.webhooks?.cancel();
  restoreConnections(context.state, initial);
  stats.requests = 0;
  stats.maxInFlight = stats.inFlight;
  stats.log.length = 0;
  context.state.invitations.reset();
  stats.invitationsCreated = 0;
  Object.assign(stats.webhooks, { sent: 0, attempts: 0, delivered: 0, failed: 0, dropped: 0 });
  stats.webhooks.events.length = 0;
}

/** Serves `initial` again (copied), forgetting any change. */
function restoreConnections(state: MockState, initial: readonly Connection[]): void {
  state.connections.clear();
  for (const connection of initial) {
    state.connections.set(connection.id.toLowerCase(), structuredClone(connection));
  }
}

/** `script()`: queues faults (each checked) or a status change for an id. */
function addScript(
  context: HandlerContext,
  id: string,
  faults: readonly MockFault[] | MockStatusChange,
): void {
  const key = id.toLowerCase();
  if (isStatusChange(faults)) {
    context.statusChanges.add(key, faults);
    return;
  }
  for (const fault of faults) checkFault(fault);
  const queue = context.scripts.get(key) ?? [];
  queue.push(...faults);
  context.scripts.set(key, queue);
}
