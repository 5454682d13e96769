/**
 * Driving a wait under fake timers, for the `waitFor` tests: real I/O runs until nothing is in
 * flight, then fake time moves on by {@link STEP_MS}, again and again, so no test waits for real
 * time and every count is exact. The client's fetch must be {@link countingFetch}'s, so the
 * driver knows when the waiter is pausing rather than waiting on a socket.
 */
import { vi } from "vitest";
import { recordForRedaction } from "../setup/redaction.js";

/** How far fake time moves at each step. */
export const STEP_MS = 50;

/** A fetch that reads each answer's body before returning it, counting fetches in progress. */
export function countingFetch(): { fetch: typeof fetch; open(): number } {
  let open = 0;
  return {
    fetch: async (input, init) => {
      open++;
      try {
        const response = await fetch(input, init);
        const body = await response.text();
        return new Response(body, { status: response.status, headers: response.headers });
      } finally {
        open--;
      }
    },
    open: () => open,
  };
}

/** How a driven promise ended. */
export type Outcome<T> = { value: T } | { error: unknown };

/** One turn of the event loop: what real I/O is ready runs. */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A driver: it takes a promise to its end, letting real I/O run while `busy()` says something is
 * in flight and moving fake time on by {@link STEP_MS} otherwise. It returns the outcome and the
 * fake time it took, or throws when `maxSteps` steps did not end it.
 */
export function driver(busy: () => boolean) {
  return async <T>(promise: Promise<T>, maxSteps = 10_000) => {
    const started = Date.now();
    let outcome: Outcome<T> | undefined;
    promise.then(
      (value) => {
        outcome = { value };
      },
      (error: unknown) => {
        recordForRedaction(error);
        outcome = { error };
      },
    );
    for (let step = 0; outcome === undefined && step < maxSteps; step++) {
      do await turn();
      while (busy());
      await turn();
      if (outcome === undefined) await vi.advanceTimersByTimeAsync(STEP_MS);
    }
    if (outcome === undefined) throw new Error("the wait did not end");
    return { outcome, elapsed: Date.now() - started };
  };
}
