/**
 * Mutation tests of `src/resources/invitations.ts` over a real socket: a retrieved invitation
 * must name itself; one with no `id` (or `id: null`) is refused, not taken on trust.
 */
import { afterAll, describe, expect, test } from "vitest";
import { createNectarClient, NectarInvalidResponseError } from "../../src/index.ts";
import { invitations } from "../helpers/fixtures.ts";
import { closeAll, failureOf, optionsFor, startServer } from "../hostile/servers.ts";

afterAll(closeAll);

const ACTIVE = invitations.detailActive();

describe("invitations.retrieve (mutation)", () => {
  test.each([
    ["absent", undefined],
    ["null", null],
  ])("refuses an answer whose id is %s, without retrying", async (_name, id) => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ...ACTIVE, id }));
    });
    const client = createNectarClient(optionsFor(server, { maxRetries: 0 }));
    const error = await failureOf(client.invitations.retrieve(ACTIVE.id));
    expect(error).toBeInstanceOf(NectarInvalidResponseError);
    expect((error as Error).message).toContain(ACTIVE.id);
    expect(server.requests).toHaveLength(1);
  });
});
