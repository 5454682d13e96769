import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import { describe, expect, test } from "vitest";
import { present, resolve, type Schema, spec } from "./helpers/openapi-document.ts";
import {
  OBFUSCATED_EMAIL,
  type SeedType,
  seed,
  seedCountryCodes,
  seedDatasourceTypes,
  seedField,
  seedRequiredFields,
  seedStatuses,
} from "./helpers/seed.ts";

/**
 * Writes a schema the way the seed page writes a type line: `string<date-time> | null`,
 * `enum<string>[]`, `object`, ... so a property can be compared with its seed block directly.
 */
function asSeedTypeLine(property: Schema): string {
  const schema = resolve(property);
  const types = Array.isArray(schema.type) ? schema.type : [present(schema.type, "type")];
  const nullable = types.includes("null");
  const [type, ...others] = types.filter((name) => name !== "null");
  if (type === undefined || others.length > 0) throw new Error(`unexpected type ${types}`);
  let line: string;
  // An open enum (ConnectionStatus) still lists the seed's values, as its first branch.
  if (schema.enum ?? schema.anyOf?.[0]?.enum) line = `enum<${type}>`;
  else if (type === "array") line = `${asSeedTypeLine(present(schema.items, "items"))}[]`;
  else if (schema.format) line = `${type}<${schema.format}>`;
  else line = type;
  return nullable ? `${line} | null` : line;
}

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

/** A description with its whitespace folded, as YAML folding and the page's line wrap differ. */
const folded = (text: string | undefined): string => (text ?? "").replace(/\s+/g, " ").trim();

/** The seed description's first sentence, without its full stop. */
const firstSentence = (text: string): string =>
  (text.split(/(?<=\.) /)[0] ?? "").replace(/\.$/, "");

const pathItem = present(spec.paths[seed.path], `the path ${seed.path}`);
const operation = present(pathItem.get, `GET ${seed.path}`);
const connection = present(spec.components.schemas.Connection, "the Connection schema");
const properties = present(connection.properties, "Connection's properties");
const seedFieldNames = seed.fields.map((field) => field.name);

describe("the seed page, as the tests read it", () => {
  test("is the reference page of GET /connection/{connection_id}", () => {
    expect(seed.method).toBe("GET");
    expect(seed.path).toBe("/connection/{connection_id}");
  });

  test("lists 22 top-level fields, the same ones (in the same order) as its example response", () => {
    expect(seedFieldNames).toHaveLength(22);
    expect(seedFieldNames).toEqual(Object.keys(seed.example));
  });

  test("restores exactly what the capture lost: connectionMagicLinkSecret's block and country's type line", () => {
    const restored = seed.fields.filter((field) => field.restored !== undefined);
    expect(restored.map((field) => field.name)).toEqual(["connectionMagicLinkSecret", "country"]);
    expect(seedField("connectionMagicLinkSecret")).toMatchObject({
      required: true,
      deprecated: true,
      type: { line: "string" },
    });
    expect(seedField("country").type.line).toBe("enum<string>");
  });

  test("has 7 required fields, 13 statuses, 249 country codes and 10 datasource types", () => {
    expect(seedRequiredFields).toHaveLength(7);
    expect(seedStatuses).toHaveLength(13);
    expect(seedCountryCodes).toHaveLength(249);
    expect(seedDatasourceTypes).toHaveLength(10);
  });

  test("lists each enum's values twice, as bullets and as available options, in agreement", () => {
    for (const name of ["status", "country", "initialDatasourceTypes"]) {
      const field = seedField(name);
      expect(field.bullets, name).toEqual(field.options);
      expect(new Set(field.options).size, `${name} has no duplicates`).toBe(field.options.length);
    }
  });
});

describe("the server and authentication", () => {
  test("the only server is the seed's curl URL without the path", () => {
    expect(spec.servers.map((server) => server.url)).toEqual([seed.serverUrl]);
  });

  test("requests carry the seed's API key header, through an apiKey security scheme", () => {
    expect(seed.authorization).toMatchObject({ in: "header", required: true });
    const required = (operation.security ?? spec.security ?? []).flatMap(Object.keys);
    expect(required).toHaveLength(1);
    const scheme = present(spec.components.securitySchemes[required[0] ?? ""], "the scheme");
    expect(scheme).toMatchObject({ type: "apiKey", in: "header", name: seed.authorization.name });
  });
});

