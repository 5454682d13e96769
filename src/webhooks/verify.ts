/**
 * `verifyWebhook`: checks that a delivery was signed by Nectar (through Svix) and is fresh, then
 * returns it as a typed event. Fails closed: every problem throws the one error class
 * {@link NectarWebhookVerificationError}, with a `reason` per failure.
 */
import { NectarWebhookVerificationError } from "../core/errors.js";
import { bodyBytes, type WebhookBody } from "./body.js";
import { type NectarWebhookEvent, parseEvent } from "./event.js";
import { readSignatureHeaders, type SignatureHeaders, type WebhookHeaders } from "./headers.js";
import { resolveVerifyOptions, type VerifySettings, type VerifyWebhookOptions } from "./options.js";
import { decodeSecrets, type WebhookSecret } from "./secret.js";
import { anySignatureMatches, signedContent } from "./signature.js";

/** Whole seconds since the epoch, as Svix writes them; more digits than a safe integer is junk. */
const TIMESTAMP = /^[0-9]{1,15}$/;

/**
 * The header timestamp in seconds, checked against now ± the tolerance. Throws
 * `invalid_timestamp`, `timestamp_too_old` or `timestamp_too_new`.
 */
export function checkTimestamp(header: string, settings: VerifySettings): number {
  if (!TIMESTAMP.test(header)) {
    throw new NectarWebhookVerificationError(
      "invalid_timestamp",
      "the svix-timestamp header is not whole seconds since the epoch.",
    );
  }
  const timestamp = Number(header);
  const now = Math.floor(settings.now() / 1000);
  const skew = `${Math.abs(now - timestamp)} s`;
  const tolerance = `${settings.toleranceSeconds} s`;
  if (now - timestamp > settings.toleranceSeconds) {
    throw new NectarWebhookVerificationError(
      "timestamp_too_old",
      `the message was signed ${skew} ago, more than the tolerance (${tolerance}): a replay, or a clock that is behind.`,
    );
  }
  if (timestamp - now > settings.toleranceSeconds) {
    throw new NectarWebhookVerificationError(
      "timestamp_too_new",
      `the message is dated ${skew} ahead, more than the tolerance (${tolerance}): check this machine's clock.`,
    );
  }
  return timestamp;
}

/**
 * The steps after the body is in hand: the HMAC of the signed content against every `v1`
 * signature under every key, then the typed event. Shared with `verifyWebhookRequest`.
 */
export async function verifySigned(
  body: Uint8Array,
  headers: SignatureHeaders,
  timestamp: number,
  keys: readonly Uint8Array<ArrayBuffer>[],
  settings: VerifySettings,
): Promise<NectarWebhookEvent> {
  const content = signedContent(headers.id, headers.timestamp, body);
  if (!(await anySignatureMatches(keys, content, headers.signature))) {
    throw new NectarWebhookVerificationError(
      "no_matching_signature",
      "no v1 signature in svix-signature matches the body under the secret: a forged or altered message, a body changed before verifying (parsed, re-encoded, trimmed), or the wrong endpoint's secret.",
    );
  }
  return parseEvent(body, { messageId: headers.id, timestamp }, settings.validators);
}

/**
 * Verifies a webhook from Nectar (delivered by Svix) and returns its event, typed when the spec
 * describes its type. In order: the secrets are usable, the body is raw and within
 * `maxBodyBytes`, the `svix-id`/`svix-timestamp`/`svix-signature` headers (or `webhook-*`) are
 * there, the timestamp is within `toleranceSeconds` of now, and a `v1` signature matches
 * (HMAC-SHA256 with Web Crypto, compared in constant time); then the body is parsed and a known
 * event's payload checked against the spec. Drop duplicates by `event.messageId`
 * ({@link createWebhookDeduper}): delivery is at least once.
 *
 * @param body - The raw body, exactly as received: a string, a `Buffer`/`Uint8Array` or an
 *   `ArrayBuffer`. Never a parsed object.
 * @param headers - The request headers: a Fetch `Headers`, or an object such as Node's
 *   `req.headers` (names in any case, array values allowed).
 * @param secret - The endpoint's secret (`whsec_…`, the prefix optional), or several while it
 *   is rotated.
 * @param options - `toleranceSeconds` (default 300), `maxBodyBytes` (default 1 MiB), `now`,
 *   `validators` (needed in bundled apps).
 * @returns The event: `type` is `connection.created.v2`, `connection.updated.v2`,
 *   `connection.validated.v2` or `unknown`.
 * @throws {@link NectarWebhookVerificationError} when the webhook is refused; `reason` says why.
 * @throws {@link NectarInvalidInputError} for bad options, or validators that cannot be loaded.
 * @example
 * ```ts
 * import express from "express";
 * import { verifyWebhook, NectarWebhookVerificationError } from "nectar-climate-connection";
 *
 * const app = express();
 * app.post("/webhooks/nectar", express.raw({ type: "application/json" }), async (req, res) => {
 *   try {
 *     const event = await verifyWebhook(req.body, req.headers, process.env.NECTAR_WEBHOOK_SECRET ?? "");
 *     if (event.type === "connection.validated.v2") console.log(event.payload.id, event.payload.status);
 *     res.sendStatus(204);
 *   } catch (error) {
 *     if (!(error instanceof NectarWebhookVerificationError)) throw error;
 *     res.status(400).send(error.reason);
 *   }
 * });
 * ```
 */
export async function verifyWebhook(
  body: WebhookBody,
  headers: WebhookHeaders,
  secret: WebhookSecret,
  options?: VerifyWebhookOptions,
): Promise<NectarWebhookEvent> {
  const settings = resolveVerifyOptions(options);
  const keys = decodeSecrets(secret);
  const bytes = bodyBytes(body, settings.maxBodyBytes);
  const signature = readSignatureHeaders(headers);
  const timestamp = checkTimestamp(signature.timestamp, settings);
  return verifySigned(bytes, signature, timestamp, keys, settings);
}
