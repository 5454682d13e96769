/**
 * `signWebhook`, the signer for tests and the mock: what `standardwebhooks` verifies, one `v1`
 * entry per secret, and its options checked.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { NectarInvalidInputError, signWebhook, verifyWebhook } from "../../src/index.ts";
import { rejectionOf } from "../helpers/client.ts";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "../helpers/fixtures.ts";
import { clockAt, NOW_SECONDS, refusal, standardSign, unbranded } from "../helpers/webhooks.ts";

const body = JSON.stringify(webhookPayloads.created());

describe("signWebhook", () => {
  test("signs exactly as standardwebhooks does, at the given id and timestamp", async () => {
    const options = { id: "msg_fixed", timestamp: NOW_SECONDS };
    expect(await signWebhook(body, TEST_WEBHOOK_SECRET, options)).toEqual(
      standardSign(body, options),
    );
  });

  test("defaults: a fresh msg_ id each call, and the current second", async () => {
    const before = Math.floor(Date.now() / 1000);
    const [first, second] = await Promise.all([
      signWebhook(body, TEST_WEBHOOK_SECRET),
      signWebhook(body, TEST_WEBHOOK_SECRET),
    ]);
    expect(first["svix-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(first["svix-id"]).not.toBe(second["svix-id"]);
    const timestamp = Number(first["svix-timestamp"]);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    // standardwebhooks checks the timestamp against its own clock: this is "now" to it as well.
    expect(new Webhook(TEST_WEBHOOK_SECRET).verify(body, unbranded(first))).toEqual(
      JSON.parse(body),
    );
  });

  test("`now` sets the default timestamp", async () => {
    const headers = await signWebhook(body, TEST_WEBHOOK_SECRET, { now: clockAt(NOW_SECONDS) });
    expect(headers["svix-timestamp"]).toBe(String(NOW_SECONDS));
  });

  test("several secrets give one v1 entry each, in order; each verifies alone", async () => {
    const other = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    const headers = await signWebhook(body, [TEST_WEBHOOK_SECRET, other], {
      timestamp: NOW_SECONDS,
    });
    const entries = headers["svix-signature"].split(" ");
    expect(entries).toHaveLength(2);
    expect(entries[0]).toBe(standardSign(body, { id: headers["svix-id"] })["svix-signature"]);
    for (const secret of [TEST_WEBHOOK_SECRET, other]) {
      await expect(
        verifyWebhook(body, headers, secret, { now: clockAt(NOW_SECONDS) }),
      ).resolves.toBeDefined();
    }
  });

  test("bytes sign like the same text", async () => {
    const options = { id: "msg_bytes", timestamp: NOW_SECONDS };
    expect(await signWebhook(new TextEncoder().encode(body), TEST_WEBHOOK_SECRET, options)).toEqual(
      await signWebhook(body, TEST_WEBHOOK_SECRET, options),
    );
  });

  test.each([
    [{ id: "" }, /id must be 1 to 256 printable ASCII/],
    [{ id: "msg.1614265330" }, /without spaces or dots/],
    [{ id: "msg 1" }, /without spaces or dots/],
    [{ timestamp: -1 }, /timestamp must be whole seconds/],
    [{ timestamp: 1.5 }, /timestamp must be whole seconds/],
    [{ now: 5 }, /now must be a function/],
    [{ secret: "x" }, /Unknown signWebhook option "secret"/],
  ])("%j is refused with NectarInvalidInputError", async (options, message) => {
    const error = await rejectionOf(signWebhook(body, TEST_WEBHOOK_SECRET, options as never));
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toMatch(message);
  });

  test("a bad secret or a parsed body is refused as verification would", async () => {
    expect((await refusal(signWebhook(body, "whsec_"))).reason).toBe("malformed_secret");
    expect((await refusal(signWebhook({} as string, TEST_WEBHOOK_SECRET))).reason).toBe(
      "body_already_parsed",
    );
  });
});
