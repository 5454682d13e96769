/**
 * The redirect policy. The client fetches with `redirect: "manual"` and decides itself: the
 * API key never leaves the origin (scheme, host and port) of `baseUrl`, so a redirect is followed
 * only to that origin, at most {@link MAX_REDIRECTS} times per attempt, and only when it keeps
 * the request as it is: 307 and 308 always (method and body kept), 301, 302 and 303 for a GET
 * or HEAD only (a POST would become a GET, which no Nectar operation means).
 */
import { MAX_REDIRECTS } from "./constants.js";

/** The statuses fetch treats as redirects. Others (300, 304…) are answers like any non-2xx. */
const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** What to do with a response: keep it, follow it to `url`, or refuse it. */
export type RedirectDecision =
  | { action: "answer" }
  | { action: "follow"; url: string }
  | { action: "refuse"; origin: string | undefined; reason: string };

/** The origin of a URL, only for http(s): `scheme://host:port`, never credentials, path or query. */
function originOf(url: URL | undefined): string | undefined {
  return url && (url.protocol === "https:" || url.protocol === "http:") ? url.origin : undefined;
}

/**
 * Decides on `response` to a `method` request to `from`, after `hops` redirects already
 * followed in this attempt, for a client whose key belongs to `origin`.
 */
export function decideRedirect(
  response: Response,
  method: string,
  from: string,
  origin: string,
  hops: number,
): RedirectDecision {
  if (!REDIRECTS.has(response.status)) return { action: "answer" };
  const location = response.headers.get("location");
  if (location === null) return { action: "answer" }; // as fetch does: the 3xx is the answer
  let target: URL | undefined;
  try {
    target = new URL(location, from);
  } catch {
    target = undefined;
  }
  const targetOrigin = originOf(target);
  if (target === undefined || targetOrigin !== origin) {
    return { action: "refuse", origin: targetOrigin, reason: "another origin than baseUrl's" };
  }
  if (hops >= MAX_REDIRECTS) {
    return {
      action: "refuse",
      origin: targetOrigin,
      reason: `more than ${MAX_REDIRECTS} redirects`,
    };
  }
  const keepsMethod = response.status === 307 || response.status === 308;
  if (!keepsMethod && method !== "GET" && method !== "HEAD") {
    return { action: "refuse", origin: targetOrigin, reason: `a ${method} would become a GET` };
  }
  return { action: "follow", url: target.href };
}
