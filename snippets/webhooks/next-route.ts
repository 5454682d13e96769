// A Next.js route handler for Nectar's webhooks: save as app/api/webhooks/nectar/route.ts.
// It reads the Request itself, so it runs on the Node.js and the Edge runtime alike.
import {
  createWebhookDeduper,
  type NectarWebhookEvent,
  NectarWebhookVerificationError,
  verifyWebhookRequest,
} from "nectar-climate-connection";

const deduper = createWebhookDeduper(); // one per server instance: Nectar delivers at least once

async function handle(event: NectarWebhookEvent): Promise<void> {
  if (event.type === "unknown") return void console.log(`ignored ${event.eventType}`);
  console.log(`${event.type}: connection ${event.payload.id} is ${event.payload.status}`);
}

export async function POST(request: Request): Promise<Response> {
  let event: NectarWebhookEvent;
  try {
    // Pass the Request unread: no request.json() before, the signature covers the raw body.
    event = await verifyWebhookRequest(request, process.env.NECTAR_WEBHOOK_SECRET ?? "");
  } catch (error) {
    if (!(error instanceof NectarWebhookVerificationError)) throw error;
    return new Response(error.reason, { status: 400 });
  }
  if (deduper.claim(event.messageId)) {
    try {
      await handle(event);
    } catch (error) {
      deduper.release(event.messageId); // a 500 makes Svix retry, and the retry runs again
      throw error;
    }
  }
  return new Response(null, { status: 204 });
}
