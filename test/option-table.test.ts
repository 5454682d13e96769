/**
 * Options checked from one declaration: `checkOptions` over a table refuses what the table does
 * not name and accepts `undefined` for what it does. Then, over real sockets against the mock,
 * every public function: `signal: controller` gets the same typed error and hint everywhere,
 * `retrieveMany` honours `maxResponseBytes` (declared through `RequestOptions`), an explicit
 * `undefined` is "not given", and arrays with holes are refused with nothing sent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  aBoolean,
  checkOptions,
  eachElement,
  type OptionTable,
  wholeNumber,
} from "../src/core/option-table.js";
import { CLIENT_OPTION_TABLE, REQUEST_OPTION_TABLE } from "../src/core/options.js";
import {
  createNectarClient,
  type NectarClient,
  NectarInvalidInputError,
  NectarResponseTooLargeError,
  updateLinkUrl,
} from "../src/index.js";
import { type MockServer, startMockServer } from "../src/mock/index.js";
import { UPDATE_LINK_OPTION_TABLE } from "../src/resources/connections.js";
import { CREATE_RECONNECT_OPTION_TABLE } from "../src/resources/invitation-input.js";
import { RETRIEVE_MANY_OPTION_TABLE } from "../src/resources/retrieve-many.js";
import { WAIT_FOR_OPTION_TABLE } from "../src/resources/wait.js";
import { rejectionOf } from "./helpers/client.js";
import { connections, invitations } from "./helpers/fixtures.js";

interface Sample {
  count?: number | undefined;
  on?: boolean | undefined;
}
const SAMPLE: OptionTable<Sample> = { count: wholeNumber(1, 9), on: aBoolean };

/** What `fn` throws (it must throw). */
function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

/** `[ , , value]`: two holes, then a value. */
function holesThen(value: unknown): unknown[] {
  const list: unknown[] = [];
  list[2] = value;
  return list;
}

/** Every key of a table, set to `undefined`. */
const allUndefined = (table: object) =>
  Object.fromEntries(Object.keys(table).map((key) => [key, undefined]));

describe("checkOptions", () => {
  it("returns every key of the table, undefined where none was given", () => {
    expect(checkOptions(undefined, SAMPLE, "sample")).toEqual({ count: undefined, on: undefined });
    expect(checkOptions({ count: 3 }, SAMPLE, "sample")).toEqual({ count: 3, on: undefined });
    expect(checkOptions({ count: undefined, on: false }, SAMPLE, "sample")).toEqual({
      count: undefined,
      on: false,
    });
  });

  it("refuses a key the table does not name, naming both", () => {
    expect(thrownBy(() => checkOptions({ cuont: 3 }, SAMPLE, "sample")).message).toBe(
      'Unknown sample option "cuont"; expected one of count, on.',
    );
  });

  it.each([[null], [[]], ["count"], [3]])("refuses options that are %o", (value) => {
    const error = thrownBy(() => checkOptions(value, SAMPLE, "sample"));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(error.message).toMatch(/^The sample options must be an object/);
  });

  it("passes each given value through its check, named with the prefix", () => {
    expect(thrownBy(() => checkOptions({ count: 10 }, SAMPLE, "s", "fleet.")).message).toBe(
      "fleet.count must be a whole number from 1 to 9, got 10.",
    );
    expect(thrownBy(() => checkOptions({ on: null }, SAMPLE, "s")).message).toBe(
      "on must be true or false, got null.",
    );
  });

  it("does not take an inherited key for a given option, nor a prototype key for a known one", () => {
    expect(thrownBy(() => checkOptions({ toString: 1 }, SAMPLE, "s")).message).toMatch(
      /^Unknown s option "toString"/,
    );
  });
});

describe("eachElement", () => {
  it("checks each element by its index and refuses a hole", () => {
    const check = (value: unknown, at: string) => {
      if (typeof value === "number") return value;
      throw new NectarInvalidInputError(`${at} is not a number`);
    };
    expect(eachElement([1, 2], "list", check)).toEqual([1, 2]);
    expect(thrownBy(() => eachElement(holesThen(3), "list", check)).message).toBe(
      "list[0] is missing: the array has a hole there.",
    );
    expect(thrownBy(() => eachElement([1, "2"], "list", check)).message).toBe(
      "list[1] is not a number",
    );
    expect(thrownBy(() => eachElement("12", "list", check)).message).toMatch(
      /^list must be an array/,
    );
  });
});

