/**
 * The operation table `npm run generate` writes to `generated/operations.js` (with its `.d.ts`):
 * for each operation of the bundled spec, what the client needs to send it. The resources use
 * these entries instead of restating methods, paths and schemas by hand, so adding an
 * operation is a spec change plus one thin method.
 *
 * Idempotency (may a failed attempt be retried after the server could have acted?) comes from
 * the method, GET/HEAD/PUT/DELETE idempotent and POST not, unless the operation says otherwise
 * with `x-idempotent` (as `revokeInvitation` does: a second revoke changes nothing).
 */
import type { OpenAPI3 } from "openapi-typescript";

/** One query parameter as the client checks and serializes it. */
export interface QueryEntry {
  name: string;
  required: boolean;
  /** `string`, `integer`, … for a scalar; the item type for an array. */
  type: string;
  array: boolean;
  /** form style, exploded: `?sites=a&sites=b` (OpenAPI's default for query arrays). */
  explode: boolean;
  format?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
}

/** One operation of the table. */
export interface OperationEntry {
  operationId: string;
  method: string;
  path: string;
  /** The path parameters, in template order, with their format (every one is a uuid today). */
  pathParams: { name: string; format?: string }[];
  query: QueryEntry[];
  /** The component schema of the 2xx JSON body; absent when the body is not relied on. */
  schema?: string;
  /** True when the request carries a JSON body. */
  body: boolean;
  idempotent: boolean;
}

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/** Follows a local `$ref` (`#/components/...`) of the bundled document. */
function deref(spec: OpenAPI3, value: unknown): Json {
  let node = value as Json;
  while (typeof node.$ref === "string") {
    const pointer = node.$ref.replace(/^#\//, "").split("/");
    node = pointer.reduce<Json>(
      (at, key) => at[key.replaceAll("~1", "/")] as Json,
      spec as unknown as Json,
    );
  }
  return node;
}

/** A query parameter's entry, from its (dereferenced) schema. */
function queryEntry(spec: OpenAPI3, parameter: Json): QueryEntry {
  const schema = deref(spec, parameter.schema);
  const array = schema.type === "array";
  const scalar = array ? deref(spec, schema.items) : schema;
  const entry: QueryEntry = {
    name: String(parameter.name),
    required: parameter.required === true,
    type: String(scalar.type),
    array,
    explode: parameter.explode !== false,
  };
  if (parameter.style !== undefined && parameter.style !== "form") {
    throw new Error(`${entry.name}: only form-style query parameters are supported`);
  }
  for (const key of ["format", "enum", "minimum", "maximum", "minLength"] as const) {
    if (scalar[key] !== undefined) Object.assign(entry, { [key]: scalar[key] });
  }
  return entry;
}

/** The component name of the first 2xx JSON body that is a `$ref`, if any. */
function successSchema(operation: Json): string | undefined {
  const responses = (operation.responses ?? {}) as Record<string, Json>;
  for (const [status, response] of Object.entries(responses)) {
    if (!status.startsWith("2")) continue;
    const content = (response.content ?? {}) as Record<string, Json>;
    const ref = (content["application/json"]?.schema as Json | undefined)?.$ref;
    if (typeof ref === "string") return ref.replace("#/components/schemas/", "");
  }
  return undefined;
}

/** Every operation of the bundled spec, sorted by operationId (the output is deterministic). */
export function operationTable(spec: OpenAPI3): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, item] of Object.entries((spec.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (operation === undefined) continue;
      const parameters = [
        ...((item.parameters as unknown[]) ?? []),
        ...((operation.parameters as unknown[]) ?? []),
      ].map((parameter) => deref(spec, parameter));
      const upper = method.toUpperCase();
      const override = operation["x-idempotent"];
      const schema = successSchema(operation);
      entries.push({
        operationId: String(operation.operationId),
        method: upper,
        path,
        pathParams: parameters
          .filter((parameter) => parameter.in === "path")
          .map((parameter) => {
            const { format } = deref(spec, parameter.schema);
            return format === undefined
              ? { name: String(parameter.name) }
              : { name: String(parameter.name), format: String(format) };
          }),
        query: parameters
          .filter((parameter) => parameter.in === "query")
          .map((parameter) => queryEntry(spec, parameter)),
        ...(schema === undefined ? {} : { schema }),
        body: operation.requestBody !== undefined,
        idempotent: typeof override === "boolean" ? override : IDEMPOTENT_METHODS.has(upper),
      });
    }
  }
  return entries.sort((a, b) => a.operationId.localeCompare(b.operationId));
}

/** `generated/operations.js` and `.d.ts`: the table as data, and its exact literal type. */
export function emitOperations(
  entries: readonly OperationEntry[],
  banner: string,
): { js: string; dts: string } {
  const body = entries
    .map((entry) => `  ${entry.operationId}: ${JSON.stringify(entry)},`)
    .join("\n");
  const js = [
    `// ${banner}`,
    "// The operations of the spec: what the client needs to send each one (scripts/operations.ts).",
    `export const operations = Object.freeze({\n${body}\n});`,
  ].join("\n");
  // A JSON object is also a TypeScript type literal: each entry keeps its literal types.
  const types = entries
    .map((entry) => `  readonly ${entry.operationId}: ${JSON.stringify(entry)};`)
    .join("\n");
  const dts = [
    `// ${banner}`,
    "/** The operations of the spec, by operationId: method, path, parameters, 2xx schema, idempotency. */",
    `export declare const operations: {\n${types}\n};`,
  ].join("\n");
  return { js, dts };
}
