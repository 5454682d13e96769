/**
 * Prism as referee of the mock: `prism proxy generated/openapi.json <mock url> --errors` forwards
 * each request to the mock and checks the answer against the spec. What this Prism (5.14.2) does,
 * as found out here and pinned by the tests below:
 *
 * - A violating answer with `--errors` becomes a 500 `application/problem+json` whose `type` ends
 *   in `#VIOLATIONS`, with the violations (severity `Error`) in an `sl-violations` header.
 * - A lesser finding, such as a status the spec does not declare, passes through with its own
 *   status but still carries an `sl-violations` header (severity `Warning`).
 * - So an answer passes only if it is the mock's own (the mock logged the request), with the
 *   mock's status, no `sl-violations` header, and not `application/problem+json`.
 * - Prism checks requests itself and never forwards a bad one: a non-UUID id gets Prism's own
 *   422 (the mock's 400 for it cannot be reached through Prism), a missing key Prism's own 401,
 *   an unknown path 404 and another method 405.
 * - It forwards to the upstream URL with its path kept: `/connection/{id}` goes to
 *   `<mock url>/connection/{id}`, i.e. under `/v2.2`.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection, Invitation, InvitationDetail } from "../generated/schema.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { realisticConnection } from "../src/mock/realistic-examples.js";
import { type PrismProcess, startPrism } from "./helpers/prism.js";

const spec = JSON.parse(
  readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
) as { components: { examples: Record<string, { value: unknown }> } };
const example = (name: string): unknown => {
  const found = spec.components.examples[name];
  if (found === undefined) throw new Error(`no example ${name}`);
  return found.value;
};
/** What the mock serves for Nectar's placeholder example: realistic values, the same id. */
const SEED = realisticConnection(example("ConnectionSeed") as Connection);
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

let mock: MockServer;
let prism: PrismProcess | undefined;
let prismUrl = "";

beforeAll(async () => {
  mock = await startMockServer();
  // Ready when it answers anything on its port (Prism itself answers 401 to a keyless request,
  // without calling the mock).
  prism = await startPrism(["proxy", "generated/openapi.json", mock.url, "--errors"]);
  prismUrl = prism.url;
  mock.reset();
});

