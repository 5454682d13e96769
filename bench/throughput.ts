/**
 * Throughput with calls in flight: each contender keeps `inFlight` calls going at once over
 * loopback (the same keep-alive node:http server in a child process as the overhead part, the
 * global `fetch`) until it has made `callsPerRound` calls; ops/s = calls ÷ wall time. Rounds
 * alternate the contender order (reversed on odd rounds); every ratio is per round, to the floor
 * of the same round, and the reported ratio is the median. The A/A copy of the floor gives the
 * run's noise.
 */
import type { FacadeModule, Payload } from "./common.ts";
import { median, round } from "./common.ts";
import {
  AA,
  type Comparison,
  compare,
  type Noise,
  noiseOf,
  perRoundRatios,
  withinNoise,
} from "./noise.ts";
import {
  type Call,
  createContenders,
  FLOOR,
  startServer,
  type Transport,
  verifyContenders,
} from "./overhead.ts";

/** How much to run. */
export interface ThroughputConfig {
  inFlight: number;
  warmupCalls: number;
  rounds: number;
  callsPerRound: number;
}

/** One contender's throughput. */
export interface ThroughputStats {
  name: string;
  /** Median over rounds of the round's ops/s. */
  opsPerSecond: number;
  /** Ops/s of each round, in round order. */
  roundOpsPerSecond: number[];
  /** Median over rounds of (ops/s ÷ the floor's ops/s in the same round): > 1 is faster. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** |ratio − 1| ≤ the run's noise. */
  withinNoise: boolean;
  /** Throughput ratio to `compareWith` (the facade: to openapi-fetch), when there is one. */
  comparison: Comparison | null;
}

/** The throughput part's result. */
export interface ThroughputResult {
  label: string;
  config: ThroughputConfig;
  noise: Noise;
  contenders: ThroughputStats[];
}

/** Makes `total` calls with `inFlight` of them running at any time; returns the wall time (ms). */
async function runConcurrently(call: Call, total: number, inFlight: number): Promise<number> {
  let issued = 0;
  const worker = async () => {
    while (issued < total) {
      issued++;
      await call();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return performance.now() - started;
}

/** Runs the throughput part against a fresh loopback server. */
export async function runThroughput(
  facade: FacadeModule,
  payload: Payload,
  config: ThroughputConfig,
  log: (line: string) => void,
): Promise<ThroughputResult> {
  const contenders = createContenders(facade, payload);
  const server = await startServer();
  try {
    const transport: Transport = {
      name: "http",
      label: `node:http server in a child process on 127.0.0.1, keep-alive, global fetch; ${config.inFlight} calls in flight`,
      baseUrl: server.baseUrl,
      fetch: undefined,
    };
    await verifyContenders(contenders, transport, payload);
    const calls = new Map(contenders.map((c) => [c.name, c.create(transport)]));
    const callOf = (name: string): Call => {
      const call = calls.get(name);
      if (!call) throw new Error(`no contender ${name}`);
      return call;
    };
    const names = contenders.map((c) => c.name);
    for (const name of names)
      await runConcurrently(callOf(name), config.warmupCalls, config.inFlight);
    const perRound = new Map(names.map((name) => [name, [] as number[]]));
    for (let r = 0; r < config.rounds; r++) {
      for (const name of r % 2 === 0 ? names : [...names].reverse()) {
        const wall = await runConcurrently(callOf(name), config.callsPerRound, config.inFlight);
        perRound.get(name)?.push(config.callsPerRound / (wall / 1000));
      }
      log(`throughput: round ${r + 1}/${config.rounds} done`);
    }
    const opsOf = (name: string) => perRound.get(name) ?? [];
    const floor = opsOf(FLOOR);
    const noise = noiseOf(perRoundRatios(opsOf(AA), floor));
    const stats = contenders.map((contender): ThroughputStats => {
      const ops = opsOf(contender.name);
      const ratios = perRoundRatios(ops, floor);
      const ratio = round(median(ratios));
      return {
        name: contender.name,
        opsPerSecond: Math.round(median(ops)),
        roundOpsPerSecond: ops.map((value) => Math.round(value)),
        ratio,
        ratioMin: round(Math.min(...ratios)),
        ratioMax: round(Math.max(...ratios)),
        withinNoise: withinNoise(ratio, noise),
        comparison: contender.compareWith
          ? compare(contender.compareWith, ops, opsOf(contender.compareWith), noise)
          : null,
      };
    });
    return { label: transport.label, config, noise, contenders: stats };
  } finally {
    await server.stop();
  }
}
