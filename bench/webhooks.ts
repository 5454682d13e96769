/**
 * Webhook verification (`--only webhooks`): verifications per second of a 2 KB and a 100 KB
 * `connection.validated.v2` delivery, one at a time, by `verifyWebhook` (the built package: HMAC
 * with Web Crypto, header and timestamp checks, JSON parse, schema check), by `standardwebhooks`
 * (`new Webhook(secret).verify`, pure-JavaScript HMAC, JSON parse) and by a floor: the least a
 * Web Crypto verifier does (import the key, HMAC, base64, compare, `JSON.parse`), written twice
 * (A/A) for the run's noise. Rounds alternate the order; every ratio is per round, to the floor of
 * the same round, median over rounds: above 1 is faster than the floor.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { type FacadeModule, median, projectRoot, round } from "./common.ts";
import { AA, type Comparison, compare, type Noise, noiseOf, perRoundRatios } from "./noise.ts";

/** How much to run, per payload size. */
export interface WebhookConfig {
  rounds: number;
  warmupCalls: number;
  /** Verifications per contender per round, for the 2 KB and the 100 KB payload. */
  callsPerRound: { small: number; large: number };
}

/** One contender on one payload. */
export interface WebhookStats {
  name: string;
  /** Median over rounds of the round's verifications per second. */
  opsPerSecond: number;
  /** Median of the per-round ratios to the floor's ops/s: above 1 is faster. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  withinNoise: boolean;
  /** `verifyWebhook` against `standardwebhooks`, ops/s ratio (above 1: faster). */
  comparison: Comparison | null;
}

/** One payload size. */
export interface WebhookPayloadResult {
  label: string;
  bytes: number;
  noise: Noise;
  contenders: WebhookStats[];
}

/** Everything this part measured. */
export interface WebhookResult {
  config: WebhookConfig;
  payloads: WebhookPayloadResult[];
}

const SECRET = "whsec_GIPLoZ7sCStB9QA2aqHjfIxStJ6HfrufGnVTtMtEIBc=";
const FLOOR = "floor (Web Crypto HMAC)";
const OURS = "verifyWebhook";
const STANDARD = "standardwebhooks";

/** A delivery: the raw body and Svix's headers, signed now. */
interface Delivery {
  body: string;
  headers: Record<string, string>;
}

/** The spec's validated example with accounts added until its JSON reaches `bytes`. */
function payloadOf(bytes: number): string {
  const spec = JSON.parse(
    readFileSync(path.join(projectRoot, "generated", "openapi.json"), "utf8"),
  ) as { components: { examples: Record<string, { value: { accounts: object[] } }> } };
  const example = spec.components.examples.ConnectionValidatedV2PasswordIncorrect?.value;
  if (example === undefined) throw new Error("no ConnectionValidatedV2PasswordIncorrect example");
  const [account] = example.accounts;
  const accounts: object[] = [];
  const payload = { ...example, accounts };
  for (let i = 0; JSON.stringify(payload).length < bytes; i++) {
    const hex = i.toString(16).padStart(12, "0");
    accounts.push({ ...account, id: `1f6e9a2b-3c4d-4e5f-8a9b-${hex}` });
  }
  return JSON.stringify(payload);
}

/** Signs `body` now with the reference library. */
function deliver(body: string): Delivery {
  const id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  const timestamp = new Date();
  return {
    body,
    headers: {
      "svix-id": id,
      "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "svix-signature": new Webhook(SECRET).sign(id, timestamp, body),
    },
  };
}

/** The least a Web Crypto verifier does. Written twice on purpose: the A/A pair. */
function floorVerifier(): (delivery: Delivery) => Promise<unknown> {
  const key = Uint8Array.from(atob(SECRET.slice(6)), (c) => c.charCodeAt(0));
  return async ({ body, headers }) => {
    const cryptoKey = await crypto.subtle.importKey(
      "raw",
      key,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const content = new TextEncoder().encode(
      `${headers["svix-id"]}.${headers["svix-timestamp"]}.${body}`,
    );
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, content));
    let binary = "";
    for (const byte of mac) binary += String.fromCharCode(byte);
    if (`v1,${btoa(binary)}` !== headers["svix-signature"]) throw new Error("floor: no match");
    return JSON.parse(body);
  };
}

/** The A/A copy of {@link floorVerifier}, with its own JIT feedback. */
function floorVerifierCopy(): (delivery: Delivery) => Promise<unknown> {
  const key = Uint8Array.from(atob(SECRET.slice(6)), (c) => c.charCodeAt(0));
  return async ({ body, headers }) => {
    const cryptoKey = await crypto.subtle.importKey(
      "raw",
      key,
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const content = new TextEncoder().encode(
      `${headers["svix-id"]}.${headers["svix-timestamp"]}.${body}`,
    );
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, content));
    let binary = "";
    for (const byte of mac) binary += String.fromCharCode(byte);
    if (`v1,${btoa(binary)}` !== headers["svix-signature"]) throw new Error("floor: no match");
    return JSON.parse(body);
  };
}

