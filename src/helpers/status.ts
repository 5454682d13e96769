/** What a connection's status means for an integration, for all 13 statuses Nectar documents. */
import type { Connection, ConnectionStatus } from "../../generated/schema.js";

/** The six groups a status falls into. `unknown` is a status this package does not know yet. */
export type HealthGroup =
  | "healthy"
  | "pending"
  | "needs_user_action"
  | "provider_issue"
  | "inactive"
  | "unknown";

/**
 * Every health group, from healthy to unknown (frozen): for option checks, menus and summaries.
 * {@link connectionHealth} puts each status in one of them.
 */
export const HEALTH_GROUPS: readonly HealthGroup[] = Object.freeze([
  "healthy",
  "pending",
  "needs_user_action",
  "provider_issue",
  "inactive",
  "unknown",
] as const);

/** The reading of one status. */
export interface ConnectionHealth {
  /** The status's group. */
  group: HealthGroup;
  /**
   * True when only the connection's user can fix it: send them a reconnect invitation
   * (`client.invitations.createReconnect`), or else the deprecated update link.
   */
  needsUserAction: boolean;
  /** One sentence: what the status means and what to do. */
  summary: string;
}

type Reading = readonly [HealthGroup, string];

/** Nectar's guidance per status. A `Record` over the generated union: a new status fails to compile here. */
const READINGS: Record<ConnectionStatus, Reading> = {
  PENDING: [
    "pending",
    "New connection waiting for its first check (hours, up to about 48 h); wait.",
  ],
  CONNECTED: ["healthy", "Nectar logs in and collects data weekly; nothing to do."],
  UNDER_INVESTIGATION: [
    "pending",
    "Nectar's staff are investigating (e.g. the portal changed); wait.",
  ],
  PASSWORD_INCORRECT: [
    "needs_user_action",
    "The utility rejected the stored credentials; send the user a reconnect invitation (else the update link).",
  ],
  MFA_TOKEN_EXPIRED: [
    "needs_user_action",
    "A multi-factor step must be redone interactively; send the user a reconnect invitation (else the update link).",
  ],
  NEW_PASSWORD_NEEDED: [
    "needs_user_action",
    "The portal forces a password reset; the user resets it, then updates Nectar through a reconnect invitation (else the update link).",
  ],
  ADDITIONAL_CREDENTIALS_NEEDED: [
    "needs_user_action",
    "The portal asks for more (security questions, a PIN); send the user a reconnect invitation (else the update link).",
  ],
  WEBSITE_DOWN: ["provider_issue", "The utility's website is down; Nectar retries by itself."],
  URL_INACCESSIBLE: [
    "provider_issue",
    "The utility's login URL cannot be reached; Nectar is on it.",
  ],
  NO_ACCOUNTS_FOUND: [
    "provider_issue",
    "The login works but shows no accounts; check the login is the right one.",
  ],
  OTHER_ERROR: [
    "provider_issue",
    "Collection failed for another reason; statusErrorDetail may say more.",
  ],
  COMPANY_INACTIVE: ["inactive", "The parent company was deactivated; nothing is collected."],
  DEACTIVATED: ["inactive", "The connection was switched off (isActive=false); history is kept."],
};

/** Is `status` one of the documented statuses? */
function isKnownStatus(status: string): status is ConnectionStatus {
  return Object.hasOwn(READINGS, status);
}

/**
 * Reads a connection's status: its group, whether the user must act, and a one-line summary.
 * Accepts a connection or a bare status. A status this package does not know (Nectar adds
 * values over time), or none at all, gives `unknown`: it never throws.
 * @example
 * const health = connectionHealth(connection);
 * if (health.needsUserAction) await client.invitations.createReconnect(id, { allowedEmails: [owner], sendEmail: true });
 */
export function connectionHealth(
  connectionOrStatus: Pick<Connection, "status"> | ConnectionStatus | string | null | undefined,
): ConnectionHealth {
  const status =
    typeof connectionOrStatus === "string" ? connectionOrStatus : connectionOrStatus?.status;
  if (typeof status !== "string" || !isKnownStatus(status)) {
    const shown = typeof status === "string" ? ` ${JSON.stringify(status.slice(0, 60))}` : "";
    return {
      group: "unknown",
      needsUserAction: false,
      summary: `Status${shown} is not one this client knows; see Nectar's connection lifecycle docs.`,
    };
  }
  const [group, summary] = READINGS[status];
  return { group, needsUserAction: group === "needs_user_action", summary };
}
