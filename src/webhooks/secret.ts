/**
 * Endpoint secrets: `whsec_` + base64, the prefix optional, several at once while a secret is
 * rotated. Decoded strictly (standard base64 with its padding, no whitespace), because a secret
 * that decodes loosely verifies nothing the sender signed. Messages never quote a secret.
 */
import { NectarWebhookVerificationError } from "../core/errors.js";
import { MIN_SECRET_BYTES, SECRET_PREFIX } from "./constants.js";

/** One endpoint secret, or several (every one is tried) while the endpoint's secret rotates. */
export type WebhookSecret = string | readonly string[];

/** Standard base64, padded to a multiple of four characters. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes standard base64 (already checked against {@link BASE64}) with `atob`, in any runtime. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Encodes bytes as standard, padded base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function malformed(which: string, problem: string): NectarWebhookVerificationError {
  return new NectarWebhookVerificationError("malformed_secret", `${which} ${problem}.`);
}

/** The HMAC key of one secret; `which` names it in a message ("the secret", "secret 2 of 3"). */
function decodeSecret(secret: unknown, which: string): Uint8Array<ArrayBuffer> {
  if (secret === undefined)
    throw malformed(which, "is undefined (is its environment variable set?)");
  if (typeof secret !== "string") throw malformed(which, `is not a string (${typeof secret})`);
  if (/\s/.test(secret)) {
    throw new NectarWebhookVerificationError(
      "secret_has_whitespace",
      `${which} contains whitespace (a line break from a .env file or a copy?): trim it.`,
    );
  }
  const base64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (base64 === "") throw malformed(which, "is empty");
  if (!BASE64.test(base64)) {
    throw malformed(which, `is not "${SECRET_PREFIX}" followed by standard base64`);
  }
  const key = decodeBase64(base64);
  if (key.length < MIN_SECRET_BYTES) {
    throw malformed(which, `decodes to ${key.length} bytes, fewer than ${MIN_SECRET_BYTES}`);
  }
  return key;
}

/**
 * The HMAC keys of `secret` (one or several). Throws {@link NectarWebhookVerificationError}
 * (`malformed_secret` or `secret_has_whitespace`) when any secret is unusable: a rotation list
 * with one bad entry is a configuration mistake to fix, not to skip.
 */
export function decodeSecrets(secret: WebhookSecret): Uint8Array<ArrayBuffer>[] {
  if (!Array.isArray(secret)) return [decodeSecret(secret, "The secret")];
  if (secret.length === 0) throw malformed("The secret list", "is empty");
  return secret.map((one, index) => decodeSecret(one, `Secret ${index + 1} of ${secret.length}`));
}
