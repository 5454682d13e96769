/**
 * The echo check when a hostile body names the object with a non-string (a number, an object):
 * it is a mismatch with a reason, never a `TypeError` from calling `toLowerCase` on it.
 */
import { describe, expect, it } from "vitest";
import { echoMismatch } from "../../src/core/echo.js";

const ECHO = { field: "id", param: "connection_id", required: true } as const;
const ASKED = { connection_id: "3c90c3cc-0d44-4b50-8888-8dd25736052a" };

describe("echoMismatch with a body naming the object by a non-string", () => {
  it.each([42, { toLowerCase: () => ASKED.connection_id }, true])("%j is another object", (id) => {
    expect(echoMismatch({ id }, ECHO, ASKED)).toBe(
      "the body's id names another object than the connection_id asked for",
    );
  });
});
