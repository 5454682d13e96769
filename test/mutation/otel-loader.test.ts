/**
 * Mutation tests of `src/core/otel.ts`: the import of `@opentelemetry/api` with
 * `openTelemetry: true`, through the loader the sink takes. A missing module makes `ready`
 * reject with the typed error that says what to do; the module namespace (named exports) and a
 * bundle's interop object (the module under `default` only) both give working spans.
 */
import * as otel from "@opentelemetry/api";
import { describe, expect, test } from "vitest";
import { NectarInvalidInputError } from "../../src/core/errors.ts";
import { attemptEvent, callEvent, endEvent } from "../../src/core/observe.ts";
import { otelSink } from "../../src/core/otel.ts";
import { byName, useInMemoryTracing } from "../helpers/otel.ts";

const exporter = useInMemoryTracing();

/** Sends one call with one attempt answered 200 through the sink, once it is ready. */
async function oneCall(load: () => Promise<unknown>) {
  const { sink, ready } = otelSink(true, "9.8.7", load);
  await ready;
  const call = callEvent("retrieveConnection", "GET", "/connection/{connection_id}");
  const attempt = attemptEvent(call, 1);
  sink.callStart?.(call);
  sink.attemptStart?.(attempt);
  const active = sink.runAttempt?.(attempt, () => otel.trace.getActiveSpan());
  sink.attemptEnd?.(endEvent(attempt, { status: 200 }));
  sink.callEnd?.(endEvent(attempt, { status: 200 }));
  return active;
}

describe("openTelemetry: true, the api's import (mutation)", () => {
  test("the api not installed: ready rejects with the typed error saying what to do", async () => {
    const missing = Object.assign(new Error("Cannot find package '@opentelemetry/api'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const { ready } = otelSink(true, "9.8.7", () => Promise.reject(missing));
    const failure = await ready?.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NectarInvalidInputError);
    expect((failure as Error).message).toBe(
      "tracing.openTelemetry is true but @opentelemetry/api could not be imported: install it, or pass the module.",
    );
  });

  test.each([
    ["the named exports only", () => Promise.resolve({ trace: otel.trace, context: otel.context })],
    [
      "a bundle's interop object, the module under default",
      () => Promise.resolve({ default: otel }),
    ],
  ])("%s: spans with the client's tracer", async (_shape, load) => {
    const active = await oneCall(load);
    const spans = exporter.getFinishedSpans();
    const [call] = byName(spans, "nectar retrieveConnection");
    const [attempt] = byName(spans, "nectar retrieveConnection attempt");
    expect(attempt?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
    expect(active?.spanContext().spanId).toBe(attempt?.spanContext().spanId);
    expect(spans.map((span) => span.instrumentationScope)).toEqual([
      { name: "nectar-climate-connection", version: "9.8.7", schemaUrl: undefined },
      { name: "nectar-climate-connection", version: "9.8.7", schemaUrl: undefined },
    ]);
  });
});
