/**
 * The compiled validators check formats with scripts/formats.ts, which puts fast paths in
 * front of ajv-formats' full checks. These properties prove the two always agree, so the fast
 * paths change speed, never verdicts.
 */
import { fullFormats } from "ajv-formats/dist/formats.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formats } from "../scripts/formats.ts";

/** ajv-formats' full check for a format, as a function. */
function reference(name: keyof typeof formats): (value: string) => boolean {
  const definition = fullFormats[name];
  if (definition instanceof RegExp) return (value) => definition.test(value);
  if (typeof definition === "object" && "validate" in definition) {
    const validate: unknown = definition.validate;
    if (typeof validate === "function")
      return (value) => Reflect.apply(validate, undefined, [value]) === true;
  }
  throw new Error(`no reference check for ${name}`);
}

/** Runs one of our format checks, a function or (for email) the very same RegExp. */
function ours(name: keyof typeof formats, value: string): boolean {
  const check = formats[name];
  return typeof check === "function" ? check(value) : check.test(value);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const digits = (min: number, max: number, width = 2) =>
  fc.integer({ min, max }).map((n) => pad(n, width));
/** Dates that look right, including impossible days (31 April, 29 February of common years). */
const dateLike = fc
  .tuple(digits(0, 9999, 4), digits(0, 13), digits(0, 32))
  .map(([y, m, d]) => `${y}-${m}-${d}`);
const zone = fc.constantFrom("Z", "z", "+00:00", "-05:30", "+2400", "+23:59", "", "+05");
/** Timestamps that look right, with edge-case clocks, separators and zones. */
const dateTimeLike = fc
  .tuple(dateLike, fc.constantFrom("T", "t", " ", "_"), digits(0, 24), digits(0, 60), digits(0, 61))
  .chain(([date, sep, h, m, s]) =>
    fc
      .tuple(fc.constantFrom("", ".5", ".123456789", "."), zone)
      .map(([fraction, z]) => `${date}${sep}${h}:${m}:${s}${fraction}${z}`),
  );
const hex = fc.constantFrom(..."0123456789abcdefABCDEFgG-");
const uuidLike = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => `urn:uuid:${u}`),
  fc.array(hex, { minLength: 30, maxLength: 40 }).map((chars) => chars.join("")),
);

const cases: Array<[keyof typeof formats, fc.Arbitrary<string>]> = [
  ["date", fc.oneof(dateLike, fc.string())],
  ["date-time", fc.oneof(dateTimeLike, fc.string())],
  ["uuid", fc.oneof(uuidLike, fc.string())],
  ["email", fc.oneof(fc.emailAddress(), fc.string())],
];

describe("the validators' format checks", () => {
  for (const [name, arbitrary] of cases) {
    it(`agree with ajv-formats' full "${name}" check on every string`, () => {
      const expected = reference(name);
      fc.assert(
        fc.property(arbitrary, (value) => {
          expect(ours(name, value)).toBe(expected(value));
        }),
        { numRuns: 20_000 },
      );
    });
  }

  it("accept typical values and reject impossible ones", () => {
    expect(formats["date-time"]("2023-11-07T05:31:56Z")).toBe(true);
    expect(formats["date-time"]("2024-02-29T23:59:60Z")).toBe(true);
    expect(formats["date-time"]("2023-02-29T00:00:00Z")).toBe(false);
    expect(formats.date("2023-12-25")).toBe(true);
    expect(formats.date("2023-04-31")).toBe(false);
    expect(formats.uuid("3C90C3CC-0D44-4B50-8888-8DD25736052A")).toBe(true);
    expect(formats.uuid("3c90c3cc-0d44-4b50-8888-8dd25736052")).toBe(false);
  });
});
