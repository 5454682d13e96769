/**
 * The transport: a `fetch` that openapi-fetch calls, with the client's policies installed.
 * Per call it adds the credentials, waits for a concurrency slot, runs each attempt under its
 * own timeout (headers and body), retries what deserves a retry within the budget, logs every
 * attempt, and returns the final response with its body already read.
 */

import type { ConcurrencyLimiter } from "./concurrency.js";
import { IDLE_CONTROLLERS, RETRY_COST, TIMEOUT_RETRY_COST } from "./constants.js";
import { NectarAbortError, NectarConnectionError, NectarTimeoutError } from "./errors.js";
import { type Log, redactHeaders } from "./logger.js";
import { isRetryableStatus, type RetryBudget, retryDelay } from "./retry.js";

/** What the transport needs from the client, fixed at creation. */
export interface TransportConfig {
  baseUrl: string;
  fetch: (input: string | Request, init?: RequestInit) => Promise<Response>;
  /** The headers every request carries: credentials, user agent, accept. */
  headers: Record<string, string>;
  limiter: ConcurrencyLimiter;
  budget: RetryBudget;
  log: Log;
  sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  random: () => number;
  now: () => number;
}

/** The state of one call: its limits, and what the transport reports back. */
export interface CallState {
  timeoutMs: number;
  maxRetries: number;
  /** Attempts made so far. */
  attempts: number;
  /** The final response, once there is one. */
  response: Response | undefined;
}

/**
 * The request object openapi-fetch builds for the client's own calls. A WHATWG `Request`
 * costs microseconds to build and is thrown away at once; this keeps only what the transport
 * reads. `client.raw` uses real `Request`s.
 */
export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly signal: AbortSignal | undefined;

  /** Called by openapi-fetch as `new Request(url, init)`. */
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.signal = init.signal ?? undefined;
  }
}

/** A request as the transport receives it: a real `Request` (raw client) or a light one. */
export type TransportRequest = Pick<Request, "url" | "method"> & { signal?: AbortSignal | null };

type Outcome = { response: Response; text: string } | { failure: NectarConnectionError };

/** The longest delay `setTimeout` takes; a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Makes the body of an already-read response readable again for openapi-fetch. */
function replayBody(response: Response, text: string): void {
  response.text = async () => text;
  response.json = async () => JSON.parse(text);
  response.arrayBuffer = async () => new TextEncoder().encode(text).buffer;
}

