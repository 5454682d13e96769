/**
 * Query parameters, driven by the operation table (`generated/operations.js`): each value is
 * checked against its parameter's declared type, bounds, enum and format before anything is
 * sent, then serialized as the spec says (form style; an exploded array repeats its name:
 * `?sites=a&sites=b`). Messages name the parameter and never quote a string: a filter may hold
 * an email address, and a misplaced argument may be a credential.
 */
import { isEmailAddress } from "./email.js";
import { NectarInvalidInputError } from "./errors.js";
import { isUuid } from "./input.js";

/** One query parameter of an operation, as `npm run generate` writes it into the table. */
export interface QueryParameter {
  readonly name: string;
  readonly required: boolean;
  /** `string` or `integer` (the item type, for an array). */
  readonly type: string;
  readonly array: boolean;
  /** Form style, exploded: the array's name repeated per item. */
  readonly explode: boolean;
  readonly format?: string;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
}

/** Query values by parameter name; `undefined` means absent. */
export type QueryValues = Readonly<Record<string, unknown>>;

/** A rejected value, described without quoting a string. */
function described(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean" || value == null) {
    return String(value);
  }
  return typeof value === "string" ? "a string (not shown)" : `a value of type ${typeof value}`;
}

/** Why `value` breaks `parameter`'s integer rules, or `undefined` when it keeps them. */
function integerProblem(parameter: QueryParameter, value: unknown): string | undefined {
  const { minimum = -Infinity, maximum = Infinity } = parameter;
  if (typeof value === "number" && Number.isSafeInteger(value)) {
    if (value >= minimum && value <= maximum) return undefined;
  }
  const range = maximum === Infinity ? `of at least ${minimum}` : `from ${minimum} to ${maximum}`;
  return `must be a whole number ${range}`;
}

/** Why `value` breaks `parameter`'s string rules, or `undefined` when it keeps them. */
function stringProblem(parameter: QueryParameter, value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (parameter.enum !== undefined && !parameter.enum.includes(value)) {
    return `must be one of ${parameter.enum.join(", ")}`;
  }
  if (value.length < (parameter.minLength ?? 0)) return "must not be empty";
  if (parameter.format === "uuid" && !isUuid(value)) return "must be a UUID";
  if (parameter.format === "email" && !isEmailAddress(value)) return "must be an email address";
  return undefined;
}

/** One scalar value, checked; a UUID is sent in lower case (Nectar's routes match lower case). */
function checkedScalar(parameter: QueryParameter, value: unknown, where: string): unknown {
  const problem =
    parameter.type === "integer"
      ? integerProblem(parameter, value)
      : stringProblem(parameter, value);
  if (problem !== undefined) {
    throw new NectarInvalidInputError(`${where} ${problem}, got ${described(value)}.`);
  }
  return parameter.format === "uuid" ? String(value).toLowerCase() : value;
}

/**
 * Checks `values` against `parameters` and returns them as they will be sent (absent ones
 * left out, UUIDs in lower case, arrays copied).
 * @throws {NectarInvalidInputError} on an unknown name, a missing required value, or a value
 * that breaks its parameter's type, bounds, enum or format; nothing has been sent.
 */
export function checkQuery(
  parameters: readonly QueryParameter[],
  values: QueryValues,
): QueryValues {
  const checked: Record<string, unknown> = {};
  for (const name of Object.keys(values)) {
    if (values[name] !== undefined && !parameters.some((parameter) => parameter.name === name)) {
      throw new NectarInvalidInputError(`Unknown query parameter ${JSON.stringify(name)}.`);
    }
  }
  for (const parameter of parameters) {
    const value = values[parameter.name];
    if (value === undefined) {
      if (parameter.required) throw new NectarInvalidInputError(`${parameter.name} is required.`);
      continue;
    }
    if (!parameter.array) {
      checked[parameter.name] = checkedScalar(parameter, value, parameter.name);
      continue;
    }
    if (!Array.isArray(value)) {
      throw new NectarInvalidInputError(
        `${parameter.name} must be an array, got ${described(value)}.`,
      );
    }
    checked[parameter.name] = value.map((item, index) =>
      checkedScalar(parameter, item, `${parameter.name}[${index}]`),
    );
  }
  return checked;
}

/**
 * The query string of checked `values` (without `?`), in the table's order: `""` when none is
 * set. A scalar is `name=value`; an exploded array repeats `name=` per item, an unexploded one
 * joins its items with commas (form style).
 */
export function queryString(parameters: readonly QueryParameter[], values: QueryValues): string {
  const pairs: string[] = [];
  for (const { name, array, explode } of parameters) {
    const value = values[name];
    if (value === undefined) continue;
    const key = encodeURIComponent(name);
    if (!array) pairs.push(`${key}=${encodeURIComponent(String(value))}`);
    else if (!Array.isArray(value) || value.length === 0) continue;
    else if (explode)
      for (const item of value) pairs.push(`${key}=${encodeURIComponent(String(item))}`);
    else pairs.push(`${key}=${value.map((item) => encodeURIComponent(String(item))).join(",")}`);
  }
  return pairs.join("&");
}
