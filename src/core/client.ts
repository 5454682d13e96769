/**
 * `createNectarClient`: options, defaults and the wiring of transport, openapi-fetch and the
 * resources. The behaviour lives in the modules it wires: transport, retry, concurrency, errors.
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/schema.js";
import { ConnectionsResource } from "../resources/connections.js";
import { createAbortWatch } from "./abort.js";
import { ConcurrencyLimiter } from "./concurrency.js";
import {
  DEFAULT_BASE_URL,
  DEFAULT_DASHBOARD_URL,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  VERSION,
} from "./constants.js";
import {
  apiErrorFor,
  NectarError,
  NectarInvalidInputError,
  NectarInvalidResponseError,
  NectarResponseValidationError,
} from "./errors.js";
import {
  integerOption,
  oneOf,
  positiveOption,
  rejectUnknownKeys,
  requireUuid,
  secureUrl,
} from "./input.js";
import { createLog, LOG_LEVELS, type LogLevel, type NectarLogger } from "./logger.js";
import type { CallResult } from "./promise.js";
import { createRedactor } from "./redact.js";
import { RetryBudget } from "./retry.js";
import { type CallState, createTransport, LightRequest } from "./transport.js";
import {
  type SchemaName,
  schemaViolations,
  VALIDATION_MODES,
  type ValidationMode,
} from "./validation.js";

/** Options of {@link createNectarClient}. Only `apiKey` is required. */
export interface NectarClientOptions {
  /** Your organization's API key (Sandbox or Production). Default: `NECTAR_API_KEY` from the environment. */
  apiKey?: string;
  /** Default `https://external.nectarclimate.com/v2.2`. Must be https unless the host is loopback. */
  baseUrl?: string;
  /** The `fetch` to use; default the global one. Inject one to test or to add a proxy. */
  fetch?: (input: string | Request, init?: RequestInit) => Promise<Response>;
  /** Per attempt, covering headers and body; default 30 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 2. */
  maxRetries?: number;
  /** Requests in flight at once; default 10, Nectar's documented ceiling. Others wait in a queue. */
  maxConcurrency?: number;
  /** Check responses against the spec: `off` (default), `warn` (log) or `strict` (throw). */
  validateResponses?: ValidationMode;
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
}

/** A Nectar client. Create one per API key and share it: the concurrency cap and retry budget are per client. */
export interface NectarClient {
  /** Utility account connections. */
  readonly connections: ConnectionsResource;
  /**
   * The underlying openapi-fetch client, with credentials, timeouts, retries, the concurrency
   * cap and logging installed. It returns `{ data, error, response }` and does not throw on
   * 4xx/5xx: branch on `response.ok`. Bodies are read by the transport (so that the timeout
   * covers them), so `parseAs: "stream"` is not supported.
   */
  readonly raw: Client<paths>;
  /** The base URL in use. */
  readonly baseUrl: string;
}

/**
 * One operation of the API as the client sends it. `T` is the type of its 2xx body; the
 * resources declare their operations (see `resources/connections.ts`).
 */
export interface Operation<T> {
  readonly method: "GET" | "POST";
  /** The path template below the base URL, e.g. `/connection/{connection_id}`. */
  readonly path: string;
  /** The component schema of the 2xx body; `undefined` when the body is not relied on. */
  readonly schema: SchemaName | undefined;
  /**
   * `false` for a call whose retry could repeat what the server already did (a create): the
   * transport then retries only what cannot have been processed.
   */
  readonly idempotent: boolean;
  /** Carries `T` for the type checker; never set. */
  readonly body?: T;
}

