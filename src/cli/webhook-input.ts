/**
 * What `nectar-connection webhook verify` reads: the raw body from standard input (bytes, as
 * sent: never re-encoded, bounded), the delivery's headers from the options, and the secrets
 * from environment variables (never from the command line, where any user can list them).
 */

import { DEFAULT_MAX_BODY_BYTES } from "../webhooks/constants.js";
import { type OptionValues, stringOption } from "./args.js";
import type { CommandIo } from "./context.js";
import { usageError } from "./io.js";
import { stdinOf } from "./stdin-dash.js";
import { shown } from "./text.js";

/** The header each option sets, under Svix's names (`--header` takes any name). */
const HEADER_OPTIONS = [
  ["id", "svix-id"],
  ["timestamp", "svix-timestamp"],
  ["signature", "svix-signature"],
] as const;

/** A repeatable option's values. */
function listOption(values: OptionValues, name: string): readonly string[] {
  const value = values[name];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value : [];
}

/** The headers from `--id`, `--timestamp`, `--signature` and every `--header 'name: value'`. */
export function headersOf(values: OptionValues): Record<string, string> {
  const headers: Record<string, string> = {};
  const set = (name: string, value: string) => {
    if (Object.hasOwn(headers, name)) throw usageError(`the header ${name} is given twice`);
    headers[name] = value;
  };
  for (const [option, header] of HEADER_OPTIONS) {
    const value = stringOption(values, option);
    if (value !== undefined) set(header, value);
  }
  for (const line of listOption(values, "header")) {
    const colon = line.indexOf(":");
    const name = line.slice(0, Math.max(colon, 0)).trim().toLowerCase();
    if (colon < 1 || !/^[a-z0-9-]+$/.test(name)) {
      throw usageError("--header takes 'name: value', e.g. --header 'svix-id: msg_...'");
    }
    set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** The secrets named by each `--secret-env` (several while a secret rotates); never shown. */
export function secretsOf(values: OptionValues, io: CommandIo): string[] {
  const names = listOption(values, "secret-env");
  if (names.length === 0) {
    throw usageError("webhook verify needs --secret-env <VAR>: the variable holding the secret");
  }
  return names.map((name) => {
    const secret = io.env[name];
    if (secret === undefined || secret === "") {
      throw usageError(`--secret-env ${shown(name, "a variable")}: that variable is not set`);
    }
    return secret;
  });
}

/** The chunks of `source` until it ends or `signal` aborts (then it rejects with the reason). */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => {}); // read only through the race below
  try {
    for (;;) {
      signal.throwIfAborted();
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    void iterator.return?.()?.catch(() => {});
  }
}

/**
 * The body from standard input, as bytes; reading stops one byte past the cap (1 MiB), so
 * `verifyWebhook` reports the body as too large without the CLI holding an endless input.
 */
export async function readBody(io: CommandIo, signal: AbortSignal): Promise<Uint8Array> {
  const stdin = stdinOf(io, "the body", "redirect the saved body to it (< body.json)");
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of untilAborted(stdin(), signal)) {
    const bytes = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    chunks.push(bytes);
    size += bytes.length;
    if (size > DEFAULT_MAX_BODY_BYTES) break;
  }
  signal.throwIfAborted();
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}
