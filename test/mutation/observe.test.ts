/**
 * The observer over the client's sinks: call ids that count up, no observer without a sink, a
 * sink that handles only some events, a sink that throws (reported, the others still called), and
 * a sink without `active` counting as listening.
 */
import { describe, expect, it, vi } from "vitest";
import { type CallEvent, callEvent, createObserver, type Sink } from "../../src/core/observe.ts";

const never = (error: unknown) => {
  throw new Error(`unexpected fault: ${String(error)}`);
};

describe("createObserver", () => {
  it("gives each call the next positive id", () => {
    const first = callEvent("retrieveConnection", "GET", "/a");
    const second = callEvent("retrieveConnection", "GET", "/b");
    expect(first.callId).toBeGreaterThan(0);
    expect(second.callId).toBe(first.callId + 1);
  });

  it("is undefined without a sink", () => {
    expect(createObserver([], never)).toBeUndefined();
  });

  it("skips a sink that does not handle an event, without a fault", () => {
    const onFault = vi.fn();
    const ends: unknown[] = [];
    const observer = createObserver([{ callEnd: (event) => ends.push(event) }], onFault);
    const event = callEvent("listConnections", "GET", "/connections");
    observer?.callStart(event);
    expect(onFault).not.toHaveBeenCalled();
    expect(ends).toEqual([]);
  });

  it("reports a sink that throws to onFault, and still calls the next sink", () => {
    const boom = new Error("sink failed");
    const onFault = vi.fn();
    const seen: CallEvent[] = [];
    const sinks: Sink[] = [
      {
        callStart: () => {
          throw boom;
        },
      },
      { callStart: (event) => seen.push(event) },
    ];
    const event = callEvent("listConnections", "GET", "/connections");
    createObserver(sinks, onFault)?.callStart(event);
    expect(onFault).toHaveBeenCalledExactlyOnceWith(boom);
    expect(seen).toEqual([event]);
  });

  it("is active when a sink has no `active`, and follows `active` when it has one", () => {
    expect(createObserver([{}], never)?.active()).toBe(true);
    expect(createObserver([{ active: () => false }], never)?.active()).toBe(false);
    expect(createObserver([{ active: () => false }, {}], never)?.active()).toBe(true);
  });
});
