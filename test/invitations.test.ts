/**
 * `client.invitations` against the mock server over 127.0.0.1: create, retrieve, revoke, the
 * body it sends, what it refuses before sending, `.withResponse()`, strict validation, and the
 * token kept out of logs and inspections.
 */
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createNectarClient,
  type NectarClientOptions,
  NectarInvalidInputError,
  NectarNotFoundError,
  NectarPromise,
  NectarResponseValidationError,
} from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { rejectionOf } from "./helpers/client.js";
import { connections, invitations, TEST_API_KEY } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

const CONNECTION = connections.passwordIncorrect();
const ACTIVE = invitations.detailActive();
const REVOKED = invitations.detailRevoked();
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
/** The mock's clock: fixed, so that expiry times are exact. */
const NOW = Date.parse("2024-06-05T08:00:00Z");

let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer({ apiKey: TEST_API_KEY, now: () => NOW });
});
afterEach(() => mock.reset());
afterAll(async () => {
  await mock.close();
});

/** A client on the mock whose log lines and request bodies are kept (logs join the redaction check). */
function mockClient(options: NectarClientOptions = {}) {
  const lines: string[] = [];
  const bodies: (string | undefined)[] = [];
  const record = (message: string, ...details: unknown[]) => {
    lines.push(`${message} ${JSON.stringify(details)}`);
    recordForRedaction({ message, details });
  };
  const client = createNectarClient({
    apiKey: TEST_API_KEY,
    baseUrl: mock.url,
    logLevel: "debug",
    logger: { error: record, warn: record, info: record, debug: record },
    fetch: (input, init) => {
      bodies.push(typeof init?.body === "string" ? init.body : undefined);
      return fetch(input, init);
    },
    ...options,
  });
  return { client, lines, bodies };
}

describe("create, retrieve, revoke", () => {
  it("creates an invitation, retrieves it, revokes it, and then it reads REVOKED", async () => {
    const { client } = mockClient({ validateResponses: "strict" });
    const created = await client.invitations.createReconnect(CONNECTION.id, {
      allowedEmails: ["energy.manager@acme.example"],
      expiresInSeconds: 7 * 24 * 3600,
      maxUses: 1,
      sendEmail: true,
    });
    expect(created).toMatchObject({
      invitationType: "EDIT_CONNECTION",
      status: "ACTIVE",
      connectionId: CONNECTION.id,
      allowedEmails: ["energy.manager@acme.example"],
      createdAt: "2024-06-05T08:00:00Z",
      expiresAt: "2024-06-12T08:00:00Z",
      maxUses: 1,
      useCount: 0,
      prefill: {},
      createdConnections: [],
    });
    expect(created.invitationUrl).toBe(`https://dash.nectarclimate.com/p/i/${created.token}`);
    expect(mock.stats.invitationsCreated).toBe(1);

    const detail = await client.invitations.retrieve(created.id);
    expect(detail).toEqual({
      ...created,
      events: [{ activity: "created", at: created.createdAt }],
    });

    await expect(client.invitations.revoke(created.id)).resolves.toBeUndefined();
    const revoked = await client.invitations.retrieve(created.id);
    expect(revoked.status).toBe("REVOKED");
    expect(revoked.events?.map((event) => event.activity)).toEqual(["created", "revoked"]);
    expect(mock.stats.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `POST /v2.2/invitation/connection/${CONNECTION.id}`,
      `GET /v2.2/invitation/${created.id}`,
      `POST /v2.2/invitation/${created.id}/revoke`,
      `GET /v2.2/invitation/${created.id}`,
    ]);
  });

  it("sends the documented fields as JSON, {} with no options, and no body to revoke", async () => {
    const { client, bodies } = mockClient();
    await client.invitations.createReconnect(CONNECTION.id);
    const created = await client.invitations.createReconnect(CONNECTION.id, {
      expiresInSeconds: 86_400,
      maxUses: 1,
      sendEmail: false,
      timeoutMs: 10_000,
    });
    await client.invitations.revoke(created.id);
    expect(bodies).toEqual([
      "{}",
      '{"expiresInSeconds":86400,"maxUses":1,"sendEmail":false}',
      undefined,
    ]);
    expect(mock.stats.log[0]?.headers["content-type"]).toBe("application/json");
  });

  it("accepts an upper-case id and sends it in lower case", async () => {
    const { client } = mockClient();
    const detail = await client.invitations.retrieve(ACTIVE.id.toUpperCase());
    expect(detail.id).toBe(ACTIVE.id);
    expect(mock.stats.log[0]?.path).toBe(`/v2.2/invitation/${ACTIVE.id}`);
  });

  it("serves the spec's examples: the active one as it is, the revoked one REVOKED", async () => {
    const { client } = mockClient({ validateResponses: "strict" });
    expect(await client.invitations.retrieve(ACTIVE.id)).toEqual(ACTIVE);
    expect(await client.invitations.retrieve(REVOKED.id)).toEqual(REVOKED);
  });

  it("rejects with NectarNotFoundError for an unknown connection or invitation", async () => {
    const { client } = mockClient();
    const calls = [
      () => client.invitations.createReconnect(UNKNOWN_ID),
      () => client.invitations.retrieve(UNKNOWN_ID),
      () => client.invitations.revoke(UNKNOWN_ID),
    ];
    for (const call of calls) {
      expect(await rejectionOf(call())).toBeInstanceOf(NectarNotFoundError);
    }
    expect(mock.stats.invitationsCreated).toBe(0);
  });
});

