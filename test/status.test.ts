/**
 * `connectionHealth`: every status of the spec's enum falls in the group Nectar's docs give it
 * (the table in nectar-api-notes.md), and anything else reads as `unknown` without throwing.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type ConnectionHealth, connectionHealth, type HealthGroup } from "../src/index.ts";
import { connections } from "./helpers/fixtures.ts";

const spec = JSON.parse(
  readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
) as { components: { schemas: { ConnectionStatus: { anyOf: [{ enum: string[] }] } } } };

/** The statuses as the spec lists them: the source of truth, not a list restated here. */
const STATUSES = spec.components.schemas.ConnectionStatus.anyOf[0].enum;

/**
 * The status table of nectar-api-notes.md ("Connection status, what each value asks of an
 * integration"), its groups written as the package names them: "needs the user" is
 * `needs_user_action`, "provider problem" is `provider_issue`.
 */
const DOCUMENTED_GROUP: Record<string, HealthGroup> = {
  PENDING: "pending",
  CONNECTED: "healthy",
  UNDER_INVESTIGATION: "pending",
  PASSWORD_INCORRECT: "needs_user_action",
  MFA_TOKEN_EXPIRED: "needs_user_action",
  NEW_PASSWORD_NEEDED: "needs_user_action",
  ADDITIONAL_CREDENTIALS_NEEDED: "needs_user_action",
  WEBSITE_DOWN: "provider_issue",
  URL_INACCESSIBLE: "provider_issue",
  NO_ACCOUNTS_FOUND: "provider_issue",
  OTHER_ERROR: "provider_issue",
  COMPANY_INACTIVE: "inactive",
  DEACTIVATED: "inactive",
};

const GROUPS: readonly HealthGroup[] = [
  "healthy",
  "pending",
  "needs_user_action",
  "provider_issue",
  "inactive",
  "unknown",
];

/** Checks the shape every reading has, whatever the input. */
function expectWellFormed(health: ConnectionHealth): void {
  expect(GROUPS).toContain(health.group);
  expect(typeof health.needsUserAction).toBe("boolean");
  expect(health.needsUserAction).toBe(health.group === "needs_user_action");
  expect(health.summary).toMatch(/^\S.*\.$/);
  expect(health.summary).not.toContain("\n");
}

describe("the statuses of the spec", () => {
  test("are the 13 statuses of the documented table, no more and no fewer", () => {
    expect(STATUSES).toHaveLength(13);
    expect([...STATUSES].sort()).toEqual(Object.keys(DOCUMENTED_GROUP).sort());
  });

  test.each(STATUSES)("%s falls in its documented group, from a bare status", (status) => {
    const health = connectionHealth(status);
    expect(health.group).toBe(DOCUMENTED_GROUP[status]);
    expectWellFormed(health);
  });

  test.each(STATUSES)("%s reads the same from a connection as from the bare status", (status) => {
    const connection = { ...connections.seed(), status } as ReturnType<typeof connections.seed>;
    expect(connectionHealth(connection)).toEqual(connectionHealth(status));
  });

  test("each status has its own summary", () => {
    const summaries = STATUSES.map((status) => connectionHealth(status).summary);
    expect(new Set(summaries).size).toBe(STATUSES.length);
  });

  test("needsUserAction is true for exactly the four statuses only the user can fix", () => {
    const needing = STATUSES.filter((status) => connectionHealth(status).needsUserAction).sort();
    expect(needing).toEqual([
      "ADDITIONAL_CREDENTIALS_NEEDED",
      "MFA_TOKEN_EXPIRED",
      "NEW_PASSWORD_NEEDED",
      "PASSWORD_INCORRECT",
    ]);
  });

  test("every group but unknown is used by some status", () => {
    const used = new Set(STATUSES.map((status) => connectionHealth(status).group));
    expect([...used].sort()).toEqual(GROUPS.filter((group) => group !== "unknown").sort());
  });

  test("the spec's example connections read as their status says", () => {
    expect(connectionHealth(connections.seed()).group).toBe("pending");
    expect(connectionHealth(connections.passwordIncorrect())).toMatchObject({
      group: "needs_user_action",
      needsUserAction: true,
    });
    expect(connectionHealth(connections.deactivated()).group).toBe("inactive");
  });
});

describe("a status this package does not know", () => {
  test("INCORRECT_PASSWORD (the spelling of one of Nectar's pages) is unknown and needs no action", () => {
    const health = connectionHealth("INCORRECT_PASSWORD");
    expect(health).toEqual({
      group: "unknown",
      needsUserAction: false,
      summary:
        'Status "INCORRECT_PASSWORD" is not one this client knows; see Nectar\'s connection lifecycle docs.',
    });
  });

  test("from a connection, is unknown too", () => {
    const connection = { ...connections.seed(), status: "BRAND_NEW_STATUS" };
    expect(connectionHealth(connection as never).group).toBe("unknown");
  });

  test("undefined, null and a connection without a status are unknown", () => {
    const { status: _status, ...withoutStatus } = connections.seed();
    for (const value of [undefined, null, withoutStatus, { status: null }, {}]) {
      const health = connectionHealth(value as never);
      expect(health.group).toBe("unknown");
      expect(health.summary).toBe(
        "Status is not one this client knows; see Nectar's connection lifecycle docs.",
      );
    }
  });

  test("lower case and padded spellings are not matched loosely", () => {
    for (const value of ["connected", " CONNECTED", "CONNECTED ", "Connected", ""]) {
      expect(connectionHealth(value).group).toBe("unknown");
    }
  });

  test("names of Object.prototype members are not statuses", () => {
    for (const value of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"]) {
      expect(connectionHealth(value).group).toBe("unknown");
      expect(connectionHealth({ status: value } as never).group).toBe("unknown");
    }
  });

  test("a very long value is quoted clipped to 60 characters", () => {
    const health = connectionHealth(`X${"Y".repeat(500)}`);
    expect(health.summary).toContain(JSON.stringify(`X${"Y".repeat(59)}`));
    expect(health.summary.length).toBeLessThan(160);
  });
});

describe("odd input", () => {
  test("never throws, and always gives a well-formed reading", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ status: fc.anything() }),
          fc.string().map((status) => ({ status })),
          fc.constantFrom(...STATUSES).map((status) => ({ status, extra: true })),
        ),
        (value) => {
          const health = connectionHealth(value as never);
          expectWellFormed(health);
          const status =
            typeof value === "string"
              ? value
              : typeof value === "object" && value !== null && "status" in value
                ? value.status
                : undefined;
          const known = typeof status === "string" && Object.hasOwn(DOCUMENTED_GROUP, status);
          expect(health.group).toBe(known ? DOCUMENTED_GROUP[status] : "unknown");
        },
      ),
      { numRuns: 500 },
    );
  });

  test("numbers, arrays, functions and prototype-less objects read as unknown", () => {
    const odd: unknown[] = [0, 42, Number.NaN, true, [], ["CONNECTED"], () => "CONNECTED"];
    odd.push(Object.assign(Object.create(null), { status: 7 }), Symbol("CONNECTED"), 10n);
    for (const value of odd) {
      expect(connectionHealth(value as never).group).toBe("unknown");
    }
    // A prototype-less object still reads its status.
    const bare = Object.assign(Object.create(null), { status: "CONNECTED" });
    expect(connectionHealth(bare).group).toBe("healthy");
  });
});
