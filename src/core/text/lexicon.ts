/**
 * Interned words: every distinct surface form gets a small integer id, and what a reader derives
 * from a form (its lowercase, its stem, whether it is a stopword ...) is computed once and kept
 * by id.
 *
 * Reading an article asks what each of its words is, in the summary, the quotes and the keywords
 * alike. With strings, every token is cut out of the text and hashed into a large map. Here the
 * scanners hand over `[start, end)` of the text's code units and the lexicon finds the id by
 * hashing the code units in place: no string is made for a word already known, and what is known
 * about it is an array read.
 *
 * Two levels, both plain open-addressing hash tables (FNV-1a over UTF-16 code units, linear
 * probing, the table holding index + 1 with 0 for empty, doubled when half full), each keeping
 * the code units of its words in one pool for comparisons:
 *  - the {@link WordStore} keeps every form seen across readings, with the values derived from
 *    them (stems and the like, costly to compute);
 *  - a {@link Lexicon} serves one reading: it numbers the few hundred words of one article densely,
 *    so that the summary, the quotes and the keywords find them again in a small table (which
 *    stays in the processor's cache, where the large store does not) and keep per-word data in
 *    small arrays. It also keeps the code units of the texts being read ({@link Lexicon.codes}).
 * Results never depend on ids or on what is cached. A store that has grown past
 * {@link STORE_LIMIT} forms is replaced by a fresh one for the next reading (whoever still holds
 * the old one keeps a consistent store).
 */
import { type Codes, codesOf } from './chars.js';

/** Forms kept across readings before the shared store starts over (a few MB). */
export const STORE_LIMIT = 100_000;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over code units, kept to 30 bits (small integers stay unboxed in V8 arrays). */
function hashOf(codes: Codes, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (codes[i] as number), FNV_PRIME);
  return h & 0x3fffffff;
}

/**
 * The words of a table: their hashes, an open-addressing index over them, and their code units
 * in one pool. Owners probe `slots` from `h & (slots.length - 1)` on until they find their word
 * ({@link same}) or an empty slot (0), where {@link add} puts a new one. Plain arrays of small
 * integers: cheap to make for each reading.
 */
class WordTable {
  readonly hashes: number[] = [];
  slots: number[] = new Array<number>(512).fill(0);
  /** Word e is pool[from[e], from[e + 1]). */
  readonly from: number[] = [0];
  readonly pool: number[] = [];
  size = 0;

  /** Whether word `e` has the code units codes[start, end). */
  same(e: number, codes: Codes, start: number, end: number): boolean {
    const a = this.from[e] as number;
    if ((this.from[e + 1] as number) - a !== end - start) return false;
    const pool = this.pool;
    for (let k = start; k < end; k++) if (pool[a + k - start] !== codes[k]) return false;
    return true;
  }

  /** Adds word number `size` (codes[start, end), hash `h`) in the empty `slot`. */
  add(h: number, slot: number, codes: Codes, start: number, end: number): number {
    const e = this.size++;
    this.hashes.push(h);
    for (let k = start; k < end; k++) this.pool.push(codes[k] as number);
    this.from.push(this.pool.length);
    this.slots[slot] = e + 1;
    if (this.size * 2 > this.slots.length) {
      const slots = new Array<number>(this.slots.length * 2).fill(0);
      const mask = slots.length - 1;
      for (let k = 0; k < this.size; k++) {
        let s = (this.hashes[k] as number) & mask;
        while (slots[s] !== 0) s = (s + 1) & mask;
        slots[s] = k + 1;
      }
      this.slots = slots;
    }
    return e;
  }
}

/** Every form seen, by id, and the values derived from them. */
export class WordStore {
  /** The surface form of each id. */
  readonly forms: string[] = [];
  private readonly table = new WordTable();
  private readonly derived = new Map<unknown, unknown[]>();

  get size(): number {
    return this.forms.length;
  }

  /** The id of `text.slice(start, end)` (whose code units are `codes`, hash `h`); a new one on first sight. */
  intern(text: string, codes: Codes, start: number, end: number, h: number): number {
    const t = this.table;
    const mask = t.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = (t.slots[slot] as number) - 1;
      if (e < 0) {
        this.forms.push(text.slice(start, end));
        return t.add(h, slot, codes, start, end);
      }
      if (t.hashes[e] === h && t.same(e, codes, start, end)) return e;
    }
  }

  /** The id of a whole string. */
  internString(s: string): number {
    const codes = codesOf(s);
    return this.intern(s, codes, 0, codes.length, hashOf(codes, 0, codes.length));
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
  private readonly table = new WordTable();
  /** The form and the store id of each word of the reading. */
  private readonly forms: string[] = [];
  private readonly storeIds: number[] = [];
  private readonly views = new Map<unknown, WordValues<unknown, unknown>>();
  private readonly texts = new Map<string, LexiconText>();

  constructor(store: WordStore = sharedStore()) {
    this.store = store;
  }

  /** Number of words met so far. */
  get size(): number {
    return this.forms.length;
  }

  /** A text being read: its code units (read once per reading) and the words found in it. */
  text(text: string): LexiconText {
    let t = this.texts.get(text);
    if (t === undefined) {
      t = new LexiconText(this, text);
      this.texts.set(text, t);
    }
    return t;
  }

  /** The code units of `text`, read once per reading. */
  codes(text: string): Codes {
    return this.text(text).codes;
  }

  /** The number of `text.slice(start, end)` in this reading (`codes` are the code units of `text`). */
  intern(text: string, codes: Codes, start: number, end: number): number {
    const h = hashOf(codes, start, end);
    const t = this.table;
    const mask = t.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e = (t.slots[slot] as number) - 1;
      if (e < 0) return this.add(text, codes, start, end, h, slot);
      if (t.hashes[e] === h && t.same(e, codes, start, end)) return e;
    }
  }

  /** The number of a whole string. */
  internString(s: string): number {
    const codes = codesOf(s);
    return this.intern(s, codes, 0, codes.length);
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

  private add(text: string, codes: Codes, start: number, end: number, h: number, slot: number): number {
    const id = this.store.intern(text, codes, start, end, h);
    const k = this.table.add(h, slot, codes, start, end);
    this.forms.push(this.store.forms[id] as string);
    this.storeIds.push(id);
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

/**
 * One text of a reading: its code units, and the words already found in it, by position. The
 * summary, the keywords and the quotes cut the same paragraphs into (mostly) the same words; the
 * first reader to meet a word at [start, end) records it, and the next one finds it there without
 * hashing it again. (A text is identified by its content, so positions always mean the same
 * characters.)
 */
export class LexiconText {
  readonly codes: Codes;
  /** Words found so far, in increasing order of start. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly ids: number[] = [];

  constructor(
    private readonly lexicon: Lexicon,
    readonly text: string,
  ) {
    this.codes = codesOf(text);
  }

  /** The reading's number of the word `text.slice(start, end)`. */
  intern(start: number, end: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length;
    if (hi > 0 && (starts[hi - 1] as number) < start) lo = hi; // the usual case: reading on
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] as number) < start) lo = mid + 1;
      else hi = mid;
    }
    if (lo < starts.length && starts[lo] === start && this.ends[lo] === end) return this.ids[lo] as number;
    const id = this.lexicon.intern(this.text, this.codes, start, end);
    if (lo === starts.length) {
      starts.push(start);
      this.ends.push(end);
      this.ids.push(id);
    }
    return id;
  }
}
