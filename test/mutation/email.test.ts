/**
 * The client's email check against ajv-formats' "full" email format (the spec's validators and
 * Prism apply it), on addresses chosen to exercise each part of the pattern: the local part's
 * characters and dots, each label of the domain, hyphens at a label's ends, one-character labels,
 * case, and text around the address. A difference on any of them is a refusal the spec would
 * not make, or an address sent that the server would refuse.
 */
import { fullFormats } from "ajv-formats/dist/formats.js";
import { describe, expect, it } from "vitest";
import { isEmailAddress } from "../../src/core/email.js";

const reference = fullFormats.email;

const SAMPLES = [
  // local part
  "a@acme.example",
  "ab@acme.example",
  "a.b@acme.example",
  "a.b.c@acme.example",
  "a..b@acme.example",
  ".a@acme.example",
  "a.@acme.example",
  "!#$%&'*+/=?^_`{|}~-@acme.example",
  "a!b@acme.example",
  "a{b}@acme.example",
  'a"b@acme.example',
  "a(b)@acme.example",
  "Z9@acme.example",
  // domain labels
  "a@b.c",
  "a@bb.cc",
  "a@b-c.d",
  "a@b--c.d",
  "a@-b.c",
  "a@b-.c",
  "a@b.-c",
  "a@b.c-",
  "a@b.c-d",
  "a@b.c--d",
  "a@b.c.d",
  "a@b..c",
  "a@.b.c",
  "a@b.c.",
  "a@bc",
  "a@b_c.d",
  "a@b.c_d",
  "a@1.2",
  "a@12.34",
  "a@B.C",
  // around the address
  " a@b.c",
  "a@b.c ",
  "a@b.c\n",
  "x a@b.c",
  "a@b.c x",
  "a@@b.c",
  "a@b@c.d",
  "@b.c",
  "a@",
  "",
];

describe("isEmailAddress", () => {
  it.each(SAMPLES)("agrees with ajv-formats' full email format on %j", (sample) => {
    if (!(reference instanceof RegExp)) throw new Error("ajv-formats' email is not a RegExp");
    expect(isEmailAddress(sample)).toBe(reference.test(sample));
  });

  it("refuses what is not a string, even one whose text would pass", () => {
    const lookalike = { toString: () => "a@b.c" };
    expect(isEmailAddress(lookalike)).toBe(false);
    expect(isEmailAddress(["a@b.c"])).toBe(false);
  });
});
