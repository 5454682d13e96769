/**
 * The checks of `invitations.createReconnect`'s options before anything is sent: the body Nectar
 * documents, the per-call options, and messages that name the field and never quote a string.
 */
import { readFileSync } from "node:fs";
import { fullFormats } from "ajv-formats/dist/formats.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NectarInvalidInputError } from "../src/index.js";
import {
  type CreateReconnectOptions,
  createReconnectInput,
  isEmailAddress,
} from "../src/resources/invitation-input.js";
import { TEST_API_KEY } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

const spec = JSON.parse(
  readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
) as {
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
};

/** The error `createReconnectInput(options)` throws, recorded for the redaction check. */
function refusal(options: unknown): Error {
  try {
    createReconnectInput(options as CreateReconnectOptions);
  } catch (error) {
    recordForRedaction(error);
    if (error instanceof Error) return error;
  }
  throw new Error("expected the options to be refused");
}

describe("the body sent", () => {
  it("is {} with no options, and no call options", () => {
    expect(createReconnectInput(undefined)).toEqual({ body: {}, request: {} });
    expect(createReconnectInput({})).toEqual({ body: {}, request: {} });
  });

  it("carries exactly the documented fields given, and the call options apart", () => {
    const signal = new AbortController().signal;
    const { body, request } = createReconnectInput({
      allowedEmails: ["energy.manager@acme.example"],
      expiresInSeconds: 604_800,
      maxUses: 1,
      sendEmail: true,
      signal,
      timeoutMs: 5_000,
      maxRetries: 0,
    });
    expect(body).toEqual({
      allowedEmails: ["energy.manager@acme.example"],
      expiresInSeconds: 604_800,
      maxUses: 1,
      sendEmail: true,
    });
    expect(request).toEqual({ signal, timeoutMs: 5_000, maxRetries: 0 });
  });

  it("accepts the documented minimums and an empty allow-list", () => {
    const { body } = createReconnectInput({
      allowedEmails: [],
      expiresInSeconds: 60,
      maxUses: 1,
      sendEmail: false,
    });
    expect(body).toEqual({ allowedEmails: [], expiresInSeconds: 60, maxUses: 1, sendEmail: false });
  });

  it("copies the allow-list: a later change by the caller does not reach the request", () => {
    const allowedEmails = ["a@acme.example"];
    const { body } = createReconnectInput({ allowedEmails });
    allowedEmails.push("b@acme.example");
    expect(body.allowedEmails).toEqual(["a@acme.example"]);
  });

  it("knows the very fields the spec's CreateReconnectInvitationRequest names", () => {
    const documented = Object.keys(
      spec.components.schemas.CreateReconnectInvitationRequest?.properties ?? {},
    ).sort();
    expect(documented).toEqual(["allowedEmails", "expiresInSeconds", "maxUses", "sendEmail"]);
    const all = Object.fromEntries(documented.map((name) => [name, undefined]));
    expect(createReconnectInput(all).body).toEqual({});
  });
});

