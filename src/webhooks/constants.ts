/** Defaults and fixed values of webhook verification, each with the reason it has its value. */

/** Svix's own libraries refuse a timestamp more than five minutes from now, past or future. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * A connection event is a few KiB even with many accounts: 1 MiB leaves room to grow while
 * bounding the memory and HMAC work one unauthenticated request can cost.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The prefix of a Svix endpoint secret; the base64 key follows it. */
export const SECRET_PREFIX = "whsec_";

/**
 * Standard Webhooks secrets are 24 to 64 random bytes. Anything shorter is not an endpoint
 * secret (a placeholder, a truncated paste) and would make a weak key. No upper bound: Svix
 * accepts longer custom secrets, and a longer key is not weaker.
 */
export const MIN_SECRET_BYTES = 24;

/** The only signature version this package checks (symmetric HMAC-SHA256); others are skipped. */
export const SIGNATURE_VERSION = "v1";

/** The header names, Svix's first and the white-labelled `webhook-` ones as the fallback. */
export const HEADER_NAMES = {
  id: ["svix-id", "webhook-id"],
  timestamp: ["svix-timestamp", "webhook-timestamp"],
  signature: ["svix-signature", "webhook-signature"],
} as const;

/**
 * Svix retries a failed message for about 27.6 hours (immediately, then after 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h and 10 h), each retry with the same message id: remembering ids for 28 hours
 * catches a re-delivery of a message whose acknowledgement was lost, however late it comes.
 */
export const DEFAULT_DEDUPE_TTL_SECONDS = 28 * 60 * 60;

/**
 * Ids a deduper keeps at most, whatever the traffic: about 4.5 MB of heap for ids the size of
 * Svix's (455 B per id with the bookkeeping, measured with `--expose-gc`).
 */
export const DEFAULT_DEDUPE_MAX_IDS = 10_000;
