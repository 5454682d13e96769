/**
 * The checks of `src/core/option-table.ts`, the behaviours mutation testing found unpinned: the
 * `validators` option (the compiled module accepted, anything else refused with its text), the
 * upper bounds of `wholeNumber` and `positiveNumber` at exactly `max` and just past it, and the
 * words `kindOf` gives each kind of rejected value.
 */
import { describe, expect, it } from "vitest";
import {
  aBoolean,
  aValidators,
  kindOf,
  positiveNumber,
  wholeNumber,
} from "../../src/core/option-table.js";
import * as validators from "../../src/validators.js";
import { refusal } from "../helpers/refused.js";

describe("aValidators", () => {
  it("accepts the compiled validators module as it is", () => {
    expect(aValidators(validators, "validators")).toBe(validators);
  });

  it.each([
    ["a plain object", { validateConnection: "not a function" }],
    ["null", null],
    ["a function", () => undefined],
  ])("refuses %s, saying what to import", (_, value) => {
    expect(refusal(() => aValidators(value, "validators"))).toBe(
      'validators must be the module "nectar-climate-connection/validators" (import * as validators from it).',
    );
  });
});

describe("the upper bounds", () => {
  it("wholeNumber takes exactly max and refuses max + 1", () => {
    const check = wholeNumber(1, 10);
    expect(check(10, "limit")).toBe(10);
    expect(refusal(() => check(11, "limit"))).toBe(
      "limit must be a whole number from 1 to 10, got 11.",
    );
  });

  it("positiveNumber takes exactly max and refuses past it", () => {
    const check = positiveNumber(2.5);
    expect(check(2.5, "seconds")).toBe(2.5);
    expect(refusal(() => check(2.75, "seconds"))).toBe("seconds must be at most 2.5, got 2.75.");
  });
});

describe("kindOf", () => {
  it.each([
    [null, "null"],
    [42, "42"],
    [Number.NaN, "NaN"],
    ["nk_live_secret", "a string (not shown)"],
    [undefined, "a value of type undefined"],
    [{}, "a value of type object"],
    [true, "a value of type boolean"],
  ])("names %s as %s, never quoting a string", (value, words) => {
    expect(kindOf(value)).toBe(words);
  });

  it("is what a refusal says", () => {
    expect(refusal(() => aBoolean("yes", "flag"))).toBe(
      "flag must be true or false, got a string (not shown).",
    );
  });
});
