/**
 * An invitation's `token` is a credential for its public page, and `invitationUrl` embeds it.
 * The client hands both to its caller (they asked for them), but `console.log` and
 * `util.inspect` of a result show them masked, as for the magic-link secret.
 */
import type { Invitation } from "../../generated/schema.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** An absolute URL up to its last non-empty path segment (group 1), and that segment. */
const LAST_SEGMENT = /^([a-z][\w+.-]*:\/\/[^/?#]+\/(?:[^?#]*\/)?)[^/?#]+/i;

/** Tokens shorter than this are not searched for in the URL. */
const MIN_SEARCHED_TOKEN = 8;

/** What replaces the token when an invitation is inspected. */
export const MASKED_TOKEN = "[secret]";

/**
 * `url` with the token masked: every occurrence of it (as is and URL-encoded), and the last
 * path segment, which is where Nectar's `https://dash.nectarclimate.com/p/i/{token}` puts it.
 */
export function maskInvitationUrl(url: string, token: unknown): string {
  let masked = url;
  // A very short token would mangle the URL around it; the last segment is masked anyway.
  if (typeof token === "string" && token.length >= MIN_SEARCHED_TOKEN) {
    for (const form of new Set([token, encodeURIComponent(token)])) {
      masked = masked.split(form).join(MASKED_TOKEN);
    }
  }
  return masked.replace(LAST_SEGMENT, `$1${MASKED_TOKEN}`);
}

/**
 * Returns `invitation` itself, with a hidden (non-enumerable) inspect hook that shows `token`
 * and `invitationUrl` masked. `JSON.stringify`, property reads and spreads see the real values;
 * a spread copy loses the hook.
 */
export function hideInvitationToken<T extends Invitation>(invitation: T): T {
  if (typeof invitation !== "object" || invitation === null) return invitation;
  Object.defineProperty(invitation, INSPECT, {
    enumerable: false,
    configurable: true,
    value: () => ({
      ...invitation,
      token: MASKED_TOKEN,
      invitationUrl:
        typeof invitation.invitationUrl === "string"
          ? maskInvitationUrl(invitation.invitationUrl, invitation.token)
          : invitation.invitationUrl,
    }),
  });
  return invitation;
}
