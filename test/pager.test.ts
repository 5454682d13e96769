/**
 * The walk through pages (`core/pager.ts`), against a source whose pages a test writes: when it
 * stops, what it throws, what it fetches ahead, and what it cancels. The same rules over real
 * sockets, against hostile servers: test/hostile/paging.test.ts.
 */
import { describe, expect, test } from "vitest";
import { type PageNumbers, type PagerSource, pageCeiling, walkPages } from "../src/core/pager.js";
import type { CallResult } from "../src/core/promise.js";
import {
  NectarAbortError,
  NectarInvalidResponseError,
  NectarPaginationError,
} from "../src/index.js";

interface TestPage extends PageNumbers {
  items?: unknown;
}

type Answer = (page: number) => TestPage | Promise<TestPage>;

/** A page of `items` (ids), numbered as asked unless `numbers` say otherwise. */
const page = (
  currentPage: number,
  totalPages: number,
  items: string[],
  hasNext = currentPage < totalPages,
): TestPage => ({ currentPage, totalPages, hasNext, items });

/** A source over `answer`, recording the pages fetched and the signal each got. */
function sourceOf(answer: Answer, extra: Partial<PagerSource<TestPage, string>> = {}) {
  const fetched: number[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const source: PagerSource<TestPage, string> = {
    fetchPage: async (number, signal) => {
      fetched.push(number);
      signals.push(signal);
      const data = await answer(number);
      return {
        data,
        response: new Response(null, { status: 200 }),
        attempts: 1,
      } satisfies CallResult<TestPage>;
    },
    itemsOf: (data) => (Array.isArray(data.items) ? (data.items as string[]) : undefined),
    keyOf: (item) => item,
    pageConcurrency: 1,
    signal: undefined,
    method: "GET",
    path: "/things/42",
    ...extra,
  };
  return { source, fetched, signals };
}

/** Every item of a walk, in order. */
async function itemsOf(source: PagerSource<TestPage, string>): Promise<string[]> {
  const items: string[] = [];
  for await (const walked of walkPages(source)) items.push(...walked.items);
  return items;
}

/** What a walk threw (failing the test when it did not). */
async function failureOf(source: PagerSource<TestPage, string>, seen: string[] = []) {
  try {
    for await (const walked of walkPages(source)) seen.push(...walked.items);
  } catch (error) {
    return error;
  }
  throw new Error("the walk ended without an error");
}

/** A list of `total` pages of two items each, numbered honestly. */
const honest =
  (total: number): Answer =>
  (n) =>
    page(n, total, [`${n}a`, `${n}b`]);

describe("when a walk stops", () => {
  test("after the page whose hasNext is false, every item once and in order", async () => {
    const { source, fetched } = sourceOf(honest(3));
    expect(await itemsOf(source)).toEqual(["1a", "1b", "2a", "2b", "3a", "3b"]);
    expect(fetched).toEqual([1, 2, 3]);
  });

  test("at currentPage = totalPages, even when hasNext still says true", async () => {
    const { source, fetched } = sourceOf((n) => page(n, 2, [`${n}`], true));
    expect(await itemsOf(source)).toEqual(["1", "2"]);
    expect(fetched).toEqual([1, 2]);
  });

  test("on hasNext false, even when totalPages says more", async () => {
    const { source, fetched } = sourceOf((n) => page(n, 9, [`${n}`], n < 2));
    expect(await itemsOf(source)).toEqual(["1", "2"]);
    expect(fetched).toEqual([1, 2]);
  });

  test("when the page answered is an earlier one (Nectar past the end), without repeating it", async () => {
    // hasNext lies; the last page (2) comes back for page 3 with currentPage 2.
    const { source, fetched } = sourceOf((n) =>
      page(Math.min(n, 2), 5, [`${Math.min(n, 2)}`], true),
    );
    expect(await itemsOf(source)).toEqual(["1", "2"]);
    expect(fetched).toEqual([1, 2, 3]);
  });

  test("when the page answered is a later one than asked", async () => {
    const { source } = sourceOf((n) => page(n === 2 ? 3 : n, 5, [`${n}`]));
    expect(await itemsOf(source)).toEqual(["1"]);
  });

  test("at once when the first page is not page 1 (nothing yielded)", async () => {
    const { source, fetched } = sourceOf(() => page(0, 0, []));
    expect(await itemsOf(source)).toEqual([]);
    expect(fetched).toEqual([1]);
  });

  test("after a single empty page", async () => {
    const { source, fetched } = sourceOf(() => page(1, 1, []));
    const walked = [];
    for await (const each of walkPages(source)) walked.push(each);
    expect(walked).toEqual([{ page: page(1, 1, []), items: [] }]);
    expect(fetched).toEqual([1]);
  });
});

describe("what a walk refuses", () => {
  test("two identical pages in a row: NectarPaginationError, after the first page's items", async () => {
    const { source, fetched } = sourceOf((n) => page(n, 100, ["x", "y"]));
    const seen: string[] = [];
    const error = await failureOf(source, seen);
    expect(error).toBeInstanceOf(NectarPaginationError);
    expect(error).toMatchObject({ problem: "repeated_page", page: 2 });
    expect((error as Error).message).toBe(
      "GET /things/42 answered page 2 with the items of page 1; stopped rather than loop.",
    );
    expect(seen).toEqual(["x", "y"]);
    expect(fetched).toEqual([1, 2]);
  });

  test("a page holding the previous page's items in another order is not a repeat", async () => {
    const { source } = sourceOf((n) => page(n, 2, n === 1 ? ["x", "y"] : ["y", "x"]));
    // Every item of page 2 was on page 1: nothing new, but no error either.
    expect(await itemsOf(source)).toEqual(["x", "y"]);
  });

  test("a page holding only the first of the previous page's items is not a repeat", async () => {
    const { source, fetched } = sourceOf((n) =>
      page(n, 3, n === 1 ? ["x", "y"] : n === 2 ? ["x"] : ["z"]),
    );
    expect(await itemsOf(source)).toEqual(["x", "y", "z"]);
    expect(fetched).toEqual([1, 2, 3]);
  });

  test("a repeated page at currentPage = totalPages ends the walk quietly, even with hasNext true", async () => {
    const { source, fetched } = sourceOf((n) => page(n, 2, ["x", "y"], true));
    expect(await itemsOf(source)).toEqual(["x", "y"]);
    expect(fetched).toEqual([1, 2]);
  });

  test("a page sharing all but one item with the previous one is not a repeat", async () => {
    const { source } = sourceOf((n) => page(n, 2, n === 1 ? ["x", "y"] : ["x", "y", "z"]));
    expect(await itemsOf(source)).toEqual(["x", "y", "z"]);
  });

  test("two empty pages in a row that announce more are a repeat", async () => {
    const { source, fetched } = sourceOf((n) => page(n, 1_000_000, []));
    expect(await failureOf(source)).toMatchObject({ problem: "repeated_page", page: 2 });
    expect(fetched).toEqual([1, 2]);
  });

  test("a repeated last page ends the walk, its items not yielded twice", async () => {
    const { source, fetched } = sourceOf((n) => page(n, 2, ["x", "y"]));
    expect(await itemsOf(source)).toEqual(["x", "y"]);
    expect(fetched).toEqual([1, 2]);
  });

  test("a list that keeps growing: NectarPaginationError at the ceiling from the first page's totalPages", async () => {
    // Each page announces one more page; the first says 2: the ceiling is 2 × 2 + 10 = 14 pages.
    const { source, fetched } = sourceOf((n) => page(n, n + 1, [`${n}`]));
    const seen: string[] = [];
    const error = await failureOf(source, seen);
    expect(error).toBeInstanceOf(NectarPaginationError);
    expect(error).toMatchObject({ problem: "too_many_pages", page: 14 });
    expect((error as Error).message).toBe(
      "GET /things/42 still had pages after page 14, the ceiling derived from the first page's totalPages; stopped rather than walk on.",
    );
    expect(fetched).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(seen).toHaveLength(14);
  });

  test("a list that grows within the ceiling is read to its end", async () => {
    const { source, fetched } = sourceOf((n) => page(n, n < 14 ? n + 1 : 14, [`${n}`]));
    expect(await itemsOf(source)).toHaveLength(14);
    expect(fetched).toHaveLength(14);
  });

  test("the ceiling: twice totalPages plus 10, never below 10", () => {
    expect(pageCeiling(1)).toBe(12);
    expect(pageCeiling(20)).toBe(50);
    expect(pageCeiling(0)).toBe(10);
    expect(pageCeiling(-3)).toBe(10);
  });

  test.each([
    ["no hasNext", { currentPage: 1, totalPages: 1, items: [] }],
    [
      "a hasNext that is not a boolean",
      { currentPage: 1, totalPages: 1, hasNext: "no", items: [] },
    ],
    ["a fractional currentPage", { currentPage: 1.5, totalPages: 1, hasNext: false, items: [] }],
    [
      "a totalPages that is a string",
      { currentPage: 1, totalPages: "1", hasNext: false, items: [] },
    ],
    ["no currentPage", { totalPages: 1, hasNext: false, items: [] }],
    ["items that are not an array", { currentPage: 1, totalPages: 1, hasNext: false, items: {} }],
    ["no body", null],
    ["a body that is a string", "page"],
  ])("a body with %s: NectarInvalidResponseError naming the request", async (_name, body) => {
    const { source } = sourceOf(() => body as TestPage);
    const error = await failureOf(source);
    expect(error).toBeInstanceOf(NectarInvalidResponseError);
    expect(error).toMatchObject({ status: 200 });
    expect((error as Error).message).toBe(
      "GET /things/42 returned status 200, but the body is not a page (currentPage, totalPages, hasNext and the items).",
    );
  });

  test("a source whose items are not an array is refused too", async () => {
    const { source } = sourceOf(honest(1), { itemsOf: () => "items" as unknown as string[] });
    expect(await failureOf(source)).toBeInstanceOf(NectarInvalidResponseError);
  });
});

describe("items across pages", () => {
  test("an item the previous page had is yielded once (a creation shifted the pages)", async () => {
    const pages = [
      ["a", "b", "c"],
      ["c", "d", "e"],
      ["e", "f"],
    ];
    const { source } = sourceOf((n) => page(n, 3, pages[n - 1] ?? []));
    expect(await itemsOf(source)).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  test("only the previous page counts: an item seen two pages back comes again", async () => {
    const pages = [["a"], ["b"], ["a"]];
    const { source } = sourceOf((n) => page(n, 3, pages[n - 1] ?? []));
    expect(await itemsOf(source)).toEqual(["a", "b", "a"]);
  });

  test("each walked page carries the page as sent, its items unfiltered", async () => {
    const pages = [
      ["a", "b"],
      ["b", "c"],
    ];
    const { source } = sourceOf((n) => page(n, 2, pages[n - 1] ?? []));
    const walked = [];
    for await (const each of walkPages(source)) walked.push(each);
    expect(walked.map((each) => each.page.items)).toEqual(pages);
    expect(walked.map((each) => each.items)).toEqual([["a", "b"], ["c"]]);
  });
});

/** A source whose pages resolve only when the test says so. */
function manualSource(totalPages: number, pageConcurrency: number) {
  const waiting = new Map<number, (data: TestPage) => void>();
  const { source, fetched, signals } = sourceOf(
    (n) => new Promise<TestPage>((resolve) => waiting.set(n, resolve)),
    { pageConcurrency },
  );
  const release = (n: number) => waiting.get(n)?.(page(n, totalPages, [`${n}`]));
  return { source, fetched, signals, release };
}

/** Lets every pending promise callback run. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("fetching ahead", () => {
  test("pageConcurrency 1: the next page is fetched while the current one is read, no further", async () => {
    const { source, fetched, release } = manualSource(3, 1);
    const walk = walkPages(source);
    const first = walk.next();
    await tick();
    expect(fetched).toEqual([1]);
    release(1);
    await first;
    expect(fetched).toEqual([1, 2]);
    const second = walk.next();
    release(2);
    await second;
    expect(fetched).toEqual([1, 2, 3]);
    const third = walk.next();
    release(3);
    expect((await third).value?.items).toEqual(["3"]);
    expect(await walk.next()).toEqual({ done: true, value: undefined });
    expect(fetched).toEqual([1, 2, 3]);
  });

  test("pageConcurrency 3: three pages in flight, yielded in order though they answer out of order", async () => {
    const { source, fetched, release } = manualSource(5, 3);
    const walk = walkPages(source);
    const first = walk.next();
    release(1);
    await first;
    expect(fetched).toEqual([1, 2, 3, 4]);
    release(4);
    release(3);
    const second = walk.next();
    await tick();
    release(2);
    expect((await second).value?.items).toEqual(["2"]);
    expect(fetched).toEqual([1, 2, 3, 4, 5]);
    expect((await walk.next()).value?.items).toEqual(["3"]);
    expect((await walk.next()).value?.items).toEqual(["4"]);
    const fifth = walk.next();
    release(5);
    expect((await fifth).value?.items).toEqual(["5"]);
    expect((await walk.next()).done).toBe(true);
    expect(fetched).toEqual([1, 2, 3, 4, 5]);
  });

  test("never past totalPages: with 2 pages and pageConcurrency 4, pages 1 and 2 only", async () => {
    const { source, fetched } = sourceOf(honest(2), { pageConcurrency: 4 });
    expect(await itemsOf(source)).toEqual(["1a", "1b", "2a", "2b"]);
    expect(fetched).toEqual([1, 2]);
  });

  test("never past the ceiling: a growing list fetched 8 ahead requests no page past 14", async () => {
    const { source, fetched } = sourceOf((n) => page(n, n === 1 ? 2 : 1_000, [`${n}`]), {
      pageConcurrency: 8,
    });
    const error = await failureOf(source);
    expect(error).toMatchObject({ problem: "too_many_pages", page: 14 });
    expect(Math.max(...fetched)).toBe(14);
  });

  test("a page that says hasNext false ends the walk, though later pages were fetched ahead", async () => {
    // Page 2 of 5 says it is the last (the list shrank); pages 3 and 4 were already requested.
    const { source, fetched } = sourceOf((n) => page(n, 5, [`${n}`], n !== 2), {
      pageConcurrency: 3,
    });
    expect(await itemsOf(source)).toEqual(["1", "2"]);
    expect(fetched).toEqual([1, 2, 3, 4]);
  });

  test("nothing is fetched ahead of the last page", async () => {
    const { source, fetched } = sourceOf(honest(1), { pageConcurrency: 5 });
    await itemsOf(source);
    expect(fetched).toEqual([1]);
  });
});

describe("ending a walk early", () => {
  test("break aborts the requests in flight and waits for them to settle", async () => {
    let settled = 0;
    const { source, signals } = sourceOf(
      (n) =>
        n === 1
          ? page(1, 5, ["1"])
          : new Promise<TestPage>((_resolve, reject) => {
              const signal = signals[n - 1];
              // Settles a little after the abort, as a request on a socket does.
              signal?.addEventListener("abort", () =>
                setTimeout(() => {
                  settled += 1;
                  reject(signal.reason);
                }, 10),
              );
            }),
      { pageConcurrency: 3 },
    );
    for await (const walked of walkPages(source)) {
      expect(walked.items).toEqual(["1"]);
      break;
    }
    expect(signals.slice(1).map((signal) => signal?.aborted)).toEqual([true, true, true]);
    expect(settled).toBe(3);
    expect(signals[1]?.reason).toBeInstanceOf(NectarAbortError);
    expect(signals[1]?.reason.message).toBe("GET /things/42: the walk through its pages ended.");
  });

  test("the caller's signal reaches each request; aborting it aborts them", async () => {
    const controller = new AbortController();
    const { source, signals } = sourceOf(
      (n) =>
        n === 1
          ? page(1, 3, ["1"])
          : new Promise<TestPage>((_resolve, reject) => {
              signals[n - 1]?.addEventListener("abort", () =>
                reject(new NectarAbortError("aborted by the caller")),
              );
            }),
      { signal: controller.signal },
    );
    const walk = walkPages(source);
    await walk.next();
    expect(signals[1]?.aborted).toBe(false);
    const next = walk.next();
    controller.abort(new Error("enough"));
    await expect(next).rejects.toBeInstanceOf(NectarAbortError);
    expect(signals[1]?.aborted).toBe(true);
    expect(signals[1]?.reason).toEqual(new Error("enough"));
  });

  test("a signal aborted before the walk reaches the first request already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const { source, signals } = sourceOf(honest(2), { signal: controller.signal });
    const error = await failureOf(source);
    expect(error).toBeInstanceOf(NectarAbortError);
    expect((error as Error).message).toBe("GET /things/42 was aborted by the caller.");
    expect(signals[0]?.aborted).toBe(true);
  });

  test("a page that arrives after the caller aborted is not yielded", async () => {
    const controller = new AbortController();
    const { source } = sourceOf(
      (n) => {
        if (n === 2) controller.abort();
        return page(n, 3, [`${n}`]);
      },
      { signal: controller.signal },
    );
    const seen: string[] = [];
    expect(await failureOf(source, seen)).toBeInstanceOf(NectarAbortError);
    expect(seen).toEqual(["1"]);
  });

  test("a failed page ends the walk with its error, after the pages before it", async () => {
    const failure = new NectarAbortError("boom");
    const { source } = sourceOf((n) => {
      if (n === 2) throw failure;
      return page(n, 3, [`${n}`]);
    });
    const seen: string[] = [];
    expect(await failureOf(source, seen)).toBe(failure);
    expect(seen).toEqual(["1"]);
  });

  test("a page fetched ahead that fails first is reported in order, and raises no unhandled rejection", async () => {
    const { source } = sourceOf(
      async (n) => {
        if (n === 3) throw new Error("page 3 failed");
        if (n === 2) await new Promise((resolve) => setTimeout(resolve, 20));
        return page(n, 4, [`${n}`]);
      },
      { pageConcurrency: 3 },
    );
    const seen: string[] = [];
    const error = await failureOf(source, seen);
    expect((error as Error).message).toBe("page 3 failed");
    expect(seen).toEqual(["1", "2"]);
  });

  test("the caller's signal loses its listener when the walk ends", async () => {
    const controller = new AbortController();
    let listeners = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => {
      if (args[0] === "abort") listeners += 1;
      add(...args);
    }) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      if (args[0] === "abort") listeners -= 1;
      remove(...args);
    }) as typeof remove;
    const { source } = sourceOf(honest(2), { signal });
    await itemsOf(source);
    expect(listeners).toBe(0);
  });
});
