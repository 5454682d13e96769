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

describe("ConcurrencyLimiter's queue", () => {
  it("keeps first in, first out when waiters in the middle, at the head and at the tail abort", async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.acquire(undefined, abortError);
    const controllers = Array.from({ length: 8 }, () => new AbortController());
    const order: number[] = [];
    const waits = controllers.map((controller, n) =>
      limiter.acquire(controller.signal, abortError)?.then(
        () => order.push(n),
        () => undefined,
      ),
    );
    expect(limiter.queued).toBe(8);
    // Head, middle, tail, and two neighbours.
    for (const n of [0, 3, 4, 7]) controllers[n]?.abort();
    await settle();
    expect(limiter.queued).toBe(4);
    for (let i = 0; i < 4; i++) {
      limiter.release();
      await settle();
    }
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 5, 6]);
    expect(limiter.queued).toBe(0);
    expect(limiter.inFlight).toBe(1);
    limiter.release();
    expect(limiter.inFlight).toBe(0);
  });

  it("an abort after the queue emptied and refilled does not disturb the new waiters", async () => {
    const limiter = new ConcurrencyLimiter(1);
    limiter.acquire(undefined, abortError);
    const controller = new AbortController();
    const first = limiter.acquire(controller.signal, abortError);
    limiter.release();
    await first;
    const order: number[] = [];
    const second = limiter.acquire(undefined, abortError)?.then(() => order.push(2));
    controller.abort(); // the first waiter already left: nothing may be unlinked twice
    expect(limiter.queued).toBe(1);
    limiter.release();
    await second;
    expect(order).toEqual([2]);
  });

  it("a waiter that already left is never unlinked twice, even if its abort is reported late", async () => {
    // A watch that keeps every callback (unwatch does nothing), so an abort still reaches a
    // waiter after release() handed it a slot: the queue behind it must stay as it is.
    const late: Array<() => void> = [];
    const limiter = new ConcurrencyLimiter(1, (_signal, onAbort) => {
      late.push(onAbort);
      return () => {};
    });
    limiter.acquire(undefined, abortError);
    const first = limiter.acquire(new AbortController().signal, abortError);
    const order: number[] = [];
    const second = limiter.acquire(undefined, abortError)?.then(() => order.push(2));
    const third = limiter.acquire(undefined, abortError)?.then(() => order.push(3));
    limiter.release();
    await first;
    for (const onAbort of late) onAbort();
    expect(limiter.queued).toBe(2);
    limiter.release();
    limiter.release();
    await Promise.all([second, third]);
    expect(order).toEqual([2, 3]);
  });

  it("hands over one live waiter per release with 100 000 queued and 2 000 aborted among them", async () => {
    // Counted, not timed: each release must hand over exactly the next live waiter, and the
    // queue must shrink by exactly one per release whatever was aborted before. (Only every 50th
    // waiter has a signal: listening on an AbortSignal costs microseconds in Node.)
    const limiter = new ConcurrencyLimiter(1);
    limiter.acquire(undefined, abortError);
    const count = 100_000;
    const granted: number[] = [];
    const controllers = new Map<number, AbortController>();
    for (let n = 0; n < count; n++) {
      const controller = n % 50 === 0 ? new AbortController() : undefined;
      if (controller) controllers.set(n, controller);
      limiter.acquire(controller?.signal, abortError)?.then(
        () => granted.push(n),
        () => undefined,
      );
    }
    for (const controller of controllers.values()) controller.abort();
    const live = count - controllers.size;
    expect(limiter.queued).toBe(live);
    for (let n = 0; n < live; n++) limiter.release();
    await settle();
    expect(granted).toHaveLength(live);
    expect(granted.every((value, index) => index === 0 || value > (granted[index - 1] ?? 0))).toBe(
      true,
    );
    expect(granted.some((value) => value % 50 === 0)).toBe(false);
    expect(limiter.queued).toBe(0);
  });
});
