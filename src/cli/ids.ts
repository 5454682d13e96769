/**
 * The ids `check` reads: from the command line and from a file or standard input, one per line,
 * `#` comments and blank lines allowed. A line that is not a UUID is reported by its number,
 * never its content (it may be a secret pasted by mistake), and skipped.
 */
import { createReadStream } from "node:fs";
import { isUuid } from "../core/input.js";

/** Where an invalid id was: a line of the input, or an argument of the command line. */
export type IdPlace = { readonly line: number } | { readonly argument: number };

/** A line longer than this is not an id: it is skipped without being kept in memory. */
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
  pending += decoder.decode();
  if (pending !== "" || tooLong) yield { line: ++line, text: pending, tooLong };
}

/** The id on a line: `undefined` for a blank or comment line, `null` for an invalid one. */
function idOnLine(text: string, tooLong: boolean): string | undefined | null {
  if (tooLong) return null;
  const content = text.replace(/#.*$/, "").trim();
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

/** The ids of the command line, then those of the file (read lazily). */
export async function* idsFrom(
  sources: IdSources,
  onInvalid: (place: IdPlace) => void,
): AsyncGenerator<string> {
  for (const [index, value] of sources.positionals.entries()) {
    if (isUuid(value)) yield value;
    else onInvalid({ argument: index + 1 });
  }
  if (sources.file === undefined) return;
  const chunks =
    sources.file === "-" ? (sources.stdin?.() ?? emptyInput()) : createReadStream(sources.file);
  yield* idsFromLines(chunks, onInvalid);
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
