/**
 * The transport: a `fetch` that openapi-fetch calls, with the client's policies installed.
 * Per call it adds the credentials, waits for a concurrency slot, runs each attempt under its
 * own timeout (redirects, headers and body), follows only same-origin redirects, reads the body
 * within `maxResponseBytes`, retries what can succeed within the budget, logs every attempt, and
 * returns the final response with its body already read.
 */

import type { WatchAbort } from "./abort.js";
import { declaredLength, discard, readLimited } from "./body.js";
import type { ConcurrencyLimiter } from "./concurrency.js";
import { ERROR_BODY_BYTES, RETRY_COST, TIMEOUT_RETRY_COST } from "./constants.js";
import {
  NectarAbortError,
  NectarConnectionError,
  type NectarError,
  NectarRedirectError,
  NectarResponseTooLargeError,
  NectarTimeoutError,
} from "./errors.js";
import type { Log } from "./logger.js";
import { redactHeaders } from "./redact.js";
import { decideRedirect } from "./redirect.js";
import {
  type FailureKind,
  failureKind,
  isRetryableAnswer,
  isRetryableFailure,
  type RetryBudget,
  retryDelay,
} from "./retry.js";

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

/** A request as the transport sends it, whichever kind it came as: can be sent again as is. */
interface Outgoing {
  url: string;
  method: string;
  headers: HeadersInit;
  body: string | ArrayBuffer | null;
  signal: AbortSignal | undefined;
}

/** An attempt's outcome: an answer with its body read, or a failure and how it failed. */
type Outcome =
  | { response: Response; text: string; truncated: boolean }
  | { failure: NectarError; kind: FailureKind };

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

/** Does a custom fetch's result look like a Response (a status and readable headers)? */
function isResponse(value: unknown): value is Response {
  if (typeof value !== "object" || value === null) return false;
  const { status, headers } = value as Partial<Response>;
  return typeof status === "number" && typeof headers?.get === "function";
}

/** Headers without the ones that name a redirect's target (which may hold credentials or a query). */
function withoutLocation(headers: Headers): Headers {
  const kept = new Headers();
  headers.forEach((value, name) => {
    if (name !== "location" && name !== "content-location") kept.append(name, value);
  });
  return kept;
}

