/**
 * Every error this package throws, and the one table that maps an HTTP status to its class.
 * All extend {@link NectarError}; `instanceof` works across realms and across copies of the
 * package. No message or property ever holds the API key or a magic-link secret.
 */
import { MAX_DETAIL_IN_MESSAGE, REQUEST_ID_HEADERS } from "./constants.js";
import { redactHeaders } from "./redact.js";
import { parseRetryAfter } from "./retry.js";

const BRAND = Symbol.for("nectar-climate-connection.error");

/** This copy's own error classes: only they recognise errors of other copies by brand and name. */
const OWN_CLASSES = new WeakSet<object>();

/** Sets a class's `name` once, on its prototype, so minifiers cannot rename it. */
function setName(errorClass: { prototype: Error }, name: string): void {
  OWN_CLASSES.add(errorClass);
  Object.defineProperty(errorClass.prototype, "name", {
    value: name,
    writable: true,
    configurable: true,
  });
}

/** Does `value`'s prototype chain hold a class named `name` from any copy of this package? */
function hasBrandedAncestor(value: unknown, name: string): boolean {
  if (typeof value !== "object" || value === null || !(BRAND in value)) return false;
  for (
    let proto = Object.getPrototypeOf(value);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (Object.hasOwn(proto, "name") && proto.name === name) return true;
  }
  return false;
}

/**
 * The base class of every error the client throws.
 * @example
 * try { await client.connections.retrieve(id); }
 * catch (error) { if (error instanceof NectarError) console.error(error.message); }
 */
export class NectarError extends Error {
  /** `instanceof` that also recognises errors made by another copy of this package or realm. */
  static override [Symbol.hasInstance]<T extends Error>(
    this: (abstract new (...args: never[]) => T) & { prototype: T },
    value: unknown,
  ): value is T {
    // A caller's subclass inherits `name`: it must not claim every error of its parent class.
    return (
      Function.prototype[Symbol.hasInstance].call(this, value) ||
      (OWN_CLASSES.has(this) && hasBrandedAncestor(value, this.prototype.name))
    );
  }
}
Object.defineProperty(NectarError.prototype, BRAND, { value: true });
setName(NectarError, "NectarError");

/** True for any error thrown by this package, from any copy or realm. */
export function isNectarError(value: unknown): value is NectarError {
  return value instanceof NectarError;
}

/** What the client knows about a non-2xx response when it builds an error. */
export interface ApiErrorInit {
  /** The HTTP method, e.g. `GET`. */
  method: string;
  /** The request path below the base URL, e.g. `/connection/3c90…`. */
  path: string;
  /** The response status. */
  status: number;
  /** The body: parsed JSON when it was JSON, else the raw text (empty string for none). */
  body: unknown;
  /** The response headers. */
  headers: Headers;
  /** How many attempts were made, retries included. */
  attempts: number;
  /** The current time in ms, to read a `Retry-After` date; default `Date.now()`. */
  now?: number;
  /** True when the body was cut to the first few KiB the client keeps of an error body. */
  bodyTruncated?: boolean;
  /** The client's base URL: a 404 hints at it when its path names no API version. */
  baseUrl?: string;
}

/** The request id a response carries, if any. */
export function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** The `detail` string of a Nectar error body, when it has one. */
function detailOf(body: unknown): string | undefined {
  if (typeof body === "object" && body !== null && "detail" in body) {
    const { detail } = body;
    if (typeof detail === "string") return detail;
  }
  return undefined;
}

/** Shortens text for a one-line message. */
function clip(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > MAX_DETAIL_IN_MESSAGE ? `${line.slice(0, MAX_DETAIL_IN_MESSAGE)}…` : line;
}

/** How a message ends for a body that is text, not Nectar's JSON: HTML is named, not quoted. */
function describeText(body: string): string {
  if (body.trim() === "") return " (empty body).";
  if (/^\s*</.test(body)) return " (an HTML page, not Nectar's JSON).";
  return `: ${clip(body)}`;
}

/**
 * Nectar answered with a status outside 2xx. Subclasses name the common ones; this class
 * itself stands for any other, e.g. an undeclared 422.
 */
