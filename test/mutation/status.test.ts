/**
 * `HEALTH_GROUPS`, the list `waitFor`'s `until` is checked against and its message names: every
 * group `connectionHealth` can give, once each, from healthy to unknown.
 */
import { describe, expect, it } from "vitest";
import { connectionHealth, HEALTH_GROUPS } from "../../src/helpers/status.js";

describe("HEALTH_GROUPS", () => {
  it("lists the six groups, in order from healthy to unknown", () => {
    expect(HEALTH_GROUPS).toEqual([
      "healthy",
      "pending",
      "needs_user_action",
      "provider_issue",
      "inactive",
      "unknown",
    ]);
  });

  it("holds the group of every reading, a status unknown to the package included", () => {
    for (const status of [
      "CONNECTED",
      "PENDING",
      "PASSWORD_INCORRECT",
      "WEBSITE_DOWN",
      "DEACTIVATED",
      "NEW",
    ]) {
      expect(HEALTH_GROUPS).toContain(connectionHealth(status).group);
    }
  });
});
