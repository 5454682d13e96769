/**
 * A real client whose `fetch` is a handler passed in (no global mocks), observed: every request,
 * log line, sleep and thrown error is recorded, and fed to the redaction check.
 */

import type { Connection } from "../../generated/schema.js";
import {
  createNectarClient,
  type NectarClient,
  type NectarClientOptions,
} from "../../src/index.js";
import { recordForRedaction } from "../setup/redaction.js";
import { connections, TEST_API_KEY } from "./fixtures.js";

/** A request as the handler sees it. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
  /** 1 for the first request this client sent, 2 for the next… */
  index: number;
}

/** Answers a request: a Response, or a thrown error to simulate a network failure. */
export type Handler = (request: SeenRequest) => Response | Promise<Response>;

/** A JSON response. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/**
 * The spec's seed connection, answering for the id the request asked for (the last path
 * segment): the client refuses an answer that names another connection.
 */
export function seedFor(request: { url: string }): Connection {
  const path = new URL(request.url).pathname.replace(/\/+$/, "");
  return { ...connections.seed(), id: path.split("/").pop() ?? "" };
}

/** A log line as recorded. */
export interface LogLine {
  level: "error" | "warn" | "info" | "debug";
  message: string;
  details: unknown[];
}

/** A logger that keeps every line in `logs` (and has each checked for secrets after the test). */
export function recordingLogger(logs: LogLine[]) {
  const record =
    (level: LogLine["level"]) =>
    (message: string, ...details: unknown[]) => {
      const line = { level, message, details };
      logs.push(line);
      recordForRedaction(line);
    };
  return {
    error: record("error"),
    warn: record("warn"),
    info: record("info"),
    debug: record("debug"),
  };
}

/** An observed client and what it did. */
export interface Observed {
  client: NectarClient;
  requests: SeenRequest[];
  logs: LogLine[];
  /** The delays the client asked to sleep, in order. */
  sleeps: number[];
}

/** Waits `ms` of real time (for tests that need time to pass). */
export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates a client on `handler`. Defaults: the test key, `logLevel: "debug"` into `logs`,
 * and a sleep that records the delay and returns at once (rejecting if the signal aborted),
 * so retry tests do not wait. Pass `sleep` to override.
 */
export function createObservedClient(
  handler: Handler,
  options: NectarClientOptions = {},
): Observed {
  const requests: SeenRequest[] = [];
  const logs: LogLine[] = [];
  const sleeps: number[] = [];
  const client = createNectarClient({
    apiKey: TEST_API_KEY,
    logLevel: "debug",
    logger: recordingLogger(logs),
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (signal?.aborted) throw signal.reason;
    },
    fetch: async (input, init) => {
      const request = typeof input === "string" ? new Request(input, init) : input;
      const headers: Record<string, string> = {};
      new Headers(init?.headers ?? request.headers).forEach((value, key) => {
        headers[key] = value;
      });
      const seen: SeenRequest = {
        url: request.url,
        method: init?.method ?? request.method,
        headers,
        signal: init?.signal ?? undefined,
        index: requests.length + 1,
      };
      requests.push(seen);
      return handler(seen);
    },
    ...options,
  });
  recordForRedaction(client);
  return { client, requests, logs, sleeps };
}

/** Awaits a promise that must reject, records the error for the redaction check, returns it. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    recordForRedaction(error);
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
