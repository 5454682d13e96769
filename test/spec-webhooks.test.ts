/**
 * The spec's webhooks against the fact sheet (`shared/nectar-list-webhooks.md`, part B): the
 * three connection events in OpenAPI 3.1's `webhooks`, each a signed POST with Svix's headers
 * and a 2XX; payloads open and minimal (only `id` required), fields typed as the sheet's gap
 * decisions 13-23 say; the catalog's examples kept verbatim; a validator compiled for each
 * schema. The section numbers in the test names are the sheet's.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import * as validators from "../generated/validators.js";
import { type Parameter, resolve, type Schema, spec } from "./helpers/openapi-document.ts";

const schemas = spec.components.schemas;
const examples = spec.components.examples;
const webhooks = spec.webhooks;

/** The parts of a webhook's operation these tests read. */
interface WebhookOperation {
  requestBody: {
    required: boolean;
    content: Record<string, { schema: Schema; examples: Record<string, { $ref?: string }> }>;
  };
  responses: Record<string, { $ref?: string }>;
  security: unknown[];
  parameters: { $ref?: string }[];
}

/** The POST operation of a webhook; fails the test when it is missing. */
function operationOf(name: string): WebhookOperation {
  const operation = webhooks[name]?.post;
  if (operation === undefined) throw new Error(`no POST for ${name}`);
  return operation as WebhookOperation;
}

/** The named example values of a webhook's JSON body, in order. */
function exampleValues(name: string): unknown[] {
  const content = operationOf(name).requestBody.content["application/json"];
  return Object.values(content?.examples ?? {}).map(
    (example) => (resolve(example) as { value?: unknown }).value,
  );
}
const EVENTS = ["connection.created.v2", "connection.updated.v2", "connection.validated.v2"];

const event = resolve(schemas.ConnectionEventV2 ?? {});
const updated = schemas.ConnectionUpdatedEventV2 ?? {};
const account = resolve(schemas.ConnectionEventAccount ?? {});
const property = (name: string): Schema => resolve(event.properties?.[name] ?? {});

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`./fixtures/webhooks/${name}`, import.meta.url), "utf8"),
  ) as Record<string, unknown>;
}

describe("where the events go (§9 decision 13)", () => {
  test("exactly the three v2 connection events are in webhooks, keyed by Nectar's names", () => {
    expect(Object.keys(webhooks)).toEqual(EVENTS);
  });

  test("legacy and document events are named in the Webhooks tag, not described (decision 23)", () => {
    const tag = spec.tags.find((candidate) => candidate.name === "Webhooks");
    for (const name of ["document.created.v2", "connection.created`", "connection.validated`"]) {
      expect(tag?.description).toContain(name);
    }
    expect(tag?.description).toContain("handle an event you do not know as unknown");
  });

  test.each(EVENTS)(
    "%s is a POST with a required JSON body and only a 2XX response (decision 15)",
    (name) => {
      const operation = operationOf(name);
      expect(Object.keys(webhooks[name] ?? {})).toEqual(["post"]);
      expect(operation.requestBody.required).toBe(true);
      expect(Object.keys(operation.requestBody.content)).toEqual(["application/json"]);
      expect(Object.keys(operation.responses)).toEqual(["2XX"]);
      const ack = resolve(operation.responses["2XX"] ?? {}) as {
        description?: string;
        content?: unknown;
      };
      expect(ack.content).toBeUndefined();
      expect(ack.description).toContain("within 15 seconds");
      expect(ack.description).toContain("3xx");
      // Nectar sends no API key to the receiver: the spec's global ApiKeyAuth does not apply.
      expect(operation.security).toEqual([]);
    },
  );

  test("created and validated share ConnectionEventV2; updated is it plus its two fields", () => {
    const bodySchema = (name: string) =>
      operationOf(name).requestBody.content["application/json"]?.schema.$ref;
    expect(EVENTS.map(bodySchema)).toEqual([
      "#/components/schemas/ConnectionEventV2",
      "#/components/schemas/ConnectionUpdatedEventV2",
      "#/components/schemas/ConnectionEventV2",
    ]);
    expect(updated.allOf?.[0]).toEqual({ $ref: "#/components/schemas/ConnectionEventV2" });
    expect(Object.keys(updated.allOf?.[1]?.properties ?? {})).toEqual(["protectedChanges", "old"]);
  });
});

describe("headers (decision 14)", () => {
  test.each(EVENTS)("%s requires svix-id, svix-timestamp (digits) and svix-signature", (name) => {
    const parameters = operationOf(name).parameters.map((p) => resolve(p as Parameter));
    expect(parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ["svix-id", "header", true],
      ["svix-timestamp", "header", true],
      ["svix-signature", "header", true],
    ]);
    expect(parameters[1]?.schema?.pattern).toBe("^[0-9]+$");
    for (const parameter of parameters) {
      expect(parameter.description).toContain(parameter.name?.replace("svix-", "webhook-"));
    }
  });

  test("no securityScheme pretends to model the HMAC signature", () => {
    expect(Object.keys(spec.components.securitySchemes)).toEqual(["ApiKeyAuth"]);
  });
});

