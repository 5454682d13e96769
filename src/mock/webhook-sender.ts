/**
 * The mock's webhook sender: each event becomes a message with its own `msg_` id, signed with
 * the package's `signWebhook` and posted to the receiver, retried like Svix (same id, fresh
 * timestamp and signature on every attempt) until a 2xx, the end of the schedule, or a
 * `webhook-delivery: abort-message` answer. Messages in progress are bounded; `close()` cancels
 * every attempt and every wait, so nothing is sent after it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { signWebhook } from "../webhooks/sign.js";
import { MOCK_LOG_LIMIT, type MockWebhookStats } from "./types.js";
import { attemptDelivery } from "./webhook-attempt.js";
import type { CheckedWebhookOptions } from "./webhook-options.js";
import type { MockWebhookEventType } from "./webhook-payloads.js";

/** Sends the webhooks of one mock server. */
export interface WebhookSender {
  /** Queues one event (dropped, and counted, when the queue is full). */
  send(eventType: MockWebhookEventType, payload: object): void;
  /** Drops every message in progress (their attempts and retries), for `reset()`. */
  cancel(): void;
  /** Cancels everything and resolves once no attempt is open any more. */
  close(): Promise<void>;
}

/** One message: what every attempt re-sends. */
interface Message {
  readonly id: string;
  readonly body: string;
}

/** A message id such as Svix's: `msg_` and 32 random hex digits. */
function messageId(): string {
  return `msg_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
}

/** The signed headers of one attempt, under the configured names. */
async function signedHeaders(
  message: Message,
  options: CheckedWebhookOptions,
): Promise<Record<string, string>> {
  const signed = await signWebhook(message.body, options.secret, { id: message.id });
  if (options.headerPrefix === "svix") return signed;
  return {
    "webhook-id": signed["svix-id"],
    "webhook-timestamp": signed["svix-timestamp"],
    "webhook-signature": signed["svix-signature"],
  };
}

/** Waits `ms`, or less when `signal` aborts (the caller checks the signal next). */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * Every attempt of one message, with the schedule's waits between them; counts into `stats`.
 * Each attempt is signed anew: the same id, the attempt's own timestamp (as Svix renews it).
 * A cancel (reset, close) ends it uncounted, at whatever point it comes.
 */
async function deliver(
  message: Message,
  signal: AbortSignal,
  options: CheckedWebhookOptions,
  stats: MockWebhookStats,
): Promise<void> {
  for (let failures = 0; ; failures++) {
    const headers = await signedHeaders(message, options);
    if (signal.aborted) return;
    stats.attempts += 1;
    const { url, timeoutMs } = options;
    const outcome = await attemptDelivery({ url, timeoutMs, headers, body: message.body, signal });
    if (outcome.kind === "cancelled") return;
    if (outcome.kind === "acknowledged") {
      stats.delivered += 1;
      return;
    }
    const delay = options.retryScheduleMs[failures];
    if (delay === undefined || (outcome.kind === "refused" && outcome.abort)) {
      stats.failed += 1;
      return;
    }
    await pause(delay, signal);
  }
}

/** Creates the sender of one mock; `stats` is the mock's live `stats.webhooks`. */
export function createWebhookSender(
  options: CheckedWebhookOptions,
  stats: MockWebhookStats,
): WebhookSender {
  let controller = new AbortController();
  const inProgress = new Set<Promise<void>>();

  return {
    send(eventType, payload) {
      if (inProgress.size >= options.maxQueue) {
        stats.dropped += 1;
        return;
      }
      const message = { id: messageId(), body: JSON.stringify(payload) };
      stats.sent += 1;
      stats.events.push({ messageId: message.id, eventType });
      if (stats.events.length > MOCK_LOG_LIMIT) stats.events.shift();
      // deliver settles every outcome itself; the catch only keeps a bug from crashing the host.
      const done = deliver(message, controller.signal, options, stats)
        .catch(() => undefined)
        .finally(() => {
          inProgress.delete(done);
          stats.inProgress = inProgress.size;
        });
      inProgress.add(done);
      stats.inProgress = inProgress.size;
    },
    cancel() {
      controller.abort();
      controller = new AbortController();
    },
    async close() {
      controller.abort();
      await Promise.all(inProgress);
    },
  };
}
