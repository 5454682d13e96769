/**
 * The list part's memory child process (run by `bench/list.ts` with `--expose-gc`): one walk with
 * `for await` through the 100 000 connections of the list server at the URL given as argument,
 * through the facade (built package), 500 a page. The heap is read after a full collection at
 * 5 000, 10 000 and 15 000 connections (baselines, after the first pages warmed everything up) and
 * at 100 000; the RSS is sampled every few ms for its peak. Prints one JSON line.
 */
import { BENCH_API_KEY, importFacade } from "./common.ts";

const COMPANY = "6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const COUNTED = [5_000, 10_000, 15_000, 100_000];

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

async function main(): Promise<void> {
  const { module } = await importFacade();
  const client = module.createNectarClient({ apiKey: BENCH_API_KEY, baseUrl: process.argv[2] });
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 5);
  const checkpoints: { connections: number; heapUsed: number }[] = [];
  const at = new Set(COUNTED);
  const started = performance.now();
  let done = 0;
  for await (const connection of client.connections.list(COMPANY, { limit: 500 })) {
    if (connection.id === "") throw new Error("a connection without an id");
    done++;
    if (at.has(done)) checkpoints.push({ connections: done, heapUsed: await settledHeap() });
  }
  clearInterval(sampler);
  const seconds = Math.round(performance.now() - started) / 1_000;
  console.log(JSON.stringify({ done, checkpoints, rssStart, rssPeak, seconds }));
}

await main();