export class NectarApiError extends NectarError {
  /** The HTTP status. */
  readonly status: number;
  /** Nectar's `detail` message, when the body had one. */
  readonly detail: string | undefined;
  /** The body: parsed JSON when it was JSON, else the raw text; secrets masked, at most 8 KiB. */
  readonly body: unknown;
  /** True when the server sent more than the 8 KiB of body the client keeps (then `body` is text). */
  readonly bodyTruncated: boolean;
  /** The response headers, credentials and cookies masked. */
  readonly headers: Record<string, string>;
  /** A request id from the response headers, when the server sent one. */
  readonly requestId: string | undefined;
  /** How many attempts were made, retries included. */
  readonly attempts: number;

  /**
   * Builds the error from a response; the message reads `GET /path failed with status 404: Not found.`
   * A subclass may pass its own `message`.
   */
  constructor(init: ApiErrorInit, message?: string) {
    const detail = detailOf(init.body);
    const suffix =
      detail !== undefined
        ? `: ${clip(detail)}`
        : typeof init.body === "string"
          ? describeText(init.body)
          : ".";
    super(message ?? `${init.method} ${init.path} failed with status ${init.status}${suffix}`);
    this.status = init.status;
    this.detail = detail;
    this.body = init.body;
    this.bodyTruncated = init.bodyTruncated ?? false;
    this.headers = redactHeaders(init.headers);
    this.requestId = requestIdOf(init.headers);
    this.attempts = init.attempts;
  }
}
setName(NectarApiError, "NectarApiError");

/** 400: the request was malformed. */
export class NectarBadRequestError extends NectarApiError {}
setName(NectarBadRequestError, "NectarBadRequestError");

/** 401: the API key is missing, wrong, inactive or expired, or a sandbox key met production. */
export class NectarAuthenticationError extends NectarApiError {}
setName(NectarAuthenticationError, "NectarAuthenticationError");

/** 403: the key's organization may not see this connection. */
export class NectarPermissionError extends NectarApiError {}
setName(NectarPermissionError, "NectarPermissionError");

/** A version segment of a path: `/v2.2`, `/v2`, `/v3/`. */
const VERSION_SEGMENT = /\/v\d+(?:\.\d+)*(?:\/|$)/i;

/** Nectar's API lives under a version; the hint of a 404 from a base URL without one. */
export const MISSING_VERSION_HINT =
  "the base URL has no version segment: Nectar's API is under /v2.2 (https://external.nectarclimate.com/v2.2)";

/** {@link MISSING_VERSION_HINT} when `baseUrl`'s path names no version; else `undefined`. */
function versionHint(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  let path: string;
  try {
    path = new URL(baseUrl).pathname;
  } catch {
    return undefined;
  }
  return VERSION_SEGMENT.test(path) ? undefined : MISSING_VERSION_HINT;
}

/**
 * 404: no connection with this id is visible to the key, or (see `hint`) the base URL is missing
 * its version, so that no path of the API exists there.
 */
export class NectarNotFoundError extends NectarApiError {
  /**
   * Set when the client's base URL names no API version (`/v2.2`): then every call 404s, and
   * the id is probably not the problem. The message ends with it too.
   */
  readonly hint: string | undefined;

  /** Builds the error; the message gains the hint when there is one. */
  constructor(init: ApiErrorInit, message?: string) {
    super(init, message);
    this.hint = versionHint(init.baseUrl);
    if (this.hint !== undefined) {
      this.message = `${this.message.replace(/\.?$/, ".")} Hint: ${this.hint}.`;
    }
  }
}
setName(NectarNotFoundError, "NectarNotFoundError");

/** 429: too many requests, after the retries the client was allowed. */
export class NectarRateLimitError extends NectarApiError {
  /** How long the server asked to wait, from `retry-after-ms` or `Retry-After`, if it said. */
  readonly retryAfterMs: number | undefined;

  /** Builds the error and reads the server's requested wait. */
  constructor(init: ApiErrorInit) {
    super(init);
    this.retryAfterMs = parseRetryAfter(init.headers, init.now ?? Date.now());
  }
}
setName(NectarRateLimitError, "NectarRateLimitError");

/** What the client knows about a redirect it refused. */
export interface RedirectErrorInit extends ApiErrorInit {
  /** The origin (`scheme://host:port`) the redirect pointed to; `undefined` when unreadable. */
  origin: string | undefined;
  /** Why it was not followed, e.g. `another origin`. */
  reason: string;
}

/**
 * A redirect the client did not follow: to another origin (the API key would travel with it),
 * more than 3 hops, or a 301/302/303 that would turn a POST into a GET. Never retried; raised
 * before anything is sent to the target.
 */
