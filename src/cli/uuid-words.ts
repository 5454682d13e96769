/**
 * A UUID as four 32-bit words and back: 16 bytes in a typed array instead of a 36-character
 * string, for what `check` keeps per id (the ids seen, the table's rows).
 */

/** The four words of a UUID. */
export type Words = ArrayLike<number>;

/** A UUID in its canonical form: lower-case hex, 8-4-4-4-12. */
const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `id` is a UUID in canonical form, so that {@link uuidOf} gives it back as it was. */
export const isCanonicalUuid = (id: string): boolean => CANONICAL.test(id);

/** The value of one hex digit's character code (`0-9`, `a-f`, `A-F`). */
const nibble = (code: number) => (code <= 57 ? code - 48 : (code | 32) - 87);

/** The words of a UUID (any case: the same for `A` and `a`); dashes are skipped. */
export function wordsOf(uuid: string): Words {
  const words = [0, 0, 0, 0];
  let digit = 0;
  for (let i = 0; i < uuid.length; i++) {
    const code = uuid.charCodeAt(i);
    if (code === 45) continue; // "-"
    const word = digit >>> 3;
    words[word] = (((words[word] ?? 0) << 4) | nibble(code)) >>> 0;
    digit++;
  }
  return words;
}

/** The canonical UUID of the four words at `at` in `words`. */
export function uuidOf(words: Words, at = 0): string {
  let hex = "";
  for (let i = 0; i < 4; i++) hex += (words[at + i] ?? 0).toString(16).padStart(8, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
