/**
 * Hostile bodies over real sockets: too large (declared or counted, plain or gzip), error bodies
 * of any size or depth, and bodies that echo the key (raw, JSON-escaped, percent-encoded) or a
 * magic-link secret. Every call ends in a typed error with nothing secret in it.
 */
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  createNectarClient,
  NectarApiError,
  type NectarClientOptions,
  NectarResponseTooLargeError,
  NectarServerError,
} from "../../src/index.js";
import { connections } from "../helpers/fixtures.js";
import { renderings } from "../setup/redaction.js";
import {
  closeAll,
  failureOf,
  type HostileHandler,
  type HostileServer,
  optionsFor,
  startServer,
} from "./servers.js";

const CONNECTION = connections.passwordIncorrect();
const ID = CONNECTION.id;
const SECRET = CONNECTION.connectionMagicLinkSecret;

let server: HostileServer | undefined;
/** Bytes the current test's server managed to write before the client went away. */
let written = 0;

beforeEach(() => {
  written = 0;
});
afterAll(closeAll);

/** A client on a fresh server answering with `handler`. */
async function clientOn(handler: HostileHandler, options: NectarClientOptions = {}) {
  server = await startServer(handler);
  return createNectarClient(optionsFor(server, { maxRetries: 2, ...options }));
}

/** Writes `total` bytes of `chunk` repeated (forever when `total` is Infinity), as the socket accepts them. */
function pour(response: import("node:http").ServerResponse, chunk: Buffer, total: number): void {
  const more = () => {
    while (written < total) {
      written += chunk.length;
      if (!response.write(chunk)) return;
    }
    response.end();
  };
  response.on("drain", more);
  response.on("close", () => response.off("drain", more));
  more();
}

const MiB = 1024 * 1024;

describe("a 2xx body over maxResponseBytes", () => {
  it("declared by Content-Length (50 MB) is refused before it is read, and not retried", async () => {
    const client = await clientOn(
      (_request, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": 50 * MiB });
        pour(response, Buffer.alloc(64 * 1024, 32), 50 * MiB);
      },
      { maxResponseBytes: 64 * 1024 },
    );
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarResponseTooLargeError);
    expect(error).toMatchObject({ status: 200, maxResponseBytes: 64 * 1024 });
    expect((error as Error).message).toBe(
      `GET /connection/${ID} returned status 200, but the body is larger than maxResponseBytes (65536 bytes).`,
    );
    expect(server?.requests).toHaveLength(1);
    // The socket was closed early: at most socket buffers' worth was written, not 50 MB.
    expect(written).toBeLessThan(16 * MiB);
  });

  it("declared by Content-Length and then withheld is refused at the headers, not at the timeout", async () => {
    const client = await clientOn(
      (_request, response) => {
        response.writeHead(200, { "content-type": "application/json", "content-length": 10 * MiB });
        response.flushHeaders(); // and no body: only the declaration can tell
      },
      { maxResponseBytes: MiB, timeoutMs: 60_000 },
    );
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarResponseTooLargeError);
  });

  it("sent without a length and never ending is cut at the limit, not at the timeout", async () => {
    const client = await clientOn(
      (_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        pour(response, Buffer.alloc(16 * 1024, 32), Number.POSITIVE_INFINITY);
      },
      { maxResponseBytes: 256 * 1024, timeoutMs: 60_000 },
    );
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarResponseTooLargeError);
    expect(server?.requests).toHaveLength(1);
    expect(written).toBeLessThan(32 * MiB);
  });

  it("counts decoded bytes: 8 MB of gzip-compressed zeros (8 KB on the wire) is too large for 1 MiB", async () => {
    const zipped = gzipSync(Buffer.alloc(8 * MiB));
    expect(zipped.length).toBeLessThan(64 * 1024);
    const client = await clientOn(
      (_request, response) => {
        response.writeHead(200, {
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": zipped.length,
        });
        response.end(zipped);
      },
      { maxResponseBytes: MiB },
    );
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarResponseTooLargeError);
  });

  it("exactly maxResponseBytes long is read whole: the limit is inclusive", async () => {
    const body = JSON.stringify(CONNECTION);
    const client = await clientOn(
      (_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(body); // no Content-Length: only counting the bytes can tell
      },
      { maxResponseBytes: Buffer.byteLength(body) },
    );
    expect(await client.connections.retrieve(ID)).toEqual(CONNECTION);
  });

  it("a per-call maxResponseBytes overrides the client's", async () => {
    const client = await clientOn((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(CONNECTION));
    });
    expect(await client.connections.retrieve(ID)).toEqual(CONNECTION);
    const error = await failureOf(client.connections.retrieve(ID, { maxResponseBytes: 100 }));
    expect(error).toBeInstanceOf(NectarResponseTooLargeError);
    expect(error).toMatchObject({ maxResponseBytes: 100 });
  });
});

