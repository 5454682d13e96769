/**
 * The client against Prism's mock of the spec (`prism mock generated/openapi.json`): Prism is an
 * independent reading of the spec, so what the client sends must pass Prism's request checks,
 * and what Prism answers from the spec's examples must come back through the client intact
 * (with `validateResponses: "strict"`) or as the right error class.
 *
 * Prism (5.14.2) in mock mode, as found out here and pinned below:
 * - `Prefer: example=<name>` picks a named 200 example; `Prefer: code=<status>` a declared
 *   response, whose body is that response's example.
 * - A request that breaks the spec is still answered, but with an `sl-violations` header
 *   (severity `Error`): a keyless request gets the spec's 401, a non-UUID id the spec's declared
 *   400. (It is `prism proxy` that answers a non-UUID id with its own 422 problem+json, see
 *   test/mock-prism.test.ts; `prism mock` prefers the 400 the spec declares.)
 * So "Prism found nothing wrong with the request" means: no `sl-violations` header.
 *
 * The client has no per-request headers, so the `Prefer` header is added by an injected `fetch`
 * that otherwise calls the global one, and that keeps every response for the checks.
 */

import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Connection } from "../generated/schema.js";
import { MISSING_VERSION_HINT } from "../src/core/errors.js";
import {
  createNectarClient,
  type NectarApiError,
  NectarAuthenticationError,
  NectarBadRequestError,
  NectarNotFoundError,
  NectarPermissionError,
  NectarRateLimitError,
  NectarServerError,
} from "../src/index.js";
import { rejectionOf } from "./helpers/client.js";
import { connections, errorBodies, TEST_API_KEY } from "./helpers/fixtures.js";
import { type PrismProcess, startPrism } from "./helpers/prism.js";
import { recordForRedaction } from "./setup/redaction.js";

let prism: PrismProcess;

beforeAll(async () => {
  prism = await startPrism(["mock", "generated/openapi.json"]);
});

afterAll(async () => {
  await prism?.stop();
});

/** One response the client got from Prism, as the injected fetch saw it. */
interface Exchange {
  path: string;
  status: number;
  violations: string | null;
  requestHeaders: Headers;
}

/** Every exchange of every client of this file, for the final "no violations at all" check. */
const allExchanges: Exchange[] = [];

/**
 * A client on Prism whose requests carry `Prefer: <prefer>` (when given). Strict validation,
 * no retries unless asked, log lines recorded for the redaction check.
 */
function prismClient(
  prefer: string | undefined,
  options: { maxRetries?: number; sleeps?: number[] } = {},
) {
  const exchanges: Exchange[] = [];
  const record = (message: string, ...details: unknown[]) =>
    recordForRedaction({ message, details });
  const client = createNectarClient({
    apiKey: TEST_API_KEY,
    baseUrl: prism.url,
    validateResponses: "strict",
    maxRetries: options.maxRetries ?? 0,
    logLevel: "debug",
    logger: { error: record, warn: record, info: record, debug: record },
    sleep: async (ms, signal) => {
      options.sleeps?.push(ms);
      if (signal?.aborted) throw signal.reason;
    },
    fetch: async (input, init) => {
      const headers = new Headers(
        init?.headers ?? (typeof input === "string" ? undefined : input.headers),
      );
      if (prefer !== undefined) headers.set("Prefer", prefer);
      const response = await fetch(input, { ...init, headers });
      const url = new URL(typeof input === "string" ? input : input.url);
      const exchange: Exchange = {
        path: url.pathname + url.search,
        status: response.status,
        violations: response.headers.get("sl-violations"),
        requestHeaders: headers,
      };
      exchanges.push(exchange);
      allExchanges.push(exchange);
      return response;
    },
  });
  return { client, exchanges };
}

/** Prism found no violation in any of these requests. */
function expectNoViolations(exchanges: readonly Exchange[]): void {
  expect(exchanges.length).toBeGreaterThan(0);
  for (const exchange of exchanges) {
    expect(exchange.violations, `${exchange.status} ${exchange.path}`).toBeNull();
  }
}

