/**
 * The invitation operations of the spec against the fact sheet: `generated/openapi.json` must say
 * what Nectar's invitation pages say (every exact fact, copied to test/fixtures/invitations/), and
 * model each gap the way the sheet's "How the spec treats the gaps" decides.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  type MediaType,
  type Operation,
  type Parameter,
  type PathItem,
  present,
  type Response,
  resolve,
  type Schema,
  spec,
} from "./helpers/openapi-document.ts";

interface FieldFact {
  name: string;
  type: string;
  description?: string;
  nullable?: boolean;
  values?: string[];
  required?: boolean;
  minimum?: number;
  itemMinLength?: number;
}

interface EndpointFact {
  method: string;
  path: string;
  title?: string;
  description?: string;
  pathParameter?: { name: string; type?: string; required?: boolean; description: string };
  responseSchemaDescription?: string;
  eventsDescription?: string;
  effectStatus?: string;
  effectDescription?: string;
  requestBody?: { description: string; fields: FieldFact[] };
}

interface Facts {
  serverUrlV22: string;
  auth: { name: string; in: string; required: boolean };
  requestContentType: string;
  errorBodyField: string;
  invitationUrlShape: string;
  endpoints: Record<
    "createReconnectInvitation" | "retrieveInvitation" | "revokeInvitation",
    EndpointFact
  >;
  invitationFields: FieldFact[];
  createdConnectionFields: FieldFact[];
  prefillFields: FieldFact[];
  prefillFieldNamedOnlyInGuide: string;
  placeholderExample: {
    obfuscatedEmail: string;
    request: Record<string, unknown>;
    response: Record<string, unknown>;
  };
  inferred: { invitationIdType: string; retrieveTitle: string };
  gaps: { requiredWhereThePoint: string[]; outOfScope: string[] };
}

const read = <T>(relative: string): T =>
  JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as T;

const facts = read<Facts>("./fixtures/invitations/facts.json");

/** A schema as the fact sheet writes a type: `string<uuid>`, `string<email>[]`, `object`… */
function typeLine(property: Schema): string {
  const schema = resolve(property);
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter(
    (type) => type !== "null",
  );
  const [type] = types;
  if (type === undefined || types.length > 1) throw new Error(`unexpected type ${schema.type}`);
  if (type === "array") return `${typeLine(present(schema.items, "items"))}[]`;
  return schema.format && type === "string" ? `${type}<${schema.format}>` : type;
}

/** Whether a property's type allows null. */
const isNullable = (property: Schema): boolean => {
  const { type } = resolve(property);
  return Array.isArray(type) && type.includes("null");
};

/** A description with its whitespace folded (YAML folding and the pages' wraps differ). */
const folded = (text: string | undefined): string => (text ?? "").replace(/\s+/g, " ").trim();

/** A property's description: its own, or (for a bare `$ref`) its target's. */
const describedAs = (property: Schema): string =>
  folded(property.description ?? resolve(property).description);

/** The pointers at which two JSON values differ (empty when they are equal). */
function differences(left: unknown, right: unknown, at = ""): string[] {
  if (typeof left === "object" && left !== null && typeof right === "object" && right !== null) {
    if (Array.isArray(left) !== Array.isArray(right)) return [at];
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    return [...keys].flatMap((key) =>
      differences(
        (left as Record<string, unknown>)[key],
        (right as Record<string, unknown>)[key],
        `${at}/${key}`,
      ),
    );
  }
  return Object.is(left, right) ? [] : [at];
}

/** The operation a fact names, and its path item. */
function operationOf(fact: EndpointFact): { item: PathItem; operation: Operation } {
  const item = present(spec.paths[fact.path], fact.path);
  const operation = present(item[fact.method.toLowerCase()], `${fact.method} ${fact.path}`);
  return { item, operation };
}

/** Every parameter of an operation, path-level ones included, resolved. */
const parametersOf = (fact: EndpointFact): Parameter[] => {
  const { item, operation } = operationOf(fact);
  return [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolve);
};

