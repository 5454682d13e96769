/**
 * Hostile redirects: an API origin that redirects, and a second origin that must never see a
 * request. Every redirect status, for `retrieve`, `updateLink` and `client.raw`, to another
 * origin (another port, another host name for the same address, another scheme) ends in
 * `NectarRedirectError` before any byte reaches the target; same-origin redirects (a
 * trailing-slash hop) are followed, at most 3 per attempt; nothing is retried.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClientParts } from "../../src/core/client-core.js";
import { decideRedirect } from "../../src/core/redirect.js";
import { createNectarClient, NectarApiError, NectarRedirectError } from "../../src/index.js";
import { connections, TEST_API_KEY } from "../helpers/fixtures.js";
import {
  closeAll,
  failureOf,
  type HostileHandler,
  type HostileServer,
  optionsFor,
  startServer,
} from "./servers.js";

const CONNECTION = connections.passwordIncorrect();
const ID = CONNECTION.id;
const PATH = `/v2.2/connection/${ID}`;
const STATUSES = [301, 302, 303, 307, 308] as const;

let api: HostileServer;
let other: HostileServer;
/** How the API answers in the current test. */
let answer: HostileHandler;

beforeAll(async () => {
  api = await startServer((request, response, seen) => answer(request, response, seen));
  other = await startServer((_request, response) => sendJson(response, 200, CONNECTION));
});
beforeEach(() => {
  api.requests.length = 0;
  other.requests.length = 0;
});
afterAll(closeAll);

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** Redirects every request with `status` to `location`. */
const redirectTo =
  (status: number, location: () => string): HostileHandler =>
  (_request, response) => {
    response.writeHead(status, { location: location(), "content-type": "text/plain" });
    response.end("moved");
  };

/** The three public ways to call the API, each asked for the same connection. */
const callers = {
  retrieve: (options = {}) => createNectarClient(optionsFor(api, options)).connections.retrieve(ID),
  updateLink: (options = {}) =>
    createNectarClient(optionsFor(api, options)).connections.updateLink(ID),
  "raw.GET": async (options = {}) => {
    const { error, response } = await createNectarClient(optionsFor(api, options)).raw.GET(
      "/connection/{connection_id}",
      { params: { path: { connection_id: ID } } },
    );
    return { error, status: response.status };
  },
};

describe("a redirect to another origin", () => {
  const cases = STATUSES.flatMap((status) =>
    Object.keys(callers).map((caller) => [status, caller] as const),
  );

  it.each(cases)(
    "%i for %s: NectarRedirectError, nothing sent to the other origin, not retried",
    async (status, caller) => {
      answer = redirectTo(
        status,
        () => `http://user:${TEST_API_KEY}@127.0.0.1:${other.port}/steal?key=${TEST_API_KEY}`,
      );
      const error = await failureOf(callers[caller as keyof typeof callers]());
      expect(error).toBeInstanceOf(NectarRedirectError);
      expect(error).toBeInstanceOf(NectarApiError);
      expect(error).toMatchObject({ status, origin: other.origin, attempts: 1 });
      const message = (error as Error).message;
      expect(message).toBe(
        `GET /connection/${ID} was redirected (${status}) to ${other.origin}: another origin than baseUrl's; not followed.`,
      );
      expect((error as NectarRedirectError).headers).not.toHaveProperty("location");
      expect(other.requests).toHaveLength(0);
      expect(api.requests).toHaveLength(1);
    },
  );

  it.each([
    ["another host name for the same address", () => `http://localhost:${api.port}${PATH}`],
    ["another scheme on the same host and port", () => `https://127.0.0.1:${api.port}${PATH}`],
    ["a scheme that is not http", () => "file:///etc/passwd"],
    ["a protocol-relative URL", () => `//127.0.0.1:${other.port}/steal`],
  ])("is refused for %s", async (_what, location) => {
    answer = redirectTo(302, location);
    const error = await failureOf(callers.retrieve());
    expect(error).toBeInstanceOf(NectarRedirectError);
    expect(other.requests).toHaveLength(0);
    expect(api.requests).toHaveLength(1);
  });

  it.each([
    ["a scheme that is not http", "file:///etc/passwd"],
    ["a scheme with a host", "ftp://127.0.0.1/steal"],
    ["a Location that is not a URL", "http://[127.0.0.1"],
  ])("names no origin for %s (only http(s) has one)", async (_what, location) => {
    answer = redirectTo(302, () => location);
    const error = await failureOf(callers.retrieve());
    expect(error).toBeInstanceOf(NectarRedirectError);
    expect(error).toMatchObject({ status: 302, origin: undefined });
    expect((error as Error).message).toBe(
      `GET /connection/${ID} was redirected (302): another origin than baseUrl's; not followed.`,
    );
  });
});

