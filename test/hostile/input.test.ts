/**
 * No input crashes anything: every public function called with arbitrary values (fast-check)
 * throws or rejects only `NectarError`s (raw: also the `TypeError` openapi-fetch's `Request`
 * throws for a malformed init, as documented), sends nothing when the input is refused, and
 * leaves no timer or listener that throws later. Plus the two crashes found by hand: an
 * AbortController passed as `signal`, and header values no HTTP header can carry.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectionHealth,
  createNectarClient,
  isNectarError,
  type NectarClient,
  NectarInvalidInputError,
  updateLinkUrl,
} from "../../src/index.js";
import { connections, TEST_API_KEY } from "../helpers/fixtures.js";
import { recordForRedaction } from "../setup/redaction.js";

const ID = connections.seed().id;
/** The per-attempt timeout of the client under test: every timer it sets is this short. */
const TIMEOUT_MS = 20;

/** Everything the process reports as uncaught while this file runs. */
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);
beforeAll(() => {
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
});
afterAll(() => {
  process.off("uncaughtException", onUncaught);
  process.off("unhandledRejection", onUncaught);
});

/** Waits longer than every timeout in play, so that a timer left behind would have fired. */
const outlast = () => new Promise((resolve) => setTimeout(resolve, 5 * TIMEOUT_MS));

/** A client whose fetch records what it is asked to send and answers 404 at once. */
function recordingClient(): { client: NectarClient; sent: string[] } {
  const sent: string[] = [];
  const client = createNectarClient({
    apiKey: TEST_API_KEY,
    timeoutMs: TIMEOUT_MS,
    maxRetries: 0,
    logLevel: "off",
    fetch: async (input) => {
      sent.push(typeof input === "string" ? input : input.url);
      return new Response('{"detail":"Not found."}', {
        status: 404,
        headers: { "content-type": "application/json" },
      });
    },
  });
  return { client, sent };
}

/** What a call did: its value, or what it threw. */
async function outcomeOf(run: () => unknown): Promise<{ error: unknown } | { value: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    recordForRedaction(error);
    return { error };
  }
}

describe("an AbortController passed as signal", () => {
  it("is refused with a hint, sends nothing, and nothing throws later", async () => {
    const { client, sent } = recordingClient();
    const controller = new AbortController();
    const outcome = await outcomeOf(() =>
      client.connections.retrieve(ID, { signal: controller as never }),
    );
    expect("error" in outcome && outcome.error).toBeInstanceOf(NectarInvalidInputError);
    expect("error" in outcome && (outcome.error as Error).message).toBe(
      "signal must be an AbortSignal, got an AbortController: pass controller.signal.",
    );
    await outlast();
    expect(sent).toEqual([]);
    expect(uncaught).toEqual([]);
  });
});

describe("header values", () => {
  const BAD = [
    ["a character above U+00FF", `${TEST_API_KEY}\u0100`],
    ["an emoji", `${TEST_API_KEY}🔑`],
    ["a control character", `${TEST_API_KEY.slice(0, 10)}\u0001${TEST_API_KEY.slice(10)}`],
    ["DEL", `${TEST_API_KEY}\u007f`],
    ["a line break", `${TEST_API_KEY}\r\nx-evil: 1`],
    ["a leading tab", `\t${TEST_API_KEY}`],
  ] as const;

  it.each(BAD)("an apiKey with %s is refused at creation, without quoting it", (_what, key) => {
    let thrown: unknown;
    try {
      createNectarClient({ apiKey: key });
    } catch (error) {
      thrown = error;
    }
    recordForRedaction(thrown);
    expect(thrown).toBeInstanceOf(NectarInvalidInputError);
    const message = (thrown as Error).message;
    // One fixed message, whatever the key: no part of it, no position, no length, no code point.
    expect(message).toBe(
      "apiKey must be a string an HTTP header can carry: visible ASCII or Latin-1 characters, " +
        "no control characters or line breaks, no surrounding spaces (its value is not shown).",
    );
  });

  it.each(BAD)("a userAgent with %s is refused at creation", (_what, agent) => {
    expect(() => createNectarClient({ apiKey: TEST_API_KEY, userAgent: agent })).toThrow(
      NectarInvalidInputError,
    );
  });

  it("accepts what a header can carry: visible ASCII, Latin-1, inner spaces", () => {
    for (const key of [TEST_API_KEY, 'nk_"quoted"\\x', "nk_caf\u00e9_key", "nk key"]) {
      expect(createNectarClient({ apiKey: key }).baseUrl).toMatch(/^https:/);
    }
  });
});