describe("no body at all", () => {
  it("a 204 is a success with nothing to read", async () => {
    const client = await clientOn((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    const { data, error, response } = await client.raw.GET("/connection/{connection_id}", {
      params: { path: { connection_id: ID } },
    });
    expect([response.status, data, error]).toEqual([204, undefined, undefined]);
  });

  it("a 304 is a NectarApiError with an empty body", async () => {
    const client = await clientOn((_request, response) => {
      response.writeHead(304);
      response.end();
    });
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarApiError);
    expect(error).toMatchObject({ status: 304, body: "", bodyTruncated: false });
    expect((error as Error).message).toMatch(/\(empty body\)\.$/);
  });
});

describe("error bodies", () => {
  it("a 300 MB 503 keeps 8 KiB of its body, marked truncated, and reads no more", async () => {
    const client = await clientOn(
      (_request, response) => {
        response.writeHead(503, { "content-type": "text/plain", "content-length": 300 * MiB });
        pour(response, Buffer.alloc(64 * 1024, 120), 300 * MiB);
      },
      { maxRetries: 0 },
    );
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarServerError);
    expect(error).toMatchObject({ status: 503, bodyTruncated: true });
    expect((error as NectarServerError).body).toBe("x".repeat(8 * 1024));
    expect(written).toBeLessThan(32 * MiB);
  });

  it.each([
    ["100 000 levels deep", 100_000],
    ["4 000 levels deep (fits in 8 KiB)", 4_000],
  ])("a 4xx body nested %s is a NectarApiError, not a RangeError", async (_what, depth) => {
    const body = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const client = await clientOn((_request, response) => {
      response.writeHead(422, { "content-type": "application/json" });
      response.end(body);
    });
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarApiError);
    expect(error).toMatchObject({ status: 422 });
    expect(typeof (error as NectarApiError).body).toBe("string");
    expect(() => JSON.stringify(error)).not.toThrow();
    expect(() => inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toThrow();
  });

  it("a magic-link secret in a 4xx or 5xx body is masked, in the body and the message", async () => {
    const client = await clientOn(
      (request, response) => {
        const status = request.url?.includes("5") ? 500 : 409;
        response.writeHead(status, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            detail: `conflict on ${SECRET}`,
            connection: CONNECTION,
            token: "inv_tok_0123456789abcdef",
          }),
        );
      },
      { maxRetries: 0 },
    );
    for (const id of [ID, "55555555-5555-4555-8555-555555555555"]) {
      const error = await failureOf(client.connections.retrieve(id));
      expect(error).toBeInstanceOf(NectarApiError);
      const body = (error as NectarApiError).body as {
        connection: typeof CONNECTION;
        token: string;
        detail: string;
      };
      expect(body.connection.connectionMagicLinkSecret).toBe("[redacted]");
      expect(body.token).toBe("[redacted]");
      expect(body.connection.id).toBe(ID);
      for (const text of renderings(error)) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain("inv_tok_0123456789abcdef");
      }
    }
  });
});

describe("a key that a server echoes in another form", () => {
  // Valid in a header (visible ASCII), but JSON escapes `"` and `\`, and percent-encoding `%`.
  const ODD_KEY = 'nk_test_"quoted"\\back%slash_5f2c9e1a7b3d';
  const forms = [ODD_KEY, JSON.stringify(ODD_KEY).slice(1, -1), encodeURIComponent(ODD_KEY)];

  it.each([
    ["a JSON 401 quoting it", 401, "json"],
    ["a text 502 quoting it JSON-escaped", 502, "escaped"],
    ["an HTML 400 quoting it percent-encoded", 400, "percent"],
  ])("%s yields an error without any form of the key", async (_what, status, form) => {
    const client = await clientOn(
      (request, response) => {
        const key = String(request.headers["x-api-key"]);
        const text =
          form === "json"
            ? JSON.stringify({ detail: `Invalid API key: ${key}` })
            : form === "escaped"
              ? `upstream said ${JSON.stringify(key)}`
              : `<html><a href="/?key=${encodeURIComponent(key)}">retry</a></html>`;
        response.writeHead(status, { "content-type": "text/plain", "x-echo": key });
        response.end(text);
      },
      { apiKey: ODD_KEY, maxRetries: 0 },
    );
    const error = await failureOf(client.connections.retrieve(ID));
    expect(error).toBeInstanceOf(NectarApiError);
    expect(server?.requests[0]?.headers["x-api-key"]).toBe(ODD_KEY);
    for (const text of [...renderings(error), inspect(error, { showHidden: true })]) {
      for (const shown of forms) expect(text).not.toContain(shown);
    }
  });
});
