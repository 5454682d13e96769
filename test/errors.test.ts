/**
 * The error classes: names, hierarchy, the status table, messages, the properties each error
 * carries, and `instanceof` across copies of the package and across realms.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createContext, runInContext } from "node:vm";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import * as errorsModule from "../src/core/errors.ts";
import {
  type ApiErrorInit,
  apiErrorFor,
  isNectarError,
  NectarAbortError,
  NectarApiError,
  NectarAuthenticationError,
  NectarBadRequestError,
  NectarConnectionError,
  NectarError,
  NectarInvalidInputError,
  NectarInvalidResponseError,
  NectarNotFoundError,
  NectarPermissionError,
  NectarRateLimitError,
  NectarResponseValidationError,
  NectarServerError,
  NectarTimeoutError,
} from "../src/core/errors.ts";
import * as api from "../src/index.ts";
import { createObservedClient, json, rejectionOf } from "./helpers/client.ts";
import { connections, errorBodies } from "./helpers/fixtures.ts";
import { recordForRedaction } from "./setup/redaction.ts";

type ErrorsModule = typeof import("../src/core/errors.ts");

/** Any error class, whatever its constructor's parameters. */
type ErrorClass = abstract new (...args: never[]) => Error;

const ID = connections.seed().id;
const PATH = `/connection/${ID}`;

/** What the client knows about a response, with a 404 and Nectar's example body by default. */
function initFor(overrides: Partial<ApiErrorInit> = {}): ApiErrorInit {
  return {
    method: "GET",
    path: PATH,
    status: 404,
    body: errorBodies.notFound(),
    headers: new Headers({ "content-type": "application/json" }),
    attempts: 1,
    ...overrides,
  };
}

/** An error for a response, recorded for the file's redaction check. */
function errorFor(overrides: Partial<ApiErrorInit> = {}): NectarApiError {
  const error = apiErrorFor(initFor(overrides));
  recordForRedaction(error);
  return error;
}

const problem = { method: "GET", path: PATH, status: 200, headers: new Headers() };

/** One instance of every error class, built by a given copy of the module. */
function oneOfEach(m: ErrorsModule): Record<string, Error> {
  const apiInit = (status: number) => ({ ...initFor({ status }), headers: new Headers() });
  return {
    NectarError: new m.NectarError("base"),
    NectarApiError: new m.NectarApiError(apiInit(418)),
    NectarBadRequestError: new m.NectarBadRequestError(apiInit(400)),
    NectarAuthenticationError: new m.NectarAuthenticationError(apiInit(401)),
    NectarPermissionError: new m.NectarPermissionError(apiInit(403)),
    NectarNotFoundError: new m.NectarNotFoundError(apiInit(404)),
    NectarRateLimitError: new m.NectarRateLimitError(apiInit(429)),
    NectarServerError: new m.NectarServerError(apiInit(503)),
    NectarConnectionError: new m.NectarConnectionError("refused", { attempts: 1 }),
    NectarTimeoutError: new m.NectarTimeoutError("slow", { timeoutMs: 5, attempts: 1 }),
    NectarProxyError: new m.NectarProxyError("refused", { proxyStatus: 407, attempts: 1 }),
    NectarAbortError: new m.NectarAbortError("aborted"),
    NectarInvalidInputError: new m.NectarInvalidInputError("bad"),
    NectarInvalidResponseError: new m.NectarInvalidResponseError({ ...problem, reason: "empty" }),
    NectarRedirectError: new m.NectarRedirectError({
      ...apiInit(301),
      body: "",
      origin: "https://elsewhere.example",
      reason: "another origin than baseUrl's",
    }),
    NectarResponseTooLargeError: new m.NectarResponseTooLargeError({
      ...problem,
      maxResponseBytes: 1024,
    }),
    NectarResponseValidationError: new m.NectarResponseValidationError({
      ...problem,
      violations: [{ pointer: "/status", message: "must be a string" }],
    }),
    NectarWaitTimeoutError: new m.NectarWaitTimeoutError({
      timeoutMs: 1_000,
      waitedMs: 1_002,
      polls: 3,
      lastStatus: "PASSWORD_INCORRECT",
    }),
    NectarPaginationError: new m.NectarPaginationError({
      problem: "repeated_page",
      page: 2,
      message: "GET /connection/company/x answered page 2 with the items of page 1.",
    }),
    NectarTooManyItemsError: new m.NectarTooManyItemsError(10),
    NectarWebhookVerificationError: new m.NectarWebhookVerificationError(
      "no_matching_signature",
      "no v1 signature matches.",
    ),
  };
}

