/** Leveled logging through a user-supplied logger, with credentials kept out of every line. */

/** The levels, quietest first. `off` logs nothing. */
export type LogLevel = "off" | "error" | "warn" | "info" | "debug";

/** Anything with console's four methods: `console` itself, pino, winston, … */
export interface NectarLogger {
  /** Failures the caller should know about. */
  error(message: string, ...details: unknown[]): void;
  /** Degraded behaviour: a retry budget running dry, a response off the spec. */
  warn(message: string, ...details: unknown[]): void;
  /** One line per attempt. */
  info(message: string, ...details: unknown[]): void;
  /** Request and response headers, redacted. */
  debug(message: string, ...details: unknown[]): void;
}

type LogMethod = (message: string, details?: Record<string, unknown>) => void;

/**
 * The client's log: one optional method per level, `undefined` when that level is off, so a
 * call site `log.info?.(…)` does not even build its message when nobody will read it.
 */
export interface Log {
  readonly error: LogMethod | undefined;
  readonly warn: LogMethod | undefined;
  readonly info: LogMethod | undefined;
  readonly debug: LogMethod | undefined;
}

const RANK: Record<LogLevel, number> = { off: 0, error: 1, warn: 2, info: 3, debug: 4 };

/**
 * How a logger takes a line: `message-first` (`logger.info(message, fields)`: console, winston)
 * or `object-first` (`logger.info(fields, message)`: pino, bunyan).
 */
export type LogShape = "message-first" | "object-first";

/** The shapes a user may pass, for input checks. */
export const LOG_SHAPES: readonly LogShape[] = ["message-first", "object-first"];

/** pino marks its loggers with this (global) symbol. */
const PINO_MARK = Symbol.for("pino.serializers");

/** The shape of `logger`: object-first for a pino logger, else message-first. */
export function detectLogShape(logger: NectarLogger): LogShape {
  return PINO_MARK in logger ? "object-first" : "message-first";
}

/** The levels a user may pass, for input checks. */
export const LOG_LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/**
 * Builds the log. Every line goes through `mask`, which removes the API key should it ever
 * reach a message; lines are prefixed `[nectar]`. Fields (`status`, `attempt`, `requestId`,
 * redacted `headers`…) go second to a message-first logger and first to an object-first one,
 * so that pino keeps them as fields instead of dropping them.
 */
export function createLog(
  logger: NectarLogger,
  level: LogLevel,
  mask: (text: string) => string,
  shape: LogShape = detectLogShape(logger),
): Log {
  const write = (name: Exclude<LogLevel, "off">, line: string, fields: object | undefined) => {
    const call = logger[name] as (...args: unknown[]) => void;
    if (shape === "object-first") call.call(logger, fields ?? {}, line);
    else if (fields === undefined) call.call(logger, line);
    else call.call(logger, line, fields);
  };
  const method = (name: Exclude<LogLevel, "off">): LogMethod | undefined => {
    if (RANK[level] < RANK[name]) return undefined;
    return (message, details) => {
      const fields = details === undefined ? undefined : JSON.parse(mask(JSON.stringify(details)));
      write(name, `[nectar] ${mask(message)}`, fields);
    };
  };
  return {
    error: method("error"),
    warn: method("warn"),
    info: method("info"),
    debug: method("debug"),
  };
}
