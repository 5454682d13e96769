/** `client.connections`: utility account connections. Each method delegates to the client. */
import type { Connection } from "../../generated/schema.js";
import type { ClientCore, Operation, RequestOptions } from "../core/client.js";
import { optionsObject, secureUrl } from "../core/input.js";
import { NectarPromise } from "../core/promise.js";
import { toUpdateLink, type UpdateLink, updateLinkUrl } from "../helpers/magic-link.js";

/** `GET /connection/{connection_id}` (`retrieveConnection`). */
const RETRIEVE: Operation<Connection> = {
  method: "GET",
  path: "/connection/{connection_id}",
  schema: "Connection",
  idempotent: true,
};

/** Options of {@link ConnectionsResource.updateLink}. */
export interface UpdateLinkOptions extends RequestOptions {
  /** Overrides the client's `dashboardUrl` for this link. */
  dashboardUrl?: string;
}

/** Methods on connections: `client.connections.retrieve(id)` and `client.connections.updateLink(id)`. */
export class ConnectionsResource {
  readonly #client: ClientCore;

  /** Created by `createNectarClient`; not meant to be built by hand. */
  constructor(client: ClientCore) {
    this.#client = client;
  }

  /**
   * Fetches one connection: `GET /connection/{connection_id}`.
   * Resolves to the connection; `.withResponse()` adds the raw `Response`, the attempt count
   * and the request id. Upper-case UUIDs are accepted and sent in lower case.
   * @throws {NectarInvalidInputError} (before any request) when `connectionId` is not a UUID.
   * @throws {NectarNotFoundError} and the other {@link NectarApiError}s on a non-2xx answer.
   * @throws {NectarConnectionError}, {@link NectarTimeoutError}, {@link NectarAbortError}.
   * @example
   * const connection = await client.connections.retrieve("3c90c3cc-0d44-4b50-8888-8dd25736052a");
   */
  retrieve(connectionId: string, options?: RequestOptions): NectarPromise<Connection> {
    const input = { path: { connection_id: connectionId } };
    return new NectarPromise(this.#client.request(RETRIEVE, input, options));
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
    const { dashboardUrl = this.#client.dashboardUrl, ...requestOptions } = optionsObject(
      options,
      "updateLink",
    );
    secureUrl(dashboardUrl, "dashboardUrl"); // refuse a bad link target before sending anything
    const connection = await this.retrieve(connectionId, requestOptions);
    return toUpdateLink(updateLinkUrl(connection, { dashboardUrl }), connection);
  }
}
