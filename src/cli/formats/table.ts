/**
 * `check`'s default output: a table sorted with the connections that need action first, then a
 * summary by health group. Rows are kept until the end, since they are sorted: in typed arrays
 * (`kept-rows.ts`, about 25 bytes a row), the column widths updated as rows come. Nothing is
 * spread into a call or recursed over, so a million rows print like ten; they are written a
 * thousand lines at a time, and the run's signal can stop the writing between two.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { type CheckRow, GROUP_ORDER, type RowGroup } from "../check-row.js";
import { ANSI, type Paint } from "../text.js";
import { type OutputFormat, summaryLine } from "./format.js";
import { KeptRows } from "./kept-rows.js";

/** Lines per write: a bounded string each, and a turn of the event loop between two. */
export const LINES_PER_WRITE = 1_000;

/** Joins a row's cells but its id: rows are printable, so none holds this control character. */
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

/** The cells of a row but its id, as kept: status, date, what to do, the actions' cells. */
function restOf(row: CheckRow, extraColumns: readonly string[]): string {
  const extras = extraColumns.map((column) => row.extra[column] ?? "");
  const action = row.error === undefined ? row.action : row.error.message;
  return [row.status, dateOf(row.since), action, ...extras].join(SEPARATOR);
}

/** The printed cells of a row, in the header's order. */
function cellsOf(id: string, group: RowGroup, rest: string): string[] {
  const [status = "", since = "", action = "", ...extras] = rest.split(SEPARATOR);
  return [id, status || "-", group, since, action, ...extras];
}

/** The table's title of a column: `invitationUrl` is `INVITATION URL`. */
const titleOf = (name: string) => name.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();

/** The sort key of a rest: its status. */
const statusOf = (rest: string) => rest.slice(0, rest.indexOf(SEPARATOR));

/** Collects the rows; at the end writes the sorted table and the summary. */
export function createTable(target: TableTarget): OutputFormat {
  const { write, paint, extraColumns, signal } = target;
  const header = ["ID", "STATUS", "GROUP", "SINCE", "WHAT TO DO"];
  header.push(...extraColumns.map(titleOf));
  const widths = header.map((title) => title.length);
  const rows = new KeptRows();
  const line = (cells: readonly string[]) =>
    cells
      .map((value, i) => (i === cells.length - 1 ? value : value.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return {
    row(row) {
      const rest = restOf(row, extraColumns);
      for (const [i, value] of cellsOf(row.id, row.group, rest).entries()) {
        if (value.length > (widths[i] ?? 0)) widths[i] = value.length;
      }
      rows.add(row.id, GROUP_ORDER.indexOf(row.group), rest);
    },
    async end(tally) {
      let lines = [line(header)];
      for (const index of rows.sorted(statusOf)) {
        const group = GROUP_ORDER[rows.rankOf(index)] ?? "unknown";
        const cells = cellsOf(rows.idOf(index), group, rows.restOf(index));
        lines.push(paint(line(cells), colourOf(group)));
        if (lines.length < LINES_PER_WRITE) continue;
        write(`${lines.join("\n")}\n`);
        lines = [];
        await nextTurn(); // a closed output or a Ctrl-C is heard here
        signal.throwIfAborted();
      }
      if (rows.count === 0) lines.push("(no connections)");
      lines.push("", summaryLine(tally, GROUP_ORDER));
      write(`${lines.join("\n")}\n`);
    },
  };
}
