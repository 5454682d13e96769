/**
 * After `changeset version` (`npm run release:version` runs both): copies the main package's new
 * version from `package.json` into `VERSION` in the source (`src/**\/constants.ts`, sent in the
 * User-Agent) and into `package-lock.json`, so the three agree (a test checks the first two).
 * `--root DIR` works on another checkout (the tests use a copy).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "./paths.ts";

const VERSION_LINE = /^export const VERSION = "[^"]*";$/m;

/** The source file that declares `export const VERSION = "…"`. */
function constantsFile(root: string): string {
  const found = readdirSync(path.join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "constants.ts")
    .map((file) => path.join(root, "src", file))
    .filter((file) => VERSION_LINE.test(readFileSync(file, "utf8")));
  if (found.length !== 1 || found[0] === undefined) {
    throw new Error(`expected one src/**/constants.ts declaring VERSION, found ${found.length}`);
  }
  return found[0];
}

/** Writes `package.json`'s version into the source and the lock; returns the version. */
export function syncVersion(root: string = projectRoot): string {
  const read = (file: string) => JSON.parse(readFileSync(path.join(root, file), "utf8"));
  const { version } = read("package.json") as { version: string };
  const constants = constantsFile(root);
  const source = readFileSync(constants, "utf8");
  writeFileSync(constants, source.replace(VERSION_LINE, `export const VERSION = "${version}";`));

  const lock = read("package-lock.json") as {
    version?: string;
    packages?: Record<string, { version?: string }>;
  };
  lock.version = version;
  const own = lock.packages?.[""];
  if (own !== undefined) own.version = version;
  writeFileSync(path.join(root, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  return version;
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === path.join(projectRoot, "scripts", "sync-version.ts")
) {
  const { values } = parseArgs({ options: { root: { type: "string" } } });
  const version = syncVersion(path.resolve(values.root ?? projectRoot));
  console.log(`sync-version: VERSION and package-lock.json now say ${version}`);
}