describe("the payload (decisions 16-22)", () => {
  test("is an open object requiring only id, a uuid (decision 16)", () => {
    expect(event.type).toBe("object");
    expect(event.required).toEqual(["id"]);
    expect(event.additionalProperties).toBe(true);
    expect(property("id")).toMatchObject({ type: "string", format: "uuid" });
  });

  test("declares every field of the newest catalog copy and the older ones still seen (§4.3.1)", () => {
    const newest = Object.keys(fixture("catalog-2025-11-07.json"));
    const older = ["company", "datasource", "emails"];
    expect(Object.keys(event.properties ?? {}).sort()).toEqual([...newest, ...older].sort());
  });

  test("fields shared with the REST connection have its type, format and nullability (S5)", () => {
    const connection = schemas.Connection?.properties ?? {};
    for (const name of [
      "id",
      "url",
      "username",
      "workflowOwnerEmail",
      "dataCollectionStartDate",
      "multiplyByOccupancy",
      "initialSites",
    ]) {
      const rest = resolve(connection[name] ?? {});
      const webhook = property(name);
      expect([name, webhook.type, webhook.format, webhook.items]).toEqual([
        name,
        rest.type,
        rest.format,
        rest.items,
      ]);
    }
    expect(event.properties?.company).toMatchObject({
      $ref: "#/components/schemas/ConnectionCompany",
    });
    expect(event.properties?.datasource).toMatchObject({
      $ref: "#/components/schemas/ConnectionDatasource",
    });
  });

  test("url, username, workflowOwnerEmail and dataCollectionStartDate may be null (decision 17)", () => {
    for (const name of ["url", "username", "workflowOwnerEmail", "dataCollectionStartDate"]) {
      expect(property(name).type).toContain("null");
    }
    expect(resolve(account.properties?.dataCollectionStartDate ?? {}).type).toEqual([
      "string",
      "null",
    ]);
  });

  test("created and updated are zone-less date-times, not format: date-time (decision 18)", () => {
    const timestamp = schemas.EventDateTime ?? {};
    for (const name of ["created", "updated"]) {
      expect(event.properties?.[name]?.$ref).toBe("#/components/schemas/EventDateTime");
    }
    expect(timestamp.format).toBeUndefined();
    const pattern = new RegExp(timestamp.pattern ?? "^$");
    for (const seen of [
      "2025-11-07T01:56:33.835384215",
      "2024-09-06T00:15:43.073014",
      "2023-11-07T05:31:56Z",
    ]) {
      expect(pattern.test(seen), seen).toBe(true);
    }
    expect(pattern.test("2025-11-07T01:56:33.8353842151")).toBe(false);
    expect(property("dataCollectionStartDate").format).toBe("date");
  });

  test("status, country and datasource types are open strings, known values listed (decision 19)", () => {
    for (const schema of [
      property("status"),
      property("country"),
      property("initialDatasourceTypes").items ?? {},
      resolve(account.properties?.datasourceTypes ?? {}).items ?? {},
    ]) {
      expect(schema.type).toBe("string");
      expect(schema.enum).toBeUndefined();
    }
    for (const value of (schemas.ConnectionStatus?.enum ?? []) as string[]) {
      expect(property("status").description).toContain(`\`${value}\``);
    }
  });

  test("account items are open, all optional, isDuplicated a string or a boolean (decision 20)", () => {
    expect(account.additionalProperties).toBe(true);
    expect(account.required).toBeUndefined();
    expect(account.properties?.isDuplicated?.anyOf).toEqual([
      { type: "string" },
      { type: "boolean" },
    ]);
  });

  test("protectedChanges (strings) and old (an open object) are optional, on updated only (decision 21)", () => {
    const extra = updated.allOf?.[1];
    expect(extra?.required).toBeUndefined();
    expect(extra?.properties?.protectedChanges).toMatchObject({
      type: "array",
      items: { type: "string" },
    });
    expect(extra?.properties?.old).toMatchObject({ type: "object", additionalProperties: true });
    expect(event.properties?.protectedChanges).toBeUndefined();
  });

  test("eventType is an optional string, neither an enum nor a discriminator (decision 22)", () => {
    expect(property("eventType")).toMatchObject({ type: "string" });
    expect(property("eventType").enum).toBeUndefined();
    expect(JSON.stringify(spec.webhooks)).not.toContain("discriminator");
  });
});

describe("examples", () => {
  test('the catalog\'s November 2025 example is verbatim, bar the "email" placeholder (§5.2)', () => {
    const verbatim = fixture("catalog-2025-11-07.json");
    expect(examples.ConnectionCreatedV2Catalog?.value).toEqual({
      ...verbatim,
      workflowOwnerEmail: "owner@example.com",
    });
  });

  test('the catalog\'s May 2025 example is verbatim, bar the "email" placeholder (§5.3)', () => {
    const verbatim = fixture("catalog-2025-05-30.json");
    expect(examples.ConnectionCreatedV2CatalogMay2025?.value).toEqual({
      ...verbatim,
      emails: ["owner@example.com"],
    });
  });

  test.each(EVENTS)("%s has a realistic example first, whose eventType is its name", (name) => {
    const [first] = exampleValues(name) as { eventType?: string }[];
    expect(first?.eventType).toBe(name);
  });

  test("every webhook example passes its schema's compiled validator", () => {
    for (const name of EVENTS) {
      const validate =
        name === "connection.updated.v2"
          ? validators.validateConnectionUpdatedEventV2
          : validators.validateConnectionEventV2;
      const values = exampleValues(name);
      expect(values.length).toBeGreaterThan(0);
      for (const value of values)
        expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});

describe("generated code", () => {
  test("a validator is compiled for each new schema", () => {
    for (const name of [
      "ConnectionEventV2",
      "ConnectionUpdatedEventV2",
      "ConnectionEventAccount",
      "EventDateTime",
    ]) {
      expect(typeof (validators as Record<string, unknown>)[`validate${name}`]).toBe("function");
    }
  });

  test("the types have a webhooks interface keyed by event name", () => {
    const types = readFileSync(new URL("../generated/schema.d.ts", import.meta.url), "utf8");
    expect(types).toContain("export interface webhooks {");
    for (const name of EVENTS) expect(types).toContain(`"${name}": {`);
  });
});
