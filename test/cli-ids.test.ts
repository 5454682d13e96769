/**
 * The ids `check` reads: distinct, in any case, remembered in 16 bytes each (`UuidSet`), from the
 * command line and a file or standard input, LF or CRLF, with comments and blank lines.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UuidSet } from "../src/cli/id-set.js";
import { collect, type IdPlace, idsFrom } from "../src/cli/ids.js";
import { isCanonicalUuid, uuidOf, wordsOf } from "../src/cli/uuid-words.js";

/** Hand-written ids: most of their bits the same. */
const sequential = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

describe("UuidSet", () => {
  it("agrees with a Set of lower-cased ids on any sequence of adds", () => {
    const id = fc.oneof(
      fc.uuid(),
      fc.uuid().map((u) => u.toUpperCase()),
      fc.integer({ min: 0, max: 50 }).map(sequential),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 3_000 }), (ids) => {
        const ours = new UuidSet();
        const reference = new Set<string>();
        for (const each of ids) {
          const key = each.toLowerCase();
          expect(ours.add(each)).toBe(!reference.has(key));
          reference.add(key);
        }
        expect(ours.size).toBe(reference.size);
      }),
      { numRuns: 200 },
    );
  });

  it("keeps every id through many doublings, the nil id and the max id included", () => {
    const set = new UuidSet();
    const count = 100_000;
    expect(set.add("00000000-0000-0000-0000-000000000000")).toBe(true);
    expect(set.add("ffffffff-ffff-ffff-ffff-ffffffffffff")).toBe(true);
    let added = 0;
    for (let i = 1; i <= count; i++) if (set.add(sequential(i))) added++;
    for (let i = 1; i <= count; i++) if (set.add(sequential(i).toUpperCase())) added++;
    expect(added).toBe(count);
    expect(set.add("00000000-0000-0000-0000-000000000000")).toBe(false);
    expect(set.add("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")).toBe(false);
    expect(set.size).toBe(count + 2);
  });

  it("tells ids apart that differ in any one of their 32 digits", () => {
    const base = "0123456789abcdef0123456789abcdef";
    const asUuid = (hex: string) =>
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const set = new UuidSet();
    expect(set.add(asUuid(base))).toBe(true);
    for (let i = 0; i < 32; i++) {
      const changed = `${base.slice(0, i)}${base[i] === "f" ? "e" : "f"}${base.slice(i + 1)}`;
      expect(set.add(asUuid(changed))).toBe(true);
    }
    expect(set.size).toBe(33);
  });
});

describe("a UUID as four words", () => {
  it("gives back any UUID in canonical form, and the same words in any case", () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        expect(isCanonicalUuid(id)).toBe(true);
        expect(uuidOf(wordsOf(id))).toBe(id);
        expect(Array.from(wordsOf(id.toUpperCase()))).toEqual(Array.from(wordsOf(id)));
        expect(isCanonicalUuid(id.toUpperCase())).toBe(/^[0-9-]+$/.test(id));
      }),
    );
    expect(uuidOf([0, 1, 0xffffffff, 0x0a0b0c0d])).toBe("00000000-0000-0001-ffff-ffff0a0b0c0d");
  });
});

describe("idsFrom", () => {
  it("yields each id once, in any case, in the order first seen, and reports bad ones by place", async () => {
    const a = sequential(1);
    const b = sequential(2);
    async function* stdin() {
      yield `${b.toUpperCase()}\r\n# comment\r\n${a}\r\nnope\r\n`;
      yield `${sequential(3)}`;
    }
    const places: IdPlace[] = [];
    const ids = await collect(
      idsFrom(
        { positionals: [a, "bad", b, a.toUpperCase()], file: "-", stdin: () => stdin() },
        (place) => places.push(place),
      ),
    );
    expect(ids).toEqual([a, b, sequential(3)]);
    expect(places).toEqual([{ argument: 2 }, { line: 4 }]);
  });
});