/** What a resource passes for one call: path parameters (all UUIDs here) and a JSON body. */
export interface OperationInput {
  readonly path: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

/** The calls the resources make on the client. */
export interface ClientCore {
  /** Sends `operation` with the client's policies; resolves to its checked 2xx body. */
  request<T>(
    operation: Operation<T>,
    input: OperationInput,
    options: RequestOptions | undefined,
  ): Promise<CallResult<T>>;
  readonly dashboardUrl: string;
}

const CLIENT_OPTIONS: ReadonlySet<string> = new Set([
  "apiKey",
  "baseUrl",
  "fetch",
  "timeoutMs",
  "maxRetries",
  "maxConcurrency",
  "validateResponses",
  "logger",
  "logLevel",
  "dashboardUrl",
  "userAgent",
  "sleep",
  "random",
  "now",
  "dangerouslyAllowBrowser",
]);

const REQUEST_OPTIONS: ReadonlySet<string> = new Set(["signal", "timeoutMs", "maxRetries"]);

/** `connection_id` → `connectionId`: the name a caller knows a path parameter by. */
function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** openapi-fetch's `request`, widened to a method and path chosen at run time. */
type LooseRequest = (
  method: string,
  path: string,
  init: Record<string, unknown>,
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** Puts simple path parameters into a path template: `/connection/{connection_id}` → `/connection/3c90…`. */
function fillPath(template: string, params: Record<string, unknown> | undefined): string {
  let path = template;
  for (const name in params)
    path = path.replace(`{${name}}`, encodeURIComponent(String(params[name])));
  return path;
}

/** What an error about a response needs to know of it. */
function problemAt(method: string, path: string, response: Response) {
  return { method, path, status: response.status, headers: response.headers };
}

/** Waits `ms`, or rejects as soon as `signal` aborts; leaves no timer behind either way. */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
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
  if (typeof key !== "string" || /[\r\n\0]/.test(key) || key.trim() !== key) {
    throw new NectarInvalidInputError(
      "apiKey must be a single-line string without surrounding spaces (its value is not shown).",
    );
  }
  return key;
}

/** Checks a user-supplied function option. */
function functionOption<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== "function") {
    throw new NectarInvalidInputError(`${name} must be a function.`);
  }
  return value;
}

/**
 * Creates a client for Nectar Climate's API.
 * @throws {NectarInvalidInputError} on a missing API key, a non-https base URL or a bad option,
 * and in a browser unless `dangerouslyAllowBrowser` is `true`.
 * @example
 * import { createNectarClient, connectionHealth } from "nectar-climate-connection";
 *
 * const nectar = createNectarClient({ apiKey: process.env.NECTAR_API_KEY });
 * const connection = await nectar.connections.retrieve("3c90c3cc-0d44-4b50-8888-8dd25736052a");
 * console.log(connection.status, connectionHealth(connection).summary);
 */
