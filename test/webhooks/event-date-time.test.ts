/**
 * `parseEventDateTime`: webhook timestamps (zone-less, 0 to 9 fractional digits) read as UTC,
 * never as local time, to the millisecond; impossible dates refused.
 */
import { describe, expect, test } from "vitest";
import { NectarInvalidInputError, parseEventDateTime } from "../../src/index.ts";
import { webhookPayloads } from "../helpers/fixtures.ts";

describe("parseEventDateTime", () => {
  test.each([
    ["2025-11-07T01:56:33.835384215", "2025-11-07T01:56:33.835Z"],
    ["2024-09-06T00:15:43.073014", "2024-09-06T00:15:43.073Z"],
    ["2024-09-06T00:15:43.07", "2024-09-06T00:15:43.070Z"],
    ["2024-09-06T00:15:43.9999", "2024-09-06T00:15:43.999Z"],
    ["2024-09-06T00:15:43", "2024-09-06T00:15:43.000Z"],
    ["2024-09-06T00:15:43Z", "2024-09-06T00:15:43.000Z"],
    ["2024-09-06T02:15:43.5+02:00", "2024-09-06T00:15:43.500Z"],
    ["2024-09-05T19:45:43-04:30", "2024-09-06T00:15:43.000Z"],
    ["2024-02-29T23:59:59.999999999", "2024-02-29T23:59:59.999Z"],
  ])("%s is %s", (value, iso) => {
    expect(parseEventDateTime(value).toISOString()).toBe(iso);
  });

  test("a zone-less value is UTC whatever the process's time zone", () => {
    const value = "2025-11-07T01:56:33.835384215";
    expect(parseEventDateTime(value).getTime()).toBe(Date.UTC(2025, 10, 7, 1, 56, 33, 835));
  });

  test("the examples' created and updated parse", () => {
    const { created, updated } = webhookPayloads.updated();
    expect(parseEventDateTime(created ?? "").toISOString()).toBe("2024-03-14T09:26:53.412Z");
    expect(parseEventDateTime(updated ?? "").toISOString()).toBe("2024-03-14T11:02:17.036Z");
  });

  test.each([
    "2025-02-30T00:00:00",
    "2025-13-01T00:00:00",
    "2025-11-07T24:00:00",
    "2025-11-07T23:60:00",
    "2025-11-07T23:59:60",
    "2025-11-07 01:56:33",
    "2025-11-07T01:56:33.",
    "2025-11-07T01:56:33.1234567890",
    "2025-11-07T01:56:33+0200",
    "2025-11-07",
    "",
  ])("%j is refused", (value) => {
    expect(() => parseEventDateTime(value)).toThrow(NectarInvalidInputError);
  });

  test("a non-string is refused", () => {
    expect(() => parseEventDateTime(1_730_944_593 as unknown as string)).toThrow(
      NectarInvalidInputError,
    );
  });
});
