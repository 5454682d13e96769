/**
 * Properties (fast-check):
 *
 * (a) Two validators must agree. Connections are generated from the `Connection` schema in
 *     `generated/openapi.json` itself (enums, formats, nullable and optional fields, limits), so
 *     the generator follows the spec as it changes. Every one validates under Ajv 2020 reading the
 *     spec directly (the referee) and under the compiled `validateConnection`; the same with one
 *     field broken (wrong type, value outside an enum, missing required field, bad format,
 *     chosen by fast-check anywhere in the tree) is rejected by both, at the same place.
 * (b) Bad input never reaches the network: any connection id that is not a UUID (8-4-4-4-12
 *     hex digits) is refused with NectarInvalidInputError and the injected fetch is never called;
 *     every UUID, in any case, reaches exactly `/v2.2/connection/<lower-case id>`.
 */
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateConnection } from "../generated/validators.js";
import { NectarInvalidInputError } from "../src/index.js";
import { createObservedClient, json, rejectionOf } from "./helpers/client.js";
import { connections } from "./helpers/fixtures.js";

// ---------------------------------------------------------------------------------------------
// The schema, read as data
// ---------------------------------------------------------------------------------------------

/** The parts of JSON Schema the spec's component schemas use. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  anyOf?: Schema[];
  format?: string;
  maxLength?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
}

const spec = JSON.parse(
  readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
) as { components: { schemas: Record<string, Schema> } };

/** The schema a `#/components/schemas/...` reference points at, references followed. */
function resolve(schema: Schema): Schema {
  if (schema.$ref === undefined) return schema;
  const prefix = "#/components/schemas/";
  if (!schema.$ref.startsWith(prefix)) throw new Error(`unexpected $ref ${schema.$ref}`);
  const target = spec.components.schemas[schema.$ref.slice(prefix.length)];
  if (target === undefined) throw new Error(`dangling $ref ${schema.$ref}`);
  return resolve(target);
}

/** The JSON types a schema allows, `null` included. */
function typesOf(schema: Schema): string[] {
  if (schema.type === undefined)
    throw new Error(`schema without a type: ${JSON.stringify(schema)}`);
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** The JSON type of a value, as JSON Schema names it. */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

const CONNECTION = resolve({ $ref: "#/components/schemas/Connection" });

// ---------------------------------------------------------------------------------------------
// An arbitrary built from the schema
// ---------------------------------------------------------------------------------------------

/** Timestamps between 1970 and 2099, as `toISOString` writes them, with or without millis. */
const dateTimeArb = fc
  .tuple(
    fc.date({
      min: new Date("1970-01-01T00:00:00Z"),
      max: new Date("2099-12-31T23:59:59Z"),
      noInvalidDate: true,
    }),
    fc.boolean(),
  )
  .map(([date, millis]) => {
    const iso = date.toISOString();
    return millis ? iso : `${iso.slice(0, 19)}Z`;
  });

/** Strings of one format the spec uses. */
const FORMAT_ARBITRARIES: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.oneof(
    fc.uuid(),
    fc.uuid().map((uuid) => uuid.toUpperCase()),
  ),
  "date-time": dateTimeArb,
  date: dateTimeArb.map((iso) => iso.slice(0, 10)),
  email: fc.emailAddress(),
};

/** Property names no schema of the spec declares, for the extra properties objects may carry. */
const extraKeyArb = fc.string({ minLength: 1, maxLength: 12 }).map((key) => `x-extra-${key}`);

