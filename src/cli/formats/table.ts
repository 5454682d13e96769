/**
 * `check`'s default output: a table sorted with the connections that need action first, then a
 * summary by health group. Rows are kept until the end, since they are sorted: each as one
 * string in its group's list (about 150 bytes a row), the column widths updated as rows come.
 * Nothing is spread into a call or recursed over, so a million rows print like ten; they are
 * written a thousand lines at a time, and the run's signal can stop the writing between two.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { type CheckRow, GROUP_ORDER, type RowGroup } from "../check-row.js";
import { ANSI, type Paint } from "../text.js";
import { type OutputFormat, summaryLine } from "./format.js";

/** Lines per write: a bounded string each, and a turn of the event loop between two. */
export const LINES_PER_WRITE = 1_000;

/** Joins a kept row's cells: rows are printable, so none holds this control character. */
const SEPARATOR = "\u0000";

/** The date part of a timestamp, or a dash. */
const dateOf = (timestamp: string) => (timestamp === "" ? "-" : timestamp.slice(0, 10));

/** The colour of a group (`failed` as needs_user_action: someone must look). */
const colourOf = (group: RowGroup) => ANSI[group === "failed" ? "needs_user_action" : group];

/** What the table needs: where to write, colour, the actions' columns, the run's signal. */
export interface TableTarget {
  readonly write: (text: string) => void;
  readonly paint: Paint;
  readonly extraColumns: readonly string[];
  readonly signal: AbortSignal;
}

/**
 * A row as kept: status first and id second, so that sorting the strings of one group sorts by
 * status, then id (code-unit order: the same on every machine, and no comparator to call).
 */
function kept(row: CheckRow, extraColumns: readonly string[]): string {
  const extras = extraColumns.map((column) => row.extra[column] ?? "");
  return [row.status, row.id, dateOf(row.since), row.action, ...extras].join(SEPARATOR);
}

/** The printed cells of a kept row of `group`, in the header's order. */
function cellsOf(stored: string, group: RowGroup): string[] {
  const [status = "", id = "", since = "", action = "", ...extras] = stored.split(SEPARATOR);
  return [id, status || "-", group, since, action, ...extras];
}

/** Collects the rows; at the end writes the sorted table and the summary. */
export function createTable(target: TableTarget): OutputFormat {
  const { write, paint, extraColumns, signal } = target;
  const header = ["ID", "STATUS", "GROUP", "SINCE", "WHAT TO DO"];
  header.push(...extraColumns.map((column) => column.toUpperCase()));
  const widths = header.map((title) => title.length);
  const groups = new Map<RowGroup, string[]>(GROUP_ORDER.map((group) => [group, []]));
  let count = 0;
  const line = (cells: readonly string[]) =>
    cells
      .map((value, i) => (i === cells.length - 1 ? value : value.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return {
    row(row) {
      const stored = kept(row, extraColumns);
      for (const [i, value] of cellsOf(stored, row.group).entries()) {
        if (value.length > (widths[i] ?? 0)) widths[i] = value.length;
      }
      groups.get(row.group)?.push(stored);
      count++;
    },
    async end(tally) {
      let lines = [line(header)];
      for (const group of GROUP_ORDER) {
        const rows = groups.get(group) ?? [];
        groups.delete(group); // each group's rows are freed once written
        rows.sort();
        for (const stored of rows) {
          lines.push(paint(line(cellsOf(stored, group)), colourOf(group)));
          if (lines.length < LINES_PER_WRITE) continue;
          write(`${lines.join("\n")}\n`);
          lines = [];
          await nextTurn(); // a closed output or a Ctrl-C is heard here
          signal.throwIfAborted();
        }
      }
      if (count === 0) lines.push("(no connections)");
      lines.push("", summaryLine(tally, GROUP_ORDER));
      write(`${lines.join("\n")}\n`);
    },
  };
}
