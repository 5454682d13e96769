/**
 * Results keyed by what was asked, over real sockets: an answer whose body names another object
 * (a connection's `id`, an invitation's `id` or `connectionId`) is a `NectarInvalidResponseError`
 * for the id the caller gave, never silently another object: not from `retrieve`, a
 * `retrieveMany` result, `waitFor`, `updateLink`, `invitations.createReconnect` (which would
 * redirect an invitation) or `invitations.retrieve`. Ids compare without regard to case.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  createNectarClient,
  NectarInvalidResponseError,
  type RetrieveManyResult,
} from "../../src/index.js";
import { connections, invitations } from "../helpers/fixtures.js";
import { closeAll, failureOf, type HostileHandler, optionsFor, startServer } from "./servers.js";

afterAll(closeAll);

const ASKED = connections.passwordIncorrect();
const OTHER_ID = "0f0f0f0f-1111-4222-8333-444455556666";
/** Server text a hostile answer might carry: it must never reach a message. */
const HOSTILE_ID = "\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u202e";

/** Answers every request with `body` as JSON (201 for a POST). */
const answering =
  (body: (url: string) => unknown): HostileHandler =>
  (request, response) => {
    response.writeHead(request.method === "POST" ? 201 : 200, {
      "content-type": "application/json",
    });
    response.end(JSON.stringify(body(request.url ?? "")));
  };

/** The last path segment of a request target. */
const lastSegment = (url: string) => url.split("/").pop() ?? "";

async function clientFor(handler: HostileHandler) {
  const server = await startServer(handler);
  return { server, client: createNectarClient(optionsFor(server, { maxRetries: 0 })) };
}

function expectRefused(error: unknown, path: string) {
  expect(error).toBeInstanceOf(NectarInvalidResponseError);
  const { message } = error as Error;
  expect(message).toContain(path);
  expect(message).not.toContain(OTHER_ID);
  expect(message).not.toContain("\u001b");
  expect(message).not.toContain("\u202e");
}

describe("connections", () => {
  it.each([
    ["another connection's id", OTHER_ID],
    ["server text in place of an id", HOSTILE_ID],
    ["no id at all", undefined],
    ["an id that is not a string", 42],
  ])("retrieve refuses an answer with %s", async (_, id) => {
    const { server, client } = await clientFor(answering(() => ({ ...ASKED, id })));
    const error = await failureOf(client.connections.retrieve(ASKED.id));
    expectRefused(error, `/connection/${ASKED.id}`);
    expect((error as Error).message).toMatch(/names another object|has no id/);
    expect(server.requests).toHaveLength(1); // refused, not retried
  });

  it("accepts the id it asked for in either case", async () => {
    const { client } = await clientFor(answering(() => ({ ...ASKED, id: ASKED.id.toUpperCase() })));
    expect((await client.connections.retrieve(ASKED.id)).id).toBe(ASKED.id.toUpperCase());
    expect((await client.connections.retrieve(ASKED.id.toUpperCase())).status).toBe(ASKED.status);
  });

  it("retrieveMany fails only the id whose answer names another, keyed by the id given", async () => {
    const ids = [ASKED.id, connections.seed().id, connections.deactivated().id];
    const { client } = await clientFor(
      answering((url) => {
        const asked = lastSegment(url);
        return { ...ASKED, id: asked === connections.seed().id ? OTHER_ID : asked };
      }),
    );
    const results: RetrieveManyResult[] = [];
    for await (const result of client.connections.retrieveMany(ids)) results.push(result);
    const byId = new Map(results.map((result) => [result.id, result]));
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    const wrong = byId.get(connections.seed().id);
    expect(wrong?.ok).toBe(false);
    expect(wrong?.ok === false && wrong.error).toBeInstanceOf(NectarInvalidResponseError);
    for (const id of [ASKED.id, connections.deactivated().id]) {
      const result = byId.get(id);
      expect(result?.ok && result.connection.id).toBe(id);
    }
  });

  it("waitFor and updateLink reject rather than follow another connection", async () => {
    const { client } = await clientFor(answering(() => ({ ...ASKED, id: OTHER_ID })));
    expectRefused(await failureOf(client.connections.waitFor(ASKED.id)), ASKED.id);
    expectRefused(await failureOf(client.connections.updateLink(ASKED.id)), ASKED.id);
  });
});

describe("invitations", () => {
  const ACTIVE = invitations.detailActive();

  it.each([
    ["another connection", OTHER_ID],
    ["server text", HOSTILE_ID],
  ])("createReconnect refuses an invitation for %s: no redirected invitation", async (_, id) => {
    const { server, client } = await clientFor(
      answering(() => ({ ...invitations.reconnect(), connectionId: id })),
    );
    const error = await failureOf(client.invitations.createReconnect(ASKED.id));
    expectRefused(error, `/invitation/connection/${ASKED.id}`);
    expect((error as Error).message).toMatch(/connectionId names another object/);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ["null", null],
    ["absent", undefined],
    ["the one asked for, upper case", ASKED.id.toUpperCase()],
  ])("createReconnect accepts a connectionId that is %s", async (_, id) => {
    const { client } = await clientFor(
      answering(() => ({ ...invitations.reconnect(), connectionId: id })),
    );
    const invitation = await client.invitations.createReconnect(ASKED.id);
    expect(invitation.id).toBe(invitations.reconnect().id);
  });

  it("retrieve refuses another invitation, and accepts the one asked for", async () => {
    const { client } = await clientFor(answering((url) => ({ ...ACTIVE, id: lastSegment(url) })));
    expect((await client.invitations.retrieve(ACTIVE.id)).id).toBe(ACTIVE.id);
    const { client: lying } = await clientFor(answering(() => ({ ...ACTIVE, id: OTHER_ID })));
    expectRefused(await failureOf(lying.invitations.retrieve(ACTIVE.id)), ACTIVE.id);
  });
});
