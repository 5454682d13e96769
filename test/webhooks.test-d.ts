/**
 * The webhook API's types: a verified event narrows on `type` to the payload the spec declares
 * for it, an unknown event's payload stays `unknown` (never cast), and the raw body, headers and
 * secrets accept what frameworks hand over while a parsed body does not compile.
 */
import type { IncomingHttpHeaders } from "node:http";
import { describe, expectTypeOf, test } from "vitest";
import type { webhooks } from "../generated/schema.js";
import {
  type ConnectionEventV2,
  type ConnectionUpdatedEventV2,
  type NectarWebhookEvent,
  type NectarWebhookPayload,
  signWebhook,
  verifyWebhook,
  verifyWebhookRequest,
  type WEBHOOK_FAILURE_REASONS,
  type WebhookFailureReason,
} from "../src/index.ts";

declare const event: NectarWebhookEvent;
declare const secret: string;

describe("a verified event", () => {
  test("narrows on type to the payload of its schema", () => {
    if (event.type === "connection.updated.v2") {
      expectTypeOf(event.payload).toEqualTypeOf<ConnectionUpdatedEventV2>();
      expectTypeOf(event.payload.protectedChanges).toEqualTypeOf<string[] | undefined>();
    } else if (event.type === "connection.created.v2" || event.type === "connection.validated.v2") {
      expectTypeOf(event.payload).toEqualTypeOf<ConnectionEventV2>();
      expectTypeOf(event.payload.id).toEqualTypeOf<string>();
      expectTypeOf(event.payload.status).toEqualTypeOf<string | undefined>();
      // Not declared on created and validated: only an unknown extra property (the schema is open).
      expectTypeOf(event.payload.protectedChanges).toBeUnknown();
    } else {
      expectTypeOf(event.type).toEqualTypeOf<"unknown">();
      expectTypeOf(event.payload).toBeUnknown();
      expectTypeOf(event.eventType).toEqualTypeOf<string | undefined>();
    }
    expectTypeOf(event.messageId).toEqualTypeOf<string>();
    expectTypeOf(event.timestamp).toEqualTypeOf<number>();
  });

  test("the payload types are the request bodies of the spec's webhooks", () => {
    expectTypeOf<NectarWebhookPayload<"connection.created.v2">>().toEqualTypeOf<
      webhooks["connection.created.v2"]["post"]["requestBody"]["content"]["application/json"]
    >();
    expectTypeOf<
      NectarWebhookPayload<"connection.validated.v2">
    >().toEqualTypeOf<ConnectionEventV2>();
    expectTypeOf<
      NectarWebhookPayload<"connection.updated.v2">
    >().toEqualTypeOf<ConnectionUpdatedEventV2>();
    expectTypeOf<NectarWebhookEvent["type"]>().toEqualTypeOf<keyof webhooks | "unknown">();
  });

  test("an unknown event's payload needs a check before use", () => {
    if (event.type === "unknown") {
      // @ts-expect-error the payload is unknown, not cast to anything
      event.payload.id;
    }
  });
});

describe("verifyWebhook's arguments", () => {
  test("the raw body: a string, a Buffer, a Uint8Array or an ArrayBuffer; not a parsed object", () => {
    expectTypeOf(verifyWebhook("{}", {}, secret)).toEqualTypeOf<Promise<NectarWebhookEvent>>();
    verifyWebhook(Buffer.from("{}"), {}, secret);
    verifyWebhook(new Uint8Array(2), {}, secret);
    verifyWebhook(new ArrayBuffer(2), {}, secret);
    // @ts-expect-error a parsed body cannot be verified
    verifyWebhook({ id: "x" }, {}, secret);
  });

  test("headers: Node's, a Fetch Headers, a plain object, or signWebhook's", async () => {
    const incoming: IncomingHttpHeaders = {};
    verifyWebhook("{}", incoming, secret);
    verifyWebhook("{}", new Headers(), secret);
    verifyWebhook(
      "{}",
      { "svix-id": "msg_1", "svix-timestamp": "1", "svix-signature": "v1,x" },
      secret,
    );
    verifyWebhook("{}", await signWebhook("{}", secret), secret);
    // @ts-expect-error a header value is a string or a list of strings
    verifyWebhook("{}", { "svix-id": 1 }, secret);
  });

  test("secrets: one, or several while rotating; options are typed", () => {
    verifyWebhook("{}", {}, [secret, secret], { toleranceSeconds: 60, maxBodyBytes: 1024 });
    verifyWebhookRequest(new Request("https://x.example"), secret, { now: () => 0 });
    // @ts-expect-error toleranceSeconds is a number of seconds
    verifyWebhook("{}", {}, secret, { toleranceSeconds: "5m" });
  });
});

test("the failure reasons are exactly the list's values", () => {
  expectTypeOf<(typeof WEBHOOK_FAILURE_REASONS)[number]>().toEqualTypeOf<WebhookFailureReason>();
  expectTypeOf<WebhookFailureReason>().toExtend<string>();
});
