/**
 * A `--file` that fails with an error code outside the known table (here ELOOP, a symbolic link
 * that points at itself): still a usage error (exit 2) naming the path, with the generic
 * "cannot be read", never "undefined". Real files and links, in process.
 */
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkIdFile, collect, idsFrom } from "../../src/cli/ids.js";
import { CliError } from "../../src/cli/io.js";

let folder: string;
let loop: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "nectar-ids-errors-"));
  loop = join(folder, "loop.txt");
  await symlink(loop, loop); // opening or stat-ing it fails with ELOOP
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe("a --file failing with an unlisted error code", () => {
  it("is refused before anything is sent, as a file that cannot be read", async () => {
    const error = await checkIdFile(loop).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 2, message: `--file "${loop}" cannot be read` });
  });

  it("is a usage error when it fails while read, too", async () => {
    const error = await collect(
      idsFrom({ positionals: [], file: loop, stdin: undefined }, () => {}),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 2, message: `--file "${loop}" cannot be read` });
  });
});
