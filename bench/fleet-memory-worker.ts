/**
 * The fleet part's memory child process (run by `bench/fleet.ts` with `--expose-gc`): one
 * `retrieveMany` over 105 000 distinct ids from an async generator, through the facade (built
 * package) on the in-memory `fetch`. The first 5 000 results warm up; the heap is then read after
 * a full collection at 1 000, 2 000 and 3 000 counted results (baselines) and at 100 000.
 * Argument: `true` or `false`, the `dedupe` option. Prints one JSON line.
 */
import { BENCH_API_KEY, importFacade, loadPayload, MEMORY_BASE_URL } from "./common.ts";
import { createMemoryFetch } from "./memory-fetch.ts";

const WARMUP = 5_000;
const COUNTED = [1_000, 2_000, 3_000, 100_000];

/** Collects until the heap settles: a few full collections with a turn of the event loop between. */
async function settledHeap(): Promise<number> {
  const gc: unknown = Reflect.get(globalThis, "gc");
  if (typeof gc !== "function") throw new Error("run with --expose-gc");
  for (let i = 0; i < 4; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** `count` distinct UUIDs, produced one at a time. */
async function* ids(count: number): AsyncGenerator<string> {
  for (let i = 0; i < count; i++) {
    yield `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  }
}

async function main(): Promise<void> {
  const dedupe = process.argv[2] === "true";
  const payload = loadPayload();
  const { module } = await importFacade();
  const client = module.createNectarClient({
    apiKey: BENCH_API_KEY,
    baseUrl: MEMORY_BASE_URL,
    fetch: createMemoryFetch(payload.body),
  });
  const total = WARMUP + (COUNTED.at(-1) ?? 0);
  const at = new Set(COUNTED.map((n) => WARMUP + n));
  const checkpoints: { ids: number; heapUsed: number }[] = [];
  const started = performance.now();
  let done = 0;
  for await (const result of client.connections.retrieveMany(ids(total), { dedupe })) {
    if (!result.ok) throw result.error;
    done++;
    if (at.has(done)) checkpoints.push({ ids: done - WARMUP, heapUsed: await settledHeap() });
  }
  const seconds = Math.round(performance.now() - started) / 1_000;
  console.log(JSON.stringify({ checkpoints, seconds }));
}

await main();
