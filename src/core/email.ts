/**
 * The spec's `email` format, as the client checks it before sending: ajv-formats' "full" `email`
 * format, the check the spec's validators and Prism apply (a test keeps the two identical), so
 * the client refuses exactly what the spec refuses.
 */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** Is `value` an email address by the spec's `email` format? */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === "string" && EMAIL.test(value);
}
