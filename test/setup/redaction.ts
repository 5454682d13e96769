/**
 * Suite-wide redaction check (a vitest setup file, run in every test file): every error, log
 * line and inspected object a test records with `recordForRedaction` is searched, when the file
 * ends, for the test API key and the examples' magic-link secrets, in its message, stack,
 * JSON and `util.inspect` rendering. The client helpers record their logs and errors themselves.
 */
import { inspect } from "node:util";
import { afterAll, expect } from "vitest";
import { KNOWN_SECRETS } from "../helpers/fixtures.js";

const recorded: unknown[] = [];

/** Adds a value (error, log line, object) to what this file's redaction check searches. */
export function recordForRedaction(value: unknown): void {
  recorded.push(value);
}

/** Every rendering of a value a user or a log pipeline might see. */
export function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true })];
  if (typeof value === "string") out.push(value);
  if (value instanceof Error) out.push(value.message, value.stack ?? "", String(value));
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // circular values are covered by inspect
  }
  return out;
}

afterAll(() => {
  const leaks: string[] = [];
  for (const value of recorded) {
    for (const text of renderings(value)) {
      for (const secret of KNOWN_SECRETS) {
        if (text.includes(secret)) leaks.push(`${secret.slice(0, 6)}… in ${text.slice(0, 200)}`);
      }
    }
  }
  expect(leaks, "a secret leaked into an error, log line or inspection").toEqual([]);
});
