/**
 * OpenTelemetry spans, when the caller turns them on: one span per call, a child per attempt
 * (`http.request.resend_count` 0, 1, 2…), the waits for a concurrency slot as events of the call
 * span. Each attempt's `fetch` runs in its span's context, so the HTTP client's own spans
 * (OpenTelemetry's undici instrumentation) nest under it. `@opentelemetry/api` is an optional
 * peer dependency: the caller passes it, or `true` has it imported on the first call.
 */
import { NectarInvalidInputError } from "./errors.js";
import type { AttemptEvent, CallEvent, EndEvent, QueueEvent, Sink } from "./observe.js";
import { importAtRunTime, loadOptional, type ModuleLoader } from "./optional-module.js";

/** The attribute values the client sets. */
type Attributes = Record<string, string | number>;

/** The part of an OpenTelemetry span the client uses. */
export interface OtelSpan {
  /** Sets one attribute. */
  setAttribute(key: string, value: string | number): unknown;
  /** Adds a timed event (the client's waits for a slot). */
  addEvent(name: string, attributes?: Record<string, string | number>): unknown;
  /** Marks the span as failed (`code` 2). */
  setStatus(status: { code: number; message?: string }): unknown;
  /** Ends the span. */
  end(): void;
}

/** The part of an OpenTelemetry tracer the client uses. */
export interface OtelTracer {
  /** Starts a span (kind INTERNAL) as a child of `context`. */
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: Record<string, string | number> },
    context?: never,
  ): OtelSpan;
}

/**
 * What the client uses of `@opentelemetry/api`: pass the module itself
 * (`import * as otel from "@opentelemetry/api"`).
 */
export interface OpenTelemetryApi {
  /** `trace`: the tracer named `nectar-climate-connection`, and spans put in a context. */
  readonly trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: never, span: OtelSpan): unknown;
  };
  /** `context`: the active context, and running a function in another. */
  readonly context: {
    active(): unknown;
    with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
      context: never,
      fn: F,
      thisArg?: ThisParameterType<F>,
      ...args: A
    ): ReturnType<F>;
  };
}

/** The `tracing` option. */
export interface TracingOptions {
  /**
   * OpenTelemetry spans: the `@opentelemetry/api` module, or `true` to import it (on the first
   * call, which waits for it). Default off: no span, nothing imported.
   */
  openTelemetry?: OpenTelemetryApi | true | undefined;
}

/** SpanKind.INTERNAL: the client's spans wrap the HTTP client's own CLIENT spans. */
const INTERNAL = 0;
/** SpanStatusCode.ERROR */
const ERROR = 2;
/** The module name, in a variable so that bundlers leave the import to run time. */
const OTEL_API = "@opentelemetry/api";

/** Checks the `tracing` option. */
export function checkTracing(value: unknown, name: string): TracingOptions {
  const otel = (value as TracingOptions | null)?.openTelemetry;
  const keysOk =
    typeof value === "object" &&
    value !== null &&
    Object.keys(value).every((key) => key === "openTelemetry");
  const apiLike =
    otel === undefined ||
    otel === true ||
    (typeof otel === "object" && otel !== null && "trace" in otel && "context" in otel);
  if (keysOk && apiLike) return value as TracingOptions;
  throw new NectarInvalidInputError(
    `${name} must be { openTelemetry: true } or { openTelemetry: <the @opentelemetry/api module> }.`,
  );
}

/** Loads `@opentelemetry/api` (its module namespace, or a bundle's interop object). */
export type ApiLoader = ModuleLoader;

/** Imports `@opentelemetry/api` with `load`, or says how to get it. */
const importApi = (load: ApiLoader): Promise<OpenTelemetryApi> =>
  loadOptional<OpenTelemetryApi>(
    load,
    (loaded) => typeof loaded.trace === "object",
    "tracing.openTelemetry is true but @opentelemetry/api could not be imported: install it, or pass the module.",
  );

