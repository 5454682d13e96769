/** The public types of the mock server, and its constants. */
import type { Connection, InvitationDetail } from "../../generated/schema.js";
import type { MockFleetOptions } from "./fleet.js";
import type { MockStatusChange } from "./status-changes.js";
import type { MockWebhookEventType } from "./webhook-payloads.js";

export type { MockFleetOptions } from "./fleet.js";
export type { MockStatusChange } from "./status-changes.js";
export type { MockWebhookEventType } from "./webhook-payloads.js";

/** The path prefix of every answered URL, mirroring `https://external.nectarclimate.com/v2.2`. */
export const MOCK_BASE_PATH = "/v2.2";

/** How many requests {@link MockStats.log} keeps: the newest ones; older entries are dropped. */
export const MOCK_LOG_LIMIT = 1_000;

/** The longest `latencyMs` the mock takes: a minute. */
export const MAX_MOCK_LATENCY_MS = 60_000;

/** How many invitations the mock keeps by default (see {@link MockServerOptions.maxInvitations}). */
export const DEFAULT_MOCK_INVITATIONS = 10_000;

/** The largest `maxInvitations`. */
export const MAX_MOCK_INVITATIONS = 1_000_000;

/**
 * Svix's retry schedule: after a failed attempt, the next comes 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h and 10 h later (each counted from the failure before it): eight attempts in all.
 */
export const SVIX_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze([
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
]);

/** Svix's deadline for a receiver's answer: 15 s. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 15_000;

/** Messages in progress (being sent or waiting for a retry) the mock keeps at most by default. */
export const DEFAULT_WEBHOOK_QUEUE = 1_000;

/** The API key the mock accepts when {@link MockServerOptions.apiKey} is not given. */
export const DEFAULT_MOCK_API_KEY = "mock-api-key";

/**
 * A JSON answer with a chosen status, e.g. a 429 with a `Retry-After` header or a 503.
 *
 * When `body` is left out it defaults to the spec's example for the status: 400, 401, 403, 404
 * and 429 get the `detail` of `ErrorBadRequest`, `ErrorUnauthorized`, `ErrorForbidden`,
 * `ErrorNotFound` and `ErrorTooManyRequests`, any 5xx that of `ErrorServerError`, a 2xx the stored
 * connection (or `{}` when the id is unknown), and any other status `{ "detail": <reason phrase> }`.
 * `headers` are added to (and may override) `content-type: application/json`.
 *
 * @example
 * ```ts
 * mock.script(id, [{ status: 429, headers: { "Retry-After": "1" } }, { status: 503 }]);
 * ```
 */
export interface MockStatusFault {
  kind?: never;
  /** HTTP status, 200-599. */
  status: number;
  /** The JSON body; defaults as described above. */
  body?: unknown;
  /** Extra response headers, e.g. `{ "Retry-After": "2" }`. */
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
}

/**
 * One scripted misbehaviour, consumed by one request to the scripted connection id (after the
 * API key has been checked). See {@link MockServer.script}.
 *
 * | fault | what the client sees |
 * | --- | --- |
 * | `{ status, body?, headers? }` | a JSON answer with that status (see {@link MockStatusFault}) |
 * | `{ kind: "json", status?, body, headers? }` | any JSON body, status defaults to 200 (e.g. an unknown `status` value, an undeclared 422) |
 * | `{ kind: "reset" }` | the socket is reset before any byte of the answer |
 * | `{ kind: "hang" }` | the request is accepted and never answered |
 * | `{ kind: "endless-body" }` | 200 headers and the start of a JSON body that trickles forever |
 * | `{ kind: "truncated-json" }` | 200 with the Content-Length of the full body, half the body, then the socket is destroyed |
 * | `{ kind: "html", status? }` | an HTML error page (`text/html`), status defaults to 502 |
 * | `{ kind: "invalid-json" }` | 200 `application/json` whose complete body is not JSON |
 * | `{ kind: "delay", ms }` | the normal answer, `ms` late |
 *
 * Every fault may carry `delayMs`: the wait before the fault happens.
 */
export type MockFault =
  | MockStatusFault
  | {
      kind: "json";
      /** HTTP status, 200-599; defaults to 200. */
      status?: number;
      /** Sent as `JSON.stringify(body)`. */
      body: unknown;
      headers?: Record<string, string>;
      delayMs?: number;
    }
  | { kind: "reset"; delayMs?: number }
  | { kind: "hang"; delayMs?: number }
  | { kind: "endless-body"; delayMs?: number }
  | { kind: "truncated-json"; delayMs?: number }
  | {
      kind: "html";
      /** HTTP status, 200-599; defaults to 502. */
      status?: number;
      delayMs?: number;
    }
  | { kind: "invalid-json"; delayMs?: number }
  | {
      kind: "delay";
      /** How late the normal answer comes. */
      ms: number;
      delayMs?: number;
    };

