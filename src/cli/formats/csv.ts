/** `check --csv`: RFC 4180 CSV with a header row (the NDJSON keys), in completion order. */
import type { CellValue, RowColumn } from "../row-columns.js";
import type { OutputFormat } from "./format.js";

/**
 * One field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-` or `@`
 * (a formula to a spreadsheet, from a server-sent name) is defused with a `'`.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A cell as CSV text: empty for `null`. */
const textOf = (value: CellValue) => (value === null ? "" : String(value));

/** Writes the header at once, then each row as it arrives (CRLF line ends, as RFC 4180 says). */
export function createCsv(
  write: (text: string) => void,
  columns: readonly RowColumn[],
): OutputFormat {
  const line = (fields: readonly string[]) => `${fields.map(csvField).join(",")}\r\n`;
  write(line(columns.map((column) => column.name)));
  return {
    row: (row) => write(line(columns.map((column) => textOf(column.value(row))))),
    end: () => {},
  };
}
