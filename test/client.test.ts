/**
 * `createNectarClient` as a user meets it: options and defaults, the request it sends, input
 * checks, the error table, odd responses, response validation, `.withResponse()`, the update
 * link and `client.raw`. Every client runs on an injected fetch; nothing leaves the process.
 */
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Connection } from "../generated/schema.js";
import {
  createNectarClient,
  NectarApiError,
  NectarAuthenticationError,
  NectarBadRequestError,
  type NectarClientOptions,
  NectarConnectionError,
  NectarError,
  NectarInvalidInputError,
  NectarInvalidResponseError,
  NectarNotFoundError,
  NectarPermissionError,
  NectarPromise,
  NectarRateLimitError,
  NectarResponseValidationError,
  NectarServerError,
  NectarTimeoutError,
  type RequestOptions,
} from "../src/index.js";
import { createObservedClient, type Handler, json, rejectionOf } from "./helpers/client.js";
import { connections, errorBodies, TEST_API_KEY } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

const SEED = connections.seed();
const ID = SEED.id;
const PATH = `/connection/${ID}`;
const DEFAULT_BASE_URL = "https://external.nectarclimate.com/v2.2";
const { version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

/** Runs `make`, which must throw; records the error for the redaction check and returns it. */
function thrownBy(make: () => unknown): unknown {
  try {
    make();
  } catch (error) {
    recordForRedaction(error);
    return error;
  }
  throw new Error("expected a throw, but nothing was thrown");
}

/** A fetch that must never be called. */
const noFetch = () => Promise.reject(new Error("fetch must not be called"));

/** Answers every request with a fresh response from `make`. */
const always =
  (make: () => Response): Handler =>
  () =>
    make();

const okWith = (connection: unknown, headers: Record<string, string> = {}) =>
  always(() => json(200, connection, headers));

/** Lets pending callbacks and rejection tracking run. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("createNectarClient: options and defaults", () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.NECTAR_API_KEY;
    delete process.env.NECTAR_API_KEY;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.NECTAR_API_KEY;
    else process.env.NECTAR_API_KEY = saved;
  });

  it("requires an API key", () => {
    const error = thrownBy(() => createNectarClient({ fetch: noFetch }));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(error).toMatchObject({
      name: "NectarInvalidInputError",
      message: "apiKey is required: pass it to createNectarClient or set NECTAR_API_KEY.",
    });
    expect(thrownBy(() => createNectarClient({ apiKey: "", fetch: noFetch }))).toBeInstanceOf(
      NectarInvalidInputError,
    );
  });

  it("falls back to NECTAR_API_KEY from the environment", async () => {
    process.env.NECTAR_API_KEY = TEST_API_KEY;
    const keys: Array<string | null> = [];
    const client = createNectarClient({
      logLevel: "off",
      fetch: async (_input, init) => {
        keys.push(new Headers(init?.headers).get("x-api-key"));
        return json(200, connections.seed());
      },
    });
    await client.connections.retrieve(ID);
    expect(keys).toEqual([TEST_API_KEY]);
  });

  it("prefers the apiKey option to the environment", async () => {
    process.env.NECTAR_API_KEY = "nk_test_from_the_environment";
    const { client, requests } = createObservedClient(okWith(SEED));
    await client.connections.retrieve(ID);
    expect(requests[0]?.headers["x-api-key"]).toBe(TEST_API_KEY);
  });

  it("refuses a key with a line break or surrounding spaces, without quoting it", () => {
    for (const apiKey of [`${TEST_API_KEY}\n`, ` ${TEST_API_KEY}`, `${TEST_API_KEY}\r\nx: y`]) {
      const error = thrownBy(() => createNectarClient({ apiKey, fetch: noFetch }));
      expect(error).toBeInstanceOf(NectarInvalidInputError);
      expect((error as Error).message).not.toContain(TEST_API_KEY);
    }
  });

  it("defaults to Nectar's production URL, with the API version in the path", async () => {
    const { client, requests } = createObservedClient(okWith(SEED));
    expect(client.baseUrl).toBe(DEFAULT_BASE_URL);
    await client.connections.retrieve(ID);
    expect(requests[0]?.url).toBe(`${DEFAULT_BASE_URL}${PATH}`);
  });

  it.each([
    "http://external.nectarclimate.com/v2.2",
    "http://localhost.example.com/v2.2",
    "http://10.0.0.1/v2.2",
    "ftp://external.nectarclimate.com/v2.2",
    "external.nectarclimate.com/v2.2",
    "https://user:pass@external.nectarclimate.com/v2.2",
    "https://external.nectarclimate.com/v2.2?debug=1",
    // A name that starts like a loopback address is a public host: no plain http to it.
    "http://127.0.0.1.evil.example/v2.2",
    "http://127.0.0.1.nip.io/v2.2",
    "http://localhost.evil.example/v2.2",
    "http://127.1.2.3.4/v2.2",
  ])("refuses the base URL %s", (baseUrl) => {
    const error = thrownBy(() =>
      createNectarClient({ apiKey: TEST_API_KEY, baseUrl, fetch: noFetch }),
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(/^baseUrl must/);
  });

  it.each([
    ["http://localhost:4010/v2.2", "http://localhost:4010/v2.2"],
    ["http://127.0.0.1:8080/v2.2/", "http://127.0.0.1:8080/v2.2"],
    ["http://[::1]:3000", "http://[::1]:3000"],
  ])("allows plain http on the loopback host %s", (baseUrl, expected) => {
    const client = createNectarClient({ apiKey: TEST_API_KEY, baseUrl, fetch: noFetch });
    expect(client.baseUrl).toBe(expected);
  });

  it.each([
    ["null", null],
    ["a function", () => {}],
    ["an object without debug", { error() {}, warn() {}, info() {} }],
    ["an object whose info is not a function", { error() {}, warn() {}, info: 1, debug() {} }],
  ])("refuses a logger that is %s at creation, not at the first log line", (_, logger) => {
    const options = { apiKey: TEST_API_KEY, fetch: noFetch, logger } as unknown;
    const error = thrownBy(() => createNectarClient(options as NectarClientOptions));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toBe(
      "logger must be an object with error, warn, info and debug methods.",
    );
  });

  it("rejects unknown option keys, naming the key", () => {
    const options = { apiKey: TEST_API_KEY, fetch: noFetch, timeout: 5000 } as NectarClientOptions;
    const error = thrownBy(() => createNectarClient(options));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(/^Unknown client option "timeout"; expected one of/);
  });

  it.each([
    ["timeoutMs", "0", 0],
    ["timeoutMs", "negative", -1],
    ["timeoutMs", "NaN", Number.NaN],
    ["timeoutMs", "Infinity", Number.POSITIVE_INFINITY],
    ["timeoutMs", "a string", "30000"],
    ["maxRetries", "negative", -1],
    ["maxRetries", "fractional", 1.5],
    ["maxRetries", "NaN", Number.NaN],
    ["maxConcurrency", "0", 0],
    ["maxConcurrency", "fractional", 2.5],
    ["validateResponses", "not a mode", "loud"],
    ["logLevel", "not a level", "verbose"],
    ["fetch", "not a function", "https://example.com"],
    ["sleep", "not a function", 100],
    ["userAgent", "with a line break", "my-platform/1.4\r\nx-api-key: stolen"],
    ["dashboardUrl", "plain http", "http://dash.nectarclimate.com"],
  ])("rejects %s when it is %s", (name, _what, value) => {
    const options = { apiKey: TEST_API_KEY, fetch: noFetch, [name]: value } as NectarClientOptions;
    const error = thrownBy(() => createNectarClient(options));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toContain(name);
  });

  it("logs nothing below warn by default", async () => {
    const lines: string[] = [];
    const record = (message: string) => lines.push(message);
    const client = createNectarClient({
      apiKey: TEST_API_KEY,
      logger: { error: record, warn: record, info: record, debug: record },
      sleep: async () => {},
      fetch: async () => json(200, { ...connections.seed(), country: "XX" }),
      validateResponses: "warn",
    });
    await client.connections.retrieve(ID);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[nectar\] GET .* does not match the spec/);
  });

  it("makes three attempts by default (two retries)", async () => {
    const { client, requests, logs } = createObservedClient(always(() => json(503, {})));
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toMatchObject({ attempts: 3 });
    expect(requests).toHaveLength(3);
    expect(logs.map((line) => line.message)).toContain(`[nectar] GET ${PATH}: attempt 1 of 3`);
  });
});

describe("the request", () => {
  it("sends the key, accept and the package's user agent", async () => {
    const { client, requests } = createObservedClient(okWith(SEED));
    await client.connections.retrieve(ID);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.method).toBe("GET");
    expect(requests[0]?.headers).toEqual({
      "x-api-key": TEST_API_KEY,
      accept: "application/json",
      "user-agent": `nectar-climate-connection/${version}`,
    });
  });

  it("appends the userAgent option to the user agent", async () => {
    const { client, requests } = createObservedClient(okWith(SEED), {
      userAgent: "my-platform/1.4",
    });
    await client.connections.retrieve(ID);
    await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
    });
    for (const request of requests) {
      expect(request.headers["user-agent"]).toBe(
        `nectar-climate-connection/${version} my-platform/1.4`,
      );
    }
    expect(requests).toHaveLength(2);
  });

  it("keeps a base URL's path and drops its trailing slash", async () => {
    const { client, requests } = createObservedClient(
      always(() => json(404, errorBodies.notFound())),
      {
        baseUrl: "https://proxy.example.com/nectar/v2.2/",
      },
    );
    expect(client.baseUrl).toBe("https://proxy.example.com/nectar/v2.2");
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(requests[0]?.url).toBe(`https://proxy.example.com/nectar/v2.2${PATH}`);
    // Messages name the path below the base URL, never the host.
    expect((error as Error).message).toBe(`GET ${PATH} failed with status 404: Not found.`);
  });

  it.each([
    ["an empty string", ""],
    ["a word", "nope"],
    ["a UUID one digit short", ID.slice(0, -1)],
    ["a UUID with a path after it", `${ID}/../../admin`],
    ["a UUID with spaces", ` ${ID} `],
    ["a UUID without dashes", ID.replace(/-/g, "")],
    ["a number", 42],
    ["null", null],
    ["undefined", undefined],
  ])("refuses %s as a connection id before any request", async (_what, id) => {
    const { client, requests } = createObservedClient(okWith(SEED));
    const error = await rejectionOf(client.connections.retrieve(id as string));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(/^connectionId must be a UUID/);
    expect(requests).toHaveLength(0);
  });

  it("sends an upper-case UUID in lower case", async () => {
    const { client, requests } = createObservedClient(okWith(SEED));
    const data = await client.connections.retrieve(ID.toUpperCase());
    expect(data.id).toBe(ID);
    expect(requests[0]?.url).toBe(`${DEFAULT_BASE_URL}${PATH}`);
  });

  it.each([
    ["an unknown key", { retries: 1 }],
    ["timeoutMs 0", { timeoutMs: 0 }],
    ["maxRetries -1", { maxRetries: -1 }],
    ["maxRetries 1.5", { maxRetries: 1.5 }],
  ])("refuses per-call options with %s before any request", async (_what, options) => {
    const { client, requests } = createObservedClient(okWith(SEED));
    const error = await rejectionOf(client.connections.retrieve(ID, options as RequestOptions));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(requests).toHaveLength(0);
  });
});

describe("the error table", () => {
  const responseHeaders = {
    "content-type": "application/json",
    "x-request-id": "req_8f14e45f",
    "set-cookie": "session=abc123; HttpOnly",
  };

  it.each([
    [400, "NectarBadRequestError", NectarBadRequestError, errorBodies.badRequest()],
    [401, "NectarAuthenticationError", NectarAuthenticationError, errorBodies.unauthorized()],
    [403, "NectarPermissionError", NectarPermissionError, errorBodies.forbidden()],
    [404, "NectarNotFoundError", NectarNotFoundError, errorBodies.notFound()],
    [429, "NectarRateLimitError", NectarRateLimitError, errorBodies.tooManyRequests()],
    [500, "NectarServerError", NectarServerError, errorBodies.serverError()],
    [503, "NectarServerError", NectarServerError, errorBodies.serverError()],
    [422, "NectarApiError", NectarApiError, { detail: "Unprocessable entity." }],
    [409, "NectarApiError", NectarApiError, { detail: "Conflict." }],
  ])(
    "a %i gives a %s with status, detail, body, headers and request id",
    async (code, name, ErrorClass, body) => {
      const { client } = createObservedClient(
        always(() => json(code, body, responseHeaders)),
        {
          maxRetries: 0,
        },
      );
      const error = await rejectionOf(client.connections.retrieve(ID));
      expect(Object.getPrototypeOf(error)).toBe(ErrorClass.prototype);
      expect(error).toBeInstanceOf(NectarApiError);
      expect(error).toBeInstanceOf(NectarError);
      expect(error).toMatchObject({
        name,
        message: `GET ${PATH} failed with status ${code}: ${body.detail}`,
        status: code,
        detail: body.detail,
        body,
        requestId: "req_8f14e45f",
        attempts: 1,
      });
      expect((error as NectarApiError).headers).toEqual({
        "content-type": "application/json",
        "x-request-id": "req_8f14e45f",
        "set-cookie": "[redacted]",
      });
    },
  );

  it("reads the 429's Retry-After into retryAfterMs", async () => {
    const throttled = () => json(429, errorBodies.tooManyRequests(), { "retry-after": "2" });
    const { client } = createObservedClient(always(throttled), { maxRetries: 0 });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarRateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 2000 });
  });

  it("reads an HTTP-date Retry-After against the client's injected clock", async () => {
    const at = Date.parse("Wed, 25 Nov 2026 12:00:00 GMT");
    const throttled = () =>
      json(429, errorBodies.tooManyRequests(), { "retry-after": "Wed, 25 Nov 2026 12:00:09 GMT" });
    const { client } = createObservedClient(always(throttled), { maxRetries: 0, now: () => at });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toMatchObject({ retryAfterMs: 9000 });
  });

  it("takes the request id from request-id when x-request-id is absent", async () => {
    const notFound = () => json(404, errorBodies.notFound(), { "request-id": "abc-1" });
    const { client } = createObservedClient(always(notFound));
    expect(await rejectionOf(client.connections.retrieve(ID))).toMatchObject({
      requestId: "abc-1",
    });
  });

  it("a rejected fetch gives NectarConnectionError with the failure as its cause", async () => {
    const cause = new TypeError("fetch failed");
    const { client } = createObservedClient(
      () => {
        throw cause;
      },
      { maxRetries: 0 },
    );
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(Object.getPrototypeOf(error)).toBe(NectarConnectionError.prototype);
    expect(error).toMatchObject({
      name: "NectarConnectionError",
      message: `GET ${PATH} failed: fetch failed.`,
      attempts: 1,
    });
    expect((error as Error).cause).toBe(cause);
  });

  it("a hung attempt gives NectarTimeoutError, a kind of NectarConnectionError", async () => {
    const { client } = createObservedClient(() => new Promise<Response>(() => {}), {
      maxRetries: 0,
      timeoutMs: 30,
    });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarTimeoutError);
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error).toMatchObject({ name: "NectarTimeoutError", timeoutMs: 30, attempts: 1 });
  });
});

describe("odd responses", () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => {
    recordForRedaction(reason);
    unhandled.push(reason);
  };
  beforeAll(() => {
    process.on("unhandledRejection", onUnhandled);
  });
  afterAll(() => {
    process.off("unhandledRejection", onUnhandled);
  });
  afterEach(async () => {
    await tick();
    await tick();
    expect(unhandled).toEqual([]);
  });

  const secretConnection = JSON.stringify(connections.passwordIncorrect());
  const secret = connections.passwordIncorrect().connectionMagicLinkSecret;
  // Cut just after the magic-link secret: the error must not keep what it read.
  const truncated = secretConnection.slice(0, secretConnection.indexOf(secret) + secret.length + 3);

  /** The class and message an odd response must give. */
  const expected = (ErrorClass: { prototype: object }, message: string) => ({
    ErrorClass,
    message,
  });
  const invalid = (reason: string) =>
    expected(NectarInvalidResponseError, `GET ${PATH} returned status 200, but ${reason}.`);

  it.each([
    ["an empty 200", () => new Response("", { status: 200 }), invalid("the body is empty")],
    [
      "an empty 200 with Content-Length: 0",
      () => new Response(null, { status: 200, headers: { "content-length": "0" } }),
      invalid("the body is empty"),
    ],
    [
      "a 200 of truncated JSON",
      () =>
        new Response(truncated, { status: 200, headers: { "content-type": "application/json" } }),
      invalid("the body is not valid JSON"),
    ],
    [
      "a 200 of truncated JSON with a Content-Length",
      () =>
        new Response(truncated, {
          status: 200,
          headers: {
            "content-type": "application/json",
            "content-length": String(truncated.length),
          },
        }),
      invalid("the body is not valid JSON"),
    ],
    [
      "a 200 of invalid JSON",
      () => new Response("this is not json", { status: 200 }),
      invalid("the body is not valid JSON"),
    ],
    ["a 200 of []", () => json(200, []), invalid("the body is not a JSON object")],
    ['a 200 of "text"', () => json(200, "text"), invalid("the body is not a JSON object")],
    ["a 200 of null", () => json(200, null), invalid("the body is not a JSON object")],
    ["a 200 of 42", () => json(200, 42), invalid("the body is not a JSON object")],
    [
      "an HTML 502 page",
      () =>
        new Response("<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1></body></html>", {
          status: 502,
          headers: { "content-type": "text/html" },
        }),
      expected(
        NectarServerError,
        `GET ${PATH} failed with status 502 (an HTML page, not Nectar's JSON).`,
      ),
    ],
    [
      "a 503 with an empty body",
      () => new Response("", { status: 503 }),
      expected(NectarServerError, `GET ${PATH} failed with status 503 (empty body).`),
    ],
    [
      "a 500 with a plain-text body",
      () => new Response("upstream connect error", { status: 500 }),
      expected(NectarServerError, `GET ${PATH} failed with status 500: upstream connect error`),
    ],
    [
      "an undeclared 422 whose detail is not a string",
      () => json(422, { detail: [{ loc: ["path", "connection_id"], msg: "bad" }] }),
      expected(NectarApiError, `GET ${PATH} failed with status 422.`),
    ],
  ])("%s gives a typed error", async (_what, make, { ErrorClass, message }) => {
    const { client } = createObservedClient(always(make));
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(Object.getPrototypeOf(error)).toBe(ErrorClass.prototype);
    expect((error as Error).message).toBe(message);
  });

  it("keeps the HTML page as the error's body, with no detail", async () => {
    const html = "<html><body>Bad Gateway</body></html>";
    const { client, requests } = createObservedClient(
      always(() => new Response(html, { status: 502, headers: { "content-type": "text/html" } })),
    );
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toMatchObject({ status: 502, body: html, detail: undefined, attempts: 3 });
    expect(requests).toHaveLength(3);
  });

  it("gives the invalid response's status and request id, not its body", async () => {
    const { client } = createObservedClient(
      always(() => new Response(truncated, { status: 200, headers: { "x-request-id": "req_1" } })),
    );
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toMatchObject({ status: 200, requestId: "req_1" });
    expect(inspect(error, { showHidden: true, depth: null })).not.toContain(secret);
  });

  it("rejects only the promise the caller holds, however it is awaited", async () => {
    const { client } = createObservedClient(always(() => json(200, [])));
    // Only withResponse(): the data promise is never created, so nothing else may reject.
    const full = client.connections.retrieve(ID).withResponse();
    expect(await rejectionOf(full)).toBeInstanceOf(NectarInvalidResponseError);
    // Awaited directly.
    expect(await rejectionOf(client.connections.retrieve(ID))).toBeInstanceOf(
      NectarInvalidResponseError,
    );
    // Through catch().
    const caught = await client.connections.retrieve(ID).catch((error: unknown) => {
      recordForRedaction(error);
      return error;
    });
    expect(caught).toBeInstanceOf(NectarInvalidResponseError);
  });
});

