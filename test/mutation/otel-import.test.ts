/**
 * Mutation tests of `src/core/otel.ts` with `openTelemetry: true` (the api imported by the
 * client itself): every handler reaches the imported api, so a retried call is one call span
 * with two attempt spans under it, each fetch in its attempt's context, as with the module given;
 * a wait for a slot is an event of the waiting call's span; a first call through `client.raw`
 * waits for the import too, so it is traced like any other.
 */
import * as otel from "@opentelemetry/api";
import { describe, expect, test } from "vitest";
import { createObservedClient, json, seedFor } from "../helpers/client.ts";
import { connections, errorBodies } from "../helpers/fixtures.ts";
import { byName, twoQueuedRetrieves, useInMemoryTracing } from "../helpers/otel.ts";

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

  test("a first call through client.raw waits for the import: its call and attempt spans", async () => {
    const { client } = createObservedClient((request) => json(200, seedFor(request)), {
      tracing: { openTelemetry: true },
    });
    const { response } = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
    });
    expect(response.status).toBe(200);
    const spans = exporter.getFinishedSpans();
    const [call] = byName(spans, "nectar raw");
    expect(call?.attributes["http.response.status_code"]).toBe(200);
    expect(
      byName(spans, "nectar raw attempt").map((span) => span.parentSpanContext?.spanId),
    ).toEqual([call?.spanContext().spanId]);
  });

  test("a call queued behind another: a nectar.queue.wait event on its own call span", async () => {
    // The first call holds the only slot until its answer is read: the second must queue.
    await twoQueuedRetrieves(ID, { openTelemetry: true });
    const calls = byName(exporter.getFinishedSpans(), "nectar retrieveConnection").sort(
      (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
    );
    expect(calls.map((span) => span.events.map((event) => event.name))).toEqual([
      [],
      ["nectar.queue.wait"],
    ]);
    expect(calls[1]?.events[0]?.attributes).toMatchObject({
      "nectar.attempt": 1,
      "nectar.queue.wait_ms": expect.any(Number),
    });
  });
});
