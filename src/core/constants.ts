/** Defaults and fixed numbers of the client, each with the reason it has the value it has. */

/** This package's version, sent in the User-Agent (a test keeps it equal to package.json's). */
export const VERSION = "0.1.0";

/** Nectar's production server; the API version is part of the path. */
export const DEFAULT_BASE_URL = "https://external.nectarclimate.com/v2.2";

/** Where Nectar's public magic-link pages live. */
export const DEFAULT_DASHBOARD_URL = "https://dash.nectarclimate.com";

/** Per attempt, headers and body: long enough for a slow scrape-backed lookup, short enough to notice a hang. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Two retries (three attempts) ride out a brief outage without multiplying traffic. */
export const DEFAULT_MAX_RETRIES = 2;

/** Nectar's documented ceiling of requests in flight per integration. */
export const DEFAULT_MAX_CONCURRENCY = 10;

/** The first backoff delay; each further retry doubles it. */
export const INITIAL_RETRY_DELAY_MS = 500;

/** The longest backoff delay between two attempts. */
export const MAX_RETRY_DELAY_MS = 8_000;

/** Backoff delays are shortened at random by up to this share, so clients do not retry in step. */
export const RETRY_JITTER = 0.25;

/** A server's Retry-After is honoured up to this long; beyond it the backoff applies instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** The retry budget (AWS SDK standard mode): tokens a client starts with and can hold. */
export const RETRY_BUDGET_CAPACITY = 500;

/** Tokens one retry spends. */
export const RETRY_COST = 5;

/** Tokens a retry after a timeout spends: a timing-out server is the one most hurt by retries. */
export const TIMEOUT_RETRY_COST = 10;

/** Tokens a success earns back when it needed no retry. */
export const SUCCESS_REFUND = 1;

/** Statuses worth another attempt besides 5xx: request timeout and throttling. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429]);

/** Response headers that may carry a request id (Nectar documents none; proxies often add one). */
export const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-amzn-requestid"] as const;

/** Headers never written to a log or an error. */
export const REDACTED_HEADERS: ReadonlySet<string> = new Set([
  "x-api-key",
  "authorization",
  "cookie",
  "set-cookie",
]);

/** Longest server-provided `detail` quoted in an error message. */
export const MAX_DETAIL_IN_MESSAGE = 300;

/** Decoded bytes one response may hold: a Connection is a few KiB, so 10 MiB is room to grow that still bounds memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Bytes of a non-2xx body kept for its error: a `detail` line fits many times over, a data dump does not. */
export const ERROR_BODY_BYTES = 8 * 1024;

/** Nesting beyond which an error body is kept as text, not parsed: Nectar's are 2 levels deep. */
export const MAX_ERROR_BODY_DEPTH = 64;

/** Same-origin redirects followed per attempt: one trailing-slash hop with room to spare, never a loop. */
export const MAX_REDIRECTS = 3;

/** A `Retry-After` longer than a day is reported as unknown (`retryAfterMs: undefined`), not believed. */
export const MAX_REPORTED_RETRY_AFTER_MS = 86_400_000;

/** JSON fields whose values are secrets, masked in error bodies (magic-link secrets; invitation tokens). */
export const SECRET_FIELDS: readonly string[] = [
  "connectionMagicLinkSecret",
  "token",
  "invitationUrl", // embeds the token
];

/**
 * The first pause of `waitFor` between two polls. A status changes when Nectar's collector next
 * logs in (minutes after a user fixes their credentials, hours for a new connection), so polling
 * faster finds nothing new and spends the integration's request budget.
 */
export const DEFAULT_WAIT_INTERVAL_MS = 60_000;

/** `waitFor`'s pause grows while the status stays the same, up to this (a new connection can take 48 h). */
export const DEFAULT_WAIT_MAX_INTERVAL_MS = 600_000;

/** How much `waitFor`'s pause grows after each poll that saw no change. */
export const WAIT_BACKOFF_FACTOR = 1.5;

/** Ids `retrieveMany` reads ahead and fetches at once by default: the client's default cap. */
export const DEFAULT_BULK_CONCURRENCY = DEFAULT_MAX_CONCURRENCY;

/**
 * Connections per page `connections.list` asks for: Nectar's maximum `limit`, so a company of
 * 10 000 connections takes 20 requests rather than 100 (Nectar's own default).
 */
export const DEFAULT_LIST_LIMIT = 500;

/** Items `toArray()` collects by default before it throws: about 20 MB of connections. */
export const DEFAULT_TO_ARRAY_MAX = 10_000;

/**
 * The ceiling of a walk through pages is the first page's `totalPages` times this, plus
 * {@link PAGE_CEILING_SLACK}: room for a list that grows while it is read, never an endless walk.
 */
export const PAGE_CEILING_FACTOR = 2;

/** Pages added to the ceiling of a walk, so a small list may grow too. */
export const PAGE_CEILING_SLACK = 10;

/**
 * Ids `retrieveMany` reads from its source before it lets the event loop turn once: a source of
 * duplicates only starts no call, and would otherwise be read for ever in one turn, with no
 * timer, I/O or abort able to run. A few hundred keeps the pause rare (about 1 ms per 256 ids).
 */
export const BULK_READS_PER_TURN = 256;
