/**
 * The mock's invitations, observed with plain `fetch` over 127.0.0.1: creation for a known
 * connection, Django-style 400s naming the field, retrieval with events, revocation, expiry
 * against the mock's clock, the created-invitations counter, reset, and scripted faults.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Invitation, InvitationDetail } from "../generated/schema.js";
import { validateInvitation, validateInvitationDetail } from "../generated/validators.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { connections, errorBodies, invitations } from "./helpers/fixtures.js";

const CONNECTION = connections.passwordIncorrect();
const ACTIVE = invitations.detailActive();
const REVOKED = invitations.detailRevoked();
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const START = Date.parse("2024-06-05T08:00:00Z");

let mock: MockServer;
/** The mock's clock, moved by the tests. */
let now = START;

beforeAll(async () => {
  mock = await startMockServer({ now: () => now });
});
afterEach(() => {
  mock.reset();
  now = START;
});
afterAll(async () => {
  await mock.close();
});

/** A request to the mock with its key; `body` is sent as is (a string) or as JSON. */
async function call(method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { "X-API-KEY": mock.apiKey } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers = { ...init.headers, "content-type": "application/json" };
  }
  const response = await fetch(`${mock.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text && JSON.parse(text) };
}

const create = (body: unknown = {}, id = CONNECTION.id) =>
  call("POST", `/invitation/connection/${id}`, body);

describe("POST /invitation/connection/{id}", () => {
  it("201 with a new reconnect invitation built from the body and the clock", async () => {
    const { status, body } = await create({
      allowedEmails: ["energy.manager@acme.example"],
      expiresInSeconds: 3_600,
      maxUses: 1,
      sendEmail: true,
    });
    expect(status).toBe(201);
    expect(validateInvitation(body)).toBe(true);
    const invitation = body as Invitation;
    expect(invitation).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      token: expect.stringMatching(/^[A-Za-z0-9]{24}$/),
      invitationType: "EDIT_CONNECTION",
      status: "ACTIVE",
      invitationUrl: `https://dash.nectarclimate.com/p/i/${invitation.token}`,
      companyId: CONNECTION.company?.id,
      connectionId: CONNECTION.id,
      allowedEmails: ["energy.manager@acme.example"],
      expiresAt: "2024-06-05T09:00:00Z",
      maxUses: 1,
      useCount: 0,
      createdAt: "2024-06-05T08:00:00Z",
      prefill: {},
      createdConnections: [],
    });
    expect(mock.stats.invitationsCreated).toBe(1);
  });

  it("an empty object or no body at all: anyone with the link, no expiry, no use limit", async () => {
    for (const body of [{}, ""]) {
      const created = await create(body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ allowedEmails: [], expiresAt: null, maxUses: null });
    }
    expect(mock.stats.invitationsCreated).toBe(2);
  });

  it("each invitation gets its own id and token", async () => {
    const [a, b] = [(await create()).body as Invitation, (await create()).body as Invitation];
    expect(a.id).not.toBe(b.id);
    expect(a.token).not.toBe(b.token);
  });

  it("ignores keys the spec does not name, as a Django serializer does", async () => {
    const created = await create({ maxUses: 1, prefill: { country: "US" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ maxUses: 1, prefill: {} });
  });

  it.each<[string, unknown, string]>([
    [
      "expiresInSeconds 59",
      { expiresInSeconds: 59 },
      "expiresInSeconds: Ensure this value is greater than or equal to 60.",
    ],
    [
      "expiresInSeconds 60.5",
      { expiresInSeconds: 60.5 },
      "expiresInSeconds: A valid integer is required.",
    ],
    [
      "expiresInSeconds null",
      { expiresInSeconds: null },
      "expiresInSeconds: This field may not be null.",
    ],
    ["maxUses 0", { maxUses: 0 }, "maxUses: Ensure this value is greater than or equal to 1."],
    ["maxUses as a string", { maxUses: "1" }, "maxUses: A valid integer is required."],
    [
      "a bad address",
      { allowedEmails: ["a@acme.example", "nope"] },
      "allowedEmails: Enter a valid email address.",
    ],
    ["an empty address", { allowedEmails: [""] }, "allowedEmails: This field may not be blank."],
    [
      "allowedEmails as a string",
      { allowedEmails: "a@acme.example" },
      'allowedEmails: Expected a list of items but got type "str".',
    ],
    ["sendEmail as a string", { sendEmail: "yes" }, "sendEmail: Must be a valid boolean."],
    ["a list instead of an object", [], "Invalid data. Expected a dictionary, but got list."],
    [
      "text that is not JSON",
      "{maxUses: 1",
      "JSON parse error - the request body is not valid JSON.",
    ],
  ])("400 for %s, with a detail that names the field", async (_name, body, detail) => {
    const answer = await create(body);
    expect(answer).toMatchObject({ status: 400, body: { detail } });
    expect(mock.stats.invitationsCreated).toBe(0);
  });

  it("404 for an unknown connection, 400 for an id that is not a UUID", async () => {
    expect(await create({}, UNKNOWN_ID)).toMatchObject({
      status: 404,
      body: errorBodies.notFound(),
    });
    expect(await create({}, "not-a-uuid")).toMatchObject({
      status: 400,
      body: { detail: "Invalid connection_id: expected a UUID." },
    });
    expect(mock.stats.invitationsCreated).toBe(0);
  });

  it("another method: 405 with Allow", async () => {
    const answer = await call("GET", `/invitation/connection/${CONNECTION.id}`);
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("POST");
  });

  it("401 without the key, and nothing created", async () => {
    const response = await fetch(`${mock.url}/invitation/connection/${CONNECTION.id}`, {
      method: "POST",
      body: "{}",
    });
    expect(response.status).toBe(401);
    expect(mock.stats.invitationsCreated).toBe(0);
  });
});

