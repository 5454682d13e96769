/**
 * Signed deliveries for the webhook tests, signed by `standardwebhooks` (the reference library
 * Svix's own SDK delegates to), not by this package: a verifier tested only against its own
 * signer could share its mistakes.
 */
import { Webhook } from "standardwebhooks";
import { NectarWebhookVerificationError } from "../../src/index.ts";
import { rejectionOf } from "./client.ts";
import { TEST_WEBHOOK_SECRET } from "./fixtures.ts";

/** A fixed "now" for the tests, in seconds: 2024-06-02T06:15:00Z. */
export const NOW_SECONDS = 1_717_308_900;

/** A clock for the `now` option that always says `seconds`. */
export function clockAt(seconds: number): () => number {
  return () => seconds * 1000;
}

/** The headers of one delivery, under Svix's names. */
export type SvixHeaders = Record<"svix-id" | "svix-timestamp" | "svix-signature", string>;

/** How to sign: by default the test secret, a fixed message id and {@link NOW_SECONDS}. */
export interface SignOptions {
  secret?: string;
  id?: string;
  timestamp?: number;
}

/** Signs `body` with `standardwebhooks` and returns Svix's three headers. */
export function standardSign(body: string | Uint8Array, options: SignOptions = {}): SvixHeaders {
  const id = options.id ?? "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  const timestamp = options.timestamp ?? NOW_SECONDS;
  const signature = new Webhook(options.secret ?? TEST_WEBHOOK_SECRET).sign(
    id,
    new Date(timestamp * 1000),
    body,
  );
  return { "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": signature };
}

/** The same headers under the white-labelled `webhook-*` names. */
export function unbranded(headers: SvixHeaders): Record<string, string> {
  return {
    "webhook-id": headers["svix-id"],
    "webhook-timestamp": headers["svix-timestamp"],
    "webhook-signature": headers["svix-signature"],
  };
}

/** A JSON body and its signed headers, for a payload. */
export function signedDelivery(
  payload: unknown,
  options: SignOptions = {},
): { body: string; headers: SvixHeaders } {
  const body = JSON.stringify(payload);
  return { body, headers: standardSign(body, options) };
}

/** The official test vectors (fact sheet §4.6), copied exactly. */
export const VECTORS = {
  v1: {
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  },
  v2: {
    secret: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
    id: "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
    timestamp: 1649367553,
    body: '{"email":"test@example.com","username":"test_user"}',
    signature: "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
    notSignature: "v1,R3PTzyfHASBKHH98a7yexTwaJ4yNIcGhFQc1yuN+BPU=",
  },
} as const;

/** A vector's headers, with `signature` in place of its own when given. */
export function vectorHeaders(
  vector: (typeof VECTORS)[keyof typeof VECTORS],
  signature: string = vector.signature,
): SvixHeaders {
  return {
    "svix-id": vector.id,
    "svix-timestamp": String(vector.timestamp),
    "svix-signature": signature,
  };
}

/**
 * The error a verification rejects with, recorded for the file's redaction check; fails the
 * test when the promise resolves or rejects with anything but a webhook verification error.
 */
export async function refusal(promise: Promise<unknown>): Promise<NectarWebhookVerificationError> {
  const error = await rejectionOf(promise);
  if (!(error instanceof NectarWebhookVerificationError)) {
    throw new Error(`expected a NectarWebhookVerificationError, got ${String(error)}`);
  }
  return error;
}
