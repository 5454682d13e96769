/**
 * The mock sends webhooks over real sockets: signed by this package, checked here by
 * `standardwebhooks` and by `verifyWebhook`, payloads valid against the spec's webhook schemas,
 * retried like Svix (same `webhook-id`) after a 500, a hang, a reset or a receiver that is down,
 * bounded, and silent after `close()`.
 */
import { inspect } from "node:util";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, test } from "vitest";
import type { Connection, ConnectionUpdatedEventV2 } from "../generated/schema.js";
import {
  validateConnectionEventV2,
  validateConnectionUpdatedEventV2,
} from "../generated/validators.js";
import { NectarInvalidInputError, verifyWebhook } from "../src/index.ts";
import { type MockServer, type MockServerOptions, startMockServer } from "../src/mock/index.js";
import { connections, TEST_WEBHOOK_SECRET } from "./helpers/fixtures.js";
import {
  deadUrl,
  type ReceivedDelivery,
  type Receiver,
  type ReceiverReply,
  startReceiver,
} from "./helpers/webhook-receiver.js";

const PASSWORD_INCORRECT = connections.passwordIncorrect();
const ID = PASSWORD_INCORRECT.id;

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => server.close()));
});

async function receiver(): Promise<Receiver> {
  const started = await startReceiver();
  opened.push(started);
  return started;
}

/** A mock sending to `url`, with short retries unless `webhooks` says otherwise. */
async function mockSendingTo(
  url: string,
  webhooks: Partial<NonNullable<MockServerOptions["webhooks"]>> = {},
): Promise<MockServer> {
  const mock = await startMockServer({
    webhooks: { url, secret: TEST_WEBHOOK_SECRET, retryScheduleMs: [20, 40], ...webhooks },
  });
  opened.push(mock);
  return mock;
}

/** One poll of a connection, which applies a due scripted change. */
async function poll(mock: MockServer, id = ID): Promise<Connection> {
  const response = await fetch(`${mock.url}/connection/${id}`, {
    headers: { "x-api-key": mock.apiKey },
  });
  return (await response.json()) as Connection;
}

/** A mock that sends one validated event to `url` (a same-status change, polled). */
async function oneEvent(url: string, webhooks: Parameters<typeof mockSendingTo>[1] = {}) {
  const mock = await mockSendingTo(url, webhooks);
  mock.script(ID, { becomes: "PASSWORD_INCORRECT" });
  await poll(mock);
  return mock;
}

/** A receiver answering `replies`, and a mock whose one event's first attempt it has received. */
async function firstAttemptAnswered(
  replies: ReceiverReply[],
  webhooks: Parameters<typeof mockSendingTo>[1] = {},
): Promise<{ hook: Receiver; mock: MockServer }> {
  const hook = await receiver();
  hook.reply(...replies);
  const mock = await oneEvent(hook.url, webhooks);
  await hook.waitFor(1);
  return { hook, mock };
}

/** The payload of a delivery, after `standardwebhooks` accepted its signature. */
function verifiedByStandard(delivery: ReceivedDelivery): Record<string, unknown> {
  const header = (name: string) => String(delivery.headers[`svix-${name}`]);
  const headers = {
    "webhook-id": header("id"),
    "webhook-timestamp": header("timestamp"),
    "webhook-signature": header("signature"),
  };
  return new Webhook(TEST_WEBHOOK_SECRET).verify(delivery.body, headers) as Record<string, unknown>;
}

/** The deliveries by event type (two events of one change may arrive in either order). */
function byType(deliveries: ReceivedDelivery[]): Map<string, ReceivedDelivery> {
  return new Map(deliveries.map((d) => [String(JSON.parse(d.body).eventType), d]));
}