/** A response of an operation, resolved. */
const responseOf = (fact: EndpointFact, status: string): Response =>
  resolve(present(operationOf(fact).operation.responses[status], `${fact.path} ${status}`));

const schemas = spec.components.schemas;
const invitation = present(schemas.Invitation, "the Invitation schema");
const invitationProperties = present(invitation.properties, "Invitation's properties");
const { createReconnectInvitation: create, retrieveInvitation: retrieve } = facts.endpoints;
const { revokeInvitation: revoke } = facts.endpoints;
const endpoints = [create, retrieve, revoke];
const connectionOperation = present(spec.paths["/connection/{connection_id}"]?.get, "GET");

describe("the fact sheet's copy, as the tests read it", () => {
  test("holds 14 invitation fields, in the order of Nectar's example response", () => {
    expect(facts.invitationFields.map((field) => field.name)).toEqual(
      Object.keys(facts.placeholderExample.response),
    );
    expect(facts.invitationFields).toHaveLength(14);
  });

  test("holds the four request fields of the example request, in its order", () => {
    expect(create.requestBody?.fields.map((field) => field.name)).toEqual(
      Object.keys(facts.placeholderExample.request),
    );
  });
});

describe("every invitation operation", () => {
  test.each(endpoints.map((fact) => [fact.method, fact.path, fact] as const))(
    "%s %s exists, tagged Invitations, not deprecated, behind the API key",
    (_method, _path, fact) => {
      const { operation } = operationOf(fact);
      expect(operation.tags).toEqual(["Invitations"]);
      expect(operation.deprecated).toBeUndefined();
      const required = (operation.security ?? spec.security ?? []).flatMap(Object.keys);
      expect(required).toHaveLength(1);
      expect(spec.components.securitySchemes[required[0] ?? ""]).toMatchObject({
        type: "apiKey",
        in: facts.auth.in,
        name: facts.auth.name,
      });
      expect(spec.servers.map((server) => server.url)).toEqual([facts.serverUrlV22]);
    },
  );

  test.each(endpoints.map((fact) => [fact.path, fact] as const))(
    "%s takes one required uuid path parameter, named and described as Nectar does",
    (_path, fact) => {
      const parameters = parametersOf(fact);
      expect(parameters).toHaveLength(1);
      const [parameter] = parameters;
      const documented = present(fact.pathParameter ?? retrieve.pathParameter, "parameter fact");
      expect(parameter).toMatchObject({
        name: documented.name,
        in: "path",
        required: true,
        description: documented.description,
      });
      // connection_id's type is on Nectar's page; invitation_id's follows the invitation id's.
      expect(typeLine(present(parameter?.schema, "schema"))).toBe(
        documented.type ?? facts.inferred.invitationIdType,
      );
    },
  );

  test.each(endpoints.map((fact) => [fact.path, fact] as const))(
    "%s declares the connection path's errors, each an ErrorBody with a detail string",
    (_path, fact) => {
      const errors = Object.keys(operationOf(fact).operation.responses).filter(
        (status) => !status.startsWith("2"),
      );
      expect(errors).toEqual(
        Object.keys(connectionOperation.responses).filter((status) => !status.startsWith("2")),
      );
      for (const status of errors) {
        expect(operationOf(fact).operation.responses[status]).toEqual(
          connectionOperation.responses[status],
        );
        const body = responseOf(fact, status).content?.[facts.requestContentType]?.schema;
        expect(resolve(present(body, status)).properties?.[facts.errorBodyField]?.type).toBe(
          "string",
        );
      }
    },
  );

  test("only the three documented invitation paths are in the spec (list and contributor are out of scope)", () => {
    const invitationPaths = Object.keys(spec.paths).filter((path) =>
      path.startsWith("/invitation"),
    );
    expect(invitationPaths.sort()).toEqual(endpoints.map((fact) => fact.path).sort());
    for (const path of facts.gaps.outOfScope) expect(spec.paths[path]).toBeUndefined();
  });

  test("the two paths Redocly calls ambiguous cannot collide: every templated segment is a uuid", () => {
    for (const fact of endpoints) {
      for (const parameter of parametersOf(fact)) {
        expect(parameter.schema?.format, `${fact.path} ${parameter.name}`).toBe("uuid");
      }
    }
    // A literal segment of one path sits where the other has a uuid: no request matches both.
    expect(create.path.split("/")[2]).toBe("connection");
    expect(revoke.path.split("/")[3]).toBe("revoke");
  });
});

