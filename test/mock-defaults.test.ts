/**
 * The mock's defaults, as the README and the help use them: Nectar's placeholder connection is
 * served with realistic values while the spec's example stays exact; the active invitation
 * example is active on the mock's clock; a fleet alone is exactly its size; a scripted
 * `Retry-After` is what the 429's body says.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_INVITATION_ID } from "../src/cli/io.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { runCli as cli } from "./helpers/cli.js";
import { connections, invitations } from "./helpers/fixtures.js";

const PLACEHOLDER = connections.seed();

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer();
});
afterAll(() => mock.close());

/** GETs `path` of the mock with its key. */
async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${mock.url}${path}`, { headers: { "x-api-key": mock.apiKey } });
  return { status: response.status, body: await response.json() };
}

describe("Nectar's placeholder connection", () => {
  it("is served with realistic values: no <string>, a real country, the same id and status", async () => {
    const { status, body } = await get(`/connection/${PLACEHOLDER.id}`);
    expect(status).toBe(200);
    expect(JSON.stringify(body)).not.toContain("<string>");
    expect(body).toMatchObject({ id: PLACEHOLDER.id, status: "PENDING", country: "US" });
  });

  it("stays exact in the spec: the mock alters a copy", () => {
    expect(connections.seed()).toEqual(PLACEHOLDER);
    expect(PLACEHOLDER.country).toBe("AF");
    expect(PLACEHOLDER.datasource?.name).toBe("<string>");
  });

  it("get <its id> --mock prints no placeholder and no Country: AF", async () => {
    const run = await cli(["get", PLACEHOLDER.id, "--mock"]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("<string>");
    expect(run.stdout).not.toMatch(/Country: +AF/);
    expect(run.stdout).toMatch(/Country: +US\n/);
  });
});

describe("the invitation examples", () => {
  it("are on the mock's clock: the active one active, created before now, expiring after", async () => {
    const { body } = await get(`/invitation/${EXAMPLE_INVITATION_ID}`);
    const served = body as { status: string; createdAt: string; expiresAt: string };
    expect(served.status).toBe("ACTIVE");
    expect(Date.parse(served.createdAt)).toBeLessThan(Date.now());
    expect(Date.parse(served.expiresAt)).toBeGreaterThan(Date.now());
    expect(EXAMPLE_INVITATION_ID).toBe(invitations.detailActive().id);
  });

  it("keep their times exactly on a clock at the moment they describe", async () => {
    const at = await startMockServer({ now: () => Date.parse("2024-06-05T08:00:00Z") });
    try {
      const response = await fetch(`${at.url}/invitation/${EXAMPLE_INVITATION_ID}`, {
        headers: { "x-api-key": at.apiKey },
      });
      expect(await response.json()).toEqual(invitations.detailActive());
    } finally {
      await at.close();
    }
  });
});

describe("a fleet", () => {
  it.each([1, 40, 500])("of size %i serves exactly that many connections", async (size) => {
    const fleet = await startMockServer({ fleet: { size } });
    try {
      expect(fleet.ids).toHaveLength(size);
    } finally {
      await fleet.close();
    }
  });
});

describe("a scripted 429", () => {
  it.each([
    ["1", "Request was throttled. Expected available in 1 second."],
    ["3", "Request was throttled. Expected available in 3 seconds."],
  ])("with Retry-After: %s says so in its body", async (seconds, detail) => {
    mock.script(PLACEHOLDER.id, [{ status: 429, headers: { "Retry-After": seconds } }]);
    const { status, body } = await get(`/connection/${PLACEHOLDER.id}`);
    expect(status).toBe(429);
    expect(body).toEqual({ detail });
  });

  it("with no Retry-After, or a date, answers the spec's example body", async () => {
    const example = { detail: "Request was throttled. Expected available in 2 seconds." };
    mock.script(PLACEHOLDER.id, [
      { status: 429 },
      { status: 429, headers: { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" } },
    ]);
    expect((await get(`/connection/${PLACEHOLDER.id}`)).body).toEqual(example);
    expect((await get(`/connection/${PLACEHOLDER.id}`)).body).toEqual(example);
  });
});