describe("GET /invitation/{id} and POST /invitation/{id}/revoke", () => {
  it("a created invitation comes back with a created event; revoked, it reads REVOKED", async () => {
    const created = (await create({ maxUses: 1 })).body as Invitation;
    const detail = await call("GET", `/invitation/${created.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual({
      ...created,
      events: [{ activity: "created", at: created.createdAt }],
    });
    expect(validateInvitationDetail(detail.body)).toBe(true);

    now += 60_000;
    const revoked = await call("POST", `/invitation/${created.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ ...created, status: "REVOKED" });
    const after = (await call("GET", `/invitation/${created.id}`)).body as InvitationDetail;
    expect(after.status).toBe("REVOKED");
    expect(after.events).toEqual([
      { activity: "created", at: "2024-06-05T08:00:00Z" },
      { activity: "revoked", at: "2024-06-05T08:01:00Z" },
    ]);
  });

  it("revoking twice answers 200 both times and records one revocation", async () => {
    const created = (await create()).body as Invitation;
    for (let i = 0; i < 2; i++) {
      expect((await call("POST", `/invitation/${created.id}/revoke`)).status).toBe(200);
    }
    const after = (await call("GET", `/invitation/${created.id}`)).body as InvitationDetail;
    expect(after.events?.filter((event) => event.activity === "revoked")).toHaveLength(1);
  });

  it("expiry follows the mock's clock: ACTIVE until expiresAt, EXPIRED from then", async () => {
    const created = (await create({ expiresInSeconds: 3_600 })).body as Invitation;
    const statusAt = async (ms: number) => {
      now = ms;
      return ((await call("GET", `/invitation/${created.id}`)).body as Invitation).status;
    };
    expect(await statusAt(START + 3_599_000)).toBe("ACTIVE");
    expect(await statusAt(START + 3_600_000)).toBe("EXPIRED");
    expect(await statusAt(START + 3_600_000 * 24 * 365)).toBe("EXPIRED");
  });

  it("serves the spec's examples from the start; the active one expires on its date", async () => {
    expect((await call("GET", `/invitation/${ACTIVE.id}`)).body).toEqual(ACTIVE);
    expect((await call("GET", `/invitation/${REVOKED.id}`)).body).toEqual(REVOKED);
    now = Date.parse(ACTIVE.expiresAt ?? "");
    expect((await call("GET", `/invitation/${ACTIVE.id}`)).body).toEqual({
      ...ACTIVE,
      status: "EXPIRED",
    });
  });

  it("404 for an unknown id, 400 for an id that is not a UUID, on both routes", async () => {
    for (const path of [`/invitation/${UNKNOWN_ID}`, `/invitation/${UNKNOWN_ID}/revoke`]) {
      const answer = await call(path.endsWith("revoke") ? "POST" : "GET", path);
      expect(answer).toMatchObject({ status: 404, body: errorBodies.notFound() });
    }
    expect(await call("GET", "/invitation/not-a-uuid")).toMatchObject({
      status: 400,
      body: { detail: "Invalid invitation_id: expected a UUID." },
    });
    expect((await call("GET", `/invitation/${ACTIVE.id}/revoke`)).status).toBe(405);
  });
});

