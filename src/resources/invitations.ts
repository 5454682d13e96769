/** `client.invitations`: reconnect invitations. Each method delegates to the client. */

import { operations } from "../../generated/operations.js";
import type { Invitation, InvitationDetail } from "../../generated/schema.js";
import type { ClientCore } from "../core/client-core.js";
import type { Echo } from "../core/echo.js";
import { operation } from "../core/operation.js";
import type { RequestOptions } from "../core/options.js";
import { type CallResult, NectarPromise } from "../core/promise.js";
import { hideInvitationToken } from "../helpers/invitation-token.js";
import { type CreateReconnectOptions, createReconnectInput } from "./invitation-input.js";

/**
 * `POST /invitation/connection/{connection_id}`. Not idempotent (a POST): Nectar documents no
 * idempotency key, so a repeated request may mint a second invitation.
 */
const CREATE = operation(operations.createReconnectInvitation);

/** `GET /invitation/{invitation_id}`. */
const RETRIEVE = operation(operations.retrieveInvitation);

/**
 * `POST /invitation/{invitation_id}/revoke`; its body is not documented and not read (the entry
 * has no schema). Idempotent by the spec's `x-idempotent`: a second revoke cannot create
 * anything, and the invitation stays revoked.
 */
const REVOKE = operation(operations.revokeInvitation);

/**
 * A created invitation must be for the connection asked for: one naming another connection is
 * refused. Its `connectionId` may be absent or `null` (the spec allows it), naming nothing else.
 */
const FOR_CONNECTION: Echo = { field: "connectionId", param: "connection_id", required: false };

/** A retrieved invitation must be the one asked for. */
const SAME_INVITATION: Echo = { field: "id", param: "invitation_id", required: true };

/** The result with its invitation's token hidden from `util.inspect`. */
const hidingToken = <T extends Invitation>(result: CallResult<T>): CallResult<T> => ({
  ...result,
  data: hideInvitationToken(result.data),
});

/** The result without its (undocumented) body. */
const withoutBody = (result: CallResult<unknown>): CallResult<void> => ({
  ...result,
  data: undefined,
});

/**
 * Methods on invitations: `createReconnect`, `retrieve` and `revoke`. The invitation's `token`
 * (and `invitationUrl`, which embeds it) is a credential for its page: results show it masked
 * under `console.log`/`util.inspect`, and keep it in properties and `JSON.stringify`.
 */
export class InvitationsResource {
  readonly #client: ClientCore;

  /** Created by `createNectarClient`; not meant to be built by hand. */
  constructor(client: ClientCore) {
    this.#client = client;
  }

  /**
   * Creates a reconnect (`EDIT_CONNECTION`) invitation for a connection whose user must fix
   * their credentials: `POST /invitation/connection/{connection_id}`. Resolves to the
   * invitation; give its `invitationUrl` to the user (or let Nectar email it: `sendEmail`).
   *
   * Retried only when the request cannot have been processed (a 429, a 503 with `Retry-After`,
   * a failure to connect): never after a timeout, a reset or another 5xx, which could mint a
   * second invitation. An answer whose `connectionId` names another connection is refused
   * ({@link NectarInvalidResponseError}).
   * @param options - `allowedEmails`, `expiresInSeconds` (≥ 60), `maxUses` (≥ 1), `sendEmail`
   * (needs `allowedEmails`), and the per-call `signal`, `timeoutMs`, `maxRetries`,
   * `maxResponseBytes`.
   * @throws {NectarInvalidInputError} (before any request) on a non-UUID id, an unknown option
   * or a bad field, which the message names without quoting its value.
   * @throws {NectarNotFoundError} and the other {@link NectarApiError}s on a non-2xx answer;
   * {@link NectarConnectionError}, {@link NectarTimeoutError}, {@link NectarAbortError}.
   * @example
   * const invitation = await client.invitations.createReconnect(connection.id, {
   *   allowedEmails: ["energy.manager@acme.example"],
   *   expiresInSeconds: 7 * 24 * 3600,
   *   maxUses: 1,
   *   sendEmail: true,
   * });
   */
  createReconnect(
    connectionId: string,
    options?: CreateReconnectOptions,
  ): NectarPromise<Invitation> {
    return new NectarPromise(this.#create(connectionId, options));
  }

  /** The create: options checked (a rejection, nothing sent, when bad), then the call. */
  async #create(
    connectionId: string,
    options: CreateReconnectOptions | undefined,
  ): Promise<CallResult<Invitation>> {
    const { body, request } = createReconnectInput(options);
    const input = { path: { connection_id: connectionId }, body, echo: FOR_CONNECTION };
    return hidingToken(await this.#client.request(CREATE, input, request));
  }

  /**
   * Fetches an invitation with its audit events: `GET /invitation/{invitation_id}`. The events'
   * fields are not documented by Nectar: each is an object of unknown shape.
   * @throws as {@link InvitationsResource.createReconnect}; retried as any GET.
   * @example
   * const { status, events } = await client.invitations.retrieve(invitation.id);
   */
  retrieve(invitationId: string, options?: RequestOptions): NectarPromise<InvitationDetail> {
    const input = { path: { invitation_id: invitationId }, echo: SAME_INVITATION };
    return new NectarPromise(this.#client.request(RETRIEVE, input, options).then(hidingToken));
  }

  /**
   * Revokes an invitation: `POST /invitation/{invitation_id}/revoke`. Resolves (to nothing)
   * once Nectar answered 2xx; its body is not documented and not read: retrieve the invitation
   * to see its `REVOKED` status. Retried as a GET is, since a second revoke changes nothing
   * (what Nectar answers to one is not documented).
   * @throws as {@link InvitationsResource.retrieve}.
   * @example
   * await client.invitations.revoke(invitation.id);
   */
  revoke(invitationId: string, options?: RequestOptions): NectarPromise<void> {
    const input = { path: { invitation_id: invitationId } };
    return new NectarPromise(this.#client.request(REVOKE, input, options).then(withoutBody));
  }
}