/** The error classes the package exports, by name. */
const exportedClasses: [string, ErrorClass][] = Object.entries(api).flatMap(([name, value]) =>
  typeof value === "function" && /^Nectar\w*Error$/.test(name)
    ? [[name, value as unknown as ErrorClass] as [string, ErrorClass]]
    : [],
);

/** The parent of each class, as documented. */
const PARENT: Record<string, ErrorClass> = {
  NectarError: Error,
  NectarApiError: NectarError,
  NectarBadRequestError: NectarApiError,
  NectarAuthenticationError: NectarApiError,
  NectarPermissionError: NectarApiError,
  NectarNotFoundError: NectarApiError,
  NectarRateLimitError: NectarApiError,
  NectarServerError: NectarApiError,
  NectarConnectionError: NectarError,
  NectarTimeoutError: NectarConnectionError,
  NectarProxyError: NectarConnectionError,
  NectarAbortError: NectarError,
  NectarInvalidInputError: NectarError,
  NectarInvalidResponseError: NectarError,
  NectarResponseTooLargeError: NectarInvalidResponseError,
  NectarRedirectError: NectarApiError,
  NectarResponseValidationError: NectarError,
  NectarWaitTimeoutError: NectarError,
  NectarPaginationError: NectarError,
  NectarTooManyItemsError: NectarError,
  NectarWebhookVerificationError: NectarError,
};

describe("names and hierarchy", () => {
  const instances = oneOfEach(errorsModule);

  test("the package exports exactly the twenty-one error classes this file knows", () => {
    expect(exportedClasses.map(([name]) => name).sort()).toEqual(Object.keys(PARENT).sort());
    expect(Object.keys(instances).sort()).toEqual(Object.keys(PARENT).sort());
  });

  test.each(exportedClasses)("%s has its class name as `name`, on instances too", (name, cls) => {
    expect(cls.name).toBe(name);
    expect(cls.prototype.name).toBe(name);
    const instance = instances[name];
    expect(instance?.name).toBe(name);
    expect(String(instance)).toMatch(new RegExp(`^${name}: `));
    expect(instance?.stack).toMatch(new RegExp(`^${name}: `));
    // The name lives on the prototype, so it is not an own (enumerable, serialised) property.
    expect(Object.hasOwn(instance ?? {}, "name")).toBe(false);
  });

  test.each(exportedClasses)(
    "%s extends its documented parent, and so NectarError and Error",
    (name, cls) => {
      expect(Object.getPrototypeOf(cls)).toBe(PARENT[name]);
      const instance = instances[name];
      expect(instance).toBeInstanceOf(cls);
      expect(instance).toBeInstanceOf(NectarError);
      expect(instance).toBeInstanceOf(Error);
      expect(isNectarError(instance)).toBe(true);
    },
  );

  test("the status classes and the redirect error extend NectarApiError, and nothing else does", () => {
    const apiClasses = exportedClasses
      .filter(([, cls]) => cls.prototype instanceof NectarApiError || cls === NectarApiError)
      .map(([name]) => name)
      .sort();
    expect(apiClasses).toEqual(
      [
        "NectarApiError",
        "NectarAuthenticationError",
        "NectarBadRequestError",
        "NectarNotFoundError",
        "NectarPermissionError",
        "NectarRateLimitError",
        "NectarRedirectError",
        "NectarServerError",
      ].sort(),
    );
  });

  test("a timeout is a connection error, and neither is an API error", () => {
    const timeout = instances.NectarTimeoutError;
    expect(timeout).toBeInstanceOf(NectarConnectionError);
    expect(timeout).not.toBeInstanceOf(NectarApiError);
    expect(instances.NectarConnectionError).not.toBeInstanceOf(NectarTimeoutError);
  });

  test("sibling classes do not recognise each other's errors", () => {
    expect(instances.NectarNotFoundError).not.toBeInstanceOf(NectarRateLimitError);
    expect(instances.NectarApiError).not.toBeInstanceOf(NectarNotFoundError);
    expect(instances.NectarError).not.toBeInstanceOf(NectarApiError);
    expect(instances.NectarAbortError).not.toBeInstanceOf(NectarConnectionError);
    expect(instances.NectarInvalidInputError).not.toBeInstanceOf(NectarInvalidResponseError);
  });

  test("a caller's own subclass does not claim the errors of its parent class", () => {
    class MyNotFound extends NectarNotFoundError {}
    const plain = errorFor({ status: 404 });
    const mine = new MyNotFound(initFor());
    expect(plain).not.toBeInstanceOf(MyNotFound);
    expect(mine).toBeInstanceOf(MyNotFound);
    expect(mine).toBeInstanceOf(NectarNotFoundError);
    expect(mine).toBeInstanceOf(NectarError);
  });
});