export class NectarRedirectError extends NectarApiError {
  /** The origin the redirect pointed to (never its path, query or credentials), if readable. */
  readonly origin: string | undefined;

  /** The message names the status and the target's origin only. */
  constructor(init: RedirectErrorInit) {
    const target = init.origin === undefined ? "" : ` to ${init.origin}`;
    super(
      init,
      `${init.method} ${init.path} was redirected (${init.status})${target}: ${init.reason}; not followed.`,
    );
    this.origin = init.origin;
  }
}
setName(NectarRedirectError, "NectarRedirectError");

/** 500 and above: Nectar failed, after the retries the client was allowed. */
export class NectarServerError extends NectarApiError {}
setName(NectarServerError, "NectarServerError");

/** The one table from status to error class. */
const ERROR_BY_STATUS: ReadonlyMap<number, typeof NectarApiError> = new Map([
  [400, NectarBadRequestError],
  [401, NectarAuthenticationError],
  [403, NectarPermissionError],
  [404, NectarNotFoundError],
  [429, NectarRateLimitError],
]);

/** The error for a non-2xx response: its status's class, or {@link NectarApiError}. */
export function apiErrorFor(init: ApiErrorInit): NectarApiError {
  const ErrorClass =
    ERROR_BY_STATUS.get(init.status) ?? (init.status >= 500 ? NectarServerError : NectarApiError);
  return new ErrorClass(init);
}

/** The request never got a complete response: refused, reset, DNS failure, body cut off. */
export class NectarConnectionError extends NectarError {
  /** How many attempts were made, retries included. */
  readonly attempts: number;

  /** `cause` is the underlying failure, e.g. undici's `TypeError: fetch failed`. */
  constructor(message: string, options: { cause?: unknown; attempts: number }) {
    // No `cause` property at all when there is none (a timeout), rather than `cause: undefined`.
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.attempts = options.attempts;
  }
}
setName(NectarConnectionError, "NectarConnectionError");

/** An attempt took longer than `timeoutMs`, headers and body together. */
export class NectarTimeoutError extends NectarConnectionError {
  /** The per-attempt limit that was exceeded. */
  readonly timeoutMs: number;

  /** Builds the error for the last attempt that timed out. */
  constructor(message: string, options: { timeoutMs: number; attempts: number }) {
    super(message, { attempts: options.attempts });
    this.timeoutMs = options.timeoutMs;
  }
}
setName(NectarTimeoutError, "NectarTimeoutError");

/**
 * The proxy refused the request: it answered the tunnel (`CONNECT`) with another status than
 * 200, e.g. 407 when it wants credentials. Not retried: the same request would be refused again.
 * The message says what to check; it never quotes the proxy's URL or credentials.
 */
export class NectarProxyError extends NectarConnectionError {
  /** The proxy's status for the tunnel, e.g. 407 or 403. */
  readonly proxyStatus: number;

  /** Builds the error for a refused tunnel. */
  constructor(message: string, options: { proxyStatus: number; attempts: number }) {
    super(message, { attempts: options.attempts });
    this.proxyStatus = options.proxyStatus;
  }
}
setName(NectarProxyError, "NectarProxyError");

/** The caller's `signal` aborted the call: while queued, in flight or between retries. */
export class NectarAbortError extends NectarError {}
setName(NectarAbortError, "NectarAbortError");

/** A bad argument, e.g. a connection id that is not a UUID. Thrown before any request. */
export class NectarInvalidInputError extends NectarError {}
setName(NectarInvalidInputError, "NectarInvalidInputError");

/** One way a response broke the spec: where (a JSON pointer) and how. */
export interface Violation {
  /** JSON pointer into the response body, `""` for the body itself, e.g. `/status`. */
  pointer: string;
  /** What is wrong there, e.g. `must be equal to one of the allowed values`. */
  message: string;
}

/** What the client knows about a 2xx response it could not accept. */
export interface ResponseProblemInit {
  /** The HTTP method. */
  method: string;
  /** The request path below the base URL. */
  path: string;
  /** The response status. */
  status: number;
  /** The response headers. */
  headers: Headers;
}

/**
 * A 2xx response whose body is not usable: empty, not JSON, or JSON but not an object.
 * The body itself is not kept: a cut-off connection may hold a magic-link secret.
 */