/** One request as the mock received it; `x-api-key` and `authorization` read `"[redacted]"`. */
export interface MockRequestLogEntry {
  method: string;
  /** The request target as sent, query string included. */
  path: string;
  /** Header names in lower case; repeated headers joined with `", "`. */
  headers: Record<string, string>;
}

/** Counters kept by the mock. The object is live: it changes as requests arrive. */
export interface MockStats {
  /** Requests received, whatever their answer. */
  requests: number;
  /** Requests whose answer has not finished (or whose socket is still open, for `hang`). */
  inFlight: number;
  /** The highest `inFlight` seen since start or {@link MockServer.reset}. */
  maxInFlight: number;
  /**
   * The most recent requests, oldest first: at most {@link MOCK_LOG_LIMIT} (1 000), so a
   * long-running mock keeps a bounded window rather than every request it ever saw.
   */
  log: MockRequestLogEntry[];
  /**
   * Invitations created by `POST /invitation/connection/{id}` since start or reset: one per
   * normal 2xx answer (or 2xx fault). A request refused or faulted otherwise creates none.
   */
  invitationsCreated: number;
  /** The webhooks sent (all zero without {@link MockServerOptions.webhooks}). */
  webhooks: MockWebhookStats;
}

/** Counters of the mock's webhooks, live like {@link MockStats}. */
export interface MockWebhookStats {
  /** Messages queued: one per event (a retry is the same message). */
  sent: number;
  /** HTTP attempts made, retries included. */
  attempts: number;
  /** Messages acknowledged by a 2xx. */
  delivered: number;
  /**
   * Messages given up: every attempt of the schedule failed, or the receiver answered
   * `webhook-delivery: abort-message`.
   */
  failed: number;
  /** Events not sent because {@link MockWebhookOptions.maxQueue} messages were in progress. */
  dropped: number;
  /** Messages being sent or waiting for a retry now. */
  inProgress: number;
  /** The most recent messages, oldest first (at most {@link MOCK_LOG_LIMIT}): id and type. */
  events: { messageId: string; eventType: MockWebhookEventType }[];
}

/**
 * Where and how the mock sends webhooks ({@link MockServerOptions.webhooks}). Each event is
 * signed with the package's `signWebhook` under `secret` and posted to `url`; a non-2xx answer
 * (a redirect included), no answer within `timeoutMs`, or a network error is retried after the
 * next wait of `retryScheduleMs`, with the same message id and a fresh timestamp and signature.
 *
 * @example
 * ```ts
 * const mock = await startMockServer({
 *   webhooks: { url: "http://127.0.0.1:3000/webhooks/nectar", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", retryScheduleMs: [50, 100] },
 * });
 * ```
 */
export interface MockWebhookOptions {
  /** The receiver: an http or https URL without credentials. */
  url: string;
  /** The endpoint secret (`whsec_` + base64), or several: each signs, one `v1` entry each. */
  secret: string | readonly string[];
  /**
   * The waits after each failed attempt, in ms; default {@link SVIX_RETRY_SCHEDULE_MS}. Give
   * short ones in tests (`[50, 100]`: three attempts); `[]` means one attempt, no retry. At most
   * 20 waits of at most 10 hours each.
   */
  retryScheduleMs?: readonly number[] | undefined;
  /** How long an attempt waits for the answer's headers, in ms; default 15 000 (Svix's), at most 60 000. */
  timeoutMs?: number | undefined;
  /** Messages in progress at most (default 1 000): an event past it is dropped and counted. */
  maxQueue?: number | undefined;
  /**
   * The header names: `"svix"` (`svix-id`, `svix-timestamp`, `svix-signature`, what Svix
   * sends by default) or `"webhook"` (`webhook-id`…, Standard Webhooks' names); default `"svix"`.
   */
  headerPrefix?: "svix" | "webhook" | undefined;
}

