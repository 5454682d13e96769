/**
 * `connections.waitFor`: polls one connection until a condition on it holds, slowing down while
 * its status does not change, within an overall time limit (`deadlineMs`). Timers are the global ones, so
 * tests drive it with fake timers.
 */
import type { Connection } from "../../generated/schema.js";
import {
  DEFAULT_WAIT_INTERVAL_MS,
  DEFAULT_WAIT_MAX_INTERVAL_MS,
  WAIT_BACKOFF_FACTOR,
} from "../core/constants.js";
import {
  NectarAbortError,
  NectarConnectionError,
  NectarInvalidInputError,
  NectarRateLimitError,
  NectarServerError,
  NectarWaitTimeoutError,
} from "../core/errors.js";
import { requireUuid } from "../core/input.js";
import {
  aFunction,
  aSignal,
  checkOptions,
  eachElement,
  type OptionTable,
  positiveNumber,
  wholeNumber,
} from "../core/option-table.js";
import { connectionHealth, HEALTH_GROUPS, type HealthGroup } from "../helpers/status.js";

/** When a wait is over: a health group, any of several, or a test of the connection. */
export type WaitCondition =
  | HealthGroup
  | readonly HealthGroup[]
  | ((connection: Connection) => boolean);

/** Options of {@link ConnectionsResource.waitFor}. */
export interface WaitForOptions {
  /**
   * Stop waiting when this holds. Default: the connection's health group is no longer
   * `needs_user_action` or `pending` (the user fixed it, or Nectar reached a verdict).
   */
  until?: WaitCondition | undefined;
  /** The first pause between polls; default 60 000 ms. Reset to this value on each status change. */
  intervalMs?: number | undefined;
  /** The pause grows by half after each poll that saw no change, up to this; default 600 000 ms. */
  maxIntervalMs?: number | undefined;
  /**
   * Gives up after this long in all, with {@link NectarWaitTimeoutError}; default no limit.
   * Each poll's own limit is the client's `timeoutMs` (per attempt, as everywhere).
   */
  deadlineMs?: number | undefined;
  /**
   * The overall limit under its old name: the same as `deadlineMs`. Giving both is refused.
   * @deprecated Use `deadlineMs` (`timeoutMs` means per attempt everywhere else); this alias
   * goes in the next major.
   */
  timeoutMs?: number | undefined;
  /** Stops the wait with {@link NectarAbortError}; a poll in flight is aborted. */
  signal?: AbortSignal | undefined;
  /** Called with the first connection seen (`previous` undefined), then on each status change. */
  onChange?: ((connection: Connection, previous: Connection | undefined) => void) | undefined;
  /** Retries of each poll, as in `retrieve`; default the client's. */
  maxRetries?: number | undefined;
}

/** The checks of `waitFor`'s options. */
export const WAIT_FOR_OPTION_TABLE: OptionTable<WaitForOptions> = {
  until: (value) => {
    conditionOf(value); // refuses an unknown group or a hole before the first poll
    return value as WaitCondition;
  },
  intervalMs: positiveNumber(),
  maxIntervalMs: positiveNumber(),
  deadlineMs: positiveNumber(),
  timeoutMs: positiveNumber(),
  signal: aSignal,
  onChange: aFunction(),
  maxRetries: wholeNumber(0),
};

/** The longest delay `setTimeout` takes. */
const MAX_TIMER_MS = 2_147_483_647;

/** One poll: `retrieve` with the wait's signal. */
export type Poll = (
  id: string,
  options: { signal: AbortSignal; maxRetries?: number },
) => Promise<Connection>;

/** The default condition: the user has nothing left to do and Nectar is not still deciding. */
function settledHealth(connection: Connection): boolean {
  const { group } = connectionHealth(connection);
  return group !== "needs_user_action" && group !== "pending";
}

/** Turns `until` into a test, refusing an unknown group name. */
export function conditionOf(until: unknown): (connection: Connection) => boolean {
  if (until === undefined) return settledHealth;
  if (typeof until === "function") return (connection) => until(connection) === true;
  const expected = `a health group (${[...HEALTH_GROUPS].join(", ")}), a list of them, or a function`;
  const group = (value: unknown, name: string): HealthGroup => {
    const known = HEALTH_GROUPS.find((name) => name === value);
    if (known !== undefined) return known;
    throw new NectarInvalidInputError(`${name} must be ${expected}.`);
  };
  const groups = Array.isArray(until)
    ? eachElement(until, "until", group)
    : [group(until, "until")];
  if (groups.length === 0) throw new NectarInvalidInputError(`until must be ${expected}.`);
  return (connection) => groups.includes(connectionHealth(connection).group);
}

/** The next pause: back to the start after a change, else half as long again, capped. */
export function nextInterval(current: number, changed: boolean, first: number, max: number) {
  return changed ? first : Math.min(max, current * WAIT_BACKOFF_FACTOR);
}