describe("options, counter and reset", () => {
  it("serves the invitations given at start; one used up reads FULFILLED", async () => {
    const used = { ...ACTIVE, id: UNKNOWN_ID, expiresAt: null, maxUses: 1, useCount: 1 };
    const own = await startMockServer({ invitations: [used], now: () => START });
    try {
      const headers = { "X-API-KEY": own.apiKey };
      const response = await fetch(`${own.url}/invitation/${UNKNOWN_ID}`, { headers });
      expect(await response.json()).toEqual({ ...used, status: "FULFILLED" });
      const example = await fetch(`${own.url}/invitation/${ACTIVE.id}`, { headers });
      expect(example.status).toBe(404);
    } finally {
      await own.close();
    }
  });

  it("refuses an invitation without an id at start", async () => {
    const { id: _id, ...withoutId } = ACTIVE;
    await expect(startMockServer({ invitations: [withoutId as InvitationDetail] })).rejects.toThrow(
      "invitations[0] must be an invitation object with a string id, got an object without one.",
    );
  });

  it("reset forgets created invitations and revocations and zeroes the counter", async () => {
    const created = (await create()).body as Invitation;
    await call("POST", `/invitation/${ACTIVE.id}/revoke`);
    expect(mock.stats.invitationsCreated).toBe(1);
    mock.reset();
    expect(mock.stats.invitationsCreated).toBe(0);
    expect((await call("GET", `/invitation/${created.id}`)).status).toBe(404);
    expect(((await call("GET", `/invitation/${ACTIVE.id}`)).body as Invitation).status).toBe(
      "ACTIVE",
    );
  });
});

describe("scripted faults", () => {
  it("a fault scripted on a connection id answers its create; the next one creates", async () => {
    mock.script(CONNECTION.id, [
      { status: 429, headers: { "Retry-After": "1" } },
      { kind: "reset" },
    ]);
    const throttled = await create();
    expect([throttled.status, throttled.headers.get("retry-after")]).toEqual([429, "1"]);
    expect(throttled.body).toEqual({
      detail: "Request was throttled. Expected available in 1 second.", // as Retry-After says
    });
    await expect(create()).rejects.toThrow();
    expect(mock.stats.invitationsCreated).toBe(0);
    expect((await create()).status).toBe(201);
    expect(mock.stats.invitationsCreated).toBe(1);
  });

  it("a 2xx fault on a create carries a created invitation (the server did the work)", async () => {
    mock.script(CONNECTION.id, [{ status: 200, headers: { "x-extra": "1" } }]);
    const answer = await create({ maxUses: 2 });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ maxUses: 2, status: "ACTIVE" });
    expect(mock.stats.invitationsCreated).toBe(1);
  });

  it("a fault scripted on an invitation id answers its retrieve and its revoke", async () => {
    mock.script(ACTIVE.id, [
      { status: 503 },
      { kind: "json", status: 202, body: { queued: true } },
    ]);
    expect((await call("GET", `/invitation/${ACTIVE.id}`)).status).toBe(503);
    const revoke = await call("POST", `/invitation/${ACTIVE.id}/revoke`);
    expect(revoke).toMatchObject({ status: 202, body: { queued: true } });
    expect(((await call("GET", `/invitation/${ACTIVE.id}`)).body as Invitation).status).toBe(
      "ACTIVE",
    );
  });
});
