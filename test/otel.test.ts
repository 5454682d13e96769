/**
 * OpenTelemetry spans with the SDK's in-memory exporter: a call with one retry is one call span
 * with two attempt spans (`http.request.resend_count` 0 and 1) under it, nested in the caller's
 * active span; each attempt's fetch runs in its attempt span's context (where the undici
 * instrumentation would start its own span); a queued call has a wait event; a failed call is
 * an error span; no attribute holds the key, an id or a body.
 */
import * as otel from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { NectarInvalidInputError } from "../src/index.js";
import { createObservedClient, json, rejectionOf, seedFor } from "./helpers/client.js";
import { connections, errorBodies, TEST_API_KEY } from "./helpers/fixtures.js";
import { byName, useInMemoryTracing } from "./helpers/otel.js";

const ID = connections.seed().id;
const exporter = useInMemoryTracing();

/** 503 on the first request, then the connection; records the span active in each fetch. */
function retryOnceRecording(active: (string | undefined)[]) {
  return (request: { url: string; index: number }) => {
    active.push(otel.trace.getActiveSpan()?.spanContext().spanId);
    return request.index === 1
      ? json(503, errorBodies.serverError(), { "x-request-id": "req-503" })
      : json(200, seedFor(request), { "x-request-id": "req-200" });
  };
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("OpenTelemetry spans", () => {
  it("a call with one retry: a call span, two attempt spans under it, fetch in the attempt's context", async () => {
    const active: (string | undefined)[] = [];
    const { client } = createObservedClient(retryOnceRecording(active), {
      tracing: { openTelemetry: otel },
    });
    const tracer = otel.trace.getTracer("test");
    await tracer.startActiveSpan("job", async (job) => {
      await client.connections.retrieve(ID);
      job.end();
    });
    const spans = exporter.getFinishedSpans();
    const [job] = byName(spans, "job");
    const [call] = byName(spans, "nectar retrieveConnection");
    const attempts = byName(spans, "nectar retrieveConnection attempt");
    expect(parentOf(call as ReadableSpan)).toBe(job?.spanContext().spanId);
    expect(attempts.map((span) => parentOf(span))).toEqual([
      call?.spanContext().spanId,
      call?.spanContext().spanId,
    ]);
    expect(attempts.map((span) => span.attributes["http.request.resend_count"])).toEqual([0, 1]);
    expect(active).toEqual(attempts.map((span) => span.spanContext().spanId));
    expect(attempts[0]?.attributes).toMatchObject({
      "http.response.status_code": 503,
      "nectar.request_id": "req-503",
      "nectar.retry_delay_ms": expect.any(Number),
      "url.template": "/connection/{connection_id}",
    });
    expect(call?.attributes).toMatchObject({
      "nectar.operation": "retrieveConnection",
      "http.request.method": "GET",
      "http.response.status_code": 200,
      "nectar.request_id": "req-200",
      "nectar.attempts": 2,
    });
    const text = JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]));
    for (const secret of [TEST_API_KEY, ID]) expect(text).not.toContain(secret);
  });

  it("records the wait for a slot as an event of the call span", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { client } = createObservedClient(
      async (request) => {
        if (request.index === 1) await gate;
        return json(200, seedFor(request));
      },
      { maxConcurrency: 1, tracing: { openTelemetry: otel } },
    );
    const both = Promise.all([client.connections.retrieve(ID), client.connections.retrieve(ID)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await both;
    const waits = byName(exporter.getFinishedSpans(), "nectar retrieveConnection").flatMap(
      (span) => span.events,
    );
    expect(waits).toHaveLength(1);
    expect(waits[0]?.name).toBe("nectar.queue.wait");
    expect(waits[0]?.attributes?.["nectar.queue.wait_ms"]).toBeGreaterThan(0);
  });

  it("marks a failed call as an error span with the error's class", async () => {
    const { client } = createObservedClient(() => json(404, errorBodies.notFound()), {
      tracing: { openTelemetry: otel },
    });
    await rejectionOf(client.connections.retrieve(ID));
    const [call] = byName(exporter.getFinishedSpans(), "nectar retrieveConnection");
    expect(call?.status.code).toBe(otel.SpanStatusCode.ERROR);
    expect(call?.attributes["error.type"]).toBe("NectarNotFoundError");
  });

  it("imports the api itself with openTelemetry: true, before the first call", async () => {
    const { client } = createObservedClient((request) => json(200, seedFor(request)), {
      tracing: { openTelemetry: true },
    });
    await client.connections.retrieve(ID);
    expect(byName(exporter.getFinishedSpans(), "nectar retrieveConnection attempt")).toHaveLength(
      1,
    );
  });

  it("makes no span when tracing is off", async () => {
    const { client } = createObservedClient((request) => json(200, seedFor(request)));
    await client.connections.retrieve(ID);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("refuses a tracing option it cannot use", () => {
    for (const tracing of [{ openTelemetry: "yes" }, { otel: true }, { openTelemetry: {} }]) {
      expect(() =>
        createObservedClient(() => json(200, {}), { tracing: tracing as never }),
      ).toThrow(NectarInvalidInputError);
    }
  });
});
