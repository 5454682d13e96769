/**
 * A webhook receiver for the mock's tests: a real `node:http` server on 127.0.0.1 (port 0) that
 * records every delivery (headers and raw body) and answers each with the next scripted reply
 * (a status, a hang, a redirect), then 204 once the script is used up.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { expect } from "vitest";

/** One delivery as received. */
export interface ReceivedDelivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** When it arrived, by `Date.now()`. */
  readonly at: number;
}

/** How the receiver answers one delivery. */
export type ReceiverReply =
  | { status: number; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "reset" };

/** A running receiver. */
export interface Receiver {
  /** Its URL, `http://127.0.0.1:<port>/webhooks/nectar`. */
  readonly url: string;
  readonly received: ReceivedDelivery[];
  /** Queues replies for the next deliveries. */
  reply(...replies: ReceiverReply[]): void;
  /** Resolves once `count` deliveries arrived (fails the test after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  /** Stops it, destroying every socket (hung ones too). */
  close(): Promise<void>;
}

/** Answers one delivery as `reply` says. */
function answer(res: ServerResponse, socket: Socket, reply: ReceiverReply | undefined): void {
  if (reply === undefined) {
    res.writeHead(204).end();
    return;
  }
  if ("kind" in reply) {
    if (reply.kind === "reset") socket.destroy();
    return; // a hang: never answered
  }
  res.writeHead(reply.status, reply.headers).end();
}

/** Starts a receiver. */
export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedDelivery[] = [];
  const replies: ReceiverReply[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      });
      answer(res, req.socket, replies.shift());
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}/webhooks/nectar`,
    received,
    reply: (...more) => replies.push(...more),
    async waitFor(count, timeoutMs = 10_000) {
      await expect
        .poll(() => received.length, { timeout: timeoutMs, interval: 10 })
        .toBeGreaterThanOrEqual(count);
      return received.slice(0, count);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port just freed). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${address.port}/webhooks/nectar`;
}
