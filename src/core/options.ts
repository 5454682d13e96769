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
import { HOOK_NAMES, type NectarHooks } from "./hooks.js";
import { isHeaderValue } from "./input.js";
import {
  LOG_LEVELS,
  LOG_SHAPES,
  type LogLevel,
  type LogShape,
  type NectarLogger,
} from "./logger.js";
import {
  aBoolean,
  aFunction,
  aSecureUrl,
  aSignal,
  aValidators,
  checkOptions,
  type OptionTable,
  oneOfValues,
  positiveNumber,
  wholeNumber,
} from "./option-table.js";
import { checkTracing, type TracingOptions } from "./otel.js";
import { checkProxyOption, type ProxyOption, type ProxyPlan, planProxy } from "./proxy.js";
import { type NectarValidators, VALIDATION_MODES, type ValidationMode } from "./validation.js";

/** Options of {@link createNectarClient}. Only `apiKey` is required. */
export interface NectarClientOptions {
  /** Your organization's API key (Sandbox or Production). Default, also when `undefined` (e.g. an unset `process.env` entry): `NECTAR_API_KEY` from the environment. */
  apiKey?: string | undefined;
  /** Default (also when `undefined`) `https://external.nectarclimate.com/v2.2`. Must be https unless the host is loopback. */
  baseUrl?: string | undefined;
  /** The `fetch` to use; default the global one. Inject one to test. Not together with `proxy`. */
  fetch?: ((input: string | Request, init?: RequestInit) => Promise<Response>) | undefined;
  /**
   * Send through a proxy: `"env"` reads `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`
   * (lower-case forms first, as undici and curl read them); a URL such as
   * `http://user:pass@proxy.corp:3128` sends everything through that proxy. Default `false`
   * (off): an existing app keeps its behaviour, and the client stays free of Node-only code in
   * workerd, Deno, Bun and browsers. Needs the optional dependency `undici`, loaded only on the
   * first request through a proxy. The CLI turns `"env"` on by itself.
   */
  proxy?: ProxyOption | undefined;
  /** Per attempt, covering headers and body; default 30 000 ms. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt; default 2. */
  maxRetries?: number | undefined;
  /** Requests in flight at once; default 10, Nectar's documented ceiling. Others wait in a queue. */
  maxConcurrency?: number | undefined;
  /**
   * The most decoded bytes a 2xx body may have; default 10 MiB. A larger one is refused with
   * `NectarResponseTooLargeError` as soon as it is known (Content-Length) or counted.
   */
  maxResponseBytes?: number | undefined;
  /** Check responses against the spec: `off` (default), `warn` (log) or `strict` (throw). */
  validateResponses?: ValidationMode | undefined;
  /**
   * The compiled validators for `validateResponses`: `import * as validators from
   * "nectar-climate-connection/validators"`. Needed in a bundled app (the client cannot load them
   * on its own there); Node, Deno and Bun load them on first use without it. Ignored when
   * validation is off, so an app that never validates never ships them.
   */
  validators?: NectarValidators | undefined;
  /** Where log lines go; default `console`. pino and winston loggers work as they are. */
  logger?: NectarLogger | undefined;
  /**
   * How `logger` takes a line and its fields: `message-first` (console, winston) or
   * `object-first` (pino, bunyan). Default: detected (`object-first` for a pino logger).
   */
  logShape?: LogShape | undefined;
  /**
   * Default `warn`, or `NECTAR_LOG` from the environment: retries are logged at `info`, headers
   * (redacted) at `debug`.
   */
  logLevel?: LogLevel | undefined;
  /**
   * Functions called as each call runs, with frozen events (operation, method, path template,
   * attempt, status, request id, retry delay; never the key or a body). Never awaited: a hook
   * that is slow, hangs or throws cannot delay or fail a call; its first failure is logged at
   * `warn`.
   */
  hooks?: NectarHooks | undefined;
  /**
   * OpenTelemetry spans: `{ openTelemetry: otel }` with `import * as otel from
   * "@opentelemetry/api"` (or `true` to have it imported on the first call). Default off. The
   * `diagnostics_channel` tracing channels (`nectar:call`, `nectar:attempt`, `nectar:queue`) need
   * no option: they publish whenever someone subscribes.
   */
  tracing?: TracingOptions | undefined;
  /** Nectar's dashboard, for update links; default `https://dash.nectarclimate.com`. */
  dashboardUrl?: string | undefined;
  /** Appended to the package's own User-Agent, e.g. `my-platform/1.4`. */
  userAgent?: string | undefined;
  /** Waits between retries; inject a fake to test without waiting. Must reject when `signal` aborts. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  /** A number in [0, 1) for the backoff jitter; default `Math.random`. */
  random?: (() => number) | undefined;
  /** The current time in ms, for `Retry-After` dates; default `Date.now`. */
  now?: (() => number) | undefined;
  /**
   * Let the client run in a browser-like environment (a `window` with a `document`). Off by
   * default: the API key is a server secret, and any visitor of a page can read it. Turn it on
   * only when the key in the page is meant to be seen (e.g. a proxy that holds the real key).
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/** Per-call options of every method. */
export interface RequestOptions {
  /** Aborts the call: while queued, in flight, or between retries. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number | undefined;
  /** Overrides the client's retry count for this call. */
  maxRetries?: number | undefined;
  /** Overrides the client's `maxResponseBytes` for this call. */
  maxResponseBytes?: number | undefined;
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
  logShape: LogShape | undefined;
  logLevel: LogLevel;
  hooks: NectarHooks | undefined;
  tracing: TracingOptions | undefined;
  userAgent: string | undefined;
  fetch: NectarClientOptions["fetch"];
  /** The proxy requests go through; `undefined` for none. */
  proxy: ProxyPlan | undefined;
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

/** The checks of `createNectarClient`'s options: the one declaration its type is held to. */
export const CLIENT_OPTION_TABLE: OptionTable<NectarClientOptions> = {
  // Only its type here: the browser refusal comes before any word about the key itself.
  apiKey: (value) => (typeof value === "string" ? value : requireApiKey(value)),
  baseUrl: aSecureUrl,
  fetch: aFunction(),
  proxy: checkProxyOption,
  timeoutMs: positiveNumber(),
  maxRetries: wholeNumber(0),
  maxConcurrency: wholeNumber(1),
  maxResponseBytes: wholeNumber(1),
  validateResponses: oneOfValues(VALIDATION_MODES),
  validators: aValidators,
  logger: (value) => requireLogger(value),
  logShape: oneOfValues(LOG_SHAPES),
  logLevel: oneOfValues(LOG_LEVELS),
  hooks: (value, name) => requireHooks(value, name),
  tracing: checkTracing,
  dashboardUrl: aSecureUrl,
  userAgent: (value) => requireUserAgent(value),
  sleep: aFunction(),
  random: aFunction(),
  now: aFunction(),
  dangerouslyAllowBrowser: aBoolean,
};

/** The checks of the per-call options every method takes. */
export const REQUEST_OPTION_TABLE: OptionTable<RequestOptions> = {
  signal: aSignal,
  timeoutMs: positiveNumber(),
  maxRetries: wholeNumber(0),
  maxResponseBytes: wholeNumber(1),
};

/** An API key: present, and a string an HTTP header can carry; never quoted in a message. */
function requireApiKey(key: unknown): string {
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

/** The API key given, else `NECTAR_API_KEY` from the environment; checked either way. */
function resolveApiKey(given: string | undefined): string {
  const fromEnvironment = typeof process !== "undefined" ? process.env?.NECTAR_API_KEY : undefined;
  return requireApiKey(given ?? fromEnvironment);
}

/** The appended User-Agent: empty (nothing appended) or a valid header value. */
function requireUserAgent(value: unknown): string {
  if (value === "" || isHeaderValue(value)) return value;
  throw new NectarInvalidInputError(
    "userAgent must be a single-line string an HTTP header can carry: visible ASCII or Latin-1 " +
      "characters, no control characters, no surrounding spaces (its value is not shown).",
  );
}

/** An object of hooks, each a function or `undefined`; no other key. */
function requireHooks(value: unknown, name: string): NectarHooks {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const known = (key: string) => (HOOK_NAMES as readonly string[]).includes(key);
    if (
      entries.every(
        ([key, hook]) => known(key) && (hook === undefined || typeof hook === "function"),
      )
    ) {
      return value as NectarHooks;
    }
  }
  throw new NectarInvalidInputError(
    `${name} must be an object whose keys are ${HOOK_NAMES.join(", ")}, each a function.`,
  );
}

/** A logger with the four methods. */
function requireLogger(value: unknown): NectarLogger {
  const methods = ["error", "warn", "info", "debug"] as const;
  if (
    typeof value === "object" &&
    value !== null &&
    methods.every((name) => typeof (value as Partial<Record<string, unknown>>)[name] === "function")
  ) {
    return value as NectarLogger;
  }
  throw new NectarInvalidInputError(
    "logger must be an object with error, warn, info and debug methods.",
  );
}

/**
 * True in a browser-like environment: a `window` with a `document`, and a `navigator` (as
 * Stainless's SDKs check). A global `navigator` alone (Node 21+, Deno, Bun) is not a browser.
 */
function inBrowser(): boolean {
  return (
    typeof window !== "undefined" &&
    typeof window.document !== "undefined" &&
    typeof navigator !== "undefined"
  );
}

/** Refuses to run in a browser unless the caller opted in: the key would be readable by anyone. */
function refuseBrowser(allow: boolean | undefined): void {
  if (allow !== true && inBrowser()) {
    throw new NectarInvalidInputError(
      "createNectarClient refuses to run in a browser-like environment: the Nectar API key is a server secret, and anyone who loads the page could read it. Call the API from your server instead, or pass dangerouslyAllowBrowser: true if the key in the page is meant to be seen.",
    );
  }
}

/** The environment, where there is one (Node, Deno, Bun); empty elsewhere. */
function environment(names: readonly string[]): Readonly<Record<string, string | undefined>> {
  const env: Record<string, string | undefined> = {};
  if (typeof process === "undefined" || !process.env) return env;
  for (const name of names) {
    try {
      env[name] = process.env[name];
    } catch {
      // Deno throws on a variable it was not allowed to read (--allow-env): read as unset.
    }
  }
  return env;
}

/** The variables `proxy: "env"` reads. */
const PROXY_VARIABLES = [
  "http_proxy",
  "HTTP_PROXY",
  "https_proxy",
  "HTTPS_PROXY",
  "all_proxy",
  "ALL_PROXY",
  "no_proxy",
  "NO_PROXY",
];

/**
 * `NECTAR_LOG` from the environment (a log level), else `warn`.
 * @throws {NectarInvalidInputError} when it is set to something else than a level.
 */
function logLevelFromEnv(): LogLevel {
  const value = environment(["NECTAR_LOG"]).NECTAR_LOG;
  if (value === undefined || value === "") return "warn";
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new NectarInvalidInputError(`NECTAR_LOG must be one of ${LOG_LEVELS.join(", ")}.`);
}

/** The proxy plan; a custom `fetch` and a proxy together are refused (the proxy would be ignored). */
function proxyPlanOf(option: ProxyOption | undefined, customFetch: boolean): ProxyPlan | undefined {
  if (customFetch && option !== undefined && option !== false) {
    throw new NectarInvalidInputError(
      "proxy and fetch cannot be used together: a custom fetch sends its own way. Configure the proxy in your fetch, or drop it.",
    );
  }
  return planProxy(option, option === "env" ? environment(PROXY_VARIABLES) : {});
}

/** Checks the options of `createNectarClient` and fills in the defaults. */
export function resolveClientOptions(value: NectarClientOptions | undefined): ClientSettings {
  const options = checkOptions(value, CLIENT_OPTION_TABLE, "client");
  refuseBrowser(options.dangerouslyAllowBrowser);
  return {
    apiKey: resolveApiKey(options.apiKey),
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    dashboardUrl: options.dashboardUrl ?? DEFAULT_DASHBOARD_URL,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    maxConcurrency: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    validation: options.validateResponses ?? "off",
    validators: options.validators,
    logger: options.logger ?? console,
    logShape: options.logShape,
    logLevel: options.logLevel ?? logLevelFromEnv(),
    hooks: options.hooks,
    tracing: options.tracing,
    userAgent: options.userAgent || undefined,
    fetch: options.fetch,
    proxy: proxyPlanOf(options.proxy, options.fetch !== undefined),
    sleep: options.sleep,
    random: options.random,
    now: options.now,
  };
}

/**
 * Checks one call's options against the client's defaults. Runs on every call: no options (the
 * common case) costs one comparison.
 */
export function resolveCallOptions(
  value: RequestOptions | undefined,
  client: ClientSettings,
): CallSettings {
  if (value === undefined) {
    const { timeoutMs, maxRetries, maxResponseBytes } = client;
    return { signal: undefined, timeoutMs, maxRetries, maxResponseBytes };
  }
  const options = checkOptions(value, REQUEST_OPTION_TABLE, "request");
  return {
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? client.timeoutMs,
    maxRetries: options.maxRetries ?? client.maxRetries,
    maxResponseBytes: options.maxResponseBytes ?? client.maxResponseBytes,
  };
}