/** An arbitrary of values valid under `schema`, built from the schema alone. */
function arbitraryFor(declared: Schema): fc.Arbitrary<unknown> {
  const schema = resolve(declared);
  const types = typesOf(schema);
  const nonNull = types.filter((type) => type !== "null");
  if (nonNull.length !== 1) throw new Error(`unsupported type ${JSON.stringify(schema.type)}`);
  let arb: fc.Arbitrary<unknown>;
  const known = schema.anyOf?.[0]?.enum;
  if (schema.enum !== undefined) {
    arb = fc.constantFrom(...schema.enum);
  } else if (known !== undefined) {
    // An open enum: mostly the documented values, sometimes one Nectar might add later.
    arb = fc.oneof(
      { weight: 19, arbitrary: fc.constantFrom(...known) },
      { weight: 1, arbitrary: fc.constantFrom("SUSPENDED", "ARCHIVED_2027") },
    );
  } else {
    switch (nonNull[0]) {
      case "string": {
        if (schema.format !== undefined) {
          const formatArb = FORMAT_ARBITRARIES[schema.format];
          if (formatArb === undefined) throw new Error(`unsupported format ${schema.format}`);
          arb = formatArb;
        } else {
          arb = fc.string({ maxLength: Math.min(schema.maxLength ?? 40, 40) });
        }
        break;
      }
      case "boolean":
        arb = fc.boolean();
        break;
      case "array": {
        if (schema.items === undefined) throw new Error("array without items");
        arb = fc.array(arbitraryFor(schema.items), {
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        });
        break;
      }
      case "object": {
        const properties = schema.properties ?? {};
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, property] of Object.entries(properties)) {
          model[name] = arbitraryFor(property);
        }
        const record = fc.record(model, { requiredKeys: schema.required ?? [] });
        // Objects allow other properties unless the schema says otherwise: sometimes add some.
        arb =
          schema.additionalProperties === false
            ? record
            : fc
                .tuple(
                  record,
                  fc.dictionary(extraKeyArb, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
                )
                .map(([value, extra]) => ({ ...extra, ...value }));
        break;
      }
      default:
        throw new Error(`unsupported type ${nonNull[0]}`);
    }
  }
  return types.includes("null") ? fc.option(arb, { nil: null, freq: 3 }) : arb;
}

const connectionArb = arbitraryFor(CONNECTION) as fc.Arbitrary<Record<string, unknown>>;

// ---------------------------------------------------------------------------------------------
// Breaking one field
// ---------------------------------------------------------------------------------------------

/** A place in a generated value, with the schema that governs it. */
interface Site {
  /** Keys from the root, e.g. `["accounts", 0, "id"]`; empty for the root. */
  path: (string | number)[];
  schema: Schema;
  value: unknown;
}

/** Every place in `value` (governed by `schema`), depth first, the root included. */
function sitesOf(value: unknown, declared: Schema, path: Site["path"] = []): Site[] {
  const schema = resolve(declared);
  const sites: Site[] = [{ path, schema, value }];
  if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, index) => {
      sites.push(...sitesOf(item, items, [...path, index]));
    });
  } else if (jsonType(value) === "object" && schema.properties !== undefined) {
    const object = value as Record<string, unknown>;
    for (const [name, property] of Object.entries(schema.properties)) {
      if (name in object) sites.push(...sitesOf(object[name], property, [...path, name]));
    }
  }
  return sites;
}

/** The JSON pointer of a path, as Ajv's `instancePath` writes it. */
const pointerOf = (path: Site["path"]): string => path.map((key) => `/${key}`).join("");

/** One way to break a value: replace what is at `path`, or delete property `remove` there. */
interface Breaking {
  kind: "type" | "enum" | "required" | "format";
  path: Site["path"];
  replacement?: unknown;
  remove?: string;
}

/** A copy of `data` with the breaking applied. */
function applyBreaking(data: Record<string, unknown>, breaking: Breaking): Record<string, unknown> {
  const copy = structuredClone(data);
  const { path, remove } = breaking;
  if (remove !== undefined) {
    let target: unknown = copy;
    for (const key of path) target = (target as Record<string | number, unknown>)[key];
    delete (target as Record<string, unknown>)[remove];
    return copy;
  }
  let parent: unknown = copy;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[key];
  const last = path.at(-1);
  if (last === undefined) throw new Error("cannot replace the root");
  (parent as Record<string | number, unknown>)[last] = breaking.replacement;
  return copy;
}

/** Values of every JSON type, for putting one of a wrong type in place. */
const VALUES_BY_TYPE: [string, unknown][] = [
  ["string", "a string"],
  ["integer", 42],
  ["number", 4.2],
  ["boolean", true],
  ["array", []],
  ["object", {}],
  ["null", null],
];

