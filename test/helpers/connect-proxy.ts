/**
 * A tiny forward proxy on 127.0.0.1 for the proxy tests: it answers `CONNECT host:port` by
 * opening a tunnel (or refusing it with a status the test picks, or with 407 when credentials
 * are required and missing) and relays bytes both ways. It records every byte a client sent it,
 * which is everything the proxy could read, and counts the tunnels it opened.
 */
import { createServer, type IncomingMessage } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";

/** How the proxy behaves. */
export interface ProxyBehaviour {
  /** `user:pass` the proxy requires in `Proxy-Authorization: Basic …`; none when absent. */
  readonly credentials?: string;
  /** Refuse every tunnel with this status (e.g. 403); tunnels open when absent. */
  readonly refuseWith?: number;
}

/** A running proxy and what it saw. */
export interface TestProxy {
  /** `http://127.0.0.1:<port>` (no credentials). */
  readonly url: string;
  readonly port: number;
  /** Tunnels opened so far. */
  readonly tunnels: number;
  /** The `CONNECT` targets asked for, in order (`host:port`). */
  readonly targets: readonly string[];
  /** Everything the clients sent, as latin1 text (request lines, headers, tunnelled bytes). */
  seen(): string;
  close(): Promise<void>;
}

/** The request line and headers of a proxy request, as sent. */
function headText(request: IncomingMessage): string {
  const lines = [`${request.method} ${request.url} HTTP/${request.httpVersion}`];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    lines.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
  }
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** The status a `CONNECT` gets, or 200 to open the tunnel. */
function statusFor(request: IncomingMessage, behaviour: ProxyBehaviour): number {
  if (behaviour.credentials !== undefined) {
    const expected = `Basic ${Buffer.from(behaviour.credentials).toString("base64")}`;
    if (request.headers["proxy-authorization"] !== expected) return 407;
  }
  return behaviour.refuseWith ?? 200;
}

/** Starts a proxy; close it when done. */
export async function startConnectProxy(behaviour: ProxyBehaviour = {}): Promise<TestProxy> {
  const chunks: Buffer[] = [];
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  let tunnels = 0;
  const server = createServer((request, response) => {
    // Plain proxy requests are not used by undici's agents (they always tunnel): refuse them.
    chunks.push(Buffer.from(headText(request), "latin1"));
    response.writeHead(501).end();
  });
  server.on("connect", (request: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    chunks.push(Buffer.from(headText(request), "latin1"), head);
    targets.push(request.url ?? "");
    client.on("data", (chunk: Buffer) => chunks.push(chunk));
    client.on("error", () => client.destroy());
    const status = statusFor(request, behaviour);
    if (status !== 200) {
      client.end(
        `HTTP/1.1 ${status} Refused\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    const [host, port] = (request.url ?? "").split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host?.replace(/^\[|\]$/g, "") ?? "", () => {
      tunnels++;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get tunnels() {
      return tunnels;
    },
    targets,
    seen: () => Buffer.concat(chunks).toString("latin1"),
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
