/**
 * The options of `nectar-connection mock`, read from the command line into the library's
 * `MockServerOptions`: each flag checked, a usage error (exit 2) naming the flag, and the webhook
 * secret never quoted, whether it came from `--webhook-secret` or from an environment variable.
 */
import type { MockServerOptions, MockWebhookOptions } from "../mock/types.js";
import { type OptionValues, stringOption } from "./args.js";
import type { CommandIo } from "./context.js";
import { parseDuration } from "./duration.js";
import { usageError } from "./io.js";

/** The hosts the mock may listen on: loopback only (it accepts a well-known key). */
const LOOPBACK_HOSTS: readonly string[] = ["127.0.0.1", "localhost"];

/** The largest fleet (the library's bound). */
const MAX_FLEET = 100_000;

/** A whole number from `min` to `max` given as `--name`, or a usage error. */
function wholeFlag(values: OptionValues, name: string, min: number, max: number) {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = /^-?\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
  throw usageError(`--${name} must be a whole number from ${min} to ${max}`);
}

/** `--host`: accepted only when it is a loopback name the mock binds to anyway. */
function checkHost(values: OptionValues): void {
  const host = stringOption(values, "host");
  if (host === undefined || LOOPBACK_HOSTS.includes(host)) return;
  throw usageError(
    "--host: the mock listens on 127.0.0.1 only (it accepts a well-known key and serves test data to anyone who can reach it)",
  );
}

/** The webhook secret, from `--webhook-secret` or the variable `--webhook-secret-env` names. */
function webhookSecretOf(values: OptionValues, io: CommandIo): string {
  const direct = stringOption(values, "webhook-secret");
  const variable = stringOption(values, "webhook-secret-env");
  if (direct !== undefined && variable !== undefined) {
    throw usageError("give --webhook-secret-env or --webhook-secret, not both");
  }
  if (direct !== undefined) return direct;
  if (variable === undefined) {
    throw usageError(
      "--webhook-url needs a secret: --webhook-secret-env <VAR> (or --webhook-secret)",
    );
  }
  const secret = io.env[variable];
  if (secret === undefined || secret === "") {
    throw usageError("--webhook-secret-env names an environment variable that is not set");
  }
  return secret;
}

/** The `webhooks` option, when `--webhook-url` is given. */
function webhooksOf(values: OptionValues, io: CommandIo): MockWebhookOptions | undefined {
  const url = stringOption(values, "webhook-url");
  if (url === undefined) {
    if (values["webhook-secret"] !== undefined || values["webhook-secret-env"] !== undefined) {
      throw usageError("a webhook secret without --webhook-url: where should the mock send them?");
    }
    if (values["webhook-retry"] !== undefined)
      throw usageError("--webhook-retry needs --webhook-url");
    return undefined;
  }
  const webhooks: MockWebhookOptions = { url, secret: webhookSecretOf(values, io) };
  const retry = stringOption(values, "webhook-retry");
  if (retry !== undefined) {
    webhooks.retryScheduleMs =
      retry === "none" ? [] : retry.split(",").map((wait) => parseDuration(wait, "webhook-retry"));
  }
  return webhooks;
}

/**
 * The mock's options from the command line. Throws a usage error on a bad flag (the library's
 * own checks, e.g. of the URL or the secret, come after, when it starts).
 */
export function mockOptionsOf(values: OptionValues, io: CommandIo): MockServerOptions {
  checkHost(values);
  const options: MockServerOptions = { control: true };
  const port = wholeFlag(values, "port", 0, 65_535);
  const size = wholeFlag(values, "fleet", 0, MAX_FLEET);
  const seed = wholeFlag(values, "seed", Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const latency = stringOption(values, "latency");
  const latencyMs = latency === undefined ? undefined : parseDuration(latency, "latency");
  const apiKey = stringOption(values, "api-key");
  if (seed !== undefined && size === undefined) throw usageError("--seed needs --fleet");
  if (port !== undefined) options.port = port;
  if (size !== undefined) options.fleet = seed === undefined ? { size } : { size, seed };
  if (latencyMs !== undefined) options.latencyMs = latencyMs;
  if (apiKey !== undefined) options.apiKey = apiKey;
  const webhooks = webhooksOf(values, io);
  if (webhooks !== undefined) options.webhooks = webhooks;
  return options;
}