/** Strings that break a format, made from a valid value where that helps. */
function badFormatArb(format: string, valid: string): fc.Arbitrary<string> {
  switch (format) {
    case "uuid":
      return fc.constantFrom(
        valid.slice(0, -1), // too short
        `${valid}0`, // too long
        `${valid.slice(0, 3)}g${valid.slice(4)}`, // not hex
        valid.replaceAll("-", ""), // no hyphens
        `{${valid}}`,
        "connection-42",
      );
    case "date-time":
      return fc.constantFrom(
        valid.replace("T", "_"), // (a space would pass: RFC 3339 allows it, so does Ajv)
        valid.replace(/Z$/, ""), // no time zone
        `${valid.slice(0, 5)}13${valid.slice(7)}`, // month 13
        valid.slice(0, 10), // a date only
        "yesterday",
      );
    case "date":
      return fc.constantFrom(
        `${valid.slice(0, 5)}13${valid.slice(7)}`, // month 13
        `${valid.slice(0, 8)}32`, // day 32
        valid.replaceAll("-", "/"),
        `${valid}T00:00:00Z`,
        "",
      );
    case "email":
      return fc.constantFrom(valid.replace("@", ""), `${valid}@`, "@example.com", "no at sign");
    default:
      throw new Error(`no bad values for format ${format}`);
  }
}

/** The ways one site can be broken, by kind. */
function breakingsOf({ path, schema, value }: Site): [Breaking["kind"], fc.Arbitrary<Breaking>][] {
  const options: [Breaking["kind"], fc.Arbitrary<Breaking>][] = [];
  if (path.length > 0) {
    const allowed = typesOf(schema);
    const wrong = VALUES_BY_TYPE.filter(
      ([type]) => !allowed.includes(type) && !(type === "integer" && allowed.includes("number")),
    );
    options.push([
      "type",
      fc
        .constantFrom(...wrong)
        .map(([, replacement]): Breaking => ({ kind: "type", path, replacement })),
    ]);
    const allowedValues = schema.enum;
    if (allowedValues !== undefined && typeof value === "string") {
      options.push([
        "enum",
        fc
          .oneof(
            fc.string(),
            fc.constantFrom(...allowedValues.map((v) => String(v).toLowerCase())),
            fc.constantFrom("INCORRECT_PASSWORD", "STEAM", "XX", "UK", ""),
          )
          .filter((candidate) => !allowedValues.includes(candidate))
          .map((replacement): Breaking => ({ kind: "enum", path, replacement })),
      ]);
    }
    if (schema.format !== undefined && typeof value === "string") {
      options.push([
        "format",
        badFormatArb(schema.format, value).map(
          (replacement): Breaking => ({ kind: "format", path, replacement }),
        ),
      ]);
    }
  }
  if (jsonType(value) === "object" && schema.required !== undefined) {
    const object = value as Record<string, unknown>;
    const present = schema.required.filter((name) => name in object);
    if (present.length > 0) {
      options.push([
        "required",
        fc.constantFrom(...present).map((remove): Breaking => ({ kind: "required", path, remove })),
      ]);
    }
  }
  return options;
}

/**
 * A valid connection with exactly one thing broken, somewhere in it, chosen by fast-check: first
 * the kind of breaking (each equally likely, though only the root has required fields), then
 * the place.
 */
const brokenArb = connectionArb.chain((valid) => {
  const byKind = new Map<Breaking["kind"], fc.Arbitrary<Breaking>[]>();
  for (const site of sitesOf(valid, CONNECTION)) {
    for (const [kind, breaking] of breakingsOf(site)) {
      byKind.set(kind, [...(byKind.get(kind) ?? []), breaking]);
    }
  }
  return fc.oneof(...[...byKind.values()].map((group) => fc.oneof(...group))).map((breaking) => ({
    kind: breaking.kind,
    data: applyBreaking(valid, breaking),
    // A missing property is reported at its object; anything else at the value itself.
    instancePath: pointerOf(breaking.path),
  }));
});

// ---------------------------------------------------------------------------------------------
// The two validators
// ---------------------------------------------------------------------------------------------

interface Issue {
  instancePath: string;
  keyword: string;
}

/** Ajv 2020 reading the spec directly: the referee. */
const referee = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  ajv.addSchema(spec, "openapi.json");
  return ajv.compile({ $ref: "openapi.json#/components/schemas/Connection" });
})();

