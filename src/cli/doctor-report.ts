/**
 * What `doctor` finds out: one `GET /ping` (a single attempt, no retry) for whether the key is
 * accepted, its latency and the server's `Date` for the clock skew; and the settings of this
 * machine a support ticket needs. The key itself is never part of it, nor any of its characters.
 */
import { VERSION } from "../core/constants.js";
import { NectarAbortError, NectarApiError } from "../core/errors.js";
import { proxyFor, redactProxyUrl } from "../core/proxy-env.js";
import type { OptionValues } from "./args.js";
import type { CommandIo } from "./context.js";
import { EXIT, exitCodeOf, messageOf } from "./io.js";
import { type ProxySetting, proxySettingsOf } from "./proxy-env.js";
import type { SessionClient } from "./session-client.js";

/** What one ping told. */
export interface PingOutcome {
  /** `true` accepted, `false` refused (401 or 403), `null` when no answer said. */
  readonly accepted: boolean | null;
  /** Milliseconds from sending to the answer, `null` without an answer. */
  readonly latencyMs: number | null;
  /** Server clock minus this machine's, in seconds (±0.5 s: `Date` counts whole seconds). */
  readonly clockSkewSeconds: number | null;
  /** What went wrong, in one line (the key masked), or `null`. */
  readonly problem: string | null;
  readonly exitCode: number;
}

/** Everything `doctor` reports. */
export interface DoctorReport extends PingOutcome {
  readonly keySource: string;
  readonly baseUrl: string;
  readonly baseUrlSource: string;
  readonly versions: { readonly package: string; readonly node: string; readonly platform: string };
  readonly proxy: readonly ProxySetting[];
  /** The proxy requests to the base URL go through (credentials redacted), `null` when direct. */
  readonly proxyRoute: string | null;
}

/**
 * The skew from a `Date` header: the server's time (the middle of its second) minus the middle
 * of the request on this machine's clock; `null` without a readable header.
 */
export function clockSkewOf(date: string | null | undefined, sent: number, received: number) {
  const server = date == null ? Number.NaN : Date.parse(date);
  if (Number.isNaN(server)) return null;
  return Math.round((server + 500 - (sent + received) / 2) / 100) / 10;
}

/**
 * Pings once and reads the answer, or the failure.
 * @throws {NectarAbortError} when the run is stopped.
 */
export async function pingOnce(
  client: SessionClient,
  now: () => number,
  mask: (text: string) => string,
): Promise<PingOutcome> {
  const sent = now();
  try {
    const { response } = await client.ping({ maxRetries: 0 }).withResponse();
    const received = now();
    const clockSkewSeconds = clockSkewOf(response.headers.get("date"), sent, received);
    return {
      accepted: true,
      latencyMs: received - sent,
      clockSkewSeconds,
      problem: null,
      exitCode: EXIT.ok,
    };
  } catch (error) {
    if (error instanceof NectarAbortError) throw error;
    const received = now();
    const problem = mask(messageOf(error));
    if (!(error instanceof NectarApiError)) {
      return {
        accepted: null,
        latencyMs: null,
        clockSkewSeconds: null,
        problem,
        exitCode: exitCodeOf(error),
      };
    }
    return {
      accepted: error.status === 401 || error.status === 403 ? false : null,
      latencyMs: received - sent,
      clockSkewSeconds: clockSkewOf(error.headers.date, sent, received),
      problem,
      exitCode: EXIT.api,
    };
  }
}

/** Where the key came from (never the key). */
function keySourceOf(values: OptionValues): string {
  if (values.mock === true) return "the mock's own key";
  return typeof values["api-key"] === "string" ? "--api-key" : "NECTAR_API_KEY";
}

/** Where the base URL came from. */
function baseUrlSourceOf(values: OptionValues, io: CommandIo): string {
  if (values.mock === true) return "the embedded mock";
  if (typeof values["base-url"] === "string") return "--base-url";
  return io.env.NECTAR_BASE_URL ? "NECTAR_BASE_URL" : "the default";
}

/**
 * The proxy the session's requests go through: the environment's, as the session client routes
 * them (`NO_PROXY` applied), none against the embedded mock.
 */
function proxyRouteOf(baseUrl: string, values: OptionValues, io: CommandIo): string | null {
  const through = values.mock === true ? undefined : proxyFor(baseUrl, io.env);
  return through === undefined ? null : redactProxyUrl(through);
}

/** The report of one run: the ping's outcome and this machine's settings. */
export function reportOf(
  ping: PingOutcome,
  client: SessionClient,
  values: OptionValues,
  io: CommandIo,
): DoctorReport {
  return {
    ...ping,
    keySource: keySourceOf(values),
    baseUrl: client.baseUrl,
    baseUrlSource: baseUrlSourceOf(values, io),
    versions: {
      package: VERSION,
      node: process.versions.node,
      platform: `${process.platform} ${process.arch}`,
    },
    proxy: proxySettingsOf(io.env),
    proxyRoute: proxyRouteOf(client.baseUrl, values, io),
  };
}
