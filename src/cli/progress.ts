/**
 * The progress line of a long run, drawn on standard error and redrawn in place (`\r`, erase to
 * the end of the line), at most every {@link REDRAW_MS}. Drawn only when standard error is a
 * terminal: a log file or a pipe gets nothing.
 */
import type { BulkProgress } from "../core/bulk.js";
import { formatDuration } from "./duration.js";

/** Redraw at most this often, so a fast run does not flood the terminal. */
const REDRAW_MS = 100;

/** Back to the start of the line, and erase it. */
export const ERASE_LINE = "\r\u001b[K";

/** A progress line: `update` after each result, `clear` before anything else is written. */
export interface ProgressLine {
  update(progress: BulkProgress): void;
  /** Erases the line (when one was drawn). */
  clear(): void;
}

/** What the line needs: where to write, whether to, the width and the clock. */
export interface ProgressTarget {
  readonly write: (text: string) => void;
  readonly enabled: boolean;
  readonly columns: number;
  readonly now: () => number;
}

/** The text of the line: done/total, failures, rate, time left. */
export function progressText(progress: BulkProgress, elapsedMs: number): string {
  const { done, total, failed } = progress;
  const rate = elapsedMs > 0 ? (done * 1_000) / elapsedMs : 0;
  const parts = [`checked ${done}${total === undefined ? "" : `/${total}`}`];
  parts.push(`${failed} failed`);
  if (rate > 0) parts.push(`${rate < 10 ? rate.toFixed(1) : Math.round(rate)}/s`);
  if (total !== undefined && rate > 0 && done < total) {
    parts.push(`about ${formatDuration(((total - done) / rate) * 1_000)} left`);
  }
  return parts.join(" · ");
}

/** A progress line on `target`, or one that does nothing when it is not enabled. */
export function createProgressLine(target: ProgressTarget): ProgressLine {
  if (!target.enabled) return { update: () => {}, clear: () => {} };
  const started = target.now();
  let drawnAt = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(progress) {
      const now = target.now();
      const last = progress.total !== undefined && progress.done >= progress.total;
      if (now - drawnAt < REDRAW_MS && !last) return;
      drawnAt = now;
      drawn = true;
      const text = progressText(progress, now - started).slice(0, Math.max(40, target.columns - 1));
      target.write(`${ERASE_LINE}${text}`);
    },
    clear() {
      if (drawn) target.write(ERASE_LINE);
      drawn = false;
    },
  };
}
