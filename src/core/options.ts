/**
 * The checks of every option of `createNectarClient` and of every call, before anything is
 * built or sent: each bad value gets a {@link NectarInvalidInputError} that says what was wrong
 * and never quotes a credential.
 */

import {
  DEFAULT_BASE_URL,
  DEFAULT_DASHBOARD_URL,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
} from "./constants.js";
import { NectarInvalidInputError } from "./errors.js";
import {
  functionOption,
  integerOption,
  isHeaderValue,
  oneOf,
  optionsObject,
  positiveOption,
  rejectUnknownKeys,
  secureUrl,
  signalOption,
} from "./input.js";
import { LOG_LEVELS, type LogLevel, type NectarLogger } from "./logger.js";
import {
  isValidators,
  type NectarValidators,
  VALIDATION_MODES,
  type ValidationMode,
} from "./validation.js";

/** Options of {@link createNectarClient}. Only `apiKey` is required. */
export interface NectarClientOptions {
  /** Your organization's API key (Sandbox or Production). Default, also when `undefined` (e.g. an unset `process.env` entry): `NECTAR_API_KEY` from the environment. */
  apiKey?: string | undefined;
  /** Default (also when `undefined`) `https://external.nectarclimate.com/v2.2`. Must be https unless the host is loopback. */
  baseUrl?: string | undefined;
  /** The `fetch` to use; default the global one. Inject one to test or to add a proxy. */
  fetch?: (input: string | Request, init?: RequestInit) => Promise<Response>;
  /** Per attempt, covering headers and body; default 30 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 2. */
  maxRetries?: number;
  /** Requests in flight at once; default 10, Nectar's documented ceiling. Others wait in a queue. */
  maxConcurrency?: number;
  /**
   * The most decoded bytes a 2xx body may have; default 10 MiB. A larger one is refused with
   * `NectarResponseTooLargeError` as soon as it is known (Content-Length) or counted.
   */
  maxResponseBytes?: number;
  /** Check responses against the spec: `off` (default), `warn` (log) or `strict` (throw). */
  validateResponses?: ValidationMode;
  /**
   * The compiled validators for `validateResponses`: `import * as validators from
   * "nectar-climate-connection/validators"`. Needed in a bundled app (the client cannot load them
   * on its own there); Node, Deno and Bun load them on first use without it. Ignored when
   * validation is off, so an app that never validates never ships them.
   */
  validators?: NectarValidators;
  /** Where log lines go; default `console`. */
  logger?: NectarLogger;
  /** Default `warn`: retries are logged at `info`, headers (redacted) at `debug`. */
  logLevel?: LogLevel;
  /** Nectar's dashboard, for update links; default `https://dash.nectarclimate.com`. */
  dashboardUrl?: string;
  /** Appended to the package's own User-Agent, e.g. `my-platform/1.4`. */
  userAgent?: string;
  /** Waits between retries; inject a fake to test without waiting. Must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the backoff jitter; default `Math.random`. */
  random?: () => number;
  /** The current time in ms, for `Retry-After` dates; default `Date.now`. */
  now?: () => number;
  /**
   * Let the client run in a browser-like environment (a `window` with a `document`). Off by
   * default: the API key is a server secret, and any visitor of a page can read it. Turn it on
   * only when the key in the page is meant to be seen (e.g. a proxy that holds the real key).
   */
  dangerouslyAllowBrowser?: boolean;
}

/** Per-call options of every method. */
export interface RequestOptions {
  /** Aborts the call: while queued, in flight, or between retries. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number;
  /** Overrides the client's retry count for this call. */
  maxRetries?: number;
  /** Overrides the client's `maxResponseBytes` for this call. */
  maxResponseBytes?: number;
}

/** The client's options, checked, with their defaults filled in. */
export interface ClientSettings {
  apiKey: string;
  baseUrl: string;
  dashboardUrl: string;
  timeoutMs: number;
  maxRetries: number;
  maxConcurrency: number;
  maxResponseBytes: number;
  validation: ValidationMode;
  /** The compiled validators the caller passed, if any. */
  validators: NectarValidators | undefined;
  logger: NectarLogger;
  logLevel: LogLevel;
  userAgent: string | undefined;
  fetch: NectarClientOptions["fetch"];
  sleep: NectarClientOptions["sleep"];
  random: NectarClientOptions["random"];
  now: NectarClientOptions["now"];
}

/** One call's options, checked, with the client's values filled in. */
export interface CallSettings {
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRetries: number;
  maxResponseBytes: number;
}

const CLIENT_OPTIONS: ReadonlySet<string> = new Set([
  "apiKey",
  "baseUrl",
  "fetch",
  "timeoutMs",
  "maxRetries",
  "maxConcurrency",
  "maxResponseBytes",
  "validateResponses",
  "validators",
  "logger",
  "logLevel",
  "dashboardUrl",
  "userAgent",
  "sleep",
  "random",
  "now",
  "dangerouslyAllowBrowser",
]);

const REQUEST_OPTIONS: ReadonlySet<string> = new Set([
  "signal",
  "timeoutMs",
  "maxRetries",
  "maxResponseBytes",
]);

