/**
 * The signature headers, in every shape a framework hands them over: a Fetch `Headers`, a plain
 * object with names in any case, Node's `IncomingHttpHeaders` with arrays; Svix's names and the
 * white-labelled `webhook-*` ones. A missing or empty header fails closed.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { verifyWebhook } from "../../src/index.ts";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "../helpers/fixtures.ts";
import { clockAt, NOW_SECONDS, refusal, signedDelivery, unbranded } from "../helpers/webhooks.ts";

const atNow = { now: clockAt(NOW_SECONDS) };
const { body, headers } = signedDelivery(webhookPayloads.updated());

/** Node's own `req.headers` for a request with these raw header lines, over a real socket. */
async function nodeHeaders(lines: readonly string[]): Promise<IncomingHttpHeaders> {
  const seen = new Promise<IncomingHttpHeaders>((resolve) => {
    server.once("request", (request: IncomingMessage, response: ServerResponse) => {
      resolve(request.headers);
      response.end();
      request.resume();
    });
  });
  const { port } = server.address() as AddressInfo;
  const socket = connect(port, "127.0.0.1");
  socket.write(
    `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.map((line) => `${line}\r\n`).join("")}Content-Length: 0\r\nConnection: close\r\n\r\n`,
  );
  socket.resume();
  try {
    return await seen;
  } finally {
    socket.destroy();
  }
}

let server: Server;
beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("shapes", () => {
  test.each([
    ["a Fetch Headers", new Headers(headers)],
    ["a plain object", { ...headers }],
    [
      "a plain object with mixed-case names",
      {
        "Svix-Id": headers["svix-id"],
        "SVIX-TIMESTAMP": headers["svix-timestamp"],
        "svix-Signature": headers["svix-signature"],
      },
    ],
    [
      "IncomingHttpHeaders with array values",
      {
        "svix-id": [headers["svix-id"]],
        "svix-timestamp": headers["svix-timestamp"],
        "svix-signature": ["v1,bm90IGl0", headers["svix-signature"]],
        "x-forwarded-for": undefined,
      },
    ],
    ["the webhook-* names", unbranded(headers)],
    ["the webhook-* names in a Fetch Headers", new Headers(unbranded(headers))],
  ])("%s verifies", async (_what, given) => {
    const event = await verifyWebhook(body, given, TEST_WEBHOOK_SECRET, atNow);
    expect(event.type).toBe("connection.updated.v2");
    expect(event.messageId).toBe(headers["svix-id"]);
  });

  test("Node's req.headers from a real socket, names in any case, a signature line repeated", async () => {
    const received = await nodeHeaders([
      `SVIX-ID: ${headers["svix-id"]}`,
      `Svix-Timestamp: ${headers["svix-timestamp"]}`,
      "svix-signature: v1,bm90IGl0",
      `svix-signature: ${headers["svix-signature"]}`,
    ]);
    expect(received["svix-signature"]).toBe(`v1,bm90IGl0, ${headers["svix-signature"]}`);
    await expect(verifyWebhook(body, received, TEST_WEBHOOK_SECRET, atNow)).resolves.toMatchObject({
      type: "connection.updated.v2",
    });
  });

  test("a Headers-like object from another realm (any `get` method) verifies", async () => {
    const lookalike = { get: (name: string) => (headers as Record<string, string>)[name] ?? null };
    await expect(
      verifyWebhook(body, lookalike as unknown as Headers, TEST_WEBHOOK_SECRET, atNow),
    ).resolves.toBeDefined();
  });

  test("svix-* is read first: a junk svix-signature is not rescued by a valid webhook-signature", async () => {
    const both = { ...unbranded(headers), ...headers, "svix-signature": "v1,bm90IGl0" };
    const error = await refusal(verifyWebhook(body, both, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("no_matching_signature");
  });

  test.each([
    ["svix-id", "no_matching_signature"],
    ["svix-timestamp", "invalid_timestamp"],
  ] as const)("%s given twice (an array of two) never verifies: %s", async (name, reason) => {
    const doubled = { ...headers, [name]: [headers[name], headers[name]] };
    const error = await refusal(verifyWebhook(body, doubled, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe(reason);
  });

  test("a plain object with a header named get is still a plain object", async () => {
    const given = { ...headers, get: "not a method" };
    await expect(verifyWebhook(body, given, TEST_WEBHOOK_SECRET, atNow)).resolves.toBeDefined();
  });

  test("an array value with anything but strings in it is no value", async () => {
    for (const value of [[headers["svix-id"], 42], [42], [null]]) {
      const given = { ...headers, "svix-id": value } as unknown as Record<string, string>;
      const error = await refusal(verifyWebhook(body, given, TEST_WEBHOOK_SECRET, atNow));
      expect(error.reason).toBe("missing_header");
    }
  });

  test("properties inherited from a prototype are not headers", async () => {
    const inherited = Object.create(headers) as Record<string, string>;
    const error = await refusal(verifyWebhook(body, inherited, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("missing_header");
  });
});

describe("a missing header", () => {
  test.each(["svix-id", "svix-timestamp", "svix-signature"] as const)(
    "%s absent, empty or blank: missing_header naming it and its webhook-* twin",
    async (name) => {
      const twin = name.replace("svix-", "webhook-");
      for (const value of [undefined, "", "   "]) {
        const given = { ...headers, [name]: value };
        const error = await refusal(verifyWebhook(body, given, TEST_WEBHOOK_SECRET, atNow));
        expect(error.reason).toBe("missing_header");
        expect(error.message).toContain(`the ${name} header (or ${twin})`);
      }
    },
  );

  test.each([
    ["no headers at all", {}],
    ["null", null],
    ["a string", "svix-id: msg_1"],
    ["a non-string value", { ...headers, "svix-id": 42 }],
  ])("%s: missing_header", async (_what, given) => {
    const error = await refusal(verifyWebhook(body, given as never, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("missing_header");
  });
});
