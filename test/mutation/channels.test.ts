/**
 * The tracing channels' sink: active as soon as one of its nine channels has a subscriber (a
 * subscriber to `nectar:call`'s start alone must be enough for calls to be observed), built once
 * and shared, and absent where the runtime's `diagnostics_channel` has no `tracingChannel`.
 */
import { channel } from "node:diagnostics_channel";
import { afterEach, expect, it, vi } from "vitest";
import { channelsSink } from "../../src/core/channels.ts";

afterEach(() => {
  vi.restoreAllMocks();
  vi.resetModules();
});

it("a subscriber to tracing:nectar:call:start alone makes the sink active", () => {
  const start = channel("tracing:nectar:call:start");
  const listener = () => {};
  start.subscribe(listener);
  try {
    expect(channelsSink()?.active?.()).toBe(true);
  } finally {
    start.unsubscribe(listener);
  }
});

it("is built once and shared by every caller", () => {
  expect(channelsSink()).toBeDefined();
  expect(channelsSink()).toBe(channelsSink());
});

it("is absent where diagnostics_channel has no tracingChannel (an older or other runtime)", async () => {
  vi.spyOn(process, "getBuiltinModule").mockReturnValue({ channel });
  vi.resetModules();
  const fresh = await import("../../src/core/channels.ts");
  expect(fresh.channelsSink()).toBeUndefined();
});
