/**
 * The spec's validators two ways, for the validator tests: Ajv 2020 reading the bundled spec on
 * its own (independent of the generator), and the validators `npm run generate` compiled into
 * `generated/validators.js`; with the spec's named examples to feed them.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import * as compiled from "../../generated/validators.js";
import { spec } from "./openapi-document.ts";

/** One violation, as both kinds of validator report it. */
export interface Violation {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** A validator: true for a valid value; otherwise `errors` lists every violation. */
export interface Validator {
  (data: unknown): boolean;
  errors?: Violation[] | null;
}

/** A fresh copy of a named example's value. */
export function exampleValue(name: string): Record<string, unknown> {
  const example = spec.components.examples[name];
  if (!example) throw new Error(`no example ${name}`);
  return structuredClone(example.value) as Record<string, unknown>;
}

/** Ajv 2020 with formats, reading the bundled spec as it stands. */
export function independentValidators(): (schema: string) => Validator {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  ajv.addSchema(spec, "openapi.json");
  return (schema) => ajv.compile({ $ref: `openapi.json#/components/schemas/${schema}` });
}

/** The validators compiled ahead of time by `npm run generate`. */
export function compiledValidators(): (schema: string) => Validator {
  const byName: Record<string, Validator | undefined> = compiled;
  return (schema) => {
    const validate = byName[`validate${schema}`];
    if (!validate) throw new Error(`generated/validators.js has no validate${schema}`);
    return validate;
  };
}

/** What a validator says about a value. */
export function check(validate: Validator, data: unknown): { valid: boolean; errors: Violation[] } {
  const valid = validate(data);
  return { valid, errors: valid ? [] : [...(validate.errors ?? [])] };
}
