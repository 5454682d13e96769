/**
 * Sending through a proxy: the `proxy` option checked, and a `fetch` that sends through undici's
 * `EnvHttpProxyAgent` (`proxy: "env"`) or `ProxyAgent` (a URL). undici is an optional
 * dependency, imported on the first request that needs it: a client without a proxy never loads
 * it, and this file has no static import of it or of any `node:` module (the entry stays
 * runtime-neutral). undici's own `fetch` is used with its agent, never the runtime's: a
 * dispatcher given to another undici major's fetch breaks every request (openai-node #1886).
 */
import { NectarInvalidInputError } from "./errors.js";
import { importAtRunTime, loadOptional, type ModuleLoader } from "./optional-module.js";
import { checkProxyUrl, type ProxyEnvironment, proxiesFromEnv } from "./proxy-env.js";

/**
 * The `proxy` option: `"env"` (the proxy variables of the environment), a proxy URL such as
 * `http://user:pass@proxy.corp:3128`, or `false` (none, the default).
 */
export type ProxyOption = "env" | (string & {}) | false;

/** Where a client's requests go, once the option is checked. */
export type ProxyPlan =
  | { readonly kind: "url"; readonly uri: string }
  | {
      readonly kind: "env";
      readonly httpProxy: string;
      readonly httpsProxy: string;
      readonly noProxy: string;
    };

/** The `fetch` shape the transport calls. */
type Fetch = (input: string | Request, init?: RequestInit) => Promise<Response>;

/** The part of undici's module this file uses. */
interface Undici {
  fetch(input: string | Request, init: Record<string, unknown>): Promise<Response>;
  EnvHttpProxyAgent: new (options: Record<string, unknown>) => object;
  ProxyAgent: new (options: Record<string, unknown>) => object;
}

/** The proxy refused the tunnel; `attempt.ts` turns it into a `NectarProxyError`. */
export class ProxyRefusal extends Error {
  /** The proxy's answer to `CONNECT`. */
  readonly status: number;
  /** `status` is the proxy's answer to `CONNECT`. */
  constructor(status: number) {
    super(`the proxy refused the tunnel with ${status}`);
    this.status = status;
  }
}

/** Checks the `proxy` option's type; a URL is checked for its form (its value never quoted). */
export function checkProxyOption(value: unknown, name: string): ProxyOption {
  if (value === false || value === "env") return value;
  if (typeof value === "string") return checkProxyUrl(value, name);
  throw new NectarInvalidInputError(`${name} must be "env", a proxy URL, or false.`);
}

/**
 * The plan for a client: `undefined` (the runtime's own fetch) when there is no proxy, also when
 * `"env"` finds no proxy variable set.
 * @throws {NectarInvalidInputError} naming the variable whose value is not a proxy URL.
 */
export function planProxy(
  option: ProxyOption | undefined,
  env: ProxyEnvironment,
): ProxyPlan | undefined {
  if (option === undefined || option === false) return undefined;
  if (option !== "env") return { kind: "url", uri: option };
  const found = proxiesFromEnv(env);
  // `httpsProxy` falls back to `httpProxy`: it is empty only when no variable names a proxy.
  if (!found.httpsProxy) return undefined;
  if (found.httpProxy) checkProxyUrl(found.httpProxy, found.sources.http ?? "HTTP_PROXY");
  checkProxyUrl(found.httpsProxy, found.sources.https ?? "HTTPS_PROXY");
  const { httpProxy, httpsProxy, noProxy } = found;
  return { kind: "env", httpProxy, httpsProxy, noProxy };
}

/** Loads undici (its module namespace, or a bundle's interop object). */
export type UndiciLoader = ModuleLoader;

/** Loads undici with `load`, or says how to get it. */
const loadUndici = (load: UndiciLoader): Promise<Undici> =>
  loadOptional<Undici>(
    load,
    (loaded) => typeof loaded.fetch === "function",
    "The proxy option needs the optional dependency undici, which could not be loaded: install it (npm install undici@6) or leave the proxy off.",
  );

/**
 * undici's status of a refused tunnel, found down the error's causes (the error and at most four
 * causes below it: a cycle of causes ends there); else `undefined`.
 */
function refusedStatus(error: unknown): number | undefined {
  let current = error;
  // undici wraps it: TypeError("fetch failed") → DOMException → RequestAbortedError.
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const found = /^Proxy response \((\d{3})\)|^Proxy Authentication Required \((407)\)/.exec(
      current.message,
    );
    const status = found?.[1] ?? found?.[2];
    if (status !== undefined) return Number(status);
    current = current.cause;
  }
  return undefined;
}

/** The agent of a plan, with `agentOptions` (e.g. `requestTls`) passed on to undici. */
function agentFor(undici: Undici, plan: ProxyPlan, agentOptions: Record<string, unknown>) {
  if (plan.kind === "url") return new undici.ProxyAgent({ ...agentOptions, uri: plan.uri });
  const { httpProxy, httpsProxy, noProxy } = plan;
  return new undici.EnvHttpProxyAgent({ ...agentOptions, httpProxy, httpsProxy, noProxy });
}

/**
 * Loads undici and makes the one agent every request of the client shares. `connections` caps
 * the agent's sockets (tunnels) per origin: the client's own cap already queues calls, and a
 * socket not yet back in the pool when the next call starts must not open another tunnel.
 */
async function connect(
  plan: ProxyPlan,
  agentOptions: Record<string, unknown>,
  load: UndiciLoader,
): Promise<Fetch> {
  const undici = await loadUndici(load);
  const dispatcher = agentFor(undici, plan, agentOptions);
  return (input, init) =>
    undici.fetch(input, { ...init, dispatcher }).catch((error: unknown) => {
      const status = refusedStatus(error);
      throw status === undefined ? error : new ProxyRefusal(status);
    });
}

/**
 * A `fetch` that sends through the plan's proxy. undici is loaded and the agent made on the
 * first request, once: every request of the client then shares the agent and its tunnels.
 * `agentOptions` go to undici's agent as they are (tests pass `requestTls: { ca }`); `load`
 * loads undici (default: the run-time import of `undici`). A request rejects with a
 * `NectarInvalidInputError` when undici cannot be loaded.
 */
export function createProxyFetch(
  plan: ProxyPlan,
  agentOptions: Record<string, unknown> = {},
  load: UndiciLoader = importAtRunTime("undici"),
): Fetch {
  let ready: Promise<Fetch> | undefined;
  return async (input, init) => {
    ready ??= connect(plan, agentOptions, load);
    const send = await ready;
    return send(input, init);
  };
}
