/**
 * The options `npm run generate` gives openapi-typescript, shared with the breaking-change gate
 * (`test/helpers/compat.ts`) so that both produce the same `schema.d.ts`.
 *
 * One transform: an *open enum* (`anyOf: [{ type: string, enum: [...] }, { type: string }]`, a
 * string whose known values are listed) becomes the union of its known values. openapi-typescript
 * would write `string | ("A" | "B")`, which TypeScript reduces to `string`: no completion, no
 * exhaustive `switch`, no `Record` over the values. The JSON schema stays open (validators and
 * other generators accept a value Nectar adds later); the type names the documented values,
 * and code reads an unknown one through a default branch (`connectionHealth` calls it `unknown`).
 */
import { type OpenAPITSOptions, type SchemaObject, tsLiteral, tsUnion } from "openapi-typescript";

/** The known values of an open enum, or `undefined` for any other schema. */
export function openEnumValues(schema: SchemaObject): string[] | undefined {
  if (!("anyOf" in schema) || schema.anyOf?.length !== 2) return undefined;
  const [known, other] = schema.anyOf as unknown as [
    Record<string, unknown>,
    Record<string, unknown>,
  ];
  const values = known.enum;
  const isStringEnum =
    known.type === "string" &&
    Array.isArray(values) &&
    values.every((value) => typeof value === "string");
  const isAnyString =
    other.type === "string" && other.enum === undefined && other.format === undefined;
  return isStringEnum && isAnyString ? (values as string[]) : undefined;
}

/** openapi-typescript's options for this spec. */
export const typeOptions: OpenAPITSOptions = {
  rootTypes: true,
  rootTypesNoSchemaPrefix: true,
  silent: true,
  transform(schema) {
    const values = openEnumValues(schema);
    return values === undefined ? undefined : tsUnion(values.map((value) => tsLiteral(value)));
  },
};
