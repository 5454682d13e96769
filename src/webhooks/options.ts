/** The options of `verifyWebhook` and `verifyWebhookRequest`, checked once per call. */

import {
  aFunction,
  aValidators,
  checkOptions,
  type OptionTable,
  wholeNumber,
} from "../core/option-table.js";
import type { NectarValidators } from "../core/validation.js";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_TOLERANCE_SECONDS } from "./constants.js";

/** How `verifyWebhook` checks a delivery. Every option is optional. */
export interface VerifyWebhookOptions {
  /**
   * How far the `svix-timestamp` may be from now, in whole seconds, before or after; default
   * 300 (Svix's own). Smaller narrows the replay window; 0 demands the exact second.
   */
  toleranceSeconds?: number | undefined;
  /** The largest body accepted, in bytes, checked before any HMAC; default 1 MiB. */
  maxBodyBytes?: number | undefined;
  /** The current time in ms since the epoch; default `Date.now`. Inject one to test. */
  now?: (() => number) | undefined;
  /**
   * The compiled validators (`import * as validators from "nectar-climate-connection/validators"`)
   * that check a known event's payload. Node, Deno and Bun load them on first use without this;
   * a bundled app (a Worker, an edge function) must pass them.
   */
  validators?: NectarValidators | undefined;
}

/** The options with their defaults filled in. */
export interface VerifySettings {
  toleranceSeconds: number;
  maxBodyBytes: number;
  now: () => number;
  validators: NectarValidators | undefined;
}

/** The checks of `verifyWebhook`'s options: one declaration, typed against the interface. */
export const VERIFY_WEBHOOK_OPTION_TABLE: OptionTable<VerifyWebhookOptions> = {
  toleranceSeconds: wholeNumber(0),
  maxBodyBytes: wholeNumber(1),
  now: aFunction(),
  validators: aValidators,
};

/**
 * Checks the options and fills in the defaults. Throws {@link NectarInvalidInputError} for an
 * unknown key, a negative or fractional tolerance, a cap below 1 byte, a `now` that is not a
 * function, or `validators` that are not the validators module.
 */
export function resolveVerifyOptions(options: VerifyWebhookOptions | undefined): VerifySettings {
  const given = checkOptions(options, VERIFY_WEBHOOK_OPTION_TABLE, "verifyWebhook");
  return {
    toleranceSeconds: given.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
    maxBodyBytes: given.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    now: given.now ?? Date.now,
    validators: given.validators,
  };
}
