/**
 * Runs one call per id over a lazily read stream of ids, a fixed number at a time, and yields
 * each outcome as it settles. The engine behind `connections.retrieveMany`; it knows nothing
 * of connections: the resource passes the call and the key that detects duplicates.
 */
import { NectarAbortError, NectarError } from "./errors.js";

/** One settled call: the value, or the typed error it failed with. */
export type Settled<T> =
  | { readonly id: string; readonly ok: true; readonly value: T }
  | { readonly id: string; readonly ok: false; readonly error: NectarError };

/** Counts passed to `onProgress` after each settled id. */
export interface BulkProgress {
  /** Ids settled so far (successes and failures). */
  readonly done: number;
  /** The number of distinct ids, when known in advance (an array or a `Set`); else `undefined`. */
  readonly total: number | undefined;
  /** Ids that failed so far. */
  readonly failed: number;
}

/** How {@link settleEach} runs. */
export interface BulkOptions<T> {
  /** Ids read ahead and calls started at once; the memory a run holds is proportional to it. */
  readonly concurrency: number;
  /** Stops the run: nothing new starts, calls in flight are aborted, iteration throws. */
  readonly signal: AbortSignal | undefined;
  /** Called after each settled id, before it is yielded. */
  readonly onProgress: ((progress: BulkProgress) => void) | undefined;
  /** The duplicate-detection key of an id; `undefined` for an id that is never deduplicated. */
  readonly keyOf: (id: string) => string | undefined;
  /** Remember the keys seen, so each id is called and reported once (costs memory per id). */
  readonly dedupe: boolean;
  /** The call for one id; must reject with a {@link NectarError} (and promptly when `signal` aborts). */
  readonly call: (id: string, signal: AbortSignal) => Promise<T>;
}

/** The number of distinct keys of an in-memory collection, or `undefined` for a stream. */
function knownTotal(
  ids: Iterable<string> | AsyncIterable<string>,
  keyOf: (id: string) => string | undefined,
  dedupe: boolean,
): number | undefined {
  let collection: readonly unknown[] | ReadonlySet<unknown>;
  if (Array.isArray(ids)) collection = ids;
  else if (ids instanceof Set) collection = ids;
  else return undefined;
  if (!dedupe) return "size" in collection ? collection.size : collection.length;
  const keys = new Set<string>();
  let unkeyed = 0;
  for (const id of collection) {
    const key = typeof id === "string" ? keyOf(id) : undefined;
    if (key === undefined) unkeyed++;
    else keys.add(key);
  }
  return keys.size + unkeyed;
}

/** An async iterator over either kind of iterable. */
function iteratorOf(ids: Iterable<string> | AsyncIterable<string>): AsyncIterator<string> {
  if (Symbol.asyncIterator in ids) return ids[Symbol.asyncIterator]();
  const sync = ids[Symbol.iterator]();
  return {
    next: async () => sync.next(),
    return: async () => sync.return?.() ?? { done: true, value: undefined },
  };
}

/** Resolves with `promise`, or with `undefined` as soon as `signal` aborts. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** The failure of a call whose error is not one of this package's (e.g. a non-string id). */
function asNectarError(error: unknown): NectarError {
  if (error instanceof NectarError) return error;
  throw error;
}

/**
 * Calls `options.call` once per distinct id of `ids`, at most `concurrency` at once, reading the
 * ids only as slots free up, and yields each outcome in completion order. Breaking out of the
 * loop or aborting `signal` aborts the calls in flight and waits for them to settle, so nothing
 * is left running when iteration ends; an aborted run then throws {@link NectarAbortError}.
 */
export async function* settleEach<T>(
  ids: Iterable<string> | AsyncIterable<string>,
  options: BulkOptions<T>,
): AsyncGenerator<Settled<T>, void, undefined> {
  const { concurrency, signal, onProgress, keyOf, dedupe, call } = options;
  const total = knownTotal(ids, keyOf, dedupe);
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) stop.abort(signal.reason);

  const source = iteratorOf(ids);
  const seen = new Set<string>();
  const running = new Map<number, Promise<{ token: number; outcome: Settled<T> }>>();
  let nextToken = 0;
  let exhausted = false;
  let reading = false;
  let done = 0;
  let failed = 0;

  const start = (id: string) => {
    const token = nextToken++;
    const settled = call(id, stop.signal).then(
      (value): Settled<T> => ({ id, ok: true, value }),
      (error: unknown): Settled<T> => ({ id, ok: false, error: asNectarError(error) }),
    );
    running.set(
      token,
      settled.then((outcome) => ({ token, outcome })),
    );
  };

  /** Reads ids until every slot is taken or the source ends; skips duplicates. */
  const fill = async () => {
    while (!exhausted && running.size < concurrency && !stop.signal.aborted) {
      reading = true;
      const next = await unlessAborted(source.next(), stop.signal);
      reading = next === undefined; // an abort left the read pending
      if (next === undefined) return;
      if (next.done) {
        exhausted = true;
        return;
      }
      const id = next.value;
      const key = typeof id === "string" ? keyOf(id) : undefined;
      if (dedupe && key !== undefined) {
        if (seen.has(key)) continue;
        seen.add(key);
      }
      start(id);
    }
  };

  try {
    for (;;) {
      await fill();
      if (stop.signal.aborted) break;
      if (running.size === 0) return;
      const { token, outcome } = await Promise.race(running.values());
      running.delete(token);
      if (stop.signal.aborted) break;
      done++;
      if (!outcome.ok) failed++;
      onProgress?.({ done, total, failed });
      yield outcome;
    }
    throw new NectarAbortError("retrieveMany was aborted by the caller.");
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stop.abort(new NectarAbortError("retrieveMany stopped."));
    await Promise.allSettled(running.values());
    running.clear();
    // A read left pending by an abort (say, on standard input) would hold `return` back.
    const closed = exhausted ? undefined : source.return?.().catch(() => undefined);
    if (!reading) await closed;
  }
}
