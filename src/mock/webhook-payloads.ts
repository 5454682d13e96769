/**
 * The payloads of the mock's webhooks, built from a stored connection the way Nectar's newest
 * catalog copies show them: the connection's fields at the top level plus `eventType`, dates
 * without a zone and with 9 fractional digits, no `company`, `datasource`, status times or
 * magic-link fields (the fact sheet's §4.3 and §4.8).
 */
import type {
  Account,
  Connection,
  ConnectionEventAccount,
  ConnectionEventV2,
  ConnectionUpdatedEventV2,
} from "../../generated/schema.js";

/** The event types the mock sends. */
export type MockWebhookEventType =
  | "connection.created.v2"
  | "connection.updated.v2"
  | "connection.validated.v2";

/**
 * An RFC 3339 time as webhook payloads write it: `2025-11-07T01:56:33.835000000` (UTC, no zone,
 * 9 fractional digits); `undefined` when it is not a time.
 */
export function eventDateTime(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, -1)}000000`;
}

/** A REST account as an event's account: the same fields less `trackingStatus` and status times. */
function eventAccount(account: Account): ConnectionEventAccount {
  const { trackingStatus, status, statusLastUpdateTime, statusFirstSeenTime, ...rest } = account;
  const { statusErrorDetail, ...kept } = rest;
  return kept;
}

/** Copies `key` from the connection when it is set (not null, not absent). */
function setFields(connection: Connection, payload: ConnectionEventV2): void {
  const keys = [
    "status",
    "country",
    "url",
    "initialSites",
    "initialDatasourceTypes",
    "username",
    "workflowOwnerEmail",
    "dataCollectionStartDate",
    "multiplyByOccupancy",
  ] as const satisfies readonly (keyof Connection & keyof ConnectionEventV2)[];
  const target: Record<string, unknown> = payload;
  for (const key of keys) {
    const value = connection[key];
    if (value !== undefined && value !== null) target[key] = structuredClone(value);
  }
}

/** The `connection.created.v2` / `connection.validated.v2` payload of a connection. */
export function connectionEvent(
  eventType: Exclude<MockWebhookEventType, "connection.updated.v2">,
  connection: Connection,
): ConnectionEventV2 {
  const payload: ConnectionEventV2 = { id: connection.id, eventType };
  setFields(connection, payload);
  const created = eventDateTime(connection.created);
  const updated = eventDateTime(connection.updated);
  if (created !== undefined) payload.created = created;
  if (updated !== undefined) payload.updated = updated;
  if (connection.accounts !== undefined) payload.accounts = connection.accounts.map(eventAccount);
  return payload;
}

/**
 * The top-level fields of the created shape whose values differ between `before` and `after`,
 * `eventType` and `updated` aside (Nectar ignores "timestamp-only updates").
 */
export function changedFields(before: ConnectionEventV2, after: ConnectionEventV2): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  names.delete("eventType");
  names.delete("updated");
  const differs = (name: string) =>
    JSON.stringify((before as Record<string, unknown>)[name]) !==
    JSON.stringify((after as Record<string, unknown>)[name]);
  return [...names].filter(differs).sort();
}

/**
 * The `connection.updated.v2` payload of a change: the new connection's fields,
 * `protectedChanges` naming the changed fields and `old` their previous values (`null` for a
 * field that was absent), as the fact sheet infers both from Nectar's wording.
 */
export function updatedEvent(
  before: Connection,
  after: Connection,
): ConnectionUpdatedEventV2 | undefined {
  const old = connectionEvent("connection.created.v2", before);
  const now = connectionEvent("connection.created.v2", after);
  const changes = changedFields(old, now);
  if (changes.length === 0) return undefined;
  const previous: Record<string, unknown> = {};
  for (const name of changes) previous[name] = (old as Record<string, unknown>)[name] ?? null;
  return { ...now, eventType: "connection.updated.v2", protectedChanges: changes, old: previous };
}

/** One event to send: its type and payload. */
export interface MockWebhookEvent {
  readonly eventType: MockWebhookEventType;
  readonly payload: ConnectionEventV2 | ConnectionUpdatedEventV2;
}

/**
 * The events of a connection going from `before` (`undefined`: it is new) to `after`:
 * `connection.created.v2` for a new one; else `connection.updated.v2` when a field changed, then
 * `connection.validated.v2` when the status changed or `checked` (Nectar checked the
 * credentials: a scripted status change, even to the same status). Nothing when nothing changed.
 */
export function eventsOfChange(
  before: Connection | undefined,
  after: Connection,
  checked: boolean,
): MockWebhookEvent[] {
  if (before === undefined) {
    return [
      {
        eventType: "connection.created.v2",
        payload: connectionEvent("connection.created.v2", after),
      },
    ];
  }
  const events: MockWebhookEvent[] = [];
  const updated = updatedEvent(before, after);
  if (updated !== undefined) events.push({ eventType: "connection.updated.v2", payload: updated });
  if (checked || before.status !== after.status) {
    const payload = connectionEvent("connection.validated.v2", after);
    events.push({ eventType: "connection.validated.v2", payload });
  }
  return events;
}