describe("apiErrorFor, the status table", () => {
  test.each([
    [400, "NectarBadRequestError", NectarBadRequestError],
    [401, "NectarAuthenticationError", NectarAuthenticationError],
    [403, "NectarPermissionError", NectarPermissionError],
    [404, "NectarNotFoundError", NectarNotFoundError],
    [429, "NectarRateLimitError", NectarRateLimitError],
    [500, "NectarServerError", NectarServerError],
    [502, "NectarServerError", NectarServerError],
    [503, "NectarServerError", NectarServerError],
    [599, "NectarServerError", NectarServerError],
    [408, "NectarApiError", NectarApiError],
    [418, "NectarApiError", NectarApiError],
    [422, "NectarApiError", NectarApiError],
  ] as const)("maps %i to %s", (status, _name, expected) => {
    const error = errorFor({ status });
    expect(error.constructor).toBe(expected);
    expect(error.name).toBe(expected.name);
    expect(error.status).toBe(status);
  });

  test("keeps the body, the detail and the attempt count", () => {
    const error = errorFor({ status: 503, body: errorBodies.serverError(), attempts: 3 });
    expect(error.detail).toBe("A server error occurred.");
    expect(error.body).toEqual({ detail: "A server error occurred." });
    expect(error.attempts).toBe(3);
  });

  test("is what the client throws for a 404 from Nectar", async () => {
    const { client } = createObservedClient(() => json(404, errorBodies.notFound()));
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarNotFoundError);
    expect((error as Error).message).toBe(`GET ${PATH} failed with status 404: Not found.`);
  });
});

