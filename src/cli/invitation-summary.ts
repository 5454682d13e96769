/** The readable summary of one invitation and its events, as `invitation` prints it. */
import type { InvitationDetail } from "../../generated/schema.js";
import { usesOf, whoMayUse } from "./invite.js";
import { jsonText, type Paint, printable, type SgrCode, text } from "./text.js";

/** The colour of each documented status (others are not coloured). */
const STATUS_COLOUR: Readonly<Record<string, SgrCode>> = {
  ACTIVE: "32", // green
  FULFILLED: "36", // cyan
  EXPIRED: "90", // grey
  REVOKED: "90", // grey
};

/** The longest event line shown; Nectar does not document what an event holds. */
const MAX_EVENT_LINE = 200;

/** One value of an event, on one line. */
function eventValue(value: unknown): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return text(value, '""');
  }
  try {
    return printable(jsonText(value));
  } catch {
    return "(nested too deeply to show)";
  }
}

/**
 * One event, on one line: its fields as `name: value`, in the order Nectar sent them (their
 * names are not documented, so none is assumed).
 */
export function eventLine(event: unknown): string {
  const line =
    typeof event === "object" && event !== null && !Array.isArray(event)
      ? Object.entries(event)
          .map(([name, value]) => `${printable(name)}: ${eventValue(value)}`)
          .join(", ")
      : eventValue(event);
  const shown = line === "" ? "(an empty event)" : line;
  return shown.length > MAX_EVENT_LINE ? `${shown.slice(0, MAX_EVENT_LINE - 1)}…` : shown;
}

/**
 * The summary of `invitation` for the invitation `id` asked for: status, type, connection, who,
 * expiry, uses, link, events.
 */
export function invitationSummary(id: string, invitation: InvitationDetail, paint: Paint): string {
  const status = text(invitation.status, "(missing)");
  const rows: [string, string][] = [
    ["Status", paint(status, STATUS_COLOUR[status] ?? "0")],
    ["Type", text(invitation.invitationType, "(missing)")],
    ["Connection", text(invitation.connectionId, "(none)")],
    ["For", whoMayUse(invitation)],
    ["Expires", text(invitation.expiresAt, "never")],
    ["Uses", usesOf(invitation)],
    ["Created", text(invitation.createdAt, "unknown")],
  ];
  // The link is worth showing only while it can be used; it carries the token.
  if (invitation.status === "ACTIVE") rows.push(["Link", text(invitation.invitationUrl)]);
  const events = Array.isArray(invitation.events) ? invitation.events : [];
  rows.push(["Events", events.length === 0 ? "none" : String(events.length)]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}\n`);
  const eventLines = events.map((event) => `    - ${eventLine(event)}\n`);
  return `Invitation ${text(id)}\n${lines.join("")}${eventLines.join("")}`;
}
