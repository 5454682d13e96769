/**
 * The run-time lists of statuses and health groups: `CONNECTION_STATUSES` and
 * `INVITATION_STATUSES` are the spec's enums (read by `npm run generate`, in the spec's order),
 * `HEALTH_GROUPS` and the grouping of every status are the README's health table, and all three
 * are frozen and exported by the package's entry.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { CONNECTION_STATUS_VALUES, INVITATION_STATUS_VALUES } from "../generated/enums.js";
import spec from "../generated/openapi.json" with { type: "json" };
import * as entry from "../src/index.ts";
import {
  CONNECTION_STATUSES,
  connectionHealth,
  HEALTH_GROUPS,
  INVITATION_STATUSES,
} from "../src/index.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** The README's "Connection health" table: group → the statuses its row lists. */
function healthTable(): [string, string[]][] {
  const section = readme.split("### Connection health")[1]?.split("\n### ")[0] ?? "";
  return section
    .split("\n")
    .map((line) => /^\| `([a-z_]+)`\s*\|([^|]*)\|/.exec(line))
    .filter((match) => match !== null)
    .map((match) => [
      match[1] as string,
      (match[2] ?? "")
        .split(",")
        .map((status) => status.trim())
        .filter((s) => /^[A-Z_]+$/.test(s)),
    ]);
}

describe("the statuses at run time", () => {
  test("CONNECTION_STATUSES is the spec's ConnectionStatus enum, in order", () => {
    const [known] = spec.components.schemas.ConnectionStatus.anyOf;
    expect(CONNECTION_STATUSES).toEqual(known?.enum);
    expect(CONNECTION_STATUSES).toHaveLength(13);
    expect(CONNECTION_STATUSES).toBe(CONNECTION_STATUS_VALUES);
  });

  test("INVITATION_STATUSES is the spec's InvitationStatus enum, in order", () => {
    const [known] = spec.components.schemas.InvitationStatus.anyOf;
    expect(INVITATION_STATUSES).toEqual(known?.enum);
    expect(INVITATION_STATUSES).toEqual(["ACTIVE", "EXPIRED", "REVOKED", "FULFILLED"]);
    expect(INVITATION_STATUSES).toBe(INVITATION_STATUS_VALUES);
  });

  test("each generated enum is the values of its schema, and nothing else is", () => {
    const generated = readFileSync(new URL("../generated/enums.js", import.meta.url), "utf8");
    const names = [...generated.matchAll(/^export const (\w+) =/gm)].map((match) => match[1]);
    expect(names).toEqual([
      "INVITATION_TYPE_VALUES",
      "INVITATION_STATUS_VALUES",
      "ACCOUNT_TRACKING_STATUS_VALUES",
      "CONNECTION_STATUS_VALUES",
      "COUNTRY_CODE_VALUES",
      "DATASOURCE_TYPE_VALUES",
      "CONNECTION_STATUS_FILTER_VALUES",
    ]);
  });

  test("are frozen: a caller cannot change what the package checks against", () => {
    for (const list of [CONNECTION_STATUSES, INVITATION_STATUSES, HEALTH_GROUPS]) {
      expect(Object.isFrozen(list)).toBe(true);
      expect(() => (list as string[]).push("X")).toThrow(TypeError);
    }
  });

  test("are exported by the package's entry", () => {
    expect(entry).toMatchObject({ CONNECTION_STATUSES, INVITATION_STATUSES, HEALTH_GROUPS });
  });
});

describe("the health groups at run time", () => {
  test("HEALTH_GROUPS are the README table's groups, in its order", () => {
    expect(HEALTH_GROUPS).toEqual(healthTable().map(([group]) => group));
  });

  test("each status falls in the group the README's table lists it under", () => {
    const byGroup = new Map(healthTable());
    for (const group of HEALTH_GROUPS) {
      const statuses = CONNECTION_STATUSES.filter((s) => connectionHealth(s).group === group);
      expect([...statuses].sort(), group).toEqual([...(byGroup.get(group) ?? [])].sort());
    }
    expect([...byGroup.values()].flat().sort()).toEqual([...CONNECTION_STATUSES].sort());
  });
});
