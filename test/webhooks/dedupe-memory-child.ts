/**
 * Run by dedupe.test.ts in a child process (`node --expose-gc --import tsx`), so that the heap
 * can be collected before it is read: claims 100,000 distinct ids of 2 KB (flat strings, not
 * ropes over a shared padding) and prints `{ retained, size }`, the heap kept after a full GC.
 * `NECTAR_TEST_SCENARIO`: `kept` (the ids held in an array: the control), `claimed`, or
 * `released` (each id claimed, then released as after a failed handling).
 */
import { createWebhookDeduper } from "../../src/webhooks/dedupe.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --expose-gc");
const scenario = process.env.NECTAR_TEST_SCENARIO ?? "";
const bigId = (i: number) =>
  String(i).padStart(8, "0") + Buffer.alloc(2040, 97 + (i % 26)).toString("latin1");

const deduper = createWebhookDeduper({ maxIds: 1_000 });
const kept: string[] = [];
gc();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < 100_000; i++) {
  const id = bigId(i);
  if (scenario === "kept") kept.push(id);
  else deduper.claim(id);
  if (scenario === "released") deduper.release(id);
}
gc();
const retained = process.memoryUsage().heapUsed - before;
console.log(JSON.stringify({ retained, size: scenario === "kept" ? kept.length : deduper.size }));