/** Creates the transport function for one client. */
export function createTransport(config: TransportConfig) {
  const { baseUrl, fetch, headers, limiter, budget, log, sleep, random, now, mask, watch } = config;
  const { scrubHeaders } = config;
  const origin = new URL(baseUrl).origin;
  const jsonHeaders = { ...headers, "content-type": "application/json" };

  /**
   * The request as sent: a light one with the client's headers (at once: no promise on the
   * client's own path), a raw one with its own (once its body is read).
   */
  function outgoing(request: TransportRequest): Outgoing | Promise<Outgoing> {
    const { url, method } = request;
    const signal = request.signal ?? undefined;
    if (request instanceof LightRequest) {
      const body = request.body;
      if (body === undefined) return { url, method, headers, body: null, signal };
      return { url, method, headers: jsonHeaders, body, signal };
    }
    if (request.body === null) return { url, method, headers: request.headers, body: null, signal };
    const raw = request;
    return raw.arrayBuffer().then((body) => ({ url, method, headers: raw.headers, body, signal }));
  }

  /** The path below the base URL, for messages: never the host, never a query. */
  const pathOf = (url: string): string =>
    (url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url).replace(/\?.*$/, "");

  /** The error for a call its caller aborted. */
  const abortError = (request: { method: string; url: string }) =>
    new NectarAbortError(`${request.method} ${pathOf(request.url)} was aborted by the caller.`);

  /** The error for a fetch that failed; the key is masked should a custom fetch have quoted it. */
  const connectionError = (out: Outgoing, cause: unknown, attempts: number) => {
    const reason = mask(describeCause(cause));
    const safeCause =
      cause instanceof Error && mask(String(cause.stack)) !== String(cause.stack)
        ? new Error(mask(cause.message))
        : cause;
    return new NectarConnectionError(`${out.method} ${pathOf(out.url)} failed: ${reason}.`, {
      cause: safeCause,
      attempts,
    });
  };

  /** What the errors about a response share. */
  const problemAt = (out: Outgoing, response: Response) => ({
    method: out.method,
    path: pathOf(out.url),
    status: response.status,
  });

  /** Reads the body of an answer: a 2xx within `maxResponseBytes`, an error body cut to 8 KiB. */
  async function read(
    out: Outgoing,
    response: Response,
    call: CallState,
    track: (reader: ReadableStreamDefaultReader<Uint8Array>) => void,
  ): Promise<Outcome> {
    const ok = response.status >= 200 && response.status < 300;
    const limit = ok ? call.maxResponseBytes : Math.min(call.maxResponseBytes, ERROR_BODY_BYTES);
    const tooLarge = () => ({
      failure: new NectarResponseTooLargeError({
        ...problemAt(out, response),
        headers: scrubHeaders(response.headers),
        maxResponseBytes: limit,
      }),
      kind: "final" as const,
    });
    if (ok && (declaredLength(response.headers) ?? 0) > limit) {
      await discard(response.body);
      return tooLarge();
    }
    const { text, complete } = await readLimited(response.body, limit, track);
    if (!complete && ok) return tooLarge();
    return { response, text, truncated: !complete };
  }

  /** Sends a request and follows same-origin redirects; resolves once the body is read or dropped. */
  async function exchange(
    out: Outgoing,
    call: CallState,
    signal: AbortSignal,
    track: (reader: ReadableStreamDefaultReader<Uint8Array>) => void,
  ): Promise<Outcome> {
    let url = out.url;
    const { method, headers: sent, body } = out;
    for (let hops = 0; ; hops++) {
      const response: unknown = await fetch(url, {
        method,
        headers: sent,
        body,
        signal,
        redirect: "manual",
      });
      if (!isResponse(response)) {
        const cause = new TypeError("fetch resolved to something that is not a Response");
        return { failure: connectionError(out, cause, call.attempts), kind: "final" };
      }
      const decision = decideRedirect(response, method, url, origin, hops);
      if (decision.action === "answer") return read(out, response, call, track);
      await discard(response.body);
      if (decision.action === "follow") {
        url = decision.url;
        continue;
      }
      const failure = new NectarRedirectError({
        ...problemAt(out, response),
        origin: decision.origin === undefined ? undefined : mask(decision.origin),
        reason: decision.reason,
        body: "",
        headers: scrubHeaders(withoutLocation(response.headers)),
        attempts: call.attempts,
      });
      return { failure, kind: "final" };
    }
  }

  /**
   * One attempt under its own timer. `outcome` settles when the caller can be answered (the
   * timer or the caller's signal may settle it first); `done` once the fetch has settled and its
   * body is read or cancelled, that is when the connection is released: the concurrency slot is
   * given back then, not before. The race with the timer does not rely on `fetch` honouring its
   * signal, so a custom fetch that ignores it still times out (but keeps its slot until it settles).
   */
  function attempt(out: Outgoing, call: CallState) {
    const controller = new AbortController();
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unwatch: (() => void) | undefined;
    let settled = false;
    let resolve: (outcome: Outcome) => void = () => {};
    const outcome = new Promise<Outcome>((done) => {
      resolve = done;
    });
    const settle = (result: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unwatch?.();
      resolve(result);
    };
    const stop = (reason: unknown) => {
      controller.abort(reason);
      reader?.cancel(reason).catch(() => undefined);
    };
    timer = setTimeout(
      () => {
        const failure = new NectarTimeoutError(
          `${out.method} ${pathOf(out.url)} timed out after ${call.timeoutMs} ms (attempt ${call.attempts}).`,
          { timeoutMs: call.timeoutMs, attempts: call.attempts },
        );
        settle({ failure, kind: "timeout" });
        stop(failure);
      },
      Math.min(call.timeoutMs, MAX_TIMER_MS),
    );
    const { signal } = out;
    if (signal) {
      unwatch = watch(signal, () => {
        settle({ failure: abortError(out), kind: "final" });
        stop(signal.reason);
      });
    }
    const track = (current: ReadableStreamDefaultReader<Uint8Array>) => {
      reader = current;
    };
    const done = exchange(out, call, controller.signal, track).then(settle, (cause: unknown) =>
      settle({ failure: connectionError(out, cause, call.attempts), kind: failureKind(cause) }),
    );
    return { outcome, done };
  }

  /** Waits `delay` before a retry; an injected sleep that throws or rejects just ends the wait. */
  async function pause(delay: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(delay, signal);
    } catch {
      // aborted (checked by the caller) or a faulty injected sleep
    }
  }

  return async function transport(request: TransportRequest, call: CallState): Promise<Response> {
    const pending = outgoing(request);
    const out = pending instanceof Promise ? await pending : pending;
    const { signal } = out;
    const aborted = () => abortError(out);
    const label = () => `${out.method} ${pathOf(out.url)}`;
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
      log.info?.(`${label()}: attempt ${call.attempts} of ${call.maxRetries + 1}`);
      log.debug?.(`${label()}: request headers`, { headers: redactHeaders(headers) });
      const { outcome, done } = attempt(out, call);
      const release = () => limiter.release();
      void done.then(release, release);
      const result = await outcome;
      if (signal?.aborted) throw aborted();

      const failure = "failure" in result ? result : undefined;
      const answer = "response" in result ? result : undefined;
      const retryable = failure
        ? isRetryableFailure(failure.kind, call.idempotent)
        : answer !== undefined && isRetryableAnswer(answer.response, call.idempotent, now());
      if (retryable && retry < call.maxRetries) {
        const cost = failure?.kind === "timeout" ? TIMEOUT_RETRY_COST : RETRY_COST;
        if (budget.trySpend(cost)) {
          spent += cost;
          const delay = retryDelay(answer?.response.headers, retry, random, now());
          log.info?.(
            `${label()}: attempt ${call.attempts} ${failure ? `failed (${failure.failure.message})` : `answered ${answer?.response.status}`}; retrying in ${delay} ms`,
          );
          await pause(delay, signal);
          continue;
        }
        log.warn?.(`${label()}: retry budget exhausted; not retrying attempt ${call.attempts}`);
      }

      if (!answer) throw failure?.failure;
      const { response, text, truncated } = answer;
      log.debug?.(`${label()}: answered ${response.status}`, {
        headers: redactHeaders(response.headers),
      });
      if (response.ok) budget.recordSuccess(spent);
      replayBody(response, text);
      call.response = response;
      call.text = text;
      call.truncated = truncated;
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