describe("refused before sending, naming the field", () => {
  it.each<[string, unknown, RegExp]>([
    [
      "an unknown key",
      { prefill: {} },
      /^Unknown createReconnect option "prefill"; expected one of allowedEmails, expiresInSeconds, maxUses, sendEmail, signal/,
    ],
    ["a misspelt key", { allowedEmail: ["a@acme.example"] }, /option "allowedEmail"/],
    [
      "allowedEmails as a string",
      { allowedEmails: "a@acme.example" },
      /^allowedEmails must be an array of email addresses, got a string \(not shown\)\.$/,
    ],
    [
      "an address that is not one",
      { allowedEmails: ["a@acme.example", "not-an-email"] },
      /^allowedEmails\[1\] is not an email address \(its value is not shown\)\.$/,
    ],
    ["an empty address", { allowedEmails: [""] }, /^allowedEmails\[0\] is not an email address/],
    [
      "an address that is a number",
      { allowedEmails: [42] },
      /^allowedEmails\[0\] must be a string/,
    ],
    [
      "expiresInSeconds 59",
      { expiresInSeconds: 59 },
      /^expiresInSeconds must be a whole number of seconds, at least 60, got 59\.$/,
    ],
    ["expiresInSeconds 60.5", { expiresInSeconds: 60.5 }, /^expiresInSeconds .* got 60\.5\.$/],
    [
      "expiresInSeconds as a string",
      { expiresInSeconds: "3600" },
      /^expiresInSeconds .* got a string \(not shown\)\.$/,
    ],
    ["expiresInSeconds NaN", { expiresInSeconds: Number.NaN }, /^expiresInSeconds .* got NaN\.$/],
    [
      "expiresInSeconds Infinity",
      { expiresInSeconds: Number.POSITIVE_INFINITY },
      /^expiresInSeconds .* got Infinity\.$/,
    ],
    ["expiresInSeconds null", { expiresInSeconds: null }, /^expiresInSeconds .* got null\.$/],
    ["maxUses 0", { maxUses: 0 }, /^maxUses must be a whole number of uses, at least 1, got 0\.$/],
    ["maxUses 1.5", { maxUses: 1.5 }, /^maxUses .* got 1\.5\.$/],
    ["maxUses beyond a safe integer", { maxUses: 2 ** 53 }, /^maxUses /],
    [
      "sendEmail as a string",
      { sendEmail: "yes" },
      /^sendEmail must be true or false, got a string \(not shown\)\.$/,
    ],
    ["sendEmail as 1", { sendEmail: 1 }, /^sendEmail must be true or false, got 1\.$/],
    ["maxUses as true", { maxUses: true }, /^maxUses .* got true\.$/],
    ["maxUses as an array", { maxUses: [3] }, /^maxUses .* got an array\.$/],
    ["maxUses as an object", { maxUses: { uses: 3 } }, /^maxUses .* got a value of type object\.$/],
    ["maxUses as a bigint", { maxUses: 3n }, /^maxUses .* got a value of type bigint\.$/],
    [
      "sendEmail without addresses",
      { sendEmail: true },
      /^sendEmail: true needs at least one address in allowedEmails/,
    ],
    [
      "sendEmail with an empty list",
      { sendEmail: true, allowedEmails: [] },
      /^sendEmail: true needs/,
    ],
    ["options that are null", null, /^The createReconnect options must be an object/],
    ["options that are an array", [], /^The createReconnect options must be an object/],
  ])("%s", (_name, options, message) => {
    const error = refusal(options);
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(error.message).toMatch(message);
  });

  it("never quotes a string it refuses: an address, a key pasted in the wrong place", () => {
    const secretish = `${TEST_API_KEY}@acme.example`;
    for (const options of [
      { allowedEmails: [TEST_API_KEY] },
      { allowedEmails: TEST_API_KEY },
      { expiresInSeconds: TEST_API_KEY },
      { sendEmail: TEST_API_KEY },
      { [TEST_API_KEY]: true },
      { allowedEmails: [secretish.replace("@", " at ")] },
    ]) {
      const { message } = refusal(options);
      expect(message).not.toContain(TEST_API_KEY);
      expect(message).not.toContain("nk_test");
    }
  });
});

describe("isEmailAddress", () => {
  it("is ajv-formats' full email format, the check of the spec's validators and of Prism", () => {
    const reference = fullFormats.email;
    if (!(reference instanceof RegExp)) throw new Error("ajv-formats' email is not a RegExp");
    const samples = [
      "energy.manager@acme.example",
      "jsmith@example.com",
      "a+tag@sub.example.co",
      "not-an-email",
      "a@b",
      "@acme.example",
      "a@-acme.example",
      "a b@acme.example",
      "",
      "A@ACME.EXAMPLE",
      "a@acme.c",
      "a@acme.example-",
    ];
    for (const sample of samples)
      expect(isEmailAddress(sample), sample).toBe(reference.test(sample));
    expect(samples.filter((sample) => isEmailAddress(sample))).toHaveLength(5);
    expect(isEmailAddress(42)).toBe(false);
  });

  it("agrees with ajv-formats on generated addresses and near-addresses", () => {
    const reference = fullFormats.email;
    if (!(reference instanceof RegExp)) throw new Error("ajv-formats' email is not a RegExp");
    const nearAddress = fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.constantFrom("@", "@@", ""),
        fc.string({ maxLength: 8 }),
      )
      .map(([local, at, domain]) => `${local}${at}${domain}`);
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), nearAddress), (value) => {
        expect(isEmailAddress(value)).toBe(reference.test(value));
      }),
      { numRuns: 2_000 },
    );
  });
});