/** Resolves after `ms`: how long a test listens for a delivery that must not come. */
const quietFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("what the mock sends", () => {
  test("a scripted status change: connection.updated.v2 and connection.validated.v2, signed, valid", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url);
    mock.script(ID, { becomes: "CONNECTED" });
    expect((await poll(mock)).status).toBe("CONNECTED");
    const events = byType(await hook.waitFor(2));
    const updated = events.get("connection.updated.v2");
    const validated = events.get("connection.validated.v2");
    if (updated === undefined || validated === undefined) throw new Error("an event is missing");
    const updatedPayload = verifiedByStandard(updated) as ConnectionUpdatedEventV2;
    expect(validateConnectionUpdatedEventV2(updatedPayload)).toBe(true);
    expect(updatedPayload).toMatchObject({
      id: ID,
      status: "CONNECTED",
      protectedChanges: ["status"],
      old: { status: "PASSWORD_INCORRECT" },
    });
    const validatedPayload = verifiedByStandard(validated);
    expect(validateConnectionEventV2(validatedPayload)).toBe(true);
    expect(validatedPayload).toMatchObject({ id: ID, status: "CONNECTED" });
    expect(validatedPayload).not.toHaveProperty("protectedChanges");
    expect(updated.headers["svix-id"]).not.toBe(validated.headers["svix-id"]);
    expect(updated.headers["svix-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(mock.stats.webhooks.events).toEqual(
      expect.arrayContaining([
        { messageId: updated.headers["svix-id"], eventType: "connection.updated.v2" },
        { messageId: validated.headers["svix-id"], eventType: "connection.validated.v2" },
      ]),
    );
    expect(mock.stats.webhooks.events).toHaveLength(2);
    expect(updated.headers["content-type"]).toBe("application/json");
    await expect.poll(() => mock.stats.webhooks.delivered).toBe(2);
    expect(mock.stats.webhooks).toMatchObject({ sent: 2, attempts: 2, failed: 0 });
  });

  test("verifyWebhook reads them as typed events with the dates Nectar writes", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url);
    mock.script(ID, { becomes: "CONNECTED" });
    await poll(mock);
    for (const delivery of await hook.waitFor(2)) {
      const event = await verifyWebhook(delivery.body, delivery.headers, TEST_WEBHOOK_SECRET);
      expect(["connection.updated.v2", "connection.validated.v2"]).toContain(event.type);
      expect(event.messageId).toBe(delivery.headers["svix-id"]);
      const payload = event.payload as { created: string; updated: string };
      expect(payload.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}$/);
      expect(payload.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}$/);
    }
  });

  test("the payload is the connection's v2 shape: no magic-link secret, company or status times", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url);
    mock.script(ID, { becomes: "WEBSITE_DOWN" });
    await poll(mock);
    const [delivery] = await hook.waitFor(1);
    const payload = JSON.parse(String(delivery?.body)) as Record<string, unknown>;
    for (const absent of [
      "connectionMagicLinkSecret",
      "company",
      "datasource",
      "statusErrorDetail",
      "statusFirstSeenTime",
      "isActive",
    ]) {
      expect(payload).not.toHaveProperty(absent);
    }
    expect(String(delivery?.body)).not.toContain(PASSWORD_INCORRECT.connectionMagicLinkSecret);
    expect(payload).toMatchObject({
      country: PASSWORD_INCORRECT.country,
      url: PASSWORD_INCORRECT.url,
      initialSites: PASSWORD_INCORRECT.initialSites,
    });
    const accounts = payload.accounts as Record<string, unknown>[];
    expect(accounts.length).toBe(PASSWORD_INCORRECT.accounts?.length);
    for (const account of accounts) expect(account).not.toHaveProperty("trackingStatus");
  });

  test("a change to the same status is a validation: connection.validated.v2 alone", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url);
    mock.script(ID, { becomes: "PASSWORD_INCORRECT" });
    await poll(mock);
    const [delivery] = await hook.waitFor(1);
    expect(JSON.parse(String(delivery?.body)).eventType).toBe("connection.validated.v2");
    await quietFor(200);
    expect(hook.received).toHaveLength(1);
    expect(mock.stats.webhooks.sent).toBe(1);
  });

  test("setConnection: a new connection is connection.created.v2; a changed field updated.v2 alone", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url);
    const fresh = { ...connections.seed(), id: "0b7e3c1a-2d4f-4a6b-8c9d-1e2f3a4b5c6d" };
    mock.setConnection(fresh);
    const [created] = await hook.waitFor(1);
    const createdPayload = verifiedByStandard(created as ReceivedDelivery);
    expect(createdPayload).toMatchObject({ id: fresh.id, eventType: "connection.created.v2" });
    expect(validateConnectionEventV2(createdPayload)).toBe(true);
    mock.setConnection(structuredClone(fresh)); // nothing changed: nothing sent
    expect(mock.stats.webhooks.sent).toBe(1);
    mock.setConnection({ ...fresh, username: "someone.else@acme.example" });
    const [, updated] = await hook.waitFor(2);
    expect(verifiedByStandard(updated as ReceivedDelivery)).toMatchObject({
      eventType: "connection.updated.v2",
      protectedChanges: ["username"],
      old: { username: fresh.username },
      username: "someone.else@acme.example",
    });
    await quietFor(100);
    expect(hook.received).toHaveLength(2);
  });

  test("setConnection with another status also sends connection.validated.v2", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url);
    mock.setConnection({ ...PASSWORD_INCORRECT, status: "CONNECTED" });
    const types = [...byType(await hook.waitFor(2)).keys()].sort();
    expect(types).toEqual(["connection.updated.v2", "connection.validated.v2"]);
  });

  test("an afterMs change is sent on time, without a poll", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url);
    mock.script(ID, { becomes: "CONNECTED", afterMs: 50 });
    await hook.waitFor(2);
    expect(mock.stats.requests).toBe(0);
    expect((await poll(mock)).status).toBe("CONNECTED");
  });

  test("headerPrefix 'webhook': Standard Webhooks' names, accepted by standardwebhooks as sent", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url, { headerPrefix: "webhook" });
    mock.script(ID, { becomes: "PASSWORD_INCORRECT" });
    await poll(mock);
    const [delivery] = await hook.waitFor(1);
    const headers = delivery?.headers ?? {};
    expect(headers).not.toHaveProperty("svix-id");
    const plain = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(TEST_WEBHOOK_SECRET).verify(String(delivery?.body), plain)).toMatchObject({
      id: ID,
    });
  });

  test("several secrets (rotation): one v1 entry each, each verifies", async () => {
    const hook = await receiver();
    const other = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    const mock = await mockSendingTo(hook.url, { secret: [TEST_WEBHOOK_SECRET, other] });
    mock.script(ID, { becomes: "PASSWORD_INCORRECT" });
    await poll(mock);
    const [delivery] = await hook.waitFor(1);
    expect(String(delivery?.headers["svix-signature"]).split(" ")).toHaveLength(2);
    for (const secret of [TEST_WEBHOOK_SECRET, other]) {
      await expect(
        verifyWebhook(String(delivery?.body), delivery?.headers ?? {}, secret),
      ).resolves.toMatchObject({ type: "connection.validated.v2" });
    }
  });

  test("no webhooks option: a status change sends nothing", async () => {
    const hook = await receiver();
    const mock = await startMockServer();
    opened.push(mock);
    mock.script(ID, { becomes: "CONNECTED" });
    await poll(mock);
    await quietFor(100);
    expect(hook.received).toHaveLength(0);
    expect(mock.stats.webhooks.sent).toBe(0);
  });
});

