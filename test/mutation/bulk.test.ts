/**
 * `settleEach` (the engine of `retrieveMany`), the behaviours mutation testing found unpinned:
 * an abort while a read of an async source is pending and nothing else can settle; a call that
 * rejects with an error that is not this package's (it ends the run, the first such error wins);
 * `close()` of a synchronous source; ids that are not strings; the texts of its abort errors;
 * no read after the source is done; the source's `return` awaited after a failed read; at most
 * `BULK_READS_PER_TURN` reads before the event loop turns.
 * The calls here are plain async functions: the engine never talks to the network itself.
 */
import { describe, expect, it } from "vitest";
import { type Settled, settleEach } from "../../src/core/bulk.js";
import { BULK_READS_PER_TURN } from "../../src/core/constants.js";
import { NectarAbortError, NectarInvalidInputError } from "../../src/core/errors.js";
import { rejectionOf } from "../helpers/client.js";

/** Options for a run: lower-cased keys, deduplicated, the given call. */
function optionsWith<T>(
  call: (id: string, signal: AbortSignal) => Promise<T>,
  extra: { signal?: AbortSignal; concurrency?: number; onProgress?: (p: unknown) => void } = {},
) {
  return {
    concurrency: extra.concurrency ?? 4,
    signal: extra.signal,
    onProgress: extra.onProgress,
    keyOf: (id: string) => id.toLowerCase(),
    dedupe: true,
    call,
  };
}

async function drain<T>(run: AsyncIterable<Settled<T>>): Promise<Settled<T>[]> {
  const results: Settled<T>[] = [];
  for await (const result of run) results.push(result);
  return results;
}

describe("an abort while a read of an async source is pending", () => {
  it("ends the run with the caller's abort error, without waiting for the read", async () => {
    let returned = false;
    async function* silent(): AsyncGenerator<string> {
      try {
        await new Promise(() => undefined); // standard input that never speaks
        yield "never";
      } finally {
        returned = true;
      }
    }
    const controller = new AbortController();
    const calls: string[] = [];
    const run = settleEach(
      silent(),
      optionsWith(
        async (id) => {
          calls.push(id);
        },
        { signal: controller.signal },
      ),
    );
    setTimeout(() => controller.abort(), 20);
    const error = await rejectionOf(drain(run));
    expect(error).toBeInstanceOf(NectarAbortError);
    expect((error as Error).message).toBe("retrieveMany was aborted by the caller.");
    expect(calls).toEqual([]);
    // The pending read holds the generator's `return` back: the run must not wait for it.
    expect(returned).toBe(false);
  });
});

describe("a read that completes after an abort ended the run", () => {
  it("starts no call for the id it brings", async () => {
    let deliver: ((result: IteratorResult<string>) => void) | undefined;
    const late: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () =>
          new Promise<IteratorResult<string>>((resolve) => {
            deliver = resolve;
          }),
      }),
    };
    const controller = new AbortController();
    const calls: string[] = [];
    const run = settleEach(
      late,
      optionsWith(
        async (id) => {
          calls.push(id);
        },
        { signal: controller.signal },
      ),
    );
    setTimeout(() => controller.abort(), 10);
    expect(await rejectionOf(drain(run))).toBeInstanceOf(NectarAbortError);
    deliver?.({ done: false, value: "late" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([]);
  });
});

describe("an abort from inside a call, while ids remain", () => {
  it.each([
    ["an iterable", () => ["a", "b", "c", "d"][Symbol.iterator]()],
    ["an array", () => ["a", "b", "c", "d"]],
  ])("reads no further id (%s)", async (_, source) => {
    const controller = new AbortController();
    const calls: string[] = [];
    const run = settleEach(
      source(),
      optionsWith(
        (id, signal) => {
          calls.push(id);
          controller.abort();
          return Promise.reject(signal.reason);
        },
        { signal: controller.signal },
      ),
    );
    expect(await rejectionOf(drain(run))).toBeInstanceOf(NectarAbortError);
    expect(calls).toEqual(["a"]);
  });
});

describe("a call that rejects with an error that is not this package's", () => {
  it("ends the run with that error, not a failed result", async () => {
    const bug = new TypeError("a bug in the call");
    const error = await rejectionOf(
      drain(
        settleEach(
          ["a"],
          optionsWith(() => Promise.reject(bug)),
        ),
      ),
    );
    expect(error).toBe(bug);
  });

  it("ends it with the first such error when two fail at once", async () => {
    const first = new TypeError("first");
    const second = new RangeError("second");
    const run = settleEach(
      ["a", "b"],
      optionsWith((id) => Promise.reject(id === "a" ? first : second)),
    );
    expect(await rejectionOf(drain(run))).toBe(first);
  });

  it("reports a Nectar error as a failed result and goes on", async () => {
    const refused = new NectarInvalidInputError("refused");
    const results = await drain(
      settleEach(
        ["a", "b"],
        optionsWith((id) => (id === "a" ? Promise.reject(refused) : Promise.resolve(id))),
      ),
    );
    expect(results).toContainEqual({ id: "a", ok: false, error: refused });
    expect(results).toContainEqual({ id: "b", ok: true, value: "b" });
  });

  it("ends the run with the first error of a source whose reads reject", async () => {
    const first = new Error("first read");
    let reads = 0;
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(reads++ === 0 ? first : new Error("later read")),
      }),
    };
    expect(
      await rejectionOf(
        drain(
          settleEach(
            source,
            optionsWith(async () => 1),
          ),
        ),
      ),
    ).toBe(first);
  });
});

