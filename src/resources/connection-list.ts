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
import { requireUuid } from "../core/input.js";
import { operation } from "../core/operation.js";
import {
  checkOptions,
  type OptionCheck,
  type OptionTable,
  wholeNumber,
} from "../core/option-table.js";
import { REQUEST_OPTION_TABLE, type RequestOptions } from "../core/options.js";
import { checkedPage, type PagerSource, walkPages } from "../core/pager.js";
import { checkQuery, type QueryValues } from "../core/query.js";

/** `GET /connection/company/{company_id}`, from the generated table. */
const LIST = operation(operations.listCompanyConnections);

/** Options of {@link ConnectionsResource.list}: Nectar's filters, the page size, and per-call options. */
export interface ListConnectionsOptions extends RequestOptions {
  /** Only connections with this status (one of the 12 values Nectar's filter documents). */
  status?: ConnectionStatusFilter | undefined;
  /** Only connections whose owner has exactly this email address. */
  connectionOwnerEmail?: string | undefined;
  /** Only connections linked to one of these site ids (sent as `?sites=a&sites=b`). */
  sites?: readonly string[] | undefined;
  /** Connections per page, 1 to 500; default 500 (Nectar's maximum: the fewest requests). */
  limit?: number | undefined;
  /**
   * Page requests in flight at once, from 1 to the client's `maxConcurrency`; default 1 (the
   * next page is fetched while the current one is read). More fetches further ahead, still
   * yielding in order, and holds up to that many more pages in memory.
   */
  pageConcurrency?: number | undefined;
}

/** Options of {@link ConnectionList.toArray}. */
export interface ToArrayOptions {
  /** The most items to collect, default 10 000: past it `toArray` throws rather than truncate. */
  max?: number | undefined;
}

/**
 * A filter's check is the generated query table's (`checkQuery` in {@link listConnections}, from
 * the spec's parameter): the table below declares the key, the spec checks the value.
 */
const fromSpec =
  <T>(): OptionCheck<T> =>
  (value) =>
    value as T;

/** The checks of `list`'s options: the per-call ones, the spec's filters, and the walk's own. */
export const LIST_OPTION_TABLE: OptionTable<ListConnectionsOptions> = {
  ...REQUEST_OPTION_TABLE,
  status: fromSpec(),
  connectionOwnerEmail: fromSpec(),
  sites: fromSpec(),
  limit: fromSpec(),
  pageConcurrency: wholeNumber(1),
};

/** The checks of `toArray`'s options. */
export const TO_ARRAY_OPTION_TABLE: OptionTable<ToArrayOptions> = { max: wholeNumber(0) };

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
    const { max } = checkOptions(options, TO_ARRAY_OPTION_TABLE, "toArray");
    const limit = max ?? DEFAULT_TO_ARRAY_MAX;
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
  const {
    status,
    connectionOwnerEmail,
    sites,
    limit,
    pageConcurrency = 1,
    ...perCall
  } = checkOptions(options, LIST_OPTION_TABLE, "list");
  const filters = checkQuery(operations.listCompanyConnections.query, {
    status,
    connectionOwnerEmail,
    sites,
    limit: limit ?? DEFAULT_LIST_LIMIT,
  });
  if (pageConcurrency > client.maxConcurrency) {
    throw new NectarInvalidInputError(
      `pageConcurrency must be at most the client's maxConcurrency (${client.maxConcurrency}), got ${pageConcurrency}.`,
    );
  }
  const request: RequestOptions = perCall; // undefined stands for "not given"
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
