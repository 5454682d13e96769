/** `check --json`: one JSON object per line (NDJSON), in completion order. */
import type { CheckRow } from "../check-row.js";
import type { OutputFormat } from "./format.js";

/** The JSON object of one row. */
export function jsonOf(row: CheckRow): Record<string, unknown> {
  if (!row.ok) {
    return {
      id: row.id,
      ok: false,
      group: row.group,
      error: { name: row.error?.name, status: row.error?.status ?? null, message: row.action },
    };
  }
  return {
    id: row.id,
    ok: true,
    status: row.status,
    group: row.group,
    needsUserAction: row.group === "needs_user_action",
    since: row.since || null,
    lastConfirmed: row.lastConfirmed || null,
    action: row.action,
    datasource: row.datasource || null,
    company: row.company || null,
    externalId: row.externalId || null,
    ...row.extra,
  };
}

/** Writes each row as a line of JSON as soon as it arrives; nothing at the end. */
export function createNdjson(write: (text: string) => void): OutputFormat {
  return {
    row: (row) => write(`${JSON.stringify(jsonOf(row))}\n`),
    end: () => {},
  };
}
