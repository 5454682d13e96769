/**
 * Requests as they leave: `client.raw` requests keep their own headers and body (a GET gets no
 * JSON content type; a POST's body arrives), the client's own GET has neither body nor JSON type, and the path in an error message leaves out the
 * query string, which may carry a filter the caller did not mean to log.
 */
import { describe, expect, it } from "vitest";
import { createNectarClient, NectarConnectionError } from "../../src/index.js";
import { json, rejectionOf } from "../helpers/client.js";
import { connections, invitations, TEST_API_KEY } from "../helpers/fixtures.js";

const ID = connections.seed().id;

interface Sent {
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** A client whose fetch records what it is given and answers with `answer`. */
function recordingClient(answer: () => Response) {
  const sent: Sent[] = [];
  const client = createNectarClient({
    apiKey: TEST_API_KEY,
    maxRetries: 0,
    fetch: async (input, init) => {
      const request = typeof input === "string" ? new Request(input, init) : input;
      const raw = init?.body;
      const body =
        raw === undefined || raw === null
          ? undefined
          : new TextDecoder().decode(
              raw instanceof ArrayBuffer ? raw : new TextEncoder().encode(String(raw)),
            );
      sent.push({
        method: init?.method ?? request.method,
        headers: new Headers(init?.headers),
        body,
      });
      return answer();
    },
  });
  return { client, sent };
}

describe("a raw request", () => {
  it("GET: keeps the caller's headers and gets no JSON content type", async () => {
    const { client, sent } = recordingClient(() => json(200, connections.seed()));
    await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
      headers: { "x-trace": "t-1" },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe("GET");
    expect(sent[0]?.headers.get("x-trace")).toBe("t-1");
    expect(sent[0]?.headers.has("content-type")).toBe(false);
    expect(sent[0]?.body).toBeUndefined();
  });

  it("POST: its JSON body arrives", async () => {
    const { client, sent } = recordingClient(() =>
      json(200, { ...invitations.reconnect(), connectionId: ID }),
    );
    await client.raw.POST("/invitation/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
      body: { maxUses: 1 },
    });
    expect(sent[0]?.method).toBe("POST");
    expect(sent[0]?.body).toBe('{"maxUses":1}');
  });
});

describe("the client's own request", () => {
  it("GET: no body and no JSON content type, only the client's headers", async () => {
    const { client, sent } = recordingClient(() => json(200, connections.seed()));
    await client.connections.retrieve(ID);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe("GET");
    expect(sent[0]?.body).toBeUndefined();
    expect(sent[0]?.headers.has("content-type")).toBe(false);
    expect(sent[0]?.headers.get("x-api-key")).toBe(TEST_API_KEY);
  });

  it("POST: its JSON body, with the client's headers and the JSON content type", async () => {
    const { client, sent } = recordingClient(() =>
      json(200, { ...invitations.reconnect(), connectionId: ID }),
    );
    await client.invitations.createReconnect(ID, { maxUses: 1 });
    expect(sent[0]?.method).toBe("POST");
    expect(sent[0]?.body).toBe('{"maxUses":1}');
    expect(sent[0]?.headers.get("content-type")).toBe("application/json");
    expect(sent[0]?.headers.get("x-api-key")).toBe(TEST_API_KEY);
  });
});

describe("the path in a connection error's message", () => {
  it("leaves out the query string", async () => {
    const { client } = recordingClient(() => {
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    });
    const error = await rejectionOf(client.connections.list(ID, { limit: 7 }).toArray());
    expect(error).toBeInstanceOf(NectarConnectionError);
    const message = (error as Error).message;
    expect(message).toMatch(/^GET \/\S+ failed: /);
    expect(message).not.toContain("?");
    expect(message).not.toContain("limit");
  });
});
