/**
 * One attempt of a call: `fetch` under the attempt's own timer, same-origin redirects followed,
 * the body read within its limit, and every way it can fail turned into a typed outcome. The
 * retry loop (`transport.ts`) decides what happens next.
 */
import type { WatchAbort } from "./abort.js";
import { declaredLength, discard, readLimited } from "./body.js";
import { ERROR_BODY_BYTES } from "./constants.js";
import {
  NectarAbortError,
  NectarConnectionError,
  type NectarError,
  NectarInvalidInputError,
  NectarProxyError,
  NectarRedirectError,
  NectarResponseTooLargeError,
  NectarTimeoutError,
} from "./errors.js";
import { type Outgoing, pathBelow } from "./outgoing.js";
import { ProxyRefusal } from "./proxy.js";
import { decideRedirect } from "./redirect.js";
import { type FailureKind, failureKind } from "./retry.js";

/** What an attempt needs from the client, fixed at creation. */
export interface AttemptContext {
  readonly baseUrl: string;
  /** The base URL's origin: redirects elsewhere are refused. */
  readonly origin: string;
  readonly fetch: (input: string | Request, init?: RequestInit) => Promise<Response>;
  /** Replaces the API key in a text, should one ever contain it. */
  readonly mask: (text: string) => string;
  /** Masks the API key in response headers that echo it. */
  readonly scrubHeaders: (headers: Headers) => Headers;
  /** Watches callers' signals, one listener per signal (shared with the limiter). */
  readonly watch: WatchAbort;
}

/** The limits of the call an attempt belongs to, and its attempt count so far. */
export interface AttemptLimits {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly attempts: number;
}

/** An attempt's outcome: an answer with its body read, or a failure and how it failed. */
export type Outcome =
  | { response: Response; text: string; truncated: boolean }
  | { failure: NectarError; kind: FailureKind };

/** Reports the reader of the body being read, so that a timeout or an abort can cancel it. */
type Track = (reader: ReadableStreamDefaultReader<Uint8Array>) => void;

/** The longest delay `setTimeout` takes; a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** The error for a call its caller aborted. */
export function abortError(baseUrl: string, request: { method: string; url: string }) {
  return new NectarAbortError(
    `${request.method} ${pathBelow(baseUrl, request.url)} was aborted by the caller.`,
  );
}

/** A short reason for a failed fetch, from undici's error and its cause (e.g. ECONNREFUSED). */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return "the connection failed";
  const inner = cause.cause instanceof Error ? cause.cause : undefined;
  const code = inner && "code" in inner && typeof inner.code === "string" ? inner.code : undefined;
  const detail = inner?.message ?? cause.message;
  return code ? `${detail} (${code})` : detail;
}

/** The error for a fetch that failed; the key is masked should a custom fetch have quoted it. */
function connectionError(context: AttemptContext, out: Outgoing, cause: unknown, attempts: number) {
  const { mask } = context;
  const reason = mask(describeCause(cause));
  const safeCause =
    cause instanceof Error && mask(String(cause.stack)) !== String(cause.stack)
      ? new Error(mask(cause.message))
      : cause;
  return new NectarConnectionError(
    `${out.method} ${pathBelow(context.baseUrl, out.url)} failed: ${reason}.`,
    { cause: safeCause, attempts },
  );
}

/** Why a proxy refused, and what to check. */
function proxyHint(status: number): string {
  if (status === 407) {
    return "the proxy answered 407 Proxy Authentication Required: check the user name and password in the proxy URL (HTTPS_PROXY, HTTP_PROXY or the proxy option)";
  }
  return `the proxy refused the tunnel with ${status}: check that it allows CONNECT to the API's host, or list the host in NO_PROXY`;
}

/**
 * The outcome of a fetch that threw: a refused tunnel and a proxy that cannot load are final; anything else is a connection error of its kind.
 */
function thrownOutcome(
  context: AttemptContext,
  out: Outgoing,
  cause: unknown,
  attempts: number,
): Outcome {
  const label = `${out.method} ${pathBelow(context.baseUrl, out.url)}`;
  if (cause instanceof ProxyRefusal) {
    const message = `${label} failed: ${proxyHint(cause.status)}.`;
    return {
      failure: new NectarProxyError(message, { proxyStatus: cause.status, attempts }),
      kind: "final",
    };
  }
  if (cause instanceof NectarInvalidInputError) return { failure: cause, kind: "final" };
  return { failure: connectionError(context, out, cause, attempts), kind: failureKind(cause) };
}

/** What the errors about a response share. */
function problemAt(context: AttemptContext, out: Outgoing, response: Response) {
  return { method: out.method, path: pathBelow(context.baseUrl, out.url), status: response.status };
}

