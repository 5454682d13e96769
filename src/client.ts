/**
 * `createNectarClient`: the client a caller holds. It wires the resources onto the core
 * (`core/client-core.ts`); the core imports no resource, so dependencies point one way.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { createClientParts } from "./core/client-core.js";
import type { NectarClientOptions, RequestOptions } from "./core/options.js";
import type { NectarPromise } from "./core/promise.js";
import { ConnectionsResource } from "./resources/connections.js";
import { InvitationsResource } from "./resources/invitations.js";
import { ping } from "./resources/ping.js";

export type { NectarClientOptions, RequestOptions } from "./core/options.js";

/** A Nectar client. Create one per API key and share it: the concurrency cap and retry budget are per client. */
export interface NectarClient {
  /** Utility account connections. */
  readonly connections: ConnectionsResource;
  /** Reconnect invitations: create, retrieve, revoke. */
  readonly invitations: InvitationsResource;
  /**
   * Checks the API key: `GET /ping`. Resolves when Nectar accepts it, to the body it sent
   * (version information of undocumented shape); `.withResponse()` adds the `Response` (its
   * `Date` header, say). Retried as any GET.
   * @throws {NectarAuthenticationError} when the key is refused (401); the client's other
   * errors (connection, timeout, abort) as for any call.
   * @example
   * await client.ping(); // throws NectarAuthenticationError for a bad key
   */
  ping(options?: RequestOptions): NectarPromise<unknown>;
  /**
   * The underlying openapi-fetch client, with credentials, timeouts, retries, the concurrency
   * cap and logging installed. It returns `{ data, error, response }` and does not throw on
   * 4xx/5xx: branch on `response.ok`. Bodies are read by the transport (so that the timeout
   * covers them), so `parseAs: "stream"` is not supported.
   */
  readonly raw: Client<paths>;
  /** The base URL in use. */
  readonly baseUrl: string;
}

/**
 * Creates a client for Nectar Climate's API.
 * @throws {NectarInvalidInputError} on a missing API key, a non-https base URL or a bad option.
 * @example
 * import { createNectarClient, connectionHealth } from "nectar-climate-connection";
 *
 * const nectar = createNectarClient({ apiKey: process.env.NECTAR_API_KEY });
 * const connection = await nectar.connections.retrieve("3c90c3cc-0d44-4b50-8888-8dd25736052a");
 * console.log(connection.status, connectionHealth(connection).summary);
 */
export function createNectarClient(options?: NectarClientOptions): NectarClient {
  const { core, raw, baseUrl } = createClientParts(options);
  return {
    connections: new ConnectionsResource(core),
    invitations: new InvitationsResource(core),
    ping: (options) => ping(core, options),
    get raw() {
      return raw();
    },
    baseUrl,
  };
}