describe("messages", () => {
  test("read `GET /connection/<id> failed with status 404: Not found.`", () => {
    expect(errorFor().message).toBe(`GET /connection/${ID} failed with status 404: Not found.`);
  });

  test("quote Nectar's detail for every documented status", () => {
    expect(errorFor({ status: 401, body: errorBodies.unauthorized() }).message).toBe(
      `GET ${PATH} failed with status 401: Invalid API key.`,
    );
    expect(errorFor({ status: 429, body: errorBodies.tooManyRequests() }).message).toBe(
      `GET ${PATH} failed with status 429: Request was throttled. Expected available in 2 seconds.`,
    );
  });

  test("name an HTML page instead of quoting it", () => {
    const page = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head></html>";
    const error = errorFor({ status: 502, body: page });
    expect(error.message).toBe(
      `GET ${PATH} failed with status 502 (an HTML page, not Nectar's JSON).`,
    );
    expect(error.message).not.toContain("<");
    expect(error.detail).toBeUndefined();
    expect(error.body).toBe(page);
  });

  test("say so for an empty or blank body", () => {
    expect(errorFor({ status: 500, body: "" }).message).toBe(
      `GET ${PATH} failed with status 500 (empty body).`,
    );
    expect(errorFor({ status: 500, body: " \r\n " }).message).toBe(
      `GET ${PATH} failed with status 500 (empty body).`,
    );
  });

  test("quote a short plain-text body on one line", () => {
    expect(errorFor({ status: 503, body: "upstream connect error\nor disconnect" }).message).toBe(
      `GET ${PATH} failed with status 503: upstream connect error or disconnect`,
    );
  });

  test("end with a period for JSON without a detail string", () => {
    const fields = { connection_id: ["Must be a valid UUID."] };
    expect(errorFor({ status: 400, body: fields }).message).toBe(
      `GET ${PATH} failed with status 400.`,
    );
    const numeric = errorFor({ status: 400, body: { detail: 42 } });
    expect(numeric.message).toBe(`GET ${PATH} failed with status 400.`);
    expect(numeric.detail).toBeUndefined();
  });

  test("clip a long detail to 300 characters and collapse its whitespace", () => {
    const detail = `${"word ".repeat(40)}\n\n\t${"x".repeat(2000)}`;
    const error = errorFor({ status: 400, body: { detail } });
    const prefix = `GET ${PATH} failed with status 400: `;
    expect(error.message.startsWith(prefix)).toBe(true);
    const shown = error.message.slice(prefix.length);
    expect(shown).toHaveLength(301);
    expect(shown.endsWith("…")).toBe(true);
    expect(shown).not.toMatch(/\s{2}|\n|\t/);
    // The detail property keeps every character.
    expect(error.detail).toBe(detail);
  });

  test("of the response errors name the request and what was wrong", () => {
    const invalid = new NectarInvalidResponseError({ ...problem, reason: "the body is empty" });
    expect(invalid.message).toBe(`GET ${PATH} returned status 200, but the body is empty.`);
    expect(Object.keys(invalid)).not.toContain("body");

    const violations = [
      { pointer: "/status", message: "must be equal to one of the allowed values" },
      { pointer: "/id", message: 'must match format "uuid"' },
      { pointer: "/created", message: 'must match format "date-time"' },
    ];
    const mismatch = new NectarResponseValidationError({ ...problem, violations });
    expect(mismatch.message).toBe(
      `GET ${PATH} returned a body that does not match the spec: /status must be equal to one of the allowed values (and 2 more).`,
    );
    expect(mismatch.violations).toEqual(violations);
    const whole = new NectarResponseValidationError({
      ...problem,
      violations: [{ pointer: "", message: "must be object" }],
    });
    expect(whole.message).toMatch(/: \(body\) must be object\.$/);
  });
});