/** Headers without the ones that name a redirect's target (which may hold credentials or a query). */
function withoutLocation(headers: Headers): Headers {
  const kept = new Headers();
  headers.forEach((value, name) => {
    if (name !== "location" && name !== "content-location") kept.append(name, value);
  });
  return kept;
}

/** Does a custom fetch's result look like a Response (a status and readable headers)? */
function isResponse(value: unknown): value is Response {
  if (typeof value !== "object" || value === null) return false;
  const { status, headers } = value as Partial<Response>;
  return typeof status === "number" && typeof headers?.get === "function";
}

/** Reads the body of an answer: a 2xx within `maxResponseBytes`, an error body cut to 8 KiB. */
async function readAnswer(
  context: AttemptContext,
  out: Outgoing,
  response: Response,
  limits: AttemptLimits,
  track: Track,
): Promise<Outcome> {
  const ok = response.status >= 200 && response.status < 300;
  const limit = ok ? limits.maxResponseBytes : Math.min(limits.maxResponseBytes, ERROR_BODY_BYTES);
  const tooLarge = () => ({
    failure: new NectarResponseTooLargeError({
      ...problemAt(context, out, response),
      headers: context.scrubHeaders(response.headers),
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

/** The failure for a redirect that is not followed. */
function redirectFailure(
  context: AttemptContext,
  out: Outgoing,
  response: Response,
  decision: { origin: string | undefined; reason: string },
  attempts: number,
): Outcome {
  const failure = new NectarRedirectError({
    ...problemAt(context, out, response),
    origin: decision.origin === undefined ? undefined : context.mask(decision.origin),
    reason: decision.reason,
    body: "",
    headers: context.scrubHeaders(withoutLocation(response.headers)),
    attempts,
  });
  return { failure, kind: "final" };
}

/** Sends a request and follows same-origin redirects; resolves once the body is read or dropped. */
async function exchange(
  context: AttemptContext,
  out: Outgoing,
  limits: AttemptLimits,
  signal: AbortSignal,
  track: Track,
): Promise<Outcome> {
  let url = out.url;
  const { method, headers, body } = out;
  for (let hops = 0; ; hops++) {
    const init = { method, headers, body, signal, redirect: "manual" as const };
    const response: unknown = await context.fetch(url, init);
    if (!isResponse(response)) {
      const cause = new TypeError("fetch resolved to something that is not a Response");
      return { failure: connectionError(context, out, cause, limits.attempts), kind: "final" };
    }
    const decision = decideRedirect(response, method, url, context.origin, hops);
    if (decision.action === "answer") return readAnswer(context, out, response, limits, track);
    await discard(response.body);
    if (decision.action !== "follow") {
      return redirectFailure(context, out, response, decision, limits.attempts);
    }
    url = decision.url;
  }
}

/** The error of an attempt whose timer fired. */
function timeoutError(context: AttemptContext, out: Outgoing, limits: AttemptLimits) {
  return new NectarTimeoutError(
    `${out.method} ${pathBelow(context.baseUrl, out.url)} timed out after ${limits.timeoutMs} ms (attempt ${limits.attempts}).`,
    { timeoutMs: limits.timeoutMs, attempts: limits.attempts },
  );
}

/**
 * One attempt under its own timer. `outcome` settles when the caller can be answered (the
 * timer or the caller's signal may settle it first); `done` once the fetch has settled and its
 * body is read or cancelled, that is when the connection is released: the concurrency slot is
 * given back then, not before. The race with the timer does not rely on `fetch` honouring its
 * signal, so a custom fetch that ignores it still times out (but keeps its slot until it settles).
 */
export function runAttempt(context: AttemptContext, out: Outgoing, limits: AttemptLimits) {
  const controller = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let settled = false;
  let resolve: (outcome: Outcome) => void = () => {};
  const outcome = new Promise<Outcome>((done) => {
    resolve = done;
  });
  const stop = (reason: unknown) => {
    controller.abort(reason);
    reader?.cancel(reason).catch(() => undefined);
  };
  const timer = setTimeout(
    () => {
      const failure = timeoutError(context, out, limits);
      settle({ failure, kind: "timeout" });
      stop(failure);
    },
    Math.min(limits.timeoutMs, MAX_TIMER_MS),
  );
  const { signal } = out;
  const unwatch = signal
    ? context.watch(signal, () => {
        settle({ failure: abortError(context.baseUrl, out), kind: "final" });
        stop(signal.reason);
      })
    : undefined;
  function settle(result: Outcome): void {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    unwatch?.();
    resolve(result);
  }
  const track: Track = (current) => {
    reader = current;
  };
  const done = exchange(context, out, limits, controller.signal, track).then(settle, (cause) =>
    settle(thrownOutcome(context, out, cause, limits.attempts)),
  );
  return { outcome, done };
}
