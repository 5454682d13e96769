/**
 * `signWebhook`: signs a body the way Svix signs Nectar's deliveries, to test a receiver without
 * Nectar (and for the mock server). Not needed to receive webhooks.
 */
import { NectarInvalidInputError } from "../core/errors.js";
import { aFunction, checkOptions, type OptionTable } from "../core/option-table.js";
import { bodyBytes, type WebhookBody } from "./body.js";
import { SIGNATURE_VERSION } from "./constants.js";
import { decodeSecrets, type WebhookSecret } from "./secret.js";
import { hmacBase64, signedContent } from "./signature.js";

/** How {@link signWebhook} signs. */
export interface SignWebhookOptions {
  /** The message id; default `msg_` and a random UUID's hex digits. */
  id?: string | undefined;
  /** The timestamp, in whole seconds since the epoch; default now. */
  timestamp?: number | undefined;
  /** The current time in ms, for the default timestamp; default `Date.now`. */
  now?: (() => number) | undefined;
}

/** The three headers of a signed delivery, under Svix's names. */
export type WebhookSignatureHeaders = {
  "svix-id": string;
  "svix-timestamp": string;
  /** One `v1,<base64>` entry per secret, separated by spaces. */
  "svix-signature": string;
};

/** A message id such as Svix's: `msg_` and 32 random hex digits. */
function defaultMessageId(): string {
  return `msg_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
}

/** The id option: printable ASCII without spaces or dots (the signed content joins on dots). */
const aMessageId = (value: unknown): string => {
  if (typeof value === "string" && /^[\x21-\x2d\x2f-\x7e]{1,256}$/.test(value)) return value;
  throw new NectarInvalidInputError(
    "id must be 1 to 256 printable ASCII characters without spaces or dots.",
  );
};

/** The timestamp option: whole seconds, not negative. */
const aTimestamp = (value: unknown): number => {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  throw new NectarInvalidInputError("timestamp must be whole seconds since the epoch (≥ 0).");
};

/** The checks of `signWebhook`'s options: one declaration, typed against the interface. */
export const SIGN_WEBHOOK_OPTION_TABLE: OptionTable<SignWebhookOptions> = {
  id: aMessageId,
  timestamp: aTimestamp,
  now: aFunction(),
};

/**
 * Signs `body` as Svix would and returns the three headers to send with it: HMAC-SHA256 over
 * `{id}.{timestamp}.{body}` under each secret, one `v1` entry per secret.
 *
 * @throws {@link NectarWebhookVerificationError} (`malformed_secret`, `secret_has_whitespace`,
 *   `body_already_parsed`) for an unusable secret or body; {@link NectarInvalidInputError} for
 *   bad options.
 * @example
 * ```ts
 * const body = JSON.stringify({ eventType: "connection.created.v2", id: "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13" });
 * const headers = await signWebhook(body, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
 * await fetch("http://127.0.0.1:3000/webhooks/nectar", {
 *   method: "POST",
 *   headers: { ...headers, "content-type": "application/json" },
 *   body,
 * });
 * ```
 */
export async function signWebhook(
  body: WebhookBody,
  secret: WebhookSecret,
  options?: SignWebhookOptions,
): Promise<WebhookSignatureHeaders> {
  const given = checkOptions(options, SIGN_WEBHOOK_OPTION_TABLE, "signWebhook");
  const id = given.id ?? defaultMessageId();
  const timestamp = String(given.timestamp ?? Math.floor((given.now ?? Date.now)() / 1000));
  const keys = decodeSecrets(secret);
  const content = signedContent(id, timestamp, bodyBytes(body, Number.MAX_SAFE_INTEGER));
  const signatures = await Promise.all(keys.map((key) => hmacBase64(key, content)));
  return {
    "svix-id": id,
    "svix-timestamp": timestamp,
    "svix-signature": signatures.map((value) => `${SIGNATURE_VERSION},${value}`).join(" "),
  };
}
