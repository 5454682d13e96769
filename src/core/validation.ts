/**
 * Response validation with the validators `npm run generate` compiled from the spec. They are
 * loaded on first use, so a client with validation off never loads them.
 */
import type { components } from "../../generated/schema.js";
import type { Violation } from "./errors.js";

/** `off`: trust the server. `warn`: log violations, return the data. `strict`: throw on them. */
export type ValidationMode = "off" | "warn" | "strict";

/** The modes a user may pass, for input checks. */
export const VALIDATION_MODES: readonly ValidationMode[] = ["off", "warn", "strict"];

/** The name of a component schema of the spec, e.g. `Connection`. */
export type SchemaName = keyof components["schemas"];

type Validators = typeof import("../../generated/validators.js");
type Validator = (data: unknown) => boolean;
interface ValidatorWithErrors extends Validator {
  errors?: readonly { instancePath: string; message?: string; keyword: string }[] | null;
}

let loading: Promise<Validators> | undefined;
let loaded: Validators | undefined;

/** Loads the compiled validators once per process. */
async function validators(): Promise<Validators> {
  loading ??= import("../../generated/validators.js").then((module) => {
    loaded = module;
    return module;
  });
  return loaded ?? loading;
}

/**
 * Every way `data` breaks the component schema `schema`, as JSON pointers; empty when it
 * conforms. Synchronous once the validators are loaded (no promise on the hot path), a promise
 * before.
 */
export function schemaViolations(
  schema: SchemaName,
  data: unknown,
): Violation[] | Promise<Violation[]> {
  return loaded
    ? check(loaded, schema, data)
    : validators().then((module) => check(module, schema, data));
}

/** {@link schemaViolations} for the `Connection` schema. */
export function connectionViolations(data: unknown): Violation[] | Promise<Violation[]> {
  return schemaViolations("Connection", data);
}

function check(module: Validators, schema: SchemaName, data: unknown): Violation[] {
  const validate: ValidatorWithErrors = module[`validate${schema}`];
  if (validate(data)) return [];
  return (validate.errors ?? []).map((issue) => ({
    pointer: issue.instancePath,
    message: issue.message ?? issue.keyword,
  }));
}
