/**
 * Response validation with the validators `npm run generate` compiled from the spec. A client
 * with validation off never loads them. With it on, the client uses the validators its caller
 * passed (`validators`, from `nectar-climate-connection/validators`: what a bundled app does), or
 * else loads them on first use by a dynamic import that bundlers do not follow (Node, Deno, Bun).
 */
import type { components } from "../../generated/schema.js";
import { NectarInvalidInputError, type Violation } from "./errors.js";

/** `off`: trust the server. `warn`: log violations, return the data. `strict`: throw on them. */
export type ValidationMode = "off" | "warn" | "strict";

/** The modes a user may pass, for input checks. */
export const VALIDATION_MODES: readonly ValidationMode[] = ["off", "warn", "strict"];

/** The name of a component schema of the spec, e.g. `Connection`. */
export type SchemaName = keyof components["schemas"];

/** One compiled validator: true when `data` conforms; on false, `errors` says where it does not. */
export interface CompiledCheck {
  /** True when `data` conforms to the schema. */
  (data: unknown): boolean;
  /** After a `false`: each violation, `instancePath` a JSON pointer into the checked value. */
  errors?: readonly { instancePath: string; message?: string; keyword: string }[] | null;
}

/**
 * The compiled validators, one per component schema (`validateConnection`, …): what
 * `nectar-climate-connection/validators` exports. Pass them as the client option `validators`.
 */
export type NectarValidators = {
  readonly [Name in SchemaName as `validate${Name}`]: CompiledCheck;
};

/**
 * Where the validators sit, seen from this module (`dist/core/` and `src/core/` alike). In a
 * variable, so that no bundler follows it: an app bundled without `validators` does not ship them.
 */
const VALIDATORS_MODULE = "../../generated/validators.js";

/** Does `value` look like the validators module (checked on the one the client relies on first)? */
export function isValidators(value: unknown): value is NectarValidators {
  return (
    typeof value === "object" &&
    value !== null &&
    "validateConnection" in value &&
    typeof value.validateConnection === "function"
  );
}

let loading: Promise<NectarValidators> | undefined;
let loaded: NectarValidators | undefined;

/** The error for validation turned on where the validators cannot be loaded (a bundled app). */
function notLoadable(cause: unknown): NectarInvalidInputError {
  return new NectarInvalidInputError(
    'validateResponses needs the validators, which a bundled app cannot load on its own: import * as validators from "nectar-climate-connection/validators" and pass createNectarClient({ validateResponses, validators }).',
    { cause },
  );
}

/** Loads the compiled validators once per process, by an import bundlers leave alone. */
function loadValidators(): Promise<NectarValidators> {
  loading ??= import(/* webpackIgnore: true */ /* @vite-ignore */ VALIDATORS_MODULE).then(
    (module: unknown) => {
      if (!isValidators(module)) throw notLoadable(new TypeError("not the validators module"));
      loaded = module;
      return module;
    },
    (cause: unknown) => {
      throw notLoadable(cause);
    },
  );
  return loading;
}

/**
 * Every way `data` breaks the component schema `schema`, as JSON pointers; empty when it
 * conforms. Uses `given` (the client's `validators` option) or the loaded module. Synchronous
 * once the validators are at hand (no promise on the hot path), a promise before.
 */
export function schemaViolations(
  schema: SchemaName,
  data: unknown,
  given?: NectarValidators,
): Violation[] | Promise<Violation[]> {
  const module = given ?? loaded;
  return module
    ? check(module, schema, data)
    : loadValidators().then((validators) => check(validators, schema, data));
}

/** {@link schemaViolations} for the `Connection` schema. */
export function connectionViolations(data: unknown): Violation[] | Promise<Violation[]> {
  return schemaViolations("Connection", data);
}

function check(module: NectarValidators, schema: SchemaName, data: unknown): Violation[] {
  const validate = module[`validate${schema}`];
  if (validate(data)) return [];
  return (validate.errors ?? []).map((issue) => ({
    pointer: issue.instancePath,
    message: issue.message ?? issue.keyword,
  }));
}
