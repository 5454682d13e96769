/** The invitation token under `util.inspect`: masked there, kept everywhere else. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  hideInvitationToken,
  MASKED_TOKEN,
  maskInvitationUrl,
} from "../src/helpers/invitation-token.js";
import { invitations } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

describe("hideInvitationToken", () => {
  it("masks the token and the URL under inspect, and returns the same object", () => {
    const invitation = invitations.reconnect();
    const hidden = hideInvitationToken(invitation);
    expect(hidden).toBe(invitation);
    const shown = inspect(hidden, { depth: 5 });
    recordForRedaction(shown);
    expect(shown).not.toContain(invitation.token);
    expect(shown).toContain(`token: '${MASKED_TOKEN}'`);
    expect(shown).toContain(`invitationUrl: 'https://dash.nectarclimate.com/p/i/${MASKED_TOKEN}'`);
    expect(shown).toContain(`id: '${invitation.id}'`);
    expect(shown).toContain("allowedEmails: [ 'energy.manager@acme.example' ]");
  });

  it("keeps the real values for properties, JSON and equality", () => {
    const original = invitations.reconnect();
    const hidden = hideInvitationToken(invitations.reconnect());
    expect(hidden.token).toBe(original.token);
    expect(hidden.invitationUrl).toBe(original.invitationUrl);
    expect(JSON.parse(JSON.stringify(hidden))).toEqual(original);
    expect(hidden).toEqual(original);
    expect(Object.keys(hidden)).toEqual(Object.keys(original));
  });

  it("masks a detail's token too, and leaves its events as they are", () => {
    const detail = hideInvitationToken(invitations.detailActive());
    const shown = inspect(detail, { depth: 5 });
    recordForRedaction(shown);
    expect(shown).not.toContain(invitations.detailActive().token);
    expect(shown).toContain("activity: 'verified their email'");
  });

  it("masks under console.log's %o and inside a container", () => {
    const detail = hideInvitationToken(invitations.detailRevoked());
    const shown = inspect({ result: [detail] }, { depth: 6, showHidden: true });
    recordForRedaction(shown);
    expect(shown).not.toContain(detail.token);
    expect(shown).toContain(MASKED_TOKEN);
  });
});

describe("maskInvitationUrl", () => {
  it.each([
    [
      "https://dash.nectarclimate.com/p/i/Xq4v8NpR2tLm7Kz9WbYc3Hd6",
      "Xq4v8NpR2tLm7Kz9WbYc3Hd6",
      "https://dash.nectarclimate.com/p/i/[secret]",
    ],
    [
      "https://dash.nectarclimate.com/p/i/abcdefgh?utm=x",
      "other-token-value",
      "https://dash.nectarclimate.com/p/i/[secret]?utm=x",
    ],
    [
      "https://dash.example/p/i/Xq4v8NpR2tLm7Kz9WbYc3Hd6/",
      "Xq4v8NpR2tLm7Kz9WbYc3Hd6",
      "https://dash.example/p/i/[secret]/",
    ],
    ["https://dash.example/i/a%2Fb%2Fcdefgh", "a/b/cdefgh", "https://dash.example/i/[secret]"],
    ["<string>", "<string>", "[secret]"],
    ["https://dash.nectarclimate.com", "short", "https://dash.nectarclimate.com"],
  ])("%s", (url, token, masked) => {
    expect(maskInvitationUrl(url, token)).toBe(masked);
  });

  it("does not search for a short token, which would mangle the URL around it", () => {
    expect(maskInvitationUrl("https://dash.nectarclimate.com/p/i/ab", "a")).toBe(
      "https://dash.nectarclimate.com/p/i/[secret]",
    );
  });
});
