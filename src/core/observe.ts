/**
 * What a call reports while it runs, as frozen events that carry no credential and no body:
 * the call, each attempt, each wait for a concurrency slot, each retry. The transport reports
 * to one {@link Observer}, which fans out to the sinks the client has (diagnostics channels,
 * hooks, OpenTelemetry). No sink costs nothing: the client then has no observer at all.
 */

/** What identifies a call in every event. */
export interface CallEvent {
  /** Unique per call within the process: start and end events of one call share it. */
  readonly callId: number;
  /** The spec's operation id, e.g. `retrieveConnection` (`raw` for `client.raw`). */
  readonly operationId: string;
  /** `GET` or `POST`. */
  readonly method: string;
  /** The path template, e.g. `/connection/{connection_id}`: no id, no query. */
  readonly path: string;
}

/** An attempt of a call (1 for the first). */
export interface AttemptEvent extends CallEvent {
  /** 1 for the first attempt, 2 for the first retry… (in a call's end event: attempts made). */
  readonly attempt: number;
}

/** A wait for a concurrency slot before an attempt, once the slot is given. */
export interface QueueEvent extends AttemptEvent {
  /** How long the attempt waited, in ms. */
  readonly waitMs: number;
}

/** How an attempt or a call ended: an answer's status and request id, or an error's class and message. */
export interface EndEvent extends AttemptEvent {
  /** The HTTP status of the answer, when there was one. */
  readonly status: number | undefined;
  /** Nectar's request id of the answer, when it sent one. */
  readonly requestId: string | undefined;
  /** The delay before the next attempt when this attempt is retried, in ms. */
  readonly retryDelayMs: number | undefined;
  /** The class of the error (e.g. `NectarTimeoutError`) when it failed. */
  readonly errorName: string | undefined;
  /** The error's message (credentials already masked) when it failed. */
  readonly errorMessage: string | undefined;
}

/** Receives the events; each is optional. */
export interface Sink {
  /** False while the sink would drop every event (no subscriber); absent: always listening. */
  readonly active?: (() => boolean) | undefined;
  readonly callStart?: ((event: CallEvent) => void) | undefined;
  /** The call ended: `attempt` is the number of attempts made. */
  readonly callEnd?: ((event: EndEvent) => void) | undefined;
  readonly queued?: ((event: QueueEvent) => void) | undefined;
  readonly attemptStart?: ((event: AttemptEvent) => void) | undefined;
  readonly attemptEnd?: ((event: EndEvent) => void) | undefined;
  /** Runs an attempt's `fetch` (OpenTelemetry runs it in the attempt span's context). */
  readonly runAttempt?: (<T>(event: AttemptEvent, send: () => T) => T) | undefined;
}

/** The transport's one sink: all of the client's, each guarded. */
export interface Observer {
  /** True when some sink listens: a call starting while it is false is not observed at all. */
  active(): boolean;
  callStart(event: CallEvent): void;
  callEnd(event: EndEvent): void;
  queued(event: QueueEvent): void;
  attemptStart(event: AttemptEvent): void;
  attemptEnd(event: EndEvent): void;
  runAttempt<T>(event: AttemptEvent, send: () => T): T;
}

let lastCallId = 0;

/** A new call's event, frozen. */
export function callEvent(operationId: string, method: string, path: string): CallEvent {
  return Object.freeze({ callId: ++lastCallId, operationId, method, path });
}

/** An attempt's event, frozen. */
export function attemptEvent(call: CallEvent, attempt: number): AttemptEvent {
  const { callId, operationId, method, path } = call;
  return Object.freeze({ callId, operationId, method, path, attempt });
}

/** What an end event adds to an attempt's. */
export interface Ending {
  readonly status?: number | undefined;
  readonly requestId?: string | undefined;
  readonly retryDelayMs?: number | undefined;
  readonly error?: Error | undefined;
}

/** An end event, frozen. */
export function endEvent(attempt: AttemptEvent, ending: Ending): EndEvent {
  return Object.freeze({
    ...attempt,
    status: ending.status,
    requestId: ending.requestId,
    retryDelayMs: ending.retryDelayMs,
    errorName: ending.error?.name,
    errorMessage: ending.error?.message,
  });
}

/**
 * One observer over `sinks`: `undefined` when there is none. A sink that throws is reported to
 * `onFault` and never reaches the call.
 */
export function createObserver(
  sinks: readonly Sink[],
  onFault: (error: unknown) => void,
): Observer | undefined {
  if (sinks.length === 0) return undefined;
  const each =
    <E>(pick: (sink: Sink) => ((event: E) => void) | undefined) =>
    (event: E) => {
      for (const sink of sinks) {
        try {
          pick(sink)?.call(sink, event);
        } catch (error) {
          onFault(error);
        }
      }
    };
  return {
    active: () => sinks.some((sink) => sink.active === undefined || sink.active()),
    callStart: each((sink) => sink.callStart),
    callEnd: each((sink) => sink.callEnd),
    queued: each((sink) => sink.queued),
    attemptStart: each((sink) => sink.attemptStart),
    attemptEnd: each((sink) => sink.attemptEnd),
    runAttempt: (event, send) => nestRuns(sinks, event, send),
  };
}

/** Runs `send` inside every sink's `runAttempt`, outermost first. */
function nestRuns<T>(sinks: readonly Sink[], event: AttemptEvent, send: () => T): T {
  let run = send;
  for (const sink of sinks) {
    const inner = run;
    const around = sink.runAttempt;
    if (around) run = () => around(event, inner);
  }
  return run();
}
