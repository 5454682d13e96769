/**
 * Hostile servers for the hostile-network suite: real `node:http` servers on 127.0.0.1 that
 * count what reaches them (requests, and the API key in any header), answer with a handler the
 * test writes, and are closed (every socket destroyed) when the test file ends.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { NectarClientOptions } from "../../src/index.js";
import { TEST_API_KEY } from "../helpers/fixtures.js";
import { recordForRedaction } from "../setup/redaction.js";

/** One request as the server saw it. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A server on 127.0.0.1 and what reached it. */
export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  requests: Seen[];
  /** Requests that carried the test API key in any header. */
  readonly keysSeen: number;
  close(): Promise<void>;
}

/** Answers one request; `seen` is already recorded. */
export type HostileHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  seen: Seen,
) => void | Promise<void>;

const open: Server[] = [];

/** Starts a server; `handler` answers every request once its body has been read. */
export async function startServer(handler: HostileHandler): Promise<HostileServer> {
  const requests: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const seen: Seen = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(seen);
      Promise.resolve(handler(request, response, seen)).catch(() => response.destroy());
    });
  });
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    get keysSeen() {
      return requests.filter((seen) =>
        Object.values(seen.headers).some((value) => String(value).includes(TEST_API_KEY)),
      ).length;
    },
    close: () => closeServer(server),
  };
}

/** Closes a server and destroys its sockets. */
export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Closes every server this file started. */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map(closeServer));
}

/** Client options for a server: the test key, fast retries, logs recorded for the redaction check. */
export function optionsFor(server: { origin: string }, extra: NectarClientOptions = {}) {
  const record = (message: string, ...details: unknown[]) =>
    recordForRedaction({ message, details });
  return {
    apiKey: TEST_API_KEY,
    baseUrl: `${server.origin}/v2.2`,
    logLevel: "debug",
    logger: { error: record, warn: record, info: record, debug: record },
    sleep: async () => {},
    timeoutMs: 2_000,
    ...extra,
  } satisfies NectarClientOptions;
}

/** Awaits a promise that must reject; records the error for the redaction check and returns it. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    recordForRedaction(error);
    return error;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
