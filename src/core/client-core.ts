/**
 * The client's core: the one `request(operation, input, options)` every resource method calls,
 * built from checked settings by wiring transport, openapi-fetch, retry, concurrency and errors.
 * It imports no resource: `../client.ts` wires the resources on top of it.
 */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../../generated/schema.js";
import { createAbortWatch } from "./abort.js";
import { channelsSink } from "./channels.js";
import { ConcurrencyLimiter } from "./concurrency.js";
import { VERSION } from "./constants.js";
import { type Echo, echoMismatch } from "./echo.js";
import {
  apiErrorFor,
  NectarApiError,
  NectarError,
  NectarInvalidResponseError,
  NectarResponseValidationError,
  requestIdOf,
} from "./errors.js";
import { hooksSink } from "./hooks.js";
import { isUuid, requireUuid } from "./input.js";
import { createLog, type Log } from "./logger.js";
import {
  attemptEvent,
  type CallEvent,
  callEvent,
  createObserver,
  type Ending,
  endEvent,
  type Observer,
  type Sink,
} from "./observe.js";
import {
  type ClientSettings,
  type NectarClientOptions,
  type RequestOptions,
  resolveCallOptions,
  resolveClientOptions,
} from "./options.js";
import { otelSink } from "./otel.js";
import type { CallResult } from "./promise.js";
import { createProxyFetch } from "./proxy.js";
import { checkQuery, type QueryParameter, type QueryValues, queryString } from "./query.js";
import { createRedactor, type Redactor } from "./redact.js";
import { RetryBudget } from "./retry.js";
import { type CallState, createTransport, LightRequest } from "./transport.js";
import { type SchemaName, schemaViolations } from "./validation.js";

/**
 * One operation of the API as the client sends it. `T` is the type of its 2xx body; the
 * resources take their operations from the generated table (see `core/operation.ts`).
 */
export interface Operation<T> {
  /** The spec's operation id, for tracing and hooks. */
  readonly operationId?: string;
  readonly method: "GET" | "POST";
  /** The path template below the base URL, e.g. `/connection/{connection_id}`. */
  readonly path: string;
  /** The component schema of the 2xx body; absent when the body is not relied on. */
  readonly schema?: SchemaName | undefined;
  /** The query parameters, checked and serialized as the table says; none when absent. */
  readonly query?: readonly QueryParameter[];
  /**
   * `false` for a call whose retry could repeat what the server already did (a create): the
   * transport then retries only what cannot have been processed.
   */
  readonly idempotent: boolean;
  /** Carries `T` for the type checker; never set. */
  readonly body?: T;
}

/** What a resource passes for one call: path parameters (all UUIDs here), query values and a JSON body. */
export interface OperationInput {
  readonly path: Readonly<Record<string, unknown>>;
  /** Values of the operation's query parameters, by name; checked against its table entry. */
  readonly query?: QueryValues;
  readonly body?: unknown;
  /** The 2xx body's field that must name a path parameter (see `echo.ts`). */
  readonly echo?: Echo;
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
  /** The client's cap of requests in flight (`maxConcurrency`). */
  readonly maxConcurrency: number;
}

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

/**
 * The global `fetch`, looked up at each call rather than at creation: in Node 20, reading
 * `globalThis.fetch` loads undici (tens of ms), which a client that never sends should not pay.
 */
function globalFetch(input: string | Request, init?: RequestInit): Promise<Response> {
  return globalThis.fetch(input, init);
}

