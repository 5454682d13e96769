/**
 * The rows the table keeps until the end, column by column in typed arrays: each id in 16 bytes,
 * each group in one, and the rest of the row (status, date, what to do, the actions' cells) as
 * an index into the distinct rests, which a fleet repeats. About 25 bytes a row outside the
 * garbage-collected heap, where a string per row took about 150 inside it.
 */
import { isCanonicalUuid, uuidOf, wordsOf } from "../uuid-words.js";

/** Rows to start with. */
const INITIAL_ROWS = 1_024;

/** -1, 0 or 1 as `a` sorts before, with or after `b` (code-unit order for strings). */
const compare = <T extends string | number>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

/** The kept rows of one run. */
export class KeptRows {
  #ids = new Uint32Array(4 * INITIAL_ROWS);
  #groups = new Uint8Array(INITIAL_ROWS);
  #rests = new Uint32Array(INITIAL_ROWS);
  /** Ids that are not canonical UUIDs (upper case, say), kept as given. */
  readonly #odd = new Map<number, string>();
  readonly #restIndex = new Map<string, number>();
  readonly #restList: string[] = [];
  #count = 0;

  /** The number of rows kept. */
  get count(): number {
    return this.#count;
  }

  /** Keeps a row: its id, its group's rank, and the rest of it as one string. */
  add(id: string, rank: number, rest: string): void {
    const row = this.#count;
    if (row === this.#groups.length) this.#grow();
    if (isCanonicalUuid(id)) this.#ids.set(wordsOf(id), 4 * row);
    else this.#odd.set(row, id);
    this.#groups[row] = rank;
    let index = this.#restIndex.get(rest);
    if (index === undefined) {
      index = this.#restList.length;
      this.#restList.push(rest);
      this.#restIndex.set(rest, index);
    }
    this.#rests[row] = index;
    this.#count++;
  }

  /** The id of row `row`, as it was given. */
  idOf(row: number): string {
    return this.#odd.get(row) ?? uuidOf(this.#ids, 4 * row);
  }

  /** The group rank of row `row`. */
  rankOf(row: number): number {
    return this.#groups[row] ?? 0;
  }

  /** The rest of row `row`, as it was given. */
  restOf(row: number): string {
    return this.#restList[this.#rests[row] ?? 0] ?? "";
  }

  /**
   * The rows in order: by group rank, then by `keyOf` of their rest (computed once per distinct
   * rest), then by id (code-unit order, the same on every machine).
   */
  sorted(keyOf: (rest: string) => string): Uint32Array {
    const keys = this.#restList.map(keyOf);
    const order = new Uint32Array(this.#count);
    for (let row = 0; row < order.length; row++) order[row] = row;
    return order.sort((a, b) => {
      const byRank = this.rankOf(a) - this.rankOf(b);
      if (byRank !== 0) return byRank;
      const keyA = keys[this.#rests[a] ?? 0] ?? "";
      const keyB = keys[this.#rests[b] ?? 0] ?? "";
      return compare(keyA, keyB) || this.#compareIds(a, b);
    });
  }

  /** Ids in code-unit order: for canonical ids, the order of their words. */
  #compareIds(a: number, b: number): number {
    if (this.#odd.has(a) || this.#odd.has(b)) {
      return compare(this.idOf(a), this.idOf(b));
    }
    for (let i = 0; i < 4; i++) {
      const wordA = this.#ids[4 * a + i] ?? 0;
      const wordB = this.#ids[4 * b + i] ?? 0;
      const byWord = compare(wordA, wordB);
      if (byWord !== 0) return byWord;
    }
    return 0;
  }

  /** Doubles the room of every column. */
  #grow(): void {
    const rows = 2 * this.#groups.length;
    const ids = new Uint32Array(4 * rows);
    ids.set(this.#ids);
    this.#ids = ids;
    const groups = new Uint8Array(rows);
    groups.set(this.#groups);
    this.#groups = groups;
    const rests = new Uint32Array(rows);
    rests.set(this.#rests);
    this.#rests = rests;
  }
}
