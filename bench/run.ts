/**
 * `npm run bench`: per-call overhead, throughput, cold start, bundle size, memory and the
 * generate pipeline. Writes `results.json` (every number, with the machine and package versions)
 * and `RESULTS.md` (tables) under `.tmp/bench/` (gitignored), and prints the tables; with
 * `--update`, rewrites the committed `bench/results.json` and `bench/RESULTS.md` instead. Not
 * part of `npm test`.
 *
 * Flags: `--only size,overhead,throughput,cold,memory,pipeline,fleet,list,webhooks` (a subset; the others are
 * written as `null`), `--quick` (fewer iterations: to try the harness, not to quote numbers),
 * `--update` (write the committed results).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type ColdStartConfig, runColdStart } from "./cold-start.ts";
import {
  benchDir,
  captureWarnings,
  ensureBuilt,
  importFacade,
  loadPayload,
  projectRoot,
  warningCounts,
} from "./common.ts";
import { fleetSection, runFleet } from "./fleet.ts";
import { listSection, runList } from "./list.ts";
import { runMemory } from "./memory.ts";
import { checkMemoryFetch } from "./memory-fetch.ts";
import { outputPaths } from "./output.ts";
import { type OverheadConfig, runOverhead } from "./overhead.ts";
import { runPipeline } from "./pipeline.ts";
import { type Environment, type Results, renderMarkdown } from "./report.ts";
import { runSize } from "./size.ts";
import { runThroughput, type ThroughputConfig } from "./throughput.ts";
import { runWebhooks, type WebhookConfig, webhookSection } from "./webhooks.ts";

/** The parts of the bench, in the order they run. */
const PARTS = [
  "size",
  "overhead",
  "throughput",
  "cold",
  "memory",
  "pipeline",
  "fleet",
  "list",
  "webhooks",
] as const;
type Part = (typeof PARTS)[number];

/** How much each timed part runs. */
interface Profile {
  memory: OverheadConfig;
  http: OverheadConfig;
  throughput: ThroughputConfig;
  cold: ColdStartConfig;
  webhooks: WebhookConfig;
}

/** Iterations: `full` for numbers, `quick` to try the harness. */
const PROFILES: Record<"full" | "quick", Profile> = {
  full: {
    memory: { warmupCalls: 5_000, rounds: 10, callsPerRound: 5_000 },
    http: { warmupCalls: 1_000, rounds: 10, callsPerRound: 1_500 },
    throughput: { inFlight: 10, warmupCalls: 1_000, rounds: 20, callsPerRound: 1_000 },
    cold: { rounds: 25 },
    webhooks: { rounds: 10, warmupCalls: 200, callsPerRound: { small: 1_000, large: 100 } },
  },
  quick: {
    memory: { warmupCalls: 1_000, rounds: 4, callsPerRound: 1_000 },
    http: { warmupCalls: 200, rounds: 4, callsPerRound: 300 },
    throughput: { inFlight: 10, warmupCalls: 200, rounds: 4, callsPerRound: 400 },
    cold: { rounds: 4 },
    webhooks: { rounds: 4, warmupCalls: 50, callsPerRound: { small: 200, large: 20 } },
  },
};

/** How the ratios to the floor are computed (printed in both outputs). */
const RATIO_DEFINITION =
  "Ratio to the floor: in every round, the contender's p50 latency divided by the floor's p50 in the same round; the reported ratio is the median of those per-round ratios (the per-round range shows their spread). The same median-of-ratios of the per-round mean is given beside it. 1.00 = as fast as a hand-written fetch; the floor itself is 1 by definition.";

/** Packages whose versions are recorded, read from node_modules. */
const RECORDED_PACKAGES = [
  "openapi-fetch",
  "standardwebhooks",
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

/**
 * Writes `RESULTS.md` formatted as Biome would (aligned tables), so that lint passes on the
 * committed copy. Formats through stdin under the committed file's name: Biome ignores `.tmp/`.
 */
function writeMarkdown(file: string, markdown: string, log: (line: string) => void): void {
  let formatted = markdown;
  try {
    formatted = execFileSync(
      process.execPath,
      [BIOME, "format", "--stdin-file-path=bench/RESULTS.md"],
      { cwd: projectRoot, input: markdown, encoding: "utf8" },
    );
  } catch (error) {
    log(`could not format ${path.basename(file)} with Biome: ${String(error)}`);
  }
  writeFileSync(file, formatted);
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
    options: {
      only: { type: "string" },
      quick: { type: "boolean", default: false },
      update: { type: "boolean", default: false },
    },
  });
  if (values.update && (values.quick || values.only)) {
    throw new Error(
      "--update rewrites the committed results: run every part with the full profile (no --quick, no --only)",
    );
  }
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
  const memoryFetchCheck = runs("overhead") ? await checkMemoryFetch() : null;
  if (memoryFetchCheck) {
    log(
      `in-memory fetch vs Node's fetch: ${JSON.stringify(memoryFetchCheck.nodeFetch)} abort listeners (Node) = ${JSON.stringify(memoryFetchCheck.memoryFetch)} (fake)`,
    );
  }
  const overhead = runs("overhead")
    ? await runOverhead(facade, payload, PROFILES[profile], log)
    : null;
  const throughput = runs("throughput")
    ? await runThroughput(facade, payload, PROFILES[profile].throughput, log)
    : null;
  const coldStart = runs("cold")
    ? await runColdStart(PROFILES[profile].cold, payload.connectionId, log)
    : null;
  if (runs("memory")) log("memory: two child processes (validation off, strict)…");
  const memory = runs("memory") ? await runMemory() : null;
  const pipeline = runs("pipeline") ? await runPipeline(log) : null;
  const fleet = runs("fleet") ? await runFleet(facade, log) : null;
  const list = runs("list") ? await runList(facade, log) : null;
  const webhooks = runs("webhooks")
    ? await runWebhooks(facade, PROFILES[profile].webhooks, log)
    : null;

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
    memoryFetchCheck,
    overhead,
    throughput,
    coldStart,
    memory,
    pipeline,
    fleet,
    list,
    webhooks,
    durationSeconds: Math.round(performance.now() - started) / 1000,
  };
  const out = outputPaths(values.update);
  mkdirSync(path.dirname(out.json), { recursive: true });
  writeFileSync(out.json, `${JSON.stringify(results, null, 2)}\n`);
  const fleetMarkdown = fleet ? `\n${fleetSection(fleet)}` : "";
  const listMarkdown = list ? `\n${listSection(list)}` : "";
  const webhookMarkdown = webhooks ? `\n${webhookSection(webhooks)}` : "";
  await writeMarkdown(
    out.markdown,
    `${renderMarkdown(results)}${fleetMarkdown}${listMarkdown}${webhookMarkdown}`,
    log,
  );
  console.log(`\n${readFileSync(out.markdown, "utf8")}`);
  const where = (file: string) => path.relative(projectRoot, file);
  log(`wrote ${where(out.json)} and ${where(out.markdown)}`);
  if (!values.update) log("to rewrite the committed results: npm run bench -- --update");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
