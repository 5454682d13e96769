import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import { describe, expect, test } from "vitest";
import * as compiled from "../generated/validators.js";
import { spec } from "./helpers/openapi-document.ts";
import {
  check,
  compiledValidators,
  exampleValue,
  independentValidators,
} from "./helpers/validators.ts";

/** The named invitation examples and the schema each is shown with in the spec. */
const namedExamples: [string, string][] = [
  ["InvitationReconnect", "Invitation"],
  ["InvitationSeed", "Invitation"],
  ["InvitationDetailActive", "InvitationDetail"],
  ["InvitationDetailRevoked", "InvitationDetail"],
  ["CreateReconnectInvitationByEmail", "CreateReconnectInvitationRequest"],
  ["CreateReconnectInvitationLink", "CreateReconnectInvitationRequest"],
  ["CreateReconnectInvitationSeed", "CreateReconnectInvitationRequest"],
];

const request = (changes: Record<string, unknown>) => ({
  ...exampleValue("CreateReconnectInvitationByEmail"),
  ...changes,
});
const invitation = (changes: Record<string, unknown>) => ({
  ...exampleValue("InvitationReconnect"),
  ...changes,
});
function without(value: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...value };
  delete copy[field];
  return copy;
}

/** A sample that breaks one rule, and where (and how) the validators must say so. */
interface Invalid {
  name: string;
  schema: string;
  data: unknown;
  instancePath: string;
  keyword: string;
}

const invalidSamples: Invalid[] = [
  {
    name: "a request whose allowedEmails holds a bad email",
    schema: "CreateReconnectInvitationRequest",
    data: request({ allowedEmails: ["energy.manager@acme.example", "not-an-email"] }),
    instancePath: "/allowedEmails/1",
    keyword: "format",
  },
  {
    name: "a request whose allowedEmails holds the capture's obfuscated address",
    schema: "CreateReconnectInvitationRequest",
    data: request({ allowedEmails: ["[email protected]"] }),
    instancePath: "/allowedEmails/0",
    keyword: "format",
  },
  {
    name: "a request with expiresInSeconds 59 (the minimum is 60)",
    schema: "CreateReconnectInvitationRequest",
    data: request({ expiresInSeconds: 59 }),
    instancePath: "/expiresInSeconds",
    keyword: "minimum",
  },
  {
    name: "a request with a fractional expiresInSeconds",
    schema: "CreateReconnectInvitationRequest",
    data: request({ expiresInSeconds: 3600.5 }),
    instancePath: "/expiresInSeconds",
    keyword: "type",
  },
  {
    name: "a request with maxUses 0 (the minimum is 1)",
    schema: "CreateReconnectInvitationRequest",
    data: request({ maxUses: 0 }),
    instancePath: "/maxUses",
    keyword: "minimum",
  },
  {
    name: "a request with sendEmail as a string",
    schema: "CreateReconnectInvitationRequest",
    data: request({ sendEmail: "true" }),
    instancePath: "/sendEmail",
    keyword: "type",
  },
  {
    name: "an invitation whose status is not a string",
    schema: "Invitation",
    data: invitation({ status: 3 }),
    instancePath: "/status",
    keyword: "type",
  },
  ...["id", "token", "invitationType", "status", "invitationUrl"].map((field) => ({
    name: `an invitation without ${field}`,
    schema: "Invitation",
    data: without(invitation({}), field),
    instancePath: "",
    keyword: "required",
  })),
  {
    name: "a detail without token",
    schema: "InvitationDetail",
    data: without(exampleValue("InvitationDetailActive"), "token"),
    instancePath: "",
    keyword: "required",
  },
  {
    name: "an invitation with a null token",
    schema: "Invitation",
    data: invitation({ token: null }),
    instancePath: "/token",
    keyword: "type",
  },
  {
    name: "an invitation with a null useCount",
    schema: "Invitation",
    data: invitation({ useCount: null }),
    instancePath: "/useCount",
    keyword: "type",
  },
  {
    name: "an invitation whose connectionId is not a uuid",
    schema: "Invitation",
    data: invitation({ connectionId: "connection-42" }),
    instancePath: "/connectionId",
    keyword: "format",
  },
  {
    name: "an invitation whose expiresAt has no time zone",
    schema: "Invitation",
    data: invitation({ expiresAt: "2024-06-10T09:00:00" }),
    instancePath: "/expiresAt",
    keyword: "format",
  },
  {
    name: "a detail whose events is an object",
    schema: "InvitationDetail",
    data: { ...exampleValue("InvitationDetailActive"), events: {} },
    instancePath: "/events",
    keyword: "type",
  },
  {
    name: "a detail whose event is a string",
    schema: "InvitationDetail",
    data: { ...exampleValue("InvitationDetailActive"), events: ["viewed"] },
    instancePath: "/events/0",
    keyword: "type",
  },
];