describe("properties", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("retryAfterMs reads retry-after-ms first, then Retry-After seconds", () => {
    const both = new Headers({ "retry-after-ms": "1500", "retry-after": "9" });
    expect((errorFor({ status: 429, headers: both }) as NectarRateLimitError).retryAfterMs).toBe(
      1500,
    );
    const seconds = new Headers({ "Retry-After": "2" });
    expect((errorFor({ status: 429, headers: seconds }) as NectarRateLimitError).retryAfterMs).toBe(
      2000,
    );
  });

  test("retryAfterMs reads an HTTP date relative to now, never negative", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const now = Date.parse("2024-06-02T06:15:00Z");
    vi.setSystemTime(now);
    const future = new Headers({ "retry-after": new Date(now + 5_000).toUTCString() });
    const past = new Headers({ "retry-after": new Date(now - 5_000).toUTCString() });
    expect((errorFor({ status: 429, headers: future }) as NectarRateLimitError).retryAfterMs).toBe(
      5_000,
    );
    expect((errorFor({ status: 429, headers: past }) as NectarRateLimitError).retryAfterMs).toBe(0);
  });

  test("retryAfterMs is undefined when the header is absent or unreadable", () => {
    const absent = errorFor({ status: 429 }) as NectarRateLimitError;
    const garbled = errorFor({
      status: 429,
      headers: new Headers({ "retry-after": "soon" }),
    }) as NectarRateLimitError;
    expect(absent).toBeInstanceOf(NectarRateLimitError);
    expect(absent.retryAfterMs).toBeUndefined();
    expect(garbled.retryAfterMs).toBeUndefined();
    expect("retryAfterMs" in errorFor({ status: 503 })).toBe(false);
  });

  test("headers are a plain object with lower-case names and credentials and cookies masked", () => {
    const headers = new Headers({
      "Content-Type": "application/json",
      "X-API-KEY": "echoed-key",
      Authorization: "Bearer echoed",
      Cookie: "session=1",
      "Set-Cookie": "session=2; HttpOnly",
      "X-Served-By": "cache-1",
    });
    for (const error of [
      errorFor({ status: 401, headers }),
      new NectarInvalidResponseError({ ...problem, headers, reason: "the body is empty" }),
    ]) {
      expect(error.headers).toEqual({
        "content-type": "application/json",
        "x-api-key": "[redacted]",
        authorization: "[redacted]",
        cookie: "[redacted]",
        "set-cookie": "[redacted]",
        "x-served-by": "cache-1",
      });
      expect(JSON.stringify(error)).not.toContain("echoed");
    }
  });

  test("requestId comes from x-request-id, request-id or x-amzn-requestid, in that order", () => {
    const id = (headers: Record<string, string>) => errorFor({ headers: new Headers(headers) });
    expect(id({ "x-request-id": "a", "request-id": "b", "x-amzn-requestid": "c" }).requestId).toBe(
      "a",
    );
    expect(id({ "request-id": "b", "x-amzn-requestid": "c" }).requestId).toBe("b");
    expect(id({ "X-Amzn-RequestId": "c" }).requestId).toBe("c");
    expect(id({}).requestId).toBeUndefined();
    const headers = new Headers({ "x-request-id": "req-7" });
    expect(new NectarInvalidResponseError({ ...problem, headers, reason: "x" }).requestId).toBe(
      "req-7",
    );
    expect(
      new NectarResponseValidationError({ ...problem, headers, violations: [] }).requestId,
    ).toBe("req-7");
  });

  test("a connection error keeps its cause; a timeout has none and keeps its limit", () => {
    const cause = new TypeError("fetch failed");
    const refused = new NectarConnectionError("GET /x failed: fetch failed.", {
      cause,
      attempts: 3,
    });
    expect(refused.cause).toBe(cause);
    expect(refused.attempts).toBe(3);
    const timeout = new NectarTimeoutError("GET /x timed out after 5 ms (attempt 2).", {
      timeoutMs: 5,
      attempts: 2,
    });
    expect("cause" in timeout).toBe(false);
    expect(timeout.timeoutMs).toBe(5);
    expect(timeout.attempts).toBe(2);
  });

  test("JSON.stringify gives the data of an API error, not its message or stack", () => {
    const error = errorFor({ headers: new Headers({ "x-request-id": "req-1" }) });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      status: 404,
      detail: "Not found.",
      body: { detail: "Not found." },
      bodyTruncated: false,
      headers: { "x-request-id": "req-1" },
      requestId: "req-1",
      attempts: 1,
    });
  });
});

