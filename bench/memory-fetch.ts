/**
 * The in-memory transport: a `fetch` that answers at once, but treats the request's `signal` as
 * Node's own `fetch` (undici) does. Undici's `Request` adds an `abort` listener to the caller's
 * signal for every request and removes it only when the request's internal controller is
 * garbage-collected (a `WeakRef` in the listener, a `FinalizationRegistry` to unregister it). So a
 * signal that was passed to `fetch` keeps one listener per past request until the next GC: a
 * client cannot tell "finished" from "in flight" by counting listeners. A fake that leaves no
 * listener flatters any client that reuses controllers when their signal looks idle.
 *
 * `checkMemoryFetch` compares this fake with the real `fetch` over loopback (listener count after
 * calls, and after garbage collection); `npm run bench` runs it before measuring.
 */

import { getEventListeners, getMaxListeners, setMaxListeners } from "node:events";
import { createServer } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { FetchFn } from "./common.ts";
import { RESPONSE_HEADERS } from "./common.ts";

/** The listener limit undici raises a signal to, as it does (avoids MaxListenersExceededWarning). */
const UNDICI_MAX_LISTENERS = 1_500;

/** The default listener limit of an EventTarget (what undici compares with before raising it). */
const DEFAULT_MAX_LISTENERS = 10;

/** What the finalizer needs to remove one request's listener. */
interface HeldListener {
  signal: AbortSignal;
  listener: () => void;
}

/** Removes a request's listener once its holder is collected, as undici's `requestFinalizer`. */
const finalizer = new FinalizationRegistry<HeldListener>(({ signal, listener }) => {
  signal.removeEventListener("abort", listener);
});

/** Keeps each request's holder alive as long as the `Response` it produced. */
const holders = new WeakMap<Response, object>();

/** The caller's signal: `init.signal`, else the signal of a `Request` input. */
function signalOf(input: string | URL | Request, init?: RequestInit): AbortSignal | undefined {
  if (init?.signal) return init.signal;
  return input instanceof Request ? input.signal : undefined;
}

/**
 * Leaves an `abort` listener on `signal` that lives until `holder` is collected; the listener
 * holds the holder only through a `WeakRef`, so the listener does not keep it alive.
 */
function leaveListener(signal: AbortSignal, holder: object): void {
  const ref = new WeakRef(holder);
  const listener = () => {
    ref.deref();
  };
  if (getMaxListeners(signal) === DEFAULT_MAX_LISTENERS) {
    setMaxListeners(UNDICI_MAX_LISTENERS, signal);
  }
  signal.addEventListener("abort", listener, { once: true });
  finalizer.register(holder, { signal, listener });
}

/**
 * The in-memory `fetch`: answers at once with a fresh 200 `Response` carrying `body`, and leaves
 * a listener on the request's signal as Node's `fetch` does. One instance is shared by every
 * contender, so each pays the same for it.
 */
export function createMemoryFetch(body: string): FetchFn {
  return (input, init) => {
    if (signalOf(input, init)?.aborted) {
      return Promise.reject(new DOMException("This operation was aborted", "AbortError"));
    }
    const response = new Response(body, { status: 200, headers: RESPONSE_HEADERS });
    const signal = signalOf(input, init);
    if (signal) {
      const holder = {};
      holders.set(response, holder);
      leaveListener(signal, holder);
    }
    return Promise.resolve(response);
  };
}

/** Listener counts on one signal: after `calls` calls, and after garbage collection. */
export interface ListenerCounts {
  afterCalls: number;
  afterGc: number;
}

/** The fake compared with Node's `fetch`: same listener counts after calls and after GC. */
export interface MemoryFetchCheck {
  calls: number;
  nodeFetch: ListenerCounts;
  memoryFetch: ListenerCounts;
  /** The node version the comparison ran on. */
  node: string;
}

/** `gc()` without `--expose-gc` on the command line (V8 flag set at run time). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("gc");
  if (typeof gc !== "function") throw new Error("could not expose gc");
  return () => {
    gc();
  };
}

/** Collects until the signal has no listener left, or gives up after a few rounds. */
async function countAfterGc(signal: AbortSignal, gc: () => void): Promise<number> {
  for (let i = 0; i < 20 && getEventListeners(signal, "abort").length > 0; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return getEventListeners(signal, "abort").length;
}

/** Makes `calls` calls through `fetchImpl` with `signal`, reading and dropping each response. */
async function callMany(fetchImpl: FetchFn, url: string, calls: number, signal: AbortSignal) {
  for (let i = 0; i < calls; i++) {
    const response = await fetchImpl(url, { signal });
    await response.text();
  }
}

/** Makes `calls` calls through `fetchImpl` with one signal, then counts its listeners. */
async function listenerCounts(fetchImpl: FetchFn, url: string, calls: number, gc: () => void) {
  const controller = new AbortController();
  await callMany(fetchImpl, url, calls, controller.signal);
  const afterCalls = getEventListeners(controller.signal, "abort").length;
  return { afterCalls, afterGc: await countAfterGc(controller.signal, gc) };
}

/**
 * Checks the fake against Node's real `fetch` (a throwaway server on 127.0.0.1): both must leave
 * one listener per finished call, and both must drop them all after garbage collection. Throws
 * when they differ. Not timed.
 */
export async function checkMemoryFetch(calls = 3): Promise<MemoryFetchCheck> {
  const gc = collector();
  const server = createServer((_request, response) => {
    response.writeHead(200, RESPONSE_HEADERS).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    const url = `http://127.0.0.1:${address.port}/`;
    const nodeFetch = await listenerCounts(globalThis.fetch, url, calls, gc);
    const memoryFetch = await listenerCounts(createMemoryFetch("{}"), url, calls, gc);
    const expected: ListenerCounts = { afterCalls: calls, afterGc: 0 };
    for (const [name, counts] of Object.entries({ nodeFetch, memoryFetch })) {
      if (counts.afterCalls !== expected.afterCalls || counts.afterGc !== expected.afterGc) {
        throw new Error(
          `${name}: ${JSON.stringify(counts)} abort listeners, expected ${JSON.stringify(expected)}`,
        );
      }
    }
    return { calls, nodeFetch, memoryFetch, node: process.version };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