/** Per-call options: arbitrary values, and plausible ones with a bad field among them. */
const callOptions = fc.oneof(
  fc.anything(),
  fc.record(
    {
      signal: fc.oneof(
        fc.constant(new AbortController()),
        fc.constant(AbortSignal.abort()),
        fc.constant(new AbortController().signal),
        fc.anything(),
      ),
      timeoutMs: fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double(), fc.anything()),
      maxRetries: fc.oneof(fc.integer({ min: -2, max: 2 }), fc.anything()),
      maxResponseBytes: fc.oneof(fc.integer({ min: -2, max: 1 << 20 }), fc.anything()),
      dashboardUrl: fc.oneof(fc.webUrl(), fc.anything()),
    },
    { requiredKeys: [] },
  ),
);
const ids = fc.oneof(fc.anything(), fc.uuid(), fc.constant(ID), fc.string());

/** One call of one public function with arbitrary arguments. */
type Plan =
  | { kind: "createNectarClient"; options: unknown }
  | { kind: "retrieve" | "updateLink" | "withResponse"; id: unknown; options: unknown }
  | { kind: "updateLinkUrl"; connection: unknown; options: unknown }
  | { kind: "connectionHealth"; value: unknown }
  | { kind: "raw.GET"; path: unknown; init: unknown };

const plans: fc.Arbitrary<Plan> = fc.oneof(
  fc.record({
    kind: fc.constant("createNectarClient" as const),
    options: fc.oneof(
      fc.anything(),
      fc.dictionary(
        fc.constantFrom("apiKey", "baseUrl", "timeoutMs", "logger", "userAgent", "fetch", "x"),
        fc.anything(),
      ),
    ),
  }),
  fc.record({
    kind: fc.constantFrom("retrieve" as const, "updateLink" as const, "withResponse" as const),
    id: ids,
    options: callOptions,
  }),
  fc.record({
    kind: fc.constant("updateLinkUrl" as const),
    connection: fc.oneof(fc.anything(), fc.constant(connections.seed())),
    options: fc.oneof(fc.anything(), fc.record({ dashboardUrl: fc.anything() })),
  }),
  fc.record({ kind: fc.constant("connectionHealth" as const), value: fc.anything() }),
  fc.record({
    kind: fc.constant("raw.GET" as const),
    path: fc.oneof(fc.anything(), fc.constant("/connection/{connection_id}")),
    init: fc.anything(),
  }),
);

/** Runs a plan against a fresh recording client; the loose calls are the point of the test. */
function run(plan: Plan, client: NectarClient): () => unknown {
  const loose = <F>(f: F) => f as (...args: unknown[]) => unknown;
  switch (plan.kind) {
    case "createNectarClient":
      return () => loose(createNectarClient)(plan.options);
    case "retrieve":
      return () =>
        loose(client.connections.retrieve.bind(client.connections))(plan.id, plan.options);
    case "updateLink":
      return () =>
        loose(client.connections.updateLink.bind(client.connections))(plan.id, plan.options);
    case "withResponse":
      return () =>
        (
          loose(client.connections.retrieve.bind(client.connections))(plan.id, plan.options) as {
            withResponse(): Promise<unknown>;
          }
        ).withResponse();
    case "updateLinkUrl":
      return () => loose(updateLinkUrl)(plan.connection, plan.options);
    case "connectionHealth":
      return () => loose(connectionHealth)(plan.value);
    case "raw.GET":
      return () => loose(client.raw.GET)(plan.path, plan.init);
  }
}

describe("every public function with arbitrary arguments", () => {
  it("throws only NectarErrors, sends nothing it refused, and leaves nothing that throws later (1 000 cases)", async () => {
    const counts: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(plans, async (plan) => {
        counts[plan.kind] = (counts[plan.kind] ?? 0) + 1;
        const { client, sent } = recordingClient();
        const outcome = await outcomeOf(run(plan, client));
        if (plan.kind === "connectionHealth") {
          expect(outcome).toHaveProperty("value.group");
          return;
        }
        if (!("error" in outcome)) return;
        const { error } = outcome;
        // raw is openapi-fetch's own API: its Request constructor may throw a TypeError first.
        const documented = plan.kind === "raw.GET" && error instanceof TypeError;
        expect(isNectarError(error) || documented, String(error)).toBe(true);
        if (error instanceof NectarInvalidInputError) expect(sent).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
    await outlast();
    expect(uncaught).toEqual([]);
    // Every function was exercised.
    expect(Object.keys(counts).sort()).toEqual(
      [
        "connectionHealth",
        "createNectarClient",
        "raw.GET",
        "retrieve",
        "updateLink",
        "updateLinkUrl",
        "withResponse",
      ].sort(),
    );
  });
});
