/** The options of `verifyWebhook` and `verifyWebhookRequest`, checked once per call. */

import { NectarInvalidInputError } from "../core/errors.js";
import { functionOption, integerOption, optionsObject, rejectUnknownKeys } from "../core/input.js";
import { isValidators, type NectarValidators } from "../core/validation.js";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_TOLERANCE_SECONDS } from "./constants.js";

/** How `verifyWebhook` checks a delivery. Every option is optional. */
export interface VerifyWebhookOptions {
  /**
   * How far the `svix-timestamp` may be from now, in whole seconds, before or after; default
   * 300 (Svix's own). Smaller narrows the replay window; 0 demands the exact second.
   */
  toleranceSeconds?: number;
  /** The largest body accepted, in bytes, checked before any HMAC; default 1 MiB. */
  maxBodyBytes?: number;
  /** The current time in ms since the epoch; default `Date.now`. Inject one to test. */
  now?: () => number;
  /**
   * The compiled validators (`import * as validators from "nectar-climate-connection/validators"`)
   * that check a known event's payload. Node, Deno and Bun load them on first use without this;
   * a bundled app (a Worker, an edge function) must pass them.
   */
  validators?: NectarValidators;
}

/** The options with their defaults filled in. */
export interface VerifySettings {
  toleranceSeconds: number;
  maxBodyBytes: number;
  now: () => number;
  validators: NectarValidators | undefined;
}

const KNOWN = new Set(["toleranceSeconds", "maxBodyBytes", "now", "validators"]);

/**
 * Checks the options and fills in the defaults. Throws {@link NectarInvalidInputError} for an
 * unknown key, a negative or fractional tolerance, a cap below 1 byte, a `now` that is not a
 * function, or `validators` that are not the validators module.
 */
export function resolveVerifyOptions(options: VerifyWebhookOptions | undefined): VerifySettings {
  const given = optionsObject(options, "verifyWebhook");
  rejectUnknownKeys(given, KNOWN, "verifyWebhook");
  if (given.validators !== undefined && !isValidators(given.validators)) {
    throw new NectarInvalidInputError(
      'validators must be the module "nectar-climate-connection/validators" (import * as validators from it).',
    );
  }
  return {
    toleranceSeconds: integerOption(
      given.toleranceSeconds,
      "toleranceSeconds",
      0,
      DEFAULT_TOLERANCE_SECONDS,
    ),
    maxBodyBytes: integerOption(given.maxBodyBytes, "maxBodyBytes", 1, DEFAULT_MAX_BODY_BYTES),
    now: functionOption(given.now, "now") ?? Date.now,
    validators: given.validators,
  };
}
