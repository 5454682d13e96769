/**
 * The transport: a `fetch` that openapi-fetch calls, with the client's policies installed.
 * Per call it adds the credentials, waits for a concurrency slot, runs each attempt under its
 * own timeout (`attempt.ts`: redirects, headers and body), retries what can succeed within the
 * budget, logs every attempt, and returns the final response with its body already read.
 */

import type { WatchAbort } from "./abort.js";
import { type AttemptContext, abortError, type Outcome, runAttempt } from "./attempt.js";
import type { ConcurrencyLimiter } from "./concurrency.js";
import { RETRY_COST, TIMEOUT_RETRY_COST } from "./constants.js";
import { requestIdOf } from "./errors.js";
import type { Log } from "./logger.js";
import {
  type AttemptEvent,
  attemptEvent,
  type CallEvent,
  callEvent,
  type Ending,
  endEvent,
  type Observer,
} from "./observe.js";
import { type Outgoing, pathBelow, type TransportRequest, toOutgoing } from "./outgoing.js";
import { redactHeaders } from "./redact.js";
import { isRetryableAnswer, isRetryableFailure, type RetryBudget, retryDelay } from "./retry.js";

export { LightRequest, type TransportRequest } from "./outgoing.js";

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
  /** Masks the API key in response headers that echo it. */
  scrubHeaders: (headers: Headers) => Headers;
  /** Watches callers' signals, one listener per signal (shared with the limiter). */
  watch: WatchAbort;
  /** Receives the calls' events (channels, hooks, tracing); `undefined` when nothing listens. */
  observer: Observer | undefined;
}

/** The state of one call: its limits, and what the transport reports back. */
export interface CallState {
  timeoutMs: number;
  maxRetries: number;
  /** The most decoded bytes a 2xx body may have. */
  maxResponseBytes: number;
  /** `false` when a retry could repeat what the server already did (a create). */
  idempotent: boolean;
  /** Attempts made so far. */
  attempts: number;
  /** The final response, once there is one. */
  response: Response | undefined;
  /** The final response's body as read (a non-2xx one cut to 8 KiB). */
  text: string;
  /** True when the final (non-2xx) body was longer than what was kept. */
  truncated: boolean;
  /** The call's event, when the client is observed (set by the client core, or here for `raw`). */
  event: CallEvent | undefined;
  /** The current attempt's event, when observed. */
  attemptEvent: AttemptEvent | undefined;
}

/** The transport's view of one client: its configuration and what follows from it. */
type TransportContext = TransportConfig &
  AttemptContext & {
    /** The client's headers plus `content-type: application/json`, for requests with a body. */
    readonly jsonHeaders: Record<string, string>;
  };

/**
 * Makes the body of an already-read response readable again: openapi-fetch reads it with
 * `text()` or `json()` (the only `parseAs` modes the client supports).
 */
function replayBody(response: Response, text: string): void {
  response.text = async () => text;
  response.json = async () => JSON.parse(text);
}

/** Waits `delay` before a retry; an injected sleep that throws or rejects just ends the wait. */
async function pause(
  context: TransportContext,
  delay: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await context.sleep(delay, signal);
  } catch {
    // aborted (checked by the caller) or a faulty injected sleep
  }
}

/** `METHOD /path` of a request, for log lines. */
const labelOf = (context: TransportContext, out: Outgoing) =>
  `${out.method} ${pathBelow(context.baseUrl, out.url)}`;

/**
 * Takes a concurrency slot: at once (no promise) when one is free, else a promise of one that
 * rejects with the abort error when the caller gives up first.
 */
function acquireSlot(context: TransportContext, out: Outgoing): Promise<void> | undefined {
  const { signal } = out;
  const aborted = () => abortError(context.baseUrl, out);
  if (signal?.aborted) throw aborted();
  return context.limiter.acquire(signal, aborted)?.then(() => {
    // The signal may abort after the slot was handed over and before this runs.
    if (signal?.aborted) {
      context.limiter.release();
      throw aborted();
    }
  });
}

/** Reports the start of an attempt (and its wait for a slot, if any) to the observer. */
function reportStart(observer: Observer, call: CallState, queuedSince: number | undefined) {
  const event = call.event && attemptEvent(call.event, call.attempts);
  call.attemptEvent = event;
  if (event === undefined) return;
  if (queuedSince !== undefined) {
    observer.queued(Object.freeze({ ...event, waitMs: performance.now() - queuedSince }));
  }
  observer.attemptStart(event);
}

/** Reports the end of the current attempt to the observer, if any. */
function reportEnd(context: TransportContext, call: CallState, ending: Ending): void {
  if (context.observer && call.attemptEvent) {
    context.observer.attemptEnd(endEvent(call.attemptEvent, ending));
  }
}

/** How an outcome ended, for an event. */
function endingOf(result: Outcome, retryDelayMs: number | undefined): Ending {
  if ("failure" in result) return { error: result.failure, retryDelayMs };
  const { status, headers } = result.response;
  return { status, requestId: requestIdOf(headers), retryDelayMs };
}

