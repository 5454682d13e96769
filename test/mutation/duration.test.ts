/**
 * `src/cli/duration.ts` on its own, the edges mutation testing found unpinned: how a duration is
 * written for people and in words (each unit's boundary, the singular), the three decimals a
 * value may carry, the hint a bare number gets (and does not get at 0), and what counts as bare.
 */
import { describe, expect, it } from "vitest";
import { formatDuration, inWords, isBareNumber, parseDuration } from "../../src/cli/duration.js";
import { CliError } from "../../src/cli/io.js";

/** The usage error's message that `run` throws. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
}

describe("formatDuration", () => {
  it.each([
    [850, "850 ms"],
    [999, "999 ms"],
    [1_000, "1 s"],
    [59_000, "59 s"],
    [60_000, "1 m 0 s"],
    [185_000, "3 m 5 s"],
    [3_599_000, "59 m 59 s"],
    [3_600_000, "1 h 0 m"],
    [7_800_000, "2 h 10 m"],
  ])("%i ms → %j", (ms, written) => {
    expect(formatDuration(ms)).toBe(written);
  });
});

describe("inWords", () => {
  it.each([
    [1, "1 millisecond"],
    [30, "30 milliseconds"],
    [1_000, "1 second"],
    [3_600, "3.6 seconds"],
    [90_000, "1.5 minutes"],
    [3_600_000, "1 hour"],
    [5_400_000, "1.5 hours"],
    [86_400_000, "1 day"],
    [40 * 86_400_000, "40 days"],
  ])("%i ms → %j", (ms, words) => {
    expect(inWords(ms)).toBe(words);
  });
});

describe("parseDuration", () => {
  it("takes up to three decimals, and a unit's multiple", () => {
    expect(parseDuration("1.5h", "timeout")).toBe(5_400_000);
    expect(parseDuration("1.125s", "timeout")).toBe(1_125);
    expect(parseDuration("250", "timeout")).toBe(250);
    expect(refusal(() => parseDuration("1.1255s", "timeout"))).toMatch(/must be a duration/);
  });

  it("a bare number below the floor is told what to write, as seconds and shorter", () => {
    expect(refusal(() => parseDuration("3600", "expires"))).toContain(
      "--expires 3600 is 3.6 seconds; ",
    );
    expect(refusal(() => parseDuration("3600", "expires"))).toMatch(/: write 3600s or 1h$/);
    expect(refusal(() => parseDuration("30", "expires"))).toMatch(/: write 30s$/);
    expect(refusal(() => parseDuration("5", "timeout"))).toMatch(/: write 5s$/);
  });

  it("a bare 0 or a value with a unit gets no hint", () => {
    expect(refusal(() => parseDuration("0", "interval"))).not.toContain("write");
    expect(refusal(() => parseDuration("30ms", "expires"))).not.toContain("write");
  });
});

describe("isBareNumber", () => {
  it.each([
    ["12", true],
    ["1.5", true],
    ["1.25", true],
    ["1.5s", false],
    ["x12", false],
    ["1.x", false],
    ["1.", false],
    ["", false],
  ])("%j → %s", (value, bare) => {
    expect(isBareNumber(value)).toBe(bare);
  });
});
