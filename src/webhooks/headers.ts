/**
 * The three signature headers, read from whatever a framework hands over: a Fetch `Headers`, a
 * plain object with names in any case, or Node's `IncomingHttpHeaders` (whose values may be
 * arrays). `svix-*` names first, the white-labelled `webhook-*` ones as the fallback.
 */
import { NectarWebhookVerificationError } from "../core/errors.js";
import { HEADER_NAMES } from "./constants.js";

/**
 * Request headers as frameworks give them: a Fetch `Headers` (Next.js, Hono, workers), or an
 * object of names to values (Node's `req.headers`, Express, Fastify), names in any case.
 */
export type WebhookHeaders =
  | Headers
  | { readonly [name: string]: string | readonly string[] | undefined };

/** The signature headers of one delivery, each non-empty. */
export interface SignatureHeaders {
  /** `svix-id`: the message id, the same on every re-delivery. */
  id: string;
  /** `svix-timestamp`, as sent. */
  timestamp: string;
  /** `svix-signature`, as sent: space-separated `version,base64` entries. */
  signature: string;
}

/** A Fetch `Headers`, or one from another realm or polyfill (anything with a `get` method). */
function isFetchHeaders(headers: unknown): headers is Pick<Headers, "get"> {
  return (
    headers instanceof Headers ||
    (typeof headers === "object" &&
      headers !== null &&
      "get" in headers &&
      typeof headers.get === "function")
  );
}

/**
 * One value per header name, from an object's own properties, names lower-cased. Several
 * values (an array) are joined with a space: signatures sent as separate values each count,
 * and several ids or timestamps make a value that cannot verify.
 */
function lowerCased(headers: object): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const text =
      typeof value === "string"
        ? value
        : Array.isArray(value) && value.every((item) => typeof item === "string")
          ? value.join(" ")
          : undefined;
    if (text !== undefined) found.set(name.toLowerCase(), text);
  }
  return found;
}

/** A reader of header values by lower-case name, for any of the accepted shapes. */
function headerReader(headers: unknown): (name: string) => string | undefined {
  if (isFetchHeaders(headers)) return (name) => headers.get(name) ?? undefined;
  if (typeof headers !== "object" || headers === null) return () => undefined;
  const byName = lowerCased(headers);
  return (name) => byName.get(name);
}

/**
 * Reads `svix-id`, `svix-timestamp` and `svix-signature` (or their `webhook-*` twins). Throws
 * {@link NectarWebhookVerificationError} `missing_header` when one is absent or empty.
 */
export function readSignatureHeaders(headers: WebhookHeaders): SignatureHeaders {
  const read = headerReader(headers);
  const pick = (names: readonly [string, string]): string => {
    for (const name of names) {
      const value = read(name)?.trim();
      if (value) return value;
    }
    throw new NectarWebhookVerificationError(
      "missing_header",
      `the ${names[0]} header (or ${names[1]}) is missing or empty: is this request from Svix, and did a proxy keep its headers?`,
    );
  };
  return {
    id: pick(HEADER_NAMES.id),
    timestamp: pick(HEADER_NAMES.timestamp),
    signature: pick(HEADER_NAMES.signature),
  };
}
