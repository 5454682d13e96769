/** Scripted misbehaviour: checking a fault when it is scripted, and acting it out on a request. */
import {
  type IncomingMessage,
  type ServerResponse,
  STATUS_CODES,
  validateHeaderName,
  validateHeaderValue,
} from "node:http";
import type { Responder } from "./respond.js";
import { MAX_MOCK_LATENCY_MS, type MockFault } from "./types.js";

const JSON_TYPE = "application/json";
const ENDLESS_CHUNK_MS = 50;

function checkStatus(status: number): void {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`A mock fault's status must be an integer from 200 to 599, got ${status}`);
  }
}

/** A delay from 0 to a minute: a timer past 2^31 ms would fire at once, not late. */
function checkDelay(ms: number | undefined): void {
  if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0 && ms <= MAX_MOCK_LATENCY_MS)) {
    throw new RangeError(
      `A mock fault's delay must be a number from 0 to ${MAX_MOCK_LATENCY_MS} ms, got ${ms}`,
    );
  }
}

/** Throws now (in the test that scripts it), not later inside the server, on a bad fault. */
export function checkFault(fault: MockFault): void {
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
    if ("body" in fault) JSON.stringify(fault.body);
  }
}

/** What a route gives a fault to act on. */
export interface FaultTarget {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly responder: Responder;
  /** The id in the path, as sent (decoded). */
  readonly id: string;
  /** The normal answer of the route. */
  readonly answer: () => void;
  /** The body of a normal 2xx answer (`{}` when there is none). */
  readonly fullBody: () => unknown;
}

/**
 * The body of a scripted 429 whose `Retry-After` is whole seconds: Nectar's (Django REST
 * Framework's) throttle message with that wait, in the singular for 1 (the spec's example says
 * 2 seconds, which a `Retry-After: 1` would contradict). `undefined` otherwise.
 */
export function throttledBody(
  status: number,
  headers: Readonly<Record<string, string>> | undefined,
): { detail: string } | undefined {
  if (status !== 429 || headers === undefined) return undefined;
  const retryAfter = Object.entries(headers).find(([name]) => name.toLowerCase() === "retry-after");
  const seconds =
    retryAfter !== undefined && /^\d{1,9}$/.test(retryAfter[1].trim())
      ? Number(retryAfter[1].trim())
      : undefined;
  if (seconds === undefined) return undefined;
  const unit = seconds === 1 ? "second" : "seconds";
  return { detail: `Request was throttled. Expected available in ${seconds} ${unit}.` };
}

/** Acts out `fault` on one request. */
export function applyFault(fault: MockFault, target: FaultTarget): void {
  const { req, res, responder } = target;
  switch (fault.kind) {
    case undefined: {
      const body =
        "body" in fault
          ? fault.body
          : fault.status < 300
            ? target.fullBody()
            : (throttledBody(fault.status, fault.headers) ?? responder.detailBody(fault.status));
      responder.sendJson(res, fault.status, body, fault.headers);
      return;
    }
    case "json":
      responder.sendJson(res, fault.status ?? 200, fault.body, fault.headers);
      return;
    case "reset":
      req.socket.resetAndDestroy();
      return;
    case "hang":
      return;
    case "endless-body": {
      res.writeHead(200, { "content-type": JSON_TYPE });
      res.write(`{"id":${JSON.stringify(target.id)},"padding":"`);
      const chunk = "x".repeat(64);
      responder.every(res, ENDLESS_CHUNK_MS, () => res.write(chunk));
      return;
    }
    case "truncated-json": {
      const full = Buffer.from(JSON.stringify(target.fullBody()));
      res.writeHead(200, { "content-type": JSON_TYPE, "content-length": String(full.length) });
      res.write(full.subarray(0, Math.floor(full.length / 2)), () => req.socket.destroy());
      return;
    }
    case "html": {
      const status = fault.status ?? 502;
      const reason = `${status} ${STATUS_CODES[status] ?? "Error"}`;
      const page = `<html>\r\n<head><title>${reason}</title></head>\r\n<body>\r\n<center><h1>${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
      responder.send(res, status, page, { "content-type": "text/html; charset=utf-8" });
      return;
    }
    case "invalid-json":
      responder.send(res, 200, `{"id": ${JSON.stringify(target.id)}, "status": CONNECTED`);
      return;
    case "delay":
      responder.later(res, fault.ms, target.answer);
      return;
  }
}
