/**
 * The client's `diagnostics_channel` tracing channels, `nectar:call`, `nectar:attempt` and
 * `nectar:queue` (subscribe to `tracing:nectar:call:start`, `…:asyncEnd`, `…:error`). The module
 * is taken with `process.getBuiltinModule` (Node 20.16+, Deno, Bun): no `node:` import, so the
 * entry still loads in workerd and browsers, where there are no channels. While nobody
 * subscribes, a call reads `hasSubscribers` of the nine channels once and builds no event.
 */
import type { AttemptEvent, CallEvent, EndEvent, QueueEvent, Sink } from "./observe.js";

/** The part of a `diagnostics_channel` channel the client uses. */
interface Channel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/** The channels of one `tracingChannel`. */
interface Tracing {
  readonly start: Channel;
  readonly asyncEnd: Channel;
  readonly error: Channel;
}

/** The names of the client's tracing channels. */
export const CHANNEL_NAMES = {
  call: "nectar:call",
  attempt: "nectar:attempt",
  queue: "nectar:queue",
} as const;

/** The runtime's `diagnostics_channel`, when it has one and offers `getBuiltinModule`. */
function diagnostics(): { tracingChannel(name: string): Tracing } | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  try {
    const found = runtime?.getBuiltinModule?.("node:diagnostics_channel") as
      | { tracingChannel?: (name: string) => Tracing }
      | undefined;
    return typeof found?.tracingChannel === "function"
      ? (found as { tracingChannel(name: string): Tracing })
      : undefined;
  } catch {
    return undefined;
  }
}

let channels: Sink | null | undefined;

/** Publishes `message` on `channel`, only when someone listens there. */
function publish(channel: Channel, message: unknown): void {
  if (channel.hasSubscribers) channel.publish(message);
}

/** Publishes an end: on `error` when it failed, else on `asyncEnd`. */
function publishEnd(tracing: Tracing, event: EndEvent): void {
  publish(event.errorName === undefined ? tracing.asyncEnd : tracing.error, event);
}

/** Builds the sink over the three tracing channels. */
function channelSink(module: { tracingChannel(name: string): Tracing }): Sink {
  const call = module.tracingChannel(CHANNEL_NAMES.call);
  const attempt = module.tracingChannel(CHANNEL_NAMES.attempt);
  const queue = module.tracingChannel(CHANNEL_NAMES.queue);
  const all = [call, attempt, queue].flatMap((one) => [one.start, one.asyncEnd, one.error]);
  return {
    active: () => all.some((channel) => channel.hasSubscribers),
    callStart: (event: CallEvent) => publish(call.start, event),
    callEnd: (event) => publishEnd(call, event),
    queued: (event: QueueEvent) => publish(queue.asyncEnd, event),
    attemptStart: (event: AttemptEvent) => publish(attempt.start, event),
    attemptEnd: (event) => publishEnd(attempt, event),
  };
}

/** The channels' sink, shared by every client; `undefined` where the runtime has none. */
export function channelsSink(): Sink | undefined {
  if (channels === undefined) {
    const module = diagnostics();
    channels = module ? channelSink(module) : null;
  }
  return channels ?? undefined;
}