/** Ends a span with the end event's outcome. */
function endSpan(span: OtelSpan, event: EndEvent, attributes: Attributes): void {
  for (const [key, value] of Object.entries(attributes)) span.setAttribute(key, value);
  if (event.status !== undefined) span.setAttribute("http.response.status_code", event.status);
  if (event.requestId !== undefined) span.setAttribute("nectar.request_id", event.requestId);
  if (event.errorName !== undefined) {
    span.setAttribute("error.type", event.errorName);
    span.setStatus({ code: ERROR, message: event.errorName });
  }
  span.end();
}

/** The attributes every span of a call carries. */
function callAttributes(event: CallEvent): Attributes {
  return {
    "nectar.operation": event.operationId,
    "http.request.method": event.method,
    "url.template": event.path,
  };
}

/** The spans of the calls in flight, by call id, with the context that holds each. */
type CallSpans = Map<number, { span: OtelSpan; context: unknown }>;

/** The handlers of the call spans: started in the caller's active context, waits as events. */
function callHandlers(api: OpenTelemetryApi, tracer: OtelTracer, calls: CallSpans): Sink {
  return {
    callStart: (event) => {
      const attributes = callAttributes(event);
      const active = api.context.active() as never;
      const name = `nectar ${event.operationId}`;
      const span = tracer.startSpan(name, { kind: INTERNAL, attributes }, active);
      calls.set(event.callId, { span, context: api.trace.setSpan(active, span) });
    },
    queued: (event: QueueEvent) => {
      calls.get(event.callId)?.span.addEvent("nectar.queue.wait", {
        "nectar.queue.wait_ms": event.waitMs,
        "nectar.attempt": event.attempt,
      });
    },
    callEnd: (event) => {
      const call = calls.get(event.callId);
      calls.delete(event.callId);
      if (call) endSpan(call.span, event, { "nectar.attempts": event.attempt });
    },
  };
}

/** The handlers of the attempt spans: children of their call's, each fetch in its context. */
function attemptHandlers(api: OpenTelemetryApi, tracer: OtelTracer, calls: CallSpans): Sink {
  const attempts = new Map<string, OtelSpan>();
  const keyOf = (event: AttemptEvent) => `${event.callId}:${event.attempt}`;
  const parentOf = (event: AttemptEvent) =>
    (calls.get(event.callId)?.context ?? api.context.active()) as never;
  return {
    attemptStart: (event) => {
      const attributes = {
        ...callAttributes(event),
        "http.request.resend_count": event.attempt - 1,
      };
      const name = `nectar ${event.operationId} attempt`;
      attempts.set(
        keyOf(event),
        tracer.startSpan(name, { kind: INTERNAL, attributes }, parentOf(event)),
      );
    },
    runAttempt: (event, send) => {
      const span = attempts.get(keyOf(event));
      if (span === undefined) return send();
      return api.context.with(api.trace.setSpan(parentOf(event), span) as never, send);
    },
    attemptEnd: (event) => {
      const span = attempts.get(keyOf(event));
      attempts.delete(keyOf(event));
      const delay: Attributes =
        event.retryDelayMs === undefined ? {} : { "nectar.retry_delay_ms": event.retryDelayMs };
      if (span) endSpan(span, event, delay);
    },
  };
}

/** The sink making spans with `api`. */
function spanSink(api: OpenTelemetryApi, version: string): Sink {
  const tracer = api.trace.getTracer("nectar-climate-connection", version);
  const calls: CallSpans = new Map();
  return { ...callHandlers(api, tracer, calls), ...attemptHandlers(api, tracer, calls) };
}

/**
 * The OpenTelemetry sink of a client, and a promise to await first when the api is still being
 * imported (`option` true: with `load`, by default the run-time import of `@opentelemetry/api`).
 * `ready` rejects with a `NectarInvalidInputError` when the api cannot be loaded.
 */
export function otelSink(
  option: OpenTelemetryApi | true,
  version: string,
  load: ApiLoader = importAtRunTime(OTEL_API),
): { sink: Sink; ready?: Promise<void> } {
  if (option !== true) return { sink: spanSink(option, version) };
  // No handler until the api is imported: the observer looks a handler up at each event, and
  // every call waits for `ready` before its first one, so none is missed.
  const sink: Sink = {};
  const ready = importApi(load).then((api) => {
    Object.assign(sink, spanSink(api, version));
  });
  ready.catch(() => undefined);
  return { sink, ready };
}
