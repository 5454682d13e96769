/** What the mock reads from the bundled spec: its example connections and error messages. */
import { readFile } from "node:fs/promises";
import type { Connection, ConnectionStatus } from "../../generated/schema.js";

/** The examples the mock serves. */
export interface SpecFacts {
  /** The `value` of each Connection example, in the order of {@link CONNECTION_EXAMPLES}. */
  readonly connections: readonly Connection[];
  /** The `detail` of each error example, by example name. */
  readonly details: Readonly<Record<string, string>>;
  /** The values of the `ConnectionStatus` enum, in the spec's order. */
  readonly statuses: readonly ConnectionStatus[];
}

const SPEC_URL = new URL("../../generated/openapi.json", import.meta.url);

/** The Connection examples, the realistic ones first (the first needs its user's action). */
export const CONNECTION_EXAMPLES = [
  "ConnectionPasswordIncorrect",
  "ConnectionDeactivated",
  "ConnectionSeed",
] as const;

const ERROR_EXAMPLES = [
  "ErrorBadRequest",
  "ErrorUnauthorized",
  "ErrorForbidden",
  "ErrorNotFound",
  "ErrorTooManyRequests",
  "ErrorServerError",
] as const;

/** The error example whose `detail` answers each status (any 5xx: `ErrorServerError`). */
export const EXAMPLE_FOR_STATUS: Readonly<Record<number, (typeof ERROR_EXAMPLES)[number]>> = {
  400: "ErrorBadRequest",
  401: "ErrorUnauthorized",
  403: "ErrorForbidden",
  404: "ErrorNotFound",
  429: "ErrorTooManyRequests",
};

let specFacts: Promise<SpecFacts> | undefined;

/** Is `value` a plain object? */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The `value` of the named example of `components.examples`. */
export function exampleValue(examples: Record<string, unknown>, name: string): unknown {
  const example = examples[name];
  if (!isRecord(example) || !("value" in example)) {
    throw new Error(`generated/openapi.json has no components.examples.${name}.value`);
  }
  return example.value;
}

/** Reads `components` of the bundled spec. */
async function loadComponents(): Promise<Record<string, unknown>> {
  const spec: unknown = JSON.parse(await readFile(SPEC_URL, "utf8"));
  return isRecord(spec) && isRecord(spec.components) ? spec.components : {};
}

/** Reads `components.examples` of the bundled spec. */
export async function loadExamples(): Promise<Record<string, unknown>> {
  const { examples } = await loadComponents();
  if (!isRecord(examples)) throw new Error("generated/openapi.json has no components.examples");
  return examples;
}

/** The documented values of the spec's open `ConnectionStatus` enum (its first branch). */
function statusesOf(schemas: unknown): ConnectionStatus[] {
  const open = isRecord(schemas) ? schemas.ConnectionStatus : undefined;
  const known = isRecord(open) && Array.isArray(open.anyOf) ? open.anyOf[0] : undefined;
  const values = isRecord(known) ? known.enum : undefined;
  if (!Array.isArray(values) || !values.every((v) => typeof v === "string")) {
    throw new Error(
      "generated/openapi.json has no components.schemas.ConnectionStatus.anyOf[0].enum",
    );
  }
  return values as ConnectionStatus[];
}

async function readSpecFacts(): Promise<SpecFacts> {
  const examples = await loadExamples();
  const statuses = statusesOf((await loadComponents()).schemas);
  const connections = CONNECTION_EXAMPLES.map((name) => {
    const value = exampleValue(examples, name);
    if (!isRecord(value) || typeof value.id !== "string") {
      throw new Error(`components.examples.${name}.value is not a connection with an id`);
    }
    return value as Connection;
  });
  const details: Record<string, string> = {};
  for (const name of ERROR_EXAMPLES) {
    const value = exampleValue(examples, name);
    if (!isRecord(value) || typeof value.detail !== "string") {
      throw new Error(`components.examples.${name}.value has no detail string`);
    }
    details[name] = value.detail;
  }
  return { connections, details, statuses };
}

/** The spec's facts, read once per process. */
export function loadSpecFacts(): Promise<SpecFacts> {
  specFacts ??= readSpecFacts().catch((error: unknown) => {
    specFacts = undefined; // a later start may try again
    throw error;
  });
  return specFacts;
}
