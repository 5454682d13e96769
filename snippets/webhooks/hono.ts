// A Hono receiver for Nectar's webhooks, served by @hono/node-server (on Workers, Deno or Bun,
// export `app` instead). Run: NECTAR_WEBHOOK_SECRET=whsec_... npx tsx hono.ts
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import {
  createWebhookDeduper,
  type NectarWebhookEvent,
  NectarWebhookVerificationError,
  verifyWebhookRequest,
} from "nectar-climate-connection";

const secret = process.env.NECTAR_WEBHOOK_SECRET ?? "";
const deduper = createWebhookDeduper(); // Nectar delivers at least once: drop re-deliveries

async function handle(event: NectarWebhookEvent): Promise<void> {
  if (event.type === "unknown") return void console.log(`ignored ${event.eventType}`);
  console.log(`${event.type}: connection ${event.payload.id} is ${event.payload.status}`);
}

const app = new Hono();
app.post("/webhooks/nectar", async (c) => {
  let event: NectarWebhookEvent;
  try {
    event = await verifyWebhookRequest(c.req.raw, secret); // the Request, its body unread
  } catch (error) {
    if (!(error instanceof NectarWebhookVerificationError)) throw error;
    return c.text(error.reason, 400);
  }
  if (deduper.claim(event.messageId)) {
    try {
      await handle(event);
    } catch (error) {
      deduper.release(event.messageId); // a 500 makes Svix retry, and the retry runs again
      throw error;
    }
  }
  return c.body(null, 204); // within 15 seconds, or Svix retries
});

const hostname = process.env.HOST ?? "0.0.0.0";
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname }, (info) => {
  console.log(`listening on http://${hostname}:${info.port}/webhooks/nectar`);
});
