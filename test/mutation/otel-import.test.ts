/**
 * Mutation tests of `src/core/otel.ts` with `openTelemetry: true` (the api imported by the
 * client itself): every handler reaches the imported api, so a retried call is one call span
 * with two attempt spans under it, each fetch in its attempt's context, as with the module given.
 */
import * as otel from "@opentelemetry/api";
import { describe, expect, test } from "vitest";
import { createObservedClient, json, seedFor } from "../helpers/client.ts";
import { connections, errorBodies } from "../helpers/fixtures.ts";
import { byName, useInMemoryTracing } from "../helpers/otel.ts";

const ID = connections.seed().id;
const exporter = useInMemoryTracing();

describe("openTelemetry: true (mutation)", () => {
  test("a retried call: one ended call span, two attempt spans under it, fetch in each", async () => {
    const active: (string | undefined)[] = [];
    const { client } = createObservedClient(
      (request: { url: string; index: number }) => {
        active.push(otel.trace.getActiveSpan()?.spanContext().spanId);
        return request.index === 1
          ? json(503, errorBodies.serverError())
          : json(200, seedFor(request));
      },
      { tracing: { openTelemetry: true } },
    );
    await client.connections.retrieve(ID);
    const spans = exporter.getFinishedSpans();
    const calls = byName(spans, "nectar retrieveConnection");
    const attempts = byName(spans, "nectar retrieveConnection attempt");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.attributes["nectar.attempts"]).toBe(2);
    expect(spans.map((span) => span.instrumentationScope.name)).toEqual(
      spans.map(() => "nectar-climate-connection"),
    );
    const callId = calls[0]?.spanContext().spanId;
    expect(attempts.map((span) => span.parentSpanContext?.spanId)).toEqual([callId, callId]);
    expect(attempts.map((span) => span.attributes["http.response.status_code"])).toEqual([
      503, 200,
    ]);
    expect(active).toEqual(attempts.map((span) => span.spanContext().spanId));
  });
});
