/**
 * The mock's invitations: created for a known connection, retrieved with their events, revoked.
 * Status is computed when read, against the mock's clock: `REVOKED` once revoked, `EXPIRED` past
 * `expiresAt`, `FULFILLED` at `maxUses` uses, else `ACTIVE`.
 *
 * Nectar does not document an event's fields: the mock's events use the keys of the spec's
 * examples (`activity`, `at`), made up for illustration, with the activities `created` and
 * `revoked`.
 */
import { randomInt, randomUUID } from "node:crypto";
import type {
  Connection,
  CreateReconnectInvitationRequest,
  Invitation,
  InvitationDetail,
  InvitationStatus,
} from "../../generated/schema.js";
import { isUuid } from "../core/input.js";
import { exampleValue, isRecord, loadExamples } from "./spec-facts.js";

/** Where Nectar's invitation pages live: `https://dash.nectarclimate.com/p/i/{token}`. */
export const INVITATION_PAGE = "https://dash.nectarclimate.com/p/i/";

/** The invitation examples the mock serves at start. */
export const INVITATION_EXAMPLES = ["InvitationDetailActive", "InvitationDetailRevoked"] as const;

const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN_LENGTH = 24;

/** A random opaque token, 24 letters and digits like the spec's examples. */
function newToken(): string {
  let token = "";
  for (let i = 0; i < TOKEN_LENGTH; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

/** A timestamp as the spec's examples write them: whole seconds, UTC. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The invitations of one mock server. */
export interface InvitationStore {
  /** Creates a reconnect invitation for `connection` and counts it. */
  create(connection: Connection, request: CreateReconnectInvitationRequest): InvitationDetail;
  /** The invitation with its status as of now; `undefined` for an unknown id. */
  get(id: string): InvitationDetail | undefined;
  /** Revokes it (again: no change) and returns it; `undefined` for an unknown id. */
  revoke(id: string): InvitationDetail | undefined;
  /** Forgets every invitation but the initial ones. */
  reset(): void;
}

/** The status of a stored invitation at `now`. */
function statusAt(stored: InvitationDetail, now: number): InvitationStatus {
  if (stored.status !== "ACTIVE") return stored.status;
  if (typeof stored.expiresAt === "string" && now >= Date.parse(stored.expiresAt)) {
    return "EXPIRED";
  }
  const { maxUses, useCount = 0 } = stored;
  return typeof maxUses === "number" && useCount >= maxUses ? "FULFILLED" : "ACTIVE";
}

/** A new reconnect invitation for `connection`, as created at `now`. */
function newInvitation(
  connection: Connection,
  request: CreateReconnectInvitationRequest,
  now: number,
): InvitationDetail {
  const token = newToken();
  const at = timestamp(now);
  const { expiresInSeconds, maxUses } = request;
  return {
    id: randomUUID(),
    token,
    invitationType: "EDIT_CONNECTION",
    status: "ACTIVE",
    invitationUrl: `${INVITATION_PAGE}${token}`,
    ...(isUuid(connection.company?.id) ? { companyId: connection.company.id } : {}),
    connectionId: connection.id.toLowerCase(),
    allowedEmails: [...(request.allowedEmails ?? [])],
    expiresAt: expiresInSeconds === undefined ? null : timestamp(now + expiresInSeconds * 1000),
    maxUses: maxUses ?? null,
    useCount: 0,
    createdAt: at,
    prefill: {},
    createdConnections: [],
    events: [{ activity: "created", at }],
  };
}

/**
 * Makes room for one more invitation in a full store: drops the expired ones, oldest first, then
 * the oldest of all, until a tenth of the store is free. A tenth at a time, so that the scan is
 * paid once per thousand creates (at the default size), not on each.
 */
export function makeRoom(stored: Map<string, InvitationDetail>, limit: number, now: number): void {
  if (stored.size < limit) return;
  const target = limit - Math.max(1, Math.floor(limit / 10));
  for (const [id, invitation] of stored) {
    if (stored.size <= target) return;
    if (statusAt(invitation, now) === "EXPIRED") stored.delete(id);
  }
  for (const id of stored.keys()) {
    if (stored.size <= target) return;
    stored.delete(id);
  }
}

/** The store's clock and its size limit. */
export interface InvitationStoreLimits {
  /** The mock's clock in ms. */
  readonly now: () => number;
  /** The most invitations kept (see `MockServerOptions.maxInvitations`). */
  readonly limit: number;
}

/**
 * Creates the store. `initial` are served from the start (copied; checked by the mock's options);
 * `onCreate` is called once per created invitation (the mock counts them).
 */
export function createInvitationStore(
  initial: readonly InvitationDetail[],
  { now, limit }: InvitationStoreLimits,
  onCreate: () => void,
): InvitationStore {
  const stored = new Map<string, InvitationDetail>();
  const view = (invitation: InvitationDetail): InvitationDetail =>
    structuredClone({ ...invitation, status: statusAt(invitation, now()) });
  const store: InvitationStore = {
    create(connection, request) {
      const invitation = newInvitation(connection, request, now());
      makeRoom(stored, limit, now());
      stored.set(invitation.id, invitation);
      onCreate();
      return view(invitation);
    },
    get(id) {
      const invitation = stored.get(id.toLowerCase());
      return invitation && view(invitation);
    },
    revoke(id) {
      const invitation = stored.get(id.toLowerCase());
      if (invitation === undefined) return undefined;
      if (invitation.status !== "REVOKED") {
        invitation.status = "REVOKED";
        invitation.events = [
          ...(invitation.events ?? []),
          { activity: "revoked", at: timestamp(now()) },
        ];
      }
      return view(invitation);
    },
    reset() {
      stored.clear();
      for (const invitation of initial) {
        stored.set(invitation.id.toLowerCase(), structuredClone(invitation));
      }
    },
  };
  store.reset();
  return store;
}

/** The spec's invitation examples, checked to have an id. */
export async function loadInvitationExamples(): Promise<InvitationDetail[]> {
  const examples = await loadExamples();
  return INVITATION_EXAMPLES.map((name) => {
    const value = exampleValue(examples, name);
    if (!isRecord(value) || typeof value.id !== "string" || typeof value.token !== "string") {
      throw new Error(`components.examples.${name}.value is not an invitation with an id`);
    }
    return value as InvitationDetail;
  });
}

/** The invitation without its events: what the create and revoke answers carry. */
export function withoutEvents({ events: _events, ...invitation }: InvitationDetail): Invitation {
  return invitation;
}
