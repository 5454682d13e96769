/**
 * `startMockServer`'s options, checked from one table as the client's are (unknown keys, `null`,
 * bad values: a `NectarInvalidInputError` naming the option), and its bounded invitation store,
 * over real sockets: oldest expired invitations go first, then the oldest.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Invitation } from "../generated/schema.js";
import { NectarInvalidInputError } from "../src/index.js";
import {
  MAX_MOCK_LATENCY_MS,
  type MockServer,
  type MockServerOptions,
  startMockServer,
} from "../src/mock/index.js";
import { MOCK_SERVER_OPTION_TABLE } from "../src/mock/options.js";
import { connections } from "./helpers/fixtures.js";

const started: MockServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((mock) => mock.close()));
});

async function start(options: MockServerOptions) {
  const mock = await startMockServer(options);
  started.push(mock);
  return mock;
}

/** `[ , value]`: an array whose first element is a hole. */
function holeThen(value: unknown): unknown[] {
  const list: unknown[] = [];
  list[1] = value;
  return list;
}

/** The error `startMockServer(options)` rejects with (the options given untyped, as JS would). */
async function refusal(options: unknown): Promise<Error> {
  try {
    started.push(await startMockServer(options as MockServerOptions));
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected startMockServer to refuse its options");
}

describe("the options of startMockServer", () => {
  it.each(Object.keys(MOCK_SERVER_OPTION_TABLE))("refuses %s: null, naming it", async (name) => {
    const error = await refusal({ [name]: null });
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(error.message).toMatch(new RegExp(`^${name}\\b`));
    expect(error.message).toMatch(/null/);
  });

  it("accepts undefined for every option, as if it were not given", async () => {
    const options = Object.fromEntries(
      Object.keys(MOCK_SERVER_OPTION_TABLE).map((name) => [name, undefined]),
    );
    const mock = await start(options);
    expect(mock.ids).toHaveLength(3);
    expect(mock.apiKey).toBe("mock-api-key");
  });

  it("refuses an unknown key, naming it and the known ones", async () => {
    const error = await refusal({ latency: 5 });
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(error.message).toMatch(/^Unknown startMockServer option "latency"; expected one of/);
    expect(error.message).toContain("latencyMs");
  });

  it.each([
    ["a latency past a minute (3e9 would fire at once)", { latencyMs: 3e9 }, /latencyMs.*60000/],
    ["a latency that is not a number", { latencyMs: "5" }, /latencyMs/],
    ["an infinite latency", { latencyMs: Number.POSITIVE_INFINITY }, /latencyMs/],
    ["a fleet above 100 000", { fleet: { size: 100_001 } }, /^fleet\.size/],
    ["a fleet without a size", { fleet: { seed: 3 } }, /^fleet\.size is required/],
    ["a fleet with an unknown key", { fleet: { size: 3, count: 3 } }, /Unknown fleet option/],
    ["a fleet that is a number", { fleet: 5 }, /^fleet must be an object/],
    ["a port above 65535", { port: 70_000 }, /^port/],
    ["an empty API key", { apiKey: "" }, /^apiKey/],
    ["a non-function clock", { now: 5 }, /^now must be a function/],
    [
      "a connection list with a hole",
      { connections: holeThen(connections.seed()) },
      /connections\[0\]/,
    ],
    ["a connection without an id", { connections: [{}] }, /^connections\[0\] must be/],
    ["invitations that are not an array", { invitations: {} }, /^invitations must be an array/],
    ["maxInvitations of 0", { maxInvitations: 0 }, /^maxInvitations/],
  ])("refuses %s", async (_, options, message) => {
    const error = await refusal(options);
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(error.message).toMatch(message);
  });

  it("never quotes the API key it refuses", async () => {
    const error = await refusal({ apiKey: "secret key\n" });
    expect(error.message).not.toContain("secret");
  });

  it("takes a latency of exactly a minute, the most it allows", async () => {
    expect(MAX_MOCK_LATENCY_MS).toBe(60_000);
    const mock = await start({ latencyMs: MAX_MOCK_LATENCY_MS });
    const aborted = AbortSignal.timeout(200);
    const answer = fetch(`${mock.url}/connection/${connections.seed().id}`, {
      headers: { "x-api-key": mock.apiKey },
      signal: aborted,
    });
    // Held back by the latency, not answered at once as an overflowing timer would be.
    await expect(answer).rejects.toThrow();
  });
});

describe("the bounded invitation store", () => {
  const CONNECTION = connections.passwordIncorrect();
  let clock = Date.parse("2024-06-05T08:00:00Z");

  async function create(mock: MockServer, body: object = {}): Promise<Invitation> {
    const response = await fetch(`${mock.url}/invitation/connection/${CONNECTION.id}`, {
      method: "POST",
      headers: { "x-api-key": mock.apiKey, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as Invitation;
  }

  async function statusOf(mock: MockServer, id: string): Promise<number> {
    const response = await fetch(`${mock.url}/invitation/${id}`, {
      headers: { "x-api-key": mock.apiKey },
    });
    await response.body?.cancel();
    return response.status;
  }

  it("drops the expired invitations first, oldest first, then the oldest, a tenth at a time", async () => {
    const mock = await start({ maxInvitations: 10, invitations: [], now: () => clock });
    const lasting = await create(mock);
    const expiring = await create(mock, { expiresInSeconds: 60 });
    const others: Invitation[] = [];
    for (let i = 0; i < 8; i++) others.push(await create(mock));
    clock += 120_000; // `expiring` is now expired; the store is full (10)
    const newest = await create(mock);
    expect(await statusOf(mock, expiring.id)).toBe(404); // the expired one went, not the oldest
    expect(await statusOf(mock, lasting.id)).toBe(200);
    expect(await statusOf(mock, newest.id)).toBe(200);
    const beyond = await create(mock); // full again, nothing expired: the oldest goes
    expect(await statusOf(mock, lasting.id)).toBe(404);
    expect(await statusOf(mock, others[0]?.id ?? "")).toBe(200);
    expect(await statusOf(mock, beyond.id)).toBe(200);
    expect(mock.stats.invitationsCreated).toBe(12);
  });

  it("keeps at most maxInvitations however many are created", async () => {
    const mock = await start({ maxInvitations: 5, invitations: [] });
    const created: Invitation[] = [];
    for (let i = 0; i < 23; i++) created.push(await create(mock));
    const kept = await Promise.all(created.map((invitation) => statusOf(mock, invitation.id)));
    expect(kept.filter((status) => status === 200).length).toBeLessThanOrEqual(5);
    expect(kept.at(-1)).toBe(200);
    expect(kept[0]).toBe(404);
  });
});
