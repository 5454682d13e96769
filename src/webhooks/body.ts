/**
 * The raw body a signature covers, as bytes, refused when it is not raw (a framework already
 * parsed it: the signature covers bytes that re-serialising cannot reproduce) or larger than the
 * cap. A `Request`'s body is read with the cap applied while reading, so an oversized body is
 * never held in memory whole.
 */
import { NectarWebhookVerificationError } from "../core/errors.js";

/** The body as the sender sent it: the text, or its bytes (a Node `Buffer` is a `Uint8Array`). */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/** `detail` says how the size was found, e.g. `the body is 2000000 bytes`. */
function tooLarge(detail: string, maxBytes: number): NectarWebhookVerificationError {
  return new NectarWebhookVerificationError(
    "body_too_large",
    `${detail}, more than maxBodyBytes (${maxBytes}).`,
  );
}

/** What a non-raw body is, for the message: never its content. */
function kindOf(body: unknown): string {
  if (body === null || body === undefined) return String(body);
  if (Array.isArray(body)) return "an array";
  return typeof body === "object" ? "an object" : `a ${typeof body}`;
}

/**
 * The body's bytes. Throws {@link NectarWebhookVerificationError}: `body_already_parsed` for
 * anything but a string, a `Uint8Array`/`Buffer`, another typed array or an `ArrayBuffer`;
 * `body_too_large` over `maxBytes` (a string is measured before it is encoded).
 */
export function bodyBytes(body: unknown, maxBytes: number): Uint8Array {
  if (typeof body === "string") {
    // UTF-8 needs at least one byte per UTF-16 code unit: too long here is too large encoded.
    if (body.length > maxBytes) throw tooLarge(`the body has ${body.length} characters`, maxBytes);
    const bytes = new TextEncoder().encode(body);
    if (bytes.length > maxBytes) throw tooLarge(`the body is ${bytes.length} bytes`, maxBytes);
    return bytes;
  }
  const bytes = ArrayBuffer.isView(body)
    ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
    : body instanceof ArrayBuffer
      ? new Uint8Array(body)
      : undefined;
  if (bytes === undefined) {
    throw new NectarWebhookVerificationError(
      "body_already_parsed",
      `the body must be the raw request body (a string or bytes), got ${kindOf(body)}: pass the raw body, before any JSON parsing (Express: express.raw({ type: "application/json" }); fetch: await request.text()).`,
    );
  }
  if (bytes.length > maxBytes) throw tooLarge(`the body is ${bytes.length} bytes`, maxBytes);
  return bytes;
}

/**
 * Reads a `Request`'s body, at most `maxBytes`: a larger declared `Content-Length` is refused
 * unread, and reading stops as soon as the count passes the cap. The rest is left unread, not
 * cancelled: cancelling would make some servers (Node adapters) drop the connection before the
 * refusal is sent; the server discards what is left.
 * Throws {@link NectarWebhookVerificationError} `body_too_large`, or `body_already_parsed` when
 * the body was already read (e.g. by `request.json()`).
 */
export async function readRequestBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (request.bodyUsed) {
    throw new NectarWebhookVerificationError(
      "body_already_parsed",
      "the request body was already read (request.json() or request.text() ran first): pass the request unread, or pass the raw text to verifyWebhook.",
    );
  }
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    throw tooLarge(`the request declares ${declared} bytes (Content-Length)`, maxBytes);
  }
  if (request.body === null) return new Uint8Array(0);
  return readCapped(request.body.getReader(), maxBytes);
}

/** Reads a stream into one array, stopping (and letting go of it) as soon as it passes `maxBytes`. */
async function readCapped(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.releaseLock();
      throw tooLarge(`the body passed ${size} bytes while being read (reading stopped)`, maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
