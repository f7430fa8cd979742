/**
 * Interned words: every distinct surface form gets a small integer id, and what a reader derives
 * from a form (its lowercase, its stem, whether it is a stopword ...) is computed once and kept
 * by id.
 *
 * Reading an article asks what each of its words is, in the summary, the quotes and the keywords
 * alike. With strings, every token is cut out of the text and hashed into a large map. Here the
 * scanners hand over `[start, end)` and the lexicon finds the id by hashing the characters in
 * place: no string is made for a word already known, and what is known about it is an array read.
 *
 * Two levels, both plain open-addressing hash tables (FNV-1a over UTF-16 code units, linear
 * probing, the table holding index + 1 with 0 for empty, doubled when half full):
 *  - the {@link WordStore} keeps every form seen across readings, with the values derived from
 *    them (stems and the like, costly to compute);
 *  - a {@link Lexicon} serves one reading: it numbers the few hundred words of one article densely,
 *    so that the summary, the quotes and the keywords find them again in a small table (which
 *    stays in the processor's cache, where the large store does not) and keep per-word data in
 *    small arrays.
 * Results never depend on ids or on what is cached. A store that has grown past
 * {@link STORE_LIMIT} forms is replaced by a fresh one for the next reading (whoever still holds
 * the old one keeps a consistent store).
 */
import { codeAt } from './chars.js';

/** Forms kept across readings before the shared store starts over (a few MB). */
export const STORE_LIMIT = 100_000;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashOf(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ codeAt(text, i), FNV_PRIME);
  return h;
}

function sameChars(form: string, text: string, start: number, len: number): boolean {
  if (form.length !== len) return false;
  for (let k = 0; k < len; k++) if (codeAt(form, k) !== codeAt(text, start + k)) return false;
  return true;
}

/**
 * An open-addressing table of entries 0..size-1 by hash; the entries themselves (their forms)
 * live with the owner, which probes `slots` from `h & (slots.length - 1)` on, comparing hashes
 * then characters, until it finds its entry or an empty slot (0).
 */
class HashIndex {
  hashes = new Int32Array(256);
  slots = new Int32Array(512);
  size = 0;

  /** Puts the next entry (number `size`) with hash `h` in the empty `slot`. */
  add(h: number, slot: number): number {
    const entry = this.size++;
    if (entry >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[entry] = h;
    this.slots[slot] = entry + 1;
    if (this.size * 2 > this.slots.length) {
      const slots = new Int32Array(this.slots.length * 2);
      const mask = slots.length - 1;
      for (let e = 0; e < this.size; e++) {
        let s = (this.hashes[e] as number) & mask;
        while (slots[s] !== 0) s = (s + 1) & mask;
        slots[s] = e + 1;
      }
      this.slots = slots;
    }
    return entry;
  }
}

/** Every form seen, by id, and the values derived from them. */
export class WordStore {
  /** The surface form of each id. */
  readonly forms: string[] = [];
  private readonly index = new HashIndex();
  private readonly derived = new Map<unknown, unknown[]>();

  get size(): number {
    return this.forms.length;
  }

  /** The id of `text.slice(start, end)`, whose hash is `h`; a new one on first sight. */
  intern(text: string, start: number, end: number, h: number): number {
    const len = end - start;
    const { slots, hashes } = this.index;
    const mask = slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = (slots[slot] as number) - 1;
      if (e < 0) {
        this.forms.push(text.slice(start, end));
        return this.index.add(h, slot);
      }
      if (hashes[e] === h && sameChars(this.forms[e] as string, text, start, len)) return e;
    }
  }

  /** The id of a whole string. */
  internString(s: string): number {
    return this.intern(s, 0, s.length, hashOf(s, 0, s.length));
  }

