/**
 * The retry policy: which failures deserve another attempt, how long to wait before it, and a
 * per-client budget that stops retries from multiplying traffic during an outage.
 */
import {
  INITIAL_RETRY_DELAY_MS,
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

/** The three HTTP date forms (RFC 9110 §5.6.7) start with a day name and hold `hh:mm:ss`. */
const HTTP_DATE = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,? .*\b\d{2}:\d{2}:\d{2}\b/i;

/**
 * How long the server asked the client to wait, in milliseconds: `retry-after-ms`, else
 * `Retry-After` as seconds or as an HTTP date (relative to `now`). `undefined` when absent,
 * unreadable or negative; a date already past gives 0.
 */
export function parseRetryAfter(headers: Headers, now: number): number | undefined {
  const ms = headers.get("retry-after-ms")?.trim();
  if (ms && DELAY.test(ms)) return Number(ms);
  const header = headers.get("retry-after")?.trim();
  if (!header) return undefined;
  if (DELAY.test(header)) return Number(header) * 1000;
  // Only an HTTP date: V8's Date.parse also reads garbage such as "soon 2" as a (past) date.
  const date = HTTP_DATE.test(header) ? Date.parse(header) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The backoff before retry number `retry` (0 for the first): `min(0.5 s × 2^retry, 8 s)`,
 * shortened at random by up to 25 % so that clients spread out.
 */
export function backoffDelay(retry: number, random: () => number): number {
  const base = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retry, MAX_RETRY_DELAY_MS);
  return Math.round(base * (1 - RETRY_JITTER * random()));
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
  return asked !== undefined && asked <= MAX_RETRY_AFTER_MS ? asked : backoffDelay(retry, random);
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
