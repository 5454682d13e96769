/**
 * The proxy settings of an environment, read as undici's `EnvHttpProxyAgent` reads them (the
 * lower-case name first, an empty value meaning "none"), with `ALL_PROXY` as the fallback that
 * undici itself does not read. Pure: no undici, no `node:` import, so `describeProxy` costs a
 * caller (the CLI's `doctor`) nothing.
 */
import { NectarInvalidInputError } from "./errors.js";

/** An environment: `process.env` or any map of variable names to values. */
export type ProxyEnvironment = Readonly<Record<string, string | undefined>>;

/** The proxies an environment names; `""` where it names none. */
export interface EnvProxies {
  /** For `http:` targets: `http_proxy`, `HTTP_PROXY`, else `all_proxy`, `ALL_PROXY`. */
  readonly httpProxy: string;
  /** For `https:` targets: `https_proxy`, `HTTPS_PROXY`, else the `http:` one (as undici). */
  readonly httpsProxy: string;
  /** `no_proxy`, else `NO_PROXY`: hosts reached directly. */
  readonly noProxy: string;
  /** The variable each value came from, for messages (never the value). */
  readonly sources: { readonly http: string | undefined; readonly https: string | undefined };
}

/** The first variable of `names` that is set (even empty), as undici's `??` chain reads it. */
function firstSet(env: ProxyEnvironment, names: readonly string[]) {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** Reads the proxy variables of `env` (undici's order; `ALL_PROXY` when no `HTTP_PROXY`). */
export function proxiesFromEnv(env: ProxyEnvironment): EnvProxies {
  const http =
    firstSet(env, ["http_proxy", "HTTP_PROXY"]) ?? firstSet(env, ["all_proxy", "ALL_PROXY"]);
  const https = firstSet(env, ["https_proxy", "HTTPS_PROXY"]);
  const httpProxy = http?.value ?? "";
  const httpsProxy = https?.value || httpProxy;
  return {
    httpProxy,
    httpsProxy,
    noProxy: firstSet(env, ["no_proxy", "NO_PROXY"])?.value ?? "",
    sources: {
      http: httpProxy ? http?.name : undefined,
      https: https?.value ? https.name : httpProxy ? http?.name : undefined,
    },
  };
}

/**
 * A proxy URL, checked: absolute, `http:` or `https:`, no path, query or fragment. Its value is
 * never quoted (it may hold credentials).
 * @throws {NectarInvalidInputError} naming `source` when it is not such a URL.
 */
export function checkProxyUrl(value: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const plain = url && url.pathname === "/" && !url.search && !url.hash;
  if (!url || !plain || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new NectarInvalidInputError(
      `${source} must be an http:// or https:// proxy URL such as http://proxy.example:8080 (with no path or query); its value is not shown.`,
    );
  }
  return value;
}

/** A proxy URL with its password (and user name) replaced by `***`, for display. */
export function redactProxyUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.username) url.username = "***";
    if (url.password) url.password = "***";
    return `${url.protocol}//${credentialsOf(url)}${url.host}`;
  } catch {
    return "(not a URL)";
  }
}

/** `user:pass@` as the (already redacted) URL carries it, or nothing. */
function credentialsOf(url: URL): string {
  if (!url.username && !url.password) return "";
  return url.password ? `${url.username}:${url.password}@` : `${url.username}@`;
}

/** The default port of a scheme, as undici assumes it. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443 };

/** One `NO_PROXY` entry: a host (maybe `.suffix` or `*.suffix`) and a port (0: any). */
interface NoProxyEntry {
  readonly hostname: string;
  readonly port: number;
}

/** Splits `NO_PROXY` on commas and white space; `host:port` keeps its port (undici's parse). */
function parseNoProxy(value: string): NoProxyEntry[] {
  const entries: NoProxyEntry[] = [];
  for (const entry of value.split(/[,\s]/)) {
    if (!entry) continue;
    const parsed = entry.match(/^(.+):(\d+)$/);
    entries.push({
      hostname: (parsed?.[1] ?? entry).toLowerCase(),
      port: parsed?.[2] ? Number.parseInt(parsed[2], 10) : 0,
    });
  }
  return entries;
}

/** Does `NO_PROXY` let `hostname:port` through directly? undici's rule, entry by entry. */
function bypasses(noProxy: string, hostname: string, port: number): boolean {
  const entries = parseNoProxy(noProxy);
  if (entries.length === 0) return false;
  if (noProxy === "*") return true;
  return entries.some((entry) => {
    if (entry.port && entry.port !== port) return false;
    if (!/^[.*]/.test(entry.hostname)) return hostname === entry.hostname;
    return hostname.endsWith(entry.hostname.replace(/^\*/, ""));
  });
}

/**
 * The proxy a request to `target` goes through under `env`, or `undefined` when it goes
 * directly: the decision undici's `EnvHttpProxyAgent` makes (IPv6 hosts keep their brackets,
 * a missing port is the scheme's default, `NO_PROXY=*` bypasses everything). Loopback gets no
 * special case, as in undici: list it in `NO_PROXY` to reach it directly.
 */
export function proxyFor(target: string | URL, env: ProxyEnvironment): string | undefined {
  const url = new URL(target);
  const proxies = proxiesFromEnv(env);
  const proxy = url.protocol === "https:" ? proxies.httpsProxy : proxies.httpProxy;
  if (!proxy) return undefined;
  const hostname = url.host.replace(/:\d*$/, "").toLowerCase();
  const port = Number.parseInt(url.port, 10) || DEFAULT_PORTS[url.protocol] || 0;
  return bypasses(proxies.noProxy, hostname, port) ? undefined : proxy;
}

/**
 * The proxy settings in effect under `env`, one line each, credentials redacted: what the CLI
 * (`nectar-connection doctor`) prints. Lists where each came from and, for `target` (default
 * Nectar's API), whether requests to it go through the proxy.
 * @example
 * describeProxy(process.env);
 * // ["https: http://***:***@proxy.corp:3128 (from HTTPS_PROXY)", "http: none", "no proxy for: localhost (from NO_PROXY)", "https://external.nectarclimate.com/v2.2: through http://***:***@proxy.corp:3128"]
 */
export function describeProxy(
  env: ProxyEnvironment,
  target = "https://external.nectarclimate.com/v2.2",
): string[] {
  const proxies = proxiesFromEnv(env);
  const line = (scheme: string, value: string, source: string | undefined) =>
    value ? `${scheme}: ${redactProxyUrl(value)} (from ${source})` : `${scheme}: none`;
  const noProxySource = env.no_proxy !== undefined ? "no_proxy" : "NO_PROXY";
  const through = proxyFor(target, env);
  return [
    line("https", proxies.httpsProxy, proxies.sources.https),
    line("http", proxies.httpProxy, proxies.sources.http),
    proxies.noProxy
      ? `no proxy for: ${proxies.noProxy} (from ${noProxySource})`
      : "no proxy for: -",
    `${target}: ${through ? `through ${redactProxyUrl(through)}` : "direct"}`,
  ];
}
