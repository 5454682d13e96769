/**
 * Query checks past the spec's own parameters: an integer without a lower bound, a string at
 * exactly its minimum length, a boolean named in the error, an unknown name given `undefined`
 * (absent, so not refused), and an empty array left out of the query string.
 */
import { describe, expect, it } from "vitest";
import { NectarInvalidInputError } from "../../src/core/errors.js";
import { checkQuery, type QueryParameter, queryString } from "../../src/core/query.js";

const scalar = { required: false, array: false, explode: false } as const;
const LIMIT: QueryParameter = { ...scalar, name: "limit", type: "integer", maximum: 10 };
const NAME: QueryParameter = { ...scalar, name: "name", type: "string", minLength: 2 };
const list = (explode: boolean): QueryParameter => ({
  name: "id",
  type: "string",
  required: false,
  array: true,
  explode,
});

describe("checkQuery", () => {
  it("accepts any whole number down from the maximum when no minimum is set", () => {
    expect(checkQuery([LIMIT], { limit: -1_000 })).toEqual({ limit: -1_000 });
    expect(() => checkQuery([LIMIT], { limit: 11 })).toThrow(
      "limit must be a whole number from -Infinity to 10, got 11.",
    );
  });

  it("accepts a string of exactly its minimum length", () => {
    expect(checkQuery([NAME], { name: "ab" })).toEqual({ name: "ab" });
    expect(() => checkQuery([NAME], { name: "a" })).toThrow("name must not be empty");
  });

  it("names a boolean it refuses by its value", () => {
    expect(() => checkQuery([LIMIT], { limit: true })).toThrow(
      new NectarInvalidInputError("limit must be a whole number from -Infinity to 10, got true."),
    );
  });

  it("takes an unknown name given undefined as absent", () => {
    expect(checkQuery([LIMIT], { other: undefined })).toEqual({});
    expect(() => checkQuery([LIMIT], { other: 1 })).toThrow('Unknown query parameter "other".');
  });
});

describe("queryString", () => {
  it.each([true, false])("leaves out an empty array (explode: %s)", (explode) => {
    expect(queryString([list(explode), LIMIT], { id: [], limit: 3 })).toBe("limit=3");
  });

  it("leaves out a value that is not an array where an array is declared", () => {
    expect(queryString([list(false)], { id: "x" })).toBe("");
  });
});
