/**
 * OpenTelemetry for the tracing tests: the SDK's in-memory exporter behind the global tracer
 * provider, with an async-hooks context manager, installed for one test file and reset before
 * each test; and two calls of which the second queues behind the first.
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
import type { NectarClientOptions } from "../../src/index.js";
import { createObservedClient, json, seedFor } from "./client.js";

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

/**
 * Two `retrieve(id)` calls of a client with `maxConcurrency: 1` and `tracing`, the second asked for
 * while the first holds the only slot (its answer held until then), so that it queues. Resolves
 * to both connections and the client's log lines.
 */
export async function twoQueuedRetrieves(id: string, tracing: NectarClientOptions["tracing"]) {
  let inFlight: () => void = () => {};
  const firstSent = new Promise<void>((resolve) => {
    inFlight = resolve;
  });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const { client, logs } = createObservedClient(
    async (request) => {
      if (request.index === 1) {
        inFlight();
        await gate;
      }
      return json(200, seedFor(request));
    },
    { maxConcurrency: 1, tracing },
  );
  const first = client.connections.retrieve(id);
  await firstSent;
  const second = client.connections.retrieve(id);
  await new Promise((resolve) => setImmediate(resolve));
  release();
  return { connections: await Promise.all([first, second]), logs };
}