  /**
   * What `derive` gives for form `id`, computed once. `derive` must be a pure function of the form
   * (it may intern more forms in the store, and return their ids); the function is the key.
   */
  value<V>(derive: (form: string, store: WordStore) => V, id: number): V {
    let values = this.derived.get(derive) as (V | undefined)[] | undefined;
    if (values === undefined) {
      values = [];
      this.derived.set(derive, values);
    }
    let v = values[id];
    if (v === undefined) {
      v = derive(this.forms[id] as string, this);
      values[id] = v;
    }
    return v;
  }
}

let shared = new WordStore();

function sharedStore(): WordStore {
  if (shared.size > STORE_LIMIT) shared = new WordStore();
  return shared;
}

/**
 * The words of one reading, numbered 0, 1, 2 ... in order of first sight, found through a small
 * table of their own and backed by the shared {@link WordStore}. Make one per article (readArticle
 * shares it between the summary, the quotes and the keywords); per-word data of the reading can
 * then live in small arrays indexed by these numbers.
 */
export class Lexicon {
  readonly store: WordStore;
  private readonly index = new HashIndex();
  /** The form and the store id of each word of the reading. */
  private readonly forms: string[] = [];
  private storeIds = new Int32Array(256);
  private readonly views = new Map<unknown, WordValues<unknown, unknown>>();

  constructor(store: WordStore = sharedStore()) {
    this.store = store;
  }

  /** Number of words met so far. */
  get size(): number {
    return this.forms.length;
  }

  /** The number of `text.slice(start, end)` in this reading. */
  intern(text: string, start: number, end: number): number {
    const h = hashOf(text, start, end);
    const len = end - start;
    const { slots, hashes } = this.index;
    const mask = slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = (slots[slot] as number) - 1;
      if (e < 0) return this.add(text, start, end, h, slot);
      if (hashes[e] === h && sameChars(this.forms[e] as string, text, start, len)) return e;
    }
  }

  /** The number of a whole string. */
  internString(s: string): number {
    return this.intern(s, 0, s.length);
  }

  /** The surface form of word `k`. */
  form(k: number): string {
    return this.forms[k] as string;
  }

  /**
   * Values for this reading's words: `derive` (a pure function of the form) is computed once per
   * form and kept in the store across readings; `localize` then turns it into what this reading
   * uses (for instance strings into word numbers of this reading), once per word per reading.
   * Pass the same functions each time: `derive` is the key.
   */
  values<G, V = G>(derive: (form: string, store: WordStore) => G, localize?: (value: G, lexicon: Lexicon) => V): WordValues<G, V> {
    let v = this.views.get(derive) as WordValues<G, V> | undefined;
    if (v === undefined) {
      v = new WordValues(this, derive, localize ?? ((g: G) => g as unknown as V));
      this.views.set(derive, v as WordValues<unknown, unknown>);
    }
    return v;
  }

  /** The store id of word `k`. */
  storeId(k: number): number {
    return this.storeIds[k] as number;
  }

  private add(text: string, start: number, end: number, h: number, slot: number): number {
    const id = this.store.intern(text, start, end, h);
    const k = this.index.add(h, slot);
    this.forms.push(this.store.forms[id] as string);
    if (k >= this.storeIds.length) {
      const ids = new Int32Array(this.storeIds.length * 2);
      ids.set(this.storeIds);
      this.storeIds = ids;
    }
    this.storeIds[k] = id;
    return k;
  }
}

/** One reading's view of derived values (see {@link Lexicon.values}). */
export class WordValues<G, V> {
  private readonly local: (V | undefined)[] = [];

  constructor(
    private readonly lexicon: Lexicon,
    private readonly derive: (form: string, store: WordStore) => G,
    private readonly localize: (value: G, lexicon: Lexicon) => V,
  ) {}

  get(k: number): V {
    let v = this.local[k];
    if (v === undefined) {
      v = this.localize(this.lexicon.store.value(this.derive, this.lexicon.storeId(k)), this.lexicon);
      this.local[k] = v;
    }
    return v;
  }
}
