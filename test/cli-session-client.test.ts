/**
 * The session's client: every method of every resource carries the run's signal, so that a
 * command cannot reach the network without it. Over a real socket: each call, hanging, ends
 * with `NectarAbortError` when the signal aborts; none starts once it has.
 */
import { afterEach, describe, expect, it } from "vitest";
import { bindSignal, OPTIONS_ARGUMENT, type SessionClient } from "../src/cli/session-client.js";
import { createNectarClient, NectarAbortError } from "../src/index.js";
import { ConnectionsResource } from "../src/resources/connections.js";
import { InvitationsResource } from "../src/resources/invitations.js";
import { hang, startApi, type TestApi } from "./helpers/cli-server.js";
import { connections, invitations, TEST_API_KEY } from "./helpers/fixtures.js";

const CONNECTION = connections.passwordIncorrect().id;
const INVITATION = invitations.detailActive().id;
const COMPANY = "0b6f3c2a-9d4e-4f1a-8c7b-2e5d9a1f3c48";

/** The methods a class's instances have (its prototype's functions, the constructor aside). */
const methodsOf = (type: { prototype: object }) =>
  Object.getOwnPropertyNames(type.prototype)
    .filter((name) => name !== "constructor")
    .filter((name) => typeof Reflect.get(type.prototype, name) === "function")
    .sort();

/** One call of each method, as a command would make it. */
const CALLS: Record<string, (client: SessionClient) => Promise<unknown>> = {
  "connections.list": async (client) => {
    for await (const _ of client.connections.list(COMPANY)) {
      // drained
    }
  },
  "connections.retrieve": (client) => client.connections.retrieve(CONNECTION),
  "connections.retrieveMany": async (client) => {
    for await (const _ of client.connections.retrieveMany([CONNECTION])) {
      // drained
    }
  },
  "connections.updateLink": (client) => client.connections.updateLink(CONNECTION),
  "connections.waitFor": (client) => client.connections.waitFor(CONNECTION),
  "invitations.createReconnect": (client) => client.invitations.createReconnect(CONNECTION),
  "invitations.retrieve": (client) => client.invitations.retrieve(INVITATION),
  "invitations.revoke": (client) => client.invitations.revoke(INVITATION),
  ping: (client) => client.ping(),
};

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** A session client on a server that never answers, and the controller of its signal. */
async function hangingSession() {
  api = await startApi(hang);
  const stop = new AbortController();
  const client = createNectarClient({ apiKey: TEST_API_KEY, baseUrl: api.baseUrl });
  return { client: bindSignal(client, stop.signal), stop, api };
}

describe("the session client", () => {
  it("lists every method of every resource, and nothing else", () => {
    expect(Object.keys(OPTIONS_ARGUMENT.connections).sort()).toEqual(
      methodsOf(ConnectionsResource),
    );
    expect(Object.keys(OPTIONS_ARGUMENT.invitations).sort()).toEqual(
      methodsOf(InvitationsResource),
    );
    const listed = Object.entries(OPTIONS_ARGUMENT).flatMap(([resource, methods]) =>
      Object.keys(methods).map((method) => `${resource}.${method}`),
    );
    // The client's own methods (ping) are bound one by one in bindSignal.
    const own = Object.keys(createNectarClient({ apiKey: TEST_API_KEY })).filter(
      (key) => !["connections", "invitations", "raw", "baseUrl"].includes(key),
    );
    expect(own).toEqual(["ping"]);
    expect(Object.keys(CALLS).sort()).toEqual([...listed, ...own].sort());
  });

  it.each(Object.keys(CALLS))(
    "%s, hanging, ends with NectarAbortError when the run's signal aborts",
    async (name) => {
      const session = await hangingSession();
      const call = CALLS[name]?.(session.client);
      await session.api.arrived();
      session.stop.abort(new Error("stopped"));
      await expect(call).rejects.toBeInstanceOf(NectarAbortError);
    },
  );

  it.each(Object.keys(CALLS))("%s sends nothing once the run's signal aborted", async (name) => {
    const session = await hangingSession();
    session.stop.abort(new Error("stopped"));
    await expect(CALLS[name]?.(session.client)).rejects.toBeInstanceOf(NectarAbortError);
    expect(session.api.requests).toEqual([]);
  });

  it("refuses a signal of the caller's own: the run's is the one", async () => {
    const session = await hangingSession();
    const own = new AbortController().signal;
    expect(() => session.client.connections.retrieve(CONNECTION, { signal: own })).toThrow(
      TypeError,
    );
    expect(session.api.requests).toEqual([]);
  });

  it("keeps the options a call is given, and the rest of the client", async () => {
    const session = await hangingSession();
    const call = session.client.invitations.createReconnect(CONNECTION, { maxUses: 2 });
    await session.api.arrived();
    session.stop.abort(new Error("stopped"));
    await expect(call).rejects.toBeInstanceOf(NectarAbortError);
    expect(session.api.requests).toEqual([`POST /v2.2/invitation/connection/${CONNECTION}`]);
    expect(session.client.baseUrl).toBe(session.api.baseUrl);
    expect(typeof session.client.connections.retrieve).toBe("function");
  });
});
