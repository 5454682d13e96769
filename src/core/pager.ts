/**
 * A walk through a page-numbered list that always ends. Nectar answers a page past the end with
 * the last page again (never an empty one), so a pager that waits for an empty page never stops.
 * This one stops when `hasNext` is false, when `currentPage` reaches `totalPages`, and when the
 * page answered is not the page asked for (the past-the-end answer); it throws
 * {@link NectarPaginationError} when a page repeats the previous one (same items, empty ones
 * included) and announces more, and past a ceiling of pages derived from the first page's
 * `totalPages`. It holds the page being read, the page requests in
 * flight (`pageConcurrency`, default 1) and the previous page's keys: memory stays flat however
 * long the list. Ending the walk early (a `break`, an error, the caller's `signal`) aborts the
 * requests in flight and waits for them to settle.
 */
import { PAGE_CEILING_FACTOR, PAGE_CEILING_SLACK } from "./constants.js";
import { NectarAbortError, NectarInvalidResponseError, NectarPaginationError } from "./errors.js";
import type { CallResult } from "./promise.js";

/** The page numbers every page carries. */
export interface PageNumbers {
  readonly currentPage: number;
  readonly totalPages: number;
  readonly hasNext: boolean;
}

/** What a walk needs from a paginated operation. */
export interface PagerSource<Page extends PageNumbers, Item> {
  /** Fetches page `page` (1-indexed); must reject promptly once `signal` aborts. */
  fetchPage(page: number, signal: AbortSignal | undefined): Promise<CallResult<Page>>;
  /** The items of a page, or `undefined` when the body has none (a malformed page). */
  itemsOf(page: Page): readonly Item[] | undefined;
  /** What identifies an item (its id), to recognise a repeated page. */
  keyOf(item: Item): unknown;
  /** Page requests in flight at once, ≥ 1: the pages after the one being read are fetched ahead. */
  readonly pageConcurrency: number;
  /** The caller's signal: aborting it ends the walk with {@link NectarAbortError}. */
  readonly signal: AbortSignal | undefined;
  /** The request's method, for messages. */
  readonly method: string;
  /** The request's path below the base URL, for messages (no query string). */
  readonly path: string;
}

/** One page of a walk, and its items less those the previous page already had. */
export interface WalkedPage<Page, Item> {
  readonly page: Page;
  readonly items: readonly Item[];
}

/** The last page a walk may fetch, from the first page's `totalPages`. */
export function pageCeiling(totalPages: number): number {
  return Math.max(totalPages, 0) * PAGE_CEILING_FACTOR + PAGE_CEILING_SLACK;
}

/** Does `value` carry the page numbers, as integers and a boolean? */
function hasPageNumbers(value: unknown): value is PageNumbers {
  const { currentPage, totalPages, hasNext } = (value ?? {}) as Partial<
    Record<keyof PageNumbers, unknown>
  >;
  return (
    Number.isSafeInteger(currentPage) &&
    Number.isSafeInteger(totalPages) &&
    typeof hasNext === "boolean"
  );
}

/**
 * The page and its items, or {@link NectarInvalidResponseError} when the body lacks the page
 * numbers or the items (possible with response validation off).
 */
export function checkedPage<Page extends PageNumbers, Item>(
  source: Pick<PagerSource<Page, Item>, "itemsOf" | "method" | "path">,
  { data, response }: CallResult<Page>,
): { page: Page; items: readonly Item[] } {
  const items = hasPageNumbers(data) ? source.itemsOf(data) : undefined;
  if (Array.isArray(items)) return { page: data, items };
  throw new NectarInvalidResponseError({
    method: source.method,
    path: source.path,
    status: response.status,
    headers: response.headers,
    reason: "the body is not a page (currentPage, totalPages, hasNext and the items)",
  });
}

/** Do two pages hold the same items, in the same order (two empty pages included)? */
function sameKeys(previous: readonly unknown[] | undefined, keys: readonly unknown[]): boolean {
  if (previous === undefined || previous.length !== keys.length) return false;
  return keys.every((key, index) => Object.is(key, previous[index]));
}

