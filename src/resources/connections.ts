/** `client.connections`: utility account connections. Each method delegates to the client. */

import { operations } from "../../generated/operations.js";
import type { Connection } from "../../generated/schema.js";
import type { ClientCore } from "../core/client-core.js";
import type { Echo } from "../core/echo.js";
import { operation } from "../core/operation.js";
import { aSecureUrl, checkOptions, type OptionTable } from "../core/option-table.js";
import { REQUEST_OPTION_TABLE, type RequestOptions } from "../core/options.js";
import { NectarPromise } from "../core/promise.js";
import { toUpdateLink, type UpdateLink, updateLinkUrl } from "../helpers/magic-link.js";
import {
  type ConnectionList,
  type ListConnectionsOptions,
  listConnections,
} from "./connection-list.js";
import {
  type RetrieveManyOptions,
  type RetrieveManyResult,
  retrieveMany,
} from "./retrieve-many.js";
import { type WaitForOptions, waitForConnection } from "./wait.js";

/** `GET /connection/{connection_id}`, from the generated table. */
const RETRIEVE = operation(operations.retrieveConnection);

/** The answer's `id` must be the connection asked for: never silently another one. */
const SAME_CONNECTION: Echo = { field: "id", param: "connection_id", required: true };

/** Options of {@link ConnectionsResource.updateLink}. */
export interface UpdateLinkOptions extends RequestOptions {
  /** Overrides the client's `dashboardUrl` for this link. */
  dashboardUrl?: string | undefined;
}

/** The checks of `updateLink`'s options: the per-call ones, and the link's dashboard. */
export const UPDATE_LINK_OPTION_TABLE: OptionTable<UpdateLinkOptions> = {
  ...REQUEST_OPTION_TABLE,
  dashboardUrl: aSecureUrl,
};

/** Methods on connections: `retrieve`, `list`, `retrieveMany`, `waitFor` and `updateLink`. */
export class ConnectionsResource {
  readonly #client: ClientCore;

  /** Created by `createNectarClient`; not meant to be built by hand. */
  constructor(client: ClientCore) {
    this.#client = client;
  }

