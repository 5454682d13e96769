/**
 * The options of `invitations.createReconnect`, checked before anything is sent: the request
 * body Nectar documents (four optional fields) and the per-call options. The spec leaves the body
 * open to other keys (Nectar does not say how it treats them), so refusing them is this module's
 * job. Messages name the field and never quote a string value: it may be an address or a secret.
 */
import type { CreateReconnectInvitationRequest } from "../../generated/schema.js";
import { isEmailAddress } from "../core/email.js";
import { NectarInvalidInputError } from "../core/errors.js";
import { checkOptions, eachElement, type OptionTable } from "../core/option-table.js";
import { REQUEST_OPTION_TABLE, type RequestOptions } from "../core/options.js";

/** Is `value` an email address by the spec's `email` format? (Defined in `core/email.ts`.) */
export { isEmailAddress };

/**
 * Options of `invitations.createReconnect`: the documented body fields (each also accepting
 * `undefined`: not sent), mapped from the generated request type, and the per-call options.
 */
export type CreateReconnectOptions = {
  [K in keyof CreateReconnectInvitationRequest]?: CreateReconnectInvitationRequest[K] | undefined;
} & RequestOptions;

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

/** A list of email addresses, copied; each bad item (a hole included) is named by its index, never quoted. */
function emailList(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) {
    throw new NectarInvalidInputError(
      `${name} must be an array of email addresses, got ${kindOf(value)}.`,
    );
  }
  return eachElement(value, name, (item, at) => {
    if (isEmailAddress(item)) return item;
    const what = typeof item === "string" ? "is not an email address" : "must be a string";
    throw new NectarInvalidInputError(`${at} ${what} (its value is not shown).`);
  });
}

/** `true` or `false`. */
function trueOrFalse(value: unknown, name: string): boolean {
  if (typeof value === "boolean") return value;
  throw new NectarInvalidInputError(`${name} must be true or false, got ${kindOf(value)}.`);
}

/**
 * The checks of `createReconnect`'s options: the body fields (typed against the generated
 * request, so a field the spec adds fails to compile here), then the per-call options.
 */
export const CREATE_RECONNECT_OPTION_TABLE: OptionTable<CreateReconnectOptions> = {
  allowedEmails: emailList,
  expiresInSeconds: (value, name) => wholeNumber(value, name, MIN_EXPIRES_IN_SECONDS, "seconds"),
  maxUses: (value, name) => wholeNumber(value, name, 1, "uses"),
  sendEmail: trueOrFalse,
  ...REQUEST_OPTION_TABLE,
};

/**
 * Splits and checks the options of `createReconnect`: the JSON body to send (`{}` when no field
 * is given; absent fields stay absent) and the per-call options for the client.
 * @throws {NectarInvalidInputError} on an unknown key or a bad field, naming it.
 */
export function createReconnectInput(options: CreateReconnectOptions | undefined): {
  body: CreateReconnectInvitationRequest;
  request: RequestOptions;
} {
  const checked = checkOptions(options, CREATE_RECONNECT_OPTION_TABLE, "createReconnect");
  const { allowedEmails, expiresInSeconds, maxUses, sendEmail, ...request } = checked;
  // Nectar emails "each address in allowedEmails": with none, nothing would be sent.
  if (sendEmail === true && (allowedEmails?.length ?? 0) === 0) {
    throw new NectarInvalidInputError(
      "sendEmail: true needs at least one address in allowedEmails: Nectar emails only those.",
    );
  }
  const body: CreateReconnectInvitationRequest = {};
  if (allowedEmails !== undefined) body.allowedEmails = allowedEmails;
  if (expiresInSeconds !== undefined) body.expiresInSeconds = expiresInSeconds;
  if (maxUses !== undefined) body.maxUses = maxUses;
  if (sendEmail !== undefined) body.sendEmail = sendEmail;
  return { body, request };
}
