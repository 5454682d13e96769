/**
 * The three invitation operations against Prism's mock of the spec (`prism mock
 * generated/openapi.json`), through `client.raw`, the openapi-fetch client typed by the generated
 * `paths`. Both directions: what the client sends (the spec's request examples, every path
 * parameter) must pass Prism's request checks (no `sl-violations` header), and what Prism
 * answers from the spec must pass the compiled validators. Requests that break the spec
 * (expiresInSeconds 30, a non-UUID id, a bad email) are sent on purpose and must be flagged.
 *
 * Prism 5.14.2 in mock mode answers a request that breaks the spec with the spec's declared 400
 * and an `sl-violations` header; `Prefer: example=<name>` picks a named example, `Prefer:
 * code=<status>` a declared response.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreateReconnectInvitationRequest } from "../generated/schema.js";
import {
  validateErrorBody,
  validateInvitation,
  validateInvitationDetail,
} from "../generated/validators.js";
import {
  createNectarClient,
  type NectarClientOptions,
  NectarInvalidInputError,
  NectarNotFoundError,
} from "../src/index.js";
import { errorBodies, TEST_API_KEY } from "./helpers/fixtures.js";
import { type PrismProcess, startPrism } from "./helpers/prism.js";
import { recordForRedaction } from "./setup/redaction.js";

const CONNECTION_ID = "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13";
const INVITATION_ID = "5b0e8f3a-9c2d-4e71-8a6b-2f4d1c7e9a30";

const examples = (
  JSON.parse(readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8")) as {
    components: { examples: Record<string, { value: unknown }> };
  }
).components.examples;

/** A fresh copy of a named example's value. */
function example<T>(name: string): T {
  const found = examples[name];
  if (!found) throw new Error(`no example ${name}`);
  return structuredClone(found.value) as T;
}

/** A Prism violation, as the `sl-violations` header lists them. */
interface Violation {
  location: string[];
  severity: string;
  code: string | number;
  message: string;
}

/** One exchange with Prism, as the injected fetch saw it. */
interface Exchange {
  method: string;
  path: string;
  status: number;
  violations: Violation[] | null;
  requestHeaders: Headers;
  requestBody: string;
}

let prism: PrismProcess;
const allExchanges: Exchange[] = [];

beforeAll(async () => {
  prism = await startPrism(["mock", "generated/openapi.json"], `/invitation/${INVITATION_ID}`);
});

afterAll(async () => {
  await prism?.stop();
});

/** A client on Prism (no retries) whose requests carry `Prefer: <prefer>` when given. */
function prismClient(prefer?: string, options: NectarClientOptions = {}) {
  const exchanges: Exchange[] = [];
  const record = (message: string, ...details: unknown[]) =>
    recordForRedaction({ message, details });
  const client = createNectarClient({
    apiKey: TEST_API_KEY,
    baseUrl: prism.url,
    maxRetries: 0,
    logLevel: "debug",
    logger: { error: record, warn: record, info: record, debug: record },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      if (prefer !== undefined) request.headers.set("Prefer", prefer);
      const requestBody = await request.clone().text();
      const response = await fetch(request);
      const url = new URL(request.url);
      const header = response.headers.get("sl-violations");
      const exchange: Exchange = {
        method: request.method,
        path: url.pathname,
        status: response.status,
        violations: header === null ? null : (JSON.parse(header) as Violation[]),
        requestHeaders: request.headers,
        requestBody,
      };
      exchanges.push(exchange);
      allExchanges.push(exchange);
      return response;
    },
    ...options,
  });
  return { client, exchanges };
}

/** Prism found no violation in any of these requests. */
function expectNoViolations(exchanges: readonly Exchange[]): void {
  expect(exchanges.length).toBeGreaterThan(0);
  for (const exchange of exchanges) {
    expect(exchange.violations, `${exchange.method} ${exchange.path}`).toBeNull();
  }
}