/** The contenders, each a function verifying one delivery. */
function contenders(facade: FacadeModule): Map<string, (delivery: Delivery) => Promise<unknown>> {
  const standard = new Webhook(SECRET);
  return new Map<string, (delivery: Delivery) => Promise<unknown>>([
    [FLOOR, floorVerifier()],
    [AA, floorVerifierCopy()],
    [
      STANDARD,
      async ({ body, headers }) =>
        standard.verify(body, {
          "webhook-id": headers["svix-id"] ?? "",
          "webhook-timestamp": headers["svix-timestamp"] ?? "",
          "webhook-signature": headers["svix-signature"] ?? "",
        }),
    ],
    [OURS, ({ body, headers }) => facade.verifyWebhook(body, headers, SECRET)],
  ]);
}

/** Verifies `delivery` `calls` times in sequence; returns the wall time in ms. */
async function timed(verify: (d: Delivery) => Promise<unknown>, delivery: Delivery, calls: number) {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await verify(delivery);
  return performance.now() - started;
}

/** Measures one payload size. */
async function measure(
  facade: FacadeModule,
  label: string,
  body: string,
  calls: number,
  config: WebhookConfig,
  log: (line: string) => void,
): Promise<WebhookPayloadResult> {
  const verifiers = contenders(facade);
  const names = [...verifiers.keys()];
  const check = deliver(body);
  for (const [name, verify] of verifiers) {
    const parsed = (await verify(check)) as { payload?: unknown };
    const value = name === OURS ? parsed.payload : parsed;
    if (JSON.stringify(value) !== body) throw new Error(`${name} did not return the payload`);
    await timed(verify, check, config.warmupCalls);
  }
  const perRound = new Map(names.map((name) => [name, [] as number[]]));
  for (let r = 0; r < config.rounds; r++) {
    const delivery = deliver(body); // signed now: no round outlives the 5-minute tolerance
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const verify = verifiers.get(name);
      if (verify === undefined) continue;
      perRound.get(name)?.push(calls / ((await timed(verify, delivery, calls)) / 1000));
    }
  }
  log(`webhooks: ${label} done`);
  const opsOf = (name: string) => perRound.get(name) ?? [];
  const noise = noiseOf(perRoundRatios(opsOf(AA), opsOf(FLOOR)));
  const stats = names.map((name): WebhookStats => {
    const ratios = perRoundRatios(opsOf(name), opsOf(FLOOR));
    const ratio = round(median(ratios));
    return {
      name,
      opsPerSecond: Math.round(median(opsOf(name))),
      ratio,
      ratioMin: round(Math.min(...ratios)),
      ratioMax: round(Math.max(...ratios)),
      withinNoise: Math.abs(ratio - 1) <= noise.noise,
      comparison: name === OURS ? compare(STANDARD, opsOf(OURS), opsOf(STANDARD), noise) : null,
    };
  });
  return { label, bytes: new TextEncoder().encode(body).length, noise, contenders: stats };
}

/** Runs the webhook part. */
export async function runWebhooks(
  facade: FacadeModule,
  config: WebhookConfig,
  log: (line: string) => void,
): Promise<WebhookResult> {
  return {
    config,
    payloads: [
      await measure(facade, "2 KB", payloadOf(2 * 1024), config.callsPerRound.small, config, log),
      await measure(
        facade,
        "100 KB",
        payloadOf(100 * 1024),
        config.callsPerRound.large,
        config,
        log,
      ),
    ],
  };
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** The section of `RESULTS.md`. */
export function webhookSection(result: WebhookResult): string {
  const rows = result.payloads.flatMap((payload) =>
    payload.contenders.map((c) => {
      const ratio =
        c.name === FLOOR ? "1" : `${c.ratio.toFixed(2)}${c.withinNoise ? " (within noise)" : ""}`;
      const versus = c.comparison
        ? `${c.comparison.ratio.toFixed(2)}${c.comparison.withinNoise ? " (within noise)" : ""} vs ${c.comparison.to}`
        : "";
      return `| ${payload.label} (${integer.format(payload.bytes)} B) | ${c.name} | ${integer.format(c.opsPerSecond)} | ${ratio} | ${c.ratioMin.toFixed(2)}–${c.ratioMax.toFixed(2)} | ${versus} |`;
    }),
  );
  const noise = result.payloads.map((p) => `${p.label} ±${p.noise.noise.toFixed(2)}`).join(", ");
  return [
    "## Webhook verification",
    "",
    `Verifications per second, one at a time, of a signed \`connection.validated.v2\` delivery (the spec's example, accounts added to reach the size), ${result.config.rounds} rounds in alternating order. × floor: median of per-round ops/s ratios to the floor (Web Crypto HMAC + compare + JSON.parse); above 1 is faster. Noise (A/A): ${noise}. \`verifyWebhook\` also checks headers, timestamp and the payload's schema.`,
    "",
    "| payload | contender | verifications/s | × floor | per-round range | other comparison |",
    "| --- | --- | ---: | ---: | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
