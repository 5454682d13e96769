// An Express receiver for Nectar's webhooks. Run: NECTAR_WEBHOOK_SECRET=whsec_... npx tsx express.ts
import express from "express";
import {
  createWebhookDeduper,
  type NectarWebhookEvent,
  NectarWebhookVerificationError,
  verifyWebhook,
} from "nectar-climate-connection";

const secret = process.env.NECTAR_WEBHOOK_SECRET ?? "";
const deduper = createWebhookDeduper(); // Nectar delivers at least once: drop re-deliveries

async function handle(event: NectarWebhookEvent): Promise<void> {
  if (event.type === "unknown") return void console.log(`ignored ${event.eventType}`);
  console.log(`${event.type}: connection ${event.payload.id} is ${event.payload.status}`);
}

const app = express();
// The raw body, not express.json(): the signature covers the bytes as sent.
app.post("/webhooks/nectar", express.raw({ type: "application/json" }), async (req, res) => {
  let event: NectarWebhookEvent;
  try {
    event = await verifyWebhook(req.body, req.headers, secret);
  } catch (error) {
    if (!(error instanceof NectarWebhookVerificationError)) throw error;
    res.status(400).send(error.reason);
    return;
  }
  if (deduper.claim(event.messageId)) {
    try {
      await handle(event);
    } catch (error) {
      deduper.release(event.messageId); // answer 500: Svix retries, and the retry runs again
      throw error;
    }
  }
  res.sendStatus(204); // within 15 seconds, or Svix retries
});

const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "0.0.0.0", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : "";
  console.log(`listening on http://${process.env.HOST ?? "0.0.0.0"}:${port}/webhooks/nectar`);
});
