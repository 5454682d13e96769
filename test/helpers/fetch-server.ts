/**
 * A fetch-style handler (`(request: Request) => Promise<Response>`, the shape of a Next.js route
 * handler or a Worker) served by `node:http` on 127.0.0.1: each incoming request becomes a real
 * `Request` whose body streams from the socket, the handler's `Response` is written back. It
 * records how many bytes each connection had read when the answer went out, so a test can tell
 * a body refused unread from one read to the end.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

/** A handler in the Fetch API's terms. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** The running server. */
export interface FetchServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Bytes read from each request's socket when its response was sent, in order. */
  readonly bytesReadAtAnswer: number[];
  close(): Promise<void>;
}

/** The incoming message as a Fetch `Request`, its body streamed, not buffered. */
export function toRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, one);
    }
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", origin), {
    method: incoming.method ?? "GET",
    headers,
    ...(hasBody
      ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: "half" }
      : {}),
  } as RequestInit);
}

/** Writes a Fetch `Response` to Node's response; closes the connection when the body was left unread. */
async function writeResponse(
  response: Response,
  outgoing: ServerResponse,
  incoming: IncomingMessage,
): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // An unread body would be drained to the end by node:http: close the connection instead.
  if (!incoming.complete) headers.connection = "close";
  outgoing.writeHead(response.status, headers);
  outgoing.end(Buffer.from(await response.arrayBuffer()));
  if (!incoming.complete) outgoing.on("finish", () => incoming.socket.destroy());
}

/** Starts the server; close it when done. */
export async function startFetchServer(handler: FetchHandler): Promise<FetchServer> {
  const bytesReadAtAnswer: number[] = [];
  let origin = "";
  const server = createServer((incoming, outgoing) => {
    Promise.resolve()
      .then(() => handler(toRequest(incoming, origin)))
      .then((response) => {
        bytesReadAtAnswer.push(incoming.socket.bytesRead);
        return writeResponse(response, outgoing, incoming);
      })
      .catch(() => {
        outgoing.statusCode = 500;
        outgoing.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    bytesReadAtAnswer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
