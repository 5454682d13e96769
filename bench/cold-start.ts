/**
 * Cold start: the wall time of a fresh Node process, spawn to exit, for what a script or a cron
 * job pays on every run: importing openapi-fetch alone, importing this package (`dist/`, by its
 * name), importing it and creating a client, and the CLI (`--version`, `get <id> --mock`) through
 * the file `package.json`'s `bin` points to at run time. Each is a ratio to an empty
 * `node -e 0` spawned in the same round; a second `node -e 0` (A/A) gives the run's noise.
 *
 * Method: `rounds` rounds, each spawning every variant once, in alternating order (reversed on
 * odd rounds); the reported time is the median over rounds, the ratio the median of per-round
 * ratios. The ES module variants are small files written under `.tmp/bench/cold/` (inside this
 * package, so `nectar-climate-connection` resolves to `dist/` by self-reference, as for the
 * other parts).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { median, projectRoot, round, run } from "./common.ts";
import {
  type Comparison,
  compare,
  type Noise,
  noiseOf,
  perRoundRatios,
  withinNoise,
} from "./noise.ts";

/** How much to run. */
export interface ColdStartConfig {
  rounds: number;
}

/** One way of starting a process. */
interface Variant {
  name: string;
  /** The command line after `node`, for the report. */
  command: string;
  args: string[];
  /** Compared with this variant besides the empty `node` (the package import: openapi-fetch). */
  compareWith?: string;
  /** Throws when the process did not do what it should (checked once, before timing). */
  check?: (stdout: string) => void;
}

/** One variant's times. */
export interface ColdStartStats {
  name: string;
  command: string;
  /** Median wall time, spawn to exit, in ms. */
  medianMs: number;
  /** Each round's time in ms. */
  roundMs: number[];
  /** Median of per-round ratios to `node -e 0`. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** |ratio − 1| ≤ the run's noise: the run cannot tell this variant from an empty `node`. */
  withinNoise: boolean;
  /** Ratio to `compareWith`, when the variant has one. */
  comparison: Comparison | null;
}

/** The cold-start part's result. */
export interface ColdStartResult {
  config: ColdStartConfig;
  /** The CLI file, as `package.json` `bin` names it. */
  bin: string;
  noise: Noise;
  variants: ColdStartStats[];
}

/** The baseline and its A/A copy. */
export const EMPTY_NODE = "node -e 0";
const EMPTY_NODE_AA = "node -e 0 (A/A)";

/** The CLI's path from `package.json` `bin` (its only or `nectar-connection` entry). */
export function cliBin(): string {
  const parsed: unknown = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8"));
  const bin = typeof parsed === "object" && parsed !== null && "bin" in parsed ? parsed.bin : null;
  const file =
    typeof bin === "string"
      ? bin
      : typeof bin === "object" && bin !== null
        ? (Object.values(bin)[0] as unknown)
        : undefined;
  if (typeof file !== "string") throw new Error("package.json has no bin");
  return path.normalize(file);
}

/** Writes the ES module variants' files; returns their paths relative to the project root. */
function writeModules(): Record<string, string> {
  const dir = path.join(projectRoot, ".tmp", "bench", "cold");
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    "empty.mjs": "",
    "openapi-fetch.mjs": 'import createClient from "openapi-fetch";\nif (!createClient) throw 1;\n',
    "package.mjs":
      'import { createNectarClient } from "nectar-climate-connection";\nif (!createNectarClient) throw 1;\n',
    "create.mjs":
      'import { createNectarClient } from "nectar-climate-connection";\ncreateNectarClient({ apiKey: "bench-key-0123456789" });\n',
  };
  const paths: Record<string, string> = {};
  for (const [name, contents] of Object.entries(files)) {
    writeFileSync(path.join(dir, name), contents);
    paths[name] = path.relative(projectRoot, path.join(dir, name));
  }
  return paths;
}

/** The variants, in the order they are reported. */
function variants(connectionId: string): Variant[] {
  const file = writeModules();
  const bin = cliBin();
  const module = (name: string, label: string, compareWith?: string): Variant => ({
    name: label,
    command: `node ${file[name]}`,
    args: [file[name] ?? name],
    ...(compareWith ? { compareWith } : {}),
  });
  return [
    { name: EMPTY_NODE, command: "node -e 0", args: ["-e", "0"] },
    { name: EMPTY_NODE_AA, command: "node -e 0", args: ["-e", "0"] },
    module("empty.mjs", "empty ES module file"),
    module("openapi-fetch.mjs", "import openapi-fetch"),
    module("package.mjs", "import nectar-climate-connection", "import openapi-fetch"),
    module("create.mjs", "import + createNectarClient", "import openapi-fetch"),
    {
      name: "CLI --version",
      command: `node ${bin} --version`,
      args: [bin, "--version"],
      check: (out) => {
        if (!/\d+\.\d+\.\d+/.test(out)) throw new Error(`CLI --version printed ${out}`);
      },
    },
    {
      name: "CLI get <id> --mock",
      command: `node ${bin} get ${connectionId} --mock`,
      args: [bin, "get", connectionId, "--mock"],
      check: (out) => {
        if (!out.includes(connectionId)) throw new Error(`CLI get printed ${out}`);
      },
    },
  ];
}

/** Spawns `node args`, waits for exit (rejects on a non-zero code); resolves stdout and ms. */
async function spawnTimed(args: readonly string[]): Promise<{ ms: number; stdout: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NODE_OPTIONS;
  const started = performance.now();
  const stdout = await run(process.execPath, args, { env });
  return { ms: performance.now() - started, stdout };
}

/** Runs the cold-start part. */
export async function runColdStart(
  config: ColdStartConfig,
  connectionId: string,
  log: (line: string) => void,
): Promise<ColdStartResult> {
  const all = variants(connectionId);
  for (const variant of all) {
    const { stdout } = await spawnTimed(variant.args);
    variant.check?.(stdout);
  }
  const times = new Map(all.map((v) => [v.name, [] as number[]]));
  for (let r = 0; r < config.rounds; r++) {
    for (const variant of r % 2 === 0 ? all : [...all].reverse()) {
      times.get(variant.name)?.push((await spawnTimed(variant.args)).ms);
    }
    if ((r + 1) % 5 === 0 || r + 1 === config.rounds) {
      log(`cold start: round ${r + 1}/${config.rounds} done`);
    }
  }
  const timesOf = (name: string) => times.get(name) ?? [];
  const baseline = timesOf(EMPTY_NODE);
  const noise = noiseOf(perRoundRatios(timesOf(EMPTY_NODE_AA), baseline));
  const stats = all.map((variant): ColdStartStats => {
    const ms = timesOf(variant.name);
    const ratios = perRoundRatios(ms, baseline);
    return {
      name: variant.name,
      command: variant.command,
      medianMs: round(median(ms), 1),
      roundMs: ms.map((value) => round(value, 1)),
      ratio: round(median(ratios)),
      withinNoise: withinNoise(round(median(ratios)), noise),
      ratioMin: round(Math.min(...ratios)),
      ratioMax: round(Math.max(...ratios)),
      comparison: variant.compareWith
        ? compare(variant.compareWith, ms, timesOf(variant.compareWith), noise)
        : null,
    };
  });
  return { config, bin: cliBin(), noise, variants: stats };
}