describe("a run that ends by itself", () => {
  it("ends once an async source is done and its calls settled", async () => {
    async function* ids() {
      yield* ["a", "b", "c"];
    }
    const results = await drain(
      settleEach(
        ids(),
        optionsWith(async (id) => id, { concurrency: 1 }),
      ),
    );
    expect(results.map((result) => result.id)).toEqual(["a", "b", "c"]);
  });

  it("ends after more duplicates than one turn of reads, nothing in flight", async () => {
    const ids = Array.from({ length: 600 }, () => "a");
    ids.push("b");
    const results = await drain(
      settleEach(
        ids,
        optionsWith(async (id) => id, { concurrency: 2 }),
      ),
    );
    expect(results.map((result) => result.id).sort()).toEqual(["a", "b"]);
  });
});

describe("an abort between two settled results", () => {
  it("yields none of the results still held", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = settleEach(
      ["a", "b", "c"],
      optionsWith(async (id) => id, { signal: controller.signal, concurrency: 3 }),
    );
    const error = await rejectionOf(
      (async () => {
        for await (const result of run) {
          seen.push(result.id);
          controller.abort();
        }
      })(),
    );
    expect(error).toBeInstanceOf(NectarAbortError);
    expect(seen).toEqual(["a"]);
  });
});

describe("a run that ends early", () => {
  it("closes a synchronous source (its `return`) after `break`", async () => {
    let closed = false;
    function* ids() {
      try {
        yield* ["a", "b", "c", "d", "e", "f"];
      } finally {
        closed = true;
      }
    }
    for await (const _ of settleEach(
      ids(),
      optionsWith(async (id) => id, { concurrency: 1 }),
    ))
      break;
    expect(closed).toBe(true);
  });

  it("aborts the calls in flight with a 'stopped' error after `break`", async () => {
    const reasons: unknown[] = [];
    const call = (id: string, signal: AbortSignal) =>
      id === "a"
        ? Promise.resolve(id)
        : new Promise<string>((_, reject) =>
            signal.addEventListener("abort", () => {
              reasons.push(signal.reason);
              reject(signal.reason);
            }),
          );
    for await (const _ of settleEach(["a", "b"], optionsWith(call))) break;
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(NectarAbortError);
    expect((reasons[0] as Error).message).toBe("retrieveMany stopped.");
  });
});

describe("ids that are not strings", () => {
  it("are neither keyed nor deduplicated, and count once each in the total", async () => {
    const odd = 42 as unknown as string;
    const calls: unknown[] = [];
    const totals: unknown[] = [];
    const results = await drain(
      settleEach(
        ["a", odd, "A"],
        optionsWith(
          async (id) => {
            calls.push(id);
            return id;
          },
          { onProgress: (p) => totals.push((p as { total: unknown }).total) },
        ),
      ),
    );
    expect(calls).toEqual(["a", odd]);
    expect(results).toHaveLength(2);
    expect(totals).toEqual([2, 2]);
  });
});

describe("the source's protocol", () => {
  /** A synchronous iterable of `ids` that counts every `next()`, done ones included. */
  function counted(ids: string[]) {
    const reads = { count: 0 };
    const iterable: Iterable<string> = {
      [Symbol.iterator]: () => {
        let index = 0;
        return {
          next: (): IteratorResult<string> => {
            reads.count++;
            const value = ids[index++];
            return value === undefined ? { done: true, value: undefined } : { done: false, value };
          },
        };
      },
    };
    return { iterable, reads };
  }

  it("reads no more once the source said it is done, while calls are still in flight", async () => {
    const { iterable, reads } = counted(["a", "b"]);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run = drain(
      settleEach(
        iterable,
        optionsWith(async () => gate),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 20)); // the loop waits on its calls
    release();
    expect(await run).toHaveLength(2);
    expect(reads.count).toBe(3); // two ids, then done: never asked again
  });

  it("awaits the source's return after a read that rejected, before it rejects itself", async () => {
    const order: string[] = [];
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(new Error("disk failing")),
        return: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          order.push("returned");
          return { done: true, value: undefined };
        },
      }),
    };
    const error = await rejectionOf(
      drain(
        settleEach(
          source,
          optionsWith(async () => "x"),
        ),
      ),
    );
    order.push("rejected");
    expect((error as Error).message).toBe("disk failing");
    expect(order).toEqual(["returned", "rejected"]);
  });

  it(`reads at most ${BULK_READS_PER_TURN} ids before the event loop turns`, async () => {
    const { iterable, reads } = counted(Array.from({ length: 1_000 }, () => "same"));
    let atFirstTurn = -1;
    setTimeout(() => {
      atFirstTurn = reads.count;
    }, 0);
    const results = await drain(
      settleEach(
        iterable,
        optionsWith(async () => "x", { concurrency: 10 }),
      ),
    );
    expect(results).toHaveLength(1);
    expect(atFirstTurn).toBe(BULK_READS_PER_TURN);
  });
});
