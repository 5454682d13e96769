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

/** The levels a user may pass, for input checks. */
export const LOG_LEVELS: readonly LogLevel[] = ["off", "error", "warn", "info", "debug"];

/**
 * Builds the log. Every line goes through `mask`, which removes the API key should it ever
 * reach a message; lines are prefixed `[nectar]`.
 */
export function createLog(
  logger: NectarLogger,
  level: LogLevel,
  mask: (text: string) => string,
): Log {
  const method = (name: Exclude<LogLevel, "off">): LogMethod | undefined => {
    if (RANK[level] < RANK[name]) return undefined;
    return (message, details) => {
      const line = `[nectar] ${mask(message)}`;
      if (details === undefined) logger[name](line);
      else logger[name](line, JSON.parse(mask(JSON.stringify(details))));
    };
  };
  return {
    error: method("error"),
    warn: method("warn"),
    info: method("info"),
    debug: method("debug"),
  };
}
