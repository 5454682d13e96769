/**
 * `verifyWebhook` against the official test vectors (fact sheet §4.6) and deliveries signed by
 * `standardwebhooks`: what passes, and for each way a delivery can be wrong, the one error class
 * with its own `reason`, before any HMAC when the problem is visible without one.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import * as validators from "../../generated/validators.js";
import {
  NectarInvalidInputError,
  NectarWebhookVerificationError,
  signWebhook,
  verifyWebhook,
  WEBHOOK_FAILURE_REASONS,
  type WebhookFailureReason,
} from "../../src/index.ts";
import { rejectionOf } from "../helpers/client.ts";
import { KNOWN_SECRETS, TEST_WEBHOOK_SECRET, webhookPayloads } from "../helpers/fixtures.ts";
import {
  clockAt,
  NOW_SECONDS,
  refusal,
  signedDelivery,
  standardSign,
  VECTORS,
  vectorHeaders,
} from "../helpers/webhooks.ts";
import { renderings } from "../setup/redaction.ts";

const { v1, v2 } = VECTORS;
const atV1 = { now: clockAt(v1.timestamp) };
const atNow = { now: clockAt(NOW_SECONDS) };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the official test vectors", () => {
  test("V1 verifies at its timestamp, with and without the whsec_ prefix", async () => {
    for (const secret of [v1.secret, v1.secret.slice("whsec_".length)]) {
      const event = await verifyWebhook(v1.body, vectorHeaders(v1), secret, atV1);
      expect(event).toEqual({
        type: "unknown",
        eventType: undefined,
        messageId: v1.id,
        timestamp: v1.timestamp,
        payload: { test: 2432232314 },
      });
    }
  });

  test("V2 verifies, and its published non-signature does not", async () => {
    const at = { now: clockAt(v2.timestamp) };
    await expect(verifyWebhook(v2.body, vectorHeaders(v2), v2.secret, at)).resolves.toMatchObject({
      payload: { email: "test@example.com", username: "test_user" },
    });
    const error = await refusal(
      verifyWebhook(v2.body, vectorHeaders(v2, v2.notSignature), v2.secret, at),
    );
    expect(error.reason).toBe("no_matching_signature");
  });

  test("a header with no v1 entry at all costs no HMAC", async () => {
    const sign = vi.spyOn(globalThis.crypto.subtle, "sign");
    const header = v1.signature.replace("v1,", "v2,");
    const error = await refusal(verifyWebhook(v1.body, vectorHeaders(v1, header), v1.secret, atV1));
    expect(error.reason).toBe("no_matching_signature");
    expect(sign).not.toHaveBeenCalled();
  });

  test("a header with other versions and wrong v1 entries around the valid one verifies", async () => {
    const junk = "Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    const header = `v1,${junk} v2,${junk} ${v1.signature} v1,${junk}`;
    await expect(
      verifyWebhook(v1.body, vectorHeaders(v1, header), v1.secret, atV1),
    ).resolves.toBeDefined();
  });

  test.each([
    ["the last character changed", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="],
    ["not base64 of a MAC", "v1,dawfeoifkpqwoekfpqoekf"],
    ["the valid signature labelled v2", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
    ["the valid signature without a version", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="],
    [
      "the valid signature with a comma for a separator",
      "v1,x,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    ],
  ])("V1 with %s is refused: no_matching_signature", async (_what, signature) => {
    const verifying = verifyWebhook(v1.body, vectorHeaders(v1, signature), v1.secret, atV1);
    expect((await refusal(verifying)).reason).toBe("no_matching_signature");
  });

  test.each(["whsec_", ""])("the secret %j is refused as malformed", async (secret) => {
    const error = await refusal(verifyWebhook(v1.body, vectorHeaders(v1), secret, atV1));
    expect(error.reason).toBe("malformed_secret");
  });

  test("300 s off either way verifies; 301 s is too old or too new", async () => {
    const verifyAt = (offset: number) =>
      verifyWebhook(v1.body, vectorHeaders(v1), v1.secret, {
        now: clockAt(v1.timestamp + offset),
      });
    await expect(verifyAt(300)).resolves.toBeDefined();
    await expect(verifyAt(-300)).resolves.toBeDefined();
    expect((await refusal(verifyAt(301))).reason).toBe("timestamp_too_old");
    expect((await refusal(verifyAt(-301))).reason).toBe("timestamp_too_new");
  });

  test("signWebhook reproduces both vectors", async () => {
    for (const vector of [v1, v2]) {
      const headers = await signWebhook(vector.body, vector.secret, {
        id: vector.id,
        timestamp: vector.timestamp,
      });
      expect(headers).toEqual(vectorHeaders(vector));
    }
  });
});

describe("the body", () => {
  const { body, headers } = signedDelivery(webhookPayloads.created());
  const bytes = new TextEncoder().encode(body);

  test.each([
    ["a string", body],
    ["a Buffer", Buffer.from(body)],
    ["a Uint8Array", bytes],
    [
      "a view into a larger buffer",
      new Uint8Array([0, 0, ...bytes, 0]).subarray(2, 2 + bytes.length),
    ],
    ["an ArrayBuffer", bytes.slice().buffer],
    ["a DataView", new DataView(bytes.slice().buffer)],
  ])("as %s verifies", async (_what, raw) => {
    // A DataView is not in the declared type, but is bytes all the same.
    const event = await verifyWebhook(raw as Uint8Array, headers, TEST_WEBHOOK_SECRET, atNow);
    expect(event.type).toBe("connection.created.v2");
  });

  test.each([
    ["a parsed object", JSON.parse(body), "an object"],
    ["a parsed array", [1, 2], "an array"],
    ["undefined (no body parser ran)", undefined, "undefined"],
    ["null", null, "null"],
    ["a number", 42, "a number"],
  ])("as %s is refused with 'pass the raw body', before any HMAC", async (_what, parsed, kind) => {
    const sign = vi.spyOn(globalThis.crypto.subtle, "sign");
    const error = await refusal(verifyWebhook(parsed, headers, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("body_already_parsed");
    expect(error.message).toContain(`(a string or bytes), got ${kind}: pass the raw body`);
    expect(sign).not.toHaveBeenCalled();
  });

  test("re-serialised after parsing (spaces lost) no longer verifies", async () => {
    const resent = JSON.stringify(JSON.parse(v1.body));
    expect(resent).not.toBe(v1.body);
    const error = await refusal(verifyWebhook(resent, vectorHeaders(v1), v1.secret, atV1));
    expect(error.reason).toBe("no_matching_signature");
    expect(error.message).toContain("no v1 signature in svix-signature matches the body");
  });

  test("one byte changed, added or removed no longer verifies", async () => {
    for (const altered of [body.replace("PENDING", "PENDINg"), `${body} `, body.slice(0, -1)]) {
      const error = await refusal(verifyWebhook(altered, headers, TEST_WEBHOOK_SECRET, atNow));
      expect(error.reason).toBe("no_matching_signature");
    }
  });

  test("over maxBodyBytes is refused before any key is imported or HMAC computed", async () => {
    const importKey = vi.spyOn(globalThis.crypto.subtle, "importKey");
    const sign = vi.spyOn(globalThis.crypto.subtle, "sign");
    const options = { ...atNow, maxBodyBytes: bytes.length - 1 };
    for (const [raw, size] of [
      [body, `has ${body.length} characters`],
      [bytes, `is ${bytes.length} bytes`],
    ] as const) {
      const error = await refusal(verifyWebhook(raw, headers, TEST_WEBHOOK_SECRET, options));
      expect(error.reason).toBe("body_too_large");
      expect(error.message).toContain(
        `the body ${size}, more than maxBodyBytes (${bytes.length - 1}).`,
      );
    }
    expect(importKey).not.toHaveBeenCalled();
    expect(sign).not.toHaveBeenCalled();
    const exact = { ...atNow, maxBodyBytes: bytes.length };
    await expect(verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, exact)).resolves.toBeDefined();
    await expect(verifyWebhook(bytes, headers, TEST_WEBHOOK_SECRET, exact)).resolves.toBeDefined();
  });

  test("a string is measured in UTF-8 bytes, not characters", async () => {
    const text = JSON.stringify({ id: webhookPayloads.created().id, note: "é".repeat(600) });
    const signed = standardSign(text);
    const options = { ...atNow, maxBodyBytes: 1000 };
    expect(text.length).toBeLessThan(1000);
    const error = await refusal(verifyWebhook(text, signed, TEST_WEBHOOK_SECRET, options));
    expect(error.reason).toBe("body_too_large");
    expect(error.message).toContain(`the body is ${text.length + 600} bytes`);
    const long = await refusal(
      verifyWebhook("x".repeat(1001), signed, TEST_WEBHOOK_SECRET, options),
    );
    expect(long.message).toContain("the body has 1001 characters, more than maxBodyBytes (1000).");
  });

  test("the default cap is 1 MiB", async () => {
    const big = "x".repeat(1024 * 1024 + 1);
    const error = await refusal(verifyWebhook(big, standardSign(big), TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("body_too_large");
  });
});

describe("the timestamp", () => {
  const { body } = signedDelivery(webhookPayloads.created());

  test.each(["1614265330.5", "-1", "abc", "1e9", "0x10", "1234567890123456", "١٧١٧٣٠٨٩٠٠"])(
    "%j is refused as invalid_timestamp",
    async (timestamp) => {
      const headers = { ...standardSign(body), "svix-timestamp": timestamp };
      const error = await refusal(verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, atNow));
      expect(error.reason).toBe("invalid_timestamp");
      expect(error.message).toContain("svix-timestamp header is not whole seconds since the epoch");
    },
  );

  test("a replay signed 6 minutes ago is too old; one dated 6 minutes ahead is too new", async () => {
    const old = standardSign(body, { timestamp: NOW_SECONDS - 360 });
    const ahead = standardSign(body, { timestamp: NOW_SECONDS + 360 });
    const tooOld = await refusal(verifyWebhook(body, old, TEST_WEBHOOK_SECRET, atNow));
    const tooNew = await refusal(verifyWebhook(body, ahead, TEST_WEBHOOK_SECRET, atNow));
    expect([tooOld.reason, tooNew.reason]).toEqual(["timestamp_too_old", "timestamp_too_new"]);
    expect(tooOld.message).toContain("signed 360 s ago, more than the tolerance (300 s)");
    expect(tooNew.message).toContain("dated 360 s ahead, more than the tolerance (300 s)");
  });

  test("a timestamp changed after signing is refused even within the tolerance", async () => {
    const headers = { ...standardSign(body), "svix-timestamp": String(NOW_SECONDS + 1) };
    const error = await refusal(verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, atNow));
    expect(error.reason).toBe("no_matching_signature");
  });

  test("toleranceSeconds narrows the window, both ways; 0 demands the exact second", async () => {
    const at = (offset: number, toleranceSeconds: number) =>
      verifyWebhook(
        body,
        standardSign(body, { timestamp: NOW_SECONDS + offset }),
        TEST_WEBHOOK_SECRET,
        {
          ...atNow,
          toleranceSeconds,
        },
      );
    await expect(at(-10, 10)).resolves.toBeDefined();
    expect((await refusal(at(-11, 10))).reason).toBe("timestamp_too_old");
    expect((await refusal(at(11, 10))).reason).toBe("timestamp_too_new");
    await expect(at(0, 0)).resolves.toBeDefined();
    expect((await refusal(at(1, 0))).reason).toBe("timestamp_too_new");
  });

  test("the real clock is the default", async () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const fresh = standardSign(body, { timestamp: nowSeconds });
    await expect(verifyWebhook(body, fresh, TEST_WEBHOOK_SECRET)).resolves.toBeDefined();
    const stale = standardSign(body, { timestamp: nowSeconds - 3600 });
    expect((await refusal(verifyWebhook(body, stale, TEST_WEBHOOK_SECRET))).reason).toBe(
      "timestamp_too_old",
    );
  });
});

describe("the secret", () => {
  const { body, headers } = signedDelivery(webhookPayloads.created());
  const other = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

  test("several secrets (a rotation): any one that matches verifies", async () => {
    await expect(
      verifyWebhook(body, headers, [other, TEST_WEBHOOK_SECRET], atNow),
    ).resolves.toBeDefined();
    await expect(
      verifyWebhook(body, headers, [TEST_WEBHOOK_SECRET, other], atNow),
    ).resolves.toBeDefined();
    expect((await refusal(verifyWebhook(body, headers, [other], atNow))).reason).toBe(
      "no_matching_signature",
    );
  });

  test("a delivery signed with both the old and the new secret verifies under either", async () => {
    const both = `${standardSign(body, { secret: other })["svix-signature"]} ${headers["svix-signature"]}`;
    const rotated = { ...headers, "svix-signature": both };
    await expect(verifyWebhook(body, rotated, other, atNow)).resolves.toBeDefined();
    await expect(verifyWebhook(body, rotated, TEST_WEBHOOK_SECRET, atNow)).resolves.toBeDefined();
  });

  test.each([
    ["a trailing newline (from a .env file)", `${TEST_WEBHOOK_SECRET}\n`],
    ["a leading space", ` ${TEST_WEBHOOK_SECRET}`],
    ["a space inside", `whsec_ ${TEST_WEBHOOK_SECRET.slice(6)}`],
    ["a tab", `${TEST_WEBHOOK_SECRET}\t`],
  ])("with %s is refused as secret_has_whitespace", async (_what, secret) => {
    const error = await refusal(verifyWebhook(body, headers, secret, atNow));
    expect(error.reason).toBe("secret_has_whitespace");
    expect(error.message).toContain("trim it");
  });

  const notBase64 = 'is not "whsec_" followed by standard base64.';
  test.each([
    [
      "URL-safe base64",
      `${TEST_WEBHOOK_SECRET.replaceAll("+", "-").replaceAll("/", "_")}-_`,
      `The secret ${notBase64}`,
    ],
    [
      "base64 without its padding",
      TEST_WEBHOOK_SECRET.replace(/=+$/, ""),
      `The secret ${notBase64}`,
    ],
    ["another prefix", `whsk_${TEST_WEBHOOK_SECRET.slice(6)}`, `The secret ${notBase64}`],
    [
      "too short (16 bytes)",
      "whsec_MDEyMzQ1Njc4OWFiY2RlZg==",
      "The secret decodes to 16 bytes, fewer than 24.",
    ],
    [
      "undefined (an unset environment variable)",
      undefined,
      "The secret is undefined (is its environment variable set?).",
    ],
    ["a number", 42, "The secret is not a string (number)."],
    ["only the prefix", "whsec_", "The secret is empty."],
    ["an empty list", [], "The secret list is empty."],
  ])("%s is refused as malformed_secret", async (_what, secret, message) => {
    const error = await refusal(verifyWebhook(body, headers, secret as string, atNow));
    expect(error.reason).toBe("malformed_secret");
    expect(error.message).toBe(`Webhook refused (malformed_secret): ${message}`);
  });

  test("an unset environment variable says so", async () => {
    const error = await refusal(verifyWebhook(body, headers, undefined as unknown as string));
    expect(error.message).toContain("environment variable");
  });

  test("one bad secret in a rotation list is refused, naming its place, not skipped", async () => {
    const error = await refusal(
      verifyWebhook(body, headers, [TEST_WEBHOOK_SECRET, "whsec_", other], atNow),
    );
    expect(error.reason).toBe("malformed_secret");
    expect(error.message).toContain("Secret 2 of 3");
  });

  test("a bad secret is reported first, even for a request without headers", async () => {
    const error = await refusal(verifyWebhook(body, {}, "whsec_", atNow));
    expect(error.reason).toBe("malformed_secret");
  });
});

describe("options", () => {
  const { body, headers } = signedDelivery(webhookPayloads.created());

  test.each([
    [{ tolerance: 300 }, /Unknown verifyWebhook option "tolerance"/],
    [{ toleranceSeconds: -1 }, /toleranceSeconds must be a whole number of at least 0/],
    [{ toleranceSeconds: 1.5 }, /toleranceSeconds must be a whole number/],
    [{ toleranceSeconds: "300" }, /toleranceSeconds must be a whole number/],
    [{ maxBodyBytes: 0 }, /maxBodyBytes must be a whole number of at least 1/],
    [{ now: 1_717_308_900_000 }, /now must be a function/],
    [{ validators: {} }, /validators must be the module/],
  ])("%j is refused with NectarInvalidInputError, before any HMAC", async (options, message) => {
    const sign = vi.spyOn(globalThis.crypto.subtle, "sign");
    const error = await rejectionOf(
      verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, options as never),
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(message);
    expect(sign).not.toHaveBeenCalled();
  });

  test("options that are not an object are refused", async () => {
    const error = await rejectionOf(
      verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, 300 as never),
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
  });

  test("validators given are the ones that check the payload", async () => {
    const validateConnectionEventV2 = vi.fn(validators.validateConnectionEventV2);
    const given = { ...validators, validateConnectionEventV2 };
    await verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, { ...atNow, validators: given });
    expect(validateConnectionEventV2).toHaveBeenCalledOnce();
  });
});

describe("every failure has its own reason, and no message holds a secret or the signature", () => {
  const { body, headers } = signedDelivery(webhookPayloads.created());
  const bad = signedDelivery({ eventType: "connection.created.v2", id: "not-a-uuid" });
  const notJson = "{not json";
  const cases: [WebhookFailureReason, () => Promise<unknown>][] = [
    ["malformed_secret", () => verifyWebhook(body, headers, "whsec_abc", atNow)],
    ["secret_has_whitespace", () => verifyWebhook(body, headers, `${TEST_WEBHOOK_SECRET} `, atNow)],
    [
      "body_already_parsed",
      () => verifyWebhook(JSON.parse(body), headers, TEST_WEBHOOK_SECRET, atNow),
    ],
    [
      "body_too_large",
      () => verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, { ...atNow, maxBodyBytes: 10 }),
    ],
    [
      "missing_header",
      () => verifyWebhook(body, { ...headers, "svix-id": "" }, TEST_WEBHOOK_SECRET, atNow),
    ],
    [
      "invalid_timestamp",
      () =>
        verifyWebhook(body, { ...headers, "svix-timestamp": "soon" }, TEST_WEBHOOK_SECRET, atNow),
    ],
    [
      "timestamp_too_old",
      () => verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, { now: clockAt(NOW_SECONDS + 900) }),
    ],
    [
      "timestamp_too_new",
      () => verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, { now: clockAt(NOW_SECONDS - 900) }),
    ],
    [
      "no_matching_signature",
      () => verifyWebhook(`${body}\n`, headers, TEST_WEBHOOK_SECRET, atNow),
    ],
    [
      "invalid_json",
      () => verifyWebhook(notJson, standardSign(notJson), TEST_WEBHOOK_SECRET, atNow),
    ],
    ["invalid_payload", () => verifyWebhook(bad.body, bad.headers, TEST_WEBHOOK_SECRET, atNow)],
  ];

  test("the cases cover every reason, each once", () => {
    expect(cases.map(([reason]) => reason)).toEqual([...WEBHOOK_FAILURE_REASONS]);
  });

  test.each(cases)("%s", async (reason, run) => {
    const error = await refusal(run());
    expect(error).toBeInstanceOf(NectarWebhookVerificationError);
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(new RegExp(`^Webhook refused \\(${reason}\\): `));
    for (const text of renderings(error)) {
      for (const secret of [...KNOWN_SECRETS, headers["svix-signature"].slice(3)]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toContain(body);
    }
  });
});
