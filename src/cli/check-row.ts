/**
 * One line of `check`'s (and `list`'s) output: what a result says about a connection, flattened
 * for the table, NDJSON and CSV formats, whose columns `row-columns.ts` defines once. Every string of a row has passed {@link printable}, so a format
 * writes none that could drive a terminal or break a line. A row belongs to the id that was
 * asked for. It never carries the magic-link secret, except through an action the user asked
 * for (`--links`).
 */
import type { Connection } from "../../generated/schema.js";
import { NectarApiError, type NectarError } from "../core/errors.js";
import { connectionHealth, type HealthGroup } from "../helpers/status.js";
import { printable, text } from "./text.js";

/** The group of a row: a health group, or `failed` when the lookup itself failed. */
export type RowGroup = HealthGroup | "failed";

/** One connection checked, or one lookup that failed. Every string is {@link printable}. */
export interface CheckRow {
  /** The id that was asked for (never one the answer names). */
  readonly id: string;
  readonly ok: boolean;
  readonly group: RowGroup;
  /** The status as Nectar sent it (made safe for a terminal); empty for a failure. */
  readonly status: string;
  /** When the status began, as sent; empty when unknown. */
  readonly since: string;
  /** When the status was last confirmed, as sent; empty when unknown. */
  readonly lastConfirmed: string;
  /** What to do, in a few words; empty for a failure. */
  readonly action: string;
  readonly datasource: string;
  readonly company: string;
  readonly externalId: string;
  /** For a failure: the error's class name, HTTP status (if any) and message (secrets masked). */
  readonly error:
    | { readonly name: string; readonly status: number | undefined; readonly message: string }
    | undefined;
  /** The values the check actions added, by column (e.g. `link`). */
  readonly extra: Readonly<Record<string, string>>;
}

/** The order of the table: who must act first, the healthy last. */
export const GROUP_ORDER: readonly RowGroup[] = [
  "needs_user_action",
  "failed",
  "provider_issue",
  "unknown",
  "pending",
  "inactive",
  "healthy",
];

/** What to do in a few words: the last clause of the status's summary. */
function shortAction(summary: string): string {
  return (summary.split("; ").at(-1) ?? summary).replace(/\.$/, "");
}

/** A server value for one cell, empty when absent. */
const cell = (value: unknown) => text(value, "");

/** The row of the connection fetched for `id`, with the cells the actions added by column. */
export function rowOf(
  id: string,
  connection: Connection,
  extra: Readonly<Record<string, string>>,
): CheckRow {
  const health = connectionHealth(connection);
  const cells: Record<string, string> = {};
  for (const [column, value] of Object.entries(extra)) cells[column] = cell(value);
  return {
    id: printable(id),
    ok: true,
    group: health.group,
    status: cell(connection.status),
    since: cell(connection.statusFirstSeenTime),
    lastConfirmed: cell(connection.statusLastUpdateTime),
    action: cell(shortAction(health.summary)),
    datasource: cell(connection.datasource?.name),
    company: cell(connection.company?.name),
    externalId: cell(connection.externalId),
    error: undefined,
    extra: cells,
  };
}

/** The row of a lookup that failed; `mask` hides any secret in the message. */
export function failedRow(id: string, error: NectarError, mask: (s: string) => string): CheckRow {
  return {
    id: printable(id),
    ok: false,
    group: "failed",
    status: "",
    since: "",
    lastConfirmed: "",
    action: "",
    datasource: "",
    company: "",
    externalId: "",
    error: {
      name: printable(error.name),
      status: error instanceof NectarApiError ? error.status : undefined,
      message: printable(mask(error.message)),
    },
    extra: {},
  };
}
