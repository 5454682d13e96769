/**
 * Redirect decisions the hostile tests did not reach: a 3xx without `Location` is the answer
 * (as fetch does), over a real socket; and a same-origin redirect whose body is `null` (an
 * injected fetch may build one) is followed, not turned into a failure by discarding the body.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNectarClient, NectarApiError, NectarRedirectError } from "../../src/index.js";
import { createObservedClient, json, seedFor } from "../helpers/client.js";
import { connections } from "../helpers/fixtures.js";
import {
  closeAll,
  failureOf,
  type HostileServer,
  optionsFor,
  startServer,
} from "../hostile/servers.js";

const ID = connections.passwordIncorrect().id;

let api: HostileServer;
beforeAll(async () => {
  api = await startServer((_request, response) => {
    response.writeHead(302, { "content-type": "text/plain" }); // no Location
    response.end("moved, but where?");
  });
});
afterAll(closeAll);

describe("a redirect status without Location", () => {
  it("is the answer: an API error with that status, after one request, nothing followed", async () => {
    const error = await failureOf(createNectarClient(optionsFor(api)).connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarApiError);
    expect(error).not.toBeInstanceOf(NectarRedirectError);
    expect(error).toMatchObject({ status: 302, attempts: 1 });
    expect(api.requests.map((seen) => seen.url)).toEqual([`/v2.2/connection/${ID}`]);
  });
});

describe("a same-origin redirect with a null body", () => {
  it("is followed", async () => {
    const { client, requests } = createObservedClient((request) =>
      request.index === 1
        ? new Response(null, { status: 307, headers: { location: `${request.url}/` } })
        : json(200, seedFor({ url: request.url })),
    );
    await expect(client.connections.retrieve(ID)).resolves.toMatchObject({ id: ID });
    expect(requests.map((seen) => new URL(seen.url).pathname)).toEqual([
      `/v2.2/connection/${ID}`,
      `/v2.2/connection/${ID}/`,
    ]);
  });
});
