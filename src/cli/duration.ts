/** Durations on the command line: `500ms`, `30s`, `5m`, `2h`; a bare number is seconds. */
import { usageError } from "./io.js";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** The longest duration accepted: 30 days. */
const MAX_DURATION_MS = 30 * 86_400_000;

/** Parses `value` (option `--name`) to milliseconds above 0, or throws a usage error. */
export function parseDuration(value: string, name: string): number {
  const match = /^(\d{1,9}(?:\.\d{1,3})?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? "s"] ?? 1_000) : Number.NaN;
  if (!(ms >= 1 && ms <= MAX_DURATION_MS)) {
    throw usageError(
      `--${name} must be a duration such as 500ms, 30s, 5m or 2h (a bare number is seconds), at most 30 days`,
    );
  }
  return Math.round(ms);
}

/** A duration for people: `850 ms`, `12 s`, `3 m 5 s`, `2 h 10 m`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1_000);
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.floor(s / 60)} m ${s % 60} s`;
  return `${Math.floor(s / 3_600)} h ${Math.floor((s % 3_600) / 60)} m`;
}