export class NectarInvalidResponseError extends NectarError {
  /** The HTTP status. */
  readonly status: number;
  /** The response headers, credentials and cookies masked. */
  readonly headers: Record<string, string>;
  /** A request id from the response headers, when the server sent one. */
  readonly requestId: string | undefined;

  /** `reason` says what was wrong with the body, e.g. `the body is not valid JSON`. */
  constructor(init: ResponseProblemInit & { reason: string }) {
    super(`${init.method} ${init.path} returned status ${init.status}, but ${init.reason}.`);
    this.status = init.status;
    this.headers = redactHeaders(init.headers);
    this.requestId = requestIdOf(init.headers);
  }
}
setName(NectarInvalidResponseError, "NectarInvalidResponseError");

/**
 * A 2xx body larger than `maxResponseBytes` (declared by `Content-Length` or counted while
 * reading, after decompression): the client stopped reading and closed the connection. Not retried.
 */
export class NectarResponseTooLargeError extends NectarInvalidResponseError {
  /** The limit that was exceeded, in bytes. */
  readonly maxResponseBytes: number;

  /** Builds the error for a body over `maxResponseBytes`. */
  constructor(init: ResponseProblemInit & { maxResponseBytes: number }) {
    super({
      ...init,
      reason: `the body is larger than maxResponseBytes (${init.maxResponseBytes} bytes)`,
    });
    this.maxResponseBytes = init.maxResponseBytes;
  }
}
setName(NectarResponseTooLargeError, "NectarResponseTooLargeError");

/** `validateResponses: "strict"` found the response does not match the spec. */
export class NectarResponseValidationError extends NectarError {
  /** Every violation found, as JSON pointers into the body. */
  readonly violations: readonly Violation[];
  /** The HTTP status. */
  readonly status: number;
  /** A request id from the response headers, when the server sent one. */
  readonly requestId: string | undefined;

  /** The message names the first violation and counts the rest. */
  constructor(init: ResponseProblemInit & { violations: readonly Violation[] }) {
    const [first] = init.violations;
    const more = init.violations.length > 1 ? ` (and ${init.violations.length - 1} more)` : "";
    const where = first ? `${first.pointer || "(body)"} ${first.message}${more}` : "unknown";
    super(`${init.method} ${init.path} returned a body that does not match the spec: ${where}.`);
    this.violations = init.violations;
    this.status = init.status;
    this.requestId = requestIdOf(init.headers);
  }
}
setName(NectarResponseValidationError, "NectarResponseValidationError");

/** What {@link NectarWaitTimeoutError} reports about the wait: how it went. */
export interface WaitProgressInit {
  /** How long the wait ran, by the clock. */
  waitedMs: number;
  /** Polls sent, the one cut short included. */
  polls: number;
  /** The status the last answered poll saw, if any answered. */
  lastStatus: string | undefined;
}

/**
 * What {@link NectarWaitTimeoutError} reports about the wait that ran out: its progress, and
 * the overall limit as `deadlineMs` (or, deprecated, as `timeoutMs`).
 */
export type WaitTimeoutInit = WaitProgressInit &
  (
    | {
        /** The overall limit given as `waitFor`'s `deadlineMs`. */
        deadlineMs: number;
      }
    | {
        /** @deprecated Use `deadlineMs`; this name goes in the next major. */
        timeoutMs: number;
      }
  );

/**
 * `connections.waitFor` ran out of its `deadlineMs` before its condition held. Not a network
 * failure (that is {@link NectarTimeoutError}, an attempt over `timeoutMs`): the connection
 * simply did not change in time.
 */
export class NectarWaitTimeoutError extends NectarError {
  /** The overall limit given as `deadlineMs`. */
  readonly deadlineMs: number;
  /**
   * The overall limit, under its old name.
   * @deprecated Use {@link NectarWaitTimeoutError.deadlineMs}; this alias goes in the next major.
   */
  readonly timeoutMs: number;
  /** Polls sent. */
  readonly polls: number;
  /** The status the last answered poll saw, if any answered. */
  readonly lastStatus: string | undefined;

