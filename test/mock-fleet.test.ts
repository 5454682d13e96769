/**
 * The mock's fleet (`startMockServer({ fleet })`), its scripted status changes and its latency:
 * generated connections are deterministic, cover every status, and pass the spec's compiled
 * validator; a scripted change shows after the polls or the time asked for.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Connection } from "../generated/schema.js";
import { validateConnection } from "../generated/validators.js";
import { NectarInvalidInputError } from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { connections, exampleConnections } from "./helpers/fixtures.js";

const STATUSES = [
  "PENDING",
  "CONNECTED",
  "UNDER_INVESTIGATION",
  "PASSWORD_INCORRECT",
  "MFA_TOKEN_EXPIRED",
  "NEW_PASSWORD_NEEDED",
  "ADDITIONAL_CREDENTIALS_NEEDED",
  "WEBSITE_DOWN",
  "URL_INACCESSIBLE",
  "NO_ACCOUNTS_FOUND",
  "OTHER_ERROR",
  "COMPANY_INACTIVE",
  "DEACTIVATED",
];

const started: MockServer[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(started.splice(0).map((mock) => mock.close()));
});

async function start(options: Parameters<typeof startMockServer>[0]) {
  const mock = await startMockServer(options);
  started.push(mock);
  return mock;
}

async function get(mock: MockServer, id: string): Promise<Connection> {
  const response = await fetch(`${mock.url}/connection/${id}`, {
    headers: { "x-api-key": mock.apiKey },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Connection;
}

/** Every connection of a mock, fetched. */
const all = (mock: MockServer) => Promise.all(mock.ids.map((id) => get(mock, id)));

describe("the generated fleet", () => {
  it("a fleet alone: exactly `size` generated connections, listed in `ids`, no example", async () => {
    const mock = await start({ fleet: { size: 40, seed: 1 } });
    expect(mock.ids).toHaveLength(40);
    expect(new Set(mock.ids).size).toBe(40);
    expect(mock.ids).not.toContain(connections.passwordIncorrect().id);
    const fetched = await all(mock);
    expect(fetched.map((c) => c.id)).toEqual(mock.ids);
  });

  it("serves the connections given, then `size` generated ones, listed in `ids`", async () => {
    const mock = await start({ fleet: { size: 40, seed: 1 }, connections: exampleConnections() });
    expect(mock.ids).toHaveLength(43);
    expect(mock.ids.slice(0, 3)).toEqual([
      connections.passwordIncorrect().id,
      connections.deactivated().id,
      connections.seed().id,
    ]);
    expect(new Set(mock.ids).size).toBe(43);
    const fetched = await all(mock);
    expect(fetched.map((c) => c.id)).toEqual(mock.ids);
  });

  it("is the same for the same seed and differs for another", async () => {
    const [a, b, c] = await Promise.all([
      start({ fleet: { size: 20, seed: 5 }, connections: [] }),
      start({ fleet: { size: 20, seed: 5 }, connections: [] }),
      start({ fleet: { size: 20, seed: 6 }, connections: [] }),
    ]);
    expect(await all(a)).toEqual(await all(b));
    expect(a.ids).not.toEqual(c.ids);
  });

  it("covers each of the 13 statuses once at size 13, and all of them in a large fleet", async () => {
    const small = await start({ fleet: { size: 13, seed: 2 }, connections: [] });
    expect((await all(small)).map((c) => c.status).sort()).toEqual([...STATUSES].sort());
    const large = await start({ fleet: { size: 500, seed: 2 }, connections: [] });
    const counts = new Map<string, number>();
    for (const c of await all(large))
      counts.set(c.status ?? "", (counts.get(c.status ?? "") ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...STATUSES].sort());
    expect(counts.get("CONNECTED")).toBeGreaterThan(250); // mostly healthy, as in real life
  });

  it("generates connections valid against the spec, with coherent status fields", async () => {
    const mock = await start({ fleet: { size: 300, seed: 9 }, connections: [] });
    for (const connection of await all(mock)) {
      expect(validateConnection(connection), JSON.stringify(validateConnection.errors)).toBe(true);
      expect(connection.isActive).toBe(connection.status !== "DEACTIVATED");
      const errorFree = connection.status === "CONNECTED" || connection.status === "PENDING";
      expect(connection.statusErrorDetail === null).toBe(errorFree);
    }
  });

  it.each([[{ size: -1 }], [{ size: 1.5 }], [{ size: 100_001 }], [{ size: 3, seed: 0.5 }]])(
    "refuses %o",
    async (fleet) => {
      await expect(startMockServer({ fleet })).rejects.toThrow(NectarInvalidInputError);
    },
  );
});

