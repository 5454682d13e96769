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

/** How far a walk through a company's pages has come (`list`, `check --company`). */
export interface PageProgress {
  /** Pages read so far, across every status walked. */
  readonly pages: number;
  /** The pages announced so far (each walk's first page's `totalPages`, summed). */
  readonly totalPages: number;
  /** Connections read so far. */
  readonly connections: number;
}

/** A progress line: `update` after each result, `clear` before anything else is written. */
export interface ProgressLine {
  /** Draws the lookups' progress, after the pages read when `pages` is given. */
  update(progress: BulkProgress | undefined, pages?: PageProgress): void;
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

/** The pages part of the line: `page 2/8 · 1000 connections`. */
export function pagesText(pages: PageProgress): string {
  const { pages: read, totalPages, connections } = pages;
  return `page ${read}/${Math.max(read, totalPages)} · ${connections} connection${connections === 1 ? "" : "s"}`;
}

/** The whole line: the pages read, then the lookups (or the listing rate, when none). */
export function lineText(
  progress: BulkProgress | undefined,
  pages: PageProgress | undefined,
  elapsedMs: number,
): string {
  if (pages === undefined) return progress === undefined ? "" : progressText(progress, elapsedMs);
  if (progress !== undefined) return `${pagesText(pages)} · ${progressText(progress, elapsedMs)}`;
  const rate = elapsedMs > 0 ? (pages.connections * 1_000) / elapsedMs : 0;
  const shownRate = rate > 0 ? ` · ${rate < 10 ? rate.toFixed(1) : Math.round(rate)}/s` : "";
  return `${pagesText(pages)}${shownRate}`;
}

/** A progress line on `target`, or one that does nothing when it is not enabled. */
export function createProgressLine(target: ProgressTarget): ProgressLine {
  if (!target.enabled) return { update: () => {}, clear: () => {} };
  const started = target.now();
  let drawnAt = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(progress, pages) {
      const now = target.now();
      const last = progress?.total !== undefined && progress.done >= progress.total;
      if (now - drawnAt < REDRAW_MS && !last) return;
      drawnAt = now;
      drawn = true;
      const full = lineText(progress, pages, now - started);
      const text = full.slice(0, Math.max(40, target.columns - 1));
      target.write(`${ERASE_LINE}${text}`);
    },
    clear() {
      if (drawn) target.write(ERASE_LINE);
      drawn = false;
    },
  };
}
