/**
 * The checks of every option of `createNectarClient` and of every call, before anything is
 * built or sent: each bad value gets a {@link NectarInvalidInputError} that says what was wrong
 * and never quotes a credential.
 */

import type { NectarClientOptions, RequestOptions } from "./client.js";
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
