import { createAbortWatch, type WatchAbort } from "./abort.js";

/**
 * A counting semaphore that keeps at most `max` requests of one client in flight. Further
 * calls wait in a first-in, first-out queue; a waiting call leaves the queue when its signal
 * aborts. The queue is a doubly linked list: acquiring, releasing and leaving on abort are each
 * O(1), however many calls wait.
 */

interface Waiter {
  resolve: () => void;
  /** Stops watching the caller's signal. */
  unwatch: (() => void) | undefined;
  prev: Waiter | undefined;
  next: Waiter | undefined;
  /** Still in the queue (neither handed a slot nor aborted). */
  queued: boolean;
}

/** Limits how many requests of one client are in flight at once. */
export class ConcurrencyLimiter {
  readonly #max: number;
  #inFlight = 0;
  #head: Waiter | undefined;
  #tail: Waiter | undefined;
  #queued = 0;
  readonly #watch: WatchAbort;

  /** `max` requests may be in flight at once; `watch` is shared with the client's transport. */
  constructor(max: number, watch: WatchAbort = createAbortWatch()) {
    this.#max = max;
    this.#watch = watch;
  }

  /** Requests in flight now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Calls waiting for a slot now. */
  get queued(): number {
    return this.#queued;
  }

  /**
   * Takes a slot: `undefined` when one was free (no promise to await on the fast path),
   * else a promise that resolves when a slot is handed over, or rejects with
   * `abortError()` when `signal` aborts first.
   */
  acquire(signal: AbortSignal | undefined, abortError: () => Error): Promise<void> | undefined {
    if (this.#inFlight < this.#max) {
      this.#inFlight++;
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        unwatch: undefined,
        prev: this.#tail,
        next: undefined,
        queued: true,
      };
      if (signal) {
        waiter.unwatch = this.#watch(signal, () => {
          this.#unlink(waiter);
          reject(abortError());
        });
      }
      if (this.#tail) this.#tail.next = waiter;
      else this.#head = waiter;
      this.#tail = waiter;
      this.#queued++;
    });
  }

  /** Gives a slot back, handing it straight to the longest-waiting call if there is one. */
  release(): void {
    const next = this.#head;
    if (next === undefined) {
      this.#inFlight--;
      return;
    }
    this.#unlink(next);
    next.unwatch?.();
    next.resolve();
  }

  /** Takes a waiter out of the queue in O(1); nothing when it already left. */
  #unlink(waiter: Waiter): void {
    if (!waiter.queued) return;
    waiter.queued = false;
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.#head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.#tail = waiter.prev;
    waiter.prev = undefined;
    waiter.next = undefined;
    this.#queued--;
  }
}
