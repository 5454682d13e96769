/**
 * The three input checks the M4 run left unpinned: a UUID with a prefix, a header value that is
 * not a string (a number would pass the pattern as text), and `functionOption(undefined)`.
 */
import { expect, it } from "vitest";
import { functionOption, isHeaderValue, isUuid } from "../../src/core/input.ts";

const ID = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

it("isUuid refuses a UUID with anything before or after it", () => {
  expect(isUuid(ID)).toBe(true);
  expect(isUuid(`x${ID}`)).toBe(false);
  expect(isUuid(`../${ID}`)).toBe(false);
  expect(isUuid(`${ID}x`)).toBe(false);
});

it("isHeaderValue refuses a number, a boolean and null, though their text would pass", () => {
  expect(isHeaderValue("42")).toBe(true);
  expect(isHeaderValue(42)).toBe(false);
  expect(isHeaderValue(true)).toBe(false);
  expect(isHeaderValue(null)).toBe(false);
});

it("functionOption passes undefined through and refuses a non-function", () => {
  expect(functionOption(undefined, "onRequest")).toBeUndefined();
  const hook = () => {};
  expect(functionOption(hook, "onRequest")).toBe(hook);
  expect(() => functionOption(1 as unknown as () => void, "onRequest")).toThrow(
    "onRequest must be a function",
  );
});

it("isHeaderValue takes a value of one visible character, and refuses one of a space or tab", () => {
  expect(isHeaderValue("k")).toBe(true);
  expect(isHeaderValue("é")).toBe(true);
  expect(isHeaderValue(" ")).toBe(false);
  expect(isHeaderValue("\t")).toBe(false);
});
