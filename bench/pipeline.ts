/**
 * Pipeline: the wall time of `npm run generate`, step by step. Runs
 * `tsx scripts/generate.ts --out <tmp> --timings <tmp>/t.json` `PIPELINE_RUNS` times, reads the
 * step timings the script writes (lint, bundle, types, validators), measures the wall time of the
 * whole process from spawn to exit (tsx start-up included), and reports the median of each.
 * Each run's output is compared with the committed `generated/` (the pipeline is deterministic).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { median, projectRoot, run, TSX_CLI } from "./common.ts";

/** How many times the pipeline runs. */
export const PIPELINE_RUNS = 3;

/** The steps `scripts/generate.ts` times, in order. */
export const PIPELINE_STEPS = ["lint", "bundle", "types", "validators"] as const;

/** One run of the pipeline, in ms. */
export interface PipelineRun {
  steps: Record<string, number>;
  /** Sum of the step timings. */
  stepsTotalMs: number;
  /** Spawn to exit of the generate process. */
  wallMs: number;
  /** Whether every file written equals the one in `generated/`. */
  matchesCommitted: boolean;
}

/** The pipeline part: each run and the medians. */
export interface PipelineResult {
  command: string;
  runs: PipelineRun[];
  /** Median over runs of each step, in ms. */
  medianSteps: Record<string, number>;
  medianStepsTotalMs: number;
  medianWallMs: number;
}

/** Whether each file in `dir` equals its namesake in `generated/`. */
function matchesCommitted(dir: string): boolean {
  const generated = path.join(projectRoot, "generated");
  return readdirSync(dir)
    .filter((name) => name !== "t.json")
    .every((name) => {
      try {
        return readFileSync(path.join(dir, name)).equals(readFileSync(path.join(generated, name)));
      } catch {
        return false;
      }
    });
}

/** Parses the timings file: `{ step: ms }`. */
function readTimings(file: string): Record<string, number> {
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null) throw new Error(`bad timings in ${file}`);
  const timings: Record<string, number> = {};
  for (const [step, ms] of Object.entries(parsed)) {
    if (typeof ms === "number") timings[step] = ms;
  }
  return timings;
}

/** Runs the pipeline `PIPELINE_RUNS` times into temporary directories. */
export async function runPipeline(log: (line: string) => void): Promise<PipelineResult> {
  const runs: PipelineRun[] = [];
  for (let i = 0; i < PIPELINE_RUNS; i++) {
    const out = mkdtempSync(path.join(tmpdir(), "nectar-bench-generate-"));
    try {
      const timingsFile = path.join(out, "t.json");
      const started = performance.now();
      await run(process.execPath, [
        TSX_CLI,
        "scripts/generate.ts",
        "--out",
        out,
        "--timings",
        timingsFile,
      ]);
      const wallMs = Math.round(performance.now() - started);
      const steps = readTimings(timingsFile);
      const stepsTotalMs = Object.values(steps).reduce((sum, ms) => sum + ms, 0);
      runs.push({ steps, stepsTotalMs, wallMs, matchesCommitted: matchesCommitted(out) });
      log(`pipeline: run ${i + 1}/${PIPELINE_RUNS}: ${wallMs} ms`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const medianSteps: Record<string, number> = {};
  for (const step of PIPELINE_STEPS) {
    medianSteps[step] = median(runs.map((r) => r.steps[step] ?? Number.NaN));
  }
  return {
    command: "tsx scripts/generate.ts --out <tmp> --timings <tmp>/t.json",
    runs,
    medianSteps,
    medianStepsTotalMs: median(runs.map((r) => r.stepsTotalMs)),
    medianWallMs: median(runs.map((r) => r.wallMs)),
  };
}
