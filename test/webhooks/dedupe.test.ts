/**
 * `createWebhookDeduper`: a message id is processed once while remembered, released ids run
 * again, and memory stays bounded by `maxIds` and `ttlSeconds` however many ids arrive.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { createWebhookDeduper, NectarInvalidInputError } from "../../src/index.ts";

const CHILD = fileURLToPath(new URL("./dedupe-memory-child.ts", import.meta.url));

/** Runs the memory child for a scenario; resolves to the heap it retained and its deduper's size. */
function heapAfter(scenario: string): Promise<{ retained: number; size: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", "--import", "tsx", CHILD],
      { env: { ...process.env, NECTAR_TEST_SCENARIO: scenario }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`child failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}"));
      },
    );
  });
}

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

  describe("memory, with 100,000 ids of 2 KB (200 MB if kept), after a full GC", () => {
    const LIMIT = 100 * 1024 * 1024;

    test.each([
      ["kept in an array (the control: the measurement sees them)", "kept", 100_000],
      ["claimed", "claimed", 1_000],
      ["claimed and released (handling failed)", "released", 0],
    ])(
      "%s",
      async (_what, scenario, size) => {
        const result = await heapAfter(scenario);
        expect(result.size).toBe(size);
        if (scenario === "kept") expect(result.retained).toBeGreaterThan(LIMIT);
        else expect(result.retained).toBeLessThan(LIMIT);
      },
      60_000,
    );
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
