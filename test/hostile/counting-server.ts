/**
 * Run by wire-cap.test.ts as a separate process (fork): an HTTP server on 127.0.0.1 that counts
 * the requests open at once. Each request is held a random 0–20 ms, then answered with a small
 * body. Messages: it sends `{ port }` once listening; on `"stats"` it replies
 * `{ requests, open, maxOpen }`; on `"close"` it exits.
 *
 * A request is open from its arrival until the server has answered it, or learnt that the
 * client closed it. The server learns that from the socket (end of stream, reset), or earlier
 * from the client itself: each request names, in `x-released`, the attempts whose connections
 * the client released before sending it (the test's fetch records them). Without the header, a
 * loaded machine may hand the server a new request before the end of a connection the client
 * had closed earlier (a control run with bare `fetch` and 10 workers shows it), and the count
 * would include connections that were no longer open.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const BODY = JSON.stringify({ id: "00000000-0000-4000-8000-000000000000" });
let requests = 0;
let maxOpen = 0;
/** Attempt ids open now, and ids the client said it released (possibly before they arrived). */
const open = new Set<string>();
const released = new Set<string>();

const server = createServer((request, response) => {
  requests++;
  for (const id of String(request.headers["x-released"] ?? "").split(",")) {
    if (id === "") continue;
    released.add(id);
    open.delete(id);
  }
  const id = String(request.headers["x-attempt"]);
  if (!released.has(id)) open.add(id);
  maxOpen = Math.max(maxOpen, open.size);
  const { socket } = request;
  const done = () => {
    open.delete(id);
    socket.off("end", done);
    socket.off("error", done);
  };
  response.on("finish", done);
  response.on("close", done);
  socket.on("end", done);
  socket.on("error", done);
  const timer = setTimeout(
    () => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(BODY);
    },
    Math.floor(Math.random() * 21),
  );
  response.on("close", () => clearTimeout(timer));
});

server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on("message", (message) => {
  if (message === "stats") process.send?.({ requests, open: open.size, maxOpen });
  if (message === "close") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
