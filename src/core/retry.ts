/**
 * The retry policy: which failures deserve another attempt, how long to wait before it, and a
 * per-client budget that stops retries from multiplying traffic during an outage.
 */
import {
  INITIAL_RETRY_DELAY_MS,
  MAX_REPORTED_RETRY_AFTER_MS,
  MAX_RETRY_AFTER_MS,
  MAX_RETRY_DELAY_MS,
  RETRY_BUDGET_CAPACITY,
  RETRY_JITTER,
  RETRYABLE_STATUSES,
  SUCCESS_REFUND,
} from "./constants.js";

/** Is a response with this status worth another attempt? 408, 429 and 500 and above are. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || RETRYABLE_STATUSES.has(status);
}

/** A delay: digits, with decimals allowed; no sign, exponent, hex or `Infinity`. */
const DELAY = /^\d+(?:\.\d+)?$/;

/**
 * IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) and the obsolete RFC 850 form
 * (`Sunday, 06-Nov-94 08:49:37 GMT`), RFC 9110 §5.6.7: a day name and a comma first, GMT last.
 * Anchored: V8's `Date.parse` also reads a date after any prefix, or garbage such as "soon 2".
 */
const HTTP_DATE = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*, .*\b\d{2}:\d{2}:\d{2} GMT$/i;

/**
 * asctime, the third form: `Sun Nov  6 08:49:37 1994`. It names no zone and is GMT by definition,
 * but `Date.parse` would read it in the machine's local time: it is read with " GMT" appended.
 */
const ASCTIME = /^(?:mon|tue|wed|thu|fri|sat|sun) [a-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/i;

/**
 * A wait that can be believed: at most a day; else `undefined` (also for `NaN` and `Infinity`,
 * say from 400 digits). Never negative here: a delay has no sign, and a past date gives 0.
 */
function believable(ms: number): number | undefined {
  return ms <= MAX_REPORTED_RETRY_AFTER_MS ? ms : undefined;
}

/** An HTTP date in ms since the epoch, or `NaN` for anything else. */
function parseHttpDate(header: string): number {
  if (HTTP_DATE.test(header)) return Date.parse(header);
  return ASCTIME.test(header) ? Date.parse(`${header} GMT`) : Number.NaN;
}

/**
 * How long the server asked the client to wait, in milliseconds: `retry-after-ms`, else
 * `Retry-After` as seconds or as an HTTP date (relative to `now`). `undefined` when absent,
 * unreadable, negative or absurd (more than a day); a date already past gives 0. (`Headers`
 * already strips the spaces around a value.)
 */
export function parseRetryAfter(headers: Headers, now: number): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms && DELAY.test(ms)) return believable(Number(ms));
  const header = headers.get("retry-after");
  if (!header) return undefined;
  if (DELAY.test(header)) return believable(Number(header) * 1000);
  return believable(Math.max(0, parseHttpDate(header) - now));
}

/**
 * How an attempt failed without an answer, for the retry decision:
 * - `connect`: no connection was made (refused, DNS, connect timeout): nothing reached the server;
 * - `network`: the connection failed after it was made (reset, closed, body cut off);
 * - `timeout`: the attempt's own timer fired;
 * - `final`: retrying cannot help (a redirect, a body too large, a programming error).
 */
export type FailureKind = "connect" | "network" | "timeout" | "final";

/** Codes (undici's and Node's) of failures to connect at all. */
const CONNECT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Codes of a connection that failed once made. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** The first error `code` in a cause chain (and in an AggregateError's errors), if any. */
function codeOf(cause: unknown, depth = 0): string | undefined {
  if (typeof cause !== "object" || cause === null || depth > 4) return undefined;
  if ("code" in cause && typeof cause.code === "string") return cause.code;
  if (cause instanceof AggregateError) {
    for (const inner of cause.errors) {
      const code = codeOf(inner, depth + 1);
      if (code !== undefined) return code;
    }
  }
  return "cause" in cause ? codeOf(cause.cause, depth + 1) : undefined;
}

/**
 * Classifies what a `fetch` (or the read of its body) rejected with. A code in the cause chain
 * decides; without one, undici's own wrappers (`fetch failed`, `terminated`) are network
 * failures, and anything else (an invalid header value, a custom fetch's bug) is final.
 */
export function failureKind(cause: unknown): Exclude<FailureKind, "timeout"> {
  const code = codeOf(cause);
  if (code !== undefined) {
    if (CONNECT_CODES.has(code)) return "connect";
    return NETWORK_CODES.has(code) ? "network" : "final";
  }
  const undici =
    cause instanceof TypeError &&
    (cause.message === "fetch failed" || cause.message === "terminated");
  return undici ? "network" : "final";
}

/**
 * Is an answer worth another attempt? For an idempotent call: 408, 429 and 5xx. For a call that
 * must not run twice, only answers that say it was not processed: 429, and 503 with a
 * `Retry-After`.
 */
export function isRetryableAnswer(response: Response, idempotent: boolean, now: number): boolean {
  if (idempotent) return isRetryableStatus(response.status);
  if (response.status === 429) return true;
  return response.status === 503 && parseRetryAfter(response.headers, now) !== undefined;
}

/**
 * Is a failure worth another attempt? A failure to connect always is; a network failure or a
 * timeout only for an idempotent call (the server may have processed the request); a final one never.
 */
export function isRetryableFailure(kind: FailureKind, idempotent: boolean): boolean {
  if (kind === "connect") return true;
  return idempotent && (kind === "network" || kind === "timeout");
}

/**
 * The backoff before retry number `retry` (0 for the first): `min(0.5 s × 2^retry, 8 s)`,
 * shortened at random by up to 25 % so that clients spread out.
 */
export function backoffDelay(retry: number, random: () => number): number {
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retry, MAX_RETRY_DELAY_MS);
  return Math.round(base * (1 - RETRY_JITTER * jitterFrom(random)));
}

/**
 * The injected `random()`, or 0 (no jitter: the plain backoff) when it breaks its contract of a
 * number in [0, 1): a negative, 1 or more, `NaN` or a non-number would make the wait longer than
 * the backoff, negative, or `NaN`.
 */
function jitterFrom(random: () => number): number {
  const value: unknown = random();
  return typeof value === "number" && value >= 0 && value < 1 ? value : 0;
}

/**
 * The wait before retry number `retry`: the server's `Retry-After` when it lies between 0 and
 * 60 s, otherwise the backoff.
 */
export function retryDelay(
  headers: Headers | undefined,
  retry: number,
  random: () => number,
  now: number,
): number {
  const asked = headers ? parseRetryAfter(headers, now) : undefined;
  if (asked !== undefined && asked <= MAX_RETRY_AFTER_MS) return asked;
  return backoffDelay(retry, random);
}

/**
 * A token bucket shared by all calls of one client, in the style of the AWS SDK's standard
 * retry mode: each retry spends tokens, each success earns some back, and when the bucket is
 * empty failures are returned at once instead of retried.
 */
export class RetryBudget {
  #tokens = RETRY_BUDGET_CAPACITY;

  /** Tokens left. */
  get tokens(): number {
    return this.#tokens;
  }

  /** Spends `cost` tokens for a retry; false (and nothing spent) when too few are left. */
  trySpend(cost: number): boolean {
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  /** A call succeeded: it earns back what its retries spent, or a token when it needed none. */
  recordSuccess(spent: number): void {
    this.#tokens = Math.min(
      RETRY_BUDGET_CAPACITY,
      this.#tokens + (spent > 0 ? spent : SUCCESS_REFUND),
    );
  }
}