describe("POST /invitation/connection/{connection_id} (createReconnectInvitation)", () => {
  const bodies: [string, CreateReconnectInvitationRequest][] = [
    ["CreateReconnectInvitationByEmail", example("CreateReconnectInvitationByEmail")],
    ["CreateReconnectInvitationLink", example("CreateReconnectInvitationLink")],
    ["CreateReconnectInvitationSeed", example("CreateReconnectInvitationSeed")],
    ["an empty body", {}],
    ["the minimums (60 s, 1 use)", { expiresInSeconds: 60, maxUses: 1 }],
  ];

  it.each(bodies)(
    "sends %s as JSON, and Prism finds nothing wrong with it",
    async (_name, body) => {
      const { client, exchanges } = prismClient();
      const { data, response } = await client.raw.POST("/invitation/connection/{connection_id}", {
        params: { path: { connection_id: CONNECTION_ID } },
        body,
      });
      expectNoViolations(exchanges);
      expect(exchanges[0]?.requestHeaders.get("content-type")).toBe("application/json");
      expect(JSON.parse(exchanges[0]?.requestBody ?? "")).toEqual(body);
      expect(response.status).toBe(200); // Prism's pick among the declared 200 and 201
      expect(data).toEqual(example("InvitationReconnect")); // the first example
    },
  );

  it.each([
    ["reconnect", "InvitationReconnect"],
    ["seed", "InvitationSeed"],
  ])("Prefer: example=%s comes back as a valid Invitation", async (name, exampleName) => {
    const { client, exchanges } = prismClient(`example=${name}`);
    const { data } = await client.raw.POST("/invitation/connection/{connection_id}", {
      params: { path: { connection_id: CONNECTION_ID } },
      body: { maxUses: 1 },
    });
    expect(data).toEqual(example(exampleName));
    expect(validateInvitation(data), JSON.stringify(validateInvitation.errors)).toBe(true);
    expectNoViolations(exchanges);
  });

  it("Prefer: code=201 (the other declared success) is an Invitation too", async () => {
    const { client, exchanges } = prismClient("code=201");
    const { data, response } = await client.raw.POST("/invitation/connection/{connection_id}", {
      params: { path: { connection_id: CONNECTION_ID } },
      body: {},
    });
    expect(response.status).toBe(201);
    expect(validateInvitation(data)).toBe(true);
    expect(data?.invitationType).toBe("EDIT_CONNECTION");
    expectNoViolations(exchanges);
  });

  it("Prefer: code=404 is an ErrorBody, in openapi-fetch's error", async () => {
    const { client, exchanges } = prismClient("code=404");
    const { data, error, response } = await client.raw.POST(
      "/invitation/connection/{connection_id}",
      { params: { path: { connection_id: CONNECTION_ID } }, body: {} },
    );
    expect([response.status, data]).toEqual([404, undefined]);
    expect(error).toEqual(errorBodies.notFound());
    expect(validateErrorBody(error)).toBe(true);
    expectNoViolations(exchanges);
  });

  it("a key Nectar does not document passes Prism: the spec leaves the body open", async () => {
    const { client, exchanges } = prismClient();
    // Not an object literal at the call, so TypeScript lets the extra key through, as JSON would.
    const body = { maxUses: 1, prefill: {} };
    await client.raw.POST("/invitation/connection/{connection_id}", {
      params: { path: { connection_id: CONNECTION_ID } },
      body,
    });
    expectNoViolations(exchanges);
  });
});

