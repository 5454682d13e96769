/**
 * The fleet (`--only fleet`): `retrieveMany` against the mock over loopback with 20 ms latency
 * per answer (wall time against the bound N × latency / cap, the mock's `maxInFlight`), the same
 * under a 429 storm, the heap of `retrieveMany` over 100 000 ids from an async generator (in a
 * child process with `--expose-gc`, `bench/fleet-memory-worker.ts`), and the cost of the
 * client's wait queue (`ConcurrencyLimiter.acquire`/`release`) with 10^3 to 10^6 calls waiting.
 */
import path from "node:path";
import { ConcurrencyLimiter } from "../src/core/concurrency.ts";
import { benchDir, type FacadeModule, round, run } from "./common.ts";

/** Ids per `retrieveMany` run, and the mock's latency per answer. */
const IDS = 2_000;
const LATENCY_MS = 20;
const CAP = 10;

/** One `retrieveMany` run against the mock. */
export interface BulkRun {
  label: string;
  ids: number;
  concurrency: number;
  wallMs: number;
  /** N × latency / cap: the least time the run can take with every slot busy. */
  boundMs: number;
  /** wallMs / boundMs. */
  ratio: number;
  requests: number;
  failed: number;
  maxInFlight: number;
}

/** The heap of one memory run: after 1 000 results (three baselines) and at the end. */
export interface FleetMemory {
  dedupe: boolean;
  ids: number;
  baselineHeaps: number[];
  finalHeap: number;
  growth: number;
  growthPerId: number;
  noise: number;
  withinNoise: boolean;
  seconds: number;
}

/** The cost of one limiter operation with `waiting` calls queued, in microseconds. */
export interface LimiterCost {
  waiting: number;
  signal: boolean;
  acquireUs: number;
  releaseUs: number;
}

/** Everything this part measured. */
export interface FleetResult {
  latencyMs: number;
  bulk: BulkRun[];
  memory: FleetMemory[];
  limiter: LimiterCost[];
}

type MockModule = typeof import("../src/mock/index.ts");

/**
 * The floor: the same ids through plain `fetch`, 10 workers each awaiting its next id, no client.
 * What the machine and the mock allow; `retrieveMany`'s wall time reads against it.
 */
async function floorRun(mockModule: MockModule): Promise<BulkRun> {
  const mock = await mockModule.startMockServer({
    connections: [],
    fleet: { size: IDS, seed: 1 },
    latencyMs: LATENCY_MS,
  });
  try {
    const queue = [...mock.ids];
    const started = performance.now();
    const worker = async () => {
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
        const response = await fetch(`${mock.url}/connection/${id}`, {
          headers: { "x-api-key": mock.apiKey },
        });
        await response.text();
      }
    };
    await Promise.all(Array.from({ length: CAP }, worker));
    const wallMs = performance.now() - started;
    const boundMs = (IDS * LATENCY_MS) / CAP;
    return {
      label: "floor: plain fetch, 10 workers",
      ids: IDS,
      concurrency: CAP,
      wallMs: round(wallMs, 0),
      boundMs,
      ratio: round(wallMs / boundMs, 3),
      requests: mock.stats.requests,
      failed: 0,
      maxInFlight: mock.stats.maxInFlight,
    };
  } finally {
    await mock.close();
  }
}

/** One `retrieveMany` over a fresh mock of `IDS` connections; every fifth id throttled when `storm`. */
async function bulkRun(
  facade: FacadeModule,
  mockModule: MockModule,
  options: { label: string; storm: boolean; concurrency: number },
): Promise<BulkRun> {
  const mock = await mockModule.startMockServer({
    connections: [],
    fleet: { size: IDS, seed: 1 },
    latencyMs: LATENCY_MS,
  });
  try {
    if (options.storm) {
      mock.ids.forEach((id, i) => {
        if (i % 5 === 0) mock.script(id, [{ status: 429, headers: { "Retry-After": "1" } }]);
      });
    }
    const client = facade.createNectarClient({ apiKey: mock.apiKey, baseUrl: mock.url });
    let failed = 0;
    const started = performance.now();
    for await (const result of client.connections.retrieveMany(mock.ids, {
      concurrency: options.concurrency,
    })) {
      if (!result.ok) failed++;
    }
    const wallMs = performance.now() - started;
    const requests = mock.stats.requests;
    const boundMs = (requests * LATENCY_MS) / CAP;
    return {
      label: options.label,
      ids: IDS,
      concurrency: options.concurrency,
      wallMs: round(wallMs, 0),
      boundMs,
      ratio: round(wallMs / boundMs, 3),
      requests,
      failed,
      maxInFlight: mock.stats.maxInFlight,
    };
  } finally {
    await mock.close();
  }
}

/** Runs the memory worker for one dedupe setting. */
async function memoryRun(dedupe: boolean): Promise<FleetMemory> {
  const stdout = await run(process.execPath, [
    "--expose-gc",
    "--import",
    "tsx",
    path.join(benchDir, "fleet-memory-worker.ts"),
    String(dedupe),
  ]);
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as {
    checkpoints: { ids: number; heapUsed: number }[];
    seconds: number;
  };
  const heaps = result.checkpoints.map((c) => c.heapUsed);
  const baselineHeaps = heaps.slice(0, 3);
  const finalHeap = heaps.at(-1) ?? Number.NaN;
  const first = baselineHeaps[0] ?? Number.NaN;
  const noise = Math.max(...baselineHeaps) - Math.min(...baselineHeaps);
  const ids = result.checkpoints.at(-1)?.ids ?? 0;
  const growth = finalHeap - first;
  return {
    dedupe,
    ids,
    baselineHeaps,
    finalHeap,
    growth,
    growthPerId: round(growth / (ids - 1_000), 1),
    noise,
    withinNoise: growth <= noise,
    seconds: result.seconds,
  };
}

