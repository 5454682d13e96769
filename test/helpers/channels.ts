/**
 * A subscriber to the client's three tracing channels (`diagnostics_channel`), for the tests of
 * what calls publish. Unsubscribed by {@link stopListening}, which a test file's `afterEach` calls.
 */
import { tracingChannel } from "node:diagnostics_channel";
import { CHANNEL_NAMES } from "../../src/index.js";

/** One publication: the channel's name, the event kind (`start`, `asyncEnd`…) and its object. */
export type Seen = [channel: string, kind: string, event: Record<string, unknown>];

const unsubscribes: (() => void)[] = [];

/** Subscribes to the three tracing channels; returns what they publish, in order. */
export function listen(): Seen[] {
  const seen: Seen[] = [];
  for (const name of Object.values(CHANNEL_NAMES)) {
    const channel = tracingChannel(name);
    const record = (kind: string) => (event: unknown) =>
      seen.push([name, kind, event as Record<string, unknown>]);
    const subscribers = {
      start: record("start"),
      end: record("end"),
      asyncStart: record("asyncStart"),
      asyncEnd: record("asyncEnd"),
      error: record("error"),
    };
    channel.subscribe(subscribers);
    unsubscribes.push(() => channel.unsubscribe(subscribers));
  }
  return seen;
}

/** Unsubscribes every listener {@link listen} made. */
export function stopListening(): void {
  for (const stop of unsubscribes.splice(0)) stop();
}
