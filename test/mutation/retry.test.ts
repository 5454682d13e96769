/**
 * Retry-After behaviour the mutation run of `src/core/retry.ts` found unpinned: an HTTP date must
 * end at its "GMT" (V8's `Date.parse` reads on past it, taking "+0100" as a zone or a trailing
 * number as hours).
 */
import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../../src/core/retry.js";

const NOW = Date.parse("2024-01-01T00:00:00Z");

describe("parseRetryAfter refuses an HTTP date with text after its GMT", () => {
  it.each([
    ["an offset after GMT (V8 reads it as another zone)", "Mon, 01 Jan 2024 00:00:05 GMT+0100"],
    ["a number after GMT (V8 reads it as hours)", "Mon, 01 Jan 2024 00:00:05 GMT 2"],
    ["a word after GMT (V8 reads it as a month)", "Mon, 01 Jan 2024 00:00:05 GMT junk"],
  ])("%s", (_, value) => {
    expect(parseRetryAfter(new Headers({ "retry-after": value }), NOW)).toBeUndefined();
  });

  it("still reads the same date ending at GMT", () => {
    const exact = new Headers({ "retry-after": "Mon, 01 Jan 2024 00:00:05 GMT" });
    expect(parseRetryAfter(exact, NOW)).toBe(5000);
  });
});