  /**
   * Fetches one connection: `GET /connection/{connection_id}`.
   * Resolves to the connection; `.withResponse()` adds the raw `Response`, the attempt count
   * and the request id. Upper-case UUIDs are accepted and sent in lower case. An answer whose
   * `id` is another connection's is refused ({@link NectarInvalidResponseError}).
   * @throws {NectarInvalidInputError} (before any request) when `connectionId` is not a UUID.
   * @throws {NectarNotFoundError} and the other {@link NectarApiError}s on a non-2xx answer.
   * @throws {NectarConnectionError}, {@link NectarTimeoutError}, {@link NectarAbortError}.
   * @example
   * const connection = await client.connections.retrieve("3c90c3cc-0d44-4b50-8888-8dd25736052a");
   */
  retrieve(connectionId: string, options?: RequestOptions): NectarPromise<Connection> {
    const input = { path: { connection_id: connectionId }, echo: SAME_CONNECTION };
    return new NectarPromise(this.#client.request(RETRIEVE, input, options));
  }

  /**
   * Lists a company's connections: `GET /connection/company/{company_id}`, page after page.
   * `for await` gives each connection, `.pages()` each page, `await` the first page,
   * `.toArray({ max })` them all (throwing past `max`, default 10 000, rather than truncating).
   * The walk ends on `hasNext: false`, on `currentPage >= totalPages`, and when Nectar answers
   * with another page than the one asked for (its answer past the end); it throws
   * {@link NectarPaginationError} on two identical pages in a row or past a ceiling of pages
   * derived from `totalPages`. Memory stays flat: the page being read and the one being
   * fetched. Every page request shares the client's cap, retry budget and size limit; breaking
   * out of the loop, or aborting `signal`, cancels the request in flight.
   * @param companyId - the company's id (a UUID).
   * @param options - `status`, `connectionOwnerEmail`, `sites` (Nectar's filters), `limit`
   * (per page, 1–500, default 500), `pageConcurrency` (pages fetched ahead, ≤ the client's cap),
   * and the per-call `signal`, `timeoutMs`, `maxRetries`, `maxResponseBytes`.
   * @throws {NectarInvalidInputError} at once (nothing sent) on a bad id, filter or option.
   * @throws while iterating: {@link NectarPermissionError} and the other {@link NectarApiError}s,
   * {@link NectarPaginationError}, {@link NectarAbortError}, {@link NectarConnectionError}.
   * @example
   * for await (const connection of client.connections.list(companyId, { status: "PASSWORD_INCORRECT" })) {
   *   console.log(connection.id, connection.workflowOwnerEmail);
   * }
   */
  list(companyId: string, options?: ListConnectionsOptions): ConnectionList {
    return listConnections(this.#client, companyId, options);
  }

  /**
   * Fetches a connection and builds the magic link its user opens to fix their credentials.
   * Nectar deprecates magic links in favour of invitations
   * (`POST /invitation/connection/{connection_id}`); the link works while Nectar serves it.
   * The result prints with the secret masked under `console.log`.
   * @throws as {@link ConnectionsResource.retrieve}, and {@link NectarInvalidInputError} when
   * the connection lacks the link's pieces.
   * @example
   * const { url } = await client.connections.updateLink(id);
   */
  async updateLink(connectionId: string, options?: UpdateLinkOptions): Promise<UpdateLink> {
    // A bad link target is refused before anything is sent.
    const { dashboardUrl, ...requestOptions } = checkOptions(
      options,
      UPDATE_LINK_OPTION_TABLE,
      "updateLink",
    );
    const connection = await this.retrieve(connectionId, requestOptions);
    const link = { dashboardUrl: dashboardUrl ?? this.#client.dashboardUrl };
    return toUpdateLink(updateLinkUrl(connection, link), connection);
  }

  /**
   * Fetches many connections, each outcome as it completes: `{ id, ok: true, connection }` or
   * `{ id, ok: false, error }`. `ids` may be any iterable or async iterable (an array, a `Set`,
   * lines streamed from a file); it is read only as fast as calls complete, so memory stays
   * proportional to `concurrency` (plus about 100 bytes per distinct id to drop duplicates,
   * unless `dedupe: false`). A bad id is a failed result ({@link NectarInvalidInputError}),
   * never an exception. Every call shares the client's cap and retry budget with its other
   * calls. Breaking out of the loop, or aborting `signal`, aborts the calls in flight and waits
   * for them; after an abort the loop throws {@link NectarAbortError}. The source is read with a
   * turn of the event loop at least every 256 ids, so one that yields only duplicates or never
   * ends cannot stall timers, `signal` or `break`; a source that throws or rejects ends the loop
   * with its error; after `break` its `return()` is awaited (unless a read is still pending).
   * Each result belongs to the id given: an answer naming another connection fails that id.
   * @throws {NectarInvalidInputError} at once, on a bad `ids` or option.
   * @example
   * for await (const result of client.connections.retrieveMany(ids)) {
   *   if (result.ok && connectionHealth(result.connection).needsUserAction) notify(result.id);
   * }
   */
  retrieveMany(
    ids: Iterable<string> | AsyncIterable<string>,
    options?: RetrieveManyOptions,
  ): AsyncIterable<RetrieveManyResult> {
    return retrieveMany((id, perCall) => this.retrieve(id, perCall), ids, options);
  }

  /**
   * Polls a connection until `until` holds (default: its health group is no longer
   * `needs_user_action` or `pending`) and resolves to it. The first pause is `intervalMs`
   * (60 s), growing by half while the status stays the same, up to `maxIntervalMs` (10 min);
   * a 429, a 5xx or a network failure does not end the wait (a longer `Retry-After` is honoured).
   * Each poll is one `retrieve`, limited per attempt by the client's `timeoutMs`; the wait as a
   * whole by `deadlineMs` (`timeoutMs` here is its deprecated alias; both at once are refused).
   * @throws {NectarWaitTimeoutError} after `deadlineMs`; {@link NectarAbortError} when `signal`
   * aborts; {@link NectarInvalidInputError} on bad options (before any poll);
   * {@link NectarNotFoundError} and other non-transient errors at once.
   * @example
   * const fixed = await client.connections.waitFor(id, { deadlineMs: 3_600_000 });
   */
  waitFor(connectionId: string, options?: WaitForOptions): Promise<Connection> {
    return waitForConnection((id, perCall) => this.retrieve(id, perCall), connectionId, options);
  }
}
