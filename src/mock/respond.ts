/** How the mock writes answers: JSON with the right length, later (cancellable), never crashing. */
import { type ServerResponse, STATUS_CODES } from "node:http";
import { EXAMPLE_FOR_STATUS, type SpecFacts } from "./spec-facts.js";

const JSON_TYPE = "application/json";

/** The answer helpers of one server; `close()` cancels every pending timer. */
export interface Responder {
  /** Writes a whole answer (no body for 204, 205 and 304), unless the response is gone. */
  send(res: ServerResponse, status: number, body: string, headers?: Record<string, string>): void;
  /** {@link Responder.send} with `JSON.stringify(body)`. */
  sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ): void;
  /** Runs `fn`; should it throw, the socket is destroyed rather than the process crashed. */
  guarded(res: ServerResponse, fn: () => void): void;
  /** Runs `fn` after `ms`, unless the response has gone (closed socket, `close()`). */
  later(res: ServerResponse, ms: number, fn: () => void): void;
  /** Runs `fn` every `ms` until the response closes. */
  every(res: ServerResponse, ms: number, fn: () => void): void;
  /** The spec's error body for `status`: `{ detail }`. */
  detailBody(status: number): { detail: string };
  /** Cancels every pending timer. */
  close(): void;
}

/** Writes a whole answer (no body for 204, 205 and 304), unless the response is gone. */
function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.writableEnded) return;
  const noBody = status === 204 || status === 205 || status === 304;
  res.writeHead(status, {
    "content-type": JSON_TYPE,
    ...(noBody ? {} : { "content-length": String(Buffer.byteLength(body)) }),
    ...headers,
  });
  res.end(noBody ? undefined : body);
}

/** Runs `fn`; if it throws, destroys the socket rather than crash the server. */
function guarded(res: ServerResponse, fn: () => void): void {
  try {
    fn();
  } catch {
    res.socket?.destroy();
  }
}

/** Creates the answer helpers of one server. */
export function createResponder(facts: SpecFacts): Responder {
  const timers = new Set<NodeJS.Timeout>();
  const responder: Responder = {
    send,
    sendJson(res, status, body, headers = {}) {
      send(res, status, JSON.stringify(body) ?? "", headers);
    },
    guarded,
    later(res, ms, fn) {
      if (ms <= 0) {
        responder.guarded(res, fn);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.off("close", cancel);
        if (!res.destroyed) responder.guarded(res, fn);
      }, ms);
      const cancel = (): void => {
        clearTimeout(timer);
        timers.delete(timer);
      };
      timers.add(timer);
      res.once("close", cancel);
    },
    every(res, ms, fn) {
      const timer = setInterval(() => {
        if (!res.destroyed) responder.guarded(res, fn);
      }, ms);
      timers.add(timer);
      res.once("close", () => {
        clearInterval(timer);
        timers.delete(timer);
      });
    },
    detailBody(status) {
      const name = status >= 500 ? "ErrorServerError" : EXAMPLE_FOR_STATUS[status];
      const detail = name === undefined ? undefined : facts.details[name];
      return { detail: detail ?? STATUS_CODES[status] ?? "Error" };
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
  return responder;
}
