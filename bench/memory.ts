/**
 * Memory: does the heap grow with the number of calls? One client (the built facade), the
 * in-memory `fetch`, sequential calls, in a child process run with `--expose-gc`
 * (`bench/memory-worker.ts`); at each checkpoint it collects garbage fully (several times,
 * with a turn of the event loop between) and reads `heapUsed`.
 *
 * The first calls grow the heap by a few hundred KB that never come back: compiled code and
 * inline-cache feedback, paid once. So the calls are counted after a warm-up of
 * `WARMUP_CALLS`: the baselines are the heap after 1 000, 2 000 and 3 000 calls, the end is the
 * heap after 100 000 calls (with a midpoint at 50 000 to show a trend).
 *
 * Noise is the spread (max − min) of the three baselines: the same client in the same state,
 * so their differences are what the measurement cannot resolve. Growth is heap(100 000) −
 * heap(1 000); the target is growth ≤ noise. A leak shows as growth far above noise, and as
 * heap(100 000) − heap(50 000) ≈ heap(50 000) − heap(1 000). The cold heap after the first
 * 1 000 calls of the process (warm-up included) is reported too.
 */
import path from "node:path";
import { benchDir, run } from "./common.ts";

/** The heap at one checkpoint, in bytes, after a full collection. */
export interface Checkpoint {
  calls: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** What the worker reports for one mode. */
export interface MemoryRun {
  mode: "off" | "strict";
  checkpoints: Checkpoint[];
  /** Wall time of the calls and collections, in seconds. */
  seconds: number;
}

/** The verdict for one mode; heaps in bytes, call counts after the warm-up. */
export interface MemoryVerdict extends MemoryRun {
  warmupCalls: number;
  /** Heap after the process's first 1 000 calls (inside the warm-up). */
  coldHeap: number;
  /** Heap after 1 000, 2 000 and 3 000 counted calls. */
  baselineHeaps: number[];
  /** Heap after 50 000 counted calls. */
  midpointHeap: number;
  /** Heap after 1 000 counted calls, bytes. */
  baselineHeap: number;
  /** Heap after 100 000 counted calls, bytes. */
  finalHeap: number;
  /** finalHeap − baselineHeap, bytes. */
  growth: number;
  /** growth / (100 000 − 1 000) calls, bytes. */
  growthPerCall: number;
  /** Spread (max − min) of the heap after 1 000, 2 000 and 3 000 calls, bytes. */
  noise: number;
  /** growth ≤ noise. */
  withinNoise: boolean;
}

/** Calls made before counting starts (JIT and caches settle). */
export const WARMUP_CALLS = 5_000;

/** The counted checkpoints: three baselines, a midpoint and the end (calls after the warm-up). */
export const CHECKPOINTS = [1_000, 2_000, 3_000, 50_000, 100_000] as const;

/** The cold checkpoint: calls since the process started, warm-up included. */
export const COLD_CALLS = 1_000;

/** Runs the worker for one validation mode and judges its checkpoints. */
export async function measureMemory(mode: "off" | "strict"): Promise<MemoryVerdict> {
  const absolute = [COLD_CALLS, ...CHECKPOINTS.map((calls) => WARMUP_CALLS + calls)];
  const stdout = await run(process.execPath, [
    "--expose-gc",
    "--import",
    "tsx",
    path.join(benchDir, "memory-worker.ts"),
    mode,
    absolute.join(","),
  ]);
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as MemoryRun;
  const heapAt = (calls: number): number => {
    const point = result.checkpoints.find((checkpoint) => checkpoint.calls === calls);
    if (!point) throw new Error(`memory worker: no checkpoint at ${calls} calls`);
    return point.heapUsed;
  };
  const counted = (calls: number): number => heapAt(WARMUP_CALLS + calls);
  const first = CHECKPOINTS[0];
  const last = CHECKPOINTS[CHECKPOINTS.length - 1] ?? first;
  const baselines = CHECKPOINTS.slice(0, 3).map(counted);
  const noise = Math.max(...baselines) - Math.min(...baselines);
  const growth = counted(last) - counted(first);
  return {
    ...result,
    warmupCalls: WARMUP_CALLS,
    coldHeap: heapAt(COLD_CALLS),
    baselineHeaps: baselines,
    midpointHeap: counted(50_000),
    baselineHeap: counted(first),
    finalHeap: counted(last),
    growth,
    growthPerCall: Math.round((growth / (last - first)) * 1000) / 1000,
    noise,
    withinNoise: growth <= noise,
  };
}

/** The memory part: validation off (the default) and strict. */
export async function runMemory(): Promise<MemoryVerdict[]> {
  return [await measureMemory("off"), await measureMemory("strict")];
}
