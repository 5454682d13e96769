/**
 * One declaration of a function's options: a table with one check per option, typed against the
 * options' interface, so the compiler proves that the two name the same keys (a key the table
 * lacks, or one the interface lacks, fails to compile). {@link checkOptions} then refuses every
 * key the table does not name, and passes every given value through its check: declared means
 * accepted, undeclared means refused. `undefined` stands for "not given" for every option.
 */
import { NectarInvalidInputError } from "./errors.js";
import {
  functionOption,
  integerOption,
  oneOf,
  optionsObject,
  positiveOption,
  rejectUnknownKeys,
  secureUrl,
  signalOption,
} from "./input.js";
import { isValidators, type NectarValidators } from "./validation.js";

/** Checks one given (never `undefined`) option value; throws {@link NectarInvalidInputError}. */
export type OptionCheck<T> = (value: unknown, name: string) => T;

/** One check for every key of `T`, and no other key. */
export type OptionTable<T> = { readonly [K in keyof T]-?: OptionCheck<Exclude<T[K], undefined>> };

/** The checked options: every key of `T` present, `undefined` where none was given. */
export type CheckedOptions<T> = { [K in keyof T]-?: Exclude<T[K], undefined> | undefined };

/**
 * Checks `value` (an options object, or `undefined` for none) against `table`: an unknown key,
 * a non-object, or a bad value throws {@link NectarInvalidInputError} naming the option and
 * never quoting a secret. `what` names the function in messages (e.g. `"retrieveMany"`);
 * `prefix` goes before each option's name, for nested options (e.g. `"fleet."`).
 */
export function checkOptions<T extends object>(
  value: unknown,
  table: OptionTable<T>,
  what: string,
  prefix = "",
): CheckedOptions<T> {
  const given = optionsObject(value, what);
  const checks: Readonly<Record<string, OptionCheck<unknown>>> = table;
  const known = knownKeys(table);
  rejectUnknownKeys(given, known, what);
  const checked: Record<string, unknown> = {};
  for (const name of known) {
    const option = given[name];
    checked[name] = option === undefined ? undefined : checks[name]?.(option, prefix + name);
  }
  return checked as CheckedOptions<T>;
}

const KEYS = new WeakMap<object, ReadonlySet<string>>();

/** The keys of a table, computed once per table (tables are module constants). */
function knownKeys(table: object): ReadonlySet<string> {
  let keys = KEYS.get(table);
  if (keys === undefined) {
    keys = new Set(Object.keys(table));
    KEYS.set(table, keys);
  }
  return keys;
}

/** A whole number of at least `min` (and at most `max`, when given). */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): OptionCheck<number> {
  return (value, name) => {
    const number = integerOption(value, name, min, min);
    if (number <= max) return number;
    throw new NectarInvalidInputError(
      `${name} must be a whole number from ${min} to ${max}, got ${number}.`,
    );
  };
}

/** A finite number above 0 (and at most `max`, when given). */
export function positiveNumber(max = Number.MAX_VALUE): OptionCheck<number> {
  return (value, name) => {
    const number = positiveOption(value, name, 1);
    if (number <= max) return number;
    throw new NectarInvalidInputError(`${name} must be at most ${max}, got ${number}.`);
  };
}

/** `true` or `false`. */
export const aBoolean: OptionCheck<boolean> = (value, name) => {
  if (typeof value === "boolean") return value;
  throw new NectarInvalidInputError(`${name} must be true or false, got ${kindOf(value)}.`);
};

/** Any function; its type is the option's declared one (only `typeof` can be checked). */
export function aFunction<T>(): OptionCheck<T> {
  return (value, name) => functionOption(value, name) as T;
}

/** An `AbortSignal`, with the same hint everywhere for an `AbortController` passed instead. */
export const aSignal: OptionCheck<AbortSignal> = (value) => signalOption(value) as AbortSignal;

/** The validators module (`import * as validators from "nectar-climate-connection/validators"`). */
export const aValidators: OptionCheck<NectarValidators> = (value, name) => {
  if (isValidators(value)) return value;
  throw new NectarInvalidInputError(
    `${name} must be the module "nectar-climate-connection/validators" (import * as validators from it).`,
  );
};

/** An https URL (http only on a loopback host), without trailing slashes. */
export const aSecureUrl: OptionCheck<string> = (value, name) => secureUrl(value, name);

/** One of a closed set of strings. */
export function oneOfValues<T extends string>(allowed: readonly T[]): OptionCheck<T> {
  return (value, name) => oneOf(value, name, allowed, allowed[0] as T);
}

/** What a rejected value was, for a message, without quoting a string (it may be a secret). */
export function kindOf(value: unknown): string {
  if (value === null || typeof value === "number") return String(value);
  return typeof value === "string" ? "a string (not shown)" : `a value of type ${typeof value}`;
}

/**
 * Each element of an array, checked by `check` as `name[index]`; a hole (`[ , , x]`) is refused
 * as missing rather than sent as `null`. Returns a dense copy.
 */
export function eachElement<T>(
  value: unknown,
  name: string,
  check: (element: unknown, at: string) => T,
): T[] {
  if (!Array.isArray(value)) {
    throw new NectarInvalidInputError(`${name} must be an array, got ${kindOf(value)}.`);
  }
  const copy: T[] = [];
  for (let index = 0; index < value.length; index++) {
    const at = `${name}[${index}]`;
    if (!Object.hasOwn(value, index)) {
      throw new NectarInvalidInputError(`${at} is missing: the array has a hole there.`);
    }
    copy.push(check(value[index], at));
  }
  return copy;
}