/** Failures worth polling again after: throttling, Nectar's own errors, the network. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof NectarRateLimitError ||
    error instanceof NectarServerError ||
    error instanceof NectarConnectionError
  );
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The checked options, with their defaults. */
function waitSettings(options: WaitForOptions | undefined) {
  const checked = checkOptions(options, WAIT_FOR_OPTION_TABLE, "waitFor");
  const intervalMs = checked.intervalMs ?? DEFAULT_WAIT_INTERVAL_MS;
  const maxIntervalMs = checked.maxIntervalMs ?? DEFAULT_WAIT_MAX_INTERVAL_MS;
  return {
    ...checked,
    intervalMs,
    maxIntervalMs: Math.max(intervalMs, maxIntervalMs),
    deadlineMs: deadlineOf(checked),
  };
}

/** The overall limit: `deadlineMs`, or its deprecated alias `timeoutMs`; both is ambiguous. */
function deadlineOf({ deadlineMs, timeoutMs }: WaitForOptions): number {
  if (deadlineMs !== undefined && timeoutMs !== undefined) {
    throw new NectarInvalidInputError(
      "waitFor takes deadlineMs or timeoutMs (its deprecated name), not both: give deadlineMs.",
    );
  }
  return deadlineMs ?? timeoutMs ?? Number.POSITIVE_INFINITY;
}

/**
 * Polls `id` with `poll` until `options.until` holds, and resolves to that connection. Bad
 * options throw before the first poll. Transient failures (429, 5xx, network) do not end the
 * wait: the next poll comes after the usual pause, or after the server's `Retry-After` when
 * that is longer. Any other failure rejects at once.
 */
export async function waitForConnection(
  poll: Poll,
  id: string,
  options?: WaitForOptions,
): Promise<Connection> {
  const connectionId = requireUuid(id, "connectionId");
  const settings = waitSettings(options);
  const { signal } = settings;
  const stop = new AbortController();
  const progress: WaitProgress = { polls: 0, previous: undefined, started: Date.now() };
  const onAbort = () => stop.abort(new NectarAbortError("waitFor was aborted by the caller."));
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  const deadline = startDeadline(stop, settings.deadlineMs, progress);
  try {
    return await pollUntil(poll, connectionId, settings, stop.signal, progress);
  } finally {
    clearTimeout(deadline);
    signal?.removeEventListener("abort", onAbort);
  }
}

/** What the wait has seen so far, for its timeout error. */
interface WaitProgress {
  polls: number;
  previous: Connection | undefined;
  readonly started: number;
}

/** Aborts `stop` with {@link NectarWaitTimeoutError} after `deadlineMs`; no timer for no limit. */
function startDeadline(stop: AbortController, deadlineMs: number, progress: WaitProgress) {
  if (!Number.isFinite(deadlineMs)) return undefined;
  const expire = () =>
    stop.abort(
      new NectarWaitTimeoutError({
        deadlineMs,
        polls: progress.polls,
        lastStatus: progress.previous?.status,
        waitedMs: Date.now() - progress.started,
      }),
    );
  return setTimeout(expire, Math.min(deadlineMs, MAX_TIMER_MS));
}

/**
 * One poll. A transient failure (429, 5xx, network) pauses the usual interval (or the server's
 * longer `Retry-After`) and gives `undefined`; any other failure, or the wait's end, throws.
 */
async function pollOnce(
  poll: Poll,
  id: string,
  maxRetries: number | undefined,
  interval: number,
  signal: AbortSignal,
): Promise<Connection | undefined> {
  try {
    return await poll(id, { signal, ...(maxRetries === undefined ? {} : { maxRetries }) });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (!isTransient(error)) throw error;
    const asked = error instanceof NectarRateLimitError ? (error.retryAfterMs ?? 0) : 0;
    await pause(Math.max(interval, asked), signal);
    return undefined;
  }
}

/** Polls until the condition holds, pausing longer while the status stays the same. */
async function pollUntil(
  poll: Poll,
  id: string,
  settings: ReturnType<typeof waitSettings>,
  signal: AbortSignal,
  progress: WaitProgress,
): Promise<Connection> {
  const { intervalMs, maxIntervalMs, onChange, maxRetries } = settings;
  const done = conditionOf(settings.until);
  let interval = intervalMs;
  for (;;) {
    if (signal.aborted) throw signal.reason;
    progress.polls++;
    const connection = await pollOnce(poll, id, maxRetries, interval, signal);
    if (connection === undefined) continue;
    const { previous } = progress;
    const changed = previous === undefined || previous.status !== connection.status;
    if (changed) onChange?.(connection, previous);
    if (done(connection)) return connection;
    interval =
      previous === undefined
        ? intervalMs
        : nextInterval(interval, changed, intervalMs, maxIntervalMs);
    progress.previous = connection;
    await pause(interval, signal);
  }
}
