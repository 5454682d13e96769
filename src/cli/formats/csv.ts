/** `check --csv`: RFC 4180 CSV with a header row, in completion order. */
import type { CheckRow } from "../check-row.js";
import type { OutputFormat } from "./format.js";

const BASE_COLUMNS = [
  "id",
  "ok",
  "group",
  "status",
  "since",
  "last_confirmed",
  "datasource",
  "company",
  "external_id",
  "action",
  "error",
] as const;

/**
 * One field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@`
 * (a formula to a spreadsheet, from a server-sent name) is defused with a `'`.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The values of a row, in the order of the header. */
function fieldsOf(row: CheckRow, extraColumns: readonly string[]): string[] {
  return [
    row.id,
    String(row.ok),
    row.group,
    row.status,
    row.since,
    row.lastConfirmed,
    row.datasource,
    row.company,
    row.externalId,
    row.ok ? row.action : "",
    row.ok ? "" : row.action,
    ...extraColumns.map((column) => row.extra[column] ?? ""),
  ];
}

/** Writes the header at once, then each row as it arrives (CRLF line ends, as RFC 4180 says). */
export function createCsv(
  write: (text: string) => void,
  extraColumns: readonly string[],
): OutputFormat {
  const line = (fields: readonly string[]) => `${fields.map(csvField).join(",")}\r\n`;
  write(line([...BASE_COLUMNS, ...extraColumns]));
  return {
    row: (row) => write(line(fieldsOf(row, extraColumns))),
    end: () => {},
  };
}
