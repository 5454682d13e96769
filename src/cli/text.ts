/**
 * Text for a terminal: the one function every server-sent string passes before it is printed,
 * values never quoted when they may be secrets, and colour.
 */
import type { HealthGroup } from "../helpers/status.js";
import { CliError, EXIT } from "./io.js";

/**
 * What a terminal may act on rather than show: C0 and C1 controls and DEL (`\p{Cc}`: escape
 * sequences start with ESC or the one-byte CSI U+009B), the line and paragraph separators, and
 * the bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E/F,
 * U+202A-202E, U+2066-2069), which reorder what follows them on screen.
 */
const UNSAFE = "[\\p{Cc}\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]";

/** Quick test: most text holds nothing unsafe and is returned as it is. */
const ANY_UNSAFE = new RegExp(UNSAFE, "u");

/** The pattern of {@link printable} for each `keep` (built once per pattern). */
const PATTERNS = new WeakMap<RegExp, RegExp>();

/** Keeps nothing: every unsafe character is escaped. */
const KEEP_NOTHING = /(?!)/;

/** The global pattern: a `keep` match (group 1), else one unsafe character. */
function patternKeeping(keep: RegExp): RegExp {
  let pattern = PATTERNS.get(keep);
  if (pattern === undefined) {
    pattern = new RegExp(`(${keep.source})|${UNSAFE}`, "gu");
    PATTERNS.set(keep, pattern);
  }
  return pattern;
}

/** The visible escape of one character: `\u202e`, `\u001b`, `\u000a`. */
function escapeOf(character: string): string {
  return `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`;
}

/**
 * THE chokepoint for what a server says: `text` with every control character, escape sequence
 * introducer and bidirectional control replaced by its visible escape (`\u001b[2J` becomes the
 * eight characters `\u001b[2J`), so it cannot drive the terminal, break a line or reorder one.
 * Applied to JSON text it keeps the JSON valid and its value unchanged (`\uXXXX` is JSON's own
 * escape, and `JSON.stringify` leaves none of these characters raw outside a string but line
 * breaks). `keep` lists sequences left as they are: the output streams keep their own line
 * ends and colours this way, and nothing else.
 *
 * @example
 * printable("Evil\u202eoC") // "Evil\\u202eoC"
 */
export function printable(text: string, keep: RegExp = KEEP_NOTHING): string {
  if (!ANY_UNSAFE.test(text)) return text;
  return text.replace(patternKeeping(keep), (match, kept: string | undefined) =>
    kept === undefined ? escapeOf(match) : kept,
  );
}

/** A value the user typed, quoted only when it is short and word-like (never a credential). */
export function shown(value: string, what: string): string {
  return /^-{0,2}[A-Za-z][\w-]{0,19}$/.test(value) ? `"${value}"` : `${what} (not shown)`;
}

/** A server-sent value for display: {@link printable}, or a placeholder when absent or blank. */
export function text(value: unknown, absent = "(none)"): string {
  if (typeof value === "string" && value.trim() !== "") return printable(value.trim());
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return absent;
}

/**
 * A value as JSON text (indented by `indent`), for `--json`. A value nested too deeply for
 * `JSON.stringify` (a hostile answer) is an API error, not a crash.
 * @throws {CliError} exit 3 when the value cannot be written as JSON.
 */
export function jsonText(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? "null";
  } catch {
    throw new CliError(EXIT.api, "Nectar's answer cannot be written as JSON (nested too deeply).");
  }
}

/** Shorter secrets are not masked: masking a short string would mangle ordinary words. */
const MIN_MASKED_LENGTH = 8;

/** Replaces each secret in `text` by `[redacted]`. */
export function masker(secrets: readonly (string | undefined)[]): (text: string) => string {
  const masked = secrets.filter(
    (secret): secret is string => secret !== undefined && secret.length >= MIN_MASKED_LENGTH,
  );
  return (text) => masked.reduce((out, secret) => out.split(secret).join("[redacted]"), text);
}

/** The options whose value is a secret: masked wherever it would be printed. */
const SECRET_FLAGS = ["--api-key", "--webhook-secret"] as const;

/**
 * The secret values on a command line (API key, webhook secret), found even when the command
 * line is otherwise bad.
 */
export function keysOnCommandLine(argv: readonly string[]): string[] {
  const keys: string[] = [];
  argv.forEach((arg, index) => {
    for (const flag of SECRET_FLAGS) {
      if (arg.startsWith(`${flag}=`)) keys.push(arg.slice(flag.length + 1));
      else if (arg === flag && argv[index + 1] !== undefined) keys.push(argv[index + 1] ?? "");
    }
  });
  return keys;
}

/** Every colour the CLI paints with (SGR parameters); the output streams let only these through. */
export const SGR_CODES = ["32", "36", "1;31", "33", "90", "35", "0"] as const;

/** One of {@link SGR_CODES}. */
export type SgrCode = (typeof SGR_CODES)[number];

/** Colours text with an ANSI code, or leaves it as it is. */
export type Paint = (text: string, code: SgrCode) => string;

/** The colour of each health group. */
export const ANSI: Record<HealthGroup, SgrCode> = {
  healthy: "32", // green
  pending: "36", // cyan
  needs_user_action: "1;31", // bold red
  provider_issue: "33", // yellow
  inactive: "90", // grey
  unknown: "35", // magenta
};

/** Whether to colour: only on a terminal, never with a non-empty `NO_COLOR` or `TERM=dumb`. */
export function colourOn(isTTY: boolean, env: Readonly<Record<string, string | undefined>>) {
  // no-color.org: only a non-empty NO_COLOR turns colour off.
  return isTTY && !env.NO_COLOR && env.TERM !== "dumb";
}

/** Colour when {@link colourOn} says so, else text as it is. */
export function painter(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Paint {
  return colourOn(isTTY, env) ? (s, code) => `\u001b[${code}m${s}\u001b[0m` : (s) => s;
}
