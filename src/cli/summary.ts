/** The readable summary of one connection, as `get` prints it. */
import type { Connection } from "../../generated/schema.js";
import { updateLinkUrl } from "../helpers/magic-link.js";
import { connectionHealth } from "../helpers/status.js";
import { PROGRAM } from "./io.js";
import { ANSI, type Paint, printable, text } from "./text.js";

/** A label and its value, one line of the summary. */
type Row = readonly [label: string, value: string];

/** The update link's line: the link, or why it cannot be built. */
function linkRow(connection: Connection): Row {
  try {
    return ["Update link", updateLinkUrl(connection)];
  } catch (error) {
    const reason = error instanceof Error ? printable(error.message) : "cannot be built";
    return ["Update link", `unavailable: ${reason}`];
  }
}

/**
 * The summary of `get` for the connection `id` asked for: status, what to do, dates,
 * datasource, company, accounts, and when the user must act, the command that invites them and
 * the update link. The id shown is the one asked for, never one the answer names.
 */
export function summary(id: string, connection: Connection, paint: Paint): string {
  const health = connectionHealth(connection);
  const status = text(connection.status, "(missing)");
  const rows: Row[] = [
    ["Status", `${paint(status, ANSI[health.group])} (${paint(health.group, ANSI[health.group])})`],
    ["What to do", printable(health.summary)],
  ];
  if (typeof connection.statusErrorDetail === "string" && connection.statusErrorDetail !== "") {
    rows.push(["Detail", text(connection.statusErrorDetail)]);
  }
  const datasource = connection.datasource as Partial<Connection["datasource"]> | null | undefined;
  const accounts = Array.isArray(connection.accounts)
    ? String(connection.accounts.length)
    : "unknown";
  const active =
    connection.isActive === true ? "yes" : connection.isActive === false ? "no" : "unknown";
  rows.push(
    ["Status since", text(connection.statusFirstSeenTime, "unknown")],
    ["Last confirmed", text(connection.statusLastUpdateTime, "unknown")],
    [
      "Datasource",
      `${text(datasource?.name, "(unnamed)")}${datasource?.url ? ` (${text(datasource.url)})` : ""}`,
    ],
    ["Company", text(connection.company?.name, "(unnamed)")],
    ["Accounts", accounts],
    ["Country", text(connection.country, "unknown")],
    ["Active", active],
  );
  if (health.needsUserAction) {
    // The supported way first: a reconnect invitation; the deprecated magic link second.
    rows.push(["Invite", `${PROGRAM} invite ${text(id)}`], linkRow(connection));
  }
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}`);
  return `Connection ${text(id)}\n${lines.join("\n")}\n`;
}
