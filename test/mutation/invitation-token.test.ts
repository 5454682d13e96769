/**
 * The invitation token's masking, the edges mutation testing found unpinned: a value that is
 * not an object passes through; hiding twice works; a missing URL stays missing; a token of
 * exactly eight characters is searched for anywhere in the URL, a shorter one only as the last
 * segment; the URL pattern takes any scheme, in any case.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import type { Invitation } from "../../generated/schema.js";
import {
  hideInvitationToken,
  MASKED_TOKEN,
  maskInvitationUrl,
} from "../../src/helpers/invitation-token.js";
import { invitations } from "../helpers/fixtures.js";

describe("hideInvitationToken", () => {
  it("returns null, undefined and a string as they are", () => {
    for (const value of [null, undefined, "text"]) {
      expect(hideInvitationToken(value as unknown as Invitation)).toBe(value);
    }
  });

  it("can hide the same invitation twice (a retried result), still masking", () => {
    const invitation = invitations.reconnect();
    hideInvitationToken(invitation);
    expect(() => hideInvitationToken(invitation)).not.toThrow();
    expect(inspect(invitation)).not.toContain(invitation.token);
  });

  it("shows an absent invitationUrl as it is", () => {
    const invitation = { ...invitations.reconnect(), invitationUrl: null } as unknown as Invitation;
    const shown = inspect(hideInvitationToken(invitation));
    expect(shown).toContain("invitationUrl: null");
    expect(shown).toContain(`token: '${MASKED_TOKEN}'`);
  });
});

describe("maskInvitationUrl", () => {
  it("searches for a token of exactly eight characters anywhere in the URL", () => {
    expect(maskInvitationUrl("https://dash.example/p/i/last?t=abcd1234", "abcd1234")).toBe(
      "https://dash.example/p/i/[secret]?t=[secret]",
    );
  });

  it("does not search for a token of seven characters", () => {
    expect(maskInvitationUrl("https://dash.example/p/i/last?t=abcd123", "abcd123")).toBe(
      "https://dash.example/p/i/[secret]?t=abcd123",
    );
  });

  it("masks the URL-encoded form of a token too", () => {
    expect(maskInvitationUrl("https://dash.example/x?t=ab%2Fcd%2Fef", "ab/cd/ef")).toBe(
      "https://dash.example/[secret]?t=[secret]",
    );
  });

  it.each([
    ["HTTPS://DASH.EXAMPLE/P/I/TOKEN", "HTTPS://DASH.EXAMPLE/P/I/[secret]"],
    ["web+nectar://host/i/token", "web+nectar://host/i/[secret]"],
    ["https://host/i/token#frag", "https://host/i/[secret]#frag"],
  ])("masks the last segment of %s", (url, masked) => {
    expect(maskInvitationUrl(url, undefined)).toBe(masked);
  });
});
