/**
 * One attempt, through an injected fetch (the shapes a custom fetch can produce and a real
 * socket cannot): a thrown non-Error, a cause whose code is not a string, a result that is not a
 * Response, an error body cut at 8 KiB for every non-2xx status (300 included), a declared
 * length of exactly `maxResponseBytes`, and a refused redirect's error without its Location,
 * Content-Location or body; and a NectarInvalidInputError thrown by the fetch, final.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ProxyRefusal } from "../../src/core/proxy.js";
import {
  NectarApiError,
  NectarConnectionError,
  NectarInvalidInputError,
  NectarProxyError,
  NectarRedirectError,
} from "../../src/index.js";
import { createObservedClient, json, rejectionOf, seedFor } from "../helpers/client.js";
import { connections, TEST_API_KEY } from "../helpers/fixtures.js";

const ID = connections.seed().id;
const PATH = `/connection/${ID}`;
const once = { maxRetries: 0 } as const;

describe("a custom fetch that fails oddly", () => {
  it("throwing a string: a connection error that says the connection failed", async () => {
    const { client } = createObservedClient(() => {
      throw "boom";
    }, once);
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect((error as Error).message).toBe(`GET ${PATH} failed: the connection failed.`);
  });

  it("with a cause whose code is a number: the code is not quoted", async () => {
    const { client } = createObservedClient(() => {
      const cause = Object.assign(new Error("socket hang up"), { code: 42 });
      throw new TypeError("fetch failed", { cause });
    }, once);
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect((error as Error).message).toBe(`GET ${PATH} failed: socket hang up.`);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a status without headers", { status: 200 }],
    ["headers without a status", { headers: new Headers() }],
  ])("resolving to %s: a final connection error naming the problem", async (_, value) => {
    const { client, requests } = createObservedClient(() => value as unknown as Response);
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect((error as Error).message).toBe(
      `GET ${PATH} failed: fetch resolved to something that is not a Response.`,
    );
    expect(requests).toHaveLength(1);
  });
});

describe("a custom fetch whose error quotes the key", () => {
  it("gives a cause with the key masked, and keeps a cause that quotes nothing as it is", async () => {
    const leaky = new Error(`refused x-api-key: ${TEST_API_KEY}`);
    const { client } = createObservedClient(() => {
      throw leaky;
    }, once);
    const error = (await rejectionOf(client.connections.retrieve(ID))) as Error;
    expect(error).toBeInstanceOf(NectarConnectionError);
    expect(error.cause).not.toBe(leaky);
    expect((error.cause as Error).message).toBe("refused x-api-key: [redacted]");
    expect(inspect(error, { depth: 5 })).not.toContain(TEST_API_KEY);
    const plain = new Error("socket hang up");
    const second = createObservedClient(() => {
      throw plain;
    }, once);
    expect(((await rejectionOf(second.client.connections.retrieve(ID))) as Error).cause).toBe(
      plain,
    );
  });
});

describe("a NectarInvalidInputError thrown by the fetch (a proxy that cannot load)", () => {
  it("is the call's error, as is, and final: not retried", async () => {
    const thrown = new NectarInvalidInputError("proxy: the proxy URL is not valid.");
    const { client, requests } = createObservedClient(() => {
      throw thrown;
    });
    expect(await rejectionOf(client.connections.retrieve(ID))).toBe(thrown);
    expect(requests).toHaveLength(1);
  });
});

describe("a tunnel the proxy refused", () => {
  it("is a NectarProxyError whose message names the call and what to check", async () => {
    const { client } = createObservedClient(() => {
      throw new ProxyRefusal(403);
    });
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarProxyError);
    expect((error as Error).message).toBe(
      `GET ${PATH} failed: the proxy refused the tunnel with 403: check that it allows CONNECT to the API's host, or list the host in NO_PROXY.`,
    );
  });
});

describe("the body kept of an answer that is not 2xx", () => {
  it.each([300, 404])("is cut at 8 KiB for %i", async (status) => {
    const { client } = createObservedClient(
      () => new Response("y".repeat(20_000), { status, headers: { "content-type": "text/plain" } }),
      once,
    );
    const error = await rejectionOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarApiError);
    expect(error).toMatchObject({ status, bodyTruncated: true });
    expect((error as NectarApiError).body).toBe("y".repeat(8 * 1024));
  });
});

describe("a declared Content-Length of exactly maxResponseBytes", () => {
  it("is read and accepted", async () => {
    const body = (url: string) => JSON.stringify(seedFor({ url }));
    const size = new TextEncoder().encode(body(`https://x.example/v2.2${PATH}`)).byteLength;
    const { client } = createObservedClient(
      (request) =>
        new Response(body(request.url), {
          headers: { "content-type": "application/json", "content-length": String(size) },
        }),
      { maxResponseBytes: size },
    );
    await expect(client.connections.retrieve(ID)).resolves.toMatchObject({ id: ID });
  });
});

describe("a redirect refused", () => {
  it("keeps the other headers, drops Location and Content-Location, and has no body", async () => {
    const { client } = createObservedClient(() =>
      json(
        302,
        { moved: true },
        {
          location: "https://elsewhere.example/steal",
          "content-location": "https://elsewhere.example/steal",
          "x-request-id": "req-302",
        },
      ),
    );
    const error = (await rejectionOf(client.connections.retrieve(ID))) as NectarRedirectError;
    expect(error).toBeInstanceOf(NectarRedirectError);
    expect(error.body).toBe("");
    expect(error.headers["x-request-id"]).toBe("req-302");
    expect(error.headers).not.toHaveProperty("location");
    expect(error.headers).not.toHaveProperty("content-location");
  });
});
