/**
 * A verified body becomes a typed event: the spec's three connection events are checked against
 * their schemas (the spec's named examples are the fixtures), anything else passes through as
 * `unknown` with its raw payload, never cast. A known event that breaks its schema is refused.
 */
import { describe, expect, test } from "vitest";
import spec from "../../generated/openapi.json" with { type: "json" };
import { verifyWebhook } from "../../src/index.ts";
import { PAYLOAD_SCHEMAS } from "../../src/webhooks/event.ts";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "../helpers/fixtures.ts";
import {
  clockAt,
  NOW_SECONDS,
  refusal,
  signedDelivery,
  standardSign,
} from "../helpers/webhooks.ts";

const atNow = { now: clockAt(NOW_SECONDS) };

/** Signs `payload` and verifies it at {@link NOW_SECONDS}. */
async function deliver(payload: unknown) {
  const { body, headers } = signedDelivery(payload);
  return verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, atNow);
}

describe("known events", () => {
  test.each([
    ["connection.created.v2", webhookPayloads.created()],
    ["connection.updated.v2", webhookPayloads.updated()],
    ["connection.validated.v2", webhookPayloads.validated()],
  ])("%s comes back typed, with the delivery's id and timestamp", async (type, payload) => {
    const event = await deliver(payload);
    expect(event).toEqual({
      type,
      messageId: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
      timestamp: NOW_SECONDS,
      payload,
    });
  });

  test("an updated event carries protectedChanges and old", async () => {
    const event = await deliver(webhookPayloads.updated());
    if (event.type !== "connection.updated.v2") throw new Error(`got ${event.type}`);
    expect(event.payload.protectedChanges).toEqual(["status"]);
    expect(event.payload.old).toEqual({ status: "PENDING" });
  });

  test("fields the spec does not know, and statuses it does not list, pass (the schema is open)", async () => {
    const payload = { ...webhookPayloads.validated(), status: "SOME_NEW_STATUS", newField: [1] };
    const event = await deliver(payload);
    expect(event).toMatchObject({ type: "connection.validated.v2", payload });
  });

  test("the May 2025 shape (company, datasource, emails, isDuplicated boolean) passes", async () => {
    const payload = { ...webhookPayloads.catalogMay2025(), eventType: "connection.created.v2" };
    await expect(deliver(payload)).resolves.toMatchObject({ type: "connection.created.v2" });
  });

  test.each([
    ["an id that is not a UUID", { id: "not-a-uuid" }, "/id"],
    ["no id", { id: undefined }, ""],
    [
      "a zone-less timestamp with 10 fractional digits",
      { updated: "2024-06-02T06:15:00.1234567890" },
      "/updated",
    ],
    [
      "an account whose isDuplicated is a number",
      { accounts: [{ isDuplicated: 1 }] },
      "/accounts/0/isDuplicated",
    ],
  ])(
    "a created event with %s is refused: invalid_payload at its pointer",
    async (_what, change, pointer) => {
      const payload = { ...webhookPayloads.created(), ...change };
      const error = await refusal(deliver(payload));
      expect(error.reason).toBe("invalid_payload");
      expect(error.violations.map((violation) => violation.pointer)).toContain(pointer);
    },
  );

  test("one violation: the message names its pointer and Ajv's words, and nothing more", async () => {
    const error = await refusal(deliver({ ...webhookPayloads.created(), id: "not-a-uuid" }));
    expect(error.message).toBe(
      'Webhook refused (invalid_payload): the signature is valid but the connection.created.v2 payload does not match the spec: /id must match format "uuid".',
    );
    const bodyWide = await refusal(deliver({ eventType: "connection.validated.v2" }));
    expect(bodyWide.message).toContain(
      "payload does not match the spec: (body) must have required property 'id'.",
    );
  });

  test("an updated event whose protectedChanges are not names is refused", async () => {
    const payload = { ...webhookPayloads.updated(), protectedChanges: [1], old: "PENDING" };
    const error = await refusal(deliver(payload));
    expect(error.reason).toBe("invalid_payload");
    expect(error.violations.map((violation) => violation.pointer)).toEqual([
      "/protectedChanges/0",
      "/old",
    ]);
    expect(error.message).toContain("(and 1 more)");
  });
});

describe("unknown events pass through, untyped", () => {
  test.each([
    [
      "a document event",
      { eventType: "document.created.v2", id: 7, documentId: "d-1" },
      "document.created.v2",
    ],
    [
      "a legacy connection event",
      { ...webhookPayloads.created(), eventType: "connection.created" },
      "connection.created",
    ],
    ["Nectar's catalog placeholder", webhookPayloads.catalog(), "string"],
    ["no eventType", { id: webhookPayloads.created().id }, undefined],
    ["a non-string eventType", { eventType: ["connection.created.v2"] }, undefined],
    ["eventType __proto__", { eventType: "__proto__" }, "__proto__"],
    ["eventType toString", { eventType: "toString" }, "toString"],
    ["a JSON array", [1, 2, 3], undefined],
    ["a JSON string", "connection.created.v2", undefined],
    ["JSON null", null, undefined],
  ])("%s", async (_what, payload, eventType) => {
    const event = await deliver(payload);
    expect(event).toEqual({
      type: "unknown",
      eventType,
      messageId: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
      timestamp: NOW_SECONDS,
      payload,
    });
  });
});

describe("bodies that are not JSON", () => {
  test.each([
    ["text", "connection created"],
    ["cut-off JSON", '{"id": "8d2f'],
    ["an empty body", ""],
  ])("%s is refused as invalid_json, after the signature checked out", async (_what, body) => {
    const error = await refusal(
      verifyWebhook(body, standardSign(body), TEST_WEBHOOK_SECRET, atNow),
    );
    expect(error.reason).toBe("invalid_json");
    expect(error.message).toContain("the signature is valid");
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  test("bytes that are not UTF-8 are refused as invalid_json", async () => {
    const body = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]); // {"a":"\xff"}
    const error = await refusal(
      verifyWebhook(body, standardSign(body), TEST_WEBHOOK_SECRET, atNow),
    );
    expect(error.reason).toBe("invalid_json");
  });
});

describe("the schema of each event is the one the spec declares", () => {
  const declared = Object.fromEntries(
    Object.entries(spec.webhooks).map(([type, item]) => [
      type,
      item.post.requestBody.content["application/json"].schema.$ref.replace(
        "#/components/schemas/",
        "",
      ),
    ]),
  );

  test("PAYLOAD_SCHEMAS pairs exactly the spec's webhooks with their request body schemas", () => {
    expect(PAYLOAD_SCHEMAS).toEqual(declared);
  });
});
