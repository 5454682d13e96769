/** The output formats of `check` and `list`, picked from their options. */
import { BASE_COLUMNS, type RowColumn } from "../row-columns.js";
import type { Paint } from "../text.js";
import { createCsv } from "./csv.js";
import type { OutputFormat } from "./format.js";
import { createNdjson } from "./ndjson.js";
import { createTable } from "./table.js";

export type { OutputFormat, Tally } from "./format.js";
export { summaryLine } from "./format.js";

/** The names of the formats. */
export type FormatName = "table" | "json" | "csv";

/**
 * Creates the format `name`, writing to `write`, with the run's `columns` (`columnsFor` of its
 * actions: NDJSON and CSV write them all, the table its own subset and the actions'); `signal`
 * stops a format that writes at the end (the table) between two pieces.
 */
export function createFormat(
  name: FormatName,
  write: (text: string) => void,
  paint: Paint,
  columns: readonly RowColumn[],
  signal: AbortSignal,
): OutputFormat {
  if (name === "json") return createNdjson(write, columns);
  if (name === "csv") return createCsv(write, columns);
  const extraColumns = columns.filter((c) => !BASE_COLUMNS.includes(c)).map((c) => c.name);
  return createTable({ write, paint, extraColumns, signal });
}