/** A thrown value's message, masked, for a log line. */
function messageOf(error: unknown, mask: (text: string) => string): string {
  return mask(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/**
 * The client's observer: the tracing channels (where the runtime has them), the hooks and
 * OpenTelemetry when configured. A hook's first failure is logged at warn, later ones at debug.
 */
function observerOf(settings: ClientSettings, log: Log, mask: (text: string) => string) {
  const sinks: Sink[] = [];
  const otel = settings.tracing?.openTelemetry;
  const traced = otel === undefined ? undefined : otelSink(otel, VERSION);
  if (traced) sinks.push(traced.sink);
  const channels = channelsSink();
  if (channels) sinks.push(channels);
  if (settings.hooks) {
    sinks.push(
      hooksSink(settings.hooks, (name, error, again) =>
        (again ? log.debug : log.warn)?.(
          `hook ${name} failed: ${messageOf(error, mask)}${again ? "" : " (logged once; later failures at debug)"}`,
        ),
      ),
    );
  }
  const observer = createObserver(sinks, (error) =>
    log.warn?.(`a tracing subscriber failed: ${messageOf(error, mask)}`),
  );
  return { observer, ready: traced?.ready };
}

/** The fetch of a client without a custom one: through its proxy (one agent, as many sockets as slots), else the global one. */
function fetchOf(settings: ClientSettings) {
  const { proxy, maxConcurrency } = settings;
  return proxy ? createProxyFetch(proxy, { connections: maxConcurrency }) : globalFetch;
}

/** The parts of a client: its core (for resources), `raw` (built on first use), and the base URL. */
export interface ClientParts {
  core: ClientCore;
  raw: () => Client<paths>;
  baseUrl: string;
}

/** What one client's calls share: its settings, transport, logger and redaction. */
interface CoreContext {
  readonly settings: ClientSettings;
  readonly transport: ReturnType<typeof createTransport>;
  /** openapi-fetch's client for the client's own (light) requests. */
  readonly internal: Client<paths>;
  readonly log: Log;
  readonly redactor: Redactor;
  readonly now: () => number;
  /** Receives the calls' events; `undefined` when nothing listens (no channels, hooks or tracing). */
  readonly observer: Observer | undefined;
  /** Settles when `@opentelemetry/api` is imported (`openTelemetry: true`); cleared once it has. */
  tracingReady: Promise<void> | undefined;
}

/** An observed call: its event, and its state once it started (validation passed). */
interface ObservedCall {
  readonly event: CallEvent;
  call: CallState | undefined;
}

/** The headers every request carries: the key, `accept`, and the User-Agent. */
function clientHeaders(settings: ClientSettings): Record<string, string> {
  const { apiKey, userAgent } = settings;
  return {
    "x-api-key": apiKey,
    accept: "application/json",
    "user-agent": `nectar-climate-connection/${VERSION}${userAgent ? ` ${userAgent}` : ""}`,
  };
}

/** A fresh call state. Built field by field (no spread): this runs on every call. */
function newCall(
  limits: Pick<CallState, "timeoutMs" | "maxRetries" | "maxResponseBytes">,
  idempotent: boolean,
): CallState {
  return {
    timeoutMs: limits.timeoutMs,
    maxRetries: limits.maxRetries,
    maxResponseBytes: limits.maxResponseBytes,
    idempotent,
    attempts: 0,
    response: undefined,
    text: "",
    truncated: false,
    event: undefined,
    attemptEvent: undefined,
  };
}

/**
 * openapi-fetch's client for the client's own calls: light requests. Each option below is
 * openapi-fetch's own, documented; each replaces general per-call work with what this API needs:
 * no query string, simple path parameters, no WHATWG Request.
 */
function createInternalClient(baseUrl: string): Client<paths> {
  return createClient<paths>({
    baseUrl,
    Request: LightRequest as unknown as typeof Request,
    querySerializer: () => "",
    pathSerializer: fillPath,
    // Never called (each call passes its own); given so that creation reads no global fetch.
    fetch: globalFetch,
  });
}

/** Checks each path parameter (every one of this API is a UUID) and fills the template. */
function pathOf(template: string, params: OperationInput["path"]) {
  const checked: Record<string, string> = {};
  for (const name in params) {
    const value = params[name];
    // The caller's name of the parameter is spelled out only for the error.
    checked[name] = isUuid(value) ? value.toLowerCase() : requireUuid(value, camelCase(name));
  }
  return { checked, path: fillPath(template, checked) };
}

/** The query string of a call (without `?`), checked against the operation's parameters; `""` when none. */
function queryOf(operation: Operation<unknown>, input: OperationInput): string {
  if (input.query === undefined) return "";
  const parameters = operation.query ?? [];
  return queryString(parameters, checkQuery(parameters, input.query));
}

/** What {@link acceptBody} needs to know of the call. */
interface AnsweredCall {
  readonly path: string;
  readonly params: Record<string, string>;
  readonly echo: Echo | undefined;
}

/** The 2xx body as the operation's type, or the error it deserves. */
async function acceptBody<T>(
  context: CoreContext,
  operation: Operation<T>,
  call: AnsweredCall,
  data: unknown,
  response: Response,
): Promise<T> {
  const { method, schema } = operation;
  const problem = () => problemAt(method, call.path, response);
  if (schema === undefined) return data as T;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    const reason = data === undefined ? "the body is empty" : "the body is not a JSON object";
    throw new NectarInvalidResponseError({ ...problem(), reason });
  }
  const reason = echoMismatch(data, call.echo, call.params);
  if (reason !== undefined) throw new NectarInvalidResponseError({ ...problem(), reason });
  const { validation, validators } = context.settings;
  if (validation !== "off") {
    const found = schemaViolations(schema, data, validators);
    const violations = Array.isArray(found) ? found : await found;
    if (violations.length > 0) {
      const failure = new NectarResponseValidationError({ ...problem(), violations });
      if (validation === "strict") throw failure;
      context.log.warn?.(failure.message, { violations });
    }
  }
  return data as T;
}

/** The error for a non-2xx answer, built from its text as read: key and secrets masked. */
function answerError(
  context: CoreContext,
  method: string,
  path: string,
  call: CallState,
  response: Response,
) {
  const { scrubHeaders, errorBody } = context.redactor;
  return apiErrorFor({
    ...problemAt(method, path, response),
    headers: scrubHeaders(response.headers),
    body: errorBody(call.text),
    bodyTruncated: call.truncated,
    attempts: call.attempts,
    now: context.now(),
    baseUrl: context.settings.baseUrl,
  });
}

/** The state of a call that passed its checks; its start is reported when it is observed. */
function startCall(
  context: CoreContext,
  limits: Pick<CallState, "timeoutMs" | "maxRetries" | "maxResponseBytes">,
  idempotent: boolean,
  observed: ObservedCall | undefined,
): CallState {
  const call = newCall(limits, idempotent);
  if (observed) {
    call.event = observed.event;
    observed.call = call;
    context.observer?.callStart(observed.event);
  }
  return call;
}

/** Sends one operation with the client's policies; resolves to its checked 2xx body. */
async function sendChecked<T>(
  context: CoreContext,
  operation: Operation<T>,
  input: OperationInput,
  requestOptions: RequestOptions | undefined,
  observed: ObservedCall | undefined,
): Promise<CallResult<T>> {
  const { method } = operation;
  const { checked, path } = pathOf(operation.path, input.path);
  const search = queryOf(operation, input);
  const limits = resolveCallOptions(requestOptions, context.settings);
  const { signal } = limits;
  const call = startCall(context, limits, operation.idempotent, observed);
  let result: { data?: unknown; response: Response };
  try {
    // One request through openapi-fetch, with this call's transport state. The operation
    // tables of the resources name paths and methods of the spec; openapi-fetch's types
    // cannot follow a path chosen at run time, hence the one widening here.
    result = await (context.internal.request as LooseRequest)(method, operation.path, {
      params: { path: checked },
      ...(input.body === undefined ? {} : { body: input.body }),
      // The client's serializer writes no query; an operation with one brings its own string.
      ...(search === "" ? {} : { querySerializer: () => search }),
      ...(signal ? { signal } : {}),
      fetch: (request: Request) => context.transport(request, call),
    });
  } catch (error) {
    if (error instanceof NectarError || call.response === undefined) throw error;
    // openapi-fetch could not parse a 2xx body: no failure when no schema relies on it.
    if (operation.schema === undefined) {
      return { data: undefined as T, response: call.response, attempts: call.attempts };
    }
    const reason = "the body is not valid JSON";
    throw new NectarInvalidResponseError({ ...problemAt(method, path, call.response), reason });
  }
  const { data, response } = result;
  if (!response.ok) throw answerError(context, method, path, call, response);
  const answered = { path, params: checked, echo: input.echo };
  const body = await acceptBody(context, operation, answered, data, response);
  return { data: body, response, attempts: call.attempts };
}

/** How an observed call ended, from its result or its error. */
function callEnding(outcome: { response: Response } | { error: unknown }): Ending {
  if ("response" in outcome) {
    const { status, headers } = outcome.response;
    return { status, requestId: requestIdOf(headers) };
  }
  const { error } = outcome;
  const failure = error instanceof Error ? error : new Error(String(error));
  const status = error instanceof NectarApiError ? error.status : undefined;
  const requestId = error instanceof NectarApiError ? error.requestId : undefined;
  return { error: failure, status, requestId };
}

/** Waits for `@opentelemetry/api` to be imported (`openTelemetry: true`), once. */
async function waitForTracing(context: CoreContext): Promise<void> {
  await context.tracingReady;
  context.tracingReady = undefined;
}

/** Sends a request of `client.raw`: as an operation, only once the api is imported. */
function sendRawRequest(context: CoreContext, request: Request): Promise<Response> {
  const send = () => context.transport(request, newCall(context.settings, true));
  return context.tracingReady ? waitForTracing(context).then(send) : send();
}

/** Sends one operation, its call reported to the client's observer (when it has one). */
async function sendOperation<T>(
  context: CoreContext,
  operation: Operation<T>,
  input: OperationInput,
  requestOptions: RequestOptions | undefined,
): Promise<CallResult<T>> {
  const { observer } = context;
  if (observer === undefined || !observer.active()) {
    return sendChecked(context, operation, input, requestOptions, undefined);
  }
  if (context.tracingReady) await waitForTracing(context);
  const { operationId = "unknown", method, path } = operation;
  const observed: ObservedCall = { event: callEvent(operationId, method, path), call: undefined };
  const end = (ending: Ending) => {
    const attempts = observed.call?.attempts ?? 0;
    if (observed.call) observer.callEnd(endEvent(attemptEvent(observed.event, attempts), ending));
  };
  try {
    const result = await sendChecked(context, operation, input, requestOptions, observed);
    end(callEnding(result));
    return result;
  } catch (error) {
    end(callEnding({ error }));
    throw error;
  }
}

/**
 * Builds a client's parts from checked settings: the transport (credentials, timeouts,
 * retries, the cap, redirects, the size limit), openapi-fetch's clients, and the core.
 */
function buildParts(settings: ClientSettings): ClientParts {
  const { baseUrl } = settings;
  // The key may reach no log line or message; masking is the last line of defence.
  const redactor = createRedactor(settings.apiKey);
  const log = createLog(settings.logger, settings.logLevel, redactor.mask, settings.logShape);
  const headers = clientHeaders(settings);
  const now = settings.now ?? Date.now;
  const watch = createAbortWatch();
  const { observer, ready } = observerOf(settings, log, redactor.mask);
  const transport = createTransport({
    baseUrl,
    fetch: settings.fetch ?? fetchOf(settings),
    headers,
    limiter: new ConcurrencyLimiter(settings.maxConcurrency, watch),
    budget: new RetryBudget(),
    log,
    sleep: settings.sleep ?? defaultSleep,
    random: settings.random ?? Math.random,
    now,
    mask: redactor.mask,
    scrubHeaders: redactor.scrubHeaders,
    watch,
    observer,
  });
  const context: CoreContext = {
    settings,
    transport,
    internal: createInternalClient(baseUrl),
    log,
    redactor,
    now,
    observer,
    tracingReady: ready,
  };
  // Built on first use: openapi-fetch reads the global `Request` at creation (undici in Node 20).
  // `raw` keeps real requests, for middleware authors.
  let raw: Client<paths> | undefined;
  const rawClient = (): Client<paths> =>
    (raw ??= createClient<paths>({
      baseUrl,
      headers,
      fetch: (request) => sendRawRequest(context, request),
    }));
  const core: ClientCore = {
    dashboardUrl: settings.dashboardUrl,
    maxConcurrency: settings.maxConcurrency,
    request: (operation, input, options) => sendOperation(context, operation, input, options),
  };
  return { core, raw: rawClient, baseUrl };
}

/**
 * Internal, for tests of operations no resource offers yet (e.g. a non-idempotent POST): checks
 * the options as {@link createNectarClient} does and returns the client's core. Not exported
 * from the package entry; its shape may change.
 * @internal
 */
export function createClientParts(options?: NectarClientOptions): ClientParts {
  return buildParts(resolveClientOptions(options));
}
