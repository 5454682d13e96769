/**
 * Creating a reconnect invitation from the command line, shared by `invite` and any command
 * that invites in bulk (e.g. `check --invite`): the options, their parsing into a request (usage
 * errors before anything is sent), the call, and the lines that describe the result.
 */
import type { CreateReconnectInvitationRequest, Invitation } from "../../generated/schema.js";
import type { NectarClient } from "../client.js";
import { isEmailAddress } from "../resources/invitation-input.js";
import { type OptionSpec, type OptionValues, stringOption } from "./args.js";
import { parseDuration } from "./duration.js";
import { usageError } from "./io.js";
import { text } from "./text.js";

/** The options that shape an invitation. */
export const INVITE_OPTIONS = {
  email: { type: "string", multiple: true },
  expires: { type: "string" },
  "max-uses": { type: "string" },
  "send-email": { type: "boolean" },
} as const satisfies Record<string, OptionSpec>;

/** The help lines of {@link INVITE_OPTIONS}. */
export const INVITE_OPTIONS_HELP = `  --email <address>  Only this address may use the invitation (repeat for several;
                     default: anyone with the link)
  --expires <time>   Expiry, e.g. 7d, 12h, 30m or 3600s (at least 60s; default: never;
                     a bare number is milliseconds)
  --max-uses <n>     How many times it can be used (default: no limit)
  --send-email       Have Nectar email the link to each --email address
`;

/**
 * `--expires`: a duration (`7d`, `12h`, `30m`, `3600s`; a bare number is milliseconds), to the
 * whole seconds Nectar takes, at least Nectar's minimum (60 s).
 * @throws a usage error (exit 2), e.g. for `3600`: "3.6 seconds; Nectar's minimum is 60s".
 */
export function parseExpires(value: string): number {
  return parseDuration(value, "expires") / 1_000;
}

/** The `--email` values, each checked; a bad one is named by its position, never quoted. */
function emails(values: OptionValues): string[] | undefined {
  const given = values.email;
  if (!Array.isArray(given)) return undefined;
  given.forEach((address, index) => {
    if (!isEmailAddress(address)) {
      throw usageError(`--email #${index + 1} is not an email address (not shown)`);
    }
  });
  return [...given];
}

/**
 * The request body from the invitation options, checked before anything is sent.
 * @throws a usage error (exit 2) on a bad value.
 */
export function inviteRequestFrom(values: OptionValues): CreateReconnectInvitationRequest {
  const request: CreateReconnectInvitationRequest = {};
  const allowedEmails = emails(values);
  if (allowedEmails !== undefined) request.allowedEmails = allowedEmails;
  const expires = stringOption(values, "expires");
  if (expires !== undefined) request.expiresInSeconds = parseExpires(expires);
  const maxUses = stringOption(values, "max-uses");
  if (maxUses !== undefined) {
    const uses = /^\d{1,9}$/.test(maxUses) ? Number(maxUses) : 0;
    if (uses < 1) throw usageError("--max-uses must be a whole number of at least 1");
    request.maxUses = uses;
  }
  if (values["send-email"] === true) {
    if (allowedEmails === undefined) throw usageError("--send-email needs at least one --email");
    request.sendEmail = true;
  }
  return request;
}

/** Creates the reconnect invitation of one connection (the one call `invite` makes). */
export function inviteFor(
  client: Pick<NectarClient, "invitations">,
  connectionId: string,
  request: CreateReconnectInvitationRequest,
): Promise<Invitation> {
  return client.invitations.createReconnect(connectionId, request);
}

/** Who may use an invitation, in words. */
export function whoMayUse(invitation: Pick<Invitation, "allowedEmails">): string {
  const { allowedEmails } = invitation;
  if (!Array.isArray(allowedEmails) || allowedEmails.length === 0) return "anyone with the link";
  return allowedEmails.map((address) => text(address)).join(", ");
}

/** How many uses are left, in words. */
export function usesOf(invitation: Pick<Invitation, "maxUses" | "useCount">): string {
  const used = typeof invitation.useCount === "number" ? invitation.useCount : 0;
  return typeof invitation.maxUses === "number"
    ? `${used} of ${invitation.maxUses}`
    : `${used} (no limit)`;
}

/** The lines under the URL on a terminal: when it expires, who may use it, and its id. */
export function invitationDetails(invitation: Invitation, emailed: boolean): string {
  const rows: [string, string][] = [
    ["Expires", text(invitation.expiresAt, "never")],
    ["For", whoMayUse(invitation)],
    ["Uses", usesOf(invitation)],
  ];
  if (emailed) rows.push(["Emailed", "Nectar sends the link to each address"]);
  rows.push(["Invitation", text(invitation.id, "(no id)")]);
  return rows.map(([label, value]) => `  ${`${label}:`.padEnd(12)}${value}\n`).join("");
}
