/**
 * Error bodies the redaction tests did not cover: a `null` anywhere in the body (kept, never a
 * `TypeError`), the API key spelled with JSON `\u` escapes (masked once parsed), and a secret
 * field holding an array (its items are not taken for a secret elsewhere in the body).
 */
import { describe, expect, it } from "vitest";
import { createRedactor } from "../../src/core/redact.js";
import { TEST_API_KEY } from "../helpers/fixtures.js";

const { errorBody } = createRedactor(TEST_API_KEY);

describe("errorBody", () => {
  it("keeps null values, at the top and nested", () => {
    expect(errorBody('{"detail":null,"errors":[null,{"field":null}]}')).toEqual({
      detail: null,
      errors: [null, { field: null }],
    });
  });

  it("masks the key written with \\u escapes, which only parsing reveals", () => {
    const escaped = [...TEST_API_KEY]
      .map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)
      .join("");
    const body = errorBody(`{"detail":"bad key ${escaped}"}`);
    expect(body).toEqual({ detail: "bad key [redacted]" });
  });

  it("takes only strings of a secret field for secrets: an array's items stay elsewhere", () => {
    // The array's opening is masked as the field's value; the body is then kept as text.
    const body = errorBody('{"token":[1,2,3,4,5,6,7,8],"detail":"rows 1,2,3,4,5,6,7,8"}');
    expect(body).toBe('{"token":"[redacted]",2,3,4,5,6,7,8],"detail":"rows 1,2,3,4,5,6,7,8"}');
  });
});
