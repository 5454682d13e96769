/**
 * Scripted status changes: `server.script(id, { becomes: "CONNECTED", after: 3 })` makes the
 * connection change status after 3 answered polls, or `afterMs` after the call. Checked lazily,
 * when a request arrives, so no timer is left behind.
 */
import type { Connection, ConnectionStatus } from "../../generated/schema.js";
import { errorDetailOf } from "./fleet.js";

/**
 * A status change, scripted with {@link MockServer.script}. Give `after` (polls answered with
 * the old status first) or `afterMs` (time since the call, by `Date.now()`), not both; neither
 * means the next poll sees the change. Several changes of one id happen one after the other,
 * each counted from the previous one.
 */
export interface MockStatusChange {
  /** The new status; the status times, `statusErrorDetail` and `isActive` follow it. */
  becomes: ConnectionStatus;
  /** Polls answered with the current status before the change. */
  after?: number;
  /** Milliseconds after scripting (or after the previous change) before the change. */
  afterMs?: number;
}

/** Is `value` a status change rather than a list of faults? */
export function isStatusChange(value: unknown): value is MockStatusChange {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "becomes" in value;
}

interface Pending {
  readonly change: MockStatusChange;
  /** Polls answered since it was queued or became current. */
  polls: number;
  /** When it was queued or became current, by `Date.now()`. */
  since: number;
}

/** Throws now (in the test that scripts it) on a change the mock could not act out. */
function checkChange(change: MockStatusChange): void {
  const becomes: unknown = change.becomes;
  if (typeof becomes !== "string" || becomes === "") {
    throw new TypeError("A status change needs `becomes`: the new status");
  }
  for (const [name, value] of [
    ["after", change.after],
    ["afterMs", change.afterMs],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`A status change's ${name} must be a finite number >= 0, got ${value}`);
    }
  }
  if (change.after !== undefined && change.afterMs !== undefined) {
    throw new TypeError("A status change takes `after` or `afterMs`, not both");
  }
}

/** The connection with its new status, its status fields made coherent with it. */
function changed(connection: Connection, status: ConnectionStatus, now: number): Connection {
  const at = new Date(now).toISOString();
  return {
    ...connection,
    status,
    statusFirstSeenTime: at,
    statusLastUpdateTime: at,
    updated: at,
    statusErrorDetail: errorDetailOf(status),
    isActive: status !== "DEACTIVATED",
  };
}

/** The scripted changes of one server. */
export interface StatusChanges {
  /** Queues a change for an id (lower case). */
  add(id: string, change: MockStatusChange): void;
  /** Before a normal answer for `id`: applies the change that is due, and counts the poll. */
  beforeAnswer(id: string, connections: Map<string, Connection>): void;
  /** Forgets every scripted change (and cancels its timers). */
  clear(): void;
}

/**
 * What a server with webhooks adds: `onChange` hears every applied change, and an `afterMs`
 * change happens on time even when nobody polls (a timer per id, cancelled by `clear()`).
 */
export interface StatusChangeHooks {
  readonly connections: Map<string, Connection>;
  onChange(before: Connection, after: Connection): void;
}

/** Is the first change of `queue` due now? */
function isDue(current: Pending, now: number): boolean {
  const { after, afterMs } = current.change;
  return afterMs !== undefined ? now - current.since >= afterMs : current.polls >= (after ?? 0);
}

/** The queues and timers of one server's scripted changes. */
interface ChangeState {
  readonly queues: Map<string, Pending[]>;
  readonly timers: Map<string, NodeJS.Timeout>;
  readonly hooks: StatusChangeHooks | undefined;
}

/** Arms the timer of the id's current change, when it counts time and webhooks are on. */
function arm(state: ChangeState, id: string): void {
  const { queues, timers, hooks } = state;
  clearTimeout(timers.get(id));
  timers.delete(id);
  const current = queues.get(id)?.[0];
  const afterMs = current?.change.afterMs;
  if (hooks === undefined || current === undefined || afterMs === undefined) return;
  const wait = Math.max(0, current.since + afterMs - Date.now());
  const timer = setTimeout(() => {
    timers.delete(id);
    applyIfDue(state, id, hooks.connections, false);
  }, wait);
  timer.unref();
  timers.set(id, timer);
}

/** Applies the id's current change when due (else counts a poll, when `poll`). */
function applyIfDue(
  state: ChangeState,
  id: string,
  connections: Map<string, Connection>,
  poll: boolean,
): void {
  const queue = state.queues.get(id);
  const current = queue?.[0];
  const connection = connections.get(id);
  if (queue === undefined || current === undefined || connection === undefined) return;
  const now = Date.now();
  if (!isDue(current, now)) {
    if (poll) current.polls++;
    return;
  }
  const next = changed(connection, current.change.becomes, now);
  connections.set(id, next);
  queue.shift();
  const following = queue[0];
  if (following === undefined) state.queues.delete(id);
  else {
    following.since = now;
    following.polls = poll ? 1 : 0; // a poll that applied a change already sees the new status
  }
  arm(state, id);
  state.hooks?.onChange(connection, next);
}

/** Creates the scripted changes of one server; `hooks` when it sends webhooks. */
export function createStatusChanges(hooks?: StatusChangeHooks): StatusChanges {
  const state: ChangeState = { queues: new Map(), timers: new Map(), hooks };
  return {
    add(id, change) {
      checkChange(change);
      const queue = state.queues.get(id) ?? [];
      queue.push({ change: { ...change }, polls: 0, since: Date.now() });
      state.queues.set(id, queue);
      if (queue.length === 1) arm(state, id);
    },
    beforeAnswer(id, connections) {
      applyIfDue(state, id, connections, true);
    },
    clear() {
      for (const timer of state.timers.values()) clearTimeout(timer);
      state.timers.clear();
      state.queues.clear();
    },
  };
}