describe("each named Connection example comes back through the client, strictly validated", () => {
  const cases: [string | undefined, () => Connection][] = [
    [undefined, connections.passwordIncorrect], // Prism's default: the first (realistic) example
    ["seed", connections.seed],
    ["passwordIncorrect", connections.passwordIncorrect],
    ["deactivated", connections.deactivated],
  ];
  it.each(cases)("Prefer: example=%s", async (name, expected) => {
    const example = expected();
    const { client, exchanges } = prismClient(name === undefined ? undefined : `example=${name}`);
    const { data, attempts, response } = await client.connections
      .retrieve(example.id)
      .withResponse();
    expect(data).toEqual(example);
    expect([attempts, response.status]).toEqual([1, 200]);
    expectNoViolations(exchanges);
    expect(exchanges.map((e) => e.path)).toEqual([`/connection/${example.id}`]);
  });

  it("an upper-case id is sent in lower case, and Prism accepts it", async () => {
    const example = connections.passwordIncorrect();
    const { client, exchanges } = prismClient("example=passwordIncorrect");
    expect(await client.connections.retrieve(example.id.toUpperCase())).toEqual(example);
    expectNoViolations(exchanges);
    expect(exchanges.map((e) => e.path)).toEqual([`/connection/${example.id}`]);
  });

  it("updateLink builds its link from the example Prism served", async () => {
    const example = connections.deactivated();
    const { client, exchanges } = prismClient("example=deactivated");
    const link = await client.connections.updateLink(example.id);
    expect(link.url).toBe(
      `https://dash.nectarclimate.com/p/connect/${encodeURIComponent(example.publicCompanyId)}/workflow/${encodeURIComponent(example.connectionMagicLinkSecret)}`,
    );
    recordForRedaction(inspect(link)); // the url holds the secret; console.log shows it masked
    expectNoViolations(exchanges);
  });
});

describe("error responses Prism serves from the spec come back as the right error", () => {
  const id = connections.seed().id;
  const cases: [number, typeof NectarApiError, string][] = [
    [400, NectarBadRequestError, errorBodies.badRequest().detail ?? ""],
    [401, NectarAuthenticationError, errorBodies.unauthorized().detail ?? ""],
    [403, NectarPermissionError, errorBodies.forbidden().detail ?? ""],
    [404, NectarNotFoundError, errorBodies.notFound().detail ?? ""],
    [429, NectarRateLimitError, errorBodies.tooManyRequests().detail ?? ""],
    [500, NectarServerError, errorBodies.serverError().detail ?? ""],
    [503, NectarServerError, errorBodies.serverError().detail ?? ""],
  ];
  it.each(cases)("Prefer: code=%i", async (status, ErrorClass, detail) => {
    const { client, exchanges } = prismClient(`code=${status}`);
    const error = await rejectionOf(client.connections.retrieve(id));
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as Error).constructor).toBe(ErrorClass);
    expect(error).toMatchObject({ status, detail, attempts: 1, body: { detail } });
    // Prism serves the API at its root, a base URL without /v2.2: a 404 there hints at it.
    const hint = status === 404 ? ` Hint: ${MISSING_VERSION_HINT}.` : "";
    expect((error as Error).message).toBe(
      `GET /connection/${id} failed with status ${status}: ${detail}${hint}`,
    );
    expectNoViolations(exchanges);
    expect(exchanges).toHaveLength(1);
  });

  it("429 carries the spec's Retry-After example (2 s) into the error", async () => {
    const { client } = prismClient("code=429");
    const error = await rejectionOf(client.connections.retrieve(id));
    expect(error).toBeInstanceOf(NectarRateLimitError);
    expect((error as NectarRateLimitError).retryAfterMs).toBe(2_000);
  });

  it("429 with retries: each retry waits the 2 s Prism asks for, then the error", async () => {
    const sleeps: number[] = [];
    const { client, exchanges } = prismClient("code=429", { maxRetries: 2, sleeps });
    const error = await rejectionOf(client.connections.retrieve(id));
    expect(error).toBeInstanceOf(NectarRateLimitError);
    expect(error).toMatchObject({ status: 429, attempts: 3 });
    expect(sleeps).toEqual([2_000, 2_000]);
    expect(exchanges).toHaveLength(3);
    expectNoViolations(exchanges);
  });

  it("500 with retries: backoff, then NectarServerError after every attempt", async () => {
    const sleeps: number[] = [];
    const { client, exchanges } = prismClient("code=500", { maxRetries: 1, sleeps });
    const error = await rejectionOf(client.connections.retrieve(id));
    expect(error).toBeInstanceOf(NectarServerError);
    expect(error).toMatchObject({ status: 500, attempts: 2 });
    expect(sleeps).toHaveLength(1);
    expect(exchanges).toHaveLength(2);
    expectNoViolations(exchanges);
  });
});

