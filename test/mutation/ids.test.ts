/**
 * The ids `check` reads, in process (the CLI tests run them through real processes, which
 * mutation testing does not repeat): lines split across chunks and bytes, CRLF with comments,
 * blank and over-long lines (one of 100 million characters read in bounded memory), a last line
 * without its newline, ids from a real file, and the
 * usage errors (exit 2) of a `--file` that is missing, a directory or under a file.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkIdFile,
  collect,
  describePlace,
  type IdPlace,
  idsFrom,
  idsFromLines,
} from "../../src/cli/ids.js";
import { CliError } from "../../src/cli/io.js";

const A = "3c90c3cc-0d44-4b50-8888-8dd25736052a";
const B = "00000000-0000-4000-8000-000000000002";
const C = "00000000-0000-4000-8000-000000000003";

async function* chunks(...parts: (string | Uint8Array)[]) {
  for (const part of parts) yield part;
}

/** The ids and bad places of a stream of chunks. */
async function read(...parts: (string | Uint8Array)[]) {
  const places: IdPlace[] = [];
  const ids = await collect(idsFromLines(chunks(...parts), (place) => places.push(place)));
  return { ids, places };
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "nectar-ids-"));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe("idsFromLines", () => {
  it("joins a line split across chunks, and a character split across byte chunks", async () => {
    expect(await read(A.slice(0, 10), `${A.slice(10)}\n`)).toEqual({ ids: [A], places: [] });
    const bytes = new TextEncoder().encode(`${A}\n# é\n${B}\n`);
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "é"
    const split = await read(bytes.subarray(0, cut), bytes.subarray(cut));
    expect(split).toEqual({ ids: [A, B], places: [] });
  });

  it("strips a CR before a comment, around blanks, and keeps a last line without newline", async () => {
    const { ids, places } = await read(`${A} # first\r\n\r\n   \r\n#only\r\n  ${B}  \r\n${C}`);
    expect(ids).toEqual([A, B, C]);
    expect(places).toEqual([]);
  });

  it("reports a line that is not an id, and a line too long to keep, by number", async () => {
    const long = "x".repeat(3_000);
    const { ids, places } = await read(`${A}\nnot-an-id\n`, long.slice(0, 1_500), long, `\n${B}\n`);
    expect(ids).toEqual([A, B]);
    expect(places).toEqual([{ line: 2 }, { line: 3 }]);
  });

  it("reports an over-long last line without its newline", async () => {
    const { ids, places } = await read(`${A}\n`, "y".repeat(1_025));
    expect(ids).toEqual([A]);
    expect(places).toEqual([{ line: 2 }]);
  });

  it("keeps a line of exactly 1 024 characters in memory, and reports it as not an id", async () => {
    const { places } = await read("z".repeat(1_024), `\n${A}\n`);
    expect(places).toEqual([{ line: 1 }]);
  });

  it("takes no line longer than 1 024 characters for an id, blanks included, in one chunk or many", async () => {
    const padded = (length: number) => `${A}${" ".repeat(length - A.length)}`;
    expect(await read(`${padded(1_024)}\n${padded(1_025)}\n`)).toEqual({
      ids: [A],
      places: [{ line: 2 }],
    });
    // 1 024 characters at the end of a chunk are kept whole until the next chunk ends the line.
    expect(await read(padded(1_024), `\n${B}\n`)).toEqual({ ids: [A, B], places: [] });
    // Past 1 024 the start is dropped, and what follows in the next chunk is the same bad line.
    expect(await read(" ".repeat(1_500), `${A}\n${B}\n`)).toEqual({
      ids: [B],
      places: [{ line: 1 }],
    });
  });

  it("reads a line of 100 million characters without a newline as one bad line, keeping none of it", async () => {
    const piece = "x".repeat(65_536);
    async function* endlessLine() {
      for (let i = 0; i < 1_526; i++) yield piece; // 100 million characters, one line
      yield `\n${A}\n`;
    }
    const places: IdPlace[] = [];
    const ids = await collect(idsFromLines(endlessLine(), (place) => places.push(place)));
    expect({ ids, places }).toEqual({ ids: [A], places: [{ line: 1 }] });
  }, 60_000); // a bound against hanging: kept whole, the line would be split again per chunk

  it("yields nothing for an empty input", async () => {
    expect(await read()).toEqual({ ids: [], places: [] });
    expect(await read("")).toEqual({ ids: [], places: [] });
  });
});

describe("idsFrom", () => {
  it("reads a real file after the command line's ids, dropping duplicates", async () => {
    const path = join(folder, "ids.txt");
    await writeFile(path, `${B}\r\n# saved on Windows\r\n${A.toUpperCase()}\r\nbad\r\n${C}\r\n`);
    const places: IdPlace[] = [];
    const ids = await collect(
      idsFrom({ positionals: [A], file: path, stdin: undefined }, (place) => places.push(place)),
    );
    expect(ids).toEqual([A, B, C]);
    expect(places).toEqual([{ line: 4 }]);
  });

  it("reads nothing more when there is no file, and an empty stdin when there is none", async () => {
    const none = await collect(
      idsFrom({ positionals: [A], file: undefined, stdin: undefined }, () => {}),
    );
    expect(none).toEqual([A]);
    const dash = await collect(idsFrom({ positionals: [], file: "-", stdin: undefined }, () => {}));
    expect(dash).toEqual([]);
  });

  it("turns a file that vanishes before it is read into a usage error naming it", async () => {
    const path = join(folder, "gone.txt");
    const error = await collect(
      idsFrom({ positionals: [], file: path, stdin: undefined }, () => {}),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 2, message: `--file "${path}" does not exist` });
  });
});

describe("checkIdFile", () => {
  it("accepts a readable file", async () => {
    const path = join(folder, "ok.txt");
    await writeFile(path, `${A}\n`);
    await expect(checkIdFile(path)).resolves.toBeUndefined();
  });

  it.each([
    ["a missing file", "missing.txt", "does not exist"],
    ["a directory", ".", "is a directory"],
    ["a path under a file", "ok.txt/x", "does not exist (a part of its path is not a folder)"],
  ])("refuses %s with a usage error naming the path and why", async (_, name, why) => {
    const path = join(folder, name);
    await writeFile(join(folder, "ok.txt"), `${A}\n`);
    const error = await checkIdFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 2, message: `--file "${path}" ${why}` });
  });
});

describe("describePlace", () => {
  it("names a line or an argument", () => {
    expect(describePlace({ line: 3 })).toBe("line 3");
    expect(describePlace({ argument: 2 })).toBe("argument 2");
  });
});
