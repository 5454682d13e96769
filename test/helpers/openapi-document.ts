/**
 * The bundled spec (`generated/openapi.json`) as the spec tests read it: the parts of OpenAPI
 * 3.1 they look at, typed loosely (every field optional, as a reader of any spec must take it),
 * with `resolve` to follow a local `$ref` and `present` to fail on what is missing.
 */
import { readFileSync } from "node:fs";

/** The parts of a JSON Schema (as OpenAPI 3.1 writes it) the tests read. */
export interface Schema {
  $ref?: string;
  title?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  allOf?: Schema[];
  items?: Schema;
  maxItems?: number;
  minimum?: number;
  minLength?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  deprecated?: boolean;
}

/** A named example. */
export interface Example {
  $ref?: string;
  summary?: string;
  description?: string;
  value?: unknown;
}

/** A media type of a body. */
export interface MediaType {
  schema?: Schema;
  examples?: Record<string, Example>;
}

/** A response header. */
export interface Header {
  $ref?: string;
  description?: string;
  schema?: Schema;
}

/** A response. */
export interface Response {
  $ref?: string;
  description?: string;
  headers?: Record<string, Header>;
  content?: Record<string, MediaType>;
}

/** A parameter (path, query or header). */
export interface Parameter {
  $ref?: string;
  name?: string;
  in?: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

/** An operation. */
export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  deprecated?: boolean;
  tags?: string[];
  parameters?: Parameter[];
  security?: Record<string, string[]>[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, MediaType> };
  responses: Record<string, Response>;
}

/** A path's operations by method, and its shared parameters. */
export type PathItem = { parameters?: Parameter[] } & Record<string, Operation | undefined>;

/** A security scheme. */
export interface SecurityScheme {
  type?: string;
  in?: string;
  name?: string;
}

/** The document. */
export interface OpenApiDocument {
  openapi: string;
  info: { description?: string };
  servers: { url: string }[];
  security?: Record<string, string[]>[];
  tags: { name: string; description?: string }[];
  paths: Record<string, PathItem>;
  webhooks: Record<string, Record<string, unknown>>;
  components: {
    securitySchemes: Record<string, SecurityScheme>;
    schemas: Record<string, Schema>;
    examples: Record<string, Example>;
  };
}

/** The bundled spec, as `npm run generate` wrote it. */
export const spec = JSON.parse(
  readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"),
) as OpenApiDocument;

/** Follows a local `$ref` (`#/components/...`) to what it points at; other values pass through. */
export function resolve<T extends { $ref?: string }>(value: T): T {
  if (value.$ref === undefined) return value;
  if (!value.$ref.startsWith("#/")) throw new Error(`not a local $ref: ${value.$ref}`);
  let target: unknown = spec;
  for (const segment of value.$ref.slice(2).split("/")) {
    const key = segment.replaceAll("~1", "/").replaceAll("~0", "~");
    target = (target as Record<string, unknown> | undefined)?.[key];
  }
  if (target === undefined) throw new Error(`dangling $ref: ${value.$ref}`);
  return resolve(target as T);
}

/** A value that must be there, or a failure naming it. */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing: ${what}`);
  return value;
}
