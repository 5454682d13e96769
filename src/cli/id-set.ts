/**
 * The connection ids a `check` run has seen, so that each is checked once: 16 bytes an id in
 * typed arrays (open addressing, at most half full), outside the garbage-collected heap. A
 * `Set` of strings costs about 100 bytes an id and leaves a million objects for the collector
 * to trace; this keeps `--csv` and `--json` nearly flat over millions of ids.
 */

import { type Words, wordsOf } from "./uuid-words.js";

/** Slots to start with (a power of two). */
const INITIAL_SLOTS = 1_024;

/** Mixes the four words into a slot number (ids written by hand share most of their bits). */
function hashOf(words: Words): number {
  let hash = 0x9e3779b9;
  for (let i = 0; i < 4; i++) {
    hash = Math.imul(hash ^ (words[i] ?? 0), 0x85ebca6b);
    hash ^= hash >>> 13;
  }
  return Math.imul(hash ^ (hash >>> 16), 0xc2b2ae35) >>> 0;
}

/** A set of UUIDs. Each must be a valid UUID (`isUuid`): nothing else is checked here. */
export class UuidSet {
  #words = new Uint32Array(4 * INITIAL_SLOTS);
  #used = new Uint8Array(INITIAL_SLOTS);
  #size = 0;

  /** The number of distinct ids added. */
  get size(): number {
    return this.#size;
  }

  /** Adds `uuid`; false when it (in any case) was already there. */
  add(uuid: string): boolean {
    if (2 * (this.#size + 1) > this.#used.length) this.#grow();
    const words = wordsOf(uuid);
    const slot = this.#find(words);
    if (this.#used[slot] === 1) return false;
    this.#put(slot, words);
    this.#size++;
    return true;
  }

  /** The slot holding `words`, or the free slot where they go. */
  #find(words: Words): number {
    const mask = this.#used.length - 1;
    for (let slot = hashOf(words) & mask; ; slot = (slot + 1) & mask) {
      if (this.#used[slot] !== 1) return slot;
      const at = 4 * slot;
      const stored = this.#words;
      if (
        stored[at] === words[0] &&
        stored[at + 1] === words[1] &&
        stored[at + 2] === words[2] &&
        stored[at + 3] === words[3]
      ) {
        return slot;
      }
    }
  }

  /** Stores `words` in the free `slot`. */
  #put(slot: number, words: Words): void {
    this.#used[slot] = 1;
    this.#words.set(words, 4 * slot);
  }

  /** Doubles the slots and puts every id again. */
  #grow(): void {
    const words = this.#words;
    const used = this.#used;
    this.#words = new Uint32Array(2 * words.length);
    this.#used = new Uint8Array(2 * used.length);
    for (let slot = 0; slot < used.length; slot++) {
      if (used[slot] !== 1) continue;
      const entry = words.subarray(4 * slot, 4 * slot + 4);
      this.#put(this.#find(entry), entry);
    }
  }
}
