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
  /** Forgets every scripted change. */
  clear(): void;
}

/** Creates the scripted changes of one server. */
export function createStatusChanges(): StatusChanges {
  const queues = new Map<string, Pending[]>();
  return {
    add(id, change) {
      checkChange(change);
      const queue = queues.get(id) ?? [];
      queue.push({ change: { ...change }, polls: 0, since: Date.now() });
      queues.set(id, queue);
    },
    beforeAnswer(id, connections) {
      const queue = queues.get(id);
      const current = queue?.[0];
      const connection = connections.get(id);
      if (queue === undefined || current === undefined || connection === undefined) return;
      const now = Date.now();
      const { after, afterMs } = current.change;
      const due =
        afterMs !== undefined ? now - current.since >= afterMs : current.polls >= (after ?? 0);
      if (!due) {
        current.polls++;
        return;
      }
      connections.set(id, changed(connection, current.change.becomes, now));
      queue.shift();
      const next = queue[0];
      if (next === undefined) queues.delete(id);
      else {
        next.since = now;
        next.polls = 1; // this poll already sees the new status
      }
    },
    clear() {
      queues.clear();
    },
  };
}
