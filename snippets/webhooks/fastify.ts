// A Fastify receiver for Nectar's webhooks. Run: NECTAR_WEBHOOK_SECRET=whsec_... npx tsx fastify.ts
import Fastify from "fastify";
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

const app = Fastify();
await app.register(async (webhooks) => {
  // In this plugin only: JSON bodies stay raw bytes, as the signature covers them.
  webhooks.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body, done) =>
    done(null, body),
  );
  webhooks.post<{ Body: Buffer }>("/webhooks/nectar", async (request, reply) => {
    let event: NectarWebhookEvent;
    try {
      event = await verifyWebhook(request.body, request.headers, secret);
    } catch (error) {
      if (!(error instanceof NectarWebhookVerificationError)) throw error;
      return reply.code(400).send(error.reason);
    }
    if (deduper.claim(event.messageId)) {
      try {
        await handle(event);
      } catch (error) {
        deduper.release(event.messageId); // a 500 makes Svix retry, and the retry runs again
        throw error;
      }
    }
    return reply.code(204).send(); // within 15 seconds, or Svix retries
  });
});

const host = process.env.HOST ?? "0.0.0.0";
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host });
console.log(`listening on ${address}/webhooks/nectar`);
