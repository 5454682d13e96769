/**
 * `connections.retrieveMany`: many connections through the client's cap and retry budget, read
 * lazily from any iterable of ids, each outcome yielded as it completes.
 */
import type { Connection } from "../../generated/schema.js";
import { type BulkOptions, type BulkProgress, settleEach } from "../core/bulk.js";
import { DEFAULT_BULK_CONCURRENCY } from "../core/constants.js";
import type { NectarError } from "../core/errors.js";
import { NectarInvalidInputError } from "../core/errors.js";
import { isUuid } from "../core/input.js";
import {
  aBoolean,
  aFunction,
  checkOptions,
  type OptionTable,
  wholeNumber,
} from "../core/option-table.js";
import { REQUEST_OPTION_TABLE, type RequestOptions } from "../core/options.js";

/** One id's outcome: its connection, or the typed error it failed with. */
export type RetrieveManyResult =
  | { readonly id: string; readonly ok: true; readonly connection: Connection }
  | { readonly id: string; readonly ok: false; readonly error: NectarError };

/** Options of {@link ConnectionsResource.retrieveMany}. */
export interface RetrieveManyOptions extends RequestOptions {
  /** Called after each id settles with `{ done, total, failed }`; `total` only for an array or a `Set`. */
  onProgress?: ((progress: BulkProgress) => void) | undefined;
  /**
   * Ids read ahead and fetched at once; default 10 (the client's default cap). The client's
   * `maxConcurrency` still applies on top: a larger value only queues more calls.
   */
  concurrency?: number | undefined;
  /**
   * Fetch and report each distinct id once (default `true`). Remembering the ids seen costs
   * about 100 bytes per distinct id; pass `false` for a stream of millions of ids known to be
   * distinct, and memory stays flat whatever the count.
   */
  dedupe?: boolean | undefined;
}

/** The checks of `retrieveMany`'s options: the per-call ones, and its own. */
export const RETRIEVE_MANY_OPTION_TABLE: OptionTable<RetrieveManyOptions> = {
  ...REQUEST_OPTION_TABLE,
  onProgress: aFunction(),
  concurrency: wholeNumber(1),
  dedupe: aBoolean,
};

/** The duplicate key of an id: a UUID in lower case (the case Nectar's routes match). */
function keyOf(id: string): string | undefined {
  return isUuid(id) ? id.toLowerCase() : undefined;
}

/** Is `value` usable as a source of ids? */
export function isIdSource(value: unknown): value is Iterable<string> | AsyncIterable<string> {
  return (
    typeof value === "object" &&
    value !== null &&
    (Symbol.iterator in value || Symbol.asyncIterator in value) &&
    typeof value !== "string"
  );
}

/** Refuses a value that is neither an iterable nor an async iterable of ids. */
export function requireIdSource(value: unknown): Iterable<string> | AsyncIterable<string> {
  if (isIdSource(value)) return value;
  throw new NectarInvalidInputError(
    "ids must be an Iterable or AsyncIterable of connection ids (an array, a Set, a generator).",
  );
}

/** One connection, as `retrieve` fetches it. */
export type RetrieveOne = (id: string, options: RequestOptions) => Promise<Connection>;

/**
 * Checks the arguments at once (a bad one throws {@link NectarInvalidInputError} before any
 * request), then returns the lazy run; see {@link ConnectionsResource.retrieveMany}.
 */
export function retrieveMany(
  retrieve: RetrieveOne,
  ids: Iterable<string> | AsyncIterable<string>,
  options?: RetrieveManyOptions,
): AsyncIterable<RetrieveManyResult> {
  const source = requireIdSource(ids);
  // Checked once here, the per-call ones included, rather than failing every id of the run.
  const { onProgress, signal, dedupe, concurrency, ...perCall } = checkOptions(
    options,
    RETRIEVE_MANY_OPTION_TABLE,
    "retrieveMany",
  );
  const bulk = {
    concurrency: concurrency ?? DEFAULT_BULK_CONCURRENCY,
    signal,
    onProgress,
    keyOf,
    dedupe: dedupe ?? true,
    call: (id: string, callSignal: AbortSignal) => retrieve(id, { ...perCall, signal: callSignal }),
  };
  // Nothing is read or sent until iteration starts.
  return { [Symbol.asyncIterator]: () => results(source, bulk) };
}

/** Runs the engine and renames its `value` to `connection`. */
async function* results(
  source: Iterable<string> | AsyncIterable<string>,
  bulk: BulkOptions<Connection>,
): AsyncGenerator<RetrieveManyResult, void, undefined> {
  for await (const outcome of settleEach(source, bulk)) {
    yield outcome.ok
      ? { id: outcome.id, ok: true, connection: outcome.value }
      : { id: outcome.id, ok: false, error: outcome.error };
  }
}
