/** The output formats of `check`, picked from its options. */
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
 * Creates the format `name`, writing to `write`, with the actions' `extraColumns`; `signal`
 * stops a format that writes at the end (the table) between two pieces.
 */
export function createFormat(
  name: FormatName,
  write: (text: string) => void,
  paint: Paint,
  extraColumns: readonly string[],
  signal: AbortSignal,
): OutputFormat {
  if (name === "json") return createNdjson(write);
  if (name === "csv") return createCsv(write, extraColumns);
  return createTable({ write, paint, extraColumns, signal });
}