describe("retries, as Svix retries", () => {
  test("after a 500: the same webhook-id again, a fresh valid signature, then delivered", async () => {
    const hook = await receiver();
    hook.reply({ status: 500 });
    const mock = await oneEvent(hook.url);
    const [first, second] = await hook.waitFor(2);
    expect(second?.headers["svix-id"]).toBe(first?.headers["svix-id"]);
    expect(second?.body).toBe(first?.body);
    expect(verifiedByStandard(second as ReceivedDelivery)).toMatchObject({ id: ID });
    await expect.poll(() => mock.stats.webhooks.delivered).toBe(1);
    expect(mock.stats.webhooks).toMatchObject({ sent: 1, attempts: 2, failed: 0, inProgress: 0 });
  });

  test("after a hang: the attempt times out and the next one is delivered", async () => {
    const hook = await receiver();
    hook.reply({ kind: "hang" });
    const mock = await oneEvent(hook.url, { timeoutMs: 200 });
    const [first, second] = await hook.waitFor(2);
    expect(second?.headers["svix-id"]).toBe(first?.headers["svix-id"]);
    await expect.poll(() => mock.stats.webhooks.delivered).toBe(1);
  });

  test("after a reset socket and a redirect (3xx is a failure, never followed)", async () => {
    const hook = await receiver();
    hook.reply({ kind: "reset" }, { status: 302, headers: { location: "http://127.0.0.1:1/" } });
    const mock = await oneEvent(hook.url);
    const deliveries = await hook.waitFor(3);
    expect(new Set(deliveries.map((d) => d.headers["svix-id"])).size).toBe(1);
    await expect.poll(() => mock.stats.webhooks.delivered).toBe(1);
    expect(mock.stats.webhooks.attempts).toBe(3);
  });

  test("the schedule runs out: 1 + its length attempts, then the message is failed", async () => {
    const hook = await receiver();
    hook.reply({ status: 500 }, { status: 503 }, { status: 410 }, { status: 500 });
    const mock = await oneEvent(hook.url);
    await hook.waitFor(3);
    await expect.poll(() => mock.stats.webhooks.failed).toBe(1);
    await quietFor(150);
    expect(hook.received).toHaveLength(3);
    expect(mock.stats.webhooks).toMatchObject({ attempts: 3, delivered: 0, inProgress: 0 });
  });

  test("retryScheduleMs [] is one attempt", async () => {
    const hook = await receiver();
    hook.reply({ status: 500 });
    const mock = await oneEvent(hook.url, { retryScheduleMs: [] });
    await expect.poll(() => mock.stats.webhooks.failed).toBe(1);
    expect(hook.received).toHaveLength(1);
  });

  test("webhook-delivery: abort-message stops the retries of that message", async () => {
    const hook = await receiver();
    hook.reply({ status: 400, headers: { "webhook-delivery": "abort-message" } });
    const mock = await oneEvent(hook.url);
    await expect.poll(() => mock.stats.webhooks.failed).toBe(1);
    await quietFor(150);
    expect(hook.received).toHaveLength(1);
  });

  test("a receiver that is down: every attempt fails, the mock keeps serving", async () => {
    const mock = await oneEvent(await deadUrl());
    await expect.poll(() => mock.stats.webhooks.failed).toBe(1);
    expect(mock.stats.webhooks.attempts).toBe(3);
    expect((await poll(mock)).id).toBe(ID);
  });

  test("the waits follow the schedule: a retry comes no sooner than its wait", async () => {
    const hook = await receiver();
    hook.reply({ status: 500 });
    await oneEvent(hook.url, { retryScheduleMs: [300] });
    const [first, second] = await hook.waitFor(2);
    expect(Number(second?.at) - Number(first?.at)).toBeGreaterThanOrEqual(290);
  });
});

