/** The per-client concurrency limiter on its own: fast path, FIFO hand-over, abort while queued. */
import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "../src/core/concurrency.js";

class QueueAbort extends Error {}
const abortError = () => new QueueAbort("aborted while queued");

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("ConcurrencyLimiter", () => {
  it("takes a free slot synchronously, without a promise, up to max", () => {
    const limiter = new ConcurrencyLimiter(2);
    expect(limiter.acquire(undefined, abortError)).toBeUndefined();
    expect(limiter.acquire(undefined, abortError)).toBeUndefined();
    expect(limiter.inFlight).toBe(2);
    expect(limiter.queued).toBe(0);
  });

  it("queues the call beyond max until a slot is released", async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.acquire(undefined, abortError);
    const waiting = limiter.acquire(undefined, abortError);
    expect(waiting).toBeInstanceOf(Promise);
    let granted = false;
    void waiting?.then(() => {
      granted = true;
    });
    await settle();
    expect(granted).toBe(false);
    expect(limiter.queued).toBe(1);

    limiter.release();
    await settle();
    expect(granted).toBe(true);
    // The slot was handed over, not freed: still one in flight, none queued.
    expect(limiter.inFlight).toBe(1);
    expect(limiter.queued).toBe(0);
  });

  it("hands slots over first in, first out", async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.acquire(undefined, abortError);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) =>
      limiter.acquire(undefined, abortError)?.then(() => order.push(n)),
    );
    expect(limiter.queued).toBe(3);

    limiter.release();
    await settle();
    expect(order).toEqual([1]);
    limiter.release();
    limiter.release();
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.inFlight).toBe(1);
  });

  it("frees one slot per release when nobody waits, so exactly that many fast paths open", () => {
    const limiter = new ConcurrencyLimiter(3);
    for (let i = 0; i < 3; i++) limiter.acquire(undefined, abortError);
    limiter.release();
    expect(limiter.inFlight).toBe(2);
    expect(limiter.acquire(undefined, abortError)).toBeUndefined();
    expect(limiter.acquire(undefined, abortError)).toBeInstanceOf(Promise);
    expect(limiter.inFlight).toBe(3);
    expect(limiter.queued).toBe(1);
  });

  it("removes an aborted waiter from the queue and rejects it with the given error", async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.acquire(undefined, abortError);
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal, abortError);
    let laterGranted = false;
    const later = limiter.acquire(undefined, abortError)?.then(() => {
      laterGranted = true;
    });
    expect(limiter.queued).toBe(2);

    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(QueueAbort);
    await expect(aborted).rejects.toThrow("aborted while queued");
    expect(limiter.queued).toBe(1);

    // The released slot goes to the call behind the aborted one, not to the aborted one.
    limiter.release();
    await later;
    expect(laterGranted).toBe(true);
    expect(limiter.inFlight).toBe(1);
    expect(limiter.queued).toBe(0);
  });

  it("does not reject a waiter whose signal aborts after it was handed a slot", async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.acquire(undefined, abortError);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal, abortError);
    limiter.release();
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
    expect(limiter.inFlight).toBe(1);
  });
});
