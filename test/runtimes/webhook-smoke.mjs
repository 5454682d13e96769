/**
 * The runtime matrix's webhook script (plain JavaScript, ESM), run unchanged on every runtime of
 * `test/runtimes.test.ts` against the installed tarball: the official test vectors, a signed
 * event as a string and as a `Request`, every kind of refusal, the deduper, and, where Svix's own
 * package runs (Node 22 and 24: it needs Node 22+), deliveries signed by Svix verified here and
 * the reverse. It reports what it saw as one JSON object; the test asserts it.
 *
 * Node, Bun and Deno run it as a program (config as JSON in `NECTAR_WEBHOOK_SMOKE`, report on
 * stdout); on workerd a Worker imports `webhookSmoke` (`test/helpers/workerd.ts`) and passes the
 * validators, which a bundle cannot load alone.
 */
import {
  createWebhookDeduper,
  isNectarError,
  NectarWebhookVerificationError,
  signWebhook,
  verifyWebhook,
  verifyWebhookRequest,
} from "nectar-climate-connection";

/** The runtime running this script and its version, as the runtime tells it. */
function runtime() {
  const { Deno, Bun, process, navigator } = globalThis;
  if (Deno !== undefined) return { name: "deno", version: Deno.version.deno };
  if (Bun !== undefined) return { name: "bun", version: Bun.version };
  if (navigator?.userAgent === "Cloudflare-Workers") return { name: "workerd", version: null };
  if (process?.release?.name === "node") return { name: "node", version: process.versions.node };
  return { name: "unknown", version: null };
}

/** The reason a verification was refused with, or what it resolved to instead. */
async function reasonOf(promise) {
  try {
    const event = await promise;
    return `resolved ${event.type}`;
  } catch (error) {
    return error instanceof NectarWebhookVerificationError ? error.reason : String(error);
  }
}

/** A clock for the `now` option at `seconds`. */
const at = (seconds) => () => seconds * 1000;

/** Verifies the official vectors at their own timestamps. */
async function vectors({ v1, v2 }, validators) {
  const headers = (vector, signature = vector.signature) => ({
    "svix-id": vector.id,
    "svix-timestamp": String(vector.timestamp),
    "svix-signature": signature,
  });
  const options = (vector) => ({ now: at(vector.timestamp), ...validators });
  const v1Event = await verifyWebhook(v1.body, headers(v1), v1.secret, options(v1));
  const v2Event = await verifyWebhook(v2.body, headers(v2), v2.secret, options(v2));
  return {
    v1: v1Event.payload,
    v2: v2Event.payload,
    v2NotSignature: await reasonOf(
      verifyWebhook(v2.body, headers(v2, v2.notSignature), v2.secret, options(v2)),
    ),
    signedV1: (await signWebhook(v1.body, v1.secret, { id: v1.id, timestamp: v1.timestamp }))[
      "svix-signature"
    ],
  };
}

/** Every refusal the script can provoke without a network. */
async function refusals(secret, validated, options) {
  const body = JSON.stringify(validated);
  const headers = await signWebhook(body, secret);
  const stale = await signWebhook(body, secret, {
    timestamp: Math.floor(Date.now() / 1000) - 3600,
  });
  const bad = JSON.stringify({ eventType: "connection.created.v2", id: "not-a-uuid" });
  let error;
  try {
    await verifyWebhook(body.replace("PASSWORD", "PASSWORT"), headers, secret, options);
  } catch (caught) {
    error = caught;
  }
  return {
    tampered: error instanceof NectarWebhookVerificationError ? error.reason : String(error),
    errorClass: { name: error?.name, isNectarError: isNectarError(error) },
    parsed: await reasonOf(verifyWebhook(validated, headers, secret, options)),
    stale: await reasonOf(verifyWebhook(body, stale, secret, options)),
    badSecret: await reasonOf(verifyWebhook(body, headers, "whsec_", options)),
    invalidPayload: await reasonOf(
      verifyWebhook(bad, await signWebhook(bad, secret), secret, options),
    ),
  };
}

/** The refusals the first list leaves out: every other reason a delivery can fail for. */
async function otherRefusals(secret, validated, options) {
  const body = JSON.stringify(validated);
  const headers = await signWebhook(body, secret);
  const { "svix-signature": _signature, ...unsigned } = headers;
  const ahead = await signWebhook(body, secret, {
    timestamp: Math.floor(Date.now() / 1000) + 3600,
  });
  const notJson = "not json";
  return {
    missingHeader: await reasonOf(verifyWebhook(body, unsigned, secret, options)),
    tooNew: await reasonOf(verifyWebhook(body, ahead, secret, options)),
    badTimestamp: await reasonOf(
      verifyWebhook(body, { ...headers, "svix-timestamp": "soon" }, secret, options),
    ),
    whitespace: await reasonOf(verifyWebhook(body, headers, `${secret}\n`, options)),
    tooLarge: await reasonOf(verifyWebhook(body, headers, secret, { ...options, maxBodyBytes: 8 })),
    invalidJson: await reasonOf(
      verifyWebhook(notJson, await signWebhook(notJson, secret), secret, options),
    ),
  };
}

