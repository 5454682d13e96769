/**
 * The fault matrix: one table of what a server can do wrong, each row run over real sockets
 * against the mock server (`startMockServer`), with the global fetch and real time. Every row
 * asserts the outcome (the error class, or the data), how many requests the server saw, and that
 * the call ended within a bound: a generous bound against hanging, not a benchmark.
 *
 * Timing: per-attempt timeouts are short (300 ms), and the client's `sleep` is replaced by one
 * that records the delay the client asked for and then waits min(delay, 20) real ms. So retries
 * still happen, over the network, in order, but quickly; the recorded delays show which wait the
 * client chose (Retry-After honoured, or backoff).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Connection } from "../generated/schema.js";
import {
  createNectarClient,
  NectarApiError,
  NectarAuthenticationError,
  type NectarClientOptions,
  NectarConnectionError,
  NectarInvalidResponseError,
  NectarNotFoundError,
  NectarPermissionError,
  NectarRateLimitError,
  NectarResponseValidationError,
  NectarServerError,
  NectarTimeoutError,
} from "../src/index.js";
import { type MockFault, type MockServer, startMockServer } from "../src/mock/index.js";
import { connections, errorBodies, TEST_API_KEY } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

/** The connection every row asks for: the example with a real magic-link secret, so that the
 * redaction check would catch a body leaking into an error. */
const CONNECTION = connections.passwordIncorrect();
const ID = CONNECTION.id;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const TIMEOUT_MS = 300;
const SERVER_ERROR_DETAIL = errorBodies.serverError().detail;

/** A fixed clock for HTTP-date Retry-After rows: 21 Oct 2015 07:28:00 GMT. */
const NOW = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");

/** Backoff before the first retry: 500 ms shortened by up to 25 % of jitter. */
const FIRST_BACKOFF: [number, number] = [375, 500];

let mock: MockServer;

beforeAll(async () => {
  // The mock accepts the suite's test key, so the redaction check covers the key on the wire.
  mock = await startMockServer({ apiKey: TEST_API_KEY });
});

beforeEach(() => {
  mock.reset();
});

afterAll(async () => {
  await mock?.close();
});

/** What a row expects. */
type Outcome =
  | { data: (connection: Connection) => void }
  | { error: abstract new (...args: never[]) => Error; check?: (error: unknown) => void };

interface Row {
  name: string;
  /** Scripted for the row's connection id, in order. */
  faults: MockFault[];
  /** Client options on top of the defaults below. */
  options?: Partial<NectarClientOptions>;
  /** The connection id to ask for; default {@link ID}. */
  id?: string;
  outcome: Outcome;
  /** Requests the server must have seen. */
  requests: number;
  /** The delays the client must have asked to sleep (exact numbers, or [min, max] ranges). */
  sleeps?: (number | [number, number])[];
  /** The call must end within this many ms (generous: the machine is shared). */
  within: number;
  /** And must not end before this many ms (for rows that must wait out timeouts). */
  atLeast?: number;
}

const dataIsTheConnection = {
  data: (connection: Connection) => expect(connection).toEqual(CONNECTION),
};

const serverError = (status: number, attempts: number): Outcome => ({
  error: NectarServerError,
  check: (error) => expect(error).toMatchObject({ status, attempts, detail: SERVER_ERROR_DETAIL }),
});

