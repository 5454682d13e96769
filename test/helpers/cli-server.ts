/**
 * An API on 127.0.0.1 for the CLI's process tests: it answers (or never answers) with a
 * handler the test writes, counts what reaches it by method, tells when a request arrives, and
 * counts the requests the client gave up on (the socket closed before an answer was sent).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TEST_API_KEY } from "./fixtures.js";

/** Answers one request; return without answering to leave it hanging. */
export type ApiHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** A started API and what reached it. */
export interface TestApi {
  /** `--base-url` and `--api-key` for it. */
  readonly flags: readonly string[];
  /** The base URL, `http://127.0.0.1:<port>/v2.2`. */
  readonly baseUrl: string;
  /** `METHOD path` of every request, in arrival order. */
  readonly requests: string[];
  /** Requests with this method so far. */
  count(method: string): number;
  /** Requests whose socket closed before they were answered (the client aborted them). */
  readonly abandoned: number;
  /** Resolves when the `n`th request (from 1) has arrived. */
  arrived(n?: number): Promise<void>;
  close(): Promise<void>;
}

/** Leaves a request unanswered until its client gives up. */
export const hang: ApiHandler = () => {};

/** Starts an API answering with `handler`. */
export async function startApi(handler: ApiHandler): Promise<TestApi> {
  const requests: string[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  let abandoned = 0;
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    for (const wait of waiting.filter((w) => requests.length >= w.n)) wait.resolve();
    response.on("close", () => {
      if (!response.writableFinished) abandoned++;
    });
    request.resume();
    request.on("end", () => handler(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/v2.2`;
  return {
    flags: ["--base-url", baseUrl, "--api-key", TEST_API_KEY],
    baseUrl,
    requests,
    count: (method) => requests.filter((line) => line.startsWith(`${method} `)).length,
    get abandoned() {
      return abandoned;
    },
    arrived: (n = 1) =>
      requests.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.push({ n, resolve })),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends `body` as JSON with `status`. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** The last segment of a request's path (the id it names). */
export const lastSegment = (request: IncomingMessage): string =>
  (request.url ?? "").split("?")[0]?.split("/").filter(Boolean).at(-1) ?? "";
