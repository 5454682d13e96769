/**
 * The mock Nectar server (`nectar-climate-connection/mock`), observed the way a client sees it:
 * plain `fetch` (and `node:http` where fetch hides a detail) against 127.0.0.1.
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Connection } from "../generated/schema.js";
import {
  DEFAULT_MOCK_API_KEY,
  MOCK_LOG_LIMIT,
  type MockServer,
  startMockServer,
} from "../src/mock/index.js";
import { realisticConnection } from "../src/mock/realistic-examples.js";

interface Example {
  value: unknown;
}
const spec = JSON.parse(
  readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
) as { components: { examples: Record<string, Example> } };
const example = (name: string): unknown => {
  const found = spec.components.examples[name];
  if (found === undefined) throw new Error(`no example ${name}`);
  return found.value;
};
const connectionExample = (name: string): Connection => example(name) as Connection;

/** What the mock serves for Nectar's placeholder example: realistic values, the same id. */
const SEED = realisticConnection(connectionExample("ConnectionSeed"));
const PASSWORD_INCORRECT = connectionExample("ConnectionPasswordIncorrect");
const DEACTIVATED = connectionExample("ConnectionDeactivated");
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

let mock: MockServer;

function get(path: string, init: RequestInit = {}, key: string | null = mock.apiKey) {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set("X-API-KEY", key);
  return fetch(`${mock.url}${path}`, { ...init, headers });
}

