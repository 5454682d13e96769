/** Credentials kept out of logs and errors: header redaction and masking of the key. */
import { describe, expect, test } from "vitest";
import { createRedactor, jsonDepth, maskSecretFields, redactHeaders } from "../src/core/redact.ts";
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
  const { mask, errorBody, scrubHeaders } = createRedactor("sk_live_0123456789abcdef");

  test("mask replaces every occurrence of the secret, and leaves other text alone", () => {
    expect(mask("a sk_live_0123456789abcdef b sk_live_0123456789abcdef")).toBe(
      "a [redacted] b [redacted]",
    );
    expect(mask("nothing secret")).toBe("nothing secret");
  });

  test("errorBody parses JSON with the secret masked inside nested values, and keeps text as text", () => {
    expect(errorBody(JSON.stringify({ detail: "Not found.", list: [1, 2] }))).toEqual({
      detail: "Not found.",
      list: [1, 2],
    });
    expect(
      errorBody(
        JSON.stringify({
          detail: "bad key sk_live_0123456789abcdef",
          nested: ["sk_live_0123456789abcdef"],
        }),
      ),
    ).toEqual({ detail: "bad key [redacted]", nested: ["[redacted]"] });
    expect(errorBody("key sk_live_0123456789abcdef")).toBe("key [redacted]");
    expect(errorBody("")).toBe("");
  });

  test("errorBody masks secret fields, also when their names are escaped or the text is cut off", () => {
    expect(errorBody('{"connectionMagicLinkSecret":"abc\\"def","token":7,"a":"b"}')).toEqual({
      connectionMagicLinkSecret: "[redacted]",
      token: "[redacted]",
      a: "b",
    });
    expect(errorBody('{"\\u0074oken":"abcdef"}')).toEqual({ token: "[redacted]" });
    expect(errorBody('{"detail":"x","connectionMagicLinkSecret":"gAAAAAB-cut')).toBe(
      '{"detail":"x","connectionMagicLinkSecret":"[redacted]"',
    );
  });

  test("errorBody masks a secret field's value wherever else the body quotes it, in any form", () => {
    const secret = "gAAAA/secret+value==";
    const text = JSON.stringify({
      detail: `conflict on ${secret} (${encodeURIComponent(secret)})`,
      token: secret,
    });
    expect(errorBody(text)).toEqual({
      detail: "conflict on [redacted] ([redacted])",
      token: "[redacted]",
    });
    expect(errorBody(`<p>${secret}</p> "token": "${secret}"`)).toBe(
      '<p>[redacted]</p> "token": "[redacted]"',
    );
  });

  test("errorBody keeps a body nested deeper than 64 levels as text, without a stack overflow", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(errorBody(deep)).toBe(deep);
    const shallow = `${"[".repeat(64)}${"]".repeat(64)}`;
    expect(errorBody(shallow)).toEqual(JSON.parse(shallow));
  });

  test("mask catches the key raw, JSON-escaped and percent-encoded", () => {
    const key = 'nk_"odd\\key/é';
    const { mask: maskOdd } = createRedactor(key);
    for (const form of [key, JSON.stringify(key).slice(1, -1), encodeURIComponent(key)]) {
      expect(maskOdd(`a ${form} b`)).toBe("a [redacted] b");
    }
  });

  test("scrubHeaders masks echoed values and returns the same Headers when nothing is echoed", () => {
    const clean = new Headers({ "content-type": "application/json" });
    expect(scrubHeaders(clean)).toBe(clean);
    const echoed = scrubHeaders(new Headers({ "x-echo": "key=sk_live_0123456789abcdef", a: "b" }));
    expect(echoed.get("x-echo")).toBe("key=[redacted]");
    expect(echoed.get("a")).toBe("b");
  });
});

describe("createRedactor, edge cases", () => {
  const { mask, errorBody } = createRedactor("sk_live_0123456789abcdef");

  test("an empty secret masks nothing (it is in every text, between every two characters)", () => {
    expect(createRedactor("").mask("abc")).toBe("abc");
    expect(createRedactor("").errorBody('{"a":"b"}')).toEqual({ a: "b" });
  });

  test("a secret field whose name is escaped, at any depth, is masked wherever else it is quoted", () => {
    const secret = "gAAAAB-escaped-name";
    const text = `{"data":{"\\u0074oken":"${secret}"},"detail":"see ${secret}"}`;
    expect(errorBody(text)).toEqual({
      data: { token: "[redacted]" },
      detail: "see [redacted]",
    });
  });

  test("a secret value of 8 characters or more is masked everywhere; a shorter one only as the field", () => {
    expect(errorBody('{"token":"abcdefgh","detail":"x abcdefgh"}')).toEqual({
      token: "[redacted]",
      detail: "x [redacted]",
    });
    expect(errorBody('{"token":"abcdefg","detail":"x abcdefg"}')).toEqual({
      token: "[redacted]",
      detail: "x abcdefg",
    });
  });

  test("errorBody's objects are plain data, as JSON.parse makes them", () => {
    const body = errorBody('{"detail":"key sk_live_0123456789abcdef"}');
    expect(Object.getOwnPropertyDescriptor(body, "detail")).toEqual({
      value: "key [redacted]",
      writable: true,
      enumerable: true,
      configurable: true,
    });
    expect(mask("sk_live_0123456789abcdef")).toBe("[redacted]");
  });
});

describe("maskSecretFields", () => {
  test("masks every secret field in the text, not only the first", () => {
    expect(maskSecretFields('{"token":"ab","connectionMagicLinkSecret":7,"token":"cd"}')).toBe(
      '{"token":"[redacted]","connectionMagicLinkSecret":"[redacted]","token":"[redacted]"}',
    );
  });
});

describe("jsonDepth", () => {
  test.each([
    ["[]", 1],
    ["[1, [2], [3]]", 2],
    ["[[1],[2],[3]]", 2],
    ['{"a":{},"b":{}}', 2],
    ['{"a":{"b":1}}', 2],
    ['["[[[[", "{{"]', 1],
    ['["a", [[1]]]', 3],
    ['["\\"[[[", [1]]', 2],
    ['["\\\\", [1]]', 2],
    ["", 0],
  ])("%s is %i deep (brackets inside strings do not count)", (text, depth) => {
    expect(jsonDepth(text, 64)).toBe(depth);
  });

  test("stops counting one level past the limit", () => {
    expect(jsonDepth("[".repeat(100), 3)).toBe(4);
  });
});