export function createNectarClient(options: NectarClientOptions = {}): NectarClient {
  rejectUnknownKeys(options, CLIENT_OPTIONS, "client");
  refuseBrowser(options.dangerouslyAllowBrowser);
  const apiKey = resolveApiKey(options.apiKey);
  const baseUrl = secureUrl(options.baseUrl ?? DEFAULT_BASE_URL, "baseUrl");
  const dashboardUrl = secureUrl(options.dashboardUrl ?? DEFAULT_DASHBOARD_URL, "dashboardUrl");
  const timeoutMs = positiveOption(options.timeoutMs, "timeoutMs", DEFAULT_TIMEOUT_MS);
  const maxRetries = integerOption(options.maxRetries, "maxRetries", 0, DEFAULT_MAX_RETRIES);
  const maxConcurrency = integerOption(
    options.maxConcurrency,
    "maxConcurrency",
    1,
    DEFAULT_MAX_CONCURRENCY,
  );
  const validation = oneOf(options.validateResponses, "validateResponses", VALIDATION_MODES, "off");
  const logLevel = oneOf(options.logLevel, "logLevel", LOG_LEVELS, "warn");
  const fetchImpl = functionOption(options.fetch, "fetch") ?? globalThis.fetch.bind(globalThis);
  const userAgent = options.userAgent;
  if (userAgent !== undefined && (typeof userAgent !== "string" || /[\r\n\0]/.test(userAgent))) {
    throw new NectarInvalidInputError("userAgent must be a single-line string.");
  }

  // The key may reach no log line or message; masking is the last line of defence.
  const { mask, scrub, scrubHeaders } = createRedactor(apiKey);
  const log = createLog(options.logger ?? console, logLevel, mask);
  const headers: Record<string, string> = {
    "x-api-key": apiKey,
    accept: "application/json",
    "user-agent": `nectar-climate-connection/${VERSION}${userAgent ? ` ${userAgent}` : ""}`,
  };
  const now = functionOption(options.now, "now") ?? Date.now;
  const watch = createAbortWatch();
  const transport = createTransport({
    baseUrl,
    fetch: fetchImpl,
    headers,
    limiter: new ConcurrencyLimiter(maxConcurrency, watch),
    budget: new RetryBudget(),
    log,
    sleep: functionOption(options.sleep, "sleep") ?? defaultSleep,
    random: functionOption(options.random, "random") ?? Math.random,
    now,
    mask,
    watch,
  });
  const newCall = (): CallState => ({
    timeoutMs,
    maxRetries,
    idempotent: true,
    attempts: 0,
    response: undefined,
  });

  // The client's own calls build light requests; `raw` keeps real ones for middleware authors.
  // Each option below is openapi-fetch's own, documented; each replaces general per-call work
  // with what this API needs: no query string, simple path parameters, no WHATWG Request.
  const internal = createClient<paths>({
    baseUrl,
    Request: LightRequest as unknown as typeof Request,
    querySerializer: () => "",
    pathSerializer: fillPath,
  });
  const raw = createClient<paths>({
    baseUrl,
    headers,
    fetch: (request) => transport(request, newCall()),
  });

  /** Checks each path parameter (every one of this API is a UUID) and fills the template. */
  const pathOf = (template: string, params: OperationInput["path"]) => {
    const checked: Record<string, string> = {};
    for (const [name, value] of Object.entries(params)) {
      checked[name] = requireUuid(value, camelCase(name));
    }
    return { checked, path: fillPath(template, checked) };
  };

  const core: ClientCore = {
    dashboardUrl,
    async request<T>(
      operation: Operation<T>,
      input: OperationInput,
      requestOptions: RequestOptions = {},
    ): Promise<CallResult<T>> {
      const { method, schema } = operation;
      const { checked, path } = pathOf(operation.path, input.path);
      rejectUnknownKeys(requestOptions, REQUEST_OPTIONS, "request");
      const call: CallState = {
        timeoutMs: positiveOption(requestOptions.timeoutMs, "timeoutMs", timeoutMs),
        maxRetries: integerOption(requestOptions.maxRetries, "maxRetries", 0, maxRetries),
        idempotent: operation.idempotent,
        attempts: 0,
        response: undefined,
      };
      let result: { data?: unknown; error?: unknown; response: Response };
      try {
        // One request through openapi-fetch, with this call's transport state. The operation
        // tables of the resources name paths and methods of the spec; openapi-fetch's types
        // cannot follow a path chosen at run time, hence the one widening here.
        result = await (internal.request as LooseRequest)(method, operation.path, {
          params: { path: checked },
          ...(input.body === undefined ? {} : { body: input.body }),
          ...(requestOptions.signal ? { signal: requestOptions.signal } : {}),
          fetch: (request: Request) => transport(request, call),
        });
      } catch (error) {
        if (error instanceof NectarError || call.response === undefined) throw error;
        // openapi-fetch could not parse a 2xx body.
        throw new NectarInvalidResponseError({
          ...problemAt(method, path, call.response),
          reason: "the body is not valid JSON",
        });
      }
      const { data, error, response } = result;
      if (!response.ok) {
        // A server or proxy that echoes the key must not put it into an error.
        throw apiErrorFor({
          ...problemAt(method, path, response),
          headers: scrubHeaders(response.headers),
          body: scrub(error ?? ""),
          attempts: call.attempts,
          now: now(),
        });
      }
      if (schema === undefined) return { data: data as T, response, attempts: call.attempts };
      if (typeof data !== "object" || data === null || Array.isArray(data)) {
        const reason = data === undefined ? "the body is empty" : "the body is not a JSON object";
        throw new NectarInvalidResponseError({ ...problemAt(method, path, response), reason });
      }
      if (validation !== "off") {
        const found = schemaViolations(schema, data);
        const violations = Array.isArray(found) ? found : await found;
        if (violations.length > 0) {
          const failure = new NectarResponseValidationError({
            ...problemAt(method, path, response),
            violations,
          });
          if (validation === "strict") throw failure;
          log.warn?.(failure.message, { violations });
        }
      }
      return { data: data as T, response, attempts: call.attempts };
    },
  };

  return { connections: new ConnectionsResource(core), raw, baseUrl };
}
