/**
 * `connections.list`: a company's connections across pages. The arguments are checked at once
 * (nothing is sent for a bad one); the walk itself is `core/pager.ts`.
 */
import { operations } from "../../generated/operations.js";
import type { Connection, ConnectionPage, ConnectionStatusFilter } from "../../generated/schema.js";
import type { ClientCore } from "../core/client-core.js";
import { DEFAULT_LIST_LIMIT, DEFAULT_TO_ARRAY_MAX } from "../core/constants.js";
import {
  NectarAbortError,
  NectarInvalidInputError,
  NectarTooManyItemsError,
} from "../core/errors.js";
import {
  integerOption,
  optionsObject,
  positiveOption,
  rejectUnknownKeys,
  requireUuid,
  signalOption,
} from "../core/input.js";
import { operation } from "../core/operation.js";
import type { RequestOptions } from "../core/options.js";
import { checkedPage, type PagerSource, walkPages } from "../core/pager.js";
import { checkQuery, type QueryValues } from "../core/query.js";

/** `GET /connection/company/{company_id}`, from the generated table. */
const LIST = operation(operations.listCompanyConnections);

/** Options of {@link ConnectionsResource.list}: Nectar's filters, the page size, and per-call options. */
export interface ListConnectionsOptions extends RequestOptions {
  /** Only connections with this status (one of the 12 values Nectar's filter documents). */
  status?: ConnectionStatusFilter;
  /** Only connections whose owner has exactly this email address. */
  connectionOwnerEmail?: string;
  /** Only connections linked to one of these site ids (sent as `?sites=a&sites=b`). */
  sites?: readonly string[];
  /** Connections per page, 1 to 500; default 500 (Nectar's maximum: the fewest requests). */
  limit?: number;
  /**
   * Page requests in flight at once, from 1 to the client's `maxConcurrency`; default 1 (the
   * next page is fetched while the current one is read). More fetches further ahead, still
   * yielding in order, and holds up to that many more pages in memory.
   */
  pageConcurrency?: number;
}

/** Options of {@link ConnectionList.toArray}. */
export interface ToArrayOptions {
  /** The most items to collect, default 10 000: past it `toArray` throws rather than truncate. */
  max?: number;
}

const OPTIONS: ReadonlySet<string> = new Set([
  "status",
  "connectionOwnerEmail",
  "sites",
  "limit",
  "pageConcurrency",
  "signal",
  "timeoutMs",
  "maxRetries",
  "maxResponseBytes",
]);

/**
 * A company's connections, page by page: `for await` gives each connection, `.pages()` each
 * page as Nectar sent it, `await` the first page, `.toArray()` all of them (up to a maximum).
 * Each walk starts from page 1; the pages are fetched as the loop asks for them.
 */
export class ConnectionList implements AsyncIterable<Connection>, PromiseLike<ConnectionPage> {
  readonly #source: PagerSource<ConnectionPage, Connection>;
  #first: Promise<ConnectionPage> | undefined;

  /** Created by `connections.list`; not meant to be built by hand. */
  constructor(source: PagerSource<ConnectionPage, Connection>) {
    this.#source = source;
  }

  /**
   * Each connection of every page, in order. A connection that was on the previous page too (a
   * connection created during the walk shifts the pages by one) is yielded once. Once `signal`
   * aborts, the next step throws {@link NectarAbortError}, mid-page too.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<Connection, void, undefined> {
    const { signal, method, path } = this.#source;
    for await (const { items } of walkPages(this.#source)) {
      for (const item of items) {
        if (signal?.aborted)
          throw new NectarAbortError(`${method} ${path} was aborted by the caller.`);
        yield item;
      }
    }
  }

  /** Each page as Nectar sent it (`totalConnections`, `currentPage`, `connections`, …). */
  pages(): AsyncIterable<ConnectionPage> {
    const source = this.#source;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const { page } of walkPages(source)) yield page;
      },
    };
  }

  /**
   * Every connection, in an array of at most `max` (default 10 000).
   * @throws {NectarTooManyItemsError} when the list holds more than `max`: never a silently
   * truncated array. The walk is stopped and its requests cancelled.
   */
  async toArray(options?: ToArrayOptions): Promise<Connection[]> {
    const { max = DEFAULT_TO_ARRAY_MAX, ...rest } = optionsObject(options, "toArray");
    rejectUnknownKeys(rest, new Set(), "toArray");
    const limit = integerOption(max, "max", 0, DEFAULT_TO_ARRAY_MAX);
    const all: Connection[] = [];
    for await (const connection of this) {
      if (all.length === limit) throw new NectarTooManyItemsError(limit);
      all.push(connection);
    }
    return all;
  }

  /** `await list` gives the first page (fetched once, however often it is awaited). */
  // biome-ignore lint/suspicious/noThenProperty: awaiting the list gives its first page.
  then<A = ConnectionPage, B = never>(
    onfulfilled?: ((page: ConnectionPage) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const source = this.#source;
    this.#first ??= source
      .fetchPage(1, source.signal)
      .then((result) => checkedPage(source, result).page);
    return this.#first.then(onfulfilled, onrejected);
  }
}

/** The per-call options of each page's request, checked once for the whole walk. */
function perCallOptions(options: ListConnectionsOptions): RequestOptions {
  const { timeoutMs, maxRetries, maxResponseBytes } = options;
  const checked: RequestOptions = {};
  const signal = signalOption(options.signal);
  if (signal !== undefined) checked.signal = signal;
  if (timeoutMs !== undefined) checked.timeoutMs = positiveOption(timeoutMs, "timeoutMs", 0);
  if (maxRetries !== undefined) checked.maxRetries = integerOption(maxRetries, "maxRetries", 0, 0);
  if (maxResponseBytes !== undefined) {
    checked.maxResponseBytes = integerOption(maxResponseBytes, "maxResponseBytes", 1, 1);
  }
  return checked;
}

/**
 * Checks the arguments of `connections.list` and returns the lazy list.
 * @throws {NectarInvalidInputError} at once, on a bad company id, filter or option.
 */
export function listConnections(
  client: ClientCore,
  companyId: string,
  options?: ListConnectionsOptions,
): ConnectionList {
  const company_id = requireUuid(companyId, "companyId");
  const given = optionsObject(options, "list");
  rejectUnknownKeys(given, OPTIONS, "list");
  const { status, connectionOwnerEmail, sites, limit = DEFAULT_LIST_LIMIT } = given;
  const filters = checkQuery(operations.listCompanyConnections.query, {
    status,
    connectionOwnerEmail,
    sites,
    limit,
  });
  const pageConcurrency = integerOption(given.pageConcurrency, "pageConcurrency", 1, 1);
  if (pageConcurrency > client.maxConcurrency) {
    throw new NectarInvalidInputError(
      `pageConcurrency must be at most the client's maxConcurrency (${client.maxConcurrency}), got ${pageConcurrency}.`,
    );
  }
  const request = perCallOptions(given);
  return new ConnectionList({
    fetchPage: (page, signal) => {
      const query: QueryValues = { ...filters, page };
      const call = signal === undefined ? request : { ...request, signal };
      return client.request(LIST, { path: { company_id }, query }, call);
    },
    itemsOf: (page) => page.connections,
    keyOf: (connection) => connection.id,
    pageConcurrency,
    signal: request.signal,
    method: LIST.method,
    path: `/connection/company/${company_id}`,
  });
}
