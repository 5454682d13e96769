/**
 * The update magic link: `updateLinkUrl` builds Nectar's documented URL with each segment
 * encoded, refuses what would make a wrong or insecure link without quoting the secret, and
 * the `UpdateLink` a client returns prints with its secret masked.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { toUpdateLink } from "../src/helpers/magic-link.ts";
import { type Connection, NectarInvalidInputError, updateLinkUrl } from "../src/index.ts";
import { createObservedClient, json, rejectionOf } from "./helpers/client.ts";
import { connections } from "./helpers/fixtures.ts";
import { recordForRedaction } from "./setup/redaction.ts";

const DASHBOARD = "https://dash.nectarclimate.com";
const connection = connections.passwordIncorrect();
const SECRET = connection.connectionMagicLinkSecret;
const COMPANY = connection.publicCompanyId;

/** The two segments after `/p/connect/…/workflow/`, decoded, or a failure when the shape is off. */
function segmentsOf(url: string): { company: string; secret: string } {
  const match = /^https:\/\/dash\.nectarclimate\.com\/p\/connect\/([^/]+)\/workflow\/([^/]+)$/.exec(
    url,
  );
  if (!match?.[1] || !match[2]) throw new Error(`not an update link: ${url.slice(0, 60)}`);
  return { company: decodeURIComponent(match[1]), secret: decodeURIComponent(match[2]) };
}

/** The error a call throws, recorded for the file's redaction check. */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    recordForRedaction(error);
    return error;
  }
  throw new Error("expected the call to throw");
}

