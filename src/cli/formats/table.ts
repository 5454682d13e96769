/**
 * `check`'s default output: a table sorted with the connections that need action first, then a
 * summary by health group. Rows are kept until the end, since they are sorted.
 */
import { type CheckRow, GROUP_ORDER } from "../check-row.js";
import { ANSI, type Paint } from "../text.js";
import { type OutputFormat, summaryLine } from "./format.js";

/** The date part of a timestamp, or a dash. */
const dateOf = (timestamp: string) => (timestamp === "" ? "-" : timestamp.slice(0, 10));

/** The colour of a row's group (`failed` as needs_user_action: someone must look). */
const colourOf = (row: CheckRow) => ANSI[row.group === "failed" ? "needs_user_action" : row.group];

/** Sorts by group order, then status, then id. */
function compare(a: CheckRow, b: CheckRow): number {
  return (
    GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) ||
    a.status.localeCompare(b.status) ||
    a.id.localeCompare(b.id)
  );
}

/** Collects the rows; at the end writes the sorted table and the summary. */
export function createTable(
  write: (text: string) => void,
  paint: Paint,
  extraColumns: readonly string[],
): OutputFormat {
  const rows: CheckRow[] = [];
  return {
    row: (row) => rows.push(row),
    end(tally) {
      rows.sort(compare);
      const header = [
        "ID",
        "STATUS",
        "GROUP",
        "SINCE",
        "WHAT TO DO",
        ...extraColumns.map((c) => c.toUpperCase()),
      ];
      const cells = rows.map((row) => [
        row.id,
        row.status || "-",
        row.group,
        dateOf(row.since),
        row.action,
        ...extraColumns.map((column) => row.extra[column] ?? ""),
      ]);
      const widths = header.map((title, i) =>
        Math.max(title.length, ...cells.map((line) => (line[i] ?? "").length)),
      );
      const format = (line: readonly string[]) =>
        line
          .map((value, i) => (i === line.length - 1 ? value : value.padEnd(widths[i] ?? 0)))
          .join("  ")
          .trimEnd();
      const lines = [format(header)];
      for (const [index, row] of rows.entries()) {
        lines.push(paint(format(cells[index] ?? []), colourOf(row)));
      }
      if (rows.length === 0) lines.push("(no connections)");
      write(`${lines.join("\n")}\n\n${summaryLine(tally, GROUP_ORDER)}\n`);
    },
  };
}