describe(`${create.method} ${create.path}`, () => {
  const { operation } = operationOf(create);
  const body = present(operation.requestBody, "the request body");
  const request = present(schemas.CreateReconnectInvitationRequest, "the request schema");
  const requestProperties = present(request.properties, "the request's properties");
  const fields = present(create.requestBody, "request facts").fields;

  test("is createReconnectInvitation, summarised by the page's title, described in its words", () => {
    expect(operation.operationId).toBe("createReconnectInvitation");
    expect(operation.summary).toBe(create.title);
    expect(folded(operation.description)).toContain(create.description);
  });

  test("takes a JSON CreateReconnectInvitationRequest, described as Nectar does", () => {
    expect(Object.keys(body.content ?? {})).toEqual([facts.requestContentType]);
    expect(body.content?.[facts.requestContentType]?.schema).toEqual({
      $ref: "#/components/schemas/CreateReconnectInvitationRequest",
    });
    expect(folded(request.description)).toContain(create.requestBody?.description);
  });

  test("requires a body (undocumented; every documented call sends one) and says so", () => {
    expect(body.required).toBe(true);
    expect(folded(body.description)).toMatch(/not documented/);
  });

  test("has exactly Nectar's four fields, in its order, none required", () => {
    expect(Object.keys(requestProperties)).toEqual(fields.map((field) => field.name));
    expect(request.required ?? []).toEqual([]);
    expect(fields.every((field) => field.required === false)).toBe(true);
    expect(requestProperties.prefill).toBeUndefined();
  });

  test.each(fields.map((field) => [field.name, field] as const))(
    "types, constrains and describes %s as Nectar does",
    (name, field) => {
      const property = present(requestProperties[name], name);
      expect(typeLine(property)).toBe(field.type);
      expect(isNullable(property)).toBe(false);
      expect(property.minimum).toBe(field.minimum);
      expect(property.items?.minLength).toBe(field.itemMinLength);
      expect(describedAs(property)).toContain(field.description);
    },
  );

  test("does not forbid other keys (Nectar's handling of them is not documented), and says so", () => {
    expect(request.additionalProperties).toBeUndefined();
    expect(folded(request.description)).toMatch(/other keys is not documented/);
  });

  test("declares 200 and 201 (the status is not documented), both the Invitation", () => {
    const successes = Object.keys(operation.responses).filter((status) => status.startsWith("2"));
    expect(successes).toEqual(["200", "201"]);
    expect(operation.responses["200"]).toEqual(operation.responses["201"]);
    const ok = responseOf(create, "201");
    expect(Object.keys(ok.content ?? {})).toEqual([facts.requestContentType]);
    expect(ok.content?.[facts.requestContentType]?.schema).toEqual({
      $ref: "#/components/schemas/Invitation",
    });
    expect(folded(ok.description)).toContain(create.responseSchemaDescription);
    expect(folded(ok.description)).toMatch(/does not document whether it answers 200 or 201/);
  });

  test("says what Nectar leaves undocumented, idempotency included", () => {
    const description = folded(operation.description);
    expect(description).toMatch(/Not documented by Nectar/);
    expect(description).toMatch(/no idempotency key/);
  });
});