describe("updateLinkUrl", () => {
  test("builds https://dash.nectarclimate.com/p/connect/{publicCompanyId}/workflow/{secret}", () => {
    const secret = "gAAAAABmZxampleSecret_-0123";
    expect(updateLinkUrl({ publicCompanyId: COMPANY, connectionMagicLinkSecret: secret })).toBe(
      `https://dash.nectarclimate.com/p/connect/acme-facilities-7Qk2/workflow/${secret}`,
    );
  });

  test("encodes the Fernet padding of the spec's example secret", () => {
    const url = updateLinkUrl(connection);
    expect(url).toBe(`${DASHBOARD}/p/connect/${COMPANY}/workflow/${SECRET.replaceAll("=", "%3D")}`);
    expect(url.endsWith("%3D%3D")).toBe(true);
    expect(segmentsOf(url).secret).toBe(SECRET);
  });

  test.each([
    ["a slash", "a/b", "a%2Fb"],
    ["a question mark", "a?b", "a%3Fb"],
    ["a hash", "a#b", "a%23b"],
    ["a space", "a b", "a%20b"],
    ["a percent sign", "100%", "100%25"],
    ["an already-encoded sequence", "a%2Fb", "a%252Fb"],
    ["unicode", "café-東京", "caf%C3%A9-%E6%9D%B1%E4%BA%AC"],
    ["an equals sign", "abc==", "abc%3D%3D"],
    ["a plus sign", "a+b", "a%2Bb"],
    ["an ampersand", "a&b", "a%26b"],
  ])("percent-encodes %s in either segment", (_what, raw, encoded) => {
    expect(updateLinkUrl({ publicCompanyId: raw, connectionMagicLinkSecret: "s" })).toBe(
      `${DASHBOARD}/p/connect/${encoded}/workflow/s`,
    );
    expect(updateLinkUrl({ publicCompanyId: "c", connectionMagicLinkSecret: raw })).toBe(
      `${DASHBOARD}/p/connect/c/workflow/${encoded}`,
    );
  });

  test("round-trips any pair of pieces: a URL parser reads back exactly two segments", () => {
    const pieceArb = fc
      .string({ minLength: 1, unit: "grapheme" })
      .filter((value) => value !== "." && value !== ".." && !/^<[^<>]*>$/.test(value));
    fc.assert(
      fc.property(pieceArb, pieceArb, (company, secret) => {
        const url = updateLinkUrl({ publicCompanyId: company, connectionMagicLinkSecret: secret });
        const parsed = new URL(url);
        expect(parsed.search).toBe("");
        expect(parsed.hash).toBe("");
        expect(parsed.origin).toBe(DASHBOARD);
        expect(segmentsOf(parsed.href)).toEqual({ company, secret });
      }),
      { numRuns: 300 },
    );
  });

  test("refuses a documentation placeholder such as <string> in either piece", () => {
    for (const placeholder of ["<string>", "<secret>", "<>"]) {
      const company = thrownBy(() =>
        updateLinkUrl({ publicCompanyId: placeholder, connectionMagicLinkSecret: SECRET }),
      );
      expect(company).toBeInstanceOf(NectarInvalidInputError);
      expect((company as Error).message).toContain(
        "publicCompanyId is a documentation placeholder",
      );
      const secret = thrownBy(() =>
        updateLinkUrl({ publicCompanyId: COMPANY, connectionMagicLinkSecret: placeholder }),
      );
      expect((secret as Error).message).toContain("connectionMagicLinkSecret is a documentation");
    }
    // Angle brackets inside a real value are data, not a placeholder.
    expect(updateLinkUrl({ publicCompanyId: "a<b>c", connectionMagicLinkSecret: "s" })).toBe(
      `${DASHBOARD}/p/connect/a%3Cb%3Ec/workflow/s`,
    );
  });

  test("refuses a dot segment, which a URL parser would resolve to another page", () => {
    expect(new URL(`${DASHBOARD}/p/connect/../workflow/s`).pathname).toBe("/p/workflow/s");
    for (const dots of [".", ".."]) {
      const company = thrownBy(() =>
        updateLinkUrl({ publicCompanyId: dots, connectionMagicLinkSecret: SECRET }),
      );
      expect(company).toBeInstanceOf(NectarInvalidInputError);
      expect((company as Error).message).toContain("publicCompanyId");
      const secret = thrownBy(() =>
        updateLinkUrl({ publicCompanyId: COMPANY, connectionMagicLinkSecret: dots }),
      );
      expect((secret as Error).message).toContain("connectionMagicLinkSecret");
    }
    // A dot inside a segment is an ordinary character.
    expect(updateLinkUrl({ publicCompanyId: "a.b", connectionMagicLinkSecret: "..." })).toBe(
      `${DASHBOARD}/p/connect/a.b/workflow/...`,
    );
  });

  test.each([
    ["https://dash.example.com", "https://dash.example.com/p/connect/c/workflow/s"],
    ["https://dash.example.com/", "https://dash.example.com/p/connect/c/workflow/s"],
    ["https://dash.example.com//", "https://dash.example.com/p/connect/c/workflow/s"],
    ["https://example.com/nectar/", "https://example.com/nectar/p/connect/c/workflow/s"],
    ["https://DASH.example.com:8443", "https://dash.example.com:8443/p/connect/c/workflow/s"],
    ["http://localhost:3000/", "http://localhost:3000/p/connect/c/workflow/s"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/p/connect/c/workflow/s"],
    ["http://[::1]:8080", "http://[::1]:8080/p/connect/c/workflow/s"],
  ])("accepts the dashboard %s", (dashboardUrl, expected) => {
    const pieces = { publicCompanyId: "c", connectionMagicLinkSecret: "s" };
    expect(updateLinkUrl(pieces, { dashboardUrl })).toBe(expected);
  });

  test.each([
    ["http on a public host", "http://dash.nectarclimate.com", /must use https/],
    ["http on a host that merely starts with 127", "http://127.example.com", /must use https/],
    ["another scheme", "ftp://dash.nectarclimate.com", /must use https/],
    ["a relative URL", "/p/connect", /must be an absolute URL/],
    ["a query", "https://dash.nectarclimate.com/?a=1", /query, fragment or credentials/],
    ["a fragment", "https://dash.nectarclimate.com/#x", /query, fragment or credentials/],
    ["credentials", "https://user:pw@dash.nectarclimate.com", /query, fragment or credentials/],
  ])("refuses a dashboard with %s", (_what, dashboardUrl, message) => {
    const error = thrownBy(() =>
      updateLinkUrl(connection, { dashboardUrl: dashboardUrl as string }),
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(SECRET);
  });

  test.each([
    ["an empty publicCompanyId", { publicCompanyId: "" }, "publicCompanyId"],
    ["a missing publicCompanyId", { publicCompanyId: undefined }, "publicCompanyId"],
    ["a null publicCompanyId", { publicCompanyId: null }, "publicCompanyId"],
    ["an empty secret", { connectionMagicLinkSecret: "" }, "connectionMagicLinkSecret"],
    ["a missing secret", { connectionMagicLinkSecret: undefined }, "connectionMagicLinkSecret"],
    ["a numeric secret", { connectionMagicLinkSecret: 12345 }, "connectionMagicLinkSecret"],
  ])("refuses %s without quoting the secret", (_what, override, name) => {
    const pieces = { ...connection, ...override } as unknown as Connection;
    const error = thrownBy(() => updateLinkUrl(pieces));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    const { message } = error as Error;
    expect(message).toBe(`The connection has no ${name}, so no update link can be built.`);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(SECRET.slice(0, 16));
  });
});

describe("the UpdateLink a client returns", () => {
  const url = updateLinkUrl(connection);

  test("keeps the real url and connection as properties", () => {
    const link = toUpdateLink(url, connection);
    expect(link.url).toBe(url);
    expect(link.connection).toBe(connection);
    expect(link.connection.connectionMagicLinkSecret).toBe(SECRET);
    expect(Object.keys(link)).toEqual(["url", "connection"]);
  });

  test("prints with the secret masked under util.inspect, also nested and with showHidden", () => {
    const link = toUpdateLink(url, connection);
    for (const shown of [
      inspect(link),
      inspect(link, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      inspect({ result: link }),
      inspect([link]),
    ]) {
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(encodeURIComponent(SECRET));
      expect(shown).toContain(`/p/connect/${COMPANY}/workflow/[secret]`);
      expect(shown).toContain("connectionMagicLinkSecret: '[secret]'");
      expect(shown).toContain(connection.id);
    }
  });

  test("keeps the secret in JSON.stringify: the JSON is the data the caller asked for", () => {
    // JSON is what a caller stores or sends on (e.g. to the user's inbox service), so it is
    // left whole on purpose; only the human-facing inspection is masked.
    const link = toUpdateLink(url, connection);
    const parsed = JSON.parse(JSON.stringify(link));
    expect(parsed).toEqual({ url, connection });
    expect(parsed.connection.connectionMagicLinkSecret).toBe(SECRET);
  });

  test("comes from client.connections.updateLink with the client's dashboard", async () => {
    const { client, requests } = createObservedClient(() => json(200, connection), {
      dashboardUrl: "https://dash.example.com/",
    });
    const link = await client.connections.updateLink(connection.id);
    expect(link.url).toBe(
      `https://dash.example.com/p/connect/${COMPANY}/workflow/${encodeURIComponent(SECRET)}`,
    );
    expect(link.connection).toEqual(connection);
    expect(inspect(link)).not.toContain(SECRET);
    expect(requests).toHaveLength(1);

    const override = await client.connections.updateLink(connection.id, {
      dashboardUrl: "http://localhost:5173",
    });
    expect(override.url.startsWith("http://localhost:5173/p/connect/")).toBe(true);
  });

  test("is refused by the client when the connection has no secret, without quoting it", async () => {
    const { client } = createObservedClient(() =>
      json(200, { ...connection, connectionMagicLinkSecret: "" }),
    );
    const error = await rejectionOf(client.connections.updateLink(connection.id));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(/no connectionMagicLinkSecret/);
  });

  test("is refused by the client for an http dashboard on a public host", async () => {
    const { client } = createObservedClient(() => json(200, connection));
    const error = await rejectionOf(
      client.connections.updateLink(connection.id, { dashboardUrl: "http://dash.example.com" }),
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toBe(
      "dashboardUrl must use https (http is allowed only for localhost), got http://dash.example.com.",
    );
  });
});
