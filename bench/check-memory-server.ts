/**
 * The API of `bench/check-memory.ts`, in its own process so that neither its memory nor its
 * event loop counts against the CLI's: answers `GET …/connection/{id}` with the spec's
 * PASSWORD_INCORRECT example under the id asked for (200, JSON, keep-alive). Reports its port
 * over IPC as `{ port }`, and `{ requests }` on `"count"`; exits on `"stop"` or a disconnect.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const spec = JSON.parse(
  readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
) as { components: { examples: Record<string, { value: { id: string } }> } };
const example = spec.components.examples.ConnectionPasswordIncorrect?.value;
if (example === undefined) throw new Error("no ConnectionPasswordIncorrect example");
const [before, after] = JSON.stringify(example).split(example.id);

let requests = 0;
const server = createServer((request, response) => {
  requests++;
  const id = (request.url ?? "").split("/").at(-1) ?? "";
  const body = `${before}${id}${after}`;
  response.writeHead(200, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
  });
  response.end(body);
});
server.keepAliveTimeout = 60_000;
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
  if (message === "count") process.send?.({ requests });
  if (message === "stop") stop();
});
process.on("disconnect", stop);