describe("every public function, over a real socket", () => {
  let mock: MockServer;
  let client: NectarClient;
  const SEED = connections.seed();
  const ACTIVE = invitations.detailActive();

  beforeAll(async () => {
    mock = await startMockServer();
    client = createNectarClient({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0 });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  const controller = new AbortController();
  const withController = { signal: controller } as unknown as { signal: AbortSignal };

  it.each([
    ["connections.retrieve", () => client.connections.retrieve(SEED.id, withController)],
    ["connections.updateLink", () => client.connections.updateLink(SEED.id, withController)],
    ["connections.waitFor", () => client.connections.waitFor(SEED.id, withController)],
    [
      "connections.retrieveMany",
      async () => {
        for await (const _ of client.connections.retrieveMany([SEED.id], withController)) {
          // never reached
        }
      },
    ],
    [
      "invitations.createReconnect",
      () => client.invitations.createReconnect(SEED.id, withController),
    ],
    ["invitations.retrieve", () => client.invitations.retrieve(ACTIVE.id, withController)],
    ["invitations.revoke", () => client.invitations.revoke(ACTIVE.id, withController)],
    [
      "connections.list",
      async () => {
        const companyId = mock.companyIds[0] ?? "";
        for await (const _ of client.connections.list(companyId, withController)) {
          // never reached
        }
      },
    ],
    ["ping", () => client.ping(withController)],
  ])(
    "%s refuses an AbortController for signal with the same hint, sending nothing",
    async (_, call) => {
      const error = await rejectionOf((async () => call())());
      expect(error).toBeInstanceOf(NectarInvalidInputError);
      expect((error as Error).message).toBe(
        "signal must be an AbortSignal, got an AbortController: pass controller.signal.",
      );
      expect(mock.stats.requests).toBe(0);
    },
  );

  it("retrieveMany honours maxResponseBytes, which its type declares", async () => {
    const results = [];
    for await (const result of client.connections.retrieveMany([SEED.id], {
      maxResponseBytes: 16,
    })) {
      results.push(result);
    }
    expect(results).toHaveLength(1);
    const [only] = results;
    expect(only?.ok).toBe(false);
    expect(only?.ok === false && only.error).toBeInstanceOf(NectarResponseTooLargeError);
  });

  it("takes undefined for every option of every table, as not given", async () => {
    const apiKey = mock.apiKey;
    const fresh = createNectarClient({
      ...allUndefined(CLIENT_OPTION_TABLE),
      apiKey,
      baseUrl: mock.url,
    });
    const perCall = allUndefined(REQUEST_OPTION_TABLE);
    expect((await fresh.connections.retrieve(SEED.id, perCall)).id).toBe(SEED.id);
    const linked = connections.passwordIncorrect();
    const link = await fresh.connections.updateLink(
      linked.id,
      allUndefined(UPDATE_LINK_OPTION_TABLE),
    );
    expect(link.url).toBe(updateLinkUrl(linked));
    const until = (
      await fresh.connections.waitFor(SEED.id, {
        ...allUndefined(WAIT_FOR_OPTION_TABLE),
        until: () => true,
      })
    ).id;
    expect(until).toBe(SEED.id);
    const many = [];
    for await (const result of fresh.connections.retrieveMany(
      [SEED.id],
      allUndefined(RETRIEVE_MANY_OPTION_TABLE),
    )) {
      many.push(result.ok);
    }
    expect(many).toEqual([true]);
    await fresh.invitations.createReconnect(SEED.id, allUndefined(CREATE_RECONNECT_OPTION_TABLE));
    const [created] = mock.stats.log.filter((entry) => entry.method === "POST");
    expect(created).toBeDefined();
    expect(mock.stats.invitationsCreated).toBe(1);
  });

  it("sends no undefined field in the create body: an explicit undefined is left out", async () => {
    const sent = await client.invitations.createReconnect(SEED.id, {
      maxUses: undefined,
      expiresInSeconds: 3_600,
    });
    expect(sent.maxUses).toBeNull(); // the mock's default: the field was not sent
  });

  it("refuses allowedEmails with holes, naming the index, and sends nothing", async () => {
    const error = await rejectionOf(
      client.invitations.createReconnect(SEED.id, {
        allowedEmails: holesThen("a@b.example") as string[],
      }),
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toBe(
      "allowedEmails[0] is missing: the array has a hole there.",
    );
    expect(mock.stats.requests).toBe(0);
    expect(mock.stats.invitationsCreated).toBe(0);
  });

  it("refuses a waitFor until with a hole, before the first poll", async () => {
    const error = await rejectionOf(
      client.connections.waitFor(SEED.id, { until: holesThen("healthy") as ["healthy"] }),
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(/^until\[0\] is missing/);
    expect(mock.stats.requests).toBe(0);
  });
});