describe("bounds and the end", () => {
  test("nothing is sent after close(): a pending retry is cancelled", async () => {
    const { hook, mock } = await firstAttemptAnswered([{ status: 500 }], {
      retryScheduleMs: [300],
    });
    await mock.close();
    await quietFor(500);
    expect(hook.received).toHaveLength(1);
    expect(mock.stats.webhooks.inProgress).toBe(0);
  });

  test("close() ends an attempt the receiver hangs on, at once", async () => {
    const { mock } = await firstAttemptAnswered([{ kind: "hang" }], { timeoutMs: 60_000 });
    const started = Date.now();
    await mock.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(mock.stats.webhooks).toMatchObject({ inProgress: 0, delivered: 0 });
  });

  test("close() cancels a retry's wait at once, however long the wait", async () => {
    const { mock } = await firstAttemptAnswered([{ status: 500 }], {
      retryScheduleMs: [3_600_000],
    });
    await expect.poll(() => mock.stats.webhooks.attempts).toBe(1);
    const started = Date.now();
    await mock.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(mock.stats.webhooks).toMatchObject({ inProgress: 0, failed: 0, attempts: 1 });
  });

  test("a cancelled last attempt is not counted as failed", async () => {
    const { mock } = await firstAttemptAnswered([{ kind: "hang" }], {
      retryScheduleMs: [],
      timeoutMs: 60_000,
    });
    await mock.close();
    expect(mock.stats.webhooks).toMatchObject({ inProgress: 0, failed: 0, delivered: 0 });
  });

  test("close() stops an afterMs change's timer: no event after it", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url);
    mock.script(ID, { becomes: "CONNECTED", afterMs: 200 });
    await mock.close();
    await quietFor(400);
    expect(hook.received).toHaveLength(0);
  });

  test("reset() drops messages in progress and zeroes the counters", async () => {
    const { hook, mock } = await firstAttemptAnswered([{ status: 500 }], {
      retryScheduleMs: [300],
    });
    mock.reset();
    await expect.poll(() => mock.stats.webhooks.inProgress).toBe(0);
    await quietFor(500);
    expect(hook.received).toHaveLength(1);
    expect(mock.stats.webhooks).toMatchObject({ sent: 0, attempts: 0, events: [] });
  });

  test("the queue is bounded: past maxQueue messages in progress, an event is dropped", async () => {
    const hook = await receiver();
    hook.reply({ kind: "hang" }, { kind: "hang" });
    const mock = await mockSendingTo(hook.url, { maxQueue: 1, timeoutMs: 60_000 });
    mock.script(ID, { becomes: "CONNECTED" }); // two events: updated, then validated
    await poll(mock);
    await hook.waitFor(1);
    expect(mock.stats.webhooks).toMatchObject({ sent: 1, dropped: 1, inProgress: 1 });
    expect(mock.stats.webhooks.events.map((e) => e.eventType)).toEqual(["connection.updated.v2"]);
  });

  test("the secret is nowhere in the mock's inspection or stats", async () => {
    const hook = await receiver();
    const mock = await mockSendingTo(hook.url);
    const shown = inspect(mock, { depth: 10, showHidden: true });
    expect(shown).not.toContain(TEST_WEBHOOK_SECRET.slice("whsec_".length));
    expect(JSON.stringify(mock.stats)).not.toContain("whsec_");
  });
});