describe("response validation", () => {
  const unknownStatus = () => ({ ...connections.seed(), status: "AWAITING_SOMETHING_NEW" });
  /** A body off the spec: the country is a closed enum (the status is open). */
  const unknownCountry = () => ({ ...connections.seed(), country: "XX" });

  it("passes an unknown status through with validation off (the default)", async () => {
    const { client, logs } = createObservedClient(okWith(unknownStatus()));
    const data = await client.connections.retrieve(ID);
    expect(data.status).toBe("AWAITING_SOMETHING_NEW");
    expect(logs.filter((line) => line.level === "warn")).toEqual([]);
  });

  it("passes an unknown nested enum value through too", async () => {
    const connection = connections.passwordIncorrect();
    const account = connection.accounts?.[0] as unknown as Record<string, unknown>;
    account.trackingStatus = "SOMETHING_NEW";
    const { client } = createObservedClient(okWith(connection));
    const data = await client.connections.retrieve(connection.id);
    expect(data.accounts?.[0]?.trackingStatus).toBe("SOMETHING_NEW");
  });

  it("passes an unknown status even with strict validation: the spec's status enum is open", async () => {
    const { client } = createObservedClient(okWith(unknownStatus()), {
      validateResponses: "strict",
    });
    expect((await client.connections.retrieve(ID)).status).toBe("AWAITING_SOMETHING_NEW");
  });

  it("logs a body off the spec at warn and returns the data with warn", async () => {
    const { client, logs } = createObservedClient(okWith(unknownCountry()), {
      validateResponses: "warn",
    });
    const data = await client.connections.retrieve(ID);
    expect(data.country).toBe("XX");
    const warnings = logs.filter((line) => line.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toBe(
      `[nectar] GET ${PATH} returned a body that does not match the spec: /country must be equal to one of the allowed values.`,
    );
    expect(warnings[0]?.details).toEqual([
      {
        violations: [
          { pointer: "/country", message: "must be equal to one of the allowed values" },
        ],
      },
    ]);
  });

  it("throws NectarResponseValidationError with a /country pointer with strict", async () => {
    const { client } = createObservedClient(okWith(unknownCountry(), { "x-request-id": "req_9" }), {
      validateResponses: "strict",
    });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarResponseValidationError);
    expect(error).toMatchObject({
      name: "NectarResponseValidationError",
      status: 200,
      requestId: "req_9",
      violations: [{ pointer: "/country", message: "must be equal to one of the allowed values" }],
      message: `GET ${PATH} returned a body that does not match the spec: /country must be equal to one of the allowed values.`,
    });
  });

  it("reports a missing required field at the body's pointer with strict", async () => {
    const { created: _dropped, ...missing } = connections.seed();
    const { client } = createObservedClient(okWith(missing), { validateResponses: "strict" });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarResponseValidationError);
    expect((error as NectarResponseValidationError).violations).toEqual([
      { pointer: "", message: "must have required property 'created'" },
    ]);
    expect((error as Error).message).toBe(
      `GET ${PATH} returned a body that does not match the spec: (body) must have required property 'created'.`,
    );
  });

  it("counts the further violations in the message", async () => {
    const { created: _dropped, ...missing } = unknownCountry();
    const { client } = createObservedClient(okWith(missing), { validateResponses: "strict" });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect((error as NectarResponseValidationError).violations).toHaveLength(2);
    expect((error as Error).message).toMatch(/ \(and 1 more\)\.$/);
  });

  it.each(Object.entries(connections))(
    "accepts the spec's %s example with strict",
    async (_name, make) => {
      const connection = make();
      const { client } = createObservedClient(okWith(connection), { validateResponses: "strict" });
      expect(await client.connections.retrieve(connection.id)).toEqual(connection);
    },
  );
});

