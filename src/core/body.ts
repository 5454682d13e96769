/**
 * Reading a response body within a byte limit: as a stream, counting the decoded bytes (after
 * any `Content-Encoding`), and stopping as soon as the limit is passed, so that memory stays
 * within a small multiple of the limit whatever the server sends.
 */

/** A body as read: its text, and whether it ended before the limit. */
export interface ReadBody {
  text: string;
  /** False when the body went past the limit: `text` holds its first `limit` bytes only. */
  complete: boolean;
}

/** The declared `Content-Length`, when there is a readable one. */
export function declaredLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  if (value === null || !/^\d+$/.test(value)) return undefined; // Headers trims values
  return Number(value);
}

/**
 * Reads at most `limit` decoded bytes of `body` as UTF-8 text. Past the limit it cancels the
 * stream and returns what it kept (`complete: false`). `track` receives the reader, so that a
 * timeout or an abort can cancel a read in progress.
 * @throws the stream's error (a connection cut mid-body), or a TypeError for a chunk that is not bytes.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  track: (reader: ReadableStreamDefaultReader<Uint8Array>) => void,
): Promise<ReadBody> {
  if (body === null) return { text: "", complete: true };
  const reader = body.getReader();
  track(reader);
  // The chunks are kept (never more than `limit` bytes) and decoded once at the end: a small
  // body, most often one chunk, costs one decode and no string concatenation.
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: decode(chunks, bytes), complete: true };
    if (!(value instanceof Uint8Array)) throw new TypeError("the response body is not bytes");
    const room = limit - bytes;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      await reader.cancel().catch(() => undefined);
      return { text: decode(chunks, limit), complete: false };
    }
    bytes += value.byteLength;
    chunks.push(value);
  }
}

/** The UTF-8 text of `chunks` (`bytes` in all); a sequence cut at the end decodes as U+FFFD. */
function decode(chunks: readonly Uint8Array[], bytes: number): string {
  const decoder = new TextDecoder();
  if (chunks.length <= 1) return chunks[0] ? decoder.decode(chunks[0]) : "";
  const whole = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(whole);
}

/** Discards a body the client will not read (a redirect's), releasing its connection. */
export async function discard(body: ReadableStream<Uint8Array> | null): Promise<void> {
  await body?.cancel().catch(() => undefined);
}
