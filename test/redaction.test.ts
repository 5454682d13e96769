/**
 * The redaction sweep: every error class, every log level and every object a user may print
 * is produced through a real client and searched for the API key and the magic-link secrets,
 * in every rendering (message, stack, String, JSON, util.inspect with showHidden and infinite
 * depth). The file's setup check searches everything recorded here once more at the end.
 */
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import * as api from "../src/index.ts";
import {
  createNectarClient,
  createWebhookDeduper,
  NectarAbortError,
  NectarApiError,
  NectarAuthenticationError,
  NectarBadRequestError,
  NectarConnectionError,
  NectarInvalidInputError,
  NectarInvalidResponseError,
  NectarNotFoundError,
  NectarPermissionError,
  NectarRateLimitError,
  NectarRedirectError,
  NectarResponseTooLargeError,
  NectarResponseValidationError,
  NectarServerError,
  NectarTimeoutError,
  NectarWaitTimeoutError,
  NectarWebhookVerificationError,
  signWebhook,
  updateLinkUrl,
  verifyWebhook,
} from "../src/index.ts";
import { createObservedClient, type Handler, json, rejectionOf } from "./helpers/client.ts";
import {
  connections,
  errorBodies,
  KNOWN_SECRETS,
  TEST_API_KEY,
  TEST_WEBHOOK_SECRET,
} from "./helpers/fixtures.ts";
import { recordForRedaction, renderings } from "./setup/redaction.ts";

const connection = connections.passwordIncorrect();
const ID = connection.id;
const SECRET = connection.connectionMagicLinkSecret;

/** Any error class, whatever its constructor's parameters. */
type ErrorClass = abstract new (...args: never[]) => Error;

/** Every way a value may be shown, as one list of strings. */
function allRenderings(value: unknown): string[] {
  return [
    ...renderings(value),
    inspect(value),
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
  ];
}

/** Fails when any rendering of `value` holds the key or a secret; records it for the file check. */
function expectNoSecrets(value: unknown): void {
  recordForRedaction(value);
  for (const text of allRenderings(value)) {
    for (const secret of KNOWN_SECRETS) {
      expect(text.includes(secret), `${secret.slice(0, 6)}… in ${text.slice(0, 120)}`).toBe(false);
    }
  }
}

/** Every distinctive 10-character piece of a credential: a clipped quote shows at least one. */
function piecesOf(secret: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start + 10 <= secret.length; start++) {
    const piece = secret.slice(start, start + 10);
    if (new Set(piece).size > 3) pieces.push(piece);
  }
  return pieces;
}

/** Fails when a message quotes any distinctive part of the key or a secret. */
function expectNoPieces(message: string): void {
  for (const secret of KNOWN_SECRETS) {
    for (const piece of piecesOf(secret)) {
      expect(message.includes(piece), `"${piece}" in ${message}`).toBe(false);
    }
  }
}

/** A handler that answers from a list, one response per request. */
function sequence(...answers: (() => Response | Promise<Response>)[]): Handler {
  return ({ index }) => {
    const answer = answers[Math.min(index, answers.length) - 1];
    if (!answer) throw new Error("no answer");
    return answer();
  };
}

/** What undici throws when the server refuses the connection. */
function refused(): TypeError {
  const inner = Object.assign(new Error("connect ECONNREFUSED 203.0.113.7:443"), {
    code: "ECONNREFUSED",
  });
  return new TypeError("fetch failed", { cause: inner });
}