describe("across copies of the package and realms", () => {
  let dir: string;
  let second: ErrorsModule;
  let bundled: ErrorsModule;
  let realm: ErrorsModule;

  beforeAll(async () => {
    // A second instance of the same source module, as two bundles of one app would hold.
    const specifier = "../src/core/errors.ts?copy";
    second = (await import(/* @vite-ignore */ specifier)) as ErrorsModule;
    // A separately bundled copy with its own constants, logger and retry code, as a second
    // install of the package in node_modules would be.
    dir = mkdtempSync(join(tmpdir(), "nectar-errors-"));
    const entry = fileURLToPath(new URL("../src/core/errors.ts", import.meta.url));
    const esm = await build({ entryPoints: [entry], bundle: true, format: "esm", write: false });
    const file = join(dir, "errors.mjs");
    writeFileSync(file, esm.outputFiles[0]?.text ?? "");
    bundled = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as ErrorsModule;
    // Another realm (its own Error and Object), as an iframe, a worker-shared module or a vm has.
    const iife = await build({
      entryPoints: [entry],
      bundle: true,
      format: "iife",
      globalName: "nectarErrors",
      write: false,
    });
    const context = createContext({ Headers });
    realm = runInContext(`${iife.outputFiles[0]?.text ?? ""}; nectarErrors`, context);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const copies: [string, () => ErrorsModule][] = [
    ["a second instance of the module", () => second],
    ["a separately bundled copy", () => bundled],
    ["another realm (node:vm)", () => realm],
  ];

  test("the copies really are distinct classes", () => {
    for (const m of [second, bundled, realm]) {
      expect(m.NectarError).not.toBe(NectarError);
      expect(m.NectarNotFoundError).not.toBe(NectarNotFoundError);
    }
    // The realm's errors are not even Errors of this realm by the ordinary rule.
    const foreign = oneOfEach(realm).NectarError;
    expect(Function.prototype[Symbol.hasInstance].call(Error, foreign)).toBe(false);
  });

  describe.each(copies)("an error made by %s", (_label, copy) => {
    test("is recognised by instanceof of every class it descends from, and by isNectarError", () => {
      const instances = oneOfEach(copy());
      for (const [name, instance] of Object.entries(instances)) {
        const cls = (api as unknown as Record<string, ErrorClass>)[name];
        expect(cls, name).toBeDefined();
        expect(instance instanceof (cls as ErrorClass), name).toBe(true);
        expect(instance instanceof NectarError, name).toBe(true);
        expect(isNectarError(instance), name).toBe(true);
        recordForRedaction(instance);
      }
    });

    test("is recognised only by the classes it descends from", () => {
      const instances = oneOfEach(copy());
      for (const [name, instance] of Object.entries(instances)) {
        for (const [otherName, other] of exportedClasses) {
          const descends = ancestry(name).includes(otherName);
          expect(instance instanceof other, `${name} instanceof ${otherName}`).toBe(descends);
        }
      }
    });

    test("narrows precisely: a 429 gives retryAfterMs, a timeout its limit", () => {
      const m = copy();
      const headers = new Headers({ "retry-after": "3" });
      const caught: unknown = m.apiErrorFor({ ...initFor({ status: 429 }), headers });
      if (!(caught instanceof NectarRateLimitError)) throw new Error("not narrowed");
      expect(caught.retryAfterMs).toBe(3000);
      expect(caught.status).toBe(429);
      const slow: unknown = new m.NectarTimeoutError("slow", { timeoutMs: 7, attempts: 1 });
      expect(slow instanceof NectarApiError).toBe(false);
      if (!(slow instanceof NectarConnectionError)) throw new Error("not narrowed");
      expect(slow instanceof NectarTimeoutError && slow.timeoutMs).toBe(7);
    });

    test("is matched the other way round too: the copy recognises this copy's errors", () => {
      const m = copy();
      const local = errorFor({ status: 404 });
      expect(local instanceof m.NectarNotFoundError).toBe(true);
      expect(local instanceof m.NectarApiError).toBe(true);
      expect(local instanceof m.NectarRateLimitError).toBe(false);
      expect(m.isNectarError(local)).toBe(true);
    });
  });

  test("a plain Error named like one of ours is not recognised", () => {
    const impostor = new Error("GET /x failed with status 404: Not found.");
    impostor.name = "NectarError";
    class NectarNotFoundErrorLookalike extends Error {}
    Object.defineProperty(NectarNotFoundErrorLookalike.prototype, "name", {
      value: "NectarNotFoundError",
    });
    const lookalike = new NectarNotFoundErrorLookalike("Not found.");
    for (const value of [impostor, lookalike]) {
      expect(value instanceof NectarError).toBe(false);
      expect(value instanceof NectarNotFoundError).toBe(false);
      expect(isNectarError(value)).toBe(false);
    }
  });

  test("isNectarError is false for values that are not errors at all", () => {
    for (const value of [undefined, null, 0, "NectarError", Symbol("x"), {}, Object.create(null)]) {
      expect(isNectarError(value)).toBe(false);
    }
    expect(isNectarError({ name: "NectarError", message: "x" })).toBe(false);
  });
});

/** The names of a class and its ancestors up to NectarError, from the documented parents. */
function ancestry(name: string): string[] {
  const names: string[] = [];
  let current: string | undefined = name;
  while (current !== undefined && current in PARENT) {
    names.push(current);
    const parent: ErrorClass | undefined = PARENT[current];
    current = parent === Error ? undefined : parent?.name;
  }
  return names;
}

test("NectarAbortError and NectarInvalidInputError carry only their message", () => {
  const aborted = new NectarAbortError(`GET ${PATH} was aborted by the caller.`);
  const invalid = new NectarInvalidInputError("connectionId must be a UUID.");
  expect(Object.keys(aborted)).toEqual([]);
  expect(Object.keys(invalid)).toEqual([]);
  expect(aborted.message).toBe(`GET ${PATH} was aborted by the caller.`);
});
