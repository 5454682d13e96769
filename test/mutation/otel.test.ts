/**
 * Mutation tests of `src/core/otel.ts`: the `tracing` option's check, value by value.
 */
import { describe, expect, test } from "vitest";
import { NectarInvalidInputError } from "../../src/core/errors.ts";
import { checkTracing } from "../../src/core/otel.ts";

const API_LIKE = { trace: {}, context: {} };

describe("checkTracing (mutation)", () => {
  test.each([
    [{}],
    [{ openTelemetry: undefined }],
    [{ openTelemetry: true }],
    [{ openTelemetry: API_LIKE }],
  ])("accepts %o as it is", (value) => {
    expect(checkTracing(value, "tracing")).toBe(value);
  });

  test.each([
    ["null", null],
    ["a string", "openTelemetry"],
    ["true", true],
    ["an unknown key", { openTelemetry: true, other: 1 }],
    ["openTelemetry false", { openTelemetry: false }],
    ["openTelemetry null", { openTelemetry: null }],
    ["openTelemetry a string", { openTelemetry: "yes" }],
    ["a module without context", { openTelemetry: { trace: {} } }],
    ["a module without trace", { openTelemetry: { context: {} } }],
  ])("refuses %s, naming the option", (_name, value) => {
    let failure: unknown;
    try {
      checkTracing(value, "tracing");
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(NectarInvalidInputError);
    expect((failure as Error).message).toBe(
      "tracing must be { openTelemetry: true } or { openTelemetry: <the @opentelemetry/api module> }.",
    );
  });
});
