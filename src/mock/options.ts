/**
 * The checks of `startMockServer`'s options, declared once as a table typed against
 * {@link MockServerOptions} (as the client's are): an unknown key, `null` or a bad value is a
 * {@link NectarInvalidInputError} naming the option, before anything is started.
 */
import type { Connection, InvitationDetail } from "../../generated/schema.js";
import { NectarInvalidInputError } from "../core/errors.js";
import { isHeaderValue } from "../core/input.js";
import {
  aBoolean,
  aFunction,
  checkOptions,
  eachElement,
  kindOf,
  type OptionTable,
  wholeNumber,
} from "../core/option-table.js";
import { MAX_FLEET_SIZE, type MockFleetOptions } from "./fleet.js";
import { MAX_MOCK_INVITATIONS, MAX_MOCK_LATENCY_MS, type MockServerOptions } from "./types.js";
import { webhooksOption } from "./webhook-options.js";

/** Is `value` a plain object (not null, not an array)? */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An object with a string `id`: what the mock needs of a connection or an invitation. */
function withStringId<T>(what: string): (value: unknown, at: string) => T {
  return (value, at) => {
    if (isObject(value) && typeof value.id === "string") return value as T;
    throw new NectarInvalidInputError(
      `${at} must be ${what} object with a string id, got ${isObject(value) ? "an object without one" : kindOf(value)}.`,
    );
  };
}

/** The checks of the `fleet` option. */
const FLEET_OPTION_TABLE: OptionTable<MockFleetOptions> = {
  size: wholeNumber(0, MAX_FLEET_SIZE),
  seed: wholeNumber(Number.MIN_SAFE_INTEGER),
};

/** `{ size, seed? }`, `size` required. */
function fleetOption(value: unknown, name: string): MockFleetOptions {
  if (!isObject(value)) {
    throw new NectarInvalidInputError(
      `${name} must be an object { size, seed? }, got ${kindOf(value)}.`,
    );
  }
  const { size, seed } = checkOptions(value, FLEET_OPTION_TABLE, name, `${name}.`);
  if (size === undefined) {
    throw new NectarInvalidInputError(`${name}.size is required: 0 to ${MAX_FLEET_SIZE}.`);
  }
  return seed === undefined ? { size } : { size, seed };
}

/** A whole number of milliseconds from 0 to a minute: a longer timer would not be honoured. */
function latencyOption(value: unknown, name: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
    if (value <= MAX_MOCK_LATENCY_MS) return value;
  }
  throw new NectarInvalidInputError(
    `${name} must be a number of milliseconds from 0 to ${MAX_MOCK_LATENCY_MS}, got ${kindOf(value)}.`,
  );
}

/** The API key the mock accepts: a non-empty string an HTTP header can carry (never quoted). */
function apiKeyOption(value: unknown, name: string): string {
  if (isHeaderValue(value)) return value;
  throw new NectarInvalidInputError(
    `${name} must be a non-empty string an HTTP header can carry, got ${kindOf(value)}.`,
  );
}

/** The checks of every option of `startMockServer`. */
export const MOCK_SERVER_OPTION_TABLE: OptionTable<MockServerOptions> = {
  connections: (value, name) => eachElement(value, name, withStringId<Connection>("a connection")),
  apiKey: apiKeyOption,
  port: wholeNumber(0, 65_535),
  invitations: (value, name) =>
    eachElement(value, name, withStringId<InvitationDetail>("an invitation")),
  now: aFunction(),
  fleet: fleetOption,
  latencyMs: latencyOption,
  maxInvitations: wholeNumber(1, MAX_MOCK_INVITATIONS),
  webhooks: webhooksOption,
  control: aBoolean,
};

/** Checks the options of `startMockServer`; see {@link MOCK_SERVER_OPTION_TABLE}. */
export function checkMockOptions(options: MockServerOptions | undefined) {
  return checkOptions(options, MOCK_SERVER_OPTION_TABLE, "startMockServer");
}
