/**
 * The abort watcher when a caller's stop function runs twice: the second call must not touch a
 * later watcher's entry for the same signal (dropping it would put a second listener on the
 * signal at the next watch: one listener per signal is the point of the watcher).
 */
import { getEventListeners } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { createAbortWatch } from "../../src/core/abort.js";

describe("createAbortWatch with a stop called twice", () => {
  it("leaves a later watcher of the same signal alone, and its stop still removes the listener", () => {
    const watch = createAbortWatch();
    const controller = new AbortController();
    const stopFirst = watch(controller.signal, () => {});
    stopFirst();
    const later = vi.fn();
    const stopLater = watch(controller.signal, later);
    stopFirst();
    const stopThird = watch(controller.signal, () => {});
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    stopThird();
    stopLater();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    controller.abort();
    expect(later).not.toHaveBeenCalled();
  });

  it("still calls a later watcher on abort after an earlier stop ran twice", () => {
    const watch = createAbortWatch();
    const controller = new AbortController();
    const stopFirst = watch(controller.signal, () => {});
    stopFirst();
    const later = vi.fn();
    watch(controller.signal, later);
    stopFirst();
    controller.abort();
    expect(later).toHaveBeenCalledOnce();
  });
});
