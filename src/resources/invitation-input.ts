/**
 * The options of `invitations.createReconnect`, checked before anything is sent: the request
 * body Nectar documents (four optional fields) and the per-call options. The spec leaves the body
 * open to other keys (Nectar does not say how it treats them), so refusing them is this module's
 * job. Messages name the field and never quote a string value: it may be an address or a secret.
 */
import type { CreateReconnectInvitationRequest } from "../../generated/schema.js";
import { isEmailAddress } from "../core/email.js";
import { NectarInvalidInputError } from "../core/errors.js";
import { optionsObject, rejectUnknownKeys } from "../core/input.js";
import type { RequestOptions } from "../core/options.js";

/** Is `value` an email address by the spec's `email` format? (Defined in `core/email.ts`.) */
export { isEmailAddress };

/** Options of `invitations.createReconnect`: the documented body fields and the per-call options. */
export interface CreateReconnectOptions extends CreateReconnectInvitationRequest, RequestOptions {}

/** The documented body fields: a `Record` over the generated type, so a spec change fails here. */
const BODY_FIELDS: Record<keyof CreateReconnectInvitationRequest, true> = {
  allowedEmails: true,
  expiresInSeconds: true,
  maxUses: true,
  sendEmail: true,
};

/** The per-call options, kept complete by the same kind of `Record`. */
const CALL_OPTIONS: Record<keyof RequestOptions, true> = {
  signal: true,
  timeoutMs: true,
  maxRetries: true,
  maxResponseBytes: true,
};

const KNOWN: ReadonlySet<string> = new Set([
  ...Object.keys(BODY_FIELDS),
  ...Object.keys(CALL_OPTIONS),
]);

/** The smallest `expiresInSeconds` Nectar accepts (its documented `x >= 60`). */
export const MIN_EXPIRES_IN_SECONDS = 60;

/** What a rejected value was, without quoting a string (numbers and booleans are shown). */
function kindOf(value: unknown): string {
  if (value === null || typeof value === "number" || typeof value === "boolean") {
    return String(value);
  }
  if (Array.isArray(value)) return "an array";
  return typeof value === "string" ? "a string (not shown)" : `a value of type ${typeof value}`;
}

/** A whole number of at least `min`, or an error naming the field. */
function wholeNumber(value: unknown, name: string, min: number, unit: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= min) return value;
  throw new NectarInvalidInputError(
    `${name} must be a whole number of ${unit}, at least ${min}, got ${kindOf(value)}.`,
  );
}

/** A list of email addresses, copied; each bad item is named by its index, never quoted. */
function emailList(value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new NectarInvalidInputError(
      `allowedEmails must be an array of email addresses, got ${kindOf(value)}.`,
    );
  }
  return value.map((item: unknown, index) => {
    if (isEmailAddress(item)) return item;
    const what = typeof item === "string" ? "is not an email address" : "must be a string";
    throw new NectarInvalidInputError(`allowedEmails[${index}] ${what} (its value is not shown).`);
  });
}

/** The request body from the caller's options, every field checked; absent fields stay absent. */
function bodyOf(
  options: Partial<Record<keyof CreateReconnectInvitationRequest, unknown>>,
): CreateReconnectInvitationRequest {
  const body: CreateReconnectInvitationRequest = {};
  if (options.allowedEmails !== undefined) body.allowedEmails = emailList(options.allowedEmails);
  if (options.expiresInSeconds !== undefined) {
    body.expiresInSeconds = wholeNumber(
      options.expiresInSeconds,
      "expiresInSeconds",
      MIN_EXPIRES_IN_SECONDS,
      "seconds",
    );
  }
  if (options.maxUses !== undefined) {
    body.maxUses = wholeNumber(options.maxUses, "maxUses", 1, "uses");
  }
  if (options.sendEmail !== undefined) {
    if (typeof options.sendEmail !== "boolean") {
      throw new NectarInvalidInputError(
        `sendEmail must be true or false, got ${kindOf(options.sendEmail)}.`,
      );
    }
    // Nectar emails "each address in allowedEmails": with none, nothing would be sent.
    if (options.sendEmail && (body.allowedEmails?.length ?? 0) === 0) {
      throw new NectarInvalidInputError(
        "sendEmail: true needs at least one address in allowedEmails: Nectar emails only those.",
      );
    }
    body.sendEmail = options.sendEmail;
  }
  return body;
}

/**
 * Splits and checks the options of `createReconnect`: the JSON body to send (`{}` when no field
 * is given) and the per-call options for the client.
 * @throws {NectarInvalidInputError} on an unknown key or a bad field, naming it.
 */
export function createReconnectInput(options: CreateReconnectOptions | undefined): {
  body: CreateReconnectInvitationRequest;
  request: RequestOptions;
} {
  const given = optionsObject(options, "createReconnect");
  rejectUnknownKeys(given, KNOWN, "createReconnect");
  const { allowedEmails, expiresInSeconds, maxUses, sendEmail, ...request } = given;
  return { body: bodyOf({ allowedEmails, expiresInSeconds, maxUses, sendEmail }), request };
}