describe("refused before sending", () => {
  it.each<[string, () => Promise<unknown>, RegExp]>([
    [
      "a non-UUID connection id",
      () => mockClient().client.invitations.createReconnect("nope"),
      /^connectionId must be a UUID/,
    ],
    [
      "the API key as a connection id",
      () => mockClient().client.invitations.createReconnect(TEST_API_KEY),
      /^connectionId must be a UUID/,
    ],
    [
      "a non-UUID invitation id to retrieve",
      () => mockClient().client.invitations.retrieve("nope"),
      /^invitationId must be a UUID/,
    ],
    [
      "a non-UUID invitation id to revoke",
      () => mockClient().client.invitations.revoke(""),
      /^invitationId must be a UUID/,
    ],
    [
      "an unknown option",
      () =>
        mockClient().client.invitations.createReconnect(CONNECTION.id, { prefill: {} } as never),
      /^Unknown createReconnect option "prefill"/,
    ],
    [
      "a bad address",
      () =>
        mockClient().client.invitations.createReconnect(CONNECTION.id, { allowedEmails: ["nope"] }),
      /^allowedEmails\[0\] is not an email address/,
    ],
    [
      "expiresInSeconds below 60",
      () =>
        mockClient().client.invitations.createReconnect(CONNECTION.id, { expiresInSeconds: 30 }),
      /^expiresInSeconds must be a whole number/,
    ],
    [
      "maxUses 0",
      () => mockClient().client.invitations.createReconnect(CONNECTION.id, { maxUses: 0 }),
      /^maxUses must be a whole number/,
    ],
    [
      "sendEmail without addresses",
      () => mockClient().client.invitations.createReconnect(CONNECTION.id, { sendEmail: true }),
      /^sendEmail: true needs/,
    ],
    [
      "a bad call option",
      () => mockClient().client.invitations.createReconnect(CONNECTION.id, { timeoutMs: -1 }),
      /^timeoutMs must be a positive number/,
    ],
    [
      "an unknown call option to retrieve",
      () => mockClient().client.invitations.retrieve(ACTIVE.id, { retries: 1 } as never),
      /"retries"/,
    ],
  ])("%s: NectarInvalidInputError, nothing sent", async (_name, call, message) => {
    const error = await rejectionOf(call());
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(error instanceof Error && error.message).toMatch(message);
    expect(error instanceof Error && error.message).not.toContain(TEST_API_KEY);
    expect(mock.stats.requests).toBe(0);
  });
});

