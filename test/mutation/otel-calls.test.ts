/**
 * Mutation tests of `src/core/otel.ts`, the spans of several calls and a tracer that is not the
 * SDK's: two calls in flight at once each get their own attempt span under their own call span;
 * the api passed is the one used, and it is never handed an attribute without a value nor an
 * error status for a success; a tracer whose `startSpan` throws costs its own warnings only (the
 * calls go on, a failed attempt span leaves the fetch in the caller's context).
 */
import * as otel from "@opentelemetry/api";
import { describe, expect, test } from "vitest";
import type { OpenTelemetryApi, OtelSpan } from "../../src/core/otel.ts";
import { createObservedClient, json, rejectionOf, seedFor } from "../helpers/client.ts";
import { connections, errorBodies } from "../helpers/fixtures.ts";
import { byName, twoQueuedRetrieves, useInMemoryTracing } from "../helpers/otel.ts";

const ID = connections.seed().id;
const OTHER_ID = connections.deactivated().id;
const exporter = useInMemoryTracing();

/** What a tracer was asked to do: [span name, attribute key or "status", value]. */
type Recorded = [string, string, unknown];

/**
 * The real api, its tracer wrapped: `startSpan` throws for the names `fails` accepts, and every
 * `setAttribute` / `setStatus` of the other spans is recorded before it reaches the SDK.
 */
function wrappedApi(recorded: Recorded[], fails: (name: string) => boolean): OpenTelemetryApi {
  const record = (name: string, span: otel.Span): OtelSpan =>
    new Proxy(span, {
      get(target, key) {
        if (key === "setAttribute")
          return (attribute: string, value: string | number) => {
            recorded.push([name, attribute, value]);
            return target.setAttribute(attribute, value);
          };
        if (key === "setStatus")
          return (status: otel.SpanStatus) => {
            recorded.push([name, "status", status.code]);
            return target.setStatus(status);
          };
        const value: unknown = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return {
    context: otel.context,
    trace: {
      setSpan: (context, span) => otel.trace.setSpan(context, span as otel.Span),
      getTracer: (name, version) => {
        const tracer = otel.trace.getTracer(name, version);
        return {
          startSpan: (spanName, options, context) => {
            if (fails(spanName)) throw new Error("tracer down");
            return record(spanName, tracer.startSpan(spanName, options, context));
          },
        };
      },
    },
  };
}

/** The warnings a broken tracer cost. */
const tracerWarnings = (logs: { level: string; message: string }[]) =>
  logs.filter((line) => line.level === "warn").map((line) => line.message);

describe("OpenTelemetry spans of concurrent calls (mutation)", () => {
  test("two calls in flight at once: each attempt span under its own call span", async () => {
    const active = new Map<string, string | undefined>();
    let arrived: () => void = () => {};
    const both = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const { client } = createObservedClient(
      async (request) => {
        active.set(request.url, otel.trace.getActiveSpan()?.spanContext().spanId);
        if (request.index === 2) arrived();
        await both;
        return request.url.endsWith(OTHER_ID)
          ? json(404, errorBodies.notFound())
          : json(200, seedFor(request));
      },
      { tracing: { openTelemetry: otel } },
    );
    const found = client.connections.retrieve(ID);
    const missing = rejectionOf(client.connections.retrieve(OTHER_ID));
    await Promise.all([found, missing]);
    const spans = exporter.getFinishedSpans();
    const calls = byName(spans, "nectar retrieveConnection");
    const attempts = byName(spans, "nectar retrieveConnection attempt");
    expect(attempts).toHaveLength(2);
    for (const status of [200, 404]) {
      const call = calls.find((span) => span.attributes["http.response.status_code"] === status);
      const attempt = attempts.find(
        (span) => span.parentSpanContext?.spanId === call?.spanContext().spanId,
      );
      expect(attempt?.attributes["http.response.status_code"]).toBe(status);
      const url = [...active.keys()].find((key) => key.endsWith(status === 200 ? ID : OTHER_ID));
      expect(active.get(url ?? "")).toBe(attempt?.spanContext().spanId);
    }
  });
});

describe("the api passed, as a tracer sees it (mutation)", () => {
  test("the given api makes the spans; no attribute without a value, no error status for a success", async () => {
    const recorded: Recorded[] = [];
    const { client } = createObservedClient(
      (request) => {
        if (request.index === 1)
          throw new TypeError("fetch failed", { cause: { code: "ECONNRESET" } });
        return json(200, seedFor(request));
      },
      { tracing: { openTelemetry: wrappedApi(recorded, () => false) } },
    );
    await client.connections.retrieve(ID);
    expect(
      recorded.filter(([, , value]) => typeof value !== "string" && typeof value !== "number"),
    ).toEqual([]);
    expect(recorded.filter(([, key]) => key === "status")).toEqual([
      ["nectar retrieveConnection attempt", "status", otel.SpanStatusCode.ERROR],
    ]);
    expect(recorded.filter(([, key]) => key === "nectar.retry_delay_ms")).toEqual([
      ["nectar retrieveConnection attempt", "nectar.retry_delay_ms", expect.any(Number)],
    ]);
    const statuses = exporter.getFinishedSpans().map((span) => [span.name, span.status.code]);
    expect(statuses).toEqual([
      ["nectar retrieveConnection attempt", otel.SpanStatusCode.ERROR],
      ["nectar retrieveConnection attempt", otel.SpanStatusCode.UNSET],
      ["nectar retrieveConnection", otel.SpanStatusCode.UNSET],
    ]);
  });
});

describe("a tracer whose startSpan throws (mutation)", () => {
  test("no call span: the calls go on, queued or not, one warning per failed span", async () => {
    const api = wrappedApi([], (name) => name === "nectar retrieveConnection");
    const { connections: both, logs } = await twoQueuedRetrieves(ID, { openTelemetry: api });
    expect(both.map((connection) => connection.id)).toEqual([ID, ID]);
    expect(tracerWarnings(logs)).toEqual([
      "[nectar] a tracing subscriber failed: Error: tracer down",
      "[nectar] a tracing subscriber failed: Error: tracer down",
    ]);
    expect(byName(exporter.getFinishedSpans(), "nectar retrieveConnection attempt")).toHaveLength(
      2,
    );
  });

  test("no attempt span: the fetch runs in the caller's context, one warning, the call span ends", async () => {
    const active: (string | undefined)[] = [];
    const api = wrappedApi([], (name) => name.endsWith(" attempt"));
    const { client, logs } = createObservedClient(
      (request) => {
        active.push(otel.trace.getActiveSpan()?.spanContext().spanId);
        return json(200, seedFor(request));
      },
      { tracing: { openTelemetry: api } },
    );
    const job = await otel.trace.getTracer("test").startActiveSpan("job", async (span) => {
      await client.connections.retrieve(ID);
      span.end();
      return span;
    });
    expect(active).toEqual([job.spanContext().spanId]);
    expect(tracerWarnings(logs)).toEqual([
      "[nectar] a tracing subscriber failed: Error: tracer down",
    ]);
    const [call] = byName(exporter.getFinishedSpans(), "nectar retrieveConnection");
    expect(call?.attributes["http.response.status_code"]).toBe(200);
  });
});
