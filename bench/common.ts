/**
 * What the bench parts share: paths, the payload, statistics, the
 * facade as users run it (the built package), and small process helpers.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The root of this checkout. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The directory of the bench. */
export const benchDir = path.join(projectRoot, "bench");

/** The API key every contender sends; the HTTP server answers 401 to any other. */
export const BENCH_API_KEY = "bench-key-0123456789";

/** The base URL of the in-memory transport: never resolved, the injected `fetch` answers. */
export const MEMORY_BASE_URL = "https://nectar.bench.invalid/v2.2";

/** The path prefix of the HTTP transport's base URL (`http://127.0.0.1:PORT/v2.2`). */
export const HTTP_PREFIX = "/v2.2";

/** A `fetch` every contender accepts: string, URL or Request, with an optional init. */
export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The response body every transport answers with, and where it comes from. */
export interface Payload {
  /** Where in the spec the example lives. */
  source: string;
  /** The parsed example, as every contender must return it. */
  value: Record<string, unknown>;
  /** The connection id of the example, used as the path parameter. */
  connectionId: string;
  /** The body sent: the example serialized compactly. */
  body: string;
  /** Size of `body` in UTF-8 bytes. */
  bytes: number;
}

/** The spec example used as the payload: a connection whose password was rejected. */
export const PAYLOAD_EXAMPLE = "ConnectionPasswordIncorrect";

/** Type guard for plain JSON objects. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Loads the payload from `generated/openapi.json` (`components.examples.ConnectionPasswordIncorrect`). */
export function loadPayload(): Payload {
  const spec: unknown = JSON.parse(
    readFileSync(path.join(projectRoot, "generated", "openapi.json"), "utf8"),
  );
  const components = isRecord(spec) ? spec.components : undefined;
  const examples = isRecord(components) ? components.examples : undefined;
  const example = isRecord(examples) ? examples[PAYLOAD_EXAMPLE] : undefined;
  const value = isRecord(example) ? example.value : undefined;
  if (!isRecord(value) || typeof value.id !== "string") {
    throw new Error(`generated/openapi.json has no components.examples.${PAYLOAD_EXAMPLE}.value`);
  }
  const body = JSON.stringify(value);
  return {
    source: `generated/openapi.json#/components/examples/${PAYLOAD_EXAMPLE}`,
    value,
    connectionId: value.id,
    body,
    bytes: Buffer.byteLength(body),
  };
}

/** The response headers of every answer, in memory and over HTTP. */
export const RESPONSE_HEADERS = { "content-type": "application/json" } as const;

/** The value at quantile `q` (0…1) of ascending `sorted`, nearest rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** The median of `values` (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** The arithmetic mean of `values`. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] ?? 0;
  return values.length === 0 ? Number.NaN : sum / values.length;
}

/** Rounds to `digits` decimals (for results.json: no 15-digit noise). */
export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The facade's module, as typed by its source (the values come from the built package). */
export type FacadeModule = typeof import("../src/index.ts");

/** The newest modification time (ms) of the files under `dir` with one of `extensions`. */
function newestMtime(dir: string, extensions: readonly string[]): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !extensions.some((ext) => entry.name.endsWith(ext))) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Whether `dist/` is missing or older than `src/`, and why. */
export function distState(): { fresh: boolean; reason: string } {
  const entry = path.join(projectRoot, "dist", "index.js");
  if (!existsSync(entry)) return { fresh: false, reason: "dist/index.js is missing" };
  const built = statSync(entry).mtimeMs;
  const source = newestMtime(path.join(projectRoot, "src"), [".ts"]);
  if (source > built) return { fresh: false, reason: "src/ changed after dist/ was built" };
  return { fresh: true, reason: "dist/ is up to date with src/" };
}

/** Process warnings seen since `captureWarnings`, by name (e.g. `MaxListenersExceededWarning`). */
export const warningCounts = new Map<string, number>();

/**
 * Counts process warnings instead of printing each one: a client that triggers a warning per
 * call would flood the output. The first warning of each name is logged, the counts go into
 * the results (and per contender into the overhead tables).
 */
export function captureWarnings(log: (line: string) => void): void {
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    const count = (warningCounts.get(warning.name) ?? 0) + 1;
    warningCounts.set(warning.name, count);
    if (count === 1)
      log(`process warning (first; the rest are counted): ${warning.name}: ${warning.message}`);
  });
}

/** All warnings counted so far. */
export function totalWarnings(): number {
  let total = 0;
  for (const count of warningCounts.values()) total += count;
  return total;
}

/** Path of the tsx command line, run with this Node. */
export const TSX_CLI = path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs");

/** Runs a command and resolves with its stdout; rejects with its stderr on failure. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd ?? projectRoot, env: options.env ?? process.env, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${path.basename(command)} ${args.join(" ")}: ${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * Makes sure `dist/` is built from the current `src/` (runs `tsx scripts/build.ts` when it is
 * missing or stale), and returns what was done.
 */
export async function ensureBuilt(): Promise<string> {
  const state = distState();
  if (state.fresh) return state.reason;
  await run(process.execPath, [TSX_CLI, "scripts/build.ts"]);
  return `${state.reason}: ran tsx scripts/build.ts`;
}

/**
 * Imports the facade as users do: by the package name, which resolves (self-reference through
 * `exports`, `node` condition) to this checkout's one-file `dist/node/index.js` (built by
 * `scripts/bundle-node.ts` from the same sources as `dist/index.js`). Returns the module and the
 * resolved URL.
 */
export async function importFacade(): Promise<{ module: FacadeModule; url: string }> {
  const specifier: string = "nectar-climate-connection";
  const url = import.meta.resolve(specifier);
  const expected = new URL("../dist/node/index.js", import.meta.url).href;
  if (url !== expected) throw new Error(`${specifier} resolved to ${url}, not ${expected}`);
  const module: FacadeModule = await import(specifier);
  return { module, url };
}
