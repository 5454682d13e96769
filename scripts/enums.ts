/**
 * The enums of the spec as run-time values: `generated/enums.js` (and its `.d.ts`) holds, per
 * component schema with an `enum` (or an open enum: `anyOf` whose first member lists the known
 * values), a frozen array of its values in the spec's order, named after the schema in upper
 * snake case plus `_VALUES` (`ConnectionStatus` → `CONNECTION_STATUS_VALUES`). Each is its own
 * pure export, so a bundler keeps only those imported. Written by `npm run generate`.
 */

/** A component schema, as far as its enum goes. */
interface EnumLike {
  enum?: unknown;
  anyOf?: unknown;
}

/** One enum of the spec: the schema's name and its values. */
export interface SpecEnum {
  schema: string;
  values: readonly string[];
}

/** The known values of a schema: its `enum`, or its open enum's first `anyOf` member's. */
function enumValuesOf(schema: EnumLike): string[] | undefined {
  const first: unknown = Array.isArray(schema.anyOf) ? schema.anyOf[0] : undefined;
  const values =
    schema.enum ?? (typeof first === "object" && first !== null ? Reflect.get(first, "enum") : 0);
  if (!Array.isArray(values) || !values.every((value) => typeof value === "string")) return;
  return values;
}

/** Every enum of the spec's component schemas, in the spec's order. */
export function specEnums(schemas: Record<string, unknown>): SpecEnum[] {
  return Object.entries(schemas).flatMap(([schema, definition]) => {
    const values =
      typeof definition === "object" && definition !== null
        ? enumValuesOf(definition as EnumLike)
        : undefined;
    return values === undefined ? [] : [{ schema, values }];
  });
}

/** `ConnectionStatus` → `CONNECTION_STATUS_VALUES`. */
export function enumConstName(schema: string): string {
  return `${schema.replace(/(?<=[a-z0-9])(?=[A-Z])/g, "_").toUpperCase()}_VALUES`;
}

/** `generated/enums.js` and `generated/enums.d.ts`. */
export function emitEnums(enums: readonly SpecEnum[], banner: string): { js: string; dts: string } {
  const header = [
    `// ${banner}`,
    "// The enums of the spec as run-time values, in the spec's order (scripts/enums.ts).",
  ];
  const js = enums.map(
    ({ schema, values }) =>
      `export const ${enumConstName(schema)} = /* @__PURE__ */ Object.freeze(${JSON.stringify(values)});`,
  );
  const dts = enums.map(
    ({ schema, values }) =>
      `/** The values of the spec's \`${schema}\`, in its order. */\nexport declare const ${enumConstName(schema)}: readonly ${JSON.stringify(values)};`,
  );
  return { js: [...header, ...js].join("\n"), dts: [...header, ...dts].join("\n") };
}