describe("a Location on an answer that is not a redirect", () => {
  it.each([200, 201, 300, 304])("%i with a same-origin Location is the answer", async (status) => {
    answer = (_request, response) => {
      response.writeHead(status, { location: `${PATH}/elsewhere`, "content-type": "text/plain" });
      response.end(status === 200 ? JSON.stringify(CONNECTION) : "");
    };
    const { status: seen } = await callers["raw.GET"]();
    expect(seen).toBe(status);
    expect(api.requests.map((request) => request.url)).toEqual([PATH]);
  });
});

describe("a redirect within the origin", () => {
  it("is followed for a trailing-slash hop (Django's APPEND_SLASH), key and all", async () => {
    answer = (request, response) => {
      if (request.url?.endsWith("/")) sendJson(response, 200, CONNECTION);
      else redirectTo(301, () => `${request.url}/`)(request, response, {} as never);
    };
    const data = await callers.retrieve();
    expect(data).toEqual(CONNECTION);
    expect(api.requests.map((seen) => seen.url)).toEqual([PATH, `${PATH}/`]);
    expect(api.keysSeen).toBe(2);
  });

  it("is followed at most 3 times per attempt, then NectarRedirectError, not retried", async () => {
    let hop = 0;
    answer = redirectTo(307, () => `${PATH}?hop=${++hop}`);
    const error = await failureOf(callers.retrieve({ maxRetries: 2 }));
    expect(error).toBeInstanceOf(NectarRedirectError);
    expect(error).toMatchObject({ status: 307, origin: api.origin, attempts: 1 });
    expect((error as Error).message).toMatch(/more than 3 redirects; not followed\.$/);
    expect((error as Error).message).not.toMatch(/hop=/);
    expect(api.requests).toHaveLength(4);
  });

  it("is followed for an https baseUrl (through an injected fetch: no TLS server here)", async () => {
    const base = "https://api.nectar.example";
    const urls: string[] = [];
    const fetch = async (input: string | Request) => {
      const url = typeof input === "string" ? input : input.url;
      urls.push(url);
      if (url.endsWith("/")) return Response.json(CONNECTION);
      return new Response("moved", { status: 308, headers: { location: `${url}/` } });
    };
    const client = createNectarClient(optionsFor({ origin: base }, { fetch }));
    expect(await client.connections.retrieve(ID)).toEqual(CONNECTION);
    expect(urls).toEqual([`${base}${PATH}`, `${base}${PATH}/`]);
  });

  it("a loop through both statuses costs 4 requests, not 63", async () => {
    let hop = 0;
    answer = (request, response, seen) => {
      hop++;
      redirectTo(hop % 2 ? 302 : 308, () => `${PATH}?n=${hop}`)(request, response, seen);
    };
    await failureOf(callers["raw.GET"]({ maxRetries: 5 }));
    expect(api.requests).toHaveLength(4);
  });
});

describe("a redirect of a HEAD (no operation sends one; raw.HEAD from JavaScript can)", () => {
  it.each([301, 302, 303])("%i within the origin is followed: a HEAD stays a HEAD", (status) => {
    const from = `${api.origin}${PATH}`;
    const response = new Response(null, { status, headers: { location: `${PATH}/` } });
    expect(decideRedirect(response, "HEAD", from, api.origin, 0)).toEqual({
      action: "follow",
      url: `${from}/`,
    });
  });
});

describe("a redirect of a POST (through the client core: no POST resource yet)", () => {
  /** A create-like operation, as invitations' will be. */
  const post = (idempotent: boolean) =>
    createClientParts(optionsFor(api)).core.request(
      {
        method: "POST",
        path: "/connection/{connection_id}",
        schema: undefined,
        idempotent,
      },
      { path: { connection_id: ID }, body: { note: "hello" } },
      undefined,
    );

  it.each([301, 302, 303])(
    "%i within the origin is refused: the POST would become a GET",
    async (status) => {
      answer = redirectTo(status, () => `${PATH}/`);
      const error = await failureOf(post(false));
      expect(error).toBeInstanceOf(NectarRedirectError);
      expect((error as Error).message).toMatch(/a POST would become a GET; not followed\.$/);
      expect(api.requests).toHaveLength(1);
    },
  );

  it.each([307, 308])("%i within the origin keeps the method and the body", async (status) => {
    answer = (request, response, seen) => {
      if (request.url?.endsWith("/")) sendJson(response, 201, { echoed: seen.body });
      else redirectTo(status, () => `${PATH}/`)(request, response, seen);
    };
    const { data } = await post(false);
    expect(data).toEqual({ echoed: JSON.stringify({ note: "hello" }) });
    expect(
      api.requests.map((seen) => [seen.method, seen.headers["content-type"], seen.body]),
    ).toEqual([
      ["POST", "application/json", '{"note":"hello"}'],
      ["POST", "application/json", '{"note":"hello"}'],
    ]);
  });

  it("307 to another origin is refused before the body goes anywhere", async () => {
    answer = redirectTo(307, () => `${other.origin}/collect`);
    const error = await failureOf(post(true));
    expect(error).toBeInstanceOf(NectarRedirectError);
    expect(other.requests).toHaveLength(0);
  });
});
