/**
 * The HTTP transport's server, run in its own process (started and stopped by
 * `bench/overhead.ts`) so that it does not share the client's event loop.
 *
 * Answers `GET {prefix}/connection/{id}` with the payload (200, JSON, keep-alive); 401 when the
 * `x-api-key` header is not the bench key, 404 on any other path. It reports its port to the
 * parent over IPC as `{ port }` and exits when the parent disconnects or sends `"stop"`.
 */
import { createServer } from "node:http";
import { BENCH_API_KEY, HTTP_PREFIX, loadPayload, RESPONSE_HEADERS } from "./common.ts";

/** Starts the server and reports its port. */
function main(): void {
  const payload = loadPayload();
  const body = Buffer.from(payload.body);
  const expectedPath = `${HTTP_PREFIX}/connection/${payload.connectionId}`;
  const server = createServer((request, response) => {
    const status =
      request.headers["x-api-key"] !== BENCH_API_KEY
        ? 401
        : request.url !== expectedPath
          ? 404
          : 200;
    response.writeHead(status, {
      ...RESPONSE_HEADERS,
      "content-length": String(status === 200 ? body.length : 2),
    });
    response.end(status === 200 ? body : "{}");
  });
  // Keep idle connections open between rounds, longer than undici's own 4 s idle timeout.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    process.send?.({ port: address.port });
  });
  const stop = () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  process.on("message", (message) => {
    if (message === "stop") stop();
  });
  process.on("disconnect", stop);
}

main();
