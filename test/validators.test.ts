/**
 * The validators: the spec's named examples pass, and samples that break the seed's rules fail at
 * the right place. Every check runs twice: with Ajv reading `generated/openapi.json` on its own
 * (independent of the generator), and with the compiled validators in `generated/validators.js`.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import {
  OBFUSCATED_EMAIL,
  seed,
  seedCountryCodes,
  seedDatasourceTypes,
  seedField,
  seedNonNullableFields,
  seedNullableFields,
  seedRequiredFields,
  seedStatuses,
} from "./helpers/seed.ts";
import {
  check,
  compiledValidators,
  exampleValue,
  independentValidators,
} from "./helpers/validators.ts";

interface Ref {
  $ref?: string;
}

interface MediaType {
  schema?: Ref;
  examples?: Record<string, Ref>;
}

interface Response extends Ref {
  content?: Record<string, MediaType>;
}

/** A path item, as far as these tests read it. */
type PathItem = Record<string, { requestBody?: Response; responses?: Record<string, Response> }>;

interface OpenApiDocument {
  paths: Record<string, PathItem>;
  webhooks: Record<string, PathItem>;
  components: {
    responses: Record<string, Response>;
    examples: Record<string, { value: unknown }>;
  };
}

const spec = JSON.parse(
  readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
) as OpenApiDocument;

/** The name a `#/components/<kind>/<name>` reference points at. */
function refName(ref: Ref | undefined, kind: string): string {
  const prefix = `#/components/${kind}/`;
  if (!ref?.$ref?.startsWith(prefix)) throw new Error(`not a ${kind} $ref: ${ref?.$ref}`);
  return ref.$ref.slice(prefix.length);
}

/**
 * Every use of a named example: which schema the example is shown with, and where (a response
 * status, or `request` for a request body), in the paths and the webhooks.
 */
const operations: [string, PathItem][] = [
  ...Object.entries(spec.paths),
  ...Object.entries(spec.webhooks).map(([name, item]): [string, PathItem] => [
    `webhook ${name}`,
    item,
  ]),
];
const exampleUses = operations.flatMap(([path, item]) =>
  Object.entries(item).flatMap(([method, operation]) =>
    Object.entries({
      ...(operation.requestBody ? { request: operation.requestBody } : {}),
      ...operation.responses,
    }).flatMap(([status, declared]) => {
      const response = declared.$ref
        ? spec.components.responses[refName(declared, "responses")]
        : declared;
      return Object.values(response?.content ?? {}).flatMap((media) =>
        Object.values(media.examples ?? {}).map((example) => ({
          example: refName(example, "examples"),
          schema: refName(media.schema, "schemas"),
          where: `${method.toUpperCase()} ${path} ${status}`,
        })),
      );
    }),
  ),
);

const UUID = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

/** A connection with every field set (from the spec's seed example), for each sample to break. */
function validConnection(): Record<string, unknown> {
  return exampleValue("ConnectionSeed");
}

/** The valid connection with some fields replaced. */
const connectionWith = (changes: Record<string, unknown>): Record<string, unknown> => ({
  ...validConnection(),
  ...changes,
});

/** The valid connection without one field. */
function connectionWithout(field: string): Record<string, unknown> {
  const connection = validConnection();
  delete connection[field];
  return connection;
}

/** A sample that breaks one rule, and where (and how) the validators must say so. */
interface Invalid {
  name: string;
  data: unknown;
  instancePath: string;
  keyword: string;
}

