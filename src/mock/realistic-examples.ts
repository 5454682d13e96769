/**
 * What the mock serves in place of two of the spec's examples, which stay exact in the spec:
 * Nectar's placeholder connection (`<string>` in every free-text field, country `AF`) gets
 * realistic values, and the invitation examples are moved onto the mock's clock, so that the
 * active one is active (not expired since 2024) when the help's example asks for it.
 */
import type { Connection, InvitationDetail } from "../../generated/schema.js";

/** Nectar's placeholder for a free-text field. */
const PLACEHOLDER = "<string>";

/**
 * The moment the invitation examples describe: after the active one was viewed and its email
 * verified, before it expires (their times are kept exactly for a mock whose clock reads this).
 */
export const INVITATION_EXAMPLES_AT = Date.parse("2024-06-05T08:00:00Z");

/** The realistic values of the placeholder connection's text fields. */
const PLACEHOLDER_VALUES = {
  publicCompanyId: "northwind-energy-3c90",
  connectionMagicLinkSecret: "gAAAAABmockPlaceholderSecret3c90c3cc0d444b5088888dd25736052a==",
  statusErrorDetail: null,
  externalId: "crm-connection-3001",
  url: "https://www.coned.com/login",
  username: "facilities@northwind.example",
} as const satisfies Partial<Connection>;

/** Whether `connection` carries Nectar's placeholders. */
function isPlaceholder(connection: Connection): boolean {
  return connection.datasource?.name === PLACEHOLDER || connection.company?.name === PLACEHOLDER;
}

/**
 * `connection` with realistic values where Nectar's example has placeholders (a new object;
 * the argument is not changed). A connection without placeholders is returned as it is.
 */
export function realisticConnection(connection: Connection): Connection {
  if (!isPlaceholder(connection)) return connection;
  const { company } = connection;
  return {
    ...connection,
    ...PLACEHOLDER_VALUES,
    datasource: { name: "Consolidated Edison", url: "https://www.coned.com" },
    ...(company && {
      company: { ...company, name: "Northwind Energy", externalId: "crm-company-northwind" },
    }),
    country: "US",
  };
}

/** `iso` moved by `deltaMs`, written as the examples write times (whole seconds, UTC). */
function shifted(iso: string, deltaMs: number): string {
  return new Date(Date.parse(iso) + deltaMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** An event with its `at` moved, when it has one (events are of unknown shape). */
function shiftedEvent(event: unknown, deltaMs: number): unknown {
  if (typeof event !== "object" || event === null || !("at" in event)) return event;
  const { at } = event;
  return typeof at === "string" ? { ...event, at: shifted(at, deltaMs) } : event;
}

/**
 * The invitation examples as of `now`: every time moved by `now` − {@link INVITATION_EXAMPLES_AT},
 * so each stands to the mock's clock as it stood to that moment (the active one created two days
 * ago, expiring in five).
 */
export function invitationsAsOf(
  examples: readonly InvitationDetail[],
  now: number,
): InvitationDetail[] {
  const delta = now - INVITATION_EXAMPLES_AT;
  return examples.map((invitation): InvitationDetail => {
    const { createdAt, expiresAt, events } = invitation;
    return {
      ...invitation,
      ...(createdAt !== undefined && { createdAt: shifted(createdAt, delta) }),
      ...(typeof expiresAt === "string" && { expiresAt: shifted(expiresAt, delta) }),
      ...(events !== undefined && { events: events.map((e) => shiftedEvent(e, delta)) }),
    } as InvitationDetail;
  });
}
