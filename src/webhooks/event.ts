/**
 * A verified body becomes a typed event: JSON-parsed, its `eventType` read, and a known event's
 * payload checked against the spec's schema for it. An event type the spec does not describe
 * (document events, legacy events, a future one) passes through as `unknown`, never cast, since
 * an endpoint that selects no event types receives all of them.
 */
import type {
  ConnectionEventV2,
  ConnectionUpdatedEventV2,
  webhooks,
} from "../../generated/schema.js";
import {
  NectarInvalidInputError,
  NectarWebhookVerificationError,
  type Violation,
} from "../core/errors.js";
import { type NectarValidators, type SchemaName, schemaViolations } from "../core/validation.js";

/** The event types the spec describes (its `webhooks`): `connection.created.v2` and the like. */
export type NectarWebhookEventType = keyof webhooks;

/** The payload of a known event type: the request body the spec declares for it. */
export type NectarWebhookPayload<T extends NectarWebhookEventType> =
  webhooks[T]["post"]["requestBody"]["content"]["application/json"];

/** What every event carries besides its payload: the delivery's signed headers. */
export interface WebhookDelivery {
  /** The `svix-id`: the same on every re-delivery of a message, the key to drop duplicates. */
  messageId: string;
  /** The `svix-timestamp`: when this attempt was sent, in seconds since the epoch. */
  timestamp: number;
}

/** A verified event of a type the spec describes, its payload checked against the spec. */
export type KnownWebhookEvent = {
  [T in NectarWebhookEventType]: WebhookDelivery & { type: T; payload: NectarWebhookPayload<T> };
}[NectarWebhookEventType];

/**
 * A verified event of a type this package does not describe (a document event, a legacy
 * connection event, a new one), or a body without an `eventType`: authentic, but untyped.
 */
export interface UnknownWebhookEvent extends WebhookDelivery {
  /** Always `"unknown"`: check `eventType` and `payload` yourself before using them. */
  type: "unknown";
  /** The body's `eventType` when it is a string, e.g. `document.created.v2`. */
  eventType: string | undefined;
  /** The parsed JSON body, unchecked. */
  payload: unknown;
}

/** What `verifyWebhook` returns: switch on `type`; `"unknown"` for event types not in the spec. */
export type NectarWebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;

/** The schema of each known event's payload, as the spec's `webhooks` reference them. */
export const PAYLOAD_SCHEMAS = {
  "connection.created.v2": "ConnectionEventV2",
  "connection.updated.v2": "ConnectionUpdatedEventV2",
  "connection.validated.v2": "ConnectionEventV2",
} as const satisfies Record<NectarWebhookEventType, SchemaName>;

function isKnownEventType(value: unknown): value is NectarWebhookEventType {
  return typeof value === "string" && Object.hasOwn(PAYLOAD_SCHEMAS, value);
}

/** The body as JSON; `invalid_json` when it is not UTF-8 JSON. */
function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (cause) {
    throw new NectarWebhookVerificationError(
      "invalid_json",
      "the signature is valid but the body is not UTF-8 JSON.",
      { cause },
    );
  }
}

/** The payload's `eventType` when it is an object with a string one. */
function eventTypeOf(payload: unknown): string | undefined {
  if (typeof payload !== "object" || payload === null || !("eventType" in payload)) return;
  return typeof payload.eventType === "string" ? payload.eventType : undefined;
}

/** Where `payload` breaks `schema`; loads the validators on first use unless they were given. */
async function payloadViolations(
  schema: SchemaName,
  payload: unknown,
  validators: NectarValidators | undefined,
): Promise<Violation[]> {
  try {
    return await schemaViolations(schema, payload, validators);
  } catch (cause) {
    throw new NectarInvalidInputError(
      'verifyWebhook checks payloads with the validators, which a bundled app cannot load on its own: import * as validators from "nectar-climate-connection/validators" and pass verifyWebhook(body, headers, secret, { validators }).',
      { cause },
    );
  }
}

/**
 * The one place a checked payload gets its type: true when the spec's schema found no violation
 * (`T` is the type of that same schema, as `PAYLOAD_SCHEMAS` pairs them).
 */
function conforms<T>(violations: readonly Violation[], _payload: unknown): _payload is T {
  return violations.length === 0;
}

/**
 * The typed event of a verified body. Throws {@link NectarWebhookVerificationError}
 * (`invalid_json`, or `invalid_payload` with `violations`) and, when the validators cannot be
 * loaded, {@link NectarInvalidInputError}.
 */
export async function parseEvent(
  body: Uint8Array,
  delivery: WebhookDelivery,
  validators: NectarValidators | undefined,
): Promise<NectarWebhookEvent> {
  const payload = parseJson(body);
  const type = eventTypeOf(payload);
  if (!isKnownEventType(type)) return { ...delivery, type: "unknown", eventType: type, payload };
  const violations = await payloadViolations(PAYLOAD_SCHEMAS[type], payload, validators);
  if (type === "connection.updated.v2") {
    if (conforms<ConnectionUpdatedEventV2>(violations, payload))
      return { ...delivery, type, payload };
  } else if (conforms<ConnectionEventV2>(violations, payload)) {
    return { ...delivery, type, payload };
  }
  const [first] = violations;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : "";
  throw new NectarWebhookVerificationError(
    "invalid_payload",
    `the signature is valid but the ${type} payload does not match the spec: ${first?.pointer || "(body)"} ${first?.message}${more}.`,
    { violations },
  );
}