describe(`GET ${seed.path}`, () => {
  test("takes the seed's path parameter: a required uuid in the path", () => {
    const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map(
      resolve,
    );
    expect(parameters).toHaveLength(1);
    const [parameter] = parameters;
    expect(parameter).toMatchObject({
      name: seed.pathParameter.name,
      in: "path",
      required: seed.pathParameter.required,
      description: seed.pathParameter.description,
    });
    expect(asSeedTypeLine(present(parameter?.schema, "its schema"))).toBe(
      seed.pathParameter.type.line,
    );
  });

  test("is the operation retrieveConnection, summarised by the seed page's title", () => {
    expect(operation.operationId).toBe("retrieveConnection");
    expect(operation.summary).toBe(seed.title);
  });

  test("is deprecated, and its description points to invitations instead", () => {
    expect(operation.deprecated).toBe(true);
    expect(operation.description).toMatch(/deprecated/i);
    expect(operation.description).toContain("POST /invitation/connection/{connection_id}");
  });

  test("says what the deprecation covers (the magic link's two fields) and what it does not", () => {
    const deprecatedFields = Object.entries(properties)
      .filter(([, property]) => resolve(property).deprecated === true)
      .map(([name]) => name)
      .sort();
    const text = folded(operation.description ?? "");
    expect(text).toContain("**What the deprecation covers.** The magic link");
    for (const name of deprecatedFields) expect(text).toContain(`\`${name}\``);
    expect(text).toContain("the only two fields of the response Nectar marks deprecated");
    expect(deprecatedFields).toHaveLength(2);
    expect(text).toContain("It does not cover reading a connection");
    expect(text).toContain("checking or watching a connection's status here is fine");
  });

  test("answers 200 with a Connection in JSON, described as the seed describes the response", () => {
    const ok = resolve(present(operation.responses["200"], "the 200 response"));
    expect(ok.description).toBe(seed.responseDescription);
    expect(Object.keys(ok.content ?? {})).toEqual(["application/json"]);
    expect(ok.content?.["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/Connection",
    });
  });

  test("documents exactly 200 and the errors 400, 401, 403, 404, 429 and 5XX", () => {
    expect(Object.keys(operation.responses).sort()).toEqual(
      ["200", "400", "401", "403", "404", "429", "5XX"].sort(),
    );
  });

  test.each(["400", "401", "403", "404", "429", "5XX"])(
    "answers %s with an ErrorBody served as application/json",
    (status) => {
      const response = resolve(present(operation.responses[status], `the ${status} response`));
      expect(response.description).toBeTruthy();
      expect(Object.keys(response.content ?? {})).toEqual(["application/json"]);
      expect(response.content?.["application/json"]?.schema).toEqual({
        $ref: "#/components/schemas/ErrorBody",
      });
    },
  );

  test("answers 429 with a Retry-After header", () => {
    const throttled = resolve(present(operation.responses["429"], "the 429 response"));
    const retryAfter = resolve(present(throttled.headers?.["Retry-After"], "Retry-After"));
    expect(retryAfter.description).toBeTruthy();
    expect(retryAfter.schema?.type).toBe("string");
  });

  test("the ErrorBody is an object with an optional detail string that allows other properties", () => {
    const errorBody = present(spec.components.schemas.ErrorBody, "ErrorBody");
    expect(errorBody.type).toBe("object");
    expect(errorBody.properties?.detail?.type).toBe("string");
    expect(errorBody.required ?? []).toEqual([]);
    expect(errorBody.additionalProperties).not.toBe(false);
  });
});

