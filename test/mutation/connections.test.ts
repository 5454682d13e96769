/**
 * Mutation tests of `src/resources/connections.ts` over a real socket: `updateLink` refuses an
 * unknown option by name, before anything is sent.
 */
import { afterAll, describe, expect, test } from "vitest";
import { createNectarClient, NectarInvalidInputError } from "../../src/index.ts";
import { connections } from "../helpers/fixtures.ts";
import { closeAll, failureOf, optionsFor, startServer } from "../hostile/servers.ts";

afterAll(closeAll);

describe("connections.updateLink (mutation)", () => {
  test("names updateLink in the error for an unknown option, and sends nothing", async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(500).end();
    });
    const client = createNectarClient(optionsFor(server));
    const id = connections.passwordIncorrect().id;
    const error = await failureOf(client.connections.updateLink(id, { bogus: 1 } as never));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toContain('Unknown updateLink option "bogus"');
    expect(server.requests).toHaveLength(0);
  });
});