describe(".withResponse()", () => {
  it("gives the data, the response, the attempts and the request id", async () => {
    let n = 0;
    const { client } = createObservedClient(() =>
      ++n === 1
        ? json(503, errorBodies.serverError())
        : json(200, connections.seed(), { "x-request-id": "req_42" }),
    );
    const promise = client.connections.retrieve(ID);
    expect(promise).toBeInstanceOf(NectarPromise);
    const { data, response, attempts, requestId } = await promise.withResponse();
    expect(data).toEqual(SEED);
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req_42");
    expect(attempts).toBe(2);
    expect(requestId).toBe("req_42");
    // The same call awaited directly gives the data, without a second request.
    expect(await promise).toEqual(SEED);
    expect(n).toBe(2);
  });

  it("gives an undefined request id when the server sends none", async () => {
    const { client } = createObservedClient(okWith(SEED));
    const { requestId, attempts } = await client.connections.retrieve(ID).withResponse();
    expect(requestId).toBeUndefined();
    expect(attempts).toBe(1);
  });
});

describe("connections.updateLink", () => {
  const connection = connections.passwordIncorrect();
  const secret = connection.connectionMagicLinkSecret;
  const encodedSecret = secret.replace(/=/g, "%3D");

  it("returns the documented update link with the connection", async () => {
    const { client, requests } = createObservedClient(okWith(connection));
    const link = await client.connections.updateLink(connection.id);
    expect(link.url).toBe(
      `https://dash.nectarclimate.com/p/connect/acme-facilities-7Qk2/workflow/${encodedSecret}`,
    );
    expect(link.connection).toEqual(connection);
    expect(requests[0]?.url).toBe(`${DEFAULT_BASE_URL}/connection/${connection.id}`);
    // Printed, the link hides its secret.
    expect(inspect(link, { depth: null })).not.toContain(secret.slice(0, 20));
  });

  it("uses the client's dashboardUrl, or the call's", async () => {
    const { client } = createObservedClient(okWith(connection), {
      dashboardUrl: "https://dash.example.com/",
    });
    expect((await client.connections.updateLink(connection.id)).url).toBe(
      `https://dash.example.com/p/connect/acme-facilities-7Qk2/workflow/${encodedSecret}`,
    );
    const link = await client.connections.updateLink(connection.id, {
      dashboardUrl: "https://white-label.example.org",
    });
    expect(link.url.startsWith("https://white-label.example.org/p/connect/")).toBe(true);
  });

  it("throws the retrieve errors, e.g. 404", async () => {
    const { client } = createObservedClient(always(() => json(404, errorBodies.notFound())));
    expect(await rejectionOf(client.connections.updateLink(connection.id))).toBeInstanceOf(
      NectarNotFoundError,
    );
  });

  it("refuses a connection without its link pieces", async () => {
    const bare: Partial<Connection> = { ...connection, publicCompanyId: "" };
    const { client } = createObservedClient(okWith(bare));
    const error = await rejectionOf(client.connections.updateLink(connection.id));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toContain("publicCompanyId");
  });
});

describe("client.raw", () => {
  it("GET carries the credentials and retries like the client's own calls", async () => {
    let n = 0;
    const { client, requests, sleeps } = createObservedClient(
      () => (++n === 1 ? json(429, errorBodies.tooManyRequests()) : json(200, connections.seed())),
      { random: () => 0 },
    );
    const { data, error, response } = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data).toEqual(SEED);
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([500]);
    for (const request of requests) {
      expect(request.url).toBe(`${DEFAULT_BASE_URL}${PATH}`);
      expect(request.headers["x-api-key"]).toBe(TEST_API_KEY);
      expect(request.headers.accept).toBe("application/json");
      expect(request.headers["user-agent"]).toBe(`nectar-climate-connection/${version}`);
    }
  });

  it("returns a 404 without throwing and without retrying", async () => {
    const { client, requests } = createObservedClient(
      always(() => json(404, errorBodies.notFound())),
    );
    const { data, error, response } = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
    });
    expect(data).toBeUndefined();
    expect(error).toEqual(errorBodies.notFound());
    expect(response.status).toBe(404);
    expect(requests).toHaveLength(1);
  });
});
