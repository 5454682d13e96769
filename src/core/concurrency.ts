import { createAbortWatch, type WatchAbort } from "./abort.js";

/**
 * A counting semaphore that keeps at most `max` requests of one client in flight. Further
 * calls wait in a first-in, first-out queue; a waiting call leaves the queue when its signal
 * aborts.
 */

interface Waiter {
  resolve: () => void;
  /** Stops watching the caller's signal. */
  unwatch: (() => void) | undefined;
}

/** Limits how many requests of one client are in flight at once. */
export class ConcurrencyLimiter {
  readonly #max: number;
  #inFlight = 0;
  readonly #queue = new Set<Waiter>();
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
    return this.#queue.size;
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
      const waiter: Waiter = { resolve, unwatch: undefined };
      if (signal) {
        waiter.unwatch = this.#watch(signal, () => {
          this.#queue.delete(waiter);
          reject(abortError());
        });
      }
      this.#queue.add(waiter);
    });
  }

  /** Gives a slot back, handing it straight to the longest-waiting call if there is one. */
  release(): void {
    for (const next of this.#queue) {
      this.#queue.delete(next);
      next.unwatch?.();
      next.resolve();
      return;
    }
    this.#inFlight--;
  }
}
