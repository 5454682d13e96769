/** `check --json`: one JSON object per line (NDJSON), in completion order, keys as the CSV header. */
import type { CheckRow } from "../check-row.js";
import type { CellValue, RowColumn } from "../row-columns.js";
import type { OutputFormat } from "./format.js";

/** The JSON object of one row: every column of the run, in order, `null` when empty. */
export function jsonOf(row: CheckRow, columns: readonly RowColumn[]): Record<string, CellValue> {
  const object: Record<string, CellValue> = {};
  for (const column of columns) object[column.name] = column.value(row);
  return object;
}

/** Writes each row as a line of JSON as soon as it arrives; nothing at the end. */
export function createNdjson(
  write: (text: string) => void,
  columns: readonly RowColumn[],
): OutputFormat {
  return {
    row: (row) => write(`${JSON.stringify(jsonOf(row, columns))}\n`),
    end: () => {},
  };
}
