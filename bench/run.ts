/**
 * `npm run bench`: per-call overhead, bundle size, memory and the generate pipeline. Writes
 * `bench/results.json` (every number, with the machine and package versions) and
 * `bench/RESULTS.md` (tables), both rewritten on every run. Not part of `npm test`.
 *
 * Flags: `--only overhead,size,memory,pipeline` (a subset; the others are written as `null`),
 * `--quick` (fewer iterations: to try the harness, not to quote numbers).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  benchDir,
  captureWarnings,
  ensureBuilt,
  importFacade,
  loadPayload,
  projectRoot,
  run,
  warningCounts,
} from "./common.ts";
import { fleetSection, runFleet } from "./fleet.ts";
import { runMemory } from "./memory.ts";
import { type OverheadConfig, runOverhead } from "./overhead.ts";
import { runPipeline } from "./pipeline.ts";
import { type Environment, type Results, renderMarkdown } from "./report.ts";
import { runSize } from "./size.ts";

/** The parts of the bench, in the order they run. */
const PARTS = ["size", "overhead", "memory", "pipeline", "fleet"] as const;
type Part = (typeof PARTS)[number];

/** Iterations per transport: `full` for numbers, `quick` to try the harness. */
const PROFILES: Record<"full" | "quick", { memory: OverheadConfig; http: OverheadConfig }> = {
  full: {
    memory: { warmupCalls: 5_000, rounds: 10, callsPerRound: 5_000 },
    http: { warmupCalls: 1_000, rounds: 10, callsPerRound: 1_500 },
  },
  quick: {
    memory: { warmupCalls: 1_000, rounds: 4, callsPerRound: 1_000 },
    http: { warmupCalls: 200, rounds: 4, callsPerRound: 300 },
  },
};

/** How the ratios to the floor are computed (printed in both outputs). */
const RATIO_DEFINITION =
  "Ratio to the floor: in every round, the contender's p50 latency divided by the floor's p50 in the same round; the reported ratio is the median of those per-round ratios (the per-round range shows their spread). The same median-of-ratios of the per-round mean is given beside it. 1.00 = as fast as a hand-written fetch; the floor itself is 1 by definition.";

/** Packages whose versions are recorded, read from node_modules. */
const RECORDED_PACKAGES = [
  "openapi-fetch",
  "axios",
  "ky",
  "esbuild",
  "tsx",
  "typescript",
  "@redocly/cli",
  "openapi-typescript",
  "ajv",
];

/** The `version` field of a package.json. */
function versionOf(file: string): string {
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  return typeof parsed === "object" && parsed !== null && "version" in parsed
    ? String(parsed.version)
    : "unknown";
}

/** The current commit and whether the work tree has changes. */
function gitState(): { commit: string; dirty: boolean } {
  try {
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd: projectRoot, encoding: "utf8" }).trim();
    return { commit: git("rev-parse", "HEAD"), dirty: git("status", "--porcelain") !== "" };
  } catch {
    return { commit: "unknown", dirty: false };
  }
}

/** The budget in `bench/size-budget.json`, or null when there is none. */
function readBudget(): number | null {
  try {
    const parsed: unknown = JSON.parse(
      readFileSync(path.join(benchDir, "size-budget.json"), "utf8"),
    );
    return typeof parsed === "object" &&
      parsed !== null &&
      "facadeEntryGzipBytes" in parsed &&
      typeof parsed.facadeEntryGzipBytes === "number"
      ? parsed.facadeEntryGzipBytes
      : null;
  } catch {
    return null;
  }
}

/** Biome's command line: it formats Markdown too, and `npm run lint` checks `RESULTS.md`. */
const BIOME = path.join(projectRoot, "node_modules", "@biomejs", "biome", "bin", "biome");

/** Writes `RESULTS.md` formatted as Biome would (aligned tables), so that lint passes on it. */
async function writeMarkdown(file: string, markdown: string, log: (line: string) => void) {
  writeFileSync(file, markdown);
  try {
    await run(process.execPath, [BIOME, "format", "--write", file]);
  } catch (error) {
    log(`could not format ${path.basename(file)} with Biome: ${String(error)}`);
  }
}

/** Prints a progress line with the time since start. */
function logger(started: number): (line: string) => void {
  return (line) => {
    console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const log = logger(started);
  captureWarnings(log);
  const { values } = parseArgs({
    options: { only: { type: "string" }, quick: { type: "boolean", default: false } },
  });
  const wanted = new Set<string>(values.only ? values.only.split(",").map((s) => s.trim()) : PARTS);
  for (const part of wanted) {
    if (!(PARTS as readonly string[]).includes(part)) throw new Error(`unknown part ${part}`);
  }
  const runs = (part: Part) => wanted.has(part);
  const profile = values.quick ? "quick" : "full";
  const loadAverageStart = os.loadavg();

  const build = await ensureBuilt();
  log(`facade build: ${build}`);
  const { module: facade, url } = await importFacade();
  const payload = loadPayload();
  log(`facade: ${url}`);
  log(`payload: ${payload.source} (${payload.bytes} bytes)`);

  const size = runs("size") ? await runSize() : null;
  if (size) log(`size: facade entry chunk ${size.facade.entry.gzip} B gzip`);
  const overhead = runs("overhead")
    ? await runOverhead(facade, payload, PROFILES[profile], log)
    : null;
  if (runs("memory")) log("memory: two child processes (validation off, strict)…");
  const memory = runs("memory") ? await runMemory() : null;
  const pipeline = runs("pipeline") ? await runPipeline(log) : null;
  const fleet = runs("fleet") ? await runFleet(facade, log) : null;

  const git = gitState();
  const cpus = os.cpus();
  const environment: Environment = {
    date: new Date().toISOString(),
    machine: {
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpuModel: cpus[0]?.model.trim() ?? "unknown",
      cpuCount: cpus.length,
      totalMemoryBytes: os.totalmem(),
      node: process.version,
      loadAverageStart: loadAverageStart.map((n) => Math.round(n * 100) / 100),
      loadAverageEnd: os.loadavg().map((n) => Math.round(n * 100) / 100),
    },
    packages: Object.fromEntries(
      RECORDED_PACKAGES.map((name) => [
        name,
        versionOf(path.join(projectRoot, "node_modules", name, "package.json")),
      ]),
    ),
    project: { version: versionOf(path.join(projectRoot, "package.json")), ...git },
    facade: { module: path.relative(projectRoot, new URL(url).pathname), build },
    payload: { source: payload.source, bytes: payload.bytes, connectionId: payload.connectionId },
    profile,
  };
  const results: Results = {
    environment,
    facadeEntryGzipBytes: size?.facade.entry.gzip ?? null,
    processWarnings: Object.fromEntries(warningCounts),
    facadeEntryGzipBudget: readBudget(),
    ratioDefinition: RATIO_DEFINITION,
    size,
    overhead,
    memory,
    pipeline,
    fleet,
    durationSeconds: Math.round(performance.now() - started) / 1000,
  };
  writeFileSync(path.join(benchDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const markdownFile = path.join(benchDir, "RESULTS.md");
  const fleetMarkdown = fleet ? `\n${fleetSection(fleet)}` : "";
  await writeMarkdown(markdownFile, `${renderMarkdown(results)}${fleetMarkdown}`, log);
  console.log(`\n${readFileSync(markdownFile, "utf8")}`);
  log("wrote bench/results.json and bench/RESULTS.md");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
