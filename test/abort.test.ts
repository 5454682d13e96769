import { getEventListeners } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { createAbortWatch } from "../src/core/abort.js";

describe("createAbortWatch", () => {
  it("puts one listener on a signal however many callers watch it", () => {
    const watch = createAbortWatch();
    const controller = new AbortController();
    const stops = Array.from({ length: 50 }, () => watch(controller.signal, () => {}));
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    for (const stop of stops) stop();
  });

  it("removes the listener when the last watcher stops", () => {
    const watch = createAbortWatch();
    const { signal } = new AbortController();
    const stopA = watch(signal, () => {});
    const stopB = watch(signal, () => {});
    stopA();
    expect(getEventListeners(signal, "abort")).toHaveLength(1);
    stopB();
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("calls every current watcher once on abort, and not the ones that stopped", () => {
    const watch = createAbortWatch();
    const controller = new AbortController();
    const first = vi.fn();
    const second = vi.fn();
    const stopped = vi.fn();
    watch(controller.signal, first);
    watch(controller.signal, second);
    watch(controller.signal, stopped)();
    controller.abort();
    controller.abort();
    expect(first).toHaveBeenCalledOnce();
    expect(second).toHaveBeenCalledOnce();
    expect(stopped).not.toHaveBeenCalled();
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("lets a watcher stop itself while the abort is being delivered", () => {
    const watch = createAbortWatch();
    const controller = new AbortController();
    const calls: string[] = [];
    const stop = watch(controller.signal, () => {
      calls.push("first");
      stop();
    });
    watch(controller.signal, () => calls.push("second"));
    controller.abort();
    expect(calls).toEqual(["first", "second"]);
  });

  it("watches a signal again after it was fully released", () => {
    const watch = createAbortWatch();
    const controller = new AbortController();
    watch(controller.signal, () => {})();
    const onAbort = vi.fn();
    watch(controller.signal, onAbort);
    controller.abort();
    expect(onAbort).toHaveBeenCalledOnce();
  });
});