/** The API key from the options or the environment; checked, never quoted in a message. */
function resolveApiKey(value: unknown): string {
  const key =
    value ??
    (typeof process !== "undefined" ? process.env?.NECTAR_API_KEY : undefined) ??
    undefined;
  if (key === undefined || key === "") {
    throw new NectarInvalidInputError(
      "apiKey is required: pass it to createNectarClient or set NECTAR_API_KEY.",
    );
  }
  if (!isHeaderValue(key)) {
    throw new NectarInvalidInputError(
      "apiKey must be a string an HTTP header can carry: visible ASCII or Latin-1 characters, " +
        "no control characters or line breaks, no surrounding spaces (its value is not shown).",
    );
  }
  return key;
}

/** The appended User-Agent: `undefined`, empty, or a valid header value. */
function resolveUserAgent(value: unknown): string | undefined {
  if (value === undefined || value === "" || isHeaderValue(value)) return value || undefined;
  throw new NectarInvalidInputError(
    "userAgent must be a single-line string an HTTP header can carry: visible ASCII or Latin-1 " +
      "characters, no control characters, no surrounding spaces (its value is not shown).",
  );
}

/** The validators module, or `undefined`. */
function validatorsOption(value: unknown): NectarValidators | undefined {
  if (value === undefined || isValidators(value)) return value;
  throw new NectarInvalidInputError(
    'validators must be the module "nectar-climate-connection/validators" (import * as validators from it).',
  );
}

/** A logger with the four methods, or `undefined`. */
function loggerOption(value: NectarLogger | undefined): NectarLogger | undefined {
  if (value === undefined) return undefined;
  const methods = ["error", "warn", "info", "debug"] as const;
  if (
    typeof value === "object" &&
    value !== null &&
    methods.every((name) => typeof value[name] === "function")
  ) {
    return value;
  }
  throw new NectarInvalidInputError(
    "logger must be an object with error, warn, info and debug methods.",
  );
}

/** True in a browser-like environment: a `window` with a `document`, and a `navigator` (as Stainless's SDKs check). */
function inBrowser(): boolean {
  return (
    typeof window !== "undefined" &&
    typeof window.document !== "undefined" &&
    typeof navigator !== "undefined"
  );
}

/** Refuses to run in a browser unless the caller opted in: the key would be readable by anyone. */
function refuseBrowser(allow: unknown): void {
  if (allow !== undefined && typeof allow !== "boolean") {
    throw new NectarInvalidInputError("dangerouslyAllowBrowser must be a boolean.");
  }
  if (allow !== true && inBrowser()) {
    throw new NectarInvalidInputError(
      "createNectarClient refuses to run in a browser-like environment: the Nectar API key is a server secret, and anyone who loads the page could read it. Call the API from your server instead, or pass dangerouslyAllowBrowser: true if the key in the page is meant to be seen.",
    );
  }
}

/** Checks the options of `createNectarClient`. */
export function resolveClientOptions(value: NectarClientOptions | undefined): ClientSettings {
  const options = optionsObject(value, "createNectarClient");
  rejectUnknownKeys(options, CLIENT_OPTIONS, "client");
  refuseBrowser(options.dangerouslyAllowBrowser);
  return {
    apiKey: resolveApiKey(options.apiKey),
    baseUrl: secureUrl(options.baseUrl ?? DEFAULT_BASE_URL, "baseUrl"),
    dashboardUrl: secureUrl(options.dashboardUrl ?? DEFAULT_DASHBOARD_URL, "dashboardUrl"),
    timeoutMs: positiveOption(options.timeoutMs, "timeoutMs", DEFAULT_TIMEOUT_MS),
    maxRetries: integerOption(options.maxRetries, "maxRetries", 0, DEFAULT_MAX_RETRIES),
    maxConcurrency: integerOption(
      options.maxConcurrency,
      "maxConcurrency",
      1,
      DEFAULT_MAX_CONCURRENCY,
    ),
    maxResponseBytes: integerOption(
      options.maxResponseBytes,
      "maxResponseBytes",
      1,
      DEFAULT_MAX_RESPONSE_BYTES,
    ),
    validation: oneOf(options.validateResponses, "validateResponses", VALIDATION_MODES, "off"),
    validators: validatorsOption(options.validators),
    logger: loggerOption(options.logger) ?? console,
    logLevel: oneOf(options.logLevel, "logLevel", LOG_LEVELS, "warn"),
    userAgent: resolveUserAgent(options.userAgent),
    fetch: functionOption(options.fetch, "fetch"),
    sleep: functionOption(options.sleep, "sleep"),
    random: functionOption(options.random, "random"),
    now: functionOption(options.now, "now"),
  };
}

/** Checks one call's options against the client's defaults. */
export function resolveCallOptions(
  value: RequestOptions | undefined,
  client: ClientSettings,
): CallSettings {
  const options = optionsObject(value, "request");
  rejectUnknownKeys(options, REQUEST_OPTIONS, "request");
  return {
    signal: signalOption(options.signal),
    timeoutMs: positiveOption(options.timeoutMs, "timeoutMs", client.timeoutMs),
    maxRetries: integerOption(options.maxRetries, "maxRetries", 0, client.maxRetries),
    maxResponseBytes: integerOption(
      options.maxResponseBytes,
      "maxResponseBytes",
      1,
      client.maxResponseBytes,
    ),
  };
}