/** Requests pages in order and hands them back in the same order. */
class PageQueue<Page> {
  readonly #pending: { number: number; result: Promise<CallResult<Page>> }[] = [];
  /** The number of the next page to request. */
  next = 1;

  constructor(
    readonly fetch: (page: number) => Promise<CallResult<Page>>,
    readonly size: number,
  ) {}

  /** Pages requested and not yet taken. */
  get length(): number {
    return this.#pending.length;
  }

  /** Requests pages until `size` are in flight, none past `last`. */
  fill(last: number): void {
    while (this.#pending.length < this.size && this.next <= last) {
      const result = this.fetch(this.next);
      result.catch(() => undefined); // awaited in order: a later page may fail first
      this.#pending.push({ number: this.next, result });
      this.next += 1;
    }
  }

  /** The oldest request: its page number and its result. */
  take(): { number: number; result: Promise<CallResult<Page>> } | undefined {
    return this.#pending.shift();
  }

  /** Settles once every request still queued has settled. */
  settled(): Promise<unknown> {
    return Promise.allSettled(this.#pending.map((entry) => entry.result));
  }
}

/** The error that ends a walk that would not end: a repeated page, or pages past the ceiling. */
function pagingError(
  problem: "repeated_page" | "too_many_pages",
  label: string,
  page: number,
): NectarPaginationError {
  const message =
    problem === "repeated_page"
      ? `${label} answered page ${page} with the items of page ${page - 1}; stopped rather than loop.`
      : `${label} still had pages after page ${page}, the ceiling derived from the first page's totalPages; stopped rather than walk on.`;
  return new NectarPaginationError({ problem, page, message });
}

/** A controller that aborts with `signal` (at once if it already has); `release` unhooks it. */
function followAbort(signal: AbortSignal | undefined) {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort);
  if (signal?.aborted) stop.abort(signal.reason);
  return { stop, release: () => signal?.removeEventListener("abort", onAbort) };
}

/**
 * Walks the pages of `source` in order, yielding each page with its new items. See the module
 * comment for when it stops and what it throws.
 * @throws {NectarPaginationError} on two identical pages in a row or past the page ceiling.
 * @throws {NectarAbortError} when the caller's signal aborts; any error of a page's request.
 */
export async function* walkPages<Page extends PageNumbers, Item>(
  source: PagerSource<Page, Item>,
): AsyncGenerator<WalkedPage<Page, Item>, void, undefined> {
  const { signal } = source;
  const label = `${source.method} ${source.path}`;
  const { stop, release } = followAbort(signal);
  const queue = new PageQueue(
    (page) => source.fetchPage(page, stop.signal),
    source.pageConcurrency,
  );
  let ceiling = Number.POSITIVE_INFINITY;
  let previous: readonly unknown[] | undefined;
  try {
    queue.fill(1);
    for (let head = queue.take(); head !== undefined; head = queue.take()) {
      const result = await head.result;
      if (signal?.aborted) throw new NectarAbortError(`${label} was aborted by the caller.`);
      const { page, items } = checkedPage(source, result);
      // Past the end Nectar answers the last page again: everything was read.
      if (page.currentPage !== head.number) return;
      if (head.number === 1) ceiling = pageCeiling(page.totalPages);
      const keys = items.map((item) => source.keyOf(item));
      const last = !page.hasNext || page.currentPage >= page.totalPages;
      // A repeat that announces more pages would repeat forever; a repeated last page just ends.
      if (!last && sameKeys(previous, keys)) {
        throw pagingError("repeated_page", label, head.number);
      }
      // The next page is due but past the ceiling: this page is still read, then the walk throws.
      const pastCeiling = !last && queue.length === 0 && queue.next > ceiling;
      if (!last) queue.fill(Math.min(page.totalPages, ceiling));
      const seen = new Set(previous);
      yield { page, items: items.filter((item) => !seen.has(source.keyOf(item))) };
      if (last) return;
      if (pastCeiling) {
        throw pagingError("too_many_pages", label, head.number);
      }
      previous = keys;
    }
  } finally {
    release();
    stop.abort(new NectarAbortError(`${label}: the walk through its pages ended.`));
    await queue.settled();
  }
}
