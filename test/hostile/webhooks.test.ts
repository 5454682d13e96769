/**
 * A webhook receiver under attack, over real sockets: a `verifyWebhookRequest` handler served
 * by node:http on 127.0.0.1, and a client that streams what an attacker would send: huge bodies
 * without a signature, with a declared or an undeclared length, replays, forgeries. Each is
 * refused with its reason, and the server has read no more of the body than the cap allows.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createWebhookDeduper,
  NectarWebhookVerificationError,
  verifyWebhookRequest,
} from "../../src/index.ts";
import { type FetchServer, startFetchServer } from "../helpers/fetch-server.ts";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "../helpers/fixtures.ts";
import { signedDelivery, standardSign } from "../helpers/webhooks.ts";
import { recordForRedaction } from "../setup/redaction.ts";

const MAX_BODY_BYTES = 64 * 1024;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const CHUNK = Buffer.alloc(64 * 1024, 0x20);

let server: FetchServer;
const deduper = createWebhookDeduper();

beforeAll(async () => {
  server = await startFetchServer(async (request) => {
    try {
      const event = await verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, {
        maxBodyBytes: MAX_BODY_BYTES,
      });
      const fresh = deduper.claim(event.messageId);
      return new Response(fresh ? event.type : "duplicate", { status: 200 });
    } catch (error) {
      recordForRedaction(error);
      if (!(error instanceof NectarWebhookVerificationError)) throw error;
      return new Response(error.reason, { status: 400 });
    }
  });
});
afterAll(() => server?.close());

/** What the client got back. */
interface Answer {
  status: number;
  text: string;
}

/**
 * POSTs `headers` and a body: `body` as is, or `streamBytes` of spaces written chunk by chunk
 * (honouring back-pressure) until they are all sent or the server answers or hangs up.
 */
function post(
  headers: Record<string, string>,
  body: { text: string } | { streamBytes: number },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(`${server.url}/webhooks/nectar`, { method: "POST", headers });
    let answered = false;
    outgoing.on("response", (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
      );
    });
    outgoing.on("error", (error) => {
      if (!answered) reject(error);
    });
    if ("text" in body) {
      outgoing.end(body.text);
      return;
    }
    let left = body.streamBytes;
    const write = (): void => {
      while (left > 0 && !answered && !outgoing.destroyed) {
        left -= CHUNK.length;
        if (!outgoing.write(CHUNK)) return void outgoing.once("drain", write);
      }
      if (left <= 0) outgoing.end();
    };
    write();
  });
}

describe("a receiver built on verifyWebhookRequest, over a real socket", () => {
  const { body, headers } = signedDelivery(webhookPayloads.created(), {
    timestamp: nowSeconds(),
    id: "msg_hostile_1",
  });

  test("a signed delivery is accepted, and its replay is recognised as a duplicate", async () => {
    expect(await post(headers, { text: body })).toEqual({
      status: 200,
      text: "connection.created.v2",
    });
    expect(await post(headers, { text: body })).toEqual({ status: 200, text: "duplicate" });
  });

  test("an unsigned 200 MB body is refused (missing_header) with almost none of it read", async () => {
    const answer = await post(
      { "content-type": "application/json", "transfer-encoding": "chunked" },
      { streamBytes: 200 * 1024 * 1024 },
    );
    expect(answer).toEqual({ status: 400, text: "missing_header" });
    expect(server.bytesReadAtAnswer.at(-1)).toBeLessThan(4 * MAX_BODY_BYTES);
  });

  test("a signed header set with a declared 200 MB body is refused unread (body_too_large)", async () => {
    const answer = await post(
      {
        ...standardSign("x", { timestamp: nowSeconds() }),
        "content-length": String(200 * 1024 * 1024),
      },
      { streamBytes: 200 * 1024 * 1024 },
    );
    expect(answer).toEqual({ status: 400, text: "body_too_large" });
    expect(server.bytesReadAtAnswer.at(-1)).toBeLessThan(4 * MAX_BODY_BYTES);
  });

  test("a chunked body that never ends is cut off at the cap (body_too_large)", async () => {
    const answer = await post(
      { ...standardSign("x", { timestamp: nowSeconds() }), "transfer-encoding": "chunked" },
      { streamBytes: 200 * 1024 * 1024 },
    );
    expect(answer).toEqual({ status: 400, text: "body_too_large" });
    expect(server.bytesReadAtAnswer.at(-1)).toBeLessThan(4 * MAX_BODY_BYTES);
  });

  test("a forged signature, a replay from last hour and a re-serialised body are refused", async () => {
    const hourAgo = nowSeconds() - 3600;
    const reserialised = JSON.stringify(JSON.parse(body), null, 1);
    const forged = { ...headers, "svix-signature": `v1,${Buffer.alloc(32).toString("base64")}` };
    expect(await post(forged, { text: body })).toEqual({
      status: 400,
      text: "no_matching_signature",
    });
    expect(await post(standardSign(body, { timestamp: hourAgo }), { text: body })).toEqual({
      status: 400,
      text: "timestamp_too_old",
    });
    expect(await post(headers, { text: reserialised })).toEqual({
      status: 400,
      text: "no_matching_signature",
    });
  });
});
