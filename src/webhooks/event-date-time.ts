/**
 * Webhook payloads write `created` and `updated` without a zone and with up to 9 fractional
 * digits (`2025-11-07T01:56:33.835384215`). `new Date()` would read them as local time, and is
 * specified for 3 digits only: this parses them explicitly, as UTC unless an offset is given.
 */
import { NectarInvalidInputError } from "../core/errors.js";

/** The spec's `EventDateTime` pattern, with groups. */
const EVENT_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))?$/;

/**
 * Parses an `EventDateTime` (a webhook's `created` or `updated`) as UTC when it has no offset
 * (Nectar does not document the zone; its REST twins are UTC), to the millisecond (further
 * digits are dropped, not rounded). Keep the string when you need the nanoseconds.
 *
 * @throws {@link NectarInvalidInputError} when `value` is not such a date-time, or names a day
 *   or time that does not exist (e.g. February 30th, 24:00).
 * @example
 * ```ts
 * parseEventDateTime("2025-11-07T01:56:33.835384215").toISOString(); // "2025-11-07T01:56:33.835Z"
 * ```
 */
export function parseEventDateTime(value: string): Date {
  const match = typeof value === "string" ? EVENT_DATE_TIME.exec(value) : null;
  if (match === null) throw invalid(value);
  const part = (group: number): number => Number(match[group] ?? "0");
  const [year, month, day, hour, minute, second] = [
    part(1),
    part(2),
    part(3),
    part(4),
    part(5),
    part(6),
  ];
  const millisecond = Number((match[7] ?? "").padEnd(3, "0").slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(utc);
  // Date.UTC rolls over (February 30th becomes March 2nd): a round trip catches it.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    throw invalid(value);
  }
  const sign = match[9] === "-" ? -1 : 1;
  const offsetMinutes = match[9] ? sign * (Number(match[10]) * 60 + Number(match[11])) : 0;
  return new Date(utc - offsetMinutes * 60_000);
}

function invalid(value: unknown): NectarInvalidInputError {
  const shown = typeof value === "string" ? `a string of ${value.length} characters` : typeof value;
  return new NectarInvalidInputError(
    `An EventDateTime must look like 2025-11-07T01:56:33.835384215 (a real date and time, optional offset), got ${shown}.`,
  );
}
