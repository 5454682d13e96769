/**
 * The transport: a `fetch` that openapi-fetch calls, with the client's policies installed.
 * Per call it adds the credentials, waits for a concurrency slot, runs each attempt under its
 * own timeout (headers and body), retries what deserves a retry within the budget, logs every
 * attempt, and returns the final response with its body already read.
 */

import type { WatchAbort } from "./abort.js";
import type { ConcurrencyLimiter } from "./concurrency.js";
import { IDLE_CONTROLLERS, RETRY_COST, TIMEOUT_RETRY_COST } from "./constants.js";
import { NectarAbortError, NectarConnectionError, NectarTimeoutError } from "./errors.js";
import type { Log } from "./logger.js";
import { redactHeaders } from "./redact.js";
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
  /** Replaces the API key in a text, should one ever contain it. */
  mask: (text: string) => string;
  /** Watches callers' signals, one listener per signal (shared with the limiter). */
  watch: WatchAbort;
}

/** The state of one call: its limits, and what the transport reports back. */
export interface CallState {
  timeoutMs: number;
  maxRetries: number;
  /** `false` when a retry could repeat what the server already did (a create). */
  idempotent: boolean;
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
  /** The JSON body openapi-fetch serialized, if any. */
  readonly body: string | undefined;

  /** Called by openapi-fetch as `new Request(url, init)`. */
  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.signal = init.signal ?? undefined;
    this.body = typeof init.body === "string" ? init.body : undefined;
  }
}

/** A request as the transport receives it: a light one (the client's own calls) or a real one (raw). */
export type TransportRequest = LightRequest | Request;

type Outcome = { response: Response; text: string } | { failure: NectarConnectionError };

/** The longest delay `setTimeout` takes; a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Makes the body of an already-read response readable again: openapi-fetch reads it with
 * `text()` or `json()` (the only `parseAs` modes the client supports).
 */
function replayBody(response: Response, text: string): void {
  response.text = async () => text;
  response.json = async () => JSON.parse(text);
}

/** `getEventListeners` from node:events where the runtime has it (Node ≥ 20.16), else undefined. */
const listenersOf = (() => {
  const runtime = globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined;
  const events = runtime?.getBuiltinModule?.("node:events") as
    | { getEventListeners?: (target: EventTarget, type: string) => unknown[] }
    | undefined;
  return events?.getEventListeners;
})();

