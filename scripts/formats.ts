/**
 * The string formats the compiled validators check, bundled into `generated/validators.js`.
 *
 * Semantics are exactly ajv-formats' "full" mode (the referee the tests use). `date` and
 * `date-time` put a fast path in front: one regular-expression test that accepts only strings
 * the full check accepts too (days 01–28 exist in every month, hours 00–23, UTC), and falls back
 * to the full check for anything else. Most timestamps take the fast path, which avoids the
 * full check's capture groups and string splitting. A property test proves the two agree.
 */
import { fullFormats } from "ajv-formats/dist/formats.js";

// Month and day pairs that exist in every year: all but 29 February.
const MONTH_DAY =
  "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))";
const FAST_DATE = new RegExp(`^\\d{4}-${MONTH_DAY}$`);
const FAST_DATE_TIME = new RegExp(
  `^\\d{4}-${MONTH_DAY}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?Z$`,
);

/** 8-4-4-4-12 hex digits, checked by character codes: several times faster than the regex. */
function isPlainUuid(value: string): boolean {
  if (value.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const code = value.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false;
    } else if (
      !((code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70))
    ) {
      return false;
    }
  }
  return true;
}

/** The check function of one of ajv-formats' full formats. */
function fullCheck(name: "date" | "date-time"): (value: string) => boolean {
  const definition = fullFormats[name];
  if (typeof definition === "object" && "validate" in definition) {
    // Typed as a union of string and number checks; these two take strings.
    const validate: unknown = definition.validate;
    if (typeof validate === "function") {
      return (value) => Reflect.apply(validate, undefined, [value]) === true;
    }
  }
  throw new Error(`ajv-formats has no check function for ${name}`);
}

/** The regular expression of one of ajv-formats' full formats. */
function fullRegExp(name: "uuid" | "email"): RegExp {
  const definition = fullFormats[name];
  if (definition instanceof RegExp) return definition;
  throw new Error(`ajv-formats has no regular expression for ${name}`);
}

const fullDate = fullCheck("date");
const fullUuid = fullRegExp("uuid");
const fullDateTime = fullCheck("date-time");

/** Format checks by name, as the validators call them. */
export const formats = {
  date: (value: string): boolean => FAST_DATE.test(value) || fullDate(value),
  "date-time": (value: string): boolean => FAST_DATE_TIME.test(value) || fullDateTime(value),
  uuid: (value: string): boolean => isPlainUuid(value) || fullUuid.test(value),
  email: fullRegExp("email"),
};
