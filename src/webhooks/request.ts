/**
 * `verifyWebhookRequest`: {@link verifyWebhook} for fetch-style frameworks (Next.js route
 * handlers, Hono, Cloudflare Workers, Deno, Bun), which hand over a `Request`. The headers and
 * timestamp are checked before the body is read, and the body is read with the cap applied.
 */
import { NectarInvalidInputError } from "../core/errors.js";
import { readRequestBody } from "./body.js";
import type { NectarWebhookEvent } from "./event.js";
import { readSignatureHeaders } from "./headers.js";
import { resolveVerifyOptions, type VerifyWebhookOptions } from "./options.js";
import { decodeSecrets, type WebhookSecret } from "./secret.js";
import { checkTimestamp, verifySigned } from "./verify.js";

/** A Fetch `Request`, or one from another realm (anything with its headers and body stream). */
function isRequest(value: unknown): value is Request {
  return (
    value instanceof Request ||
    (typeof value === "object" &&
      value !== null &&
      "headers" in value &&
      "bodyUsed" in value &&
      "body" in value)
  );
}

/**
 * Verifies the webhook a `Request` carries and returns its event; reads the body (unread, at
 * most `maxBodyBytes`), so do not read it first. An unsigned or stale request is refused before
 * its body is read; a refused body is left for the server to discard, never cancelled.
 *
 * @param request - The incoming request, unread.
 * @param secret - The endpoint's secret (`whsec_…`), or several while it is rotated.
 * @param options - As for {@link verifyWebhook}.
 * @returns The event, typed when the spec describes its type.
 * @throws {@link NectarWebhookVerificationError} when the webhook is refused; `reason` says why.
 * @throws {@link NectarInvalidInputError} when `request` is not a `Request`, for bad options, or
 *   validators that cannot be loaded.
 * @example
 * ```ts
 * // app/api/webhooks/nectar/route.ts (Next.js App Router)
 * import { verifyWebhookRequest, NectarWebhookVerificationError } from "nectar-climate-connection";
 *
 * export async function POST(request: Request): Promise<Response> {
 *   try {
 *     const event = await verifyWebhookRequest(request, process.env.NECTAR_WEBHOOK_SECRET ?? "");
 *     if (event.type !== "unknown") console.log(event.type, event.payload.id);
 *     return new Response(null, { status: 204 });
 *   } catch (error) {
 *     if (!(error instanceof NectarWebhookVerificationError)) throw error;
 *     return new Response(error.reason, { status: 400 });
 *   }
 * }
 * ```
 */
export async function verifyWebhookRequest(
  request: Request,
  secret: WebhookSecret,
  options?: VerifyWebhookOptions,
): Promise<NectarWebhookEvent> {
  if (!isRequest(request)) {
    throw new NectarInvalidInputError(
      "verifyWebhookRequest needs a Fetch Request; for Node's req, Express or Fastify use verifyWebhook(rawBody, req.headers, secret).",
    );
  }
  // Everything that needs no body first: an unsigned or stale request is refused unread.
  const settings = resolveVerifyOptions(options);
  const keys = decodeSecrets(secret);
  const signature = readSignatureHeaders(request.headers);
  const timestamp = checkTimestamp(signature.timestamp, settings);
  const body = await readRequestBody(request, settings.maxBodyBytes);
  return verifySigned(body, signature, timestamp, keys, settings);
}
