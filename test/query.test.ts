/**
 * Query parameters from the operation table (`core/query.ts`): each value checked against its
 * parameter before anything is sent, then serialized as the spec says.
 */
import { describe, expect, test } from "vitest";
import { operations } from "../generated/operations.js";
import { checkQuery, type QueryParameter, queryString } from "../src/core/query.js";
import { refusal } from "./helpers/refused.js";

const LIST = operations.listCompanyConnections.query;
const SITE_A = "2E3F4A5B-6C7D-4E8F-9A0B-1C2D3E4F5A6B";
const SITE_B = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f";

describe("checkQuery, against the list's parameters", () => {
  test("keeps valid values, leaves absent ones out, lower-cases UUIDs, copies arrays", () => {
    const sites = [SITE_A, SITE_B];
    const checked = checkQuery(LIST, {
      status: "PASSWORD_INCORRECT",
      connectionOwnerEmail: "energy.manager@acme.example",
      sites,
      limit: 500,
      page: undefined,
    });
    expect(checked).toEqual({
      status: "PASSWORD_INCORRECT",
      connectionOwnerEmail: "energy.manager@acme.example",
      sites: [SITE_A.toLowerCase(), SITE_B],
      limit: 500,
    });
    expect(checked.sites).not.toBe(sites);
    expect(checkQuery(LIST, {})).toEqual({});
  });

  test.each([
    [{ limit: 0 }, "limit must be a whole number from 1 to 500, got 0."],
    [{ limit: 501 }, "limit must be a whole number from 1 to 500, got 501."],
    [{ limit: 2.5 }, "limit must be a whole number from 1 to 500, got 2.5."],
    [{ limit: "100" }, "limit must be a whole number from 1 to 500, got a string (not shown)."],
    [{ page: 0 }, "page must be a whole number of at least 1, got 0."],
    [{ page: Number.NaN }, "page must be a whole number of at least 1, got NaN."],
    [
      { status: "DEACTIVATED" },
      "status must be one of PENDING, UNDER_INVESTIGATION, CONNECTED, MFA_TOKEN_EXPIRED, PASSWORD_INCORRECT, NEW_PASSWORD_NEEDED, ADDITIONAL_CREDENTIALS_NEEDED, WEBSITE_DOWN, NO_ACCOUNTS_FOUND, OTHER_ERROR, COMPANY_INACTIVE, URL_INACCESSIBLE, got a string (not shown).",
    ],
    [{ status: 3 }, "status must be a string, got 3."],
    [
      { connectionOwnerEmail: "" },
      "connectionOwnerEmail must not be empty, got a string (not shown).",
    ],
    [
      { connectionOwnerEmail: "not-an-address" },
      "connectionOwnerEmail must be an email address, got a string (not shown).",
    ],
    [{ connectionOwnerEmail: null }, "connectionOwnerEmail must be a string, got null."],
    [{ sites: SITE_A }, "sites must be an array, got a string (not shown)."],
    [{ sites: [SITE_A, "site-2"] }, "sites[1] must be a UUID, got a string (not shown)."],
    [{ sites: [{}] }, "sites[0] must be a string, got a value of type object."],
    [{ sort: "name" }, 'Unknown query parameter "sort".'],
  ])("refuses %j: %s", (values, message) => {
    expect(refusal(() => checkQuery(LIST, values))).toBe(message);
  });

  test("never quotes a string it refuses", () => {
    const secret = "nk_live_0123456789abcdef";
    for (const values of [
      { status: secret },
      { connectionOwnerEmail: secret },
      { sites: [secret] },
    ]) {
      expect(refusal(() => checkQuery(LIST, values))).not.toContain(secret);
    }
  });

  test("refuses a missing required parameter", () => {
    const required: QueryParameter[] = [
      { name: "cursor", required: true, type: "string", array: false, explode: true },
    ];
    expect(refusal(() => checkQuery(required, {}))).toBe("cursor is required.");
    expect(checkQuery(required, { cursor: "x" })).toEqual({ cursor: "x" });
  });

  test("accepts the bounds themselves", () => {
    expect(checkQuery(LIST, { limit: 1, page: 1 })).toEqual({ limit: 1, page: 1 });
    expect(checkQuery(LIST, { page: Number.MAX_SAFE_INTEGER })).toEqual({
      page: Number.MAX_SAFE_INTEGER,
    });
  });
});

describe("queryString", () => {
  test("writes the table's order, repeating an exploded array's name per item", () => {
    const values = { status: "CONNECTED", sites: [SITE_B, "b"], limit: 500, page: 3 };
    expect(queryString(LIST, values)).toBe(
      `limit=500&page=3&sites=${SITE_B}&sites=b&status=CONNECTED`,
    );
  });

  test("encodes each value, leaves out absent values and empty arrays", () => {
    expect(queryString(LIST, { connectionOwnerEmail: "a+b&c=d@x.example", sites: [] })).toBe(
      "connectionOwnerEmail=a%2Bb%26c%3Dd%40x.example",
    );
    expect(queryString(LIST, {})).toBe("");
  });

  test("joins an unexploded array's items with commas", () => {
    const tags: QueryParameter[] = [
      { name: "tag", required: false, type: "string", array: true, explode: false },
    ];
    expect(queryString(tags, { tag: ["a b", "c"] })).toBe("tag=a%20b,c");
  });
});
