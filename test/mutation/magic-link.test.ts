/**
 * Mutation tests of `src/helpers/magic-link.ts`: what the Stryker run found unpinned — a
 * non-object connection, the option error naming the function, placeholders only as whole
 * values, and the masked print of a link whose dashboard path itself holds `/workflow/`.
 */
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { toUpdateLink } from "../../src/helpers/magic-link.ts";
import { NectarInvalidInputError, updateLinkUrl } from "../../src/index.ts";
import { connections } from "../helpers/fixtures.ts";

const connection = connections.passwordIncorrect();
const SECRET = connection.connectionMagicLinkSecret;

/** The error a call throws. */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

describe("updateLinkUrl (mutation)", () => {
  test.each([
    ["null", null],
    ["undefined", undefined],
    ["a string", "conn_1"],
    ["a number", 42],
  ])("refuses %s as the connection with a typed error, not a TypeError", (_name, value) => {
    const error = thrownBy(() => updateLinkUrl(value as never));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toBe("updateLinkUrl needs a connection object.");
  });

  test("names updateLinkUrl when an option is unknown", () => {
    const error = thrownBy(() => updateLinkUrl(connection, { bogus: 1 } as never));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toContain('Unknown updateLinkUrl option "bogus"');
  });

  test("treats only a whole value in angle brackets as a placeholder", () => {
    for (const value of ["a<b>", "<b>a", "x<string>y"]) {
      const url = updateLinkUrl({ publicCompanyId: value, connectionMagicLinkSecret: value });
      const encoded = encodeURIComponent(value);
      expect(url).toBe(`https://dash.nectarclimate.com/p/connect/${encoded}/workflow/${encoded}`);
    }
  });

  test("calls a non-string piece missing, even one that prints as a placeholder", () => {
    const error = thrownBy(() =>
      updateLinkUrl({ publicCompanyId: ["<string>"], connectionMagicLinkSecret: "s" } as never),
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toBe(
      "The connection has no publicCompanyId, so no update link can be built.",
    );
  });
});

describe("toUpdateLink (mutation)", () => {
  test("masks the secret, not the dashboard's own /workflow/ path segment", () => {
    const dashboardUrl = "https://dash.example.com/workflow/app";
    const url = updateLinkUrl(connection, { dashboardUrl });
    const shown = inspect(toUpdateLink(url, connection));
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(encodeURIComponent(SECRET));
    expect(shown).toContain(
      `${dashboardUrl}/p/connect/${connection.publicCompanyId}/workflow/[secret]`,
    );
  });

  test("keeps the mask out of copies: a spread link holds only url and connection", () => {
    const link = toUpdateLink(updateLinkUrl(connection), connection);
    expect(Reflect.ownKeys({ ...link })).toEqual(["url", "connection"]);
    expect(Object.getOwnPropertySymbols(Object.assign({}, link))).toEqual([]);
  });
});
