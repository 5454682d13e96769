/**
 * Keeping credentials out of logs and errors: header redaction by name, masking of the API key
 * wherever a server, proxy or custom fetch may have echoed it, and masking of secret fields
 * (magic-link secrets, invitation tokens) in error bodies. Everything works on text or on
 * values of bounded depth: no input can overflow the stack.
 */
import { MAX_ERROR_BODY_DEPTH, REDACTED_HEADERS, SECRET_FIELDS } from "./constants.js";

const REDACTED = "[redacted]";

/** Headers as a plain object for a log line, credentials and cookies replaced by `[redacted]`. */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (value: string, key: string) => {
    const name = key.toLowerCase();
    out[name] = REDACTED_HEADERS.has(name) ? REDACTED : value;
  };
  if (headers instanceof Headers) headers.forEach(add);
  else for (const [key, value] of Object.entries(headers)) add(value, key);
  return out;
}

/** `"name": value` for each secret field, the value a JSON string (maybe cut off) or a bare token. */
const SECRET_FIELD_VALUE = new RegExp(
  `("(?:${SECRET_FIELDS.join("|")})"\\s*:\\s*)(?:"(?:[^"\\\\]|\\\\.)*(?:"|\\\\?$)|[^\\s,}\\]]+)`,
  "g",
);

/** Masks the value of every secret field (`connectionMagicLinkSecret`, `token`) in JSON-like text. */
export function maskSecretFields(text: string): string {
  return text.replace(SECRET_FIELD_VALUE, `$1"${REDACTED}"`);
}

/** The deepest nesting of `[` and `{` in JSON text, outside strings; stops counting past `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length && deepest <= limit; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 92)
        i++; // backslash: skip the escaped character
      else if (char === 34) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 91 || char === 123) deepest = Math.max(deepest, ++depth);
    else if (char === 93 || char === 125) depth--;
  }
  return deepest;
}

/** Masking of one secret (the API key) in text, error bodies and headers. */
export interface Redactor {
  /** The text with the secret replaced by `[redacted]`: raw, JSON-escaped and percent-encoded. */
  mask(text: string): string;
  /**
   * An error body from its text: the key and secret fields masked, then parsed as JSON when it
   * is JSON no deeper than 64 levels, else kept as (masked) text.
   */
  errorBody(text: string): unknown;
  /** Headers with the secret masked in their values; the same object when absent. */
  scrubHeaders(headers: Headers): Headers;
}

/** Creates the masking functions for `secret`. Cheap when the secret is absent: a few searches. */
export function createRedactor(secret: string): Redactor {
  const forms = [
    ...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]),
  ];
  const mask = (text: string) => {
    let out = text;
    for (const form of forms) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  };

  /** A parsed value with every string masked and every secret field replaced; depth already bounded. */
  const clean = (value: unknown, key: string | undefined): unknown => {
    if (key !== undefined && SECRET_FIELDS.includes(key)) return REDACTED;
    if (typeof value === "string") return mask(value);
    if (Array.isArray(value)) return value.map((item) => clean(item, undefined));
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      Object.defineProperty(out, mask(name), {
        value: clean(item, name),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };

  return {
    mask,
    errorBody(text) {
      const masked = maskSecretFields(mask(text));
      if (jsonDepth(masked, MAX_ERROR_BODY_DEPTH) > MAX_ERROR_BODY_DEPTH) return masked;
      let parsed: unknown;
      try {
        parsed = JSON.parse(masked);
      } catch {
        return masked;
      }
      return clean(parsed, undefined);
    },
    scrubHeaders(headers) {
      let echoed = false;
      headers.forEach((value) => {
        echoed ||= mask(value) !== value;
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
