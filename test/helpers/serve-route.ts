/**
 * Serves a Next.js App Router route handler (a module exporting `POST(request: Request)`) on
 * node:http, as `next start` would: `tsx serve-route.ts <module>` prints `listening on <url>`.
 * Next.js itself is not needed to test a route handler: it is a function from a Fetch `Request`
 * to a `Response`, and this adapter hands it real ones. It listens on 127.0.0.1, on a free port.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startFetchServer } from "./fetch-server.ts";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: tsx serve-route.ts <route module>");
const route = (await import(pathToFileURL(path.resolve(file)).href)) as {
  POST?: (request: Request) => Promise<Response>;
};
const post = route.POST;
if (typeof post !== "function") throw new Error(`${file} exports no POST handler`);
const server = await startFetchServer((request) =>
  request.method === "POST" ? post(request) : new Response(null, { status: 405 }),
);
console.log(`listening on ${server.url}/webhooks/nectar`);
