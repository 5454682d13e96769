/**
 * Where the validators cannot be loaded (a bundled app: the runtime matrix shows it in workerd),
 * verifying a known event fails with the error that says to pass them, its cause kept; an
 * unknown event needs no validator and still passes. Simulated here by a validation module whose
 * loading fails, as a bundle's does.
 */
import { describe, expect, test, vi } from "vitest";
import { TEST_WEBHOOK_SECRET, webhookPayloads } from "../helpers/fixtures.ts";
import { clockAt, NOW_SECONDS, signedDelivery } from "../helpers/webhooks.ts";

const unloadable = new TypeError("Failed to resolve module specifier");
vi.mock("../../src/core/validation.ts", async (original) => ({
  ...(await original<typeof import("../../src/core/validation.ts")>()),
  schemaViolations: () => Promise.reject(unloadable),
}));
const { NectarInvalidInputError, verifyWebhook } = await import("../../src/index.ts");

const atNow = { now: clockAt(NOW_SECONDS) };

describe("validators that cannot be loaded", () => {
  test("a known event is refused with NectarInvalidInputError saying to pass them", async () => {
    const { body, headers } = signedDelivery(webhookPayloads.validated());
    const error = await verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, atNow).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NectarInvalidInputError);
    expect((error as Error).message).toContain(
      'import * as validators from "nectar-climate-connection/validators" and pass verifyWebhook(body, headers, secret, { validators })',
    );
    expect((error as Error).cause).toBe(unloadable);
  });

  test("an unknown event needs no validator", async () => {
    const { body, headers } = signedDelivery({ eventType: "document.created.v2" });
    await expect(verifyWebhook(body, headers, TEST_WEBHOOK_SECRET, atNow)).resolves.toMatchObject({
      type: "unknown",
    });
  });
});
