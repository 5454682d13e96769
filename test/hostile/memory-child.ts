/**
 * Run by memory.test.ts in a child process (`node --import tsx`), so that its RSS is the
 * client's alone: one warm-up call, then one call against the hostile body at
 * `NECTAR_TEST_BASE_URL`, sampling RSS every few ms. Prints one JSON line:
 * `{ name, message, baseline, peak }` (bytes).
 */
import { createNectarClient } from "../../src/index.js";

const WARM_ID = "00000000-0000-4000-8000-000000000001";
const HOSTILE_ID = "00000000-0000-4000-8000-000000000002";

const client = createNectarClient({
  apiKey: "nk_test_memory_child_0000000000000000",
  baseUrl: process.env.NECTAR_TEST_BASE_URL ?? "",
  // Empty: the default cap (10 MiB).
  ...(process.env.NECTAR_TEST_MAX_RESPONSE_BYTES
    ? { maxResponseBytes: Number(process.env.NECTAR_TEST_MAX_RESPONSE_BYTES) }
    : {}),
  timeoutMs: 60_000,
  maxRetries: 0,
  logLevel: "off",
});

// Warm up: load undici, the transport and the JSON path, so the baseline includes them.
await client.connections.retrieve(WARM_ID);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const baseline = process.memoryUsage.rss();
let peak = baseline;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 2);

let outcome: { name: string; message: string };
try {
  await client.connections.retrieve(HOSTILE_ID);
  outcome = { name: "resolved", message: "" };
} catch (error) {
  outcome = { name: (error as Error).name, message: (error as Error).message };
}
peak = Math.max(peak, process.memoryUsage.rss());
clearInterval(sampler);
process.stdout.write(`${JSON.stringify({ ...outcome, baseline, peak })}\n`);
