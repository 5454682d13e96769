/**
 * Keeping credentials out of logs and errors: header redaction by name, and masking of the
 * API key wherever a server, proxy or custom fetch may have echoed it.
 */
import { REDACTED_HEADERS } from "./constants.js";

/** Headers as a plain object for a log line, credentials and cookies replaced by `[redacted]`. */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (value: string, key: string) => {
    const name = key.toLowerCase();
    out[name] = REDACTED_HEADERS.has(name) ? "[redacted]" : value;
  };
  if (headers instanceof Headers) headers.forEach(add);
  else for (const [key, value] of Object.entries(headers)) add(value, key);
  return out;
}

/** Masking of one secret (the API key) in text, JSON-able values and headers. */
export interface Redactor {
  /** The text with every occurrence of the secret replaced by `[redacted]`. */
  mask(text: string): string;
  /** A JSON-able value with the secret masked wherever it appears; the same value when absent. */
  scrub<T>(value: T): T;
  /** Headers with the secret masked in their values; the same object when absent. */
  scrubHeaders(headers: Headers): Headers;
}

/** Creates the masking functions for `secret`. Cheap when the secret is absent: one search. */
export function createRedactor(secret: string): Redactor {
  const mask = (text: string) =>
    text.includes(secret) ? text.split(secret).join("[redacted]") : text;
  return {
    mask,
    scrub<T>(value: T): T {
      const text = JSON.stringify(value);
      return text?.includes(secret) ? (JSON.parse(mask(text)) as T) : value;
    },
    scrubHeaders(headers) {
      let echoed = false;
      headers.forEach((value) => {
        echoed ||= value.includes(secret);
      });
      if (!echoed) return headers;
      const masked = new Headers();
      headers.forEach((value, name) => {
        masked.append(name, mask(value));
      });
      return masked;
    },
  };
}