describe(`${retrieve.method} ${retrieve.path}`, () => {
  const { operation } = operationOf(retrieve);
  const detail = present(schemas.InvitationDetail, "the InvitationDetail schema");
  const [base, extension] = detail.allOf ?? [];
  const events = present(extension?.properties?.events, "events");

  test("is retrieveInvitation, summarised by the title of its page's URL, in Nectar's words", () => {
    expect(operation.operationId).toBe("retrieveInvitation");
    expect(operation.summary).toBe(facts.inferred.retrieveTitle);
    expect(folded(operation.description)).toContain(retrieve.description);
  });

  test("answers 200 (undocumented, and said so) with an InvitationDetail", () => {
    const successes = Object.keys(operation.responses).filter((status) => status.startsWith("2"));
    expect(successes).toEqual(["200"]);
    expect(responseOf(retrieve, "200").content?.[facts.requestContentType]?.schema).toEqual({
      $ref: "#/components/schemas/InvitationDetail",
    });
    expect(folded(operation.description)).toMatch(/success status \(200 is declared\)/);
  });

  test("InvitationDetail is every Invitation field plus events, described as Nectar does", () => {
    expect(detail.allOf).toHaveLength(2);
    expect(base).toEqual({ $ref: "#/components/schemas/Invitation" });
    expect(Object.keys(extension?.properties ?? {})).toEqual(["events"]);
    expect(extension?.required).toBeUndefined();
    expect(folded(detail.description)).toContain(retrieve.responseSchemaDescription);
  });

  test("events is a list of objects of unknown shape, described as such", () => {
    expect(events.type).toBe("array");
    expect(events.items).toMatchObject({ type: "object", additionalProperties: true });
    expect(events.items?.properties).toBeUndefined();
    expect(folded(events.description)).toContain(retrieve.eventsDescription);
    expect(folded(events.description)).toMatch(/does not document an event's fields/);
    expect(folded(events.items?.description)).toMatch(/not documented/);
  });

  test("events is on the detail only, not on the Invitation", () => {
    expect(invitationProperties.events).toBeUndefined();
  });
});

describe(`${revoke.method} ${revoke.path}`, () => {
  const { operation } = operationOf(revoke);

  test("is revokeInvitation, whose effect is the REVOKED status, and no body is sent", () => {
    expect(operation.operationId).toBe("revokeInvitation");
    expect(operation.requestBody).toBeUndefined();
    expect(folded(operation.description)).toContain(revoke.effectStatus);
    expect(present(schemas.InvitationStatus?.description, "status")).toContain(
      revoke.effectDescription,
    );
  });

  test("accepts 200 and 201 with any JSON body, and 204 without one; it relies on none", () => {
    const successes = Object.keys(operation.responses).filter((status) => status.startsWith("2"));
    expect(successes).toEqual(["200", "201", "204"]);
    for (const status of ["200", "201"]) {
      const schema = responseOf(revoke, status).content?.[facts.requestContentType]?.schema;
      expect(Object.keys(present(schema, status))).toEqual(["description"]);
    }
    expect(responseOf(revoke, "204").content).toBeUndefined();
    expect(folded(operation.description)).toMatch(/any 2xx as success and do not rely on the body/);
    expect(folded(operation.description)).toMatch(/title \(the summary here is ours\)/);
  });
});

describe("the Invitation schema", () => {
  test("is described as Nectar describes the response", () => {
    expect(invitation.type).toBe("object");
    expect(folded(invitation.description)).toContain(create.responseSchemaDescription);
  });

  test("has exactly Nectar's 14 fields, in the order of its example", () => {
    expect(Object.keys(invitationProperties)).toEqual(
      facts.invitationFields.map((field) => field.name),
    );
  });

  test("requires only the fields that are the point of the call (required flags are undocumented)", () => {
    expect([...(invitation.required ?? [])].sort()).toEqual(
      [...facts.gaps.requiredWhereThePoint].sort(),
    );
    expect(folded(invitation.description)).toMatch(/does not document which fields/);
  });

  test.each(facts.invitationFields.map((field) => [field.name, field] as const))(
    "types, describes and (un)nulls %s as Nectar does",
    (name, field) => {
      const property = present(invitationProperties[name], name);
      expect(typeLine(property)).toBe(field.type);
      expect(isNullable(property)).toBe(field.nullable === true);
      expect(describedAs(property)).toContain(field.description);
    },
  );

  test("invitationType and status are open enums listing exactly the values Nectar's descriptions list", () => {
    for (const field of facts.invitationFields.filter((fact) => fact.values)) {
      const enumSchema = resolve(present(invitationProperties[field.name], field.name));
      // Open enums: the documented values, then any other string (what the description promises).
      expect(enumSchema.enum, field.name).toBeUndefined();
      expect(enumSchema.anyOf?.[0]?.enum, field.name).toEqual(field.values);
      expect(enumSchema.anyOf?.[1], field.name).toMatchObject({ type: "string" });
      expect(enumSchema.anyOf?.[1]?.enum, field.name).toBeUndefined();
      expect(folded(enumSchema.description)).toMatch(/pass it through rather than fail/);
    }
    expect(invitationProperties.invitationType).toEqual({
      $ref: "#/components/schemas/InvitationType",
    });
    expect(invitationProperties.status).toEqual({ $ref: "#/components/schemas/InvitationStatus" });
  });

  test("invitationUrl's description gives the URL's documented shape", () => {
    expect(folded(invitationProperties.invitationUrl?.description)).toContain(
      facts.invitationUrlShape,
    );
  });

  test("createdConnections items have Nectar's four fields and types, none required, status a plain string", () => {
    const item = resolve(present(invitationProperties.createdConnections?.items, "items"));
    expect(Object.keys(item.properties ?? {})).toEqual(
      facts.createdConnectionFields.map((field) => field.name),
    );
    for (const field of facts.createdConnectionFields) {
      const property = present(item.properties?.[field.name], field.name);
      expect(typeLine(property), field.name).toBe(field.type);
      expect(property.enum, field.name).toBeUndefined();
      expect(folded(property.description), field.name).toMatch(/does not describe this field/);
    }
    expect(item.required).toBeUndefined();
  });

  test("prefill has the example's fields with its types, plus the guide's untyped datasourceId", () => {
    const prefill = resolve(present(invitationProperties.prefill, "prefill"));
    expect(prefill.additionalProperties).toBe(true);
    expect(prefill.required).toBeUndefined();
    for (const field of facts.prefillFields) {
      expect(typeLine(present(prefill.properties?.[field.name], field.name))).toBe(field.type);
    }
    const datasourceId = present(prefill.properties?.[facts.prefillFieldNamedOnlyInGuide], "id");
    expect(datasourceId.type).toBeUndefined();
    expect(folded(datasourceId.description)).toMatch(/type is not documented/);
    // The enums of utilityTypes and country are not documented for invitations: plain strings.
    expect(prefill.properties?.utilityTypes?.items).toEqual({ type: "string" });
    expect(prefill.properties?.country?.type).toBe("string");
  });
});

describe("the named examples", () => {
  const examples = spec.components.examples;
  const exampleRefs = (media: MediaType | undefined): string[] =>
    Object.values(media?.examples ?? {}).map((example) => present(example.$ref, "a $ref"));

  test("Nectar's placeholder response is kept but for the obfuscated emails and the two enum placeholders", () => {
    const seed = present(examples.InvitationSeed, "InvitationSeed");
    const { response, obfuscatedEmail } = facts.placeholderExample;
    expect(differences(response, seed.value).sort()).toEqual(
      ["/allowedEmails/0", "/invitationType", "/prefill/connectionOwnerEmail", "/status"].sort(),
    );
    expect(Object.keys(seed.value as object)).toEqual(Object.keys(response));
    expect([response.invitationType, response.status]).toEqual(["<string>", "<string>"]);
    expect(seed.value).toMatchObject({ invitationType: "EDIT_CONNECTION", status: "ACTIVE" });
    expect(JSON.stringify(seed.value)).not.toContain(obfuscatedEmail);
    expect(folded(seed.description)).toMatch(/which no enum value matches/);
  });

  test("Nectar's placeholder request is kept but for the obfuscated email", () => {
    const seed = present(examples.CreateReconnectInvitationSeed, "the request seed");
    expect(differences(facts.placeholderExample.request, seed.value)).toEqual(["/allowedEmails/0"]);
    expect(folded(seed.description)).toMatch(/obfuscated/);
  });

  test("the realistic reconnect answer is EDIT_CONNECTION, ACTIVE, empty prefill, no created connections", () => {
    const value = present(examples.InvitationReconnect, "InvitationReconnect").value as Record<
      string,
      unknown
    >;
    expect(value).toMatchObject({
      invitationType: "EDIT_CONNECTION",
      status: "ACTIVE",
      prefill: {},
      createdConnections: [],
      invitationUrl: facts.invitationUrlShape.replace("{token}", String(value.token)),
    });
    expect(value.connectionId).toEqual(expect.any(String));
  });

  test("every realistic invitation example's invitationUrl embeds its token, in the documented shape", () => {
    for (const name of [
      "InvitationReconnect",
      "InvitationDetailActive",
      "InvitationDetailRevoked",
    ]) {
      const value = present(examples[name], name).value as { token: string; invitationUrl: string };
      expect(value.invitationUrl, name).toBe(
        facts.invitationUrlShape.replace("{token}", value.token),
      );
    }
  });

  test("the detail examples: one ACTIVE with events, one REVOKED, their event keys flagged as made up", () => {
    const active = present(examples.InvitationDetailActive, "active");
    const revoked = present(examples.InvitationDetailRevoked, "revoked");
    expect(active.value).toMatchObject({ status: "ACTIVE", events: [{}, {}] });
    expect(revoked.value).toMatchObject({ status: "REVOKED", events: [{}] });
    for (const example of [active, revoked]) {
      expect(folded(example.description)).toMatch(/made up for illustration/);
    }
  });

  test("realistic examples come first: the first one of each list is what Prism serves by default", () => {
    const { operation } = operationOf(create);
    expect(exampleRefs(operation.requestBody?.content?.[facts.requestContentType])).toEqual([
      "#/components/examples/CreateReconnectInvitationByEmail",
      "#/components/examples/CreateReconnectInvitationLink",
      "#/components/examples/CreateReconnectInvitationSeed",
    ]);
    expect(exampleRefs(responseOf(create, "201").content?.[facts.requestContentType])).toEqual([
      "#/components/examples/InvitationReconnect",
      "#/components/examples/InvitationSeed",
    ]);
    expect(exampleRefs(responseOf(retrieve, "200").content?.[facts.requestContentType])).toEqual([
      "#/components/examples/InvitationDetailActive",
      "#/components/examples/InvitationDetailRevoked",
    ]);
  });
});

describe("the document around the invitations", () => {
  test("the Invitations tag is described and listed before the deprecated Connections", () => {
    expect(spec.tags.map((tag) => tag.name)).toEqual([
      "Invitations",
      "Connections",
      "Authentication",
      "Webhooks",
    ]);
    expect(spec.tags[0]?.description).toContain(facts.invitationUrlShape);
  });

  test("the deprecated magic-link operation links to Create Reconnect Invitation", () => {
    expect(connectionOperation.deprecated).toBe(true);
    expect(connectionOperation.description).toContain(
      "[Create Reconnect Invitation](#tag/Invitations/operation/createReconnectInvitation)",
    );
  });

  test("info.description names the three invitation operations", () => {
    for (const fact of endpoints) {
      expect(folded(spec.info.description)).toContain(`${fact.method} ${fact.path}`);
    }
  });
});