/** A response that never comes; it rejects when the attempt's signal aborts. */
const hang: Handler = ({ signal }) =>
  new Promise<Response>((_resolve, reject) => {
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

describe("every error class, thrown by a real client", () => {
  const cases: [string, ErrorClass, Handler, Parameters<typeof createObservedClient>[1]][] = [
    ["400", NectarBadRequestError, () => json(400, errorBodies.badRequest()), {}],
    ["401", NectarAuthenticationError, () => json(401, errorBodies.unauthorized()), {}],
    ["403", NectarPermissionError, () => json(403, errorBodies.forbidden()), {}],
    ["404", NectarNotFoundError, () => json(404, errorBodies.notFound()), {}],
    [
      "429 after retries",
      NectarRateLimitError,
      () => json(429, errorBodies.tooManyRequests(), { "retry-after": "1" }),
      {},
    ],
    ["503 after retries", NectarServerError, () => json(503, errorBodies.serverError()), {}],
    [
      "an HTML 502",
      NectarServerError,
      () => new Response("<html><body>Bad Gateway</body></html>", { status: 502 }),
      {},
    ],
    ["an undeclared 422", NectarApiError, () => json(422, { detail: "Unprocessable." }), {}],
    [
      "a refused connection",
      NectarConnectionError,
      () => {
        throw refused();
      },
      {},
    ],
    ["a timeout", NectarTimeoutError, hang, { timeoutMs: 5, maxRetries: 1 }],
    [
      "a cut-off body holding the secret",
      NectarInvalidResponseError,
      () =>
        new Response(JSON.stringify(connection).slice(0, -20), {
          headers: { "content-type": "application/json" },
        }),
      {},
    ],
    [
      "an empty 200",
      NectarInvalidResponseError,
      () => new Response("", { headers: { "content-type": "application/json" } }),
      {},
    ],
    [
      "a redirect to another origin, with the key in its target",
      NectarRedirectError,
      () =>
        new Response("", {
          status: 302,
          headers: { location: `https://u:${TEST_API_KEY}@elsewhere.example/?key=${TEST_API_KEY}` },
        }),
      {},
    ],
    [
      "a body over maxResponseBytes holding the secret",
      NectarResponseTooLargeError,
      () => json(200, connection),
      { maxResponseBytes: 100 },
    ],
    [
      "a body off the spec in strict mode",
      NectarResponseValidationError,
      () => json(200, { ...connection, country: "XX", isActive: "yes" }),
      { validateResponses: "strict" },
    ],
  ];

  test("covers every class the client throws: all but the NectarError base", () => {
    const covered = new Set([
      ...cases.map(([, errorClass]) => errorClass.name),
      "NectarAbortError", // below
      "NectarInvalidInputError", // in the next describe
      "NectarWaitTimeoutError", // below
      "NectarPaginationError", // below
      "NectarTooManyItemsError", // below
      "NectarWebhookVerificationError", // "webhook verification" below
      "NectarProxyError", // test/proxy.test.ts: through a real proxy, password and key checked
    ]);
    const exported = Object.keys(api).filter((name) => /^Nectar\w+Error$/.test(name));
    expect([...covered].sort()).toEqual(exported.filter((name) => name !== "NectarError").sort());
  });

  test.each(
    cases.map(
      ([what, errorClass, handler, options]) =>
        [what, errorClass.name, errorClass, handler, options] as const,
    ),
  )("%s gives a clean %s", async (_what, _name, errorClass, handler, options) => {
    const { client, logs } = createObservedClient(handler, options);
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).constructor).toBe(errorClass);
    expectNoSecrets(error);
    expectNoSecrets(logs);
  });

  test("an abort by the caller gives a clean NectarAbortError", async () => {
    const controller = new AbortController();
    const { client, logs } = createObservedClient((request) => {
      controller.abort(new Error(`stop ${TEST_API_KEY}`));
      return hang(request);
    });
    const error = await rejectionOf(client.connections.retrieve(ID, { signal: controller.signal }));
    expect(error).toBeInstanceOf(NectarAbortError);
    expectNoSecrets(error);
    expectNoSecrets(logs);
  });

  test("a waitFor that runs out gives a clean NectarWaitTimeoutError", async () => {
    const { client, logs } = createObservedClient(() => json(200, connection));
    const error = await rejectionOf(
      client.connections.waitFor(ID, { until: "healthy", intervalMs: 5, timeoutMs: 40 }),
    );
    expect(error).toBeInstanceOf(NectarWaitTimeoutError);
    expectNoSecrets(error);
    expectNoSecrets(logs);
  });

  test("a list whose pages repeat gives a clean NectarPaginationError; past toArray's max a clean NectarTooManyItemsError", async () => {
    const page = (currentPage: number) => ({
      totalConnections: 4,
      perPage: 1,
      totalPages: 4,
      currentPage,
      hasNext: true,
      hasPrevious: currentPage > 1,
      connections: [connection],
    });
    const companyId = connection.company?.id ?? "";
    const repeating = createObservedClient((request) =>
      json(200, page(Number(new URL(request.url).searchParams.get("page")))),
    );
    const repeated = await rejectionOf(repeating.client.connections.list(companyId).toArray());
    expect(repeated).toBeInstanceOf(api.NectarPaginationError);
    expectNoSecrets(repeated);
    expectNoSecrets(repeating.logs);
    const tooMany = await rejectionOf(
      repeating.client.connections.list(companyId).toArray({ max: 0 }),
    );
    expect(tooMany).toBeInstanceOf(api.NectarTooManyItemsError);
    expectNoSecrets(tooMany);
  });

  test("the response errors keep no body, so a cut-off secret stays out of them", async () => {
    const { client } = createObservedClient(
      () => new Response(`${JSON.stringify(connection).slice(0, -20)}`, { status: 200 }),
    );
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarInvalidResponseError);
    expect(Object.keys(error as object)).not.toContain("body");
  });

  test("a validation error names pointers, never the values found there", async () => {
    const { client } = createObservedClient(
      () => json(200, { ...connection, country: SECRET, connectionMagicLinkSecret: 7 }),
      { validateResponses: "strict" },
    );
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarResponseValidationError);
    expect((error as NectarResponseValidationError).violations.map((v) => v.pointer)).toEqual([
      "/connectionMagicLinkSecret",
      "/country",
    ]);
    expectNoSecrets(error);
  });
});