afterAll(async () => {
  await prism?.stop();
  await mock?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Did the request reach the mock? */
  forwarded: boolean;
}

async function viaPrism(path: string, init: RequestInit = {}, key: string | null = mock.apiKey) {
  const before = mock.stats.requests;
  const headers = new Headers(init.headers);
  if (key !== null) headers.set("X-API-KEY", key);
  const res = await fetch(`${prismUrl}${path}`, { ...init, headers });
  const answer: Answer = {
    status: res.status,
    headers: res.headers,
    text: await res.text(),
    forwarded: mock.stats.requests > before,
  };
  return answer;
}

/** Prism saw the mock's answer and found nothing wrong with it. */
function expectAccepted(answer: Answer, status: number): void {
  const context = `${answer.status} ${answer.headers.get("sl-violations") ?? ""} ${answer.text}`;
  expect(answer.forwarded, context).toBe(true);
  expect(answer.headers.get("sl-violations"), context).toBeNull();
  expect(answer.status, context).toBe(status);
  expect(answer.headers.get("content-type"), context).toBe("application/json");
}

interface Violation {
  location: string[];
  severity: string;
  message: string;
}

function violations(answer: Answer): Violation[] {
  const header = answer.headers.get("sl-violations");
  return header === null ? [] : (JSON.parse(header) as Violation[]);
}

describe("every answer the mock gives passes Prism", () => {
  it.each(["ConnectionSeed", "ConnectionPasswordIncorrect", "ConnectionDeactivated"])(
    "200 with %s",
    async (name) => {
      const connection = name === "ConnectionSeed" ? SEED : (example(name) as Connection);
      const answer = await viaPrism(`/connection/${connection.id}`);
      expectAccepted(answer, 200);
      expect(JSON.parse(answer.text)).toEqual(connection);
      expect(mock.stats.log.at(-1)?.path).toBe(`/v2.2/connection/${connection.id}`);
    },
  );

  it("200 for an id in upper case (Prism's uuid format accepts it too)", async () => {
    const answer = await viaPrism(`/connection/${SEED.id.toUpperCase()}`);
    expectAccepted(answer, 200);
  });

  it("401 for a wrong key", async () => {
    const answer = await viaPrism(`/connection/${SEED.id}`, {}, "wrong-key");
    expectAccepted(answer, 401);
    expect(JSON.parse(answer.text)).toEqual(example("ErrorUnauthorized"));
  });

  it("404 for an unknown id", async () => {
    const answer = await viaPrism(`/connection/${UNKNOWN_ID}`);
    expectAccepted(answer, 404);
    expect(JSON.parse(answer.text)).toEqual(example("ErrorNotFound"));
  });

  it("429 with Retry-After", async () => {
    mock.script(SEED.id, [{ status: 429, headers: { "Retry-After": "2" } }]);
    const answer = await viaPrism(`/connection/${SEED.id}`);
    expectAccepted(answer, 429);
    expect(answer.headers.get("retry-after")).toBe("2");
    expect(JSON.parse(answer.text)).toEqual(example("ErrorTooManyRequests"));
  });

  it.each([400, 401, 403, 404, 429, 500, 502, 503, 504])(
    "a scripted %i with its default body",
    async (status) => {
      mock.script(SEED.id, [{ status }]);
      expectAccepted(await viaPrism(`/connection/${SEED.id}`), status);
    },
  );

  it("a scripted 200 with extra headers, and a delayed normal answer", async () => {
    mock.script(SEED.id, [
      { status: 200, headers: { "x-extra": "1" } },
      { kind: "delay", ms: 50 },
    ]);
    const first = await viaPrism(`/connection/${SEED.id}`);
    expectAccepted(first, 200);
    expect(JSON.parse(first.text)).toEqual(SEED);
    expectAccepted(await viaPrism(`/connection/${SEED.id}`), 200);
  });

  it("a connection set with setConnection (every status value)", async () => {
    for (const status of ["CONNECTED", "URL_INACCESSIBLE", "COMPANY_INACTIVE"] as const) {
      mock.setConnection({ ...SEED, id: UNKNOWN_ID, status });
      expectAccepted(await viaPrism(`/connection/${UNKNOWN_ID}`), 200);
    }
    mock.reset();
  });
});

describe("requests Prism answers itself, without asking the mock", () => {
  it("a non-UUID id: Prism's own 422, so the mock's 400 is out of its reach", async () => {
    const answer = await viaPrism("/connection/not-a-uuid");
    expect(answer.forwarded).toBe(false);
    expect(answer.status).toBe(422);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    const body = JSON.parse(answer.text) as { type: string; validation: Violation[] };
    expect(body.type).toMatch(/#UNPROCESSABLE_ENTITY$/);
    expect(body.validation[0]?.location).toEqual(["path", "connection_id"]);
  });

  it("a missing key: Prism's own 401", async () => {
    const answer = await viaPrism(`/connection/${SEED.id}`, {}, null);
    expect(answer.forwarded).toBe(false);
    expect(answer.status).toBe(401);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
  });

  it("another path, another method: Prism's own 404 and 405", async () => {
    const path = await viaPrism(`/v2.2/connection/${SEED.id}`);
    expect([path.forwarded, path.status]).toEqual([false, 404]);
    const method = await viaPrism(`/connection/${SEED.id}`, { method: "POST" });
    expect([method.forwarded, method.status]).toEqual([false, 405]);
  });
});

describe("the referee can fail: faults that break the spec are flagged", () => {
  it("a 200 connection without its required id becomes a 500 VIOLATIONS error", async () => {
    const { id: _dropped, ...withoutId } = SEED;
    mock.script(SEED.id, [{ kind: "json", body: withoutId }]);
    const answer = await viaPrism(`/connection/${SEED.id}`);
    expect(answer.forwarded).toBe(true);
    expect(answer.status).toBe(500);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect((JSON.parse(answer.text) as { type: string }).type).toMatch(/#VIOLATIONS$/);
    expect(violations(answer)).toEqual([
      {
        location: ["response", "body"],
        severity: "Error",
        code: "required",
        message: "Response body must have required property 'id'",
      },
    ]);
    expect(() => expectAccepted(answer, 200)).toThrow();
  });

  it("a status that is not a string is a violation (an unknown string passes: the enum is open)", async () => {
    mock.script(SEED.id, [{ kind: "json", body: { ...SEED, status: 42 } }]);
    const answer = await viaPrism(`/connection/${SEED.id}`);
    expect(answer.status).toBe(500);
    expect(new Set(violations(answer).map((v) => v.location.join(".")))).toEqual(
      new Set(["response.body.status"]),
    );
    mock.script(SEED.id, [{ kind: "json", body: { ...SEED, status: "QUANTUM_ENTANGLED" } }]);
    expectAccepted(await viaPrism(`/connection/${SEED.id}`), 200);
  });

  it("an HTML error page is a media-type violation", async () => {
    mock.script(SEED.id, [{ kind: "html" }]);
    const answer = await viaPrism(`/connection/${SEED.id}`);
    expect(answer.status).toBe(500);
    expect(violations(answer)[0]?.message).toMatch(/media type "text\/html; charset=utf-8"/);
  });

  it("an undeclared 422 passes through, flagged only as a Warning", async () => {
    mock.script(SEED.id, [{ kind: "json", status: 422, body: { detail: "Unprocessable." } }]);
    const answer = await viaPrism(`/connection/${SEED.id}`);
    expect(answer.status).toBe(422);
    expect(violations(answer).map((v) => v.severity)).toEqual(["Warning"]);
    expect(() => expectAccepted(answer, 422)).toThrow(/Warning/);
  });

  it("a body that is not JSON is Prism's own 500", async () => {
    mock.script(SEED.id, [{ kind: "invalid-json" }]);
    const answer = await viaPrism(`/connection/${SEED.id}`);
    expect(answer.status).toBe(500);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("the mock's invitations pass Prism", () => {
  const CONNECTION_ID = "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13";
  const ACTIVE = example("InvitationDetailActive") as InvitationDetail;
  const REVOKED = example("InvitationDetailRevoked") as InvitationDetail;
  const post = (path: string, body?: unknown): Promise<Answer> =>
    viaPrism(path, {
      method: "POST",
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });

  it("create (201), retrieve with events (200), revoke (200), then REVOKED", async () => {
    const before = mock.stats.invitationsCreated;
    const created = await post(`/invitation/connection/${CONNECTION_ID}`, {
      allowedEmails: ["energy.manager@acme.example"],
      expiresInSeconds: 604_800,
      maxUses: 1,
      sendEmail: true,
    });
    expectAccepted(created, 201);
    const { id } = JSON.parse(created.text) as Invitation;
    expectAccepted(await viaPrism(`/invitation/${id}`), 200);
    expectAccepted(await post(`/invitation/${id}/revoke`), 200);
    const revoked = await viaPrism(`/invitation/${id}`);
    expectAccepted(revoked, 200);
    expect((JSON.parse(revoked.text) as InvitationDetail).status).toBe("REVOKED");
    expect(mock.stats.invitationsCreated - before).toBe(1);
  });

  it.each([
    ["an empty object", {}],
    ["the spec's seed request", example("CreateReconnectInvitationSeed")],
    ["a key the spec does not name (the mock ignores it)", { maxUses: 1, prefill: {} }],
  ])("create with %s", async (_name, body) => {
    expectAccepted(await post(`/invitation/connection/${CONNECTION_ID}`, body), 201);
  });

  it("the spec's examples, served from the start on the mock's clock (the active one active)", async () => {
    const active = await viaPrism(`/invitation/${ACTIVE.id}`);
    expectAccepted(active, 200);
    const served = JSON.parse(active.text) as InvitationDetail;
    const { createdAt, expiresAt, events: _events, ...timeless } = ACTIVE;
    expect(served).toMatchObject({ ...timeless, status: "ACTIVE" });
    expect(Date.parse(served.expiresAt ?? "")).toBeGreaterThan(Date.now());
    const lifetime = Date.parse(expiresAt ?? "") - Date.parse(createdAt ?? "");
    expect(Date.parse(served.expiresAt ?? "") - Date.parse(served.createdAt ?? "")).toBe(lifetime);
    expectAccepted(await viaPrism(`/invitation/${REVOKED.id}`), 200);
  });

  it("404 for an unknown connection, or an unknown invitation to retrieve or revoke", async () => {
    expectAccepted(await post(`/invitation/connection/${UNKNOWN_ID}`, {}), 404);
    expectAccepted(await viaPrism(`/invitation/${UNKNOWN_ID}`), 404);
    expectAccepted(await post(`/invitation/${UNKNOWN_ID}/revoke`), 404);
  });

  it("scripted faults on create and revoke: 429 with Retry-After, 503, 500", async () => {
    const before = mock.stats.invitationsCreated;
    mock.script(CONNECTION_ID, [{ status: 429, headers: { "Retry-After": "1" } }, { status: 503 }]);
    expectAccepted(await post(`/invitation/connection/${CONNECTION_ID}`, {}), 429);
    expectAccepted(await post(`/invitation/connection/${CONNECTION_ID}`, {}), 503);
    mock.script(ACTIVE.id, [{ status: 500 }]);
    expectAccepted(await post(`/invitation/${ACTIVE.id}/revoke`), 500);
    expect(mock.stats.invitationsCreated - before).toBe(0);
  });

  it("a body that breaks the spec never reaches the mock: Prism answers it itself", async () => {
    const answer = await post(`/invitation/connection/${CONNECTION_ID}`, { expiresInSeconds: 30 });
    expect(answer.forwarded).toBe(false);
    expect(answer.status).toBe(422);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
  });

  it("the referee can fail: a created invitation without its token is a violation", async () => {
    const { token: _token, ...withoutToken } = example("InvitationReconnect") as Invitation;
    mock.script(CONNECTION_ID, [{ kind: "json", status: 201, body: withoutToken }]);
    const answer = await post(`/invitation/connection/${CONNECTION_ID}`, {});
    expect(answer.status).toBe(500);
    expect(violations(answer).map((v) => v.message)).toEqual([
      "Response body must have required property 'token'",
    ]);
  });
});

describe("the mock's connection list and ping pass Prism", () => {
  /** The company of the spec's ConnectionSeed (one connection in the default mock). */
  const company = () => mock.companyIds.find((id) => id === SEED.company?.id) ?? "";

  it.each([
    ["the first page", ""],
    ["a page of one", "?limit=1&page=1"],
    ["a page past the end (the last page again)", "?limit=1&page=7"],
    [
      "every filter, sites repeated",
      `?status=PENDING&connectionOwnerEmail=${encodeURIComponent(SEED.workflowOwnerEmail ?? "")}&sites=${SEED.initialSites?.[0]}&sites=${UNKNOWN_ID}`,
    ],
    ["a filter that matches nothing", "?status=CONNECTED"],
  ])("200 for %s", async (_name, query) => {
    const answer = await viaPrism(`/connection/company/${company()}${query}`);
    expectAccepted(answer, 200);
    expect(JSON.parse(answer.text)).toMatchObject({ currentPage: 1 });
  });

  it("403 for a company whose connections the key does not see", async () => {
    expectAccepted(await viaPrism(`/connection/company/${UNKNOWN_ID}`), 403);
  });

  it("a limit or status the spec refuses never reaches the mock: Prism answers it itself", async () => {
    for (const query of ["?limit=0", "?limit=501", "?status=DEACTIVATED", "?page=0"]) {
      const answer = await viaPrism(`/connection/company/${company()}${query}`);
      expect(answer.forwarded, query).toBe(false);
      expect(answer.status, query).toBe(422);
    }
  });

  it("ping: 200 with the key", async () => {
    expectAccepted(await viaPrism("/ping"), 200);
  });

  it("the referee can fail: a page without hasNext is a violation", async () => {
    const { hasNext: _dropped, ...withoutHasNext } = example("ConnectionPageFirst") as Record<
      string,
      unknown
    >;
    mock.script(company(), [{ kind: "json", body: withoutHasNext }]);
    const answer = await viaPrism(`/connection/company/${company()}`);
    expect(answer.status).toBe(500);
    expect(violations(answer).map((v) => v.message)).toEqual([
      "Response body must have required property 'hasNext'",
    ]);
  });
});
