/**
 * The mock's request handler: counts and logs each request, checks the API key, routes it, and
 * answers with its scripted fault or the route's normal answer. Knows nothing of listening.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { redactHeaders } from "../core/redact.js";
import { answerControl, isControlPath } from "./control.js";
import { applyFault } from "./faults.js";
import { ROUTES } from "./routes/index.js";
import type { MockState, Route, RouteRequest } from "./routes/route.js";
import type { StatusChanges } from "./status-changes.js";
import { MOCK_BASE_PATH, MOCK_LOG_LIMIT, type MockFault, type MockStats } from "./types.js";
import type { WebhookSender } from "./webhook-sender.js";

/** The largest request body the mock reads; a larger one gets 413. */
const MAX_REQUEST_BODY = 1024 * 1024;

/** What the handler works on: the server's state, its scripts and its counters. */
export interface HandlerContext {
  readonly apiKey: string;
  readonly latencyMs: number;
  readonly state: MockState;
  /** Faults queued per lower-case id. */
  readonly scripts: Map<string, MockFault[]>;
  readonly statusChanges: StatusChanges;
  readonly stats: MockStats;
  /** Responses not yet closed, so that `close()` can wait for them. */
  readonly openResponses: Set<ServerResponse>;
  /** Whether the control route (`POST /_mock/connection/{id}/status`) is served. */
  readonly control: boolean;
  /** The webhook sender, when the mock sends webhooks. */
  readonly webhooks: WebhookSender | undefined;
}

/** The request's headers for the log, credentials redacted. */
function logHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return redactHeaders(headers);
}

/** A percent-decoded path segment; kept as is when it does not decode. */
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

/** Counts the request, keeps it in the bounded log, and tracks it until it closes. */
function record(context: HandlerContext, req: IncomingMessage, res: ServerResponse): void {
  const { stats, openResponses } = context;
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
}

/** Answers one routed request: its scripted fault if any, else the route's answer. */
function dispatch(context: HandlerContext, route: Route, request: RouteRequest): void {
  const { state, scripts, statusChanges } = context;
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
  state.responder.later(request.res, fault.delayMs ?? 0, () =>
    applyFault(fault, {
      req: request.req,
      res: request.res,
      responder: state.responder,
      id: request.id,
      answer,
      fullBody: () => route.fullBody(request, state),
    }),
  );
}

/** A control request: POST only, its body read (413 past the cap), then answered. */
function handleControl(context: HandlerContext, req: IncomingMessage, res: ServerResponse): void {
  const { responder } = context.state;
  if (req.method !== "POST") {
    req.resume();
    responder.sendJson(res, 405, { detail: "Use POST." }, { allow: "POST" });
    return;
  }
  readBody(req, (body) =>
    responder.guarded(res, () => {
      if (body === undefined) responder.sendJson(res, 413, { detail: "Request body too large." });
      else
        answerControl(req, res, body, { ...context.state, statusChanges: context.statusChanges });
    }),
  );
}

/** Checks the key and the route (401, 404, 405), then reads the body and dispatches. */
function handle(context: HandlerContext, req: IncomingMessage, res: ServerResponse): void {
  const { responder } = context.state;
  const method = req.method ?? "GET";
  if (req.headers["x-api-key"] !== context.apiKey) {
    req.resume();
    responder.sendJson(res, 401, responder.detailBody(401));
    return;
  }
  const pathname = (req.url ?? "/").split("?", 1)[0] ?? "/";
  if (context.control && isControlPath(pathname)) {
    handleControl(context, req, res);
    return;
  }
  const matched = matchRoute(pathname);
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
      else dispatch(context, route, { req, res, id: decodeSegment(rawId), body });
    }),
  );
}

/** The `node:http` request listener of one mock: records, waits the latency, then handles. */
export function createHandler(
  context: HandlerContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    record(context, req, res);
    context.state.responder.later(res, context.latencyMs, () => handle(context, req, res));
  };
}