const validatorKinds = [
  { kind: "Ajv reading generated/openapi.json", validatorFor: independentValidators() },
  { kind: "the compiled generated/validators.js", validatorFor: compiledValidators() },
];

test("the compiled validators cover every invitation schema", () => {
  const names = Object.keys(compiled).filter((name) => /Invitation/.test(name));
  expect(names.sort()).toEqual(
    [
      "validateCreateReconnectInvitationRequest",
      "validateInvitation",
      "validateInvitationCreatedConnection",
      "validateInvitationDetail",
      "validateInvitationPrefill",
      "validateInvitationStatus",
      "validateInvitationType",
    ].sort(),
  );
});

describe.each(validatorKinds.map((kind) => [kind.kind, kind.validatorFor] as const))(
  "with %s",
  (_kind, validatorFor) => {
    test.each(namedExamples)("the example %s is a valid %s", (name, schema) => {
      expect(check(validatorFor(schema), exampleValue(name))).toEqual({ valid: true, errors: [] });
    });

    test.each(invalidSamples.map((sample) => [sample.name, sample] as const))(
      "rejects %s",
      (_name, sample) => {
        const result = check(validatorFor(sample.schema), sample.data);
        expect(result.valid).toBe(false);
        expect(result.errors).toContainEqual(
          expect.objectContaining({ instancePath: sample.instancePath, keyword: sample.keyword }),
        );
        const elsewhere = result.errors.filter((e) => e.instancePath !== sample.instancePath);
        expect(elsewhere, "violations reported elsewhere").toEqual([]);
      },
    );

    test("accepts a status and a type Nectar does not list: both enums are open", () => {
      const validate = validatorFor("Invitation");
      const unknown = invitation({ status: "PAUSED", invitationType: "CONTRIBUTOR" });
      expect(check(validate, unknown)).toEqual({ valid: true, errors: [] });
    });

    test("accepts the boundaries: expiresInSeconds 60, maxUses 1, and an empty request", () => {
      const validate = validatorFor("CreateReconnectInvitationRequest");
      expect(check(validate, request({ expiresInSeconds: 60, maxUses: 1 })).valid).toBe(true);
      expect(check(validate, {}).valid).toBe(true);
      expect(check(validate, { allowedEmails: [] }).valid).toBe(true);
    });

    test("accepts null where Nectar documents it: connectionId, expiresAt, maxUses", () => {
      const nulls = { connectionId: null, expiresAt: null, maxUses: null };
      expect(check(validatorFor("Invitation"), invitation(nulls))).toEqual({
        valid: true,
        errors: [],
      });
    });

    test("accepts an invitation with only the five fields that are the point of the call", () => {
      const { id, token, invitationType, status, invitationUrl } = invitation({});
      const minimal = { id, token, invitationType, status, invitationUrl };
      expect(check(validatorFor("Invitation"), minimal).valid).toBe(true);
      expect(check(validatorFor("InvitationDetail"), minimal).valid).toBe(true);
    });

    test("accepts events of any shape, and every documented status and type", () => {
      const validateDetail = validatorFor("InvitationDetail");
      const events = [{}, { anything: [1, "two"] }, { at: null }];
      expect(check(validateDetail, { ...invitation({}), events }).valid).toBe(true);
      for (const status of ["ACTIVE", "EXPIRED", "REVOKED", "FULFILLED"]) {
        expect(check(validateDetail, invitation({ status })).valid, status).toBe(true);
      }
      const created = invitation({ invitationType: "CREATE_CONNECTION", connectionId: null });
      expect(check(validateDetail, created).valid).toBe(true);
    });
  },
);

describe("the detail examples, held to InvitationDetail with no unknown keys", () => {
  // The linter checks examples with additionalProperties off, but not through allOf: this does.
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  ajv.addSchema(spec, "openapi.json");
  const closed = ajv.compile({
    $ref: "openapi.json#/components/schemas/InvitationDetail",
    unevaluatedProperties: false,
  });

  test.each(["InvitationDetailActive", "InvitationDetailRevoked"])("%s", (name) => {
    expect(closed(exampleValue(name)), JSON.stringify(closed.errors)).toBe(true);
  });

  test("a misspelt field would be caught", () => {
    expect(closed({ ...exampleValue("InvitationDetailActive"), usecount: 0 })).toBe(false);
  });
});
