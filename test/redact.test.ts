/** Credentials kept out of logs and errors: header redaction and masking of the key. */
import { describe, expect, test } from "vitest";
import { createRedactor, redactHeaders } from "../src/core/redact.ts";
import { TEST_API_KEY } from "./helpers/fixtures.ts";

describe("redactHeaders", () => {
  test("masks credentials and cookies in Headers, keeps the rest, names in lower case", () => {
    const headers = new Headers({
      "X-API-KEY": TEST_API_KEY,
      Authorization: `Bearer ${TEST_API_KEY}`,
      Cookie: "session=abc",
      "Content-Type": "application/json",
      "User-Agent": "nectar-climate-connection/0.1.0",
    });
    expect(redactHeaders(headers)).toEqual({
      "x-api-key": "[redacted]",
      authorization: "[redacted]",
      cookie: "[redacted]",
      "content-type": "application/json",
      "user-agent": "nectar-climate-connection/0.1.0",
    });
  });

  test("masks a plain object's credentials whatever the case of their names", () => {
    expect(
      redactHeaders({
        "X-Api-Key": TEST_API_KEY,
        AUTHORIZATION: "Basic abc",
        "Set-Cookie": "a=1",
        Accept: "application/json",
      }),
    ).toEqual({
      "x-api-key": "[redacted]",
      authorization: "[redacted]",
      "set-cookie": "[redacted]",
      accept: "application/json",
    });
  });

  test("returns an empty object for no headers", () => {
    expect(redactHeaders(new Headers())).toEqual({});
    expect(redactHeaders({})).toEqual({});
  });
});

describe("createRedactor", () => {
  const { mask, scrub, scrubHeaders } = createRedactor("sk_live_0123456789abcdef");

  test("mask replaces every occurrence of the secret, and leaves other text alone", () => {
    expect(mask("a sk_live_0123456789abcdef b sk_live_0123456789abcdef")).toBe(
      "a [redacted] b [redacted]",
    );
    expect(mask("nothing secret")).toBe("nothing secret");
  });

  test("scrub masks the secret inside nested values and returns the same value when absent", () => {
    const clean = { detail: "Not found.", list: [1, 2] };
    expect(scrub(clean)).toBe(clean);
    expect(
      scrub({ detail: "bad key sk_live_0123456789abcdef", nested: ["sk_live_0123456789abcdef"] }),
    ).toEqual({
      detail: "bad key [redacted]",
      nested: ["[redacted]"],
    });
    expect(scrub("sk_live_0123456789abcdef")).toBe("[redacted]");
  });

  test("scrubHeaders masks echoed values and returns the same Headers when nothing is echoed", () => {
    const clean = new Headers({ "content-type": "application/json" });
    expect(scrubHeaders(clean)).toBe(clean);
    const echoed = scrubHeaders(new Headers({ "x-echo": "key=sk_live_0123456789abcdef", a: "b" }));
    expect(echoed.get("x-echo")).toBe("key=[redacted]");
    expect(echoed.get("a")).toBe("b");
  });
});
