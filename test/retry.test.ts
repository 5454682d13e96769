/**
 * The retry policy as pure functions: which statuses deserve another attempt, how a server's
 * requested wait is read, the backoff, and the per-client retry budget.
 */
import { describe, expect, it } from "vitest";
import {
  RETRY_BUDGET_CAPACITY,
  RETRY_COST,
  SUCCESS_REFUND,
  TIMEOUT_RETRY_COST,
} from "../src/core/constants.js";
import {
  backoffDelay,
  failureKind,
  isRetryableAnswer,
  isRetryableFailure,
  isRetryableStatus,
  parseRetryAfter,
  RetryBudget,
  retryDelay,
} from "../src/core/retry.js";

const NOW = Date.parse("2024-01-01T00:00:00Z");
const headers = (init: Record<string, string>) => new Headers(init);
/** As close to 1 as `Math.random` gets. */
const ALMOST_ONE = 1 - Number.EPSILON;

describe("isRetryableStatus", () => {
  it.each([408, 429, 500, 501, 502, 503, 504, 599])("retries %i", (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([200, 204, 301, 400, 401, 403, 404, 405, 409, 410, 422, 428, 499])(
    "never retries %i",
    (status) => {
      expect(isRetryableStatus(status)).toBe(false);
    },
  );
});

describe("parseRetryAfter", () => {
  it("reads Retry-After as whole seconds", () => {
    expect(parseRetryAfter(headers({ "retry-after": "2" }), NOW)).toBe(2000);
    expect(parseRetryAfter(headers({ "retry-after": "0" }), NOW)).toBe(0);
  });

  it("reads Retry-After seconds with decimals", () => {
    expect(parseRetryAfter(headers({ "retry-after": "1.5" }), NOW)).toBe(1500);
  });

  it("reads Retry-After as an HTTP date, relative to the injected now", () => {
    const later = headers({ "retry-after": "Mon, 01 Jan 2024 00:00:05 GMT" });
    expect(parseRetryAfter(later, NOW)).toBe(5000);
    expect(parseRetryAfter(later, NOW + 3000)).toBe(2000);
    const rfc850 = headers({ "retry-after": "Monday, 01-Jan-24 00:00:07 GMT" });
    expect(parseRetryAfter(rfc850, NOW)).toBe(7000);
  });

  it("reads an asctime date as GMT, whatever the machine's time zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York"; // Date.parse would read a zoneless date 5 h off here
    try {
      const asctime = headers({ "retry-after": "Mon Jan  1 00:00:09 2024" });
      expect(parseRetryAfter(asctime, NOW)).toBe(9000);
      const twoDigitDay = headers({ "retry-after": "Mon Jan 01 00:00:04 2024" });
      expect(parseRetryAfter(twoDigitDay, NOW)).toBe(4000);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("reads a date already past as no wait at all, never a negative one", () => {
    const past = headers({ "retry-after": "Sun, 31 Dec 2023 23:59:00 GMT" });
    expect(parseRetryAfter(past, NOW)).toBe(0);
  });

  it("prefers retry-after-ms to Retry-After", () => {
    const both = headers({ "retry-after-ms": "1500", "retry-after": "10" });
    expect(parseRetryAfter(both, NOW)).toBe(1500);
    expect(parseRetryAfter(headers({ "retry-after-ms": "250.5" }), NOW)).toBe(250.5);
  });

  it("falls back to Retry-After when retry-after-ms is unreadable", () => {
    const both = headers({ "retry-after-ms": "soon", "retry-after": "3" });
    expect(parseRetryAfter(both, NOW)).toBe(3000);
  });

  it("gives undefined when there is no header or an empty one", () => {
    expect(parseRetryAfter(headers({}), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "" }), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after-ms": " " }), NOW)).toBeUndefined();
  });

  it.each(["soon", "later please", "soon 2", "1 2", "NaN", "Infinity", "0x10", "1e3"])(
    "gives undefined for the garbage Retry-After %j",
    (value) => {
      expect(parseRetryAfter(headers({ "retry-after": value }), NOW)).toBeUndefined();
    },
  );

  it.each(["2.", ".5", "+2", "1.2.3", "1,5", "Mon, 01 Jan 2024", "Jan 01 2024 00:00:05 GMT"])(
    "gives undefined for the malformed Retry-After %j",
    (value) => {
      expect(parseRetryAfter(headers({ "retry-after": value }), NOW)).toBeUndefined();
    },
  );

  it.each([
    ["a date after a prefix (V8 would read it)", "in Mon, 01 Jan 2024 00:00:05 GMT"],
    ["a date in another zone than GMT", "Mon, 01 Jan 2024 00:00:05 +0000"],
    ["a date without its comma", "Mon 01 Jan 2024 00:00:05 GMT"],
    ["an asctime date after a prefix", "x Mon Jan  1 00:00:09 2024"],
    ["an asctime date without a day name", "Xyz Jan  1 00:00:09 2024"],
    ["an asctime date with a one-digit year", "Mon Jan  1 00:00:09 4"],
    ["a delay of 400 digits (Infinity)", "9".repeat(400)],
  ])("gives undefined for %s", (_, value) => {
    expect(parseRetryAfter(headers({ "retry-after": value }), NOW)).toBeUndefined();
  });

  it("trims the header before reading it", () => {
    expect(parseRetryAfter(headers({ "retry-after": " 2 " }), NOW)).toBe(2000);
  });

  it("reads every digit of a delay, and every decimal", () => {
    expect(parseRetryAfter(headers({ "retry-after": "12" }), NOW)).toBe(12_000);
    expect(parseRetryAfter(headers({ "retry-after": "1.25" }), NOW)).toBe(1250);
    expect(parseRetryAfter(headers({ "retry-after-ms": "1250" }), NOW)).toBe(1250);
    expect(parseRetryAfter(headers({ "retry-after": "2.", "retry-after-ms": "2." }), NOW)).toBe(
      undefined,
    );
  });

  it("reads a date whatever the case of its day and month names", () => {
    const shouting = headers({ "retry-after": "MON, 01 JAN 2024 00:00:05 GMT" });
    expect(parseRetryAfter(shouting, NOW)).toBe(5000);
  });

  it("reads an asctime date with a two-digit day, but not one that names a zone", () => {
    const mid = Date.parse("2024-01-15T00:00:00Z");
    expect(parseRetryAfter(headers({ "retry-after": "Mon Jan 15 00:00:03 2024" }), mid)).toBe(3000);
    // Not one of the three forms: asctime names no zone.
    const zoned = headers({ "retry-after": "Mon Jan  1 00:00:09 2024 GMT" });
    expect(parseRetryAfter(zoned, NOW)).toBeUndefined();
  });

  it("believes a wait of up to a day, and no longer", () => {
    expect(parseRetryAfter(headers({ "retry-after": "86400" }), NOW)).toBe(86_400_000);
    expect(parseRetryAfter(headers({ "retry-after": "86400.001" }), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after-ms": "86400001" }), NOW)).toBeUndefined();
    const tomorrow = headers({ "retry-after": "Tue, 02 Jan 2024 00:00:00 GMT" });
    expect(parseRetryAfter(tomorrow, NOW)).toBe(86_400_000);
    const later = headers({ "retry-after": "Tue, 02 Jan 2024 00:00:01 GMT" });
    expect(parseRetryAfter(later, NOW)).toBeUndefined();
  });

  it("gives undefined for a negative Retry-After or retry-after-ms, rather than no wait", () => {
    expect(parseRetryAfter(headers({ "retry-after": "-5" }), NOW)).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after-ms": "-100" }), NOW)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  const full = [500, 1000, 2000, 4000, 8000, 8000];

  it("doubles from 0.5 s up to 8 s without jitter (random = 0)", () => {
    expect(full.map((_, retry) => backoffDelay(retry, () => 0))).toEqual(full);
    expect(backoffDelay(20, () => 0)).toBe(8000);
  });

  it("shortens by at most 25 % (random → 1)", () => {
    expect(full.map((_, retry) => backoffDelay(retry, () => ALMOST_ONE))).toEqual(
      full.map((ms) => ms * 0.75),
    );
  });

  it("scales the jitter with random in between", () => {
    expect(backoffDelay(1, () => 0.5)).toBe(875);
    expect(backoffDelay(0, () => 0.5)).toBe(438);
  });

  it.each([
    ["1", 1],
    ["2", 2],
    ["-0.5", -0.5],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a string", "0.5" as unknown as number],
  ])("takes a random() of %s, outside [0, 1), as no jitter: the plain backoff", (_, value) => {
    expect(full.map((_, retry) => backoffDelay(retry, () => value))).toEqual(full);
  });

  it("stays within [75 %, 100 %] of the base for any random number", () => {
    for (let retry = 0; retry < 8; retry++) {
      const base = Math.min(500 * 2 ** retry, 8000);
      for (let i = 0; i < 50; i++) {
        const ms = backoffDelay(retry, Math.random);
        expect(ms).toBeGreaterThanOrEqual(base * 0.75);
        expect(ms).toBeLessThanOrEqual(base);
      }
    }
  });
});

describe("retryDelay", () => {
  it("honours Retry-After inside [0, 60 s]", () => {
    expect(retryDelay(headers({ "retry-after": "2" }), 3, () => 0, NOW)).toBe(2000);
    expect(retryDelay(headers({ "retry-after": "0" }), 3, () => 0, NOW)).toBe(0);
    expect(retryDelay(headers({ "retry-after": "60" }), 0, () => 0, NOW)).toBe(60_000);
    expect(retryDelay(headers({ "retry-after-ms": "120" }), 0, () => 0, NOW)).toBe(120);
  });

  it("ignores a Retry-After of 3600 s and applies the backoff", () => {
    expect(retryDelay(headers({ "retry-after": "3600" }), 0, () => 0, NOW)).toBe(500);
    expect(retryDelay(headers({ "retry-after": "60.001" }), 2, () => 0, NOW)).toBe(2000);
    expect(retryDelay(headers({ "retry-after-ms": "60001" }), 1, () => 0, NOW)).toBe(1000);
  });

  it("ignores an HTTP date more than 60 s ahead and applies the backoff", () => {
    const far = headers({ "retry-after": "Mon, 01 Jan 2024 01:00:00 GMT" });
    expect(retryDelay(far, 1, () => 0, NOW)).toBe(1000);
  });

  it("applies the backoff, jitter included, without headers or with unreadable ones", () => {
    expect(retryDelay(undefined, 2, () => 0, NOW)).toBe(2000);
    expect(retryDelay(headers({}), 2, () => ALMOST_ONE, NOW)).toBe(1500);
    expect(retryDelay(headers({ "retry-after": "-1" }), 0, () => 0, NOW)).toBe(500);
    expect(retryDelay(headers({ "retry-after": "soon 2" }), 0, () => 0, NOW)).toBe(500);
  });
});

describe("RetryBudget", () => {
  it("uses the AWS standard retry mode numbers", () => {
    expect(RETRY_BUDGET_CAPACITY).toBe(500);
    expect(RETRY_COST).toBe(5);
    expect(TIMEOUT_RETRY_COST).toBe(10);
    expect(SUCCESS_REFUND).toBe(1);
  });

  it("starts full and spends the cost of each retry", () => {
    const budget = new RetryBudget();
    expect(budget.tokens).toBe(500);
    expect(budget.trySpend(5)).toBe(true);
    expect(budget.trySpend(10)).toBe(true);
    expect(budget.tokens).toBe(485);
  });

  it("refuses when too few tokens are left, and spends nothing then", () => {
    const budget = new RetryBudget();
    for (let i = 0; i < 99; i++) expect(budget.trySpend(5)).toBe(true);
    expect(budget.tokens).toBe(5);
    expect(budget.trySpend(10)).toBe(false);
    expect(budget.tokens).toBe(5);
    expect(budget.trySpend(5)).toBe(true);
    expect(budget.tokens).toBe(0);
    expect(budget.trySpend(5)).toBe(false);
    expect(budget.tokens).toBe(0);
  });

  it("earns a token for a success without retries", () => {
    const budget = new RetryBudget();
    budget.trySpend(10);
    budget.recordSuccess(0);
    expect(budget.tokens).toBe(491);
  });

  it("earns back what a success after retries spent", () => {
    const budget = new RetryBudget();
    budget.trySpend(5);
    budget.trySpend(10);
    budget.recordSuccess(15);
    expect(budget.tokens).toBe(500);
  });

  it("never holds more than 500 tokens", () => {
    const budget = new RetryBudget();
    budget.recordSuccess(0);
    expect(budget.tokens).toBe(500);
    budget.trySpend(5);
    budget.recordSuccess(50);
    expect(budget.tokens).toBe(500);
  });
});

/** An error with a Node-style `code`. */
const coded = (code: unknown) => Object.assign(new Error("failed"), { code });
/** `error` wrapped `depth` times as the `cause` of a plain error. */
function wrapped(error: unknown, depth: number): unknown {
  let outer = error;
  for (let i = 0; i < depth; i++) outer = new Error(`wrapper ${i}`, { cause: outer });
  return outer;
}

describe("failureKind", () => {
  it.each([
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EADDRNOTAVAIL",
    "UND_ERR_CONNECT_TIMEOUT",
  ])("reads %s as a failure to connect", (code) => {
    expect(failureKind(coded(code))).toBe("connect");
    expect(failureKind(new TypeError("fetch failed", { cause: coded(code) }))).toBe("connect");
  });

  it.each([
    "ECONNRESET",
    "EPIPE",
    "ETIMEDOUT",
    "ECONNABORTED",
    "UND_ERR_SOCKET",
    "UND_ERR_CLOSED",
    "UND_ERR_HEADERS_TIMEOUT",
    "UND_ERR_BODY_TIMEOUT",
  ])("reads %s as a network failure after connecting", (code) => {
    expect(failureKind(new TypeError("fetch failed", { cause: coded(code) }))).toBe("network");
  });

  it("reads an unknown code as final, even under undici's wrapper", () => {
    expect(failureKind(new TypeError("fetch failed", { cause: coded("ERR_INVALID_ARG") }))).toBe(
      "final",
    );
  });

  it("reads undici's wrappers without a code as network failures, any other TypeError as final", () => {
    expect(failureKind(new TypeError("fetch failed"))).toBe("network");
    expect(failureKind(new TypeError("terminated"))).toBe("network");
    expect(failureKind(new TypeError("fetch failed!"))).toBe("final");
    expect(failureKind(new Error("fetch failed"))).toBe("final");
    expect(failureKind("fetch failed")).toBe("final");
    expect(failureKind(null)).toBe("final");
  });

  it("finds a code in an AggregateError's errors, past those without one", () => {
    const refusals = new AggregateError(
      [new Error("no code"), coded("ECONNREFUSED")],
      "all failed",
    );
    expect(failureKind(new TypeError("fetch failed", { cause: refusals }))).toBe("connect");
    const none = new AggregateError([new Error("a"), "b"], "all failed");
    expect(failureKind(none)).toBe("final");
  });

  it("ends on an AggregateError that holds itself", () => {
    const loop = new AggregateError([], "loops");
    loop.errors.push(loop);
    expect(failureKind(loop)).toBe("final");
  });

  it("skips a code that is not a string and looks further down", () => {
    const inner = Object.assign(new Error("numeric"), { code: 7, cause: coded("ECONNRESET") });
    expect(failureKind(inner)).toBe("network");
  });

  it("looks four causes deep, no deeper: a cycle ends", () => {
    expect(failureKind(wrapped(coded("ECONNREFUSED"), 4))).toBe("connect");
    expect(failureKind(wrapped(coded("ECONNREFUSED"), 5))).toBe("final");
    const cycle = new Error("cycle");
    (cycle as { cause?: unknown }).cause = cycle;
    expect(failureKind(cycle)).toBe("final");
  });
});

describe("isRetryableFailure", () => {
  it("retries a failure to connect always, a network failure or timeout only when idempotent", () => {
    expect(isRetryableFailure("connect", true)).toBe(true);
    expect(isRetryableFailure("connect", false)).toBe(true);
    expect(isRetryableFailure("network", true)).toBe(true);
    expect(isRetryableFailure("network", false)).toBe(false);
    expect(isRetryableFailure("timeout", true)).toBe(true);
    expect(isRetryableFailure("timeout", false)).toBe(false);
    expect(isRetryableFailure("final", true)).toBe(false);
    expect(isRetryableFailure("final", false)).toBe(false);
  });
});

describe("isRetryableAnswer", () => {
  const answer = (status: number, init: Record<string, string> = {}) =>
    new Response(null, { status, headers: init });

  it.each([408, 429, 500, 502, 503, 504])("retries %i for an idempotent call", (status) => {
    expect(isRetryableAnswer(answer(status), true, NOW)).toBe(true);
  });

  it.each([400, 404, 409])("does not retry %i for an idempotent call", (status) => {
    expect(isRetryableAnswer(answer(status), true, NOW)).toBe(false);
  });

  it("retries a call that must not run twice only on 429, or 503 with a readable Retry-After", () => {
    expect(isRetryableAnswer(answer(429), false, NOW)).toBe(true);
    expect(isRetryableAnswer(answer(503, { "retry-after": "1" }), false, NOW)).toBe(true);
    expect(isRetryableAnswer(answer(503, { "retry-after-ms": "0" }), false, NOW)).toBe(true);
    expect(isRetryableAnswer(answer(503), false, NOW)).toBe(false);
    expect(isRetryableAnswer(answer(503, { "retry-after": "soon" }), false, NOW)).toBe(false);
    for (const status of [408, 500, 502, 504]) {
      expect(isRetryableAnswer(answer(status, { "retry-after": "1" }), false, NOW)).toBe(false);
    }
  });
});