/** Runs one attempt in a slot, logged and observed; the slot is released once its connection is. */
async function attemptInSlot(
  context: TransportContext,
  out: Outgoing,
  call: CallState,
): Promise<Outcome> {
  const waiting = acquireSlot(context, out);
  const { observer } = context;
  const queuedSince = waiting && observer ? performance.now() : undefined;
  if (waiting) await waiting;
  call.attempts++;
  if (observer) reportStart(observer, call, queuedSince);
  const label = labelOf(context, out);
  context.log.info?.(`${label}: attempt ${call.attempts} of ${call.maxRetries + 1}`, {
    attempt: call.attempts,
  });
  context.log.debug?.(`${label}: request headers`, { headers: redactHeaders(context.headers) });
  const event = call.attemptEvent;
  const send = () => runAttempt(context, out, call);
  const { outcome, done } = observer && event ? observer.runAttempt(event, send) : send();
  const release = () => context.limiter.release();
  void done.then(release, release);
  const result = await outcome;
  if (out.signal?.aborted) {
    const aborted = abortError(context.baseUrl, out);
    reportEnd(context, call, { error: aborted });
    throw aborted;
  }
  return result;
}

/** Is the outcome worth another attempt, by the policy alone (budget and count aside)? */
function deservesRetry(context: TransportContext, result: Outcome, call: CallState): boolean {
  if ("failure" in result) return isRetryableFailure(result.kind, call.idempotent);
  return isRetryableAnswer(result.response, call.idempotent, context.now());
}

/**
 * Spends the budget for a retry and says how long to wait before it; `undefined` (nothing
 * spent, a warning logged) when the budget is empty.
 */
function planRetry(
  context: TransportContext,
  out: Outgoing,
  call: CallState,
  result: Outcome,
  retry: number,
): { cost: number; delay: number } | undefined {
  const label = labelOf(context, out);
  const cost = "failure" in result && result.kind === "timeout" ? TIMEOUT_RETRY_COST : RETRY_COST;
  if (!context.budget.trySpend(cost)) {
    context.log.warn?.(`${label}: retry budget exhausted; not retrying attempt ${call.attempts}`);
    return undefined;
  }
  const answered = "response" in result ? result.response : undefined;
  const delay = retryDelay(answered?.headers, retry, context.random, context.now());
  const what =
    "failure" in result ? `failed (${result.failure.message})` : `answered ${answered?.status}`;
  context.log.info?.(`${label}: attempt ${call.attempts} ${what}; retrying in ${delay} ms`, {
    attempt: call.attempts,
    retryDelayMs: delay,
    ...("response" in result ? statusFields(result.response) : {}),
  });
  return { cost, delay };
}

/** `status` and `requestId` of an answer, as log fields. */
function statusFields(response: Response) {
  return { status: response.status, requestId: requestIdOf(response.headers) ?? null };
}

/** Hands the final answer back: its body made readable again, the call's state filled in. */
function finish(
  context: TransportContext,
  out: Outgoing,
  call: CallState,
  answer: Extract<Outcome, { response: Response }>,
  spent: number,
): Response {
  const { response, text, truncated } = answer;
  context.log.debug?.(`${labelOf(context, out)}: answered ${response.status}`, {
    attempt: call.attempts,
    ...statusFields(response),
    headers: redactHeaders(response.headers),
  });
  if (response.ok) context.budget.recordSuccess(spent);
  replayBody(response, text);
  call.response = response;
  call.text = text;
  call.truncated = truncated;
  return response;
}

/** Sends `out` until it is answered, fails for good, or its retries or the budget run out. */
async function sendWithRetries(
  context: TransportContext,
  out: Outgoing,
  call: CallState,
): Promise<Response> {
  let spent = 0;
  for (let retry = 0; ; retry++) {
    const result = await attemptInSlot(context, out, call);
    const plan =
      retry < call.maxRetries && deservesRetry(context, result, call)
        ? planRetry(context, out, call, result, retry)
        : undefined;
    reportEnd(context, call, endingOf(result, plan?.delay));
    if (plan) {
      await pause(context, plan.delay, out.signal);
      spent += plan.cost;
      continue;
    }
    if ("failure" in result) throw result.failure;
    return finish(context, out, call, result, spent);
  }
}

/** A call of `client.raw` (no operation known): observed from here, its end by status. */
async function sendRaw(
  context: TransportContext,
  observer: Observer,
  out: Outgoing,
  call: CallState,
): Promise<Response> {
  const event = callEvent("raw", out.method, pathBelow(context.baseUrl, out.url));
  call.event = event;
  observer.callStart(event);
  const ended = (ending: Ending) =>
    observer.callEnd(endEvent(attemptEvent(event, call.attempts), ending));
  try {
    const response = await sendWithRetries(context, out, call);
    ended(endingOf({ response, text: "", truncated: false }, undefined));
    return response;
  } catch (error) {
    ended({ error: error instanceof Error ? error : new Error(String(error)) });
    throw error;
  }
}

/** Creates the transport function for one client. */
export function createTransport(config: TransportConfig) {
  const context: TransportContext = {
    ...config,
    origin: new URL(config.baseUrl).origin,
    jsonHeaders: { ...config.headers, "content-type": "application/json" },
  };
  return async function transport(request: TransportRequest, call: CallState): Promise<Response> {
    const pending = toOutgoing(request, context.headers, context.jsonHeaders);
    const out = pending instanceof Promise ? await pending : pending;
    const { observer } = context;
    if (observer && call.event === undefined && observer.active()) {
      return sendRaw(context, observer, out, call);
    }
    return sendWithRetries(context, out, call);
  };
}
