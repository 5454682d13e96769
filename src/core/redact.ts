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

/** Every raw, JSON-escaped and percent-encoded form of `secret`. */
function formsOf(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

/** `text` with every occurrence of each form replaced by `[redacted]`. */
function maskForms(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) {
    if (form !== "" && out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** A complete `"name": "value"` pair of a secret field, the value captured as a JSON string. */
const SECRET_FIELD_STRING = new RegExp(
  `"(?:${SECRET_FIELDS.join("|")})"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`,
  "g",
);

/** Secret values shorter than this are masked as field values only, not wherever they appear. */
const MIN_SECRET_LENGTH = 8;

/**
 * The values of secret fields in `text`: from complete `"field": "value"` pairs, and from the
 * parsed body (where a field name may be written with escapes). Long enough ones only.
 */
function secretValuesIn(text: string, parsed: unknown): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(SECRET_FIELD_STRING)) {
    try {
      const value: unknown = JSON.parse(match[1] ?? "");
      if (typeof value === "string") found.add(value);
    } catch {
      // not a complete string after all
    }
  }
  const visit = (value: unknown, key: string | undefined): void => {
    if (key !== undefined && SECRET_FIELDS.includes(key) && typeof value === "string") {
      found.add(value);
    } else if (typeof value === "object" && value !== null) {
      for (const [name, item] of Object.entries(value)) visit(item, name);
    }
  };
  visit(parsed, undefined);
  return [...found].filter((value) => value.length >= MIN_SECRET_LENGTH);
}

/** JSON text parsed when it is JSON no deeper than 64 levels; `undefined` otherwise. */
function parseShallow(text: string): { value: unknown } | undefined {
  if (jsonDepth(text, MAX_ERROR_BODY_DEPTH) > MAX_ERROR_BODY_DEPTH) return undefined;
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** Masking of one secret (the API key) in text, error bodies and headers. */
export interface Redactor {
  /** The text with the secret replaced by `[redacted]`: raw, JSON-escaped and percent-encoded. */
  mask(text: string): string;
  /**
   * An error body from its text: the key masked, and every secret field's value masked wherever
   * it appears (in any of the three forms); then parsed as JSON when it is JSON no deeper than 64
   * levels, else kept as (masked) text.
   */
  errorBody(text: string): unknown;
  /** Headers with the secret masked in their values; the same object when absent. */
  scrubHeaders(headers: Headers): Headers;
}

/** Creates the masking functions for `secret`. Cheap when the secret is absent: a few searches. */
export function createRedactor(secret: string): Redactor {
  const forms = formsOf(secret);
  const mask = (text: string) => maskForms(text, forms);

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
      const keyless = mask(text);
      const secrets = secretValuesIn(keyless, parseShallow(keyless)?.value);
      const masked = maskSecretFields(maskForms(keyless, secrets.flatMap(formsOf)));
      const parsed = parseShallow(masked);
      return parsed === undefined ? masked : clean(parsed.value, undefined);
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