describe("GET /invitation/{invitation_id} (retrieveInvitation)", () => {
  it.each([
    [undefined, "InvitationDetailActive"],
    ["active", "InvitationDetailActive"],
    ["revoked", "InvitationDetailRevoked"],
  ])("Prefer: example=%s comes back as a valid InvitationDetail", async (name, exampleName) => {
    const { client, exchanges } = prismClient(name && `example=${name}`);
    const { data, response } = await client.raw.GET("/invitation/{invitation_id}", {
      params: { path: { invitation_id: INVITATION_ID } },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual(example(exampleName));
    expect(validateInvitationDetail(data)).toBe(true);
    expect(data?.events?.length).toBeGreaterThan(0);
    expectNoViolations(exchanges);
    expect(exchanges.map((e) => `${e.method} ${e.path}`)).toEqual([
      `GET /invitation/${INVITATION_ID}`,
    ]);
  });
});

describe("POST /invitation/{invitation_id}/revoke (revokeInvitation)", () => {
  it.each([
    [undefined, 200],
    ["code=201", 201],
    ["code=204", 204],
  ])("Prefer: %s is a success (%i) the client needs no body from", async (prefer, status) => {
    const { client, exchanges } = prismClient(prefer);
    const { response, error } = await client.raw.POST("/invitation/{invitation_id}/revoke", {
      params: { path: { invitation_id: INVITATION_ID } },
    });
    expect([response.ok, response.status, error]).toEqual([true, status, undefined]);
    expectNoViolations(exchanges);
    expect(exchanges[0]?.requestBody).toBe("");
  });

  it("Prefer: code=403 is an ErrorBody", async () => {
    const { client, exchanges } = prismClient("code=403");
    const { response, error } = await client.raw.POST("/invitation/{invitation_id}/revoke", {
      params: { path: { invitation_id: INVITATION_ID } },
    });
    expect(response.status).toBe(403);
    expect(error).toEqual(errorBodies.forbidden());
    expectNoViolations(exchanges);
  });
});

describe("through client.invitations, with strict validation", () => {
  const strict = (prefer?: string) => prismClient(prefer, { validateResponses: "strict" });

  it.each([
    ["CreateReconnectInvitationByEmail"],
    ["CreateReconnectInvitationLink"],
    ["CreateReconnectInvitationSeed"],
  ])("createReconnect sends %s, Prism finds nothing wrong, the answer passes", async (name) => {
    const { client, exchanges } = strict();
    const body = example<CreateReconnectInvitationRequest>(name);
    const { data, response } = await client.invitations
      .createReconnect(CONNECTION_ID, body)
      .withResponse();
    expectNoViolations(exchanges);
    expect(JSON.parse(exchanges[0]?.requestBody ?? "")).toEqual(body);
    expect(exchanges[0]?.requestHeaders.get("content-type")).toBe("application/json");
    expect(response.status).toBe(200);
    expect(data).toEqual(example("InvitationReconnect"));
  });

  it("createReconnect with no options sends {}; Prism's 201 and its seed example pass", async () => {
    const created = strict("code=201");
    const { response } = await created.client.invitations
      .createReconnect(CONNECTION_ID)
      .withResponse();
    expect(response.status).toBe(201);
    expect(created.exchanges[0]?.requestBody).toBe("{}");
    expectNoViolations(created.exchanges);
    // The seed example is an invitation for the seed connection: asked for that one, it passes.
    const seedExample = example<{ connectionId: string }>("InvitationSeed");
    const seed = strict("example=seed");
    expect(await seed.client.invitations.createReconnect(seedExample.connectionId)).toEqual(
      seedExample,
    );
    expectNoViolations(seed.exchanges);
  });

  it.each([
    ["active", "InvitationDetailActive"],
    ["revoked", "InvitationDetailRevoked"],
  ])("retrieve: Prism's %s example passes", async (name, exampleName) => {
    const { client, exchanges } = strict(`example=${name}`);
    const expected = example<{ id: string }>(exampleName);
    expect(await client.invitations.retrieve(expected.id)).toEqual(expected);
    expectNoViolations(exchanges);
  });

  it.each([[undefined], ["code=201"], ["code=204"]])(
    "revoke resolves on Prism's success (%s), sending no body",
    async (prefer) => {
      const { client, exchanges } = strict(prefer);
      await expect(client.invitations.revoke(INVITATION_ID)).resolves.toBeUndefined();
      expectNoViolations(exchanges);
      expect(exchanges[0]?.requestBody).toBe("");
    },
  );

  it("Prism's declared 404 becomes NectarNotFoundError on each method", async () => {
    const { client, exchanges } = strict("code=404");
    const calls = [
      () => client.invitations.createReconnect(CONNECTION_ID),
      () => client.invitations.retrieve(INVITATION_ID),
      () => client.invitations.revoke(INVITATION_ID),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(NectarNotFoundError);
    expectNoViolations(exchanges);
  });

  it("what Prism would flag, the client refuses before sending", async () => {
    const { client, exchanges } = strict();
    const refused = [
      () => client.invitations.createReconnect(CONNECTION_ID, { expiresInSeconds: 30 }),
      () => client.invitations.createReconnect(CONNECTION_ID, { maxUses: 0 }),
      () => client.invitations.createReconnect(CONNECTION_ID, { allowedEmails: ["not-an-email"] }),
      () => client.invitations.createReconnect("not-a-uuid"),
      () => client.invitations.retrieve("not-a-uuid"),
      // Prism lets an undocumented key through (the spec leaves the body open); the client does not.
      () => client.invitations.createReconnect(CONNECTION_ID, { prefill: {} } as never),
    ];
    for (const call of refused) {
      await expect(call()).rejects.toBeInstanceOf(NectarInvalidInputError);
    }
    expect(exchanges).toEqual([]);
  });
});

describe("the violation check can fail: Prism flags requests that break the spec", () => {
  /** The one violation of the only exchange. */
  function onlyViolation(exchanges: readonly Exchange[]): Violation | undefined {
    expect(exchanges).toHaveLength(1);
    expect(() => expectNoViolations(exchanges)).toThrow();
    expect(exchanges[0]?.violations).toHaveLength(1);
    return exchanges[0]?.violations?.[0];
  }

  it("expiresInSeconds 30 is flagged at the body, and answered with the declared 400", async () => {
    const { client, exchanges } = prismClient();
    const { response, error } = await client.raw.POST("/invitation/connection/{connection_id}", {
      params: { path: { connection_id: CONNECTION_ID } },
      body: { expiresInSeconds: 30 },
    });
    expect(response.status).toBe(400);
    expect(error).toEqual(errorBodies.badRequest());
    expect(onlyViolation(exchanges)).toMatchObject({
      location: ["request", "body", "expiresInSeconds"],
      severity: "Error",
      code: "minimum",
    });
  });

  it("maxUses 0 and a bad email are flagged at their fields", async () => {
    const { client, exchanges } = prismClient();
    await client.raw.POST("/invitation/connection/{connection_id}", {
      params: { path: { connection_id: CONNECTION_ID } },
      body: { maxUses: 0, allowedEmails: ["not-an-email"] },
    });
    expect(exchanges[0]?.violations?.map((v) => [v.location.join("."), v.code])).toEqual(
      expect.arrayContaining([
        ["request.body.maxUses", "minimum"],
        ["request.body.allowedEmails.0", "format"],
      ]),
    );
  });

  it.each([
    ["GET", "/invitation/{invitation_id}"],
    ["POST", "/invitation/{invitation_id}/revoke"],
  ] as const)("a non-UUID invitation id is flagged on %s %s", async (method, path) => {
    const { client, exchanges } = prismClient();
    const params = { params: { path: { invitation_id: "not-a-uuid" } } };
    const { response } =
      method === "GET"
        ? await client.raw.GET("/invitation/{invitation_id}", params)
        : await client.raw.POST("/invitation/{invitation_id}/revoke", params);
    expect(response.status).toBe(400);
    expect(onlyViolation(exchanges)).toMatchObject({
      location: ["request", "path", "invitation_id"],
      code: "format",
    });
    expect(exchanges[0]?.path).toBe(path.replace("{invitation_id}", "not-a-uuid"));
  });

  it("a non-UUID connection id is flagged on the create", async () => {
    const { client, exchanges } = prismClient();
    await client.raw.POST("/invitation/connection/{connection_id}", {
      params: { path: { connection_id: "not-a-uuid" } },
      body: {},
    });
    expect(onlyViolation(exchanges)).toMatchObject({
      location: ["request", "path", "connection_id"],
      code: "format",
    });
  });

  it("a keyless request is flagged, and gets the spec's 401", async () => {
    const response = await fetch(`${prism.url}/invitation/${INVITATION_ID}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(errorBodies.unauthorized());
    expect(response.headers.get("sl-violations")).toMatch(/"severity":"Error"/);
  });
});

describe("what the client sent", () => {
  it("every request not meant to break the spec passed Prism, with the client's headers", () => {
    const meantToBreak = (e: Exchange) =>
      e.path.includes("not-a-uuid") || /"expiresInSeconds":30|"maxUses":0/.test(e.requestBody);
    const clean = allExchanges.filter((e) => !meantToBreak(e));
    expectNoViolations(clean);
    for (const { requestHeaders } of clean) {
      expect(requestHeaders.get("x-api-key")).toBe(TEST_API_KEY);
    }
    expect(allExchanges.length - clean.length).toBe(5);
    for (const broken of allExchanges.filter(meantToBreak)) {
      expect(broken.violations, broken.path).not.toBeNull();
    }
  });
});
