/**
 * OpenTelemetry for the tracing tests: the SDK's in-memory exporter behind the global tracer
 * provider, with an async-hooks context manager, installed for one test file and reset before
 * each test.
 */
import * as otel from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach } from "vitest";

/** Installs the in-memory tracer for the calling file; returns the exporter holding its spans. */
export function useInMemoryTracing(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => {
    otel.context.setGlobalContextManager(manager.enable());
    otel.trace.setGlobalTracerProvider(provider);
  });
  afterAll(() => {
    otel.trace.disable();
    otel.context.disable();
  });
  beforeEach(() => exporter.reset());
  return exporter;
}

/** The spans named `name`. */
export const byName = (spans: ReadableSpan[], name: string): ReadableSpan[] =>
  spans.filter((span) => span.name === name);
