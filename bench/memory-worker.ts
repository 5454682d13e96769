/**
 * The memory part's child process (run by `bench/memory.ts` with `--expose-gc`): makes calls
 * through the facade (built package) against the in-memory `fetch`, and records the heap after
 * a full garbage collection at each checkpoint. Prints one JSON line: `MemoryRun`.
 *
 * Arguments: the validation mode (`off` | `strict`) and the checkpoints, comma-separated call
 * counts since the process started, e.g. `off 1000,6000,7000,8000,55000,105000`.
 */
import { BENCH_API_KEY, importFacade, loadPayload, MEMORY_BASE_URL } from "./common.ts";
import type { Checkpoint, MemoryRun } from "./memory.ts";
import { createMemoryFetch } from "./memory-fetch.ts";

/** `global.gc`, which `--expose-gc` installs. */
function collector(): () => void {
  const gc: unknown = Reflect.get(globalThis, "gc");
  if (typeof gc !== "function") throw new Error("run with --expose-gc");
  return () => {
    gc();
  };
}

/** Collects until the heap settles: a few full collections with a turn of the event loop between. */
async function settledHeap(gc: () => void): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 4; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    gc();
  }
  return process.memoryUsage();
}

async function main(): Promise<void> {
  const [mode, list] = process.argv.slice(2);
  if (mode !== "off" && mode !== "strict") throw new Error(`bad mode ${mode}`);
  const checkpoints = (list ?? "").split(",").map(Number);
  const gc = collector();
  const payload = loadPayload();
  const { module } = await importFacade();
  const client = module.createNectarClient({
    apiKey: BENCH_API_KEY,
    baseUrl: MEMORY_BASE_URL,
    fetch: createMemoryFetch(payload.body),
    validateResponses: mode,
  });
  const id = payload.connectionId;
  const results: Checkpoint[] = [];
  let calls = 0;
  const started = performance.now();
  for (const target of checkpoints) {
    while (calls < target) {
      await client.connections.retrieve(id);
      calls++;
    }
    const usage = await settledHeap(gc);
    results.push({
      calls,
      heapUsed: usage.heapUsed,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
    });
  }
  const run: MemoryRun = {
    mode,
    checkpoints: results,
    seconds: (performance.now() - started) / 1000,
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
