/** Text for a terminal: one safe line, values never quoted when they may be secrets, colour. */
import type { HealthGroup } from "../helpers/status.js";

/** Control characters and bidirectional overrides: removed from anything a server sent. */
const UNSAFE_CHARACTERS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]+/gu;

/** Text made safe for one terminal line. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, " ").replace(/\s+/g, " ").trim();
}

/** A value the user typed, quoted only when it is short and word-like (never a credential). */
export function shown(value: string, what: string): string {
  return /^-{0,2}[A-Za-z][\w-]{0,19}$/.test(value) ? `"${value}"` : `${what} (not shown)`;
}

/** A server-sent value for display: safe on a terminal, or a placeholder when absent. */
export function text(value: unknown, absent = "(none)"): string {
  if (typeof value === "string" && value.trim() !== "") return oneLine(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return absent;
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

/** The API-key values on a command line, found even when the command line is otherwise bad. */
export function keysOnCommandLine(argv: readonly string[]): string[] {
  const keys: string[] = [];
  argv.forEach((arg, index) => {
    if (arg.startsWith("--api-key=")) keys.push(arg.slice("--api-key=".length));
    else if (arg === "--api-key" && argv[index + 1] !== undefined) keys.push(argv[index + 1] ?? "");
  });
  return keys;
}

/** Colours text with an ANSI code, or leaves it as it is. */
export type Paint = (text: string, code: string) => string;

/** The colour of each health group. */
export const ANSI: Record<HealthGroup, string> = {
  healthy: "32", // green
  pending: "36", // cyan
  needs_user_action: "1;31", // bold red
  provider_issue: "33", // yellow
  inactive: "90", // grey
  unknown: "35", // magenta
};

/** Colour only on a terminal, and never with a non-empty `NO_COLOR` or `TERM=dumb`. */
export function painter(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Paint {
  // no-color.org: only a non-empty NO_COLOR turns colour off.
  const colour = isTTY && !env.NO_COLOR && env.TERM !== "dumb";
  return colour ? (s, code) => `\u001b[${code}m${s}\u001b[0m` : (s) => s;
}
