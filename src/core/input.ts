/** Checks of the caller's arguments: bad input is refused here, before anything is sent. */
import { NectarInvalidInputError } from "./errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Is `value` a UUID (8-4-4-4-12 hex digits, either case)? The one definition client and mock share. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * Describes a rejected value without quoting any of it: a string passed in the wrong place may
 * be the API key or a magic-link secret (e.g. `retrieve(apiKey)`), and even a clipped prefix
 * of a credential must not reach a message or a log.
 */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") return `a value of type ${typeof value}`;
  if (value === "") return "an empty string";
  return `a string of ${value.length} character${value.length === 1 ? "" : "s"} (not shown)`;
}

/**
 * Shows a rejected value in a message: as {@link describe}, except that a short word-like string
 * (an option name, a log level such as `"verbose"`) is quoted: at most 20 characters, shorter
 * than any API key or Fernet secret.
 */
function show(value: unknown): string {
  return typeof value === "string" && /^[A-Za-z][\w-]{0,19}$/.test(value)
    ? JSON.stringify(value)
    : describe(value);
}

/**
 * Returns `value` as a lower-case UUID (Nectar's routes match lower case only), or throws
 * {@link NectarInvalidInputError} when it is not one.
 */
export function requireUuid(value: unknown, name: string): string {
  if (isUuid(value)) return value.toLowerCase();
  throw new NectarInvalidInputError(
    `${name} must be a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a, got ${describe(value)}.`,
  );
}

/** Throws when an options object has a key the function does not know, e.g. a misspelling. */
export function rejectUnknownKeys(options: object, known: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      const list = [...known].join(", ");
      throw new NectarInvalidInputError(
        `Unknown ${what} option ${show(key)}; expected one of ${list}.`,
      );
    }
  }
}

/** A whole number ≥ `min`, or the default when `undefined`. */
export function integerOption(value: unknown, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= min) return value;
  throw new NectarInvalidInputError(
    `${name} must be a whole number of at least ${min}, got ${show(value)}.`,
  );
}

/** A finite number > 0, or the default when `undefined`. */
export function positiveOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  throw new NectarInvalidInputError(`${name} must be a positive number, got ${show(value)}.`);
}

/** True for hosts that never leave this machine. */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Parses a base URL that must be https (or http on a loopback host, for tests and local
 * mocks) and returns it without trailing slashes.
 */
export function secureUrl(value: unknown, name: string): string {
  let url: URL;
  try {
    if (typeof value !== "string") throw new TypeError("not a string");
    url = new URL(value);
  } catch {
    throw new NectarInvalidInputError(`${name} must be an absolute URL, got ${show(value)}.`);
  }
  // Checked first: a URL with credentials or a query may carry a secret, and is never quoted.
  if (url.search || url.hash || url.username || url.password) {
    throw new NectarInvalidInputError(`${name} must not carry a query, fragment or credentials.`);
  }
  const local = url.protocol === "http:" && isLoopback(url.hostname);
  if (url.protocol !== "https:" && !local) {
    // Only an http URL's host is shown: another scheme's text could be anything.
    const shown = url.protocol === "http:" ? `http://${url.host}` : "a URL of another scheme";
    throw new NectarInvalidInputError(
      `${name} must use https (http is allowed only for localhost), got ${shown}.`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** A string from a closed set, or the default when `undefined`. */
export function oneOf<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  const match = allowed.find((candidate) => candidate === value);
  if (match !== undefined) return match;
  throw new NectarInvalidInputError(
    `${name} must be one of ${allowed.join(", ")}, got ${show(value)}.`,
  );
}

/** Is `value` a plain object: not null, not an array? */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The options object of a function: `undefined` gives `{}`; anything but a plain object (null,
 * an array, a string…) is refused.
 */
export function optionsObject(value: unknown, what: string): Partial<Record<string, unknown>> {
  if (value === undefined) return {};
  if (isRecord(value)) return value;
  throw new NectarInvalidInputError(`The ${what} options must be an object, got ${show(value)}.`);
}

/**
 * What fetch's `Headers` can send as a value: tab, visible ASCII and Latin-1 (U+0080–U+00FF),
 * no control character, and no space or tab at either end (fetch would strip it).
 */
const HEADER_VALUE = /^[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/;

/** Is `value` a non-empty string that an HTTP header can carry unchanged? */
export function isHeaderValue(value: unknown): value is string {
  return typeof value === "string" && HEADER_VALUE.test(value);
}

/** An `AbortSignal`, or something that walks like one (another realm's, a polyfill's). */
function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<
    Record<"aborted" | "addEventListener" | "removeEventListener", unknown>
  >;
  return (
    typeof candidate.aborted === "boolean" &&
    typeof candidate.addEventListener === "function" &&
    typeof candidate.removeEventListener === "function"
  );
}

/** The `signal` option: `undefined` or an AbortSignal; an AbortController gets a hint. */
export function signalOption(value: unknown): AbortSignal | undefined {
  if (value === undefined || isAbortSignal(value)) return value;
  const controller =
    typeof value === "object" && value !== null && "signal" in value && isAbortSignal(value.signal);
  throw new NectarInvalidInputError(
    controller
      ? "signal must be an AbortSignal, got an AbortController: pass controller.signal."
      : `signal must be an AbortSignal, got ${show(value)}.`,
  );
}

/** A function option, or `undefined`. */
export function functionOption<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new NectarInvalidInputError(`${name} must be a function, got ${describe(value)}.`);
  }
  return value;
}