describe("invalid input that is itself a credential", () => {
  test.each([
    ["the API key", TEST_API_KEY],
    ["a magic-link secret", SECRET],
    ["the API key in a path", `${ID}/${TEST_API_KEY}`],
    ["a secret with a UUID in front", `${ID}${SECRET}`],
  ])("retrieve(%s) names the problem without echoing it", async (_what, value) => {
    const { client, requests } = createObservedClient(() => json(200, connection));
    const error = await rejectionOf(client.connections.retrieve(value));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(/^connectionId must be a UUID/);
    expectNoPieces((error as Error).message);
    expectNoSecrets(error);
    expect(requests).toEqual([]);
  });

  test("updateLink(secret) refuses it the same way", async () => {
    const { client } = createObservedClient(() => json(200, connection));
    const error = await rejectionOf(client.connections.updateLink(SECRET));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expectNoPieces((error as Error).message);
  });

  /** The message of what creating a client with these options throws. */
  const creationError = (options: Record<string, unknown>): Error => {
    try {
      createNectarClient({ apiKey: TEST_API_KEY, ...options });
    } catch (error) {
      recordForRedaction(error);
      expect(error).toBeInstanceOf(NectarInvalidInputError);
      return error as Error;
    }
    throw new Error("expected createNectarClient to throw");
  };

  test.each([
    ["a key with a newline", { apiKey: `${TEST_API_KEY}\n` }],
    ["a key with surrounding spaces", { apiKey: ` ${TEST_API_KEY} ` }],
    ["the key as baseUrl", { baseUrl: TEST_API_KEY }],
    ["the key as credentials of baseUrl", { baseUrl: `https://u:${TEST_API_KEY}@example.com` }],
    ["the key in an http baseUrl", { baseUrl: `http://u:${TEST_API_KEY}@example.com/v2.2` }],
    ["the key in baseUrl's query", { baseUrl: `https://example.com/?key=${TEST_API_KEY}` }],
    ["a secret as dashboardUrl", { dashboardUrl: SECRET }],
    [
      "a secret in dashboardUrl's path, over http",
      { dashboardUrl: `http://example.com/${SECRET}` },
    ],
    ["the key as logLevel", { logLevel: TEST_API_KEY }],
    ["the key as validateResponses", { validateResponses: TEST_API_KEY }],
    ["the key as timeoutMs", { timeoutMs: TEST_API_KEY }],
    ["the key as maxRetries", { maxRetries: TEST_API_KEY }],
    ["the key as an option name", { [TEST_API_KEY]: true }],
    ["the key as userAgent with a newline", { userAgent: `${TEST_API_KEY}\n` }],
  ])("createNectarClient with %s names the problem without echoing it", (_what, options) => {
    const error = creationError(options);
    expectNoPieces(error.message);
    expectNoSecrets(error);
  });

  test("a missing key is named, not guessed at", () => {
    const saved = process.env.NECTAR_API_KEY;
    delete process.env.NECTAR_API_KEY;
    try {
      expect(() => createNectarClient({})).toThrow(/apiKey is required/);
    } finally {
      if (saved !== undefined) process.env.NECTAR_API_KEY = saved;
    }
  });

  test("updateLinkUrl refusing a piece or a dashboard never quotes the secret", () => {
    const attempts: (() => unknown)[] = [
      () => updateLinkUrl({ publicCompanyId: "", connectionMagicLinkSecret: SECRET }),
      () => updateLinkUrl({ publicCompanyId: "..", connectionMagicLinkSecret: SECRET }),
      () => updateLinkUrl(connection, { dashboardUrl: `http://example.com/${SECRET}` }),
      () => updateLinkUrl(connection, { dashboardUrl: `https://example.com/?s=${SECRET}` }),
      () => updateLinkUrl(connection, { dashboardUrl: SECRET }),
    ];
    for (const attempt of attempts) {
      let thrown: unknown;
      try {
        attempt();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(NectarInvalidInputError);
      expectNoPieces((thrown as Error).message);
      expectNoSecrets(thrown);
    }
  });
});

describe("webhook verification", () => {
  const body = JSON.stringify({ eventType: "connection.created.v2", id: "not-a-uuid" });
  const prefix = "whsec_".length;
  const key = TEST_WEBHOOK_SECRET.slice(prefix);

  test.each([
    [
      "the secret given as the body",
      () => verifyWebhook(TEST_WEBHOOK_SECRET, {}, TEST_WEBHOOK_SECRET),
    ],
    ["the secret with a newline", () => verifyWebhook(body, {}, `${TEST_WEBHOOK_SECRET}\n`)],
    ["the secret cut short", () => verifyWebhook(body, {}, TEST_WEBHOOK_SECRET.slice(0, 20))],
    [
      "the key as the signature header",
      async () =>
        verifyWebhook(
          body,
          { ...(await signWebhook(body, TEST_WEBHOOK_SECRET)), "svix-signature": `v1,${key}` },
          TEST_WEBHOOK_SECRET,
        ),
    ],
    [
      "the secret as the id header",
      async () =>
        verifyWebhook(
          body,
          { ...(await signWebhook(body, TEST_WEBHOOK_SECRET)), "svix-id": TEST_WEBHOOK_SECRET },
          TEST_WEBHOOK_SECRET,
        ),
    ],
    [
      "a valid delivery whose payload breaks the schema",
      async () =>
        verifyWebhook(body, await signWebhook(body, TEST_WEBHOOK_SECRET), [
          key,
          TEST_WEBHOOK_SECRET,
        ]),
    ],
  ])("%s gives a clean NectarWebhookVerificationError", async (_what, run) => {
    const error = await rejectionOf(run());
    expect(error).toBeInstanceOf(NectarWebhookVerificationError);
    expectNoSecrets(error);
    expectNoPieces((error as Error).message);
  });

  test("a deduper and a signed event print no secret", async () => {
    const deduper = createWebhookDeduper();
    const event = await verifyWebhook(
      JSON.stringify({ id: connection.id }),
      await signWebhook(JSON.stringify({ id: connection.id }), TEST_WEBHOOK_SECRET),
      TEST_WEBHOOK_SECRET,
    );
    deduper.claim(event.messageId);
    expectNoSecrets(deduper);
    expectNoSecrets(event);
  });
});

describe("logs at debug, through retries", () => {
  test("every line of a call with a 503, a 429, a refused connection and a warning is clean", async () => {
    const { client, logs } = createObservedClient(
      sequence(
        () => json(503, errorBodies.serverError()),
        () => json(429, errorBodies.tooManyRequests(), { "retry-after": "0" }),
        () => {
          throw refused();
        },
        () => json(200, { ...connection, country: "XX" }),
      ),
      { maxRetries: 3, validateResponses: "warn" },
    );
    const result = await client.connections.retrieve(ID).withResponse();
    expect(result.attempts).toBe(4);
    const levels = new Set(logs.map((line) => line.level));
    expect([...levels].sort()).toEqual(["debug", "info", "warn"]);
    expect(logs.filter((line) => line.level === "debug").length).toBeGreaterThanOrEqual(5);
    expectNoSecrets(logs);
    expectNoSecrets(result.response);
  });

  test("a retry line quoting a fetch failure that names the key shows it masked", async () => {
    // A caller's fetch wrapper (a proxy agent, say) may put request headers in its error; a
    // network failure (undici's "fetch failed") is retried, so the line quoting it is logged.
    const { client, logs } = createObservedClient(
      sequence(
        () => {
          throw new TypeError("fetch failed", {
            cause: new Error(`proxy refused the request with x-api-key: ${TEST_API_KEY}`),
          });
        },
        () => json(200, connection),
      ),
    );
    await client.connections.retrieve(ID);
    const retry = logs.find((line) => line.message.includes("proxy refused"));
    expect(retry?.message).toContain("x-api-key: [redacted]");
    expectNoSecrets(logs);
  });
});

describe("printing the client", () => {
  test("util.inspect and JSON of the client, its resource and client.raw hold no key", () => {
    const { client } = createObservedClient(() => json(200, connection));
    expectNoSecrets(client);
    expectNoSecrets(client.connections);
    expectNoSecrets(client.raw);
    expect(allRenderings(client).join("\n")).toContain("external.nectarclimate.com");
  });

  test("a raw call's result and response hold no key", async () => {
    const { client, requests } = createObservedClient(() => json(401, errorBodies.unauthorized()));
    const result = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
    });
    expect(result.response.status).toBe(401);
    // The key was sent, so the check below would catch it if the result kept the request.
    expect(requests[0]?.headers["x-api-key"]).toBe(TEST_API_KEY);
    expectNoSecrets(result);
  });

  test("an update link prints masked; its url is the caller's to share", async () => {
    const { client } = createObservedClient(() => json(200, connection));
    const link = await client.connections.updateLink(ID);
    expect(link.url).toContain(encodeURIComponent(SECRET));
    for (const text of [
      inspect(link),
      inspect(link, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      inspect({ link }),
    ]) {
      for (const secret of KNOWN_SECRETS) expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(SECRET));
    }
  });

  test("the check itself would catch a leak", () => {
    const leaky = new Error(`key ${TEST_API_KEY}`);
    expect(() => {
      for (const text of allRenderings(leaky)) {
        for (const secret of KNOWN_SECRETS) expect(text).not.toContain(secret);
      }
    }).toThrow();
    expect(() => expectNoPieces(`got "${TEST_API_KEY.slice(0, 12)}"`)).toThrow();
  });
});

