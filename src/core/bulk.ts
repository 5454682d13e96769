/**
 * Runs one call per id over a lazily read stream of ids, a fixed number at a time, and yields
 * each outcome as it settles. The engine behind `connections.retrieveMany`; it knows nothing
 * of connections: the resource passes the call and the key that detects duplicates.
 */
import { BULK_READS_PER_TURN } from "./constants.js";
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

/** Reads ids one at a time; a pending read of an async source gives way to an abort. */
interface IdReader {
  /** The next id: at once from an iterable, later from an async one; `undefined` once aborted. */
  next(): IteratorResult<string> | Promise<IteratorResult<string> | undefined> | undefined;
  /** True while a read of an async source is pending (an abort left it so). */
  readonly pending: boolean;
  /** Closes the source (its `return`), e.g. a file stream, when the run ends early. */
  close(): Promise<unknown> | undefined;
}

/**
 * A reader over either kind of iterable. An iterable is read synchronously (no promise per id).
 * An async one may wait forever (standard input): one abort listener for the whole run, not one
 * per read (adding a listener to an `AbortSignal` costs tens of microseconds in Node).
 */
function readerOf(ids: Iterable<string> | AsyncIterable<string>, signal: AbortSignal): IdReader {
  if (!(Symbol.asyncIterator in ids)) {
    const sync = ids[Symbol.iterator]();
    return {
      next: () => (signal.aborted ? undefined : sync.next()),
      pending: false,
      close: () => {
        sync.return?.();
        return undefined;
      },
    };
  }
  const source = ids[Symbol.asyncIterator]();
  let giveWay: (() => void) | undefined;
  signal.addEventListener("abort", () => giveWay?.(), { once: true });
  const reader = {
    pending: false,
    next() {
      if (signal.aborted) return undefined;
      reader.pending = true;
      return new Promise<IteratorResult<string> | undefined>((resolve, reject) => {
        giveWay = () => resolve(undefined);
        source.next().then(
          (result) => {
            reader.pending = false;
            resolve(result);
          },
          (error: unknown) => {
            reader.pending = false;
            reject(error);
          },
        );
      });
    },
    close: () => source.return?.().catch(() => undefined),
  };
  return reader;
}

/**
 * The state of one run: the calls in flight, the outcomes not yet yielded, the read in progress.
 * Reads and calls complete in callbacks that only record what happened and wake the loop.
 */
class BulkRun<T> {
  /** Calls in flight. */
  readonly running = new Set<Promise<void>>();
  /** Outcomes settled and not yet yielded: at most `concurrency`. */
  readonly finished: Settled<T>[] = [];
  /** A failure that is not one of this package's errors (a bug, a source that threw): ends the run. */
  broken: { error: unknown } | undefined;
  exhausted = false;
  readonly #seen = new Set<string>();
  readonly #reader: IdReader;
  readonly #options: BulkOptions<T>;
  readonly #signal: AbortSignal;
  #wake: (() => void) | undefined;
  /** Ids read since the event loop last turned. */
  #readsThisTurn = 0;
  /** The timer that lets the event loop turn, while one is pending. */
  #turn: ReturnType<typeof setTimeout> | undefined;

  constructor(reader: IdReader, options: BulkOptions<T>, signal: AbortSignal) {
    this.#reader = reader;
    this.#options = options;
    this.#signal = signal;
    // An abort wakes the loop at once, whatever it waits for (`signal` is the run's own).
    signal.addEventListener("abort", () => this.#wake?.(), { once: true });
  }

  /** True while a read of an async source is pending. */
  get reading(): boolean {
    return this.#reader.pending;
  }

  /** Starts reads while slots are free; never waits (a slow source must not hold results back). */
  pump(): void {
    const { concurrency } = this.#options;
    while (!this.exhausted && !this.reading && this.running.size < concurrency) {
      if (this.#readsThisTurn >= BULK_READS_PER_TURN) {
        this.#letTheLoopTurn();
        return;
      }
      this.#readsThisTurn++;
      const read = this.#reader.next();
      if (read === undefined) return; // aborted
      if (!(read instanceof Promise)) {
        this.#accept(read);
        continue;
      }
      read.then(
        (result) => {
          if (result !== undefined) this.#accept(result);
          this.#wake?.();
        },
        (error: unknown) => {
          this.broken ??= { error };
          this.#wake?.();
        },
      );
      return;
    }
  }

  /** Resolves when a read or a call completes. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  /** Closes the source when the run ends before it did, and stops the turn timer. */
  close(): Promise<unknown> | undefined {
    clearTimeout(this.#turn);
    return this.exhausted ? undefined : this.#reader.close();
  }

  /**
   * Wakes the loop from a timer, a macrotask: reads that complete at once (duplicates, an
   * async source that resolves at once) would otherwise chain microtasks for ever, and no timer,
   * I/O or abort could run. Reading resumes with a fresh count.
   */
  #letTheLoopTurn(): void {
    this.#turn ??= setTimeout(() => {
      this.#turn = undefined;
      this.#readsThisTurn = 0;
      this.#wake?.();
    }, 0);
  }

  /** Takes one id read from the source: starts its call unless it is a duplicate. */
  #accept(result: IteratorResult<string>): void {
    if (result.done) {
      this.exhausted = true;
      return;
    }
    const id = result.value;
    const key = typeof id === "string" ? this.#options.keyOf(id) : undefined;
    if (this.#options.dedupe && key !== undefined) {
      if (this.#seen.has(key)) return;
      this.#seen.add(key);
    }
    const settle = (outcome: Settled<T> | undefined, error?: unknown) => {
      this.running.delete(task);
      if (outcome) this.finished.push(outcome);
      else this.broken ??= { error };
      this.#wake?.();
    };
    const task: Promise<void> = this.#options.call(id, this.#signal).then(
      (value) => settle({ id, ok: true, value }),
      (error: unknown) =>
        error instanceof NectarError ? settle({ id, ok: false, error }) : settle(undefined, error),
    );
    this.running.add(task);
  }
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
  const { signal, onProgress } = options;
  const total = knownTotal(ids, options.keyOf, options.dedupe);
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) stop.abort(signal.reason);
  const run = new BulkRun(readerOf(ids, stop.signal), options, stop.signal);
  let done = 0;
  let failed = 0;
  try {
    for (;;) {
      if (run.broken) throw run.broken.error;
      if (stop.signal.aborted) break;
      // What has settled is yielded first; new calls start when the caller asks for more.
      const outcome = run.finished.shift();
      if (outcome !== undefined) {
        done++;
        if (!outcome.ok) failed++;
        onProgress?.({ done, total, failed });
        yield outcome;
        continue;
      }
      run.pump(); // synchronous: what it starts settles in a later callback, never here
      if (stop.signal.aborted) break;
      if (run.running.size === 0 && !run.reading && run.exhausted) return;
      await run.settled();
    }
    throw new NectarAbortError("retrieveMany was aborted by the caller.");
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stop.abort(new NectarAbortError("retrieveMany stopped."));
    await Promise.allSettled(run.running);
    // A read left pending by an abort (say, on standard input) would hold `return` back.
    const closed = run.close();
    if (!run.reading) await closed;
  }
}