  /** The message names the limit, the polls and the last status seen. */
  constructor(init: WaitTimeoutInit) {
    const deadlineMs = "deadlineMs" in init ? init.deadlineMs : init.timeoutMs;
    const last =
      init.lastStatus === undefined
        ? "no answer yet"
        : `last status ${clip(init.lastStatus).slice(0, 60)}`;
    super(
      `waitFor gave up after ${init.waitedMs} ms (deadlineMs ${deadlineMs}, ${init.polls} polls, ${last}).`,
    );
    this.deadlineMs = deadlineMs;
    this.timeoutMs = deadlineMs;
    this.polls = init.polls;
    this.lastStatus = init.lastStatus;
  }
}
setName(NectarWaitTimeoutError, "NectarWaitTimeoutError");

/** Why a walk through pages was stopped with an error. */
export type PaginationProblem = "repeated_page" | "too_many_pages";

/**
 * A list's pages broke the rules a walk through them relies on: the server answered the same
 * page twice in a row, or announced more pages than the walk's ceiling (derived from the first
 * page's `totalPages`). The walk stops rather than loop; the requests in flight are cancelled.
 */
export class NectarPaginationError extends NectarError {
  /** `repeated_page` or `too_many_pages`. */
  readonly problem: PaginationProblem;
  /** The page number the walk had reached. */
  readonly page: number;

  /** The message names the request and the page (never a query string). */
  constructor(init: { problem: PaginationProblem; page: number; message: string }) {
    super(init.message);
    this.problem = init.problem;
    this.page = init.page;
  }
}
setName(NectarPaginationError, "NectarPaginationError");

/**
 * `toArray({ max })` met more items than `max`: it throws rather than return a silently
 * truncated list. Raise `max`, or iterate with `for await` to keep memory flat.
 */
export class NectarTooManyItemsError extends NectarError {
  /** The limit that was exceeded. */
  readonly max: number;

  /** Builds the error for a collection past `max`. */
  constructor(max: number) {
    super(
      `toArray stopped: the list holds more than ${max} items (max). Pass a larger max, or iterate with for await.`,
    );
    this.max = max;
  }
}
setName(NectarTooManyItemsError, "NectarTooManyItemsError");
/**
 * Why a webhook was refused, one value per failure:
 * - `malformed_secret`: a secret is not `whsec_` + base64 of at least 24 bytes (or is not a string);
 * - `secret_has_whitespace`: a secret holds a space or line break (a pasted or `.env` newline?);
 * - `body_already_parsed`: the body is not the raw string or bytes (a framework parsed it);
 * - `body_too_large`: the body exceeds `maxBodyBytes` (checked before any HMAC);
 * - `missing_header`: no `svix-id`/`webhook-id`, `-timestamp` or `-signature` header, or an empty one;
 * - `invalid_timestamp`: the timestamp header is not whole seconds since the epoch;
 * - `timestamp_too_old` / `timestamp_too_new`: it is more than the tolerance before / after now;
 * - `no_matching_signature`: no `v1` signature matches the body under any of the secrets;
 * - `invalid_json`: the signed body is not UTF-8 JSON;
 * - `invalid_payload`: a known event's payload breaks the spec's schema (see `violations`).
 */
export type WebhookFailureReason = (typeof WEBHOOK_FAILURE_REASONS)[number];

/** Every {@link WebhookFailureReason}, in the order `verifyWebhook` checks for them. */
export const WEBHOOK_FAILURE_REASONS = [
  "malformed_secret",
  "secret_has_whitespace",
  "body_already_parsed",
  "body_too_large",
  "missing_header",
  "invalid_timestamp",
  "timestamp_too_old",
  "timestamp_too_new",
  "no_matching_signature",
  "invalid_json",
  "invalid_payload",
] as const;

/**
 * A webhook that `verifyWebhook` refused: the one error it throws, with a distinct `reason` per
 * failure. Answer the delivery with a 4xx (Svix retries it) and never process its body. The
 * message names the reason and what to check; it never holds a secret, a signature or the body.
 */
export class NectarWebhookVerificationError extends NectarError {
  /** Why the webhook was refused. */
  readonly reason: WebhookFailureReason;
  /** For `invalid_payload`: where the payload breaks the schema; empty for every other reason. */
  readonly violations: readonly Violation[];

  /** The message reads `Webhook refused (reason): detail`. */
  constructor(
    reason: WebhookFailureReason,
    detail: string,
    options: { violations?: readonly Violation[]; cause?: unknown } = {},
  ) {
    super(
      `Webhook refused (${reason}): ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.reason = reason;
    this.violations = options.violations ?? [];
  }
}
setName(NectarWebhookVerificationError, "NectarWebhookVerificationError");
