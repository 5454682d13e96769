/**
 * Durations on the command line, the one parser of every duration flag: `500ms`, `30s`, `5m`,
 * `2h`, `7d`, with up to three decimals (`1.5h`); a bare number is milliseconds, as in the
 * library's `*Ms` options. Each flag has a floor and a ceiling, so that a number written in the
 * wrong unit (`--expires 3600`, meant as seconds) is a usage error that says what it would mean
 * and what to write, rather than a silent change of meaning.
 */
import { MIN_EXPIRES_IN_SECONDS } from "../resources/invitation-input.js";
import { usageError } from "./io.js";

/** The sentence every help says once about a bare number. */
export const BARE_NUMBER_NOTE = "a bare number is milliseconds";

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** The limits of one flag. */
export interface DurationRule {
  /** The shortest value accepted, in ms (0 allows zero). */
  readonly min: number;
  /** Why that is the floor, in words, e.g. `Nectar's minimum`. */
  readonly minWhy: string;
  /** The longest value accepted, in ms. */
  readonly max: number;
  /** True when the value must be whole seconds (it is sent in seconds). */
  readonly wholeSeconds?: boolean;
}

/** A day, in ms. */
export const DAY_MS = 86_400_000;

/** The shortest and longest of each duration flag, by flag name. */
export const DURATION_RULES = {
  timeout: { min: 100, minWhy: "the shortest attempt is 100ms", max: DAY_MS },
  deadline: { min: 1_000, minWhy: "the shortest deadline is 1s", max: 30 * DAY_MS },
  interval: { min: 1_000, minWhy: "the shortest pause is 1s", max: DAY_MS },
  expires: {
    min: MIN_EXPIRES_IN_SECONDS * 1_000,
    minWhy: `Nectar's minimum is ${MIN_EXPIRES_IN_SECONDS}s`,
    max: 3_650 * DAY_MS,
    wholeSeconds: true,
  },
  latency: { min: 0, minWhy: "", max: 60_000 },
  "webhook-retry": { min: 100, minWhy: "the shortest wait is 100ms", max: DAY_MS },
  tolerance: { min: 0, minWhy: "", max: 366 * DAY_MS, wholeSeconds: true },
} as const satisfies Record<string, DurationRule>;

/** A flag that takes a duration. */
export type DurationFlag = keyof typeof DURATION_RULES;

/** A duration for people: `850 ms`, `12 s`, `3 m 5 s`, `2 h 10 m`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1_000);
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.floor(s / 60)} m ${s % 60} s`;
  return `${Math.floor(s / 3_600)} h ${Math.floor((s % 3_600) / 60)} m`;
}

/** A duration in words for a message: `3.6 seconds`, `30 milliseconds`, `40 days`. */
export function inWords(ms: number): string {
  const units: readonly [number, string][] = [
    [DAY_MS, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1_000, "second"],
  ];
  const [size, name] = units.find(([size]) => ms >= size) ?? [1, "millisecond"];
  const count = Math.round((ms / size) * 1_000) / 1_000;
  return `${count} ${name}${count === 1 ? "" : "s"}`;
}

/** The shortest way to write `ms` with a unit: `1h` rather than `3600s`. */
function compact(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    const size = UNIT_MS[unit] ?? 1;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** What a bare number meant as seconds would be written as: `3600s or 1h`. */
export function asSeconds(bare: string): string {
  const written = `${bare}s`;
  const ms = Number(bare) * 1_000;
  const short = Number.isInteger(ms) ? compact(ms) : written;
  return short === written ? written : `${written} or ${short}`;
}

/** The value in ms, or `undefined` when it is not a duration at all. */
function read(value: string): { ms: number; bare: boolean } | undefined {
  const match = /^(\d{1,13}(?:\.\d{1,3})?)(ms|s|m|h|d)?$/.exec(value);
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNIT_MS[match[2] ?? "ms"] ?? 1);
  return { ms, bare: match[2] === undefined };
}

/**
 * Parses `value` of the flag `--name` to milliseconds within the flag's limits.
 * @throws a usage error (exit 2): not a duration; below the floor (naming what the number would
 * mean and what to write when it was bare); above the ceiling; a fraction of a second where
 * whole seconds are sent.
 */
export function parseDuration(value: string, name: DurationFlag): number {
  const rule: DurationRule = DURATION_RULES[name];
  const parsed = read(value);
  if (parsed === undefined) {
    throw usageError(
      `--${name} must be a duration such as 500ms, 30s, 5m, 2h or 7d (${BARE_NUMBER_NOTE})`,
    );
  }
  const { ms, bare } = parsed;
  const said = `--${name} ${value} is ${inWords(ms)}`;
  const hint = bare && ms > 0 ? `: write ${asSeconds(value)}` : "";
  if (ms < rule.min) throw usageError(`${said}; ${rule.minWhy}${hint}`);
  if (ms > rule.max) throw usageError(`${said}; the longest is ${compact(rule.max)}`);
  if (rule.wholeSeconds === true && ms % 1_000 !== 0) {
    throw usageError(`${said}; it must be whole seconds${hint}`);
  }
  return Math.round(ms);
}

/** Whether `value` is a bare number (no unit): what an older release read as seconds in places. */
export const isBareNumber = (value: string): boolean => /^\d+(?:\.\d+)?$/.test(value);
