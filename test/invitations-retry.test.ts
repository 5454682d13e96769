/**
 * The retry policy of a create (a POST Nectar gives no idempotency key), per case over real
 * sockets on 127.0.0.1, counting the requests that reached the mock and the invitations it
 * created. Retried only when the request cannot have been processed: a 429, a 503 with
 * Retry-After, a refused connection. Never after a response timeout, a reset once the request was
 * sent, a 500, a 502 or a 503 without Retry-After. Each "never" case has a control: the same
 * fault on a retrieve (a GET) is retried, so the test can tell the two apart.
 */
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createNectarClient,
  type NectarClientOptions,
  NectarConnectionError,
  NectarServerError,
  NectarTimeoutError,
} from "../src/index.js";
import { type MockFault, type MockServer, startMockServer } from "../src/mock/index.js";
import { connections, invitations, TEST_API_KEY } from "./helpers/fixtures.js";
import { recordForRedaction } from "./setup/redaction.js";

const CONNECTION_ID = connections.passwordIncorrect().id;
const INVITATION_ID = invitations.detailActive().id;
/** Short, since a hung request must time out; nothing asserts how long anything took. */
const HANG_TIMEOUT_MS = 300;

let mock: MockServer;

beforeAll(async () => {
  mock = await startMockServer({ apiKey: TEST_API_KEY });
});
afterEach(() => mock.reset());
afterAll(async () => {
  await mock.close();
});

/** A client with real fetch on `baseUrl`; its backoff waits are recorded, not slept. */
function clientOn(baseUrl: string, onSleep: () => Promise<void> = async () => {}) {
  const sleeps: number[] = [];
  const record = (message: string, ...details: unknown[]) =>
    recordForRedaction({ message, details });
  const options: NectarClientOptions = {
    apiKey: TEST_API_KEY,
    baseUrl,
    maxRetries: 2,
    logLevel: "debug",
    logger: { error: record, warn: record, info: record, debug: record },
    sleep: async (ms) => {
      sleeps.push(ms);
      await onSleep();
    },
  };
  return { client: createNectarClient(options), sleeps };
}

/** How many requests to `path` (below /v2.2) reached the mock. */
const requestsTo = (server: MockServer, method: string, path: string) =>
  server.stats.log.filter((entry) => entry.method === method && entry.path === `/v2.2${path}`)
    .length;

const createPath = `/invitation/connection/${CONNECTION_ID}`;

/** The outcome of a create with `faults` scripted first. */
async function createAfter(faults: MockFault[], options: { timeoutMs?: number } = {}) {
  mock.script(CONNECTION_ID, faults);
  const { client, sleeps } = clientOn(mock.url);
  const outcome = await client.invitations
    .createReconnect(CONNECTION_ID, { maxUses: 1, ...options })
    .withResponse()
    .then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => {
        recordForRedaction(error);
        return { result: undefined, error };
      },
    );
  return {
    ...outcome,
    sleeps,
    posts: requestsTo(mock, "POST", createPath),
    created: mock.stats.invitationsCreated,
  };
}

describe("a create is retried when the request cannot have been processed", () => {
  it("after a 429: two requests, one invitation", async () => {
    const { result, posts, created } = await createAfter([{ status: 429 }]);
    expect(result?.attempts).toBe(2);
    expect(result?.response.status).toBe(201);
    expect([posts, created]).toEqual([2, 1]);
  });

  it("after a 503 with Retry-After: waits what it was asked, two requests, one invitation", async () => {
    const { result, sleeps, posts, created } = await createAfter([
      { status: 503, headers: { "Retry-After": "2" } },
    ]);
    expect(result?.attempts).toBe(2);
    expect(sleeps).toEqual([2_000]);
    expect([posts, created]).toEqual([2, 1]);
  });

  it("after a refused connection (nothing listening): the retry reaches the server", async () => {
    const port = await freePort();
    let late: MockServer | undefined;
    // Nothing listens on the port for the first attempt; the server starts during the backoff.
    const { client, sleeps } = clientOn(`http://127.0.0.1:${port}/v2.2`, async () => {
      late ??= await startMockServer({ apiKey: TEST_API_KEY, port });
    });
    try {
      const { data, attempts } = await client.invitations
        .createReconnect(CONNECTION_ID, { maxUses: 1 })
        .withResponse();
      expect(attempts).toBe(2);
      expect(sleeps).toHaveLength(1);
      expect(data.connectionId).toBe(CONNECTION_ID);
      expect(late && [requestsTo(late, "POST", createPath), late.stats.invitationsCreated]).toEqual(
        [1, 1],
      );
    } finally {
      await late?.close();
    }
  });
});

describe("a create is never retried once the request may have been processed", () => {
  it.each<[string, MockFault, new (...args: never[]) => Error]>([
    ["a response timeout (hang)", { kind: "hang" }, NectarTimeoutError],
    ["a reset after the request was sent", { kind: "reset" }, NectarConnectionError],
    ["a 500", { status: 500 }, NectarServerError],
    ["a 502", { status: 502 }, NectarServerError],
    ["a 503 without Retry-After", { status: 503 }, NectarServerError],
  ])("after %s: one request, and the error", async (_name, fault, errorClass) => {
    const { error, sleeps, posts } = await createAfter([fault, fault, fault], {
      timeoutMs: HANG_TIMEOUT_MS,
    });
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ attempts: 1 });
    expect(sleeps).toEqual([]);
    expect(posts).toBe(1);
    expect(mock.stats.invitationsCreated).toBe(0);
  });

  it.each<[string, MockFault]>([
    ["a response timeout (hang)", { kind: "hang" }],
    ["a reset", { kind: "reset" }],
    ["a 500", { status: 500 }],
    ["a 502", { status: 502 }],
    ["a 503 without Retry-After", { status: 503 }],
  ])("control: the same %s on a retrieve (a GET) is retried", async (_name, fault) => {
    mock.script(INVITATION_ID, [fault]);
    const { client } = clientOn(mock.url);
    const { attempts } = await client.invitations
      .retrieve(INVITATION_ID, { timeoutMs: HANG_TIMEOUT_MS })
      .withResponse();
    expect(attempts).toBe(2);
    expect(requestsTo(mock, "GET", `/invitation/${INVITATION_ID}`)).toBe(2);
  });
});

describe("the retries a create may take are still bounded", () => {
  it("429 three times with maxRetries 2: three requests, a rate-limit error, nothing created", async () => {
    const { error, posts, created } = await createAfter([
      { status: 429 },
      { status: 429 },
      { status: 429 },
    ]);
    expect(error).toMatchObject({ status: 429, attempts: 3 });
    expect([posts, created]).toEqual([3, 0]);
  });
});

/** A 127.0.0.1 port that was free a moment ago (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return address.port;
}
