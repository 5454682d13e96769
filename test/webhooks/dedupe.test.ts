/**
 * `createWebhookDeduper`: a message id is processed once while remembered, released ids run
 * again, and memory stays bounded by `maxIds` and `ttlSeconds` however many ids arrive.
 */
import { describe, expect, test } from "vitest";
import { createWebhookDeduper, NectarInvalidInputError } from "../../src/index.ts";

/** A clock the test moves by hand, in ms. */
function manualClock(start = 1_717_308_900_000) {
  let time = start;
  return {
    now: () => time,
    advance(seconds: number) {
      time += seconds * 1000;
    },
  };
}

describe("createWebhookDeduper", () => {
  test("claims an id once: the re-delivery of the same message is a duplicate", () => {
    const deduper = createWebhookDeduper();
    expect(deduper.claim("msg_1")).toBe(true);
    expect(deduper.claim("msg_1")).toBe(false);
    expect(deduper.claim("msg_2")).toBe(true);
    expect(deduper.size).toBe(2);
  });

  test("a released id (handling failed) is claimed again by the retry", () => {
    const deduper = createWebhookDeduper();
    deduper.claim("msg_1");
    deduper.release("msg_1");
    expect(deduper.claim("msg_1")).toBe(true);
    deduper.release("msg_unknown"); // releasing an id never claimed is harmless
    expect(deduper.size).toBe(1);
  });

  test("an id is forgotten ttlSeconds after its claim, not before", () => {
    const clock = manualClock();
    const deduper = createWebhookDeduper({ ttlSeconds: 60, now: clock.now });
    deduper.claim("msg_1");
    clock.advance(59);
    expect(deduper.claim("msg_1")).toBe(false);
    clock.advance(1);
    expect(deduper.size).toBe(0);
    expect(deduper.claim("msg_1")).toBe(true);
  });

  test("the default ttl covers Svix's whole retry schedule (~27.6 h), and not much more", () => {
    const clock = manualClock();
    const deduper = createWebhookDeduper({ now: clock.now });
    deduper.claim("msg_1");
    clock.advance(27.6 * 3600);
    expect(deduper.claim("msg_1")).toBe(false);
    clock.advance(0.4 * 3600);
    expect(deduper.claim("msg_1")).toBe(true);
  });

  test("past maxIds, the oldest ids are forgotten first", () => {
    const deduper = createWebhookDeduper({ maxIds: 3 });
    for (const id of ["a", "b", "c", "d"]) deduper.claim(id);
    expect(deduper.size).toBe(3);
    expect(deduper.claim("b")).toBe(false);
    expect(deduper.claim("a")).toBe(true); // "a" was evicted by "d"
  });

  test("200,000 distinct ids keep at most maxIds (the default 10,000)", () => {
    const deduper = createWebhookDeduper();
    for (let i = 0; i < 200_000; i++) deduper.claim(`msg_${i}`);
    expect(deduper.size).toBe(10_000);
    expect(deduper.claim("msg_199999")).toBe(false);
    expect(deduper.claim("msg_0")).toBe(true);
  });

  describe("memory, with 100,000 ids of 2 KB (200 MB if kept)", () => {
    /** A flat 2 KB string (not a rope over one shared padding, which would weigh 32 bytes). */
    const bigId = (i: number) =>
      String(i).padStart(8, "0") + Buffer.alloc(2040, 97 + (i % 26)).toString("latin1");
    const heapGrowth = (run: () => void): number => {
      const before = process.memoryUsage().heapUsed;
      run();
      return process.memoryUsage().heapUsed - before;
    };
    const LIMIT = 100 * 1024 * 1024;

    test("the measurement sees ids that are kept (the control)", () => {
      const kept: string[] = [];
      expect(
        heapGrowth(() => {
          for (let i = 0; i < 100_000; i++) kept.push(bigId(i));
        }),
      ).toBeGreaterThan(LIMIT);
      expect(kept).toHaveLength(100_000);
    });

    test.each([
      ["claimed", false],
      ["claimed and released (handling failed)", true],
    ])("the heap stays far below that while they are %s", (_what, release) => {
      const deduper = createWebhookDeduper({ maxIds: 1_000 });
      const growth = heapGrowth(() => {
        for (let i = 0; i < 100_000; i++) {
          const id = bigId(i);
          deduper.claim(id);
          if (release) deduper.release(id);
        }
      });
      expect(growth).toBeLessThan(LIMIT);
      expect(deduper.size).toBe(release ? 0 : 1_000);
    });
  });

  test("expired ids are dropped on the next claim, so a quiet deduper shrinks", () => {
    const clock = manualClock();
    const deduper = createWebhookDeduper({ ttlSeconds: 10, now: clock.now });
    for (let i = 0; i < 100; i++) deduper.claim(`msg_${i}`);
    clock.advance(11);
    deduper.claim("msg_new");
    expect(deduper.size).toBe(1);
  });

  test.each([
    [{ ttlSeconds: 0 }, /ttlSeconds must be a whole number of at least 1/],
    [{ maxIds: 0 }, /maxIds must be a whole number of at least 1/],
    [{ maxIds: 1.5 }, /maxIds must be a whole number/],
    [{ now: "now" }, /now must be a function/],
    [{ ttl: 60 }, /Unknown createWebhookDeduper option "ttl"/],
  ])("%j is refused with NectarInvalidInputError", (options, message) => {
    expect(() => createWebhookDeduper(options as never)).toThrow(NectarInvalidInputError);
    expect(() => createWebhookDeduper(options as never)).toThrow(message);
  });

  test.each([[""], [undefined], [42]])(
    "claim(%j) is refused: an id is a non-empty string",
    (id) => {
      const deduper = createWebhookDeduper();
      expect(() => deduper.claim(id as string)).toThrow(NectarInvalidInputError);
      expect(() => deduper.release(id as string)).toThrow(NectarInvalidInputError);
    },
  );
});
