/**
 * The checks of `startMockServer`'s `webhooks` option, declared once as a table typed against
 * {@link MockWebhookOptions}: an unknown key, `null` or a bad value is a
 * {@link NectarInvalidInputError} naming the option (never quoting the secret or the URL, which
 * may carry one), before anything is started.
 */
import { NectarInvalidInputError } from "../core/errors.js";
import {
  checkOptions,
  eachElement,
  kindOf,
  type OptionTable,
  oneOfValues,
  wholeNumber,
} from "../core/option-table.js";
import { decodeSecrets, type WebhookSecret } from "../webhooks/secret.js";
import {
  DEFAULT_WEBHOOK_QUEUE,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type MockWebhookOptions,
  SVIX_RETRY_SCHEDULE_MS,
} from "./types.js";

/** The longest wait between two attempts: Svix's longest, 10 hours (a timer holds up to ~24 days). */
export const MAX_WEBHOOK_RETRY_MS = 36_000_000;

/** The most waits a schedule may list. */
export const MAX_WEBHOOK_RETRIES = 20;

/** The checked `webhooks` option, defaults applied. */
export interface CheckedWebhookOptions {
  readonly url: URL;
  readonly secret: WebhookSecret;
  readonly retryScheduleMs: readonly number[];
  readonly timeoutMs: number;
  readonly maxQueue: number;
  readonly headerPrefix: "svix" | "webhook";
}

/** An http or https URL without credentials, query aside (a receiver may route on it). */
function receiverUrl(value: unknown, name: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new NectarInvalidInputError(`${name} must be an absolute http or https URL.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new NectarInvalidInputError(`${name} must not carry credentials.`);
  }
  return url.href;
}

/** One secret or several, each decodable as `signWebhook` needs; never quoted. */
function webhookSecret(value: unknown, name: string): string | readonly string[] {
  const secret = value as WebhookSecret;
  try {
    decodeSecrets(secret);
  } catch (cause) {
    const reason = cause instanceof Error ? ` ${cause.message}` : "";
    throw new NectarInvalidInputError(
      `${name} must be a webhook secret ("whsec_" + base64 of 24 to 64 bytes) or a list of them:${reason}`,
      { cause },
    );
  }
  return secret;
}

/** A list of waits, each 0 to 10 hours, at most {@link MAX_WEBHOOK_RETRIES} of them. */
function retrySchedule(value: unknown, name: string): readonly number[] {
  const waits = eachElement(value, name, wholeNumber(0, MAX_WEBHOOK_RETRY_MS));
  if (waits.length <= MAX_WEBHOOK_RETRIES) return Object.freeze(waits);
  throw new NectarInvalidInputError(
    `${name} lists at most ${MAX_WEBHOOK_RETRIES} waits, got ${waits.length}.`,
  );
}

/** The checks of every key of the `webhooks` option. */
export const MOCK_WEBHOOK_OPTION_TABLE: OptionTable<MockWebhookOptions> = {
  url: receiverUrl,
  secret: webhookSecret,
  retryScheduleMs: retrySchedule,
  timeoutMs: wholeNumber(1, 60_000),
  maxQueue: wholeNumber(1, 100_000),
  headerPrefix: oneOfValues(["svix", "webhook"]),
};

/** Checks the `webhooks` option: an object with `url` and `secret`, each key checked. */
export function webhooksOption(value: unknown, name: string): MockWebhookOptions {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new NectarInvalidInputError(
      `${name} must be an object { url, secret, ... }, got ${kindOf(value)}.`,
    );
  }
  const { url, secret, ...rest } = checkOptions(value, MOCK_WEBHOOK_OPTION_TABLE, name, `${name}.`);
  if (url === undefined || secret === undefined) {
    throw new NectarInvalidInputError(`${name}.url and ${name}.secret are required.`);
  }
  return { url, secret, ...rest };
}

/** The settings of checked `webhooks` options: the defaults applied. */
export function webhookSettings(options: MockWebhookOptions): CheckedWebhookOptions {
  return {
    url: new URL(options.url),
    secret: options.secret,
    retryScheduleMs: options.retryScheduleMs ?? SVIX_RETRY_SCHEDULE_MS,
    timeoutMs: options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
    maxQueue: options.maxQueue ?? DEFAULT_WEBHOOK_QUEUE,
    headerPrefix: options.headerPrefix ?? "svix",
  };
}
