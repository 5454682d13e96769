/**
 * The one row model of `check`, `check --company`, `check --invite` and `list`: every column of
 * a row, in order, with its name, type, what it holds when empty and what it means. NDJSON keys
 * and the CSV header are these names, in this order; the table shows a subset under the same
 * order. Names are camelCase, as in Nectar's API and this library (`lastConfirmed` beside
 * `statusLastUpdateTime`, `invitationUrl` as in the invitation): a script reading `check --json`
 * and one calling the library use the same words. The README's table of columns is checked
 * against this list (`test/cli-rows.test.ts`).
 */
import type { CheckRow } from "./check-row.js";

/** The value of a cell: NDJSON writes it as is (`null` when empty), CSV as text (empty). */
export type CellValue = string | boolean | number | null;

/** One column of the row model. */
export interface RowColumn {
  /** The NDJSON key and CSV header. */
  readonly name: string;
  /** The JSON type of its value when not empty. */
  readonly type: "string" | "boolean" | "number";
  /** When it is empty (`null` in NDJSON, an empty field in CSV); `never` for a full column. */
  readonly empty: string;
  /** What it holds, in a few words (the README's table). */
  readonly meaning: string;
  /** Its value in a row. */
  readonly value: (row: CheckRow) => CellValue;
}

/** A text cell: `null` when empty. */
const orNull = (text: string) => (text === "" ? null : text);

/** The columns of every row, in order. */
export const BASE_COLUMNS: readonly RowColumn[] = [
  col("id", "string", "never", "the connection id that was asked for (or listed)", (r) => r.id),
  col("ok", "boolean", "never", "false when the lookup failed", (r) => r.ok),
  col("status", "string", "failed lookup, or none sent", "the status as Nectar sent it", (r) =>
    orNull(r.status),
  ),
  col("group", "string", "never", "health group, or `failed`", (r) => r.group),
  col(
    "needsUserAction",
    "boolean",
    "never",
    "true when the connection's user must act",
    (r) => r.group === "needs_user_action",
  ),
  col("since", "string", "unknown", "when the status began (ISO 8601)", (r) => orNull(r.since)),
  col("lastConfirmed", "string", "unknown", "when the status was last confirmed", (r) =>
    orNull(r.lastConfirmed),
  ),
  col("action", "string", "failed lookup", "what to do, in a few words", (r) => orNull(r.action)),
  col("datasource", "string", "unknown", "the utility's name", (r) => orNull(r.datasource)),
  col("company", "string", "unknown", "the company's name", (r) => orNull(r.company)),
  col("externalId", "string", "unknown", "your id for the connection", (r) => orNull(r.externalId)),
  col("error", "string", "lookup succeeded", "why the lookup failed", (r) =>
    r.error === undefined ? null : orNull(r.error.message),
  ),
  col(
    "errorName",
    "string",
    "lookup succeeded",
    "the error's class, e.g. `NectarNotFoundError`",
    (r) => (r.error === undefined ? null : orNull(r.error.name)),
  ),
  col(
    "errorStatus",
    "number",
    "lookup succeeded, or no HTTP answer",
    "the HTTP status of the failure",
    (r) => r.error?.status ?? null,
  ),
];

/** A column an action of `check` adds: present only when its flag is given. */
export interface ActionColumn extends RowColumn {
  /** The flag that adds it (without `--`). */
  readonly option: string;
}

/** An action's column: a text cell the action filled, empty when it did not act. */
function actionColumn(option: string, name: string, empty: string, meaning: string): ActionColumn {
  return { ...col(name, "string", empty, meaning, (r) => orNull(r.extra[name] ?? "")), option };
}

/** The columns the actions add, in order, each after the base columns. */
export const ACTION_COLUMNS: readonly ActionColumn[] = [
  actionColumn(
    "links",
    "link",
    "user need not act",
    "the update link (a secret: for that user only)",
  ),
  actionColumn(
    "invite",
    "invitationId",
    "user need not act, or the invitation failed",
    "the invitation's id, for `invitation <id>` and `revoke <id>`",
  ),
  actionColumn(
    "invite",
    "invitationUrl",
    "user need not act",
    "the invitation's page, or `failed: …` when it could not be created",
  ),
];

/** The columns of a run with the actions `options` turned on, in order. */
export function columnsFor(options: readonly string[]): readonly RowColumn[] {
  return [...BASE_COLUMNS, ...ACTION_COLUMNS.filter((c) => options.includes(c.option))];
}

/** One column. */
function col(
  name: string,
  type: RowColumn["type"],
  empty: string,
  meaning: string,
  value: RowColumn["value"],
): RowColumn {
  return { name, type, empty, meaning, value };
}