/** What one validator says: valid, or its issues sorted. */
function verdict(
  validate: { (data: unknown): boolean; errors?: Issue[] | null | undefined },
  data: unknown,
) {
  const valid = validate(data);
  const issues = valid
    ? []
    : (validate.errors ?? [])
        .map(({ instancePath, keyword }) => ({ instancePath, keyword }))
        .sort((a, b) =>
          `${a.instancePath} ${a.keyword}`.localeCompare(`${b.instancePath} ${b.keyword}`),
        );
  return { valid, issues };
}

describe("(a) two validators must agree", () => {
  it("the spec's three Connection examples are valid to both (the generator's baseline)", () => {
    for (const make of Object.values(connections)) {
      expect(verdict(referee, make()).valid).toBe(true);
      expect(verdict(validateConnection, make()).valid).toBe(true);
    }
  });

  it("generated connections are valid to Ajv on the spec and to validateConnection", () => {
    fc.assert(
      fc.property(connectionArb, (connection) => {
        const byReferee = verdict(referee, connection);
        const byCompiled = verdict(validateConnection, connection);
        expect(byReferee).toEqual({ valid: true, issues: [] });
        expect(byCompiled).toEqual({ valid: true, issues: [] });
      }),
      { numRuns: 300 },
    );
  });

  it("the generator reaches every status, nulls and absent optional fields", () => {
    const sample = fc.sample(connectionArb, { numRuns: 2_000, seed: 42 });
    const statuses = new Set(sample.map((c) => c.status).filter((s) => s !== undefined));
    const schemaStatuses = (resolve({ $ref: "#/components/schemas/ConnectionStatus" }).anyOf?.[0]
      ?.enum ?? []) as unknown[];
    expect([...statuses].filter((s) => schemaStatuses.includes(s)).sort()).toEqual(
      [...schemaStatuses].sort(),
    );
    expect([...statuses].some((s) => !schemaStatuses.includes(s))).toBe(true);
    expect(sample.some((c) => c.statusErrorDetail === null)).toBe(true);
    expect(sample.some((c) => typeof c.statusErrorDetail === "string")).toBe(true);
    expect(sample.some((c) => !("status" in c))).toBe(true);
    expect(sample.some((c) => Array.isArray(c.accounts) && c.accounts.length > 0)).toBe(true);
    for (const connection of sample) {
      for (const name of CONNECTION.required ?? []) expect(connection).toHaveProperty(name);
    }
  });

  it("one broken field is rejected by both, at the same instancePath", () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(brokenArb, ({ kind, data, instancePath }) => {
        kinds.add(kind);
        const byReferee = verdict(referee, data);
        const byCompiled = verdict(validateConnection, data);
        expect(byReferee.valid).toBe(false);
        expect(byCompiled).toEqual(byReferee);
        // Every issue is at the broken place (a wrong type at an enum field is also outside it).
        expect(new Set(byReferee.issues.map((issue) => issue.instancePath))).toEqual(
          new Set([instancePath]),
        );
        expect(byReferee.issues.map((issue) => issue.keyword)).toContain(kind);
      }),
      { numRuns: 500 },
    );
    expect([...kinds].sort()).toEqual(["enum", "format", "required", "type"]);
  });
});

// ---------------------------------------------------------------------------------------------
// (b) Bad input
// ---------------------------------------------------------------------------------------------

/** The reference definition of a UUID, written independently of the client's: 8-4-4-4-12 hex. */
function isUuid(value: unknown): value is string {
  if (typeof value !== "string" || value.length !== 36) return false;
  return [...value].every((char, index) =>
    [8, 13, 18, 23].includes(index) ? char === "-" : "0123456789abcdefABCDEF".includes(char),
  );
}

const uuidArb = fc.uuid();