describe("a server, proxy or custom fetch that echoes the key", () => {
  test("a 401 whose detail, body and headers quote the key yields an error without it", async () => {
    const { client } = createObservedClient(() =>
      json(401, { detail: `Invalid API key: ${TEST_API_KEY}` }, { "x-echo": TEST_API_KEY }),
    );
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarAuthenticationError);
    expect((error as NectarAuthenticationError).detail).toBe("Invalid API key: [redacted]");
    expect((error as NectarAuthenticationError).headers["x-echo"]).toBe("[redacted]");
    expectNoSecrets(error);
  });

  test("a 502 text page that quotes the key yields an error without it", async () => {
    const { client } = createObservedClient(
      () => new Response(`upstream rejected key ${TEST_API_KEY}`, { status: 502 }),
      { maxRetries: 0 },
    );
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarServerError);
    expect((error as NectarServerError).body).toBe("upstream rejected key [redacted]");
    expectNoSecrets(error);
  });

  test("a custom fetch whose failure quotes the request headers yields an error without the key", async () => {
    const { client } = createObservedClient(
      ({ headers }) => {
        throw new TypeError(`proxy refused request with headers ${JSON.stringify(headers)}`);
      },
      { maxRetries: 0 },
    );
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect((error as Error).message).toContain("[redacted]");
    expectNoSecrets(error);
  });
});