/** Creates the transport function for one client. */
export function createTransport(config: TransportConfig) {
  const { baseUrl, fetch, headers, limiter, budget, log, sleep, random, now, mask, watch } = config;

  // Creating an AbortSignal costs microseconds in Node (it is transferable), as much as the
  // rest of the client together. A controller is kept for the next attempt only when its
  // attempt ended without aborting it and nothing listens to its signal any more. (Node's own
  // fetch leaves a listener until garbage collection, so with it controllers are not reused;
  // with an in-memory fetch they are.)
  const idleControllers: AbortController[] = [];
  const takeController = () => idleControllers.pop() ?? new AbortController();
  const returnController = (controller: AbortController) => {
    const { signal } = controller;
    if (
      !signal.aborted &&
      listenersOf !== undefined &&
      listenersOf(signal, "abort").length === 0 &&
      idleControllers.length < IDLE_CONTROLLERS
    ) {
      idleControllers.push(controller);
    }
  };

  const jsonHeaders = { ...headers, "content-type": "application/json" };
  /** What `fetch` gets for a light request: the client's headers, and its JSON body if any. */
  const lightInit = (request: LightRequest, signal: AbortSignal): RequestInit =>
    request.body === undefined
      ? { method: request.method, headers, signal }
      : { method: request.method, headers: jsonHeaders, body: request.body, signal };

  /** The path below the base URL, for messages: never the host, never a query. */
  const pathOf = (url: string): string =>
    (url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url).replace(/\?.*$/, "");

  /** The error for a call its caller aborted. */
  const abortError = (request: TransportRequest) =>
    new NectarAbortError(`${request.method} ${pathOf(request.url)} was aborted by the caller.`);

  /** The error for a fetch that failed; the key is masked should a custom fetch have quoted it. */
  const connectionError = (request: TransportRequest, cause: unknown, attempts: number) => {
    const reason = mask(describeCause(cause));
    const safeCause =
      cause instanceof Error && mask(String(cause.stack)) !== String(cause.stack)
        ? new Error(mask(cause.message))
        : cause;
    return new NectarConnectionError(
      `${request.method} ${pathOf(request.url)} failed: ${reason}.`,
      {
        cause: safeCause,
        attempts,
      },
    );
  };

  /**
   * One attempt: send, then read the whole body, all within `timeoutMs`. Never rejects: the
   * outcome is a response with its text, or a failure. The race with the timer does not rely on
   * `fetch` honouring its signal, so a custom fetch that ignores it still times out.
   */
  function attempt(request: TransportRequest, signal: AbortSignal | undefined, call: CallState) {
    return new Promise<Outcome>((resolve) => {
      const controller = takeController();
      let settled = false;
      const settle = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unwatch?.();
        returnController(controller);
        resolve(outcome);
      };
      const fail = (cause: unknown) =>
        settle({ failure: connectionError(request, cause, call.attempts) });
      const timer = setTimeout(
        () => {
          const failure = new NectarTimeoutError(
            `${request.method} ${pathOf(request.url)} timed out after ${call.timeoutMs} ms (attempt ${call.attempts}).`,
            { timeoutMs: call.timeoutMs, attempts: call.attempts },
          );
          controller.abort(failure);
          settle({ failure });
        },
        Math.min(call.timeoutMs, MAX_TIMER_MS),
      );
      const unwatch = signal
        ? watch(signal, () => {
            controller.abort(signal.reason);
            fail(signal.reason);
          })
        : undefined;

      let sent: Promise<Response>;
      try {
        // A real Request (from client.raw) carries its own headers; it is cloned so that a
        // retry can send it again.
        sent =
          request instanceof LightRequest
            ? fetch(request.url, lightInit(request, controller.signal))
            : fetch(request.clone(), { signal: controller.signal });
      } catch (cause) {
        fail(cause); // a fetch that throws instead of rejecting fails the same way
        return;
      }
      sent.then(
        (response) =>
          response.text().then(
            (text) => settle({ response, text }),
            (cause: unknown) => fail(cause),
          ),
        fail,
      );
    });
  }

  return async function transport(request: TransportRequest, call: CallState): Promise<Response> {
    const signal = request.signal ?? undefined;
    const aborted = () => abortError(request);
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
      log.info?.(
        `${request.method} ${pathOf(request.url)}: attempt ${call.attempts} of ${call.maxRetries + 1}`,
      );
      log.debug?.(`${request.method} ${pathOf(request.url)}: request headers`, {
        headers: redactHeaders(headers),
      });
      let outcome: Outcome;
      try {
        outcome = await attempt(request, signal, call);
      } finally {
        limiter.release();
      }
      if (signal?.aborted) throw aborted();

      const failure = "failure" in outcome ? outcome.failure : undefined;
      const answer = "response" in outcome ? outcome : undefined;
      if (
        (failure || (answer && isRetryableStatus(answer.response.status))) &&
        retry < call.maxRetries
      ) {
        const cost = failure instanceof NectarTimeoutError ? TIMEOUT_RETRY_COST : RETRY_COST;
        if (budget.trySpend(cost)) {
          spent += cost;
          const delay = retryDelay(answer?.response.headers, retry, random, now());
          log.info?.(
            `${request.method} ${pathOf(request.url)}: attempt ${call.attempts} ${failure ? `failed (${failure.message})` : `answered ${answer?.response.status}`}; retrying in ${delay} ms`,
          );
          await sleep(delay, signal).catch(() => undefined);
          continue;
        }
        log.warn?.(
          `${request.method} ${pathOf(request.url)}: retry budget exhausted; not retrying attempt ${call.attempts}`,
        );
      }

      if (!answer) throw failure;
      const { response, text } = answer;
      log.debug?.(`${request.method} ${pathOf(request.url)}: answered ${response.status}`, {
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
