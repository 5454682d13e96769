/** `client.ping()`: checks the API key with `GET /ping`. */
import { operations } from "../../generated/operations.js";
import type { ClientCore } from "../core/client-core.js";
import { operation } from "../core/operation.js";
import type { RequestOptions } from "../core/options.js";
import { NectarPromise } from "../core/promise.js";

/** `GET /ping`, from the generated table; its body (version information) has no documented shape. */
const PING = operation(operations.ping);

/**
 * Resolves (to the body Nectar sent, of undocumented shape) when Nectar accepts the key.
 * @throws {NectarAuthenticationError} when it does not (401), and the client's other errors.
 */
export function ping(
  client: ClientCore,
  options: RequestOptions | undefined,
): NectarPromise<unknown> {
  return new NectarPromise(client.request(PING, { path: {} }, options));
}
