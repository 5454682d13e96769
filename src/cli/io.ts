/** What the CLI needs of its surroundings, its exit codes, and how an error becomes one. */
import {
  NectarAbortError,
  NectarApiError,
  NectarAuthenticationError,
  NectarConnectionError,
  NectarInvalidInputError,
  NectarInvalidResponseError,
  NectarPaginationError,
  NectarResponseValidationError,
  NectarWaitTimeoutError,
} from "../core/errors.js";
import { inCliWords } from "./words.js";

/** The program's name, as installed by `bin` and as it prefixes every error line. */
export const PROGRAM = "nectar-connection";

/** The exit codes of the CLI's `main`. */
export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** Something unexpected failed (a bug, or the mock server could not start). */
  failure: 1,
  /** Bad usage: unknown command or option, missing or invalid id, missing API key. */
  usage: 2,
  /**
   * Nectar answered with an error, or with a response the client could not accept (a page list
   * that would not end included).
   */
  api: 3,
  /** The request never got a complete answer: network failure or timeout. */
  network: 4,
  /**
   * The condition being monitored failed: `check --fail-on` matched a connection, or `watch
   * --deadline` ran out before the connection recovered.
   */
  condition: 5,
  /** Interrupted (Ctrl-C, SIGINT): stopped cleanly, nothing left running (128 + SIGINT). */
  interrupted: 130,
  /**
   * Standard output or error closed before the command finished (`… | head -1`): stopped
   * quietly, nothing more sent (128 + SIGPIPE, as a shell reports `git log | head`).
   */
  outputClosed: 141,
  /** Terminated (SIGTERM): stopped cleanly, as on Ctrl-C (128 + SIGTERM). */
  terminated: 143,
} as const;

/** What `main` needs of its surroundings; the bin passes `process`'s. */
export interface CliIo {
  /** The environment: `NECTAR_API_KEY`, `NECTAR_BASE_URL`, `NO_COLOR`, `TERM` are read. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Writes text to standard output (the text carries its own newlines). A write that throws an
   * error whose `code` is `EPIPE` (the reader is gone) stops the run quietly (exit 141); any
   * other error stops it with exit 1.
   */
  stdout: (text: string) => void;
  /** Writes text to standard error, as {@link CliIo.stdout}. */
  stderr: (text: string) => void;
  /** Whether standard output is a terminal; colour is used only then. */
  isTTY: boolean;
  /** Whether standard error is a terminal: progress lines are drawn only then. Default false. */
  stderrIsTTY?: boolean;
  /** The width of standard error's terminal, for the progress line; default 80. */
  columns?: number;
  /** Standard input, opened only when a command reads it (`check -`, `webhook verify`). */
  stdin?: () => AsyncIterable<string | Uint8Array>;
  /**
   * Whether standard input is a terminal: a command told to read it (`-`) then refuses with one
   * line rather than wait for typing. Default false.
   */
  stdinIsTTY?: boolean;
  /**
   * Stops the run: every request and wait of the command is aborted, and `main` resolves to the
   * exit code of the reason, a `RunStop` (`stop.ts`; the bin aborts it on SIGINT, SIGTERM and a
   * closed output); any other reason counts as an interrupt (130).
   */
  signal?: AbortSignal;
  /** The clock, for the progress rate and watch's times; default `Date.now`. */
  now?: () => number;
  /**
   * Asks a yes/no question on the terminal (`check --invite`); absent when standard input or
   * error is not a terminal, and then a command that must ask needs `--yes` instead.
   */
  confirm?: (question: string) => Promise<boolean>;
}

/** A failure with the exit code it ends the program with; its message is one line. */
export class CliError extends Error {
  /** The exit code. */
  readonly code: number;

  /** A failure that ends the program with `code`. */
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** A usage error (exit 2): the program's help explains what was expected. */
export const usageError = (message: string): CliError => new CliError(EXIT.usage, message);

/** The exit code an error ends the program with. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.code;
  if (error instanceof NectarAbortError) return EXIT.interrupted;
  if (error instanceof NectarWaitTimeoutError) return EXIT.condition;
  if (error instanceof NectarInvalidInputError) return EXIT.usage;
  if (
    error instanceof NectarApiError ||
    error instanceof NectarInvalidResponseError ||
    error instanceof NectarPaginationError ||
    error instanceof NectarResponseValidationError
  ) {
    return EXIT.api;
  }
  if (error instanceof NectarConnectionError) return EXIT.network;
  return EXIT.failure;
}

/**
 * The one line that describes an error, in the CLI's words: a refused option is named by its
 * flag (`--base-url`, not `baseUrl`).
 */
export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NectarAuthenticationError) {
    return `${message} (check --api-key or NECTAR_API_KEY)`;
  }
  if (error instanceof NectarInvalidInputError) return inCliWords(message);
  return message;
}

/** The id the help's examples use: the mock's realistic connection whose user must act. */
export const EXAMPLE_CONNECTION_ID = "8d2f4c1e-5b7a-4e3d-9c61-0f2a7b9e4d13";

/** The invitation the help's examples use: the mock's (and the spec's) active example. */
export const EXAMPLE_INVITATION_ID = "5b0e8f3a-9c2d-4e71-8a6b-2f4d1c7e9a30";

/** The exit codes, for the help of each command. */
export const EXIT_CODES_HELP =
  "Exit codes: 0 ok, 1 unexpected failure, 2 usage, 3 API error, 4 network or timeout,\n130 interrupted (Ctrl-C), 141 output closed (| head), 143 terminated (SIGTERM).";