/** Acquire and release cost with `waiting` calls queued on a limiter of one slot. */
function limiterCost(waiting: number, withSignal: boolean): LimiterCost {
  const limiter = new ConcurrencyLimiter(1);
  const signal = withSignal ? new AbortController().signal : undefined;
  const abortError = () => new Error("aborted");
  limiter.acquire(signal, abortError); // takes the one slot: every later call waits
  const pending: Promise<void>[] = [];
  const acquireStart = performance.now();
  for (let i = 0; i < waiting; i++) {
    const waiter = limiter.acquire(signal, abortError);
    if (waiter) pending.push(waiter);
  }
  const acquireUs = ((performance.now() - acquireStart) * 1_000) / waiting;
  // Releases from the front of the full queue, the first tenth of it (at least 1 000): a queue
  // that skips what it already handed out gets slower with every release.
  const releases = Math.min(waiting, Math.max(1_000, waiting / 10));
  const releaseStart = performance.now();
  for (let i = 0; i < releases; i++) limiter.release();
  const releaseUs = ((performance.now() - releaseStart) * 1_000) / releases;
  pending.length = 0;
  return {
    waiting,
    signal: withSignal,
    acquireUs: round(acquireUs, 3),
    releaseUs: round(releaseUs, 3),
  };
}

/** Runs every fleet measurement; `log` prints progress. */
export async function runFleet(
  facade: FacadeModule,
  log: (line: string) => void,
): Promise<FleetResult> {
  // A string-typed specifier: the types come from src/ (MockModule), whatever dist/ holds now.
  const mockSpecifier: string = "nectar-climate-connection/mock";
  const mockModule: MockModule = await import(mockSpecifier);
  log("fleet: the floor, plain fetch with 10 workers…");
  const bulk: BulkRun[] = [await floorRun(mockModule)];
  for (const options of [
    { label: "2 000 ids", storm: false, concurrency: CAP },
    { label: "2 000 ids, 429 storm", storm: true, concurrency: CAP },
    { label: "2 000 ids, 429 storm, concurrency 20", storm: true, concurrency: 2 * CAP },
  ]) {
    log(`fleet: retrieveMany, ${options.label}…`);
    const result = await bulkRun(facade, mockModule, options);
    log(
      `fleet: ${options.label}: ${result.wallMs} ms (bound ${result.boundMs} ms, ×${result.ratio}), ${result.requests} requests, max in flight ${result.maxInFlight}`,
    );
    bulk.push(result);
  }
  const memory: FleetMemory[] = [];
  for (const dedupe of [true, false]) {
    log(`fleet: memory over 100 000 ids, dedupe ${dedupe}…`);
    memory.push(await memoryRun(dedupe));
  }
  const limiter: LimiterCost[] = [];
  for (const withSignal of [false, true]) {
    for (const waiting of [1_000, 10_000, 100_000, 1_000_000]) {
      const cost = limiterCost(waiting, withSignal);
      log(
        `fleet: limiter, ${waiting} waiting${withSignal ? " (shared signal)" : ""}: acquire ${cost.acquireUs} µs, release ${cost.releaseUs} µs`,
      );
      limiter.push(cost);
    }
  }
  return { latencyMs: LATENCY_MS, bulk, memory, limiter };
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** The fleet section of `RESULTS.md`. */
export function fleetSection(result: FleetResult): string {
  const table = (header: string[], rows: string[][]) =>
    [header, header.map((_, i) => (i === 0 ? "---" : "---:")), ...rows]
      .map((cells) => `| ${cells.join(" | ")} |`)
      .join("\n");
  return [
    "## Fleet",
    "",
    `\`retrieveMany\` against the mock over loopback, ${result.latencyMs} ms latency per answer, client cap 10; bound = requests × latency / 10.`,
    "",
    table(
      ["run", "wall", "bound", "× bound", "requests", "failed", "max in flight"],
      result.bulk.map((b) => [
        b.label,
        `${integer.format(b.wallMs)} ms`,
        `${integer.format(b.boundMs)} ms`,
        b.ratio.toFixed(2),
        integer.format(b.requests),
        String(b.failed),
        String(b.maxInFlight),
      ]),
    ),
    "",
    "Heap of `retrieveMany` over 100 000 ids from an async generator (in-memory fetch, `--expose-gc`): growth from 1 000 to 100 000 results against the spread of three baselines.",
    "",
    table(
      ["dedupe", "growth", "per id", "noise", "within noise"],
      result.memory.map((m) => [
        String(m.dedupe),
        `${integer.format(m.growth)} B`,
        `${m.growthPerId} B`,
        `${integer.format(m.noise)} B`,
        m.withinNoise ? "yes" : "no",
      ]),
    ),
    "",
    "The client's wait queue: cost per call with N calls waiting on a limiter of one slot (acquire: mean over the N; release: mean over the first tenth of the queue, at least 1 000).",
    "",
    table(
      ["waiting", "signal", "acquire", "release"],
      result.limiter.map((l) => [
        integer.format(l.waiting),
        l.signal ? "shared" : "none",
        `${l.acquireUs} µs`,
        `${l.releaseUs} µs`,
      ]),
    ),
    "",
  ].join("\n");
}
