/** `client.connections`: each method delegates to the client; these pin what it adds. */
import { describe, expect, it } from "vitest";
import { NectarInvalidInputError, NectarNotFoundError, NectarPromise } from "../src/index.js";
import { createObservedClient, json, rejectionOf } from "./helpers/client.js";
import { connections, errorBodies } from "./helpers/fixtures.js";

const connection = connections.passwordIncorrect();

describe("connections.retrieve", () => {
  it("returns a NectarPromise of the connection, with the full result on demand", async () => {
    const { client } = createObservedClient(() => json(200, connection, { "x-request-id": "r-7" }));
    const call = client.connections.retrieve(connection.id);
    expect(call).toBeInstanceOf(NectarPromise);
    expect(await call).toEqual(connection);
    const full = await client.connections.retrieve(connection.id).withResponse();
    expect(full).toMatchObject({ data: connection, attempts: 1, requestId: "r-7" });
    expect(full.response.status).toBe(200);
  });

  it("passes the per-call options on: maxRetries 0 means a single attempt", async () => {
    const { client, requests } = createObservedClient(() => json(503, errorBodies.serverError()));
    await rejectionOf(client.connections.retrieve(connection.id, { maxRetries: 0 }));
    expect(requests).toHaveLength(1);
  });
});

describe("connections.updateLink", () => {
  it("resolves to the documented link and the connection it came from", async () => {
    const { client } = createObservedClient(() => json(200, connection));
    const link = await client.connections.updateLink(connection.id);
    expect(link.url).toBe(
      `https://dash.nectarclimate.com/p/connect/${connection.publicCompanyId}/workflow/${encodeURIComponent(connection.connectionMagicLinkSecret)}`,
    );
    expect(link.connection).toEqual(connection);
  });

  it("uses the client's dashboardUrl, or the one given for this link", async () => {
    const { client } = createObservedClient(() => json(200, connection), {
      dashboardUrl: "https://dash.example.test/",
    });
    expect((await client.connections.updateLink(connection.id)).url).toMatch(
      /^https:\/\/dash\.example\.test\/p\/connect\//,
    );
    const other = await client.connections.updateLink(connection.id, {
      dashboardUrl: "http://127.0.0.1:8080",
    });
    expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:8080\/p\/connect\//);
  });

  it("refuses a non-https dashboardUrl before sending anything", async () => {
    const { client, requests } = createObservedClient(() => json(200, connection));
    const error = await rejectionOf(
      client.connections.updateLink(connection.id, { dashboardUrl: "http://dash.example.test" }),
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect(requests).toHaveLength(0);
  });

  it("rejects with the API error when the connection does not exist", async () => {
    const { client } = createObservedClient(() => json(404, errorBodies.notFound()));
    const error = await rejectionOf(client.connections.updateLink(connection.id));
    expect(error).toBeInstanceOf(NectarNotFoundError);
  });
});
