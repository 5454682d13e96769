/**
 * The statuses of connections and invitations as run-time lists, read from the spec by
 * `npm run generate` (`generated/enums.js`), never restated by hand: for option checks, menus,
 * summaries and exhaustive loops.
 */
import { CONNECTION_STATUS_VALUES, INVITATION_STATUS_VALUES } from "../../generated/enums.js";
import type { ConnectionStatus, InvitationStatus } from "../../generated/schema.js";

/**
 * Every connection status Nectar documents (13), in the spec's order. Nectar may add values:
 * a connection can carry a status not listed here ({@link connectionHealth} reads it as
 * `unknown`).
 * @example
 * for (const status of CONNECTION_STATUSES) console.log(status, connectionHealth(status).group);
 */
export const CONNECTION_STATUSES: readonly ConnectionStatus[] = CONNECTION_STATUS_VALUES;

/** Every invitation status Nectar documents (`ACTIVE`, `EXPIRED`, `REVOKED`, `FULFILLED`), in the spec's order. */
export const INVITATION_STATUSES: readonly InvitationStatus[] = INVITATION_STATUS_VALUES;