/** Options of {@link startMockServer}. */
export interface MockServerOptions {
  /**
   * The connections the mock knows; defaults to the `value` of the spec's three Connection
   * examples (`ConnectionPasswordIncorrect`, `ConnectionDeactivated`, `ConnectionSeed`, the last
   * one Nectar's placeholder, served with realistic values in place of `<string>`), or to none
   * when `fleet` is given. They are copied, and looked up by `id` without regard to case.
   */
  connections?: Connection[] | undefined;
  /** The only `X-API-KEY` value accepted; defaults to {@link DEFAULT_MOCK_API_KEY}. */
  apiKey?: string | undefined;
  /** Port on 127.0.0.1; defaults to 0 (a free port). */
  port?: number | undefined;
  /**
   * The invitations the mock knows at start; defaults to the spec's `InvitationDetailActive` and
   * `InvitationDetailRevoked` examples. Created ones are added as requests arrive.
   */
  invitations?: InvitationDetail[] | undefined;
  /**
   * The mock's clock in ms, for invitation times (`createdAt`, `expiresAt`) and expiry; default
   * `Date.now`. Pass a function over a variable to move time in a test.
   */
  now?: (() => number) | undefined;
  /**
   * Serves `size` generated connections (after `connections`), the same for the same `seed`,
   * spread over all 13 statuses with realistic fields; their ids are in {@link MockServer.ids}.
   * Without `connections`, the fleet is served alone (no example): `{ size: 40 }` serves 40.
   */
  fleet?: MockFleetOptions | undefined;
  /** Every answer waits this long, as over a real network; default 0, at most 60 000 ms. */
  latencyMs?: number | undefined;
  /**
   * The most invitations the mock keeps, default {@link DEFAULT_MOCK_INVITATIONS} (10 000), at
   * most {@link MAX_MOCK_INVITATIONS}. When a create finds the store full, the mock first drops
   * the oldest expired invitations, then the oldest of all, a tenth of the store at a time, so a
   * long-running mock (a load test) holds bounded memory. A dropped invitation answers 404.
   */
  maxInvitations?: number | undefined;
  /**
   * Sends signed webhooks to a receiver, as Nectar does through Svix: `connection.updated.v2`
   * and `connection.validated.v2` when a connection's status changes (a scripted change, or
   * {@link MockServer.setConnection} with another status), `connection.updated.v2` alone when
   * other fields change, and `connection.created.v2` when `setConnection` adds a connection.
   * Off by default.
   */
  webhooks?: MockWebhookOptions | undefined;
  /**
   * Also serves `POST /_mock/connection/{id}/status` (with the API key), whose JSON body
   * `{ "becomes": "CONNECTED", "after"?: polls, "afterMs"?: ms }` scripts a status change as
   * `mock.script(id, change)` does: 202 once scheduled, 400 for a bad change, 404 for an unknown
   * connection. For tests written in other languages (`nectar-connection mock` turns it on);
   * outside `/v2.2`, so it never shadows Nectar's API. Default false.
   */
  control?: boolean | undefined;
}

/** A running mock, as resolved by {@link startMockServer}. */
export interface MockServer {
  /** The base URL to give a client, e.g. `http://127.0.0.1:41235/v2.2` (no trailing slash). */
  readonly url: string;
  /** The accepted `X-API-KEY` value. */
  readonly apiKey: string;
  /** Live counters and the request log. */
  readonly stats: MockStats;
  /** The id of every connection served at start, in order: `connections` (or the examples), then the fleet. */
  readonly ids: readonly string[];
  /**
   * The id of every company a connection served at start belongs to (`company.id`), in order
   * of first appearance: what `GET /connection/company/{company_id}` lists. The fleet spreads
   * over four companies.
   */
  readonly companyIds: readonly string[];
  /**
   * Queues faults for `connectionId` (matched without regard to case): each request to that id
   * that passes the API-key check takes the next fault; once the queue is empty, requests get
   * normal answers again. Calling it again appends to the queue. The id is the one in the
   * path: a connection id also scripts `POST /invitation/connection/{id}`, an invitation id
   * its retrieve and revoke.
   */
  script(connectionId: string, faults: readonly MockFault[]): void;
  /**
   * Scripts a status change: `script(id, { becomes: "CONNECTED", after: 3 })` answers 3 polls
   * with the current status, then the new one (with fresh status times); `afterMs` counts time
   * instead. Faulted requests are not polls. Changes queue one after the other.
   */
  script(connectionId: string, change: MockStatusChange): void;
  /** Adds a connection, or replaces the one with the same `id`. */
  setConnection(connection: Connection): void;
  /**
   * Clears every script and the stats (`maxInFlight` restarts from the current `inFlight`), and
   * restores the connections given at start (undoing {@link MockServer.setConnection}) and the
   * invitations (forgetting created ones and revocations).
   */
  reset(): void;
  /**
   * Stops the server and destroys every open socket, hung ones included, and every pending
   * timer, so nothing is left behind. Safe to call more than once.
   */
  close(): Promise<void>;
}
