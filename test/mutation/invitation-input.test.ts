/**
 * Mutation tests of `src/resources/invitation-input.ts`: "absent fields stay absent" in the body
 * it builds, key for key (not merely `undefined`), so the body holds only what the caller gave.
 */
import { describe, expect, test } from "vitest";
import { createReconnectInput } from "../../src/resources/invitation-input.ts";

describe("createReconnectInput (mutation)", () => {
  test("builds a body with no key for a field not given, or given as undefined", () => {
    expect(Object.keys(createReconnectInput({}).body)).toEqual([]);
    const given = createReconnectInput({
      allowedEmails: undefined,
      expiresInSeconds: undefined,
      maxUses: undefined,
      sendEmail: undefined,
    });
    expect(Object.keys(given.body)).toEqual([]);
  });

  test.each([
    [{ allowedEmails: ["a@example.com"] }],
    [{ expiresInSeconds: 60 }],
    [{ maxUses: 1 }],
    [{ sendEmail: false }],
  ])("keeps exactly the one field given: %o", (options) => {
    expect(createReconnectInput(options).body).toStrictEqual(options);
  });
});
