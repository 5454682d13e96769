// A receiver for Nectar's webhooks on node:http alone. Run: NECTAR_WEBHOOK_SECRET=whsec_... npx tsx node-http.ts
import { createServer, type IncomingMessage } from "node:http";
import {
  createWebhookDeduper,
  type NectarWebhookEvent,
  NectarWebhookVerificationError,
  verifyWebhook,
} from "nectar-climate-connection";

const secret = process.env.NECTAR_WEBHOOK_SECRET ?? "";
const deduper = createWebhookDeduper(); // Nectar delivers at least once: drop re-deliveries
const MAX_BODY_BYTES = 1024 * 1024;

async function handle(event: NectarWebhookEvent): Promise<void> {
  if (event.type === "unknown") return void console.log(`ignored ${event.eventType}`);
  console.log(`${event.type}: connection ${event.payload.id} is ${event.payload.status}`);
}

/** The raw body, or `undefined` once it passes the cap (reading stops there). */
async function rawBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const server = createServer(async (req, res) => {
  if (req.method !== "POST" || req.url !== "/webhooks/nectar") return void res.writeHead(404).end();
  const body = await rawBody(req);
  if (body === undefined) return void res.writeHead(413, { connection: "close" }).end();
  let event: NectarWebhookEvent;
  try {
    event = await verifyWebhook(body, req.headers, secret);
  } catch (error) {
    if (!(error instanceof NectarWebhookVerificationError)) throw error;
    return void res.writeHead(400).end(error.reason);
  }
  if (deduper.claim(event.messageId)) {
    try {
      await handle(event);
    } catch {
      deduper.release(event.messageId); // Svix retries a 500, and the retry runs again
      return void res.writeHead(500).end();
    }
  }
  res.writeHead(204).end(); // within 15 seconds, or Svix retries
});

const host = process.env.HOST ?? "0.0.0.0";
server.listen(Number(process.env.PORT ?? 3000), host, () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : "";
  console.log(`listening on http://${host}:${port}/webhooks/nectar`);
});
