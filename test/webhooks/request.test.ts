/**
 * `verifyWebhookRequest`, the Fetch `Request` form: it verifies what `verifyWebhook` verifies,
 * refuses an unsigned or stale request without reading its body, reads at most `maxBodyBytes`
 * of a streamed body, and refuses a body that was already read.
 */
import { describe, expect, test } from "vitest";
import { NectarInvalidInputError, verifyWebhookRequest } from "../../src/index.ts";
import { rejectionOf } from "../helpers/client.ts";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "../helpers/fixtures.ts";
import { clockAt, NOW_SECONDS, refusal, signedDelivery, unbranded } from "../helpers/webhooks.ts";

const atNow = { now: clockAt(NOW_SECONDS) };
const { body, headers } = signedDelivery(webhookPayloads.validated());
const URL = "https://receiver.example/webhooks/nectar";

/** A request whose body is a stream of `chunks` (each `size` bytes), counting the chunks pulled. */
function streamingRequest(requestHeaders: Record<string, string>, chunks: number, size: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === chunks) return controller.close();
        pulled++;
        controller.enqueue(new Uint8Array(size).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  const request = new Request(URL, {
    method: "POST",
    headers: requestHeaders,
    body: stream,
    duplex: "half",
  } as RequestInit);
  return { request, pulled: () => pulled };
}

describe("verifyWebhookRequest", () => {
  test("verifies a signed Request and returns the typed event", async () => {
    const request = new Request(URL, { method: "POST", headers, body });
    const event = await verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, atNow);
    expect(event).toMatchObject({ type: "connection.validated.v2", messageId: headers["svix-id"] });
  });

  test("reads the webhook-* names from the Request's headers too", async () => {
    const request = new Request(URL, { method: "POST", headers: unbranded(headers), body });
    await expect(verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, atNow)).resolves.toBeDefined();
  });

  test("refuses a tampered body", async () => {
    const request = new Request(URL, { method: "POST", headers, body: body.replace("US", "CA") });
    const error = await refusal(verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("no_matching_signature");
  });

  test.each([
    ["no signature headers", {}, "missing_header"],
    [
      "a stale timestamp",
      { ...headers, "svix-timestamp": String(NOW_SECONDS - 3600) },
      "timestamp_too_old",
    ],
  ])("%s: refused before a byte of the body is read", async (_what, given, reason) => {
    const { request, pulled } = streamingRequest(given, 1000, 1024);
    const error = await refusal(verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe(reason);
    expect(pulled()).toBe(0);
  });

  test("a bad secret is refused before the body is read", async () => {
    const { request, pulled } = streamingRequest(headers, 10, 1024);
    expect((await refusal(verifyWebhookRequest(request, "whsec_", atNow))).reason).toBe(
      "malformed_secret",
    );
    expect(pulled()).toBe(0);
  });

  test("a streamed body over maxBodyBytes stops being read at the cap", async () => {
    const { request, pulled } = streamingRequest(headers, 100_000, 1024); // 100 MB offered
    const options = { ...atNow, maxBodyBytes: 64 * 1024 };
    const error = await refusal(verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, options));
    expect(error.reason).toBe("body_too_large");
    expect(pulled()).toBeLessThanOrEqual(64 + 2);
  });

  test("a body of exactly maxBodyBytes, streamed in chunks, is read whole and verifies", async () => {
    const bytes = new TextEncoder().encode(body);
    const chunks = [bytes.subarray(0, 100), bytes.subarray(100, 101), bytes.subarray(101)];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const request = new Request(URL, {
      method: "POST",
      headers: { ...headers, "content-length": String(bytes.length) },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const options = { ...atNow, maxBodyBytes: bytes.length };
    await expect(
      verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, options),
    ).resolves.toMatchObject({
      type: "connection.validated.v2",
    });
  });

  test("one byte over the cap while streaming is refused, saying how far it read", async () => {
    const { request } = streamingRequest(headers, 3, 1024);
    const options = { ...atNow, maxBodyBytes: 2047 };
    const error = await refusal(verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, options));
    expect(error.message).toContain(
      "the body passed 2048 bytes while being read (reading stopped), more than maxBodyBytes (2047).",
    );
  });

  test("a declared Content-Length over the cap is refused unread", async () => {
    const { request, pulled } = streamingRequest(
      { ...headers, "content-length": String(10 * 1024 * 1024) },
      10,
      1024,
    );
    const error = await refusal(verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("body_too_large");
    expect(error.message).toContain("Content-Length");
    expect(pulled()).toBe(0);
  });

  test("a body already read (request.json() first) is refused: pass the request unread", async () => {
    const request = new Request(URL, { method: "POST", headers, body });
    await request.json();
    const error = await refusal(verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("body_already_parsed");
    expect(error.message).toContain("already read");
  });

  test("a request without a body has nothing signed: no_matching_signature", async () => {
    const request = new Request(URL, { method: "POST", headers });
    const error = await refusal(verifyWebhookRequest(request, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("no_matching_signature");
  });

  test("a Request from another realm (its headers, bodyUsed and body) is accepted", async () => {
    const real = new Request(URL, { method: "POST", headers, body });
    const lookalike = { headers: real.headers, bodyUsed: false, body: real.body };
    await expect(
      verifyWebhookRequest(lookalike as Request, TEST_WEBHOOK_SECRET, atNow),
    ).resolves.toMatchObject({ type: "connection.validated.v2" });
  });

  test("anything but a Request is refused with NectarInvalidInputError", async () => {
    const real = new Request(URL, { method: "POST", headers, body });
    const partial = [
      { bodyUsed: false, body: real.body },
      { headers: real.headers, body: real.body },
      { headers: real.headers, bodyUsed: false },
    ];
    for (const notRequest of partial) {
      const error = await rejectionOf(
        verifyWebhookRequest(notRequest as unknown as Request, TEST_WEBHOOK_SECRET),
      );
      expect(error).toBeInstanceOf(NectarInvalidInputError);
    }
    for (const notRequest of [{ headers, body }, body, undefined]) {
      const error = await rejectionOf(
        verifyWebhookRequest(notRequest as unknown as Request, TEST_WEBHOOK_SECRET),
      );
      expect(error).toBeInstanceOf(NectarInvalidInputError);
      expect((error as Error).message).toContain("verifyWebhook(rawBody, req.headers, secret)");
    }
  });
});