/** Creates the transport function for one client. */
export function createTransport(config: TransportConfig) {
  const { baseUrl, fetch, headers, limiter, budget, log, sleep, random, now } = config;

  // Creating an AbortSignal costs microseconds (it is transferable in Node), as much as the rest
  // of the client together. A controller whose attempt ended without aborting is as good as
  // new, so idle ones are kept for the next attempt; aborted ones are dropped.
  const idleControllers: AbortController[] = [];
  const takeController = () => idleControllers.pop() ?? new AbortController();
  const returnController = (controller: AbortController) => {
    if (!controller.signal.aborted && idleControllers.length < IDLE_CONTROLLERS) {
      idleControllers.push(controller);
    }
  };

  /** The path below the base URL, for messages: never the host, never a query. */
  const pathOf = (url: string): string =>
    (url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url).replace(/\?.*$/, "");

  const abortError = (method: string, path: string) => () =>
    new NectarAbortError(`${method} ${path} was aborted by the caller.`);

  /** One attempt: send, read the whole body, all within `timeoutMs`. Never rejects. */
  function attempt(
    request: TransportRequest,
    signal: AbortSignal | undefined,
    call: CallState,
    path: string,
  ): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const controller = takeController();
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        returnController(controller);
        resolve(outcome);
      };
      const fail = (cause: unknown) =>
        settle({
          failure: new NectarConnectionError(
            `${request.method} ${path} failed: ${describeCause(cause)}.`,
            { cause, attempts: call.attempts },
          ),
        });
      const onAbort = () => {
        controller.abort(signal?.reason);
        fail(signal?.reason);
      };
      const limit = Math.min(call.timeoutMs, MAX_TIMER_MS);
      const timer = setTimeout(() => {
        const failure = new NectarTimeoutError(
          `${request.method} ${path} timed out after ${call.timeoutMs} ms (attempt ${call.attempts}).`,
          { timeoutMs: call.timeoutMs, attempts: call.attempts },
        );
        controller.abort(failure);
        settle({ failure });
      }, limit);
      signal?.addEventListener("abort", onAbort);

      const init: RequestInit = { method: request.method, signal: controller.signal };
      // A real Request (from client.raw) already carries its headers; clone it so that a
      // retry can send it again. A fetch that throws instead of rejecting fails the same way.
      const sent = new Promise<Response>((resolveSent) =>
        resolveSent(
          typeof Request !== "undefined" && request instanceof Request
            ? fetch(request.clone(), init)
            : fetch(request.url, { ...init, headers }),
        ),
      );
      sent.then(
        (response) =>
          response.text().then(
            (text) => settle({ response, text }),
            (cause: unknown) => fail(cause),
          ),
        (cause: unknown) => fail(cause),
      );
    });
  }

  return async function transport(request: TransportRequest, call: CallState): Promise<Response> {
    const { method } = request;
    const signal = request.signal ?? undefined;
    const path = pathOf(request.url);
    const aborted = abortError(method, path);
    const total = call.maxRetries + 1;
    let spent = 0;

    for (let retry = 0; ; retry++) {
      if (signal?.aborted) throw aborted();
      const waiting = limiter.acquire(signal, aborted);
      if (waiting) {
        await waiting;
        // The signal may abort after the slot was handed over and before this line runs.
        if (signal?.aborted) {
          limiter.release();
          throw aborted();
        }
      }
      call.attempts++;
      log.info?.(`${method} ${path}: attempt ${call.attempts} of ${total}`);
      log.debug?.(`${method} ${path}: request headers`, { headers: redactHeaders(headers) });
      let outcome: Outcome;
      try {
        outcome = await attempt(request, signal, call, path);
      } finally {
        limiter.release();
      }
      if (signal?.aborted) throw aborted();

      const retryable = "failure" in outcome || isRetryableStatus(outcome.response.status);
      const cost =
        "failure" in outcome && outcome.failure instanceof NectarTimeoutError
          ? TIMEOUT_RETRY_COST
          : RETRY_COST;
      if (retryable && retry < call.maxRetries) {
        if (budget.trySpend(cost)) {
          spent += cost;
          const responseHeaders = "response" in outcome ? outcome.response.headers : undefined;
          const delay = retryDelay(responseHeaders, retry, random, now());
          log.info?.(
            `${method} ${path}: attempt ${call.attempts} ${"response" in outcome ? `answered ${outcome.response.status}` : `failed (${outcome.failure.message})`}; retrying in ${delay} ms`,
          );
          await sleep(delay, signal).catch(() => undefined);
          continue;
        }
        log.warn?.(
          `${method} ${path}: retry budget exhausted; not retrying attempt ${call.attempts}`,
        );
      }

      if ("failure" in outcome) throw outcome.failure;
      const { response, text } = outcome;
      log.debug?.(`${method} ${path}: answered ${response.status}`, {
        headers: redactHeaders(response.headers),
      });
      if (response.ok) budget.recordSuccess(spent);
      replayBody(response, text);
      call.response = response;
      return response;
    }
  };
}

/** A short reason for a failed fetch, from undici's error and its cause (e.g. ECONNREFUSED). */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return "the connection failed";
  const inner = cause.cause instanceof Error ? cause.cause : undefined;
  const code = inner && "code" in inner && typeof inner.code === "string" ? inner.code : undefined;
  const detail = inner?.message ?? cause.message;
  return code ? `${detail} (${code})` : detail;
}
