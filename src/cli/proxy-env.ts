/**
 * The proxy variables `doctor` lists: those present in the environment, each URL's credentials
 * redacted: what a support ticket needs to know, never a password. Whether the requests go
 * through them is `proxyFor`'s decision (`core/proxy-env.ts`), the one the client makes.
 */

/** The variables Node's ecosystem reads for proxies, in both cases, in the order shown. */
const PROXY_VARIABLES = [
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "ALL_PROXY",
  "all_proxy",
  "NO_PROXY",
  "no_proxy",
] as const;

/** One proxy setting: where it came from and its value, credentials redacted. */
export interface ProxySetting {
  readonly name: string;
  readonly value: string;
}

/** What replaces a URL's user name and password. */
export const REDACTED = "[redacted]";

/**
 * `value` with any credentials taken out: a URL's user and password become `[redacted]`, its
 * query string is dropped (it may carry a token); text that is not a URL is not shown at all.
 * `NO_PROXY`'s host list is shown as it is.
 */
function redactedValue(name: string, value: string): string {
  if (name.toUpperCase() === "NO_PROXY") return value;
  let url: URL;
  try {
    url = new URL(value.includes("://") ? value : `http://${value}`);
  } catch {
    return "(set, but not a URL: not shown)";
  }
  const credentials = url.username !== "" || url.password !== "" ? `${REDACTED}@` : "";
  const port = url.port === "" ? "" : `:${url.port}`;
  return `${url.protocol}//${credentials}${url.hostname}${port}${url.pathname === "/" ? "" : url.pathname}`;
}

/** The proxy variables set (non-empty) in `env`, credentials redacted. */
export function proxySettingsOf(env: Readonly<Record<string, string | undefined>>): ProxySetting[] {
  return PROXY_VARIABLES.flatMap((name) => {
    const value = env[name];
    return value === undefined || value === "" ? [] : [{ name, value: redactedValue(name, value) }];
  });
}
