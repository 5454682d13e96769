/**
 * Response validation with the validators `npm run generate` compiled from the spec. They are
 * loaded on first use, so a client with validation off never loads them.
 */
import type { Violation } from "./errors.js";

/** `off`: trust the server. `warn`: log violations, return the data. `strict`: throw on them. */
export type ValidationMode = "off" | "warn" | "strict";

/** The modes a user may pass, for input checks. */
export const VALIDATION_MODES: readonly ValidationMode[] = ["off", "warn", "strict"];

type Validators = typeof import("../../generated/validators.js");

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
 * Every way `data` breaks the `Connection` schema, as JSON pointers; empty when it conforms.
 * Synchronous once the validators are loaded (no promise on the hot path), a promise before.
 */
export function connectionViolations(data: unknown): Violation[] | Promise<Violation[]> {
  return loaded ? check(loaded, data) : validators().then((module) => check(module, data));
}

function check({ validateConnection }: Validators, data: unknown): Violation[] {
  if (validateConnection(data)) return [];
  return (validateConnection.errors ?? []).map((issue) => ({
    pointer: issue.instancePath,
    message: issue.message ?? issue.keyword,
  }));
}