test("stats.webhooks.events keeps the most recent 1 000 messages", async () => {
  const hook = await receiver();
  const mock = await mockSendingTo(hook.url, { maxQueue: 2_000 });
  const base = connections.seed();
  for (let i = 0; i < 1_001; i++) {
    mock.setConnection({ ...base, id: `0b7e3c1a-2d4f-4a6b-8c9d-${String(i).padStart(12, "0")}` });
  }
  const { events } = mock.stats.webhooks;
  expect(mock.stats.webhooks.sent).toBe(1_001);
  expect(events).toHaveLength(1_000);
  expect(new Set(events.map((event) => event.messageId)).size).toBe(1_000);
  expect(events.every((event) => event.eventType === "connection.created.v2")).toBe(true);
  // Closed before any attempt opened a socket (each is signed first): nothing is sent.
  await mock.close();
  expect(mock.stats.webhooks).toMatchObject({ inProgress: 0, attempts: 0 });
  expect(hook.received).toHaveLength(0);
});

describe("the webhooks option is checked", () => {
  const url = "http://127.0.0.1:9/hook";
  const cases: [string, unknown, RegExp][] = [
    ["not an object", "http://x", /webhooks must be an object/],
    ["no secret", { url }, /webhooks\.url and webhooks\.secret are required/],
    ["no url", { secret: TEST_WEBHOOK_SECRET }, /required/],
    ["an unknown key", { url, secret: TEST_WEBHOOK_SECRET, retries: 3 }, /retries/],
    ["a ftp url", { url: "ftp://127.0.0.1/", secret: TEST_WEBHOOK_SECRET }, /http or https URL/],
    ["a relative url", { url: "/hook", secret: TEST_WEBHOOK_SECRET }, /absolute http or https/],
    [
      "credentials in the url",
      { url: "http://user:pw@127.0.0.1/", secret: TEST_WEBHOOK_SECRET },
      /must not carry credentials/,
    ],
    ["a short secret", { url, secret: "whsec_c2hvcnQ=" }, /webhooks\.secret must be/],
    ["a secret with a newline", { url, secret: `${TEST_WEBHOOK_SECRET}\n` }, /whitespace/],
    ["an empty secret list", { url, secret: [] }, /webhooks\.secret/],
    [
      "a negative wait",
      { url, secret: TEST_WEBHOOK_SECRET, retryScheduleMs: [5, -1] },
      /retryScheduleMs\[1\]/,
    ],
    [
      "a wait past 10 hours",
      { url, secret: TEST_WEBHOOK_SECRET, retryScheduleMs: [36_000_001] },
      /retryScheduleMs\[0\]/,
    ],
    [
      "21 waits",
      { url, secret: TEST_WEBHOOK_SECRET, retryScheduleMs: Array(21).fill(1) },
      /at most 20 waits/,
    ],
    ["a zero timeout", { url, secret: TEST_WEBHOOK_SECRET, timeoutMs: 0 }, /timeoutMs/],
    ["a zero queue", { url, secret: TEST_WEBHOOK_SECRET, maxQueue: 0 }, /maxQueue/],
    ["another prefix", { url, secret: TEST_WEBHOOK_SECRET, headerPrefix: "x" }, /headerPrefix/],
  ];
  test.each(cases)("%s is refused before anything starts", async (_name, webhooks, message) => {
    const error = await startMockServer({ webhooks } as MockServerOptions).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(TEST_WEBHOOK_SECRET.slice(6, 20));
    expect((error as Error).message).not.toContain("user:pw");
  });

  test("undefined optional keys are accepted, as everywhere", async () => {
    const mock = await startMockServer({
      webhooks: {
        url: "http://127.0.0.1:9/",
        secret: TEST_WEBHOOK_SECRET,
        retryScheduleMs: undefined,
        timeoutMs: undefined,
        maxQueue: undefined,
        headerPrefix: undefined,
      },
    });
    await mock.close();
  });
});