/** A UUID with each letter upper- or lower-cased at fast-check's choice. */
const anyCaseUuidArb = fc
  .tuple(uuidArb, fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
  .map(([uuid, upper]) =>
    [...uuid].map((char, index) => (upper[index] ? char.toUpperCase() : char)).join(""),
  );

/** Strings one edit away from a UUID, and UUIDs dressed up as paths. */
const nearUuidArb = fc.oneof(
  // one character replaced by a non-hex one
  fc
    .tuple(uuidArb, fc.nat({ max: 35 }), fc.constantFrom("g", "z", "G", " ", "/", ".", "é", "０"))
    .map(([uuid, index, char]) => uuid.slice(0, index) + char + uuid.slice(index + 1)),
  // a hyphen moved, removed or doubled
  uuidArb.map((uuid) => uuid.replace("-", "")),
  uuidArb.map((uuid) => uuid.replace("-", "--")),
  uuidArb.map((uuid) => `${uuid.slice(0, 7)}-${uuid.slice(7, 8)}${uuid.slice(9)}`),
  // wrong length
  fc
    .tuple(uuidArb, fc.nat({ max: 35 }))
    .map(([uuid, index]) => uuid.slice(0, index) + uuid.slice(index + 1)),
  fc.tuple(uuidArb, fc.constantFrom("0", "a", "F")).map(([uuid, char]) => uuid + char),
  uuidArb.map((uuid) => uuid.replaceAll("-", "")),
  // path and URL tricks
  fc
    .tuple(
      uuidArb,
      fc.constantFrom(
        "../",
        "./",
        "/",
        "%2F",
        "%2f..%2f",
        "?",
        "?x=1",
        "#",
        "#frag",
        "\u0000",
        "%00",
        "\n",
        "\r\n",
        " ",
        "\t",
        "\u00a0",
        "\u200b",
        "\ufeff",
        ";",
        "%20",
      ),
      fc.constantFrom("before", "after", "both"),
    )
    .map(([uuid, trick, where]) =>
      where === "before" ? trick + uuid : where === "after" ? uuid + trick : trick + uuid + trick,
    ),
  uuidArb.map((uuid) => `../connection/${uuid}`),
  uuidArb.map((uuid) => `${uuid}/../../admin`),
  uuidArb.map((uuid) => `urn:uuid:${uuid}`), // ajv-formats' uuid format allows this prefix
  uuidArb.map((uuid) => `{${uuid}}`),
  uuidArb.map((uuid) => encodeURIComponent(uuid).replaceAll("-", "%2D")),
);

const BASE_URL = "https://nectar.test/v2.2";

/** A client whose fetch answers every request with a connection of the requested id. */
function observed() {
  return createObservedClient(
    (request) => {
      const id = request.url.slice(request.url.lastIndexOf("/") + 1);
      return json(200, { ...connections.seed(), id });
    },
    { baseUrl: BASE_URL },
  );
}

describe("(b) bad input never reaches fetch", () => {
  it("anything that is not a UUID is refused with NectarInvalidInputError, fetch never called", async () => {
    const inputArb = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.string({ unit: "grapheme" }),
      nearUuidArb,
      nearUuidArb.map((s) => s.toUpperCase()),
      fc.anything(),
    );
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(inputArb, async (input) => {
        fc.pre(!isUuid(input));
        refused++;
        const { client, requests } = observed();
        const error = await rejectionOf(client.connections.retrieve(input as string));
        expect(error).toBeInstanceOf(NectarInvalidInputError);
        expect(requests).toEqual([]);
      }),
      { numRuns: 600 },
    );
    expect(refused).toBeGreaterThan(500);
  });

  it("every UUID, in any case, reaches exactly /v2.2/connection/<lower-case id>", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          uuidArb,
          uuidArb.map((u) => u.toUpperCase()),
          anyCaseUuidArb,
        ),
        async (id) => {
          expect(isUuid(id)).toBe(true);
          const { client, requests } = observed();
          const connection = await client.connections.retrieve(id);
          const lower = id.toLowerCase();
          expect(connection.id).toBe(lower);
          expect(requests.map((r) => [r.method, r.url])).toEqual([
            ["GET", `${BASE_URL}/connection/${lower}`],
          ]);
          const url = new URL(requests[0]?.url ?? "");
          expect([url.origin, url.pathname, url.search, url.hash]).toEqual([
            "https://nectar.test",
            `/v2.2/connection/${lower}`,
            "",
            "",
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("the reference UUID check and the near-UUID generator are sound", () => {
    expect(isUuid(connections.seed().id)).toBe(true);
    expect(isUuid(connections.seed().id.toUpperCase())).toBe(true);
    fc.assert(
      fc.property(nearUuidArb, (s) => !isUuid(s)),
      { numRuns: 300 },
    );
  });
});
