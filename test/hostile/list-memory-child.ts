/**
 * Run by paging.test.ts in a child process (`node --expose-gc --import tsx`), so that its heap is
 * the client's alone: walks every connection of the list at `NECTAR_TEST_BASE_URL` with
 * `for await`, and measures the heap after a full GC every 10 pages. Prints one JSON line:
 * `{ count, samples }` (heap bytes, in page order).
 */
import { createNectarClient } from "../../src/index.js";

const client = createNectarClient({
  apiKey: "nk_test_list_memory_child_000000000000",
  baseUrl: process.env.NECTAR_TEST_BASE_URL ?? "",
  timeoutMs: 60_000,
  logLevel: "off",
});
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const companyId = "6b1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const limit = 500;

let count = 0;
const samples: number[] = [];
for await (const connection of client.connections.list(companyId, { limit })) {
  if (connection.id.length > 0) count += 1;
  if (count % (limit * 10) === 0) {
    gc();
    samples.push(process.memoryUsage().heapUsed);
  }
}
process.stdout.write(`${JSON.stringify({ count, samples })}\n`);
