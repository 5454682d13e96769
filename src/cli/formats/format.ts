/** The shape of one output format of `check`, and the tally every format ends with. */
import type { CheckRow, RowGroup } from "../check-row.js";

/** How many rows fell in each group, and how many ids were invalid. */
export interface Tally {
  readonly byGroup: ReadonlyMap<RowGroup, number>;
  readonly total: number;
  readonly invalid: number;
  /** What the total counts, in the summary: `checked` (the default) or `listed`. */
  readonly verb?: "checked" | "listed" | undefined;
}

/**
 * One output format: rows as they come, then the end of the run. Its work per row is bounded
 * and nothing in it recurses, so any number of rows prints; a format that keeps rows (to sort
 * them) writes them in bounded pieces at the end, each after a turn of the event loop.
 */
export interface OutputFormat {
  /** Writes one row (or keeps it, for a format that sorts). */
  row(row: CheckRow): void;
  /**
   * Writes what is left once every row is in.
   * @throws the run's stop when its signal aborts while the rows are written.
   */
  end(tally: Tally): void | Promise<void>;
}

/** The one-line summary by group: `2 needs_user_action · 1 failed · 40 healthy (43 checked)`. */
export function summaryLine(tally: Tally, order: readonly RowGroup[]): string {
  const parts = order
    .filter((group) => (tally.byGroup.get(group) ?? 0) > 0)
    .map((group) => `${tally.byGroup.get(group)} ${group}`);
  const invalid =
    tally.invalid > 0
      ? `, ${tally.invalid} invalid id${tally.invalid === 1 ? "" : "s"} skipped`
      : "";
  return `${parts.join(" · ") || "nothing"} (${tally.total} ${tally.verb ?? "checked"}${invalid})`;
}