describe("the violation check can fail: Prism flags requests that break the spec", () => {
  const id = connections.seed().id;

  it("a raw fetch without X-API-KEY gets Prism's 401 with an sl-violations header", async () => {
    const response = await fetch(`${prism.url}/connection/${id}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(errorBodies.unauthorized());
    const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]") as {
      location: string[];
      severity: string;
    }[];
    expect(violations).toEqual([
      expect.objectContaining({ location: ["request"], severity: "Error", code: 401 }),
    ]);
  });

  it("a raw fetch with the key but a non-UUID id is flagged at the path parameter", async () => {
    const response = await fetch(`${prism.url}/connection/not-a-uuid`, {
      headers: { "X-API-KEY": TEST_API_KEY },
    });
    // `prism mock` answers with the spec's declared 400 (`prism proxy` would give its own 422).
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(errorBodies.badRequest());
    const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]") as unknown[];
    expect(violations).toEqual([
      expect.objectContaining({
        location: ["request", "path", "connection_id"],
        severity: "Error",
        code: "format",
      }),
    ]);
  });

  it("the same bad id sent through client.raw is caught by this file's check", async () => {
    // client.raw does not check its arguments: it is the way to send what retrieve refuses.
    const { client, exchanges } = prismClient(undefined);
    const { response, error } = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: "not-a-uuid" } },
    });
    expect(response.status).toBe(400);
    expect(error).toEqual(errorBodies.badRequest());
    expect(exchanges).toHaveLength(1);
    expect(() => expectNoViolations(exchanges)).toThrow();
    expect(exchanges[0]?.violations).toMatch(/connection_id must match format \\?"uuid\\?"/);
  });

  it("and client.raw with a good id passes, with the client's own headers", async () => {
    const { client, exchanges } = prismClient("example=passwordIncorrect");
    const { data, response } = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: connections.passwordIncorrect().id } },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual(connections.passwordIncorrect());
    expectNoViolations(exchanges);
  });
});

describe("the connection list and ping through the client, strictly validated", () => {
  const COMPANY = "6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
  const SITES = ["2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b", "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"];

  it("Prism's first example is page 1 of 2; its answer to page 2 is page 1 again, so the walk stops", async () => {
    const { client, exchanges } = prismClient(undefined);
    const seen: string[] = [];
    const list = client.connections.list(COMPANY, {
      status: "PASSWORD_INCORRECT",
      connectionOwnerEmail: "energy.manager@acme.example",
      sites: SITES,
    });
    for await (const connection of list) seen.push(connection.id);
    expect(seen).toEqual([
      "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13",
      "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d",
    ]);
    expectNoViolations(exchanges);
    const filters = `connectionOwnerEmail=energy.manager%40acme.example&limit=500&page=`;
    const tail = `&sites=${SITES[0]}&sites=${SITES[1]}&status=PASSWORD_INCORRECT`;
    expect(exchanges.map((e) => e.path)).toEqual([
      `/connection/company/${COMPANY}?${filters}1${tail}`,
      `/connection/company/${COMPANY}?${filters}2${tail}`,
    ]);
  });

  it.each(["lastPage", "seed"])(
    "Prefer: example=%s, awaited: the page as the spec shows it",
    async (name) => {
      const { client, exchanges } = prismClient(`example=${name}`);
      const page = await client.connections.list(COMPANY, { limit: 2 });
      const expected = name === "seed" ? "ConnectionPageSeed" : "ConnectionPageLast";
      const spec = JSON.parse(
        readFileSync(new URL("../generated/openapi.json", import.meta.url), "utf8"),
      ) as { components: { examples: Record<string, { value: unknown }> } };
      expect(page).toEqual(spec.components.examples[expected]?.value);
      expectNoViolations(exchanges);
    },
  );

  it("403 from the spec comes back as NectarPermissionError", async () => {
    const { client } = prismClient("code=403");
    const error = await rejectionOf(client.connections.list(COMPANY).toArray());
    expect(error).toBeInstanceOf(NectarPermissionError);
  });

  it("ping resolves when Prism accepts the key", async () => {
    const { client, exchanges } = prismClient(undefined);
    const { response } = await client.ping().withResponse();
    expect(response.status).toBe(200);
    expectNoViolations(exchanges);
    expect(exchanges.map((e) => e.path)).toEqual(["/ping"]);
  });

  it("ping rejects with NectarAuthenticationError on the spec's 401", async () => {
    const { client } = prismClient("code=401");
    expect(await rejectionOf(client.ping())).toBeInstanceOf(NectarAuthenticationError);
  });
});

describe("what the client sent", () => {
  it("every request of this file that was not meant to break the spec passed Prism", () => {
    const clean = allExchanges.filter((e) => !e.path.includes("not-a-uuid"));
    expectNoViolations(clean);
    for (const { requestHeaders } of clean) {
      expect(requestHeaders.get("x-api-key")).toBe(TEST_API_KEY);
      expect(requestHeaders.get("accept")).toBe("application/json");
      expect(requestHeaders.get("user-agent")).toMatch(/^nectar-climate-connection\/\d+\.\d+\.\d+/);
    }
    // Everything but the deliberate bad id, and the bad id was flagged.
    expect(allExchanges.length - clean.length).toBe(1);
  });
});