const rows: Row[] = [
  // 5xx, then success: retried once
  ...[500, 502, 503, 504].map(
    (status): Row => ({
      name: `${status} then success`,
      faults: [{ status }],
      outcome: dataIsTheConnection,
      requests: 2,
      sleeps: [FIRST_BACKOFF],
      within: 15_000,
    }),
  ),
  {
    name: "500, 502, 503 then success (maxRetries 3)",
    faults: [{ status: 500 }, { status: 502 }, { status: 503 }],
    options: { maxRetries: 3 },
    outcome: dataIsTheConnection,
    requests: 4,
    sleeps: [FIRST_BACKOFF, [750, 1_000], [1_500, 2_000]],
    within: 15_000,
  },
  {
    name: "503 every time → NectarServerError after maxRetries + 1 requests",
    faults: [{ status: 503 }, { status: 503 }, { status: 503 }],
    options: { maxRetries: 2 },
    outcome: serverError(503, 3),
    requests: 3,
    sleeps: [FIRST_BACKOFF, [750, 1_000]],
    within: 15_000,
  },
  {
    name: "503 with maxRetries 0 → NectarServerError at once",
    faults: [{ status: 503 }],
    options: { maxRetries: 0 },
    outcome: serverError(503, 1),
    requests: 1,
    sleeps: [],
    within: 15_000,
  },

  // 429 and Retry-After
  {
    name: "429 with Retry-After: 0 → retried without waiting",
    faults: [{ status: 429, headers: { "Retry-After": "0" } }],
    outcome: dataIsTheConnection,
    requests: 2,
    sleeps: [0],
    within: 15_000,
  },
  {
    name: "429 with Retry-After: 1 → waits the 1 s asked for",
    faults: [{ status: 429, headers: { "Retry-After": "1" } }],
    outcome: dataIsTheConnection,
    requests: 2,
    sleeps: [1_000],
    within: 15_000,
  },
  {
    name: "429 with Retry-After as an HTTP date 3 s ahead → waits 3 s",
    faults: [{ status: 429, headers: { "Retry-After": "Wed, 21 Oct 2015 07:28:03 GMT" } }],
    options: { now: () => NOW },
    outcome: dataIsTheConnection,
    requests: 2,
    sleeps: [3_000],
    within: 15_000,
  },
  {
    name: "429 with Retry-After as an HTTP date already past → retried at once",
    faults: [{ status: 429, headers: { "Retry-After": "Wed, 21 Oct 2015 07:27:00 GMT" } }],
    options: { now: () => NOW },
    outcome: dataIsTheConnection,
    requests: 2,
    sleeps: [0],
    within: 15_000,
  },
  {
    name: "429 without Retry-After → exponential backoff",
    faults: [{ status: 429 }, { status: 429 }],
    outcome: dataIsTheConnection,
    requests: 3,
    sleeps: [FIRST_BACKOFF, [750, 1_000]],
    within: 15_000,
  },
  {
    name: "429 with an absurd Retry-After (3600 s) → backoff, not an hour",
    faults: [{ status: 429, headers: { "Retry-After": "3600" } }],
    outcome: dataIsTheConnection,
    requests: 2,
    sleeps: [FIRST_BACKOFF],
    within: 15_000,
  },
  {
    name: "429 every time → NectarRateLimitError with the server's Retry-After",
    faults: [
      { status: 429, headers: { "Retry-After": "1" } },
      { status: 429, headers: { "Retry-After": "1" } },
    ],
    options: { maxRetries: 1 },
    outcome: {
      error: NectarRateLimitError,
      check: (error) =>
        expect(error).toMatchObject({
          status: 429,
          attempts: 2,
          retryAfterMs: 1_000,
          detail: "Request was throttled. Expected available in 1 second.", // as Retry-After says
        }),
    },
    requests: 2,
    sleeps: [1_000],
    within: 15_000,
  },

  // The connection fails
  {
    name: "connection reset, then success → retried",
    faults: [{ kind: "reset" }],
    outcome: dataIsTheConnection,
    requests: 2,
    sleeps: [FIRST_BACKOFF],
    within: 15_000,
  },
  {
    name: "connection reset every time → NectarConnectionError",
    faults: [{ kind: "reset" }, { kind: "reset" }, { kind: "reset" }],
    options: { maxRetries: 2 },
    outcome: {
      error: NectarConnectionError,
      check: (error) => {
        expect(error).not.toBeInstanceOf(NectarTimeoutError);
        expect(error).toMatchObject({ attempts: 3 });
        expect((error as Error).message).toMatch(/^GET \/connection\/[0-9a-f-]{36} failed: /);
      },
    },
    requests: 3,
    sleeps: [FIRST_BACKOFF, [750, 1_000]],
    within: 15_000,
  },
  {
    name: "accepted and never answered → NectarTimeoutError per attempt",
    faults: [{ kind: "hang" }, { kind: "hang" }],
    options: { maxRetries: 1 },
    outcome: {
      error: NectarTimeoutError,
      check: (error) => expect(error).toMatchObject({ attempts: 2, timeoutMs: TIMEOUT_MS }),
    },
    requests: 2,
    sleeps: [FIRST_BACKOFF],
    within: 2 * TIMEOUT_MS + 15_000,
    atLeast: 2 * TIMEOUT_MS - 20,
  },
  {
    name: "never answered once, then answered → retried after the timeout",
    faults: [{ kind: "hang" }],
    outcome: dataIsTheConnection,
    requests: 2,
    sleeps: [FIRST_BACKOFF],
    within: TIMEOUT_MS + 15_000,
  },
  {
    name: "answered too late (1 s > timeout), then in time → retried",
    faults: [
      { kind: "delay", ms: 1_000 },
      { kind: "delay", ms: 10 },
    ],
    outcome: dataIsTheConnection,
    requests: 2,
    sleeps: [FIRST_BACKOFF],
    within: TIMEOUT_MS + 15_000,
  },
  {
    name: "headers, then a body that never ends → NectarTimeoutError (the timeout covers the body)",
    faults: [{ kind: "endless-body" }],
    options: { maxRetries: 0 },
    outcome: {
      error: NectarTimeoutError,
      check: (error) => expect(error).toMatchObject({ attempts: 1, timeoutMs: TIMEOUT_MS }),
    },
    requests: 1,
    sleeps: [],
    within: TIMEOUT_MS + 15_000,
    atLeast: TIMEOUT_MS - 20,
  },
  {
    name: "truncated JSON (socket closed mid-body) every time → NectarConnectionError",
    faults: [{ kind: "truncated-json" }, { kind: "truncated-json" }],
    options: { maxRetries: 1 },
    outcome: {
      error: NectarConnectionError,
      check: (error) => {
        expect(error).not.toBeInstanceOf(NectarTimeoutError);
        expect(error).toMatchObject({ attempts: 2 });
      },
    },
    requests: 2,
    sleeps: [FIRST_BACKOFF],
    within: 15_000,
  },
  {
    name: "truncated JSON, then the whole body → retried",
    faults: [{ kind: "truncated-json" }],
    outcome: dataIsTheConnection,
    requests: 2,
    sleeps: [FIRST_BACKOFF],
    within: 15_000,
  },

  // Bodies that are not the JSON expected
  {
    name: "an HTML error page (502) → NectarServerError naming HTML",
    faults: [{ kind: "html" }],
    options: { maxRetries: 0 },
    outcome: {
      error: NectarServerError,
      check: (error) => {
        expect(error).toMatchObject({ status: 502, attempts: 1, detail: undefined });
        expect((error as Error).message).toMatch(/HTML/);
        expect((error as Error).message).not.toMatch(/<html|nginx/);
      },
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },
  {
    name: "an HTML error page (502) every time, with retries → NectarServerError",
    faults: [{ kind: "html" }, { kind: "html" }],
    options: { maxRetries: 1 },
    outcome: {
      error: NectarServerError,
      check: (error) => expect(error).toMatchObject({ status: 502, attempts: 2 }),
    },
    requests: 2,
    sleeps: [FIRST_BACKOFF],
    within: 15_000,
  },
  {
    name: "200 with invalid JSON → NectarInvalidResponseError, not retried",
    faults: [{ kind: "invalid-json" }],
    outcome: {
      error: NectarInvalidResponseError,
      check: (error) => {
        expect(error).toMatchObject({ status: 200 });
        expect((error as Error).message).toMatch(/not valid JSON/);
      },
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },
  {
    name: "200 with an unknown status value, validation off → passed through",
    faults: [{ kind: "json", body: { ...CONNECTION, status: "QUANTUM_ENTANGLED" } }],
    options: { validateResponses: "off" },
    outcome: {
      data: (connection) =>
        expect(connection).toEqual({ ...CONNECTION, status: "QUANTUM_ENTANGLED" }),
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },
  {
    name: "200 missing a required field, strict → NectarResponseValidationError",
    faults: [{ kind: "json", body: { ...CONNECTION, created: undefined } }],
    options: { validateResponses: "strict" },
    outcome: {
      error: NectarResponseValidationError,
      check: (error) => {
        expect(error).toMatchObject({
          status: 200,
          violations: [{ pointer: "", message: "must have required property 'created'" }],
        });
      },
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },
  {
    name: "200 missing a required field, validation off → the data",
    faults: [{ kind: "json", body: { ...CONNECTION, created: undefined } }],
    options: { validateResponses: "off" },
    outcome: {
      data: (connection) => {
        const { created: _dropped, ...rest } = CONNECTION;
        expect(connection).toEqual(rest);
      },
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },
  {
    name: "200 with extra unknown fields, strict → the data, extras kept",
    faults: [{ kind: "json", body: { ...CONNECTION, newField: { nested: [1] }, rank: 3 } }],
    options: { validateResponses: "strict" },
    outcome: {
      data: (connection) =>
        expect(connection).toEqual({ ...CONNECTION, newField: { nested: [1] }, rank: 3 }),
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },

  // Errors the API declares, and one it does not
  {
    name: "401 (wrong key) → NectarAuthenticationError, not retried",
    faults: [],
    options: { apiKey: "nk_test_wrong_key_0000000000000000" },
    outcome: {
      error: NectarAuthenticationError,
      check: (error) =>
        expect(error).toMatchObject({
          status: 401,
          attempts: 1,
          detail: errorBodies.unauthorized().detail,
        }),
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },
  {
    name: "403 → NectarPermissionError, not retried",
    faults: [{ status: 403 }],
    outcome: {
      error: NectarPermissionError,
      check: (error) =>
        expect(error).toMatchObject({
          status: 403,
          attempts: 1,
          detail: errorBodies.forbidden().detail,
        }),
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },
  {
    name: "404 (unknown id) → NectarNotFoundError, not retried",
    faults: [],
    id: UNKNOWN_ID,
    outcome: {
      error: NectarNotFoundError,
      check: (error) =>
        expect(error).toMatchObject({
          status: 404,
          attempts: 1,
          detail: errorBodies.notFound().detail,
        }),
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },
  {
    name: "an undeclared 422 → NectarApiError itself, not a subclass",
    faults: [{ kind: "json", status: 422, body: { detail: "Unprocessable." } }],
    outcome: {
      error: NectarApiError,
      check: (error) => {
        expect((error as Error).constructor).toBe(NectarApiError);
        expect(error).toMatchObject({ status: 422, attempts: 1, detail: "Unprocessable." });
      },
    },
    requests: 1,
    sleeps: [],
    within: 15_000,
  },
];

describe("fault matrix (real sockets, mock server)", () => {
  it.each(rows.map((row) => [row.name, row] as const))("%s", async (_name, row) => {
    const sleeps: number[] = [];
    const record = (message: string, ...details: unknown[]) =>
      recordForRedaction({ message, details });
    const client = createNectarClient({
      apiKey: mock.apiKey,
      baseUrl: mock.url,
      timeoutMs: TIMEOUT_MS,
      logLevel: "debug",
      logger: { error: record, warn: record, info: record, debug: record },
      // Records the delay asked for, then waits at most 20 real ms (see the file's comment).
      sleep: (ms, signal) => {
        sleeps.push(ms);
        return new Promise<void>((resolve, reject) => {
          if (signal?.aborted) {
            reject(signal.reason);
            return;
          }
          setTimeout(resolve, Math.min(ms, 20));
        });
      },
      ...row.options,
    });
    const id = row.id ?? ID;
    mock.script(id, row.faults);
    const before = mock.stats.requests;
    const started = performance.now();

    const settled = await client.connections.retrieve(id).then(
      (data) => ({ data, error: undefined }),
      (error: unknown) => {
        recordForRedaction(error);
        return { data: undefined, error: error ?? new Error("rejected with nothing") };
      },
    );
    const elapsed = performance.now() - started;

    if ("data" in row.outcome) {
      expect(settled.error).toBeUndefined();
      row.outcome.data(settled.data as Connection);
    } else {
      expect(settled.error).toBeInstanceOf(row.outcome.error);
      row.outcome.check?.(settled.error);
    }
    expect(mock.stats.requests - before, "requests the server saw").toBe(row.requests);
    expect(elapsed, "ms the call took").toBeLessThan(row.within);
    if (row.atLeast !== undefined) expect(elapsed, "ms the call took").toBeGreaterThan(row.atLeast);
    if (row.sleeps !== undefined) {
      expect(sleeps).toHaveLength(row.sleeps.length);
      row.sleeps.forEach((expected, index) => {
        const asked = sleeps[index] ?? Number.NaN;
        if (typeof expected === "number") expect(asked).toBe(expected);
        else {
          expect(asked).toBeGreaterThanOrEqual(expected[0]);
          expect(asked).toBeLessThanOrEqual(expected[1]);
        }
      });
    }
  });
});