describe("the control route (opt-in): a status change over HTTP", () => {
  /** POSTs `body` to the control route of `mock` for `id`. */
  async function control(mock: MockServer, id: string, body: string, init: RequestInit = {}) {
    const origin = new URL(mock.url).origin;
    return fetch(`${origin}/_mock/connection/${id}/status`, {
      method: "POST",
      headers: { "x-api-key": mock.apiKey },
      body,
      ...init,
    });
  }

  test("202 schedules the change; the next poll sees it and the webhooks go out", async () => {
    const hook = await receiver();
    const mock = await startMockServer({
      control: true,
      webhooks: { url: hook.url, secret: TEST_WEBHOOK_SECRET },
    });
    opened.push(mock);
    const response = await control(
      mock,
      ID.toUpperCase(),
      JSON.stringify({ becomes: "CONNECTED", after: 1 }),
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      id: ID,
      scheduled: { becomes: "CONNECTED", after: 1 },
    });
    expect((await poll(mock)).status).toBe("PASSWORD_INCORRECT");
    expect((await poll(mock)).status).toBe("CONNECTED");
    await hook.waitFor(2);
  });

  test("refusals: 401 without the key, 404 unknown connection, 400 bad change, 405 GET", async () => {
    const mock = await startMockServer({ control: true });
    opened.push(mock);
    const good = JSON.stringify({ becomes: "CONNECTED" });
    const noKey = await control(mock, ID, good, { headers: {} });
    expect(noKey.status).toBe(401);
    const unknown = await control(mock, "0b7e3c1a-2d4f-4a6b-8c9d-1e2f3a4b5c6d", good);
    expect(unknown.status).toBe(404);
    for (const bad of [
      "not json",
      "[]",
      "{}",
      '{"becomes":"X","after":-1}',
      '{"becomes":"X","when":1}',
    ]) {
      const response = await control(mock, ID, bad);
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as { detail: string }).detail.length).toBeGreaterThan(0);
    }
    const get = await fetch(`${new URL(mock.url).origin}/_mock/connection/${ID}/status`, {
      headers: { "x-api-key": mock.apiKey },
    });
    expect(get.status).toBe(405);
    expect((await poll(mock)).status).toBe("PASSWORD_INCORRECT"); // nothing was scheduled
  });

  test("off by default: the path is a 404 like any path outside /v2.2", async () => {
    const mock = await startMockServer();
    opened.push(mock);
    const response = await control(mock, ID, JSON.stringify({ becomes: "CONNECTED" }));
    expect(response.status).toBe(404);
    expect((await poll(mock)).status).toBe("PASSWORD_INCORRECT");
  });
});
