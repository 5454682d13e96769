/**
 * A counting semaphore that keeps at most `max` requests of one client in flight. Further
 * calls wait in a first-in, first-out queue; a waiting call leaves the queue when its signal
 * aborts.
 */

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** Limits how many requests of one client are in flight at once. */
export class ConcurrencyLimiter {
  readonly #max: number;
  #inFlight = 0;
  readonly #queue = new Set<Waiter>();

  /** `max` requests may be in flight at once. */
  constructor(max: number) {
    this.#max = max;
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
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#queue.delete(waiter);
          reject(abortError());
        },
      };
      this.#queue.add(waiter);
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
    });
  }

  /** Gives a slot back, handing it straight to the longest-waiting call if there is one. */
  release(): void {
    for (const next of this.#queue) {
      this.#queue.delete(next);
      next.signal?.removeEventListener("abort", next.onAbort);
      next.resolve();
      return;
    }
    this.#inFlight--;
  }
}