describe("the Connection schema", () => {
  test("is an object with exactly the seed's 22 fields", () => {
    expect(connection.type).toBe("object");
    expect(Object.keys(properties).sort()).toEqual([...seedFieldNames].sort());
  });

  test("requires exactly the seed's required fields, connectionMagicLinkSecret among them", () => {
    expect([...(connection.required ?? [])].sort()).toEqual([...seedRequiredFields].sort());
    expect(connection.required).toContain("connectionMagicLinkSecret");
  });

  test.each(seed.fields.map((field) => [field.name, field.type] as [string, SeedType]))(
    "types %s as the seed does",
    (name, type) => {
      expect(asSeedTypeLine(present(properties[name], name))).toBe(type.line);
    },
  );

  test("marks deprecated exactly the fields the seed marks deprecated", () => {
    const deprecated = Object.entries(properties)
      .filter(([, property]) => resolve(property).deprecated === true)
      .map(([name]) => name);
    expect(deprecated.sort()).toEqual(
      seed.fields
        .filter((field) => field.deprecated)
        .map((field) => field.name)
        .sort(),
    );
    expect(deprecated).toEqual(
      expect.arrayContaining(["publicCompanyId", "connectionMagicLinkSecret"]),
    );
  });

  test.each(seedFieldNames)("describes %s, in the seed's words", (name) => {
    const property = present(properties[name], name);
    const description = folded(property.description ?? resolve(property).description);
    expect(description).not.toBe("");
    expect(description).toContain(firstSentence(seedField(name).description));
  });

  test("caps initialDatasourceTypes at the seed's maximum array length (10)", () => {
    const maxItems = seedField("initialDatasourceTypes").maxItems;
    expect(maxItems).toBe(10);
    expect(properties.initialDatasourceTypes?.maxItems).toBe(maxItems);
  });
});

describe("the enums", () => {
  const enums = [
    { schema: "ConnectionStatus", field: "status", values: seedStatuses },
    { schema: "CountryCode", field: "country", values: seedCountryCodes },
    { schema: "DatasourceType", field: "initialDatasourceTypes", values: seedDatasourceTypes },
  ];

  test.each(enums.map((entry) => [entry.schema, entry.field, entry] as const))(
    "%s holds exactly the seed's %s values, in the seed's order",
    (_schema, _field, { schema, values }) => {
      const component = present(spec.components.schemas[schema], schema);
      expect(component.type).toBe("string");
      // ConnectionStatus is open: its known values are its first branch (see the test below).
      expect(component.enum ?? component.anyOf?.[0]?.enum).toEqual(values);
    },
  );

  test("ConnectionStatus is open, as its description says: the seed's values, or any other string", () => {
    const status = present(spec.components.schemas.ConnectionStatus, "ConnectionStatus");
    expect(status.enum).toBeUndefined();
    expect(status.anyOf?.map((branch) => branch.type)).toEqual(["string", "string"]);
    expect(status.anyOf?.[1]?.enum).toBeUndefined();
    expect(status.anyOf?.[1]?.format).toBeUndefined();
    expect(folded(status.description)).toMatch(/pass an unknown value through/);
    expect(folded(status.description)).toMatch(/any string is valid/);
  });

  test.each(enums.map((entry) => [entry.field, entry.schema] as const))(
    "%s uses the %s component",
    (field, schema) => {
      const property = present(properties[field], field);
      const target = property.type === "array" ? property.items : property;
      expect(target).toEqual({ $ref: `#/components/schemas/${schema}` });
    },
  );
});

describe("the seed example in the spec (components.examples.ConnectionSeed)", () => {
  const example = present(spec.components.examples.ConnectionSeed, "ConnectionSeed").value;

  test("is used as the 200 response's example", () => {
    const ok = resolve(present(operation.responses["200"], "the 200 response"));
    const examples = Object.values(ok.content?.["application/json"]?.examples ?? {});
    expect(examples).toContainEqual({ $ref: "#/components/examples/ConnectionSeed" });
  });

  test("equals the seed page's example but for workflowOwnerEmail, in the same key order", () => {
    expect(differences(seed.example, example)).toEqual(["/workflowOwnerEmail"]);
    expect(Object.keys(example as object)).toEqual(Object.keys(seed.example));
  });

  test("replaces the capture's obfuscated email with a valid one", () => {
    expect(seed.example.workflowOwnerEmail).toBe(OBFUSCATED_EMAIL);
    const ajv = new Ajv2020();
    ajvFormats.default(ajv, ["email"]);
    const isEmail = ajv.compile({ type: "string", format: "email" });
    expect(isEmail((example as Record<string, unknown>).workflowOwnerEmail)).toBe(true);
    expect(isEmail(OBFUSCATED_EMAIL)).toBe(false);
  });
});