describe(".withResponse()", () => {
  it("gives the created invitation with its response (201) and attempt count", async () => {
    const { client } = mockClient();
    const call = client.invitations.createReconnect(CONNECTION.id, { maxUses: 1 });
    expect(call).toBeInstanceOf(NectarPromise);
    const { data, response, attempts, requestId } = await call.withResponse();
    expect([response.status, attempts, requestId]).toEqual([201, 1, undefined]);
    expect(data.maxUses).toBe(1);
  });

  it("gives a revoke's response, with no data, and a retrieve's detail", async () => {
    const { client } = mockClient();
    const revoked = await client.invitations.revoke(ACTIVE.id).withResponse();
    expect([revoked.response.status, revoked.data, revoked.attempts]).toEqual([200, undefined, 1]);
    const detail = await client.invitations.retrieve(ACTIVE.id).withResponse();
    expect(detail.data.status).toBe("REVOKED");
  });

  it("a revoke answered 204 without a body, or 200 with a body that is not JSON, succeeds", async () => {
    const { client } = mockClient();
    mock.script(ACTIVE.id, [{ status: 204 }, { kind: "invalid-json" }]);
    expect((await client.invitations.revoke(ACTIVE.id).withResponse()).response.status).toBe(204);
    await expect(client.invitations.revoke(ACTIVE.id)).resolves.toBeUndefined();
  });
});

describe("response validation", () => {
  it("strict: a created invitation without its token is refused", async () => {
    const { client } = mockClient({ validateResponses: "strict" });
    const { token: _token, ...withoutToken } = invitations.reconnect();
    mock.script(CONNECTION.id, [{ kind: "json", status: 201, body: withoutToken }]);
    const error = await rejectionOf(client.invitations.createReconnect(CONNECTION.id));
    expect(error).toBeInstanceOf(NectarResponseValidationError);
    expect(error instanceof Error && error.message).toMatch(
      /^POST \/invitation\/connection\/8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13 returned a body that does not match the spec: \(body\) must have required property 'token'/,
    );
  });

  it("strict: a detail whose events are not a list is refused; off: it passes through", async () => {
    const broken = { ...ACTIVE, events: "none" };
    mock.script(ACTIVE.id, [
      { kind: "json", body: broken },
      { kind: "json", body: broken },
    ]);
    const strict = mockClient({ validateResponses: "strict" }).client;
    const error = await rejectionOf(strict.invitations.retrieve(ACTIVE.id));
    expect(error instanceof NectarResponseValidationError && error.violations).toEqual([
      { pointer: "/events", message: "must be array" },
    ]);
    const lenient = mockClient().client;
    expect(await lenient.invitations.retrieve(ACTIVE.id)).toEqual(broken);
  });

  it("an invitation status this package does not know passes through with validation off", async () => {
    mock.script(ACTIVE.id, [{ kind: "json", body: { ...ACTIVE, status: "PAUSED" } }]);
    const detail = await mockClient().client.invitations.retrieve(ACTIVE.id);
    expect(detail.status).toBe("PAUSED");
  });
});

describe("the token stays out of logs and inspections", () => {
  it("an error whose body echoes an invitation masks its token and URL", async () => {
    const { client } = mockClient();
    const echoed = { detail: "Already revoked.", invitation: REVOKED };
    mock.script(REVOKED.id, [{ status: 400, body: echoed }]);
    const error = await rejectionOf(client.invitations.revoke(REVOKED.id));
    const shown = inspect(error, { depth: 8 });
    expect(shown).toContain("Already revoked.");
    expect(shown).not.toContain(REVOKED.token);
    expect(JSON.stringify(error)).not.toContain(REVOKED.token);
  });

  it("logs at debug level carry no token; inspect masks it; JSON keeps it", async () => {
    const { client, lines } = mockClient();
    const created = await client.invitations.createReconnect(CONNECTION.id, { maxUses: 1 });
    const full = await client.invitations.retrieve(created.id).withResponse();
    await client.invitations.revoke(created.id);
    const detail = await client.invitations.retrieve(ACTIVE.id);
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const line of lines) expect(line).not.toContain(created.token);

    for (const value of [created, full, full.data, detail]) {
      const shown = inspect(value, { depth: 8 });
      recordForRedaction(shown);
      expect(shown).not.toContain(created.token);
      expect(shown).not.toContain(ACTIVE.token);
      expect(shown).toContain("[secret]");
    }
    expect(JSON.parse(JSON.stringify(created)).token).toBe(created.token);
    expect(JSON.stringify(detail)).toContain(ACTIVE.token);
    expect(created.token).toMatch(/^[A-Za-z0-9]{24}$/);
  });
});