/**
 * The shapes a receiver hands over: bytes, a Fetch `Headers` under the `webhook-*` names, and a
 * list of secrets while one rotates; each verifies to the same event type.
 */
async function forms(secret, validated, options) {
  const body = JSON.stringify(validated);
  const signed = await signWebhook(body, secret);
  const unbranded = new Headers({
    "Webhook-Id": signed["svix-id"],
    "Webhook-Timestamp": signed["svix-timestamp"],
    "Webhook-Signature": signed["svix-signature"],
  });
  const rotating = [`whsec_${btoa("x".repeat(32))}`, secret];
  return {
    bytes: (await verifyWebhook(new TextEncoder().encode(body), signed, secret, options)).type,
    headersObject: (await verifyWebhook(body, unbranded, secret, options)).type,
    rotation: (await verifyWebhook(body, signed, rotating, options)).type,
  };
}

/** Svix's package, named in a variable so that a Worker's bundler does not look for it. */
const SVIX = "svix";

/** Svix's own package signs, this package verifies; and the reverse (Node 22+ only). */
async function withSvix(secret, created, options) {
  const { Webhook } = await import(SVIX);
  const svix = new Webhook(secret);
  const body = JSON.stringify(created);
  const timestamp = new Date();
  const theirs = {
    "svix-id": "msg_svix_smoke",
    "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "svix-signature": svix.sign("msg_svix_smoke", timestamp, body),
  };
  const ours = await signWebhook(body, secret);
  // Svix 2's verify returns nothing and throws on a bad delivery.
  const svixAccepts = (payload, headers) => {
    try {
      svix.verify(payload, headers);
      return true;
    } catch {
      return false;
    }
  };
  return {
    oursVerifiesSvix: (await verifyWebhook(body, theirs, secret, options)).type,
    oursRefusesTamperedSvix: await reasonOf(verifyWebhook(`${body} `, theirs, secret, options)),
    svixVerifiesOurs: svixAccepts(body, ours),
    svixRefusesTampered: !svixAccepts(`${body} `, ours),
    svixRefusesOtherId: !svixAccepts(body, { ...ours, "svix-id": "msg_other" }),
    svixRefusesOtherTimestamp: !svixAccepts(body, {
      ...ours,
      "svix-timestamp": String(Number(ours["svix-timestamp"]) - 1),
    }),
  };
}

/**
 * Runs the checks. `config` holds the secret, the spec's webhook examples and the vectors;
 * `validators` (from `nectar-climate-connection/validators`) is passed by a bundled Worker.
 */
export async function webhookSmoke(config, validators) {
  const { secret, payloads, svix } = config;
  const options = validators === undefined ? {} : { validators };
  const validatedBody = JSON.stringify(payloads.validated);
  const event = await verifyWebhook(
    validatedBody,
    await signWebhook(validatedBody, secret),
    secret,
    options,
  );
  const updatedBody = JSON.stringify(payloads.updated);
  const request = new Request("https://receiver.example/webhooks/nectar", {
    method: "POST",
    headers: { ...(await signWebhook(updatedBody, secret)), "content-type": "application/json" },
    body: updatedBody,
  });
  const fromRequest = await verifyWebhookRequest(request, secret, options);
  const deduper = createWebhookDeduper({ maxIds: 2 });
  return {
    runtime: runtime(),
    vectors: await vectors(config.vectors, options),
    signed: { type: event.type, id: event.payload.id, status: event.payload.status },
    request: { type: fromRequest.type, protectedChanges: fromRequest.payload.protectedChanges },
    refused: await refusals(secret, payloads.validated, options),
    refusedToo: await otherRefusals(secret, payloads.validated, options),
    forms: await forms(secret, payloads.validated, options),
    deduper: [deduper.claim(event.messageId), deduper.claim(event.messageId)],
    svix: svix ? await withSvix(secret, payloads.created, options) : null,
  };
}

/**
 * What verifying a known event without `validators` does where they cannot be loaded (a
 * bundled Worker): it rejects with the error that says to pass them.
 */
export async function webhookValidatorsMissing({ secret, payloads }) {
  const body = JSON.stringify(payloads.validated);
  try {
    await verifyWebhook(body, await signWebhook(body, secret), secret);
    return { resolved: true };
  } catch (error) {
    return { name: error?.name, isNectarError: isNectarError(error), message: error?.message };
  }
}

const config =
  globalThis.Deno?.env.get("NECTAR_WEBHOOK_SMOKE") ?? globalThis.process?.env?.NECTAR_WEBHOOK_SMOKE;
if (typeof config === "string") {
  // A rejection here is unhandled: every runtime then exits non-zero with the error on stderr.
  webhookSmoke(JSON.parse(config)).then((report) => console.log(JSON.stringify(report)));
}