const invalidSamples: Invalid[] = [
  {
    name: "a country the seed does not list",
    data: connectionWith({ country: "XX" }),
    instancePath: "/country",
    keyword: "enum",
  },
  {
    name: "a datasource type the seed does not list",
    data: connectionWith({ initialDatasourceTypes: ["ELECTRICITY", "STEAM"] }),
    instancePath: "/initialDatasourceTypes/1",
    keyword: "enum",
  },
  ...seedRequiredFields.map((field) => ({
    name: `a connection without ${field} (required)`,
    data: connectionWithout(field),
    instancePath: "",
    keyword: "required",
  })),
  {
    name: "an id that is not a uuid",
    data: connectionWith({ id: "connection-42" }),
    instancePath: "/id",
    keyword: "format",
  },
  {
    name: "an initial site that is not a uuid",
    data: connectionWith({ initialSites: [UUID, "site-7"] }),
    instancePath: "/initialSites/1",
    keyword: "format",
  },
  {
    name: "a created time that is not a date-time",
    data: connectionWith({ created: "2023-11-07 05:31" }),
    instancePath: "/created",
    keyword: "format",
  },
  {
    name: "a status time without a time zone",
    data: connectionWith({ statusLastUpdateTime: "2023-11-07T05:31:56" }),
    instancePath: "/statusLastUpdateTime",
    keyword: "format",
  },
  {
    name: "a data collection start date that does not exist",
    data: connectionWith({ dataCollectionStartDate: "2023-02-30" }),
    instancePath: "/dataCollectionStartDate",
    keyword: "format",
  },
  {
    name: "a data collection start date with a time",
    data: connectionWith({ dataCollectionStartDate: "2023-12-25T00:00:00Z" }),
    instancePath: "/dataCollectionStartDate",
    keyword: "format",
  },
  {
    name: "the capture's obfuscated owner email",
    data: connectionWith({ workflowOwnerEmail: OBFUSCATED_EMAIL }),
    instancePath: "/workflowOwnerEmail",
    keyword: "format",
  },
  {
    name: "an owner email without a domain",
    data: connectionWith({ workflowOwnerEmail: "owner@" }),
    instancePath: "/workflowOwnerEmail",
    keyword: "format",
  },
  ...seedNonNullableFields.map((field) => ({
    name: `null in ${field}, which the seed does not allow to be null`,
    data: connectionWith({ [field]: null }),
    instancePath: `/${field}`,
    keyword: "type",
  })),
  {
    name: "11 initial datasource types (the seed allows 10)",
    data: connectionWith({
      initialDatasourceTypes: [...seedDatasourceTypes, seedDatasourceTypes[0]],
    }),
    instancePath: "/initialDatasourceTypes",
    keyword: "maxItems",
  },
  {
    name: "a string where the seed has a boolean",
    data: connectionWith({ isActive: "true" }),
    instancePath: "/isActive",
    keyword: "type",
  },
  {
    name: "a single uuid where the seed has a list of them",
    data: connectionWith({ initialSites: UUID }),
    instancePath: "/initialSites",
    keyword: "type",
  },
  {
    name: "a number where the seed has a string",
    data: connectionWith({ publicCompanyId: 42 }),
    instancePath: "/publicCompanyId",
    keyword: "type",
  },
  {
    name: "an array where the seed has an object",
    data: connectionWith({ company: [] }),
    instancePath: "/company",
    keyword: "type",
  },
];

const validatorKinds = [
  { kind: "Ajv reading generated/openapi.json", validatorFor: independentValidators() },
  { kind: "the compiled generated/validators.js", validatorFor: compiledValidators() },
];

test("every named example in the spec is shown with a schema", () => {
  const used = new Set(exampleUses.map((use) => use.example));
  expect([...used].sort()).toEqual(Object.keys(spec.components.examples).sort());
});

test("the connection's 200 examples are shown with Connection, the error examples with ErrorBody", () => {
  for (const use of exampleUses) {
    if (/ (4\d\d|5XX)$/.test(use.where)) expect(use.schema, use.where).toBe("ErrorBody");
    else if (use.where.startsWith("GET /connection/{connection_id}")) {
      expect(use.schema, use.where).toBe("Connection");
    }
  }
  // The invitation examples' schemas: test/validators-invitations.test.ts.
});

