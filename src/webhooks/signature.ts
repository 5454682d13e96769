/**
 * The Svix / Standard Webhooks signature: HMAC-SHA256, keyed with the decoded secret, over
 * `{id}.{timestamp}.{raw body}`, sent as `v1,<base64>`. Web Crypto only (`crypto.subtle`), so
 * the same code runs on Node 20+, Bun, Deno and workerd with no dependency.
 */
import { SIGNATURE_VERSION } from "./constants.js";
import { encodeBase64 } from "./secret.js";

/** The bytes that are signed: `id.timestamp.` followed by the body, unchanged. */
export function signedContent(
  id: string,
  timestamp: string,
  body: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const head = new TextEncoder().encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(head.length + body.length);
  content.set(head);
  content.set(body, head.length);
  return content;
}

/** The base64 HMAC-SHA256 of `content` under `key`. */
export async function hmacBase64(
  key: Uint8Array<ArrayBuffer>,
  content: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const { subtle } = globalThis.crypto;
  const cryptoKey = await subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return encodeBase64(new Uint8Array(await subtle.sign("HMAC", cryptoKey, content)));
}

/**
 * Compares two strings in time that depends on their lengths only, never on where they differ,
 * so that a forger cannot learn a signature byte by byte from response times.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/** The base64 values of the header's `v1` entries; entries of other versions are skipped. */
export function v1Signatures(header: string): string[] {
  const found: string[] = [];
  for (const entry of header.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma > 0 && entry.slice(0, comma) === SIGNATURE_VERSION)
      found.push(entry.slice(comma + 1));
  }
  return found;
}

/**
 * True when any `v1` entry of `header` is the signature of `content` under any of `keys`. Every
 * comparison is constant-time; the HMAC is computed once per key.
 */
export async function anySignatureMatches(
  keys: readonly Uint8Array<ArrayBuffer>[],
  content: Uint8Array<ArrayBuffer>,
  header: string,
): Promise<boolean> {
  const candidates = v1Signatures(header);
  if (candidates.length === 0) return false;
  for (const key of keys) {
    const expected = await hmacBase64(key, content);
    if (candidates.some((candidate) => constantTimeEqual(candidate, expected))) return true;
  }
  return false;
}
