/**
 * `createWebhookDeduper`: remembers the message ids (`svix-id`) of recent deliveries, in memory
 * and bounded, so that a handler runs once per message although Svix delivers at least once.
 */
import { NectarInvalidInputError } from "../core/errors.js";
import { aFunction, checkOptions, type OptionTable, wholeNumber } from "../core/option-table.js";
import { DEFAULT_DEDUPE_MAX_IDS, DEFAULT_DEDUPE_TTL_SECONDS } from "./constants.js";

/** How long and how many ids a deduper remembers. */
export interface WebhookDeduperOptions {
  /** Seconds an id is remembered; default 28 hours, the whole of Svix's retry schedule. */
  ttlSeconds?: number | undefined;
  /** Ids kept at most; past it the oldest are forgotten first. Default 10,000. */
  maxIds?: number | undefined;
  /** The current time in ms; default `Date.now`. Inject one to test. */
  now?: (() => number) | undefined;
}

/** Remembers recent message ids. One process's memory: see {@link createWebhookDeduper}. */
export interface WebhookDeduper {
  /**
   * Claims a message id: true the first time (process the event), false while the id is
   * remembered (a duplicate: acknowledge it with a 2xx and do nothing).
   */
  claim(messageId: string): boolean;
  /** Forgets a claimed id, so that Svix's retry of a message whose handling failed runs again. */
  release(messageId: string): void;
  /** How many ids are remembered now (expired ones are dropped first). */
  readonly size: number;
}

/** The checks of `createWebhookDeduper`'s options: one declaration, typed against the interface. */
export const WEBHOOK_DEDUPER_OPTION_TABLE: OptionTable<WebhookDeduperOptions> = {
  ttlSeconds: wholeNumber(1),
  maxIds: wholeNumber(1),
  now: aFunction(),
};

function messageIdArgument(value: unknown): string {
  if (typeof value === "string" && value !== "") return value;
  throw new NectarInvalidInputError(
    "messageId must be a non-empty string: the event's messageId (the svix-id header).",
  );
}

/**
 * Creates a deduper of webhook deliveries, keyed by the message id (`event.messageId`, the
 * `svix-id` header: the same on every re-delivery; not the payload's `id`, which is the
 * connection's). Nectar delivers **at least once**: a message whose 2xx was lost in transit
 * (a timeout past 15 s, a dropped connection) comes again, up to ~28 hours later. Claim the id
 * before handling the event and release it if handling fails, so the retry is processed.
 *
 * Memory is bounded: at most `maxIds` ids, each forgotten `ttlSeconds` after it was claimed, or
 * earlier once `maxIds` later claims were made. It lives in one process: with several instances, or
 * across restarts, keep the ids in a shared store (a unique key in your database, Redis `SET NX EX`).
 *
 * @throws {@link NectarInvalidInputError} for an unknown option or a value below 1.
 * @example
 * ```ts
 * const deduper = createWebhookDeduper();
 * const event = await verifyWebhook(body, headers, secret);
 * if (deduper.claim(event.messageId)) {
 *   try { await handle(event); } catch (error) { deduper.release(event.messageId); throw error; }
 * }
 * ```
 */
export function createWebhookDeduper(options?: WebhookDeduperOptions): WebhookDeduper {
  const given = checkOptions(options, WEBHOOK_DEDUPER_OPTION_TABLE, "createWebhookDeduper");
  const ttlMs = (given.ttlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS) * 1000;
  const maxIds = given.maxIds ?? DEFAULT_DEDUPE_MAX_IDS;
  const now = given.now ?? Date.now;
  const claims = new ClaimQueue(maxIds);
  return {
    claim(messageId) {
      const id = messageIdArgument(messageId);
      const time = now();
      claims.dropExpired(time);
      if (claims.has(id)) return false;
      claims.add(id, time + ttlMs);
      return true;
    },
    release(messageId) {
      claims.release(messageIdArgument(messageId));
    },
    get size() {
      claims.dropExpired(now());
      return claims.size;
    },
  };
}

/** One claim: an id and when it expires. */
interface Claim {
  readonly id: string;
  readonly expiry: number;
}

/**
 * Claims in claim order (a queue: every claim lives equally long, so the oldest expire first)
 * with a map for lookups. A plain Map would do, but evicting from its front leaves holes that
 * every later walk from the front steps over; the queue evicts in constant time.
 */
class ClaimQueue {
  /** The current claim of each remembered id. */
  readonly #live = new Map<string, Claim>();
  /** Every claim not yet evicted, oldest first from `#head`; a released claim stays until evicted. */
  #order: Claim[] = [];
  #head = 0;

  constructor(readonly maxClaims: number) {}

  get size(): number {
    return this.#live.size;
  }

  has(id: string): boolean {
    return this.#live.has(id);
  }

  add(id: string, expiry: number): void {
    const claim = { id, expiry };
    this.#live.set(id, claim);
    this.#order.push(claim);
    // Released claims count too: memory stays bounded however claims and releases interleave.
    while (this.#order.length - this.#head > this.maxClaims) this.#evictOldest();
  }

  release(id: string): void {
    this.#live.delete(id);
  }

  dropExpired(time: number): void {
    for (let oldest = this.#order[this.#head]; oldest !== undefined && oldest.expiry <= time; ) {
      this.#evictOldest();
      oldest = this.#order[this.#head];
    }
  }

  #evictOldest(): void {
    const oldest = this.#order[this.#head++];
    if (oldest !== undefined && this.#live.get(oldest.id) === oldest) this.#live.delete(oldest.id);
    // Drop the evicted prefix once it is half the array: amortised constant time per claim.
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    }
  }
}