describe.each(validatorKinds.map((kind) => [kind.kind, kind.validatorFor] as const))(
  "with %s",
  (_kind, validatorFor) => {
    const validateConnection = validatorFor("Connection");

    test.each(exampleUses.map((use) => [use.example, use.schema, use.where, use] as const))(
      "the example %s is a valid %s (%s)",
      (_example, _schema, _where, use) => {
        const result = check(validatorFor(use.schema), exampleValue(use.example));
        expect(result.errors).toEqual([]);
        expect(result.valid).toBe(true);
      },
    );

    test.each(
      invalidSamples.map(
        (sample) => [sample.name, sample.instancePath || "the root", sample] as const,
      ),
    )("rejects %s, at %s", (_name, _at, sample) => {
      const result = check(validateConnection, sample.data);
      expect(result.valid).toBe(false);
      expect(result.errors).toContainEqual(
        expect.objectContaining({ instancePath: sample.instancePath, keyword: sample.keyword }),
      );
      const elsewhere = result.errors.filter((error) => error.instancePath !== sample.instancePath);
      expect(elsewhere, "violations reported elsewhere").toEqual([]);
    });

    test("accepts a status the seed does not list: the enum is open, as its description promises", () => {
      for (const status of ["INCORRECT_PASSWORD", "SUSPENDED"]) {
        expect(check(validateConnection, connectionWith({ status }))).toEqual({
          valid: true,
          errors: [],
        });
      }
      // Still a string: a number where the status goes is a violation.
      expect(check(validateConnection, connectionWith({ status: 7 })).valid).toBe(false);
    });

    test.each(seedRequiredFields)("names the missing required field %s", (field) => {
      const result = check(validateConnection, connectionWithout(field));
      expect(result.errors).toEqual([
        expect.objectContaining({
          instancePath: "",
          keyword: "required",
          params: { missingProperty: field },
        }),
      ]);
    });

    test.each(seedNullableFields)("accepts null in %s, as the seed allows", (field) => {
      expect(check(validateConnection, connectionWith({ [field]: null }))).toEqual({
        valid: true,
        errors: [],
      });
    });

    test("accepts a connection with only the required fields", () => {
      const minimal = Object.fromEntries(
        seedRequiredFields.map((field) => [field, validConnection()[field]]),
      );
      expect(check(validateConnection, minimal).valid).toBe(true);
    });

    test("accepts every status, country and datasource type the seed lists", () => {
      for (const status of seedStatuses) {
        expect(check(validateConnection, connectionWith({ status })).valid, status).toBe(true);
      }
      for (const country of seedCountryCodes) {
        expect(check(validateConnection, connectionWith({ country })).valid, country).toBe(true);
      }
      const initialDatasourceTypes = [...seedDatasourceTypes];
      expect(initialDatasourceTypes).toHaveLength(
        seedField("initialDatasourceTypes").maxItems ?? 0,
      );
      expect(check(validateConnection, connectionWith({ initialDatasourceTypes })).valid).toBe(
        true,
      );
    });

    test("accepts properties it does not know, for forward compatibility", () => {
      const fromTheFuture = connectionWith({
        reconnectInvitationUrl: "https://dash.nectarclimate.com/p/i/token",
        company: { ...(validConnection().company as object), industry: "retail" },
      });
      expect(check(validateConnection, fromTheFuture)).toEqual({ valid: true, errors: [] });
    });

    test("accepts the seed page's own example once its obfuscated email is replaced", () => {
      expect(check(validateConnection, seed.example).valid).toBe(false);
      const example = { ...seed.example, workflowOwnerEmail: "owner@example.com" };
      expect(check(validateConnection, example)).toEqual({ valid: true, errors: [] });
    });

    test("accepts an error body with detail, or with field messages instead", () => {
      const validateErrorBody = validatorFor("ErrorBody");
      expect(check(validateErrorBody, { detail: "Invalid API key." }).valid).toBe(true);
      expect(check(validateErrorBody, { connection_id: ["Must be a valid UUID."] }).valid).toBe(
        true,
      );
      expect(check(validateErrorBody, { detail: 401 }).errors).toContainEqual(
        expect.objectContaining({ instancePath: "/detail", keyword: "type" }),
      );
    });
  },
);
