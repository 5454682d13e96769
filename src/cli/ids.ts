/**
 * The ids `check` reads: from the command line and from a file or standard input, one per line
 * (LF or CRLF), `#` comments and blank lines allowed. A line that is not a UUID is reported by
 * its number, never its content (it may be a secret pasted by mistake), and skipped.
 */
import { createReadStream } from "node:fs";
import { access, constants, stat } from "node:fs/promises";
import { isUuid } from "../core/input.js";
import { UuidSet } from "./id-set.js";
import { usageError } from "./io.js";
import { printable } from "./text.js";

/** Where an invalid id was: a line of the input, or an argument of the command line. */
export type IdPlace = { readonly line: number } | { readonly argument: number };

/**
 * A line longer than this is not an id, however much of it is blank: it is reported, and a line
 * that grows past it across chunks is dropped as it comes, never kept in memory.
 */
const MAX_LINE = 1_024;

/** The lines of a stream of text chunks, numbered from 1, at most {@link MAX_LINE} characters kept. */
async function* linesOf(
  chunks: AsyncIterable<string | Uint8Array>,
): AsyncGenerator<{ line: number; text: string; tooLong: boolean }> {
  const decoder = new TextDecoder();
  let pending = "";
  let tooLong = false;
  let line = 0;
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    const parts = (pending + text).split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) {
      yield { line: ++line, text: part, tooLong };
      tooLong = false;
    }
    if (pending.length > MAX_LINE) {
      pending = "";
      tooLong = true;
    }
  }
  // The last line, without its newline (a blank one is skipped as any blank line is).
  yield { line: ++line, text: pending + decoder.decode(), tooLong };
}

/**
 * The id on a line: `undefined` for a blank or comment line, `null` for an invalid one. The
 * trim also drops the CR of a line saved on Windows (CRLF), comment or not.
 */
function idOnLine(text: string, tooLong: boolean): string | undefined | null {
  if (tooLong || text.length > MAX_LINE) return null;
  const comment = text.indexOf("#");
  const content = (comment === -1 ? text : text.slice(0, comment)).trim();
  if (content === "") return undefined;
  return isUuid(content) ? content : null;
}

/** Ids from a stream of lines; `onInvalid` hears of each bad line. */
export async function* idsFromLines(
  chunks: AsyncIterable<string | Uint8Array>,
  onInvalid: (place: IdPlace) => void,
): AsyncGenerator<string> {
  for await (const { line, text, tooLong } of linesOf(chunks)) {
    const id = idOnLine(text, tooLong);
    if (id === null) onInvalid({ line });
    else if (id !== undefined) yield id;
  }
}

/** Where `check` reads its ids from. */
export interface IdSources {
  readonly positionals: readonly string[];
  /** A path, `-` for standard input, or undefined. */
  readonly file: string | undefined;
  readonly stdin: (() => AsyncIterable<string | Uint8Array>) | undefined;
}

/** The ids of the command line, then those of the file (read lazily), with duplicates. */
async function* allIds(
  sources: IdSources,
  onInvalid: (place: IdPlace) => void,
): AsyncGenerator<string> {
  for (const [index, value] of sources.positionals.entries()) {
    if (isUuid(value)) yield value;
    else onInvalid({ argument: index + 1 });
  }
  if (sources.file === undefined) return;
  if (sources.file === "-") {
    yield* idsFromLines(sources.stdin?.() ?? emptyInput(), onInvalid);
    return;
  }
  try {
    yield* idsFromLines(createReadStream(sources.file), onInvalid);
  } catch (error) {
    throw fileError(sources.file, error); // e.g. a file removed, or a disk failing, while read
  }
}

/**
 * The distinct ids of the command line, then those of the file (read lazily): an id seen
 * before, in any case, is skipped (16 bytes an id remembered, see {@link UuidSet}).
 */
export async function* idsFrom(
  sources: IdSources,
  onInvalid: (place: IdPlace) => void,
): AsyncGenerator<string> {
  const seen = new UuidSet();
  for await (const id of allIds(sources, onInvalid)) if (seen.add(id)) yield id;
}

/** Why a file cannot be read, by error code. */
const UNREADABLE: Readonly<Record<string, string>> = {
  ENOENT: "does not exist",
  ENOTDIR: "does not exist (a part of its path is not a folder)",
  EACCES: "is not readable (permission denied)",
  EPERM: "is not readable (permission denied)",
  EISDIR: "is a directory",
};

/** The usage error of a `--file` that cannot be read, naming the path and why. */
function fileError(path: string, error: unknown): Error {
  // `Object` makes any thrown value a readable object; a code outside the table (or none) is
  // said generically, never as "undefined" nor as an inherited property's text.
  const code = String((Object(error) as { code?: unknown }).code);
  const why = Object.hasOwn(UNREADABLE, code) ? UNREADABLE[code] : "cannot be read";
  return usageError(`--file "${printable(path)}" ${why}`);
}

/**
 * Checks that `path` (a `--file` other than `-`) is a file that can be read, before anything
 * is sent. A FIFO (`--file <(…)`) is fine: it is read as it comes.
 * @throws a usage error (exit 2) naming the path: missing, a directory, or not readable.
 */
export async function checkIdFile(path: string): Promise<void> {
  let directory: boolean;
  try {
    directory = (await stat(path)).isDirectory();
    await access(path, constants.R_OK);
  } catch (error) {
    throw fileError(path, error);
  }
  if (directory) throw fileError(path, { code: "EISDIR" });
}

/** Standard input when there is none to read. */
async function* emptyInput(): AsyncGenerator<string> {}

/** How a bad id's place is named in a message. */
export function describePlace(place: IdPlace): string {
  return "line" in place ? `line ${place.line}` : `argument ${place.argument}`;
}

/** Every value of an async iterable, in an array (for ids known in advance). */
export async function collect<T>(values: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of values) out.push(value);
  return out;
}
