/**
 * The signature primitives on their own: which header entries count as `v1` signatures, and the
 * comparison that must not stop at the first differing character.
 */
import { describe, expect, test } from "vitest";
import { constantTimeEqual, v1Signatures } from "../../src/webhooks/signature.ts";

describe("v1Signatures", () => {
  test.each([
    ["one entry", "v1,abc=", ["abc="]],
    ["several, space-separated, other versions skipped", "v1,a v2,b v1a,c v1,d", ["a", "d"]],
    ["an entry whose value holds commas", "v1,a,b", ["a,b"]],
    ["an empty value", "v1,", [""]],
    ["no comma", "v1abc", []],
    ["a leading comma", ",v1", []],
    ["a version that only starts with v1", "v1x,abc v10,def", []],
    ["the version in another case", "V1,abc", []],
    ["nothing", "", []],
  ])("%s: %j", (_what, header, expected) => {
    expect(v1Signatures(header)).toEqual(expected);
  });
});

describe("constantTimeEqual", () => {
  test.each([
    ["equal", "K5oZfzN95Z9U", "K5oZfzN95Z9U", true],
    ["different first character", "A5oZfzN95Z9U", "K5oZfzN95Z9U", false],
    ["different last character", "K5oZfzN95Z9V", "K5oZfzN95Z9U", false],
    ["a prefix", "K5oZ", "K5oZfzN95Z9U", false],
    ["longer", "K5oZfzN95Z9U=", "K5oZfzN95Z9U", false],
    ["both empty", "", "", true],
  ])("%s", (_what, a, b, equal) => {
    expect(constantTimeEqual(a, b)).toBe(equal);
    expect(constantTimeEqual(b, a)).toBe(equal);
  });
});