/** Sleeps in 10 ms steps until `done()` holds, at most `ms`; the caller asserts afterwards. */
async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  while (!done() && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The kinds of active resources, counted: `{ TCPServerWrap: 1, Timeout: 2, ... }`. */
function tally(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe("one mock shared by many tests", () => {
  beforeAll(async () => {
    mock = await startMockServer();
  });
  afterEach(() => {
    mock.reset();
  });
  afterAll(async () => {
    await mock.close();
  });

  describe("normal answers", () => {
    it("serves on 127.0.0.1 under /v2.2 with the default key", () => {
      expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\.2$/);
      expect(mock.apiKey).toBe(DEFAULT_MOCK_API_KEY);
      expect(DEFAULT_MOCK_API_KEY).toBe("mock-api-key");
    });

    it.each([
      ["ConnectionSeed", SEED],
      ["ConnectionPasswordIncorrect", PASSWORD_INCORRECT],
      ["ConnectionDeactivated", DEACTIVATED],
    ])("200 with the %s example", async (_name, connection) => {
      const res = await get(`/connection/${connection.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual(connection);
    });

    it("finds an id written in upper case and ignores a query string", async () => {
      const upper = await get(`/connection/${PASSWORD_INCORRECT.id.toUpperCase()}`);
      expect(upper.status).toBe(200);
      expect(await upper.json()).toEqual(PASSWORD_INCORRECT);
      const query = await get(`/connection/${SEED.id}?expand=accounts`);
      expect(await query.json()).toEqual(SEED);
    });

    it("answers HEAD like GET, without a body", async () => {
      const res = await get(`/connection/${SEED.id}`, { method: "HEAD" });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.text()).toBe("");
    });

    it("401 with the spec's body when the key is missing", async () => {
      const res = await get(`/connection/${SEED.id}`, {}, null);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual(example("ErrorUnauthorized"));
      expect(example("ErrorUnauthorized")).toEqual({ detail: "Invalid API key." });
    });

    it("401 when the key is wrong, empty, or only a prefix of the right one", async () => {
      for (const key of ["wrong", "", "mock-api", `${DEFAULT_MOCK_API_KEY}x`, "MOCK-API-KEY"]) {
        const res = await get(`/connection/${SEED.id}`, {}, key);
        expect(res.status, JSON.stringify(key)).toBe(401);
        expect(await res.json()).toEqual({ detail: "Invalid API key." });
      }
    });

    it("checks the key before anything else (path, id, method)", async () => {
      for (const [path, method] of [
        ["/connection/not-a-uuid", "GET"],
        [`/connection/${UNKNOWN_ID}`, "GET"],
        ["/nowhere", "GET"],
        [`/connection/${SEED.id}`, "DELETE"],
      ] as const) {
        const res = await get(path, { method }, "wrong");
        expect(res.status, `${method} ${path}`).toBe(401);
      }
    });

    it("takes the header name in any case", async () => {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = request(`${mock.url}/connection/${SEED.id}`, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.setHeader("X-Api-Key", mock.apiKey);
        expect(req.getRawHeaderNames()).toContain("X-Api-Key");
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(200);
    });

    it("404 with the spec's body for an unknown id", async () => {
      const res = await get(`/connection/${UNKNOWN_ID}`);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual(example("ErrorNotFound"));
    });

    it.each([
      "not-a-uuid",
      "3c90c3cc0d444b5088888dd25736052a",
      "3c90c3cc-0d44-4b50-8888-8dd25736052",
      "3c90c3cc-0d44-4b50-8888-8dd25736052az",
      "{3c90c3cc-0d44-4b50-8888-8dd25736052a}",
      "%20",
      "%E0%A4%A",
    ])("400 with the spec's body for the non-UUID id %j", async (id) => {
      const res = await get(`/connection/${id}`);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual(example("ErrorBadRequest"));
    });

    it.each([
      `/v2.2/connection/${SEED.id}`.replace("/v2.2", "/v2.1"),
      `/connection/${SEED.id}/`,
      `/connection/${SEED.id}/accounts`,
      "/connection/",
      "/connections",
      "/",
    ])("404 for the other path %s", async (path) => {
      // The mock's url ends in /v2.2; these paths are resolved against its origin.
      const origin = new URL(mock.url).origin;
      const full = path.startsWith("/v2.") ? path : `/v2.2${path}`;
      const res = await fetch(`${origin}${full}`, { headers: { "X-API-KEY": mock.apiKey } });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual({ detail: "Not found." });
    });

    it("404 without the /v2.2 prefix: the version is part of the base URL", async () => {
      const origin = new URL(mock.url).origin;
      const res = await fetch(`${origin}/connection/${SEED.id}`, {
        headers: { "X-API-KEY": mock.apiKey },
      });
      expect(res.status).toBe(404);
    });

    it("405 with Allow for another method on the connection path", async () => {
      const res = await get(`/connection/${SEED.id}`, { method: "POST", body: "{}" });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD");
      expect(await res.json()).toEqual({ detail: 'Method "POST" not allowed.' });
    });
  });

  describe("options and state", () => {
    it("serves the given connections with the given key", async () => {
      const own: Connection = { ...SEED, id: "11111111-2222-4333-8444-555555555555" };
      const other = await startMockServer({ connections: [own], apiKey: "k-123" });
      try {
        expect(other.apiKey).toBe("k-123");
        const ok = await fetch(`${other.url}/connection/${own.id}`, {
          headers: { "X-API-KEY": "k-123" },
        });
        expect(await ok.json()).toEqual(own);
        const seed = await fetch(`${other.url}/connection/${SEED.id}`, {
          headers: { "X-API-KEY": "k-123" },
        });
        expect(seed.status).toBe(404);
        const defaultKey = await fetch(`${other.url}/connection/${own.id}`, {
          headers: { "X-API-KEY": DEFAULT_MOCK_API_KEY },
        });
        expect(defaultKey.status).toBe(401);
      } finally {
        await other.close();
      }
    });

    it("copies connections: later changes to the caller's objects do not leak in", async () => {
      const own: Connection = { ...SEED, id: "11111111-2222-4333-8444-555555555555" };
      const other = await startMockServer({ connections: [own] });
      try {
        own.status = "CONNECTED";
        const res = await fetch(`${other.url}/connection/${own.id}`, {
          headers: { "X-API-KEY": other.apiKey },
        });
        expect(((await res.json()) as Connection).status).toBe("PENDING");
      } finally {
        await other.close();
      }
    });

    it("binds the port asked for and rejects when it is taken", async () => {
      const port = Number(new URL(mock.url).port);
      await expect(startMockServer({ port })).rejects.toThrow(/EADDRINUSE/);
    });

    it("setConnection adds and replaces; reset restores the start set", async () => {
      const added: Connection = { ...SEED, id: UNKNOWN_ID, status: "CONNECTED" };
      mock.setConnection(added);
      expect(await (await get(`/connection/${UNKNOWN_ID}`)).json()).toEqual(added);
      mock.setConnection({ ...DEACTIVATED, status: "COMPANY_INACTIVE" });
      const replaced = (await (await get(`/connection/${DEACTIVATED.id}`)).json()) as Connection;
      expect(replaced.status).toBe("COMPANY_INACTIVE");
      mock.reset();
      expect((await get(`/connection/${UNKNOWN_ID}`)).status).toBe(404);
      expect(await (await get(`/connection/${DEACTIVATED.id}`)).json()).toEqual(DEACTIVATED);
    });
  });

  describe("faults", () => {
    it("a status fault with Retry-After: 429 with the spec's throttled body", async () => {
      mock.script(SEED.id, [{ status: 429, headers: { "Retry-After": "2" } }]);
      const res = await get(`/connection/${SEED.id}`);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(await res.json()).toEqual(example("ErrorTooManyRequests"));
    });

    it.each([
      [400, "ErrorBadRequest"],
      [401, "ErrorUnauthorized"],
      [403, "ErrorForbidden"],
      [404, "ErrorNotFound"],
      [429, "ErrorTooManyRequests"],
      [500, "ErrorServerError"],
      [502, "ErrorServerError"],
      [503, "ErrorServerError"],
    ])("a bare status fault %i answers the spec's %s body", async (status, name) => {
      mock.script(SEED.id, [{ status }]);
      const res = await get(`/connection/${SEED.id}`);
      expect(res.status).toBe(status);
      expect(res.headers.get("retry-after")).toBeNull();
      expect(await res.json()).toEqual(example(name));
    });

    it("a status fault without body: 200 is the connection, an unlisted status its reason", async () => {
      mock.script(SEED.id, [{ status: 200, headers: { "x-extra": "1" } }, { status: 418 }]);
      const ok = await get(`/connection/${SEED.id}`);
      expect(ok.headers.get("x-extra")).toBe("1");
      expect(await ok.json()).toEqual(SEED);
      const teapot = await get(`/connection/${SEED.id}`);
      expect(teapot.status).toBe(418);
      expect(await teapot.json()).toEqual({ detail: "I'm a Teapot" });
    });

    it("a status fault with a body sends that body", async () => {
      mock.script(SEED.id, [{ status: 400, body: { connection_id: ["Must be a valid UUID."] } }]);
      const res = await get(`/connection/${SEED.id}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ connection_id: ["Must be a valid UUID."] });
    });

    it("json: any body, e.g. an unknown status value, or an undeclared 422", async () => {
      const future = { ...SEED, status: "QUANTUM_ENTANGLED" };
      mock.script(SEED.id, [
        { kind: "json", body: future },
        { kind: "json", status: 422, body: { detail: "Unprocessable." } },
      ]);
      const first = await get(`/connection/${SEED.id}`);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual(future);
      const second = await get(`/connection/${SEED.id}`);
      expect(second.status).toBe(422);
      expect(second.headers.get("content-type")).toBe("application/json");
      expect(await second.json()).toEqual({ detail: "Unprocessable." });
    });

    it("reset: fetch rejects, no answer at all", async () => {
      mock.script(SEED.id, [{ kind: "reset" }]);
      const error = await get(`/connection/${SEED.id}`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect(String((error as TypeError).cause)).toMatch(/ECONNRESET|other side closed|socket/i);
      expect(mock.stats.requests).toBe(1);
    });

    it("hang: the request is accepted and never answered, until the client gives up", async () => {
      mock.script(SEED.id, [{ kind: "hang" }]);
      const started = performance.now();
      const error = await get(`/connection/${SEED.id}`, { signal: AbortSignal.timeout(200) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DOMException);
      expect((error as DOMException).name).toBe("TimeoutError");
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      expect(mock.stats.requests).toBe(1);
      // The client's abort closes the socket, and only that ends the mock's request.
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
    });

    it("endless-body: headers and a first JSON chunk arrive, the body never ends", async () => {
      mock.script(SEED.id, [{ kind: "endless-body" }]);
      const res = await get(`/connection/${SEED.id}`, { signal: AbortSignal.timeout(400) });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      expect(res.headers.get("content-length")).toBeNull();
      const reader = res.body?.getReader();
      if (reader === undefined) throw new Error("no body");
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toMatch(/^\{"id":"3c90c3cc-/);
      let received = 0;
      const error = await (async () => {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) return undefined;
          received += chunk.value.byteLength;
        }
      })().catch((e: unknown) => e);
      expect((error as DOMException).name).toBe("TimeoutError");
      expect(received).toBeGreaterThan(0); // it trickles: an idle timeout alone would not fire
    });

    it("truncated-json: 200 with the full Content-Length, half the body, then the socket closes", async () => {
      mock.script(SEED.id, [{ kind: "truncated-json" }]);
      const res = await get(`/connection/${SEED.id}`);
      expect(res.status).toBe(200);
      const full = Buffer.byteLength(JSON.stringify(SEED));
      expect(res.headers.get("content-length")).toBe(String(full));
      const error = await res.text().then(
        (text) => {
          // If a client ever resolved the half body, it still could not parse it.
          expect(() => JSON.parse(text)).toThrow(SyntaxError);
          return undefined;
        },
        (e: unknown) => e,
      );
      // What undici does today: the body read rejects ("terminated").
      expect(error).toBeInstanceOf(TypeError);
    });

    it("html: an HTML error page, 502 by default or the status asked for", async () => {
      mock.script(SEED.id, [{ kind: "html" }, { kind: "html", status: 504 }]);
      const first = await get(`/connection/${SEED.id}`);
      expect(first.status).toBe(502);
      expect(first.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const page = await first.text();
      expect(page).toContain("<title>502 Bad Gateway</title>");
      const second = await get(`/connection/${SEED.id}`);
      expect(second.status).toBe(504);
      expect(await second.text()).toContain("504 Gateway Timeout");
    });

    it("invalid-json: 200 application/json whose whole body is not JSON", async () => {
      mock.script(SEED.id, [{ kind: "invalid-json" }]);
      const res = await get(`/connection/${SEED.id}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      const text = await res.text();
      expect(Number(res.headers.get("content-length"))).toBe(Buffer.byteLength(text));
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
    });

    it("delay: the normal answer, late; delayMs delays any fault", async () => {
      mock.script(SEED.id, [
        { kind: "delay", ms: 150 },
        { status: 503, delayMs: 150 },
      ]);
      let started = performance.now();
      const late = await get(`/connection/${SEED.id}`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(await late.json()).toEqual(SEED);
      started = performance.now();
      const failed = await get(`/connection/${SEED.id}`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(failed.status).toBe(503);
    });

    it("a delay outlived by the client's timeout is a timeout, and leaves nothing running", async () => {
      mock.script(SEED.id, [{ kind: "delay", ms: 5_000 }]);
      const error = await get(`/connection/${SEED.id}`, { signal: AbortSignal.timeout(100) }).catch(
        (e: unknown) => e,
      );
      expect((error as DOMException).name).toBe("TimeoutError");
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
    });

    it("scripts are consumed in order, one per request, then normal answers resume", async () => {
      mock.script(SEED.id, [{ status: 429 }, { status: 503 }]);
      mock.script(SEED.id.toUpperCase(), [
        { kind: "json", status: 500, body: { detail: "third" } },
      ]);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const res = await get(`/connection/${SEED.id}`);
        await res.body?.cancel();
        statuses.push(res.status);
      }
      expect(statuses).toEqual([429, 503, 500, 200, 200]);
    });

    it("scripts touch only their id, and a 401 does not consume a fault", async () => {
      mock.script(SEED.id, [{ status: 503 }]);
      expect((await get(`/connection/${PASSWORD_INCORRECT.id}`)).status).toBe(200);
      expect((await get(`/connection/${SEED.id}`, {}, "wrong")).status).toBe(401);
      expect((await get(`/connection/${SEED.id}`)).status).toBe(503);
      expect((await get(`/connection/${SEED.id}`)).status).toBe(200);
    });

    it("a script for an unknown id fires, then that id is 404 again", async () => {
      mock.script(UNKNOWN_ID, [{ status: 500 }]);
      expect((await get(`/connection/${UNKNOWN_ID}`)).status).toBe(500);
      expect((await get(`/connection/${UNKNOWN_ID}`)).status).toBe(404);
    });

    it("reset drops pending scripts", async () => {
      mock.script(SEED.id, [{ status: 503 }]);
      mock.reset();
      expect((await get(`/connection/${SEED.id}`)).status).toBe(200);
    });

    it("rejects a fault it could not send, and queues nothing of that script", async () => {
      expect(() => mock.script(SEED.id, [{ status: 99 }])).toThrow(RangeError);
      expect(() => mock.script(SEED.id, [{ status: 200.5 }])).toThrow(RangeError);
      expect(() => mock.script(SEED.id, [{ kind: "html", status: 600 }])).toThrow(RangeError);
      expect(() => mock.script(SEED.id, [{ kind: "delay", ms: -1 }])).toThrow(RangeError);
      // Past 2^31 ms a timer fires at once: a "late" answer would come early.
      expect(() => mock.script(SEED.id, [{ kind: "delay", ms: 3e9 }])).toThrow(RangeError);
      expect(() => mock.script(SEED.id, [{ status: 503, delayMs: 60_001 }])).toThrow(RangeError);
      expect(() => mock.script(SEED.id, [{ kind: "hang", delayMs: Number.NaN }])).toThrow(
        RangeError,
      );
      const badValue = { "Retry-After": "1\n2" };
      expect(() => mock.script(SEED.id, [{ status: 429, headers: badValue }])).toThrow(TypeError);
      const badName = { "Bad Name": "1" };
      expect(() => mock.script(SEED.id, [{ status: 429, headers: badName }])).toThrow(TypeError);
      expect(() => mock.script(SEED.id, [{ kind: "json", body: 1n }])).toThrow(TypeError);
      expect(() => mock.script(SEED.id, [{ status: 404 }, { status: 1 }])).toThrow(RangeError);
      expect((await get(`/connection/${SEED.id}`)).status).toBe(200);
    });
  });

  describe("stats", () => {
    it("counts requests and logs them, with the API key redacted", async () => {
      const secret = "sk-live-very-secret-0123456789";
      const other = await startMockServer({ apiKey: secret });
      try {
        await fetch(`${other.url}/connection/${SEED.id}?x=1`, {
          headers: { "X-API-KEY": secret, "User-Agent": "stats-test" },
        });
        await fetch(`${other.url}/connection/${SEED.id}`, {
          headers: { "x-api-key": `${secret}-wrong` },
        });
        await fetch(`${other.url}/connection/${SEED.id}`, { method: "DELETE" });
        expect(other.stats.requests).toBe(3);
        expect(other.stats.log.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
          `GET /v2.2/connection/${SEED.id}?x=1`,
          `GET /v2.2/connection/${SEED.id}`,
          `DELETE /v2.2/connection/${SEED.id}`,
        ]);
        const [first, second, third] = other.stats.log;
        expect(first?.headers["x-api-key"]).toBe("[redacted]");
        expect(first?.headers["user-agent"]).toBe("stats-test");
        expect(first?.headers.host).toBe(new URL(other.url).host);
        expect(second?.headers["x-api-key"]).toBe("[redacted]");
        expect(third?.headers).not.toHaveProperty("x-api-key");
        expect(JSON.stringify(other.stats)).not.toContain(secret);
        expect(JSON.stringify(other.stats)).not.toContain("very-secret");
      } finally {
        await other.close();
      }
    });

    it("maxInFlight counts concurrent requests; inFlight drops back to 0", async () => {
      mock.script(
        SEED.id,
        Array.from({ length: 6 }, () => ({ kind: "delay", ms: 200 }) as const),
      );
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => get(`/connection/${SEED.id}`).then((res) => res.json())),
      );
      expect(responses).toEqual(Array.from({ length: 6 }, () => SEED));
      expect(mock.stats.maxInFlight).toBe(6);
      expect(mock.stats.requests).toBe(6);
      await vi.waitFor(() => expect(mock.stats.inFlight).toBe(0));
    });

    it("sequential requests never overlap", async () => {
      for (let i = 0; i < 3; i += 1) await (await get(`/connection/${SEED.id}`)).json();
      expect(mock.stats.maxInFlight).toBe(1);
    });

    it("the log keeps a bounded window: the newest MOCK_LOG_LIMIT requests", async () => {
      const total = MOCK_LOG_LIMIT + 25;
      for (let i = 0; i < total; i += 1) {
        await (await get(`/connection/${SEED.id}?n=${i}`)).arrayBuffer();
      }
      expect(mock.stats.requests).toBe(total);
      expect(mock.stats.log).toHaveLength(MOCK_LOG_LIMIT);
      expect(mock.stats.log[0]?.path).toBe(`/v2.2/connection/${SEED.id}?n=25`);
      expect(mock.stats.log.at(-1)?.path).toBe(`/v2.2/connection/${SEED.id}?n=${total - 1}`);
    });

    it("reset clears the counters and the log, and the stats object stays live", async () => {
      const stats = mock.stats;
      await (await get(`/connection/${SEED.id}`)).json();
      expect(stats.requests).toBe(1);
      mock.reset();
      expect(stats).toEqual({
        requests: 0,
        inFlight: 0,
        maxInFlight: 0,
        log: [],
        invitationsCreated: 0,
        webhooks: {
          sent: 0,
          attempts: 0,
          delivered: 0,
          failed: 0,
          dropped: 0,
          inProgress: 0,
          events: [],
        },
      });
      expect(mock.stats).toBe(stats);
    });
  });
});

describe("close", () => {
  it("is idempotent, and the port is closed afterwards", async () => {
    const other = await startMockServer();
    const first = other.close();
    expect(other.close()).toBe(first);
    await first;
    await other.close();
    const error = await fetch(`${other.url}/connection/${SEED.id}`).catch((e: unknown) => e);
    expect(String((error as TypeError).cause)).toMatch(/ECONNREFUSED/);
  });

  it("leaves no handle behind, even with hung, endless and delayed requests open", async () => {
    // Tallies are taken between sleeps of `until`, never inside a vi.waitFor, whose own timers
    // would be counted. Start from a quiet process: the shared mock above is closed, and with
    // it its keep-alive sockets, whose client ends close a moment later.
    await until(() => (tally().TCPSocketWrap ?? 0) === 0, 2_000);
    const before = tally();
    const other = await startMockServer();
    other.script(SEED.id, [
      { kind: "hang" },
      { kind: "endless-body" },
      { kind: "delay", ms: 60_000 },
      { status: 503, delayMs: 60_000 },
    ]);
    const call = () =>
      fetch(`${other.url}/connection/${SEED.id}`, { headers: { "X-API-KEY": other.apiKey } });
    // Each promise settles only when its exchange is over (for the endless body: its reading).
    const pending = [call(), call().then((res) => res.text()), call(), call()].map((p) =>
      p.then(
        () => "resolved",
        () => "rejected",
      ),
    );
    await until(() => other.stats.inFlight === 4, 2_000);

    // The measurement sees what the mock holds: its server, 4 server-side sockets (and the
    // client's 4), the endless body's interval and the two 60 s timers.
    const during = tally();
    expect(during.TCPServerWrap ?? 0).toBe((before.TCPServerWrap ?? 0) + 1);
    expect(during.TCPSocketWrap ?? 0).toBe(8);
    expect(during.Timeout ?? 0).toBe((before.Timeout ?? 0) + 3);

    await other.close();
    expect(await Promise.all(pending)).toEqual(["rejected", "rejected", "rejected", "rejected"]);
    expect(other.stats.inFlight).toBe(0);

    // The client's sockets close asynchronously; allow them up to a second. Then every kind of
    // resource must be back to its count before the mock started (the Timeouts vitest holds for
    // this test were already counted in `before`).
    const back = () =>
      [...new Set([...Object.keys(before), ...Object.keys(tally())])].every(
        (kind) => (tally()[kind] ?? 0) <= (before[kind] ?? 0),
      );
    await until(back, 1_000);
    const after = tally();
    for (const kind of new Set([...Object.keys(before), ...Object.keys(after)])) {
      expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(before[kind] ?? 0);
    }
    expect(after.TCPSocketWrap ?? 0).toBe(0);
    expect(after.Timeout ?? 0).toBe(before.Timeout ?? 0);
  });
});