describe("scripted status changes", () => {
  const id = connections.passwordIncorrect().id;

  it("answers `after` polls with the old status, then the new one with fresh status fields", async () => {
    const mock = await start({});
    mock.script(id, { becomes: "CONNECTED", after: 2 });
    expect((await get(mock, id)).status).toBe("PASSWORD_INCORRECT");
    expect((await get(mock, id)).status).toBe("PASSWORD_INCORRECT");
    const fixed = await get(mock, id);
    expect(fixed).toMatchObject({ status: "CONNECTED", statusErrorDetail: null, isActive: true });
    expect(fixed.statusFirstSeenTime).toBe(fixed.statusLastUpdateTime);
    expect(Date.parse(fixed.statusFirstSeenTime ?? "")).toBeGreaterThan(Date.parse("2025-01-01"));
    expect(validateConnection(fixed)).toBe(true);
    expect((await get(mock, id)).status).toBe("CONNECTED");
  });

  it("chains changes, each counted from the previous one", async () => {
    const mock = await start({});
    mock.script(id, { becomes: "PENDING" });
    mock.script(id, { becomes: "DEACTIVATED", after: 2 });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await get(mock, id)).status);
    expect(seen).toEqual(["PENDING", "PENDING", "DEACTIVATED", "DEACTIVATED"]);
  });

  it("changes after `afterMs` by the clock", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const mock = await start({});
    mock.script(id, { becomes: "CONNECTED", afterMs: 10_000 });
    expect((await get(mock, id)).status).toBe("PASSWORD_INCORRECT");
    vi.setSystemTime(Date.now() + 9_999);
    expect((await get(mock, id)).status).toBe("PASSWORD_INCORRECT");
    vi.setSystemTime(Date.now() + 1);
    expect((await get(mock, id)).status).toBe("CONNECTED");
  });

  it("does not count faulted requests as polls, and reset() forgets the change", async () => {
    const mock = await start({});
    mock.script(id, [{ status: 503 }]);
    mock.script(id, { becomes: "CONNECTED", after: 1 });
    const response = await fetch(`${mock.url}/connection/${id}`, {
      headers: { "x-api-key": mock.apiKey },
    });
    expect(response.status).toBe(503);
    expect((await get(mock, id)).status).toBe("PASSWORD_INCORRECT");
    mock.reset();
    expect((await get(mock, id)).status).toBe("PASSWORD_INCORRECT");
  });

  it.each([
    [{ becomes: "" }, TypeError],
    [{ becomes: "CONNECTED", after: -1 }, RangeError],
    [{ becomes: "CONNECTED", after: 1, afterMs: 5 }, TypeError],
  ])("refuses %o", async (change, error) => {
    const mock = await start({});
    // @ts-expect-error: the wrong values are the point
    expect(() => mock.script(id, change)).toThrow(error);
  });
});

describe("latencyMs", () => {
  it("holds every answer back, so concurrent requests overlap at the server", async () => {
    const mock = await start({ latencyMs: 40 });
    const begin = performance.now();
    await Promise.all(Array.from({ length: 8 }, () => get(mock, connections.seed().id)));
    expect(performance.now() - begin).toBeGreaterThanOrEqual(39);
    expect(mock.stats.maxInFlight).toBeGreaterThan(1);
  });

  it("refuses a negative latency", async () => {
    await expect(startMockServer({ latencyMs: -5 })).rejects.toThrow(NectarInvalidInputError);
  });
});
