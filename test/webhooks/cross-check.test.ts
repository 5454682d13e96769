/**
 * Cross-checked, not self-checked: for random secrets, ids and bodies, what `standardwebhooks`
 * (the reference library Svix's SDK delegates to) signs, `verifyWebhook` accepts, and what
 * `signWebhook` signs, `standardwebhooks` accepts. Every tampering (a body byte, the id, the
 * timestamp, a signature character) is refused by both. Svix's own package (Node 22+) is
 * cross-checked in the runtime matrix (`test/runtimes.test.ts`).
 */
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { signWebhook, verifyWebhook } from "../../src/index.ts";
import { refusal, unbranded, VECTORS } from "../helpers/webhooks.ts";

const RUNS = 60;

/** A Standard Webhooks secret: 24 to 64 random bytes, base64, with or without `whsec_`. */
const secretArbitrary = fc
  .record({
    key: fc.uint8Array({ minLength: 24, maxLength: 64 }),
    prefixed: fc.boolean(),
  })
  .map(({ key, prefixed }) => `${prefixed ? "whsec_" : ""}${Buffer.from(key).toString("base64")}`);

/** A message id as Svix writes them: `msg_` and base62, no dots. */
const idArbitrary = fc.stringMatching(/^[0-9A-Za-z]{1,40}$/).map((tail) => `msg_${tail}`);

/** Any text, Unicode included, as the body (JSON or not: the signature covers bytes). */
const bodyArbitrary = fc.string({ unit: "grapheme", maxLength: 400 });

/** The reference library's verdict on a delivery (its clock is the real one). */
function standardAccepts(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, unbranded(headers as never));
    return true;
  } catch {
    return false;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Signs with the reference library, now (or at `timestamp`, in whole seconds). */
function referenceSign(
  secret: string,
  id: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
) {
  return {
    "svix-id": id,
    "svix-timestamp": String(timestamp),
    "svix-signature": new Webhook(secret).sign(id, new Date(timestamp * 1000), body),
  };
}

describe("standardwebhooks and this package agree", () => {
  test("the reference library reproduces the fact sheet's vectors (the vectors are right)", () => {
    for (const vector of [VECTORS.v1, VECTORS.v2]) {
      const signed = new Webhook(vector.secret).sign(
        vector.id,
        new Date(vector.timestamp * 1000),
        vector.body,
      );
      expect(signed).toBe(vector.signature);
    }
  });

  test("what standardwebhooks signs, verifyWebhook accepts", async () => {
    await fc.assert(
      fc.asyncProperty(secretArbitrary, idArbitrary, bodyArbitrary, async (secret, id, body) => {
        const headers = referenceSign(secret, id, body);
        const outcome = await verifyWebhook(body, headers, secret).then(
          () => "accepted",
          (error: { reason?: string }) => error.reason,
        );
        // Authentic either way; a body that is not JSON is refused after the HMAC, as invalid_json.
        expect(outcome).toBe(isJson(body) ? "accepted" : "invalid_json");
      }),
      { numRuns: RUNS },
    );
  });

  test("what signWebhook signs, standardwebhooks accepts, and the reverse for JSON bodies", async () => {
    await fc.assert(
      fc.asyncProperty(secretArbitrary, idArbitrary, fc.jsonValue(), async (secret, id, value) => {
        const body = JSON.stringify(value);
        const ours = await signWebhook(body, secret, { id });
        expect(standardAccepts(secret, body, ours)).toBe(true);
        // The same second on both sides: signing "now" twice may straddle a second boundary.
        const same = referenceSign(secret, id, body, Number(ours["svix-timestamp"]));
        expect(ours["svix-signature"]).toBe(same["svix-signature"]);
        const event = await verifyWebhook(body, referenceSign(secret, id, body), secret);
        expect(event.messageId).toBe(id);
        expect(event.payload).toEqual(JSON.parse(body));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("tampering is refused by both", () => {
  const tamperings = {
    "a body byte": (body: string, headers: Record<string, string>) => ({
      body: `${body.slice(0, -1)}${body.endsWith("}") ? " " : "}"}`,
      headers,
    }),
    "the id": (body: string, headers: Record<string, string>) => ({
      body,
      headers: { ...headers, "svix-id": `${headers["svix-id"]}x` },
    }),
    "the timestamp, by one second": (body: string, headers: Record<string, string>) => ({
      body,
      headers: { ...headers, "svix-timestamp": String(Number(headers["svix-timestamp"]) - 1) },
    }),
    "a signature character": (body: string, headers: Record<string, string>) => {
      const signature = headers["svix-signature"] ?? "";
      const flipped = signature.at(5) === "A" ? "B" : "A";
      return {
        body,
        headers: {
          ...headers,
          "svix-signature": `${signature.slice(0, 5)}${flipped}${signature.slice(6)}`,
        },
      };
    },
  };

  test.each(Object.entries(tamperings))("changing %s", async (_what, tamper) => {
    await fc.assert(
      fc.asyncProperty(secretArbitrary, idArbitrary, fc.jsonValue(), async (secret, id, value) => {
        const signedBody = JSON.stringify({ value });
        const { body, headers } = tamper(signedBody, await signWebhook(signedBody, secret, { id }));
        expect(standardAccepts(secret, body, headers)).toBe(false);
        const error = await refusal(verifyWebhook(body, headers, secret));
        expect(error.reason).toBe("no_matching_signature");
      }),
      { numRuns: RUNS / 2 },
    );
  });

  test("a stale timestamp, re-signed correctly, is refused by both as too old", async () => {
    const secret = VECTORS.v1.secret;
    const body = '{"id": 1}';
    const timestamp = Math.floor(Date.now() / 1000) - 301;
    const headers = {
      "svix-id": "msg_1",
      "svix-timestamp": String(timestamp),
      "svix-signature": new Webhook(secret).sign("msg_1", new Date(timestamp * 1000), body),
    };
    expect(standardAccepts(secret, body, headers)).toBe(false);
    expect((await refusal(verifyWebhook(body, headers, secret))).reason).toBe("timestamp_too_old");
  });
});
