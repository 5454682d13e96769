/**
 * One delivery attempt of the mock's webhooks: a POST over `node:http` or `node:https` (no
 * agent, so no socket outlives it), bounded by a timeout, cancellable. It reports what Svix
 * looks at: a 2xx acknowledges, anything else (3xx included, never followed), a timeout or a
 * network error is a failure, and `webhook-delivery: abort-message` stops the retries.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/** How one attempt ended. */
export type AttemptOutcome =
  | { readonly kind: "acknowledged"; readonly status: number }
  /** A non-2xx answer; `abort` when the receiver asked Svix to stop retrying this message. */
  | { readonly kind: "refused"; readonly status: number; readonly abort: boolean }
  | { readonly kind: "timeout" }
  | { readonly kind: "network" }
  | { readonly kind: "cancelled" };

/** What one attempt sends. */
export interface AttemptRequest {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The receiver must answer (headers) within this many ms. */
  readonly timeoutMs: number;
  /** Aborts the attempt (the mock closes or resets). */
  readonly signal: AbortSignal;
}

/** Svix's header by which a receiver stops the retries of one message. */
const ABORT_HEADER = "webhook-delivery";

/** The outcome of an answer: its status and whether it asks to stop retrying. */
function outcomeOf(res: IncomingMessage): AttemptOutcome {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status <= 299) return { kind: "acknowledged", status };
  const abort = res.headers[ABORT_HEADER]?.toString().trim().toLowerCase() === "abort-message";
  return { kind: "refused", status, abort };
}

/**
 * Posts one signed message and resolves to how it ended; never rejects. The answer's body is
 * not read: the socket is destroyed once the status is known, so an endless body costs nothing.
 */
export function attemptDelivery(attempt: AttemptRequest): Promise<AttemptOutcome> {
  if (attempt.signal.aborted) return Promise.resolve({ kind: "cancelled" });
  const send = attempt.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(attempt.url, {
      method: "POST",
      agent: false,
      headers: {
        ...attempt.headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(attempt.body)),
      },
    });
    let settled = false;
    const settle = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      attempt.signal.removeEventListener("abort", onAbort);
      req.destroy();
      resolve(outcome);
    };
    const onAbort = () => settle({ kind: "cancelled" });
    const timer = setTimeout(() => settle({ kind: "timeout" }), attempt.timeoutMs);
    attempt.signal.addEventListener("abort", onAbort, { once: true });
    req.once("response", (res) => settle(outcomeOf(res)));
    req.on("error", () => settle({ kind: "network" }));
    req.end(attempt.body);
  });
}
