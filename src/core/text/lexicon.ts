/**
 * Interned words: every distinct surface form gets a small integer id, and what a reader derives
 * from a form (its lowercase, its stem, whether it is a stopword ...) is computed once and kept
 * by id.
 *
 * Reading an article asks what each of its words is, in the summary, the quotes and the keywords
 * alike. With strings, every token is cut out of the text and hashed into a large map. Here the
 * scanners hand over `[start, end)` of the text's code units and the store finds the id by
 * hashing the code units in place: no string is made for a word already known, and what is known
 * about it is an array read.
 *
 * Two levels:
 *  - the {@link WordStore} keeps every form seen across readings (a plain open-addressing hash
 *    table: FNV-1a over UTF-16 code units, linear probing, the table holding index + 1 with 0 for
 *    empty, doubled when half full, the code units of its words in one pool for comparisons),
 *    with the values derived from them (stems and the like, costly to compute), in arrays by id;
 *  - a {@link Lexicon} serves one reading: it numbers the few hundred words of one article densely
 *    (0, 1, 2 ... in order of first sight), so that per-word data of the reading can live in small
 *    arrays. It also keeps the code units of the texts being read ({@link Lexicon.codes}).
 * Most words of an article are met only once or twice, so a reading has no hash table of its
 * own: a word is looked up in the store, and the store remembers, per id, the number the current
 * reading gave it (stamped with the reading, so another reading's numbers are never taken for
 * its own; a reading that finds another one has used the stamps since re-stamps its words).
 * Results never depend on ids or on what is cached. A store that has grown past
 * {@link STORE_LIMIT} forms is replaced by a fresh one for the next reading (whoever still holds
 * the old one keeps a consistent store).
 */
import { type Codes, codesOf } from './chars.js';

/** Forms kept across readings before the shared store starts over (a few MB). */
export const STORE_LIMIT = 100_000;

/** Entries of the store's cache of recent words, minus one. */
const RECENT_MASK = 4095;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over code units, kept to 30 bits (small integers stay unboxed in V8 arrays). */
function hashOf(codes: Codes, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (codes[i] as number), FNV_PRIME);
  return h & 0x3fffffff;
}

/**
 * The words of the store: an open-addressing index over their hashes, and their code units in
 * one pool. The store probes from slot `h & mask` on until it finds its word ({@link same}) or an
 * empty slot, where {@link add} puts a new one. A slot holds the word's hash beside its id + 1
 * (0: empty), so that a probe reads one place in memory, not three: the table is large (tens of
 * thousands of words), and it is the processor's cache misses that a lookup costs.
 */
class WordTable {
  /** Slot s is slots[2s] (hash) and slots[2s + 1] (id + 1, 0 for empty). */
  slots = new Int32Array(2 * 1024);
  mask = 1023;
  /** Word e is pool[from[e], from[e + 1]). */
  from: Int32Array = new Int32Array(1024);
  pool = new Uint16Array(8192);
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
    if (e + 2 > this.from.length) this.from = grown(this.from, this.from.length * 2);
    const at = this.from[e] as number;
    if (at + end - start > this.pool.length) {
      const pool = new Uint16Array(Math.max(this.pool.length * 2, at + end - start));
      pool.set(this.pool);
      this.pool = pool;
    }
    for (let k = start; k < end; k++) this.pool[at + k - start] = codes[k] as number;
    this.from[e + 1] = at + end - start;
    this.slots[2 * slot] = h;
    this.slots[2 * slot + 1] = e + 1;
    if (this.size * 2 > this.mask + 1) {
      const old = this.slots;
      const mask = this.mask * 2 + 1;
      const slots = new Int32Array(2 * (mask + 1));
      for (let k = 0; k < old.length; k += 2) {
        if (old[k + 1] === 0) continue;
        let s = (old[k] as number) & mask;
        while (slots[2 * s + 1] !== 0) s = (s + 1) & mask;
        slots[2 * s] = old[k] as number;
        slots[2 * s + 1] = old[k + 1] as number;
      }
      this.slots = slots;
      this.mask = mask;
    }
    return e;
  }
}

/** A copy of `a` with room for `n` entries (the rest 0). */
function grown(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** Every form seen, by id, and the values derived from them. */
export class WordStore {
  /** The surface form of each id. */
  readonly forms: string[] = [];
  private readonly table = new WordTable();
  private readonly derived = new Map<unknown, unknown[]>();
  private readonly packed = new Map<unknown, PackedFacts>();
  /**
   * A small direct-mapped cache in front of the table, by hash: [hash, id + 1] of the word last
   * found with those low bits of its hash. Text is mostly common words, and their entries stay in
   * the processor's cache where the table's slots (spread over a megabyte) do not: most lookups
   * then cost one comparison with the word's code units.
   */
  private readonly recent = new Int32Array(2 * (RECENT_MASK + 1));
  /**
   * For each id e, the reading that numbered it last ({@link Lexicon}'s stamp) and the number it
   * gave, side by side: numbering[2e] and numbering[2e + 1]; valid for the reading `owner` only.
   */
  numbering: Int32Array = new Int32Array(2 * 1024);
  owner = 0;
  private lastStamp = 0;

  get size(): number {
    return this.forms.length;
  }

  /** The id of `text.slice(start, end)` (whose code units are `codes`, hash `h`); a new one on first sight. */
  intern(text: string, codes: Codes, start: number, end: number, h: number): number {
    const t = this.table;
    const r = (h & RECENT_MASK) * 2;
    const recent = this.recent;
    if (recent[r] === h && recent[r + 1] !== 0 && t.same((recent[r + 1] as number) - 1, codes, start, end)) return (recent[r + 1] as number) - 1;
    const slots = t.slots;
    const mask = t.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      let e = (slots[2 * slot + 1] as number) - 1;
      if (e < 0) e = this.add(text, codes, start, end, h, slot);
      else if (slots[2 * slot] !== h || !t.same(e, codes, start, end)) continue;
      recent[r] = h;
      recent[r + 1] = e + 1;
      return e;
    }
  }

  /** The id of a whole string. */
  internString(s: string): number {
    const codes = codesOf(s);
    return this.intern(s, codes, 0, codes.length, hashOf(codes, 0, codes.length));
  }

  private add(text: string, codes: Codes, start: number, end: number, h: number, slot: number): number {
    this.forms.push(text.slice(start, end));
    const e = this.table.add(h, slot, codes, start, end);
    if (2 * e >= this.numbering.length) {
      this.numbering = grown(this.numbering, this.numbering.length * 2);
    }
    return e;
  }

  /** A stamp for a new reading, never used before in this store. */
  newStamp(): number {
    if (this.lastStamp === 0x7fffffff) {
      this.numbering.fill(0);
      this.lastStamp = 0;
    }
    return ++this.lastStamp;
  }

  /**
   * The values of `derive` by id (holes for ids not derived yet); `derive` must be a pure function
   * of the form (it may intern more forms in the store, and return their ids); the function is the key.
   */
  valuesOf<V>(derive: (form: string, store: WordStore) => V): (V | undefined)[] {
    let values = this.derived.get(derive) as (V | undefined)[] | undefined;
    if (values === undefined) {
      values = [];
      this.derived.set(derive, values);
    }
    return values;
  }

  /**
   * Integer facts about forms, `width` of them per id, packed in one typed array (see
   * {@link PackedFacts}); `derive` is as for {@link valuesOf}, and is the key.
   */
  packedOf(derive: (form: string, store: WordStore) => readonly number[], width: number): PackedFacts {
    let p = this.packed.get(derive);
    if (p === undefined) {
      p = new PackedFacts(this, derive, width);
      this.packed.set(derive, p);
    }
    return p;
  }

  /** What `derive` gives for form `id`, computed once (see {@link valuesOf}). */
  value<V>(derive: (form: string, store: WordStore) => V, id: number): V {
    return valueIn(this.valuesOf(derive), derive, this, id);
  }
}

/**
 * Integer facts about the store's forms, `width` per id, side by side in one typed array: reading
 * them costs one place in memory per word, where an object per word costs two (the array slot
 * and the object, somewhere on the heap). Row of id e: data[e * stride + 1 ...], and
 * data[e * stride] is 1 once it is derived.
 */
export class PackedFacts {
  data: Int32Array;
  readonly stride: number;

  constructor(
    private readonly store: WordStore,
    private readonly derive: (form: string, store: WordStore) => readonly number[],
    width: number,
  ) {
    this.stride = width + 1;
    this.data = new Int32Array(this.stride * 1024);
  }

  /** Where the facts of form `id` start in {@link data}, derived on first use (read `data` after the call: it may have grown). */
  row(id: number): number {
    const at = id * this.stride;
    if (at < this.data.length && this.data[at] === 1) return at + 1;
    const values = this.derive(this.store.forms[id] as string, this.store);
    if (at + this.stride > this.data.length) this.data = grown(this.data, Math.max(this.data.length * 2, at + this.stride));
    this.data[at] = 1;
    for (let j = 0; j < values.length; j++) this.data[at + 1 + j] = values[j] as number;
    return at + 1;
  }
}

/** values[id], derived on first use. */
function valueIn<V>(values: (V | undefined)[], derive: (form: string, store: WordStore) => V, store: WordStore, id: number): V {
  // grown one by one, so that the array stays a fast (holey) one rather than a dictionary
  while (values.length <= id) values.push(undefined);
  let v = values[id];
  if (v === undefined) {
    v = derive(store.forms[id] as string, store);
    values[id] = v;
  }
  return v;
}

let shared = new WordStore();

function sharedStore(): WordStore {
  if (shared.size > STORE_LIMIT) shared = new WordStore();
  return shared;
}

/**
 * The words of one reading, numbered 0, 1, 2 ... in order of first sight, backed by the shared
 * {@link WordStore}. Make one per article (readArticle shares it between the summary, the quotes
 * and the keywords); per-word data of the reading can then live in small arrays indexed by these
 * numbers.
 */
export class Lexicon {
  readonly store: WordStore;
  private readonly stamp: number;
  /** The store id of each word of the reading. */
  private readonly storeIds: number[] = [];
  private readonly views = new Map<unknown, WordValues<unknown> | WordFacts>();
  private readonly texts = new Map<string, LexiconText>();

  constructor(store: WordStore = sharedStore()) {
    this.store = store;
    this.stamp = store.newStamp();
  }

  /** Number of words met so far. */
  get size(): number {
    return this.storeIds.length;
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

  /**
   * Registers `text`, a part of the reading's `whole` that runs to its end (a paragraph with its
   * dateline cut off, say), as a view of `whole`: its code units are those of `whole`, and a word
   * found in either is found for both, so the words it shares with `whole` are not looked up twice
   * when one reader reads the part and another the whole. A text that is not such a part is
   * registered on its own.
   */
  textWithin(text: string, whole: string): LexiconText {
    let t = this.texts.get(text);
    if (t === undefined) {
      if (text.length < whole.length && whole.endsWith(text)) {
        t = new LexiconText(this, text, this.text(whole), whole.length - text.length);
      } else t = this.text(text);
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
    return this.number(this.store.intern(text, codes, start, end, hashOf(codes, start, end)));
  }

  /** The number of a whole string. */
  internString(s: string): number {
    return this.number(this.store.internString(s));
  }

  /** The number of the store's form `id` in this reading. */
  number(id: number): number {
    const store = this.store;
    if (store.owner !== this.stamp) this.claim();
    const numbering = store.numbering;
    if (numbering[2 * id] === this.stamp) return numbering[2 * id + 1] as number;
    const k = this.storeIds.length;
    this.storeIds.push(id);
    numbering[2 * id] = this.stamp;
    numbering[2 * id + 1] = k;
    return k;
  }

  /** Makes the store's numbers this reading's again (another reading has used them since). */
  private claim(): void {
    const store = this.store;
    store.owner = this.stamp;
    for (let k = 0; k < this.storeIds.length; k++) {
      const id = this.storeIds[k] as number;
      store.numbering[2 * id] = this.stamp;
      store.numbering[2 * id + 1] = k;
    }
  }

  /** The surface form of word `k`. */
  form(k: number): string {
    return this.store.forms[this.storeIds[k] as number] as string;
  }

  /**
   * Values for this reading's words: `derive` (a pure function of the form) is computed once per
   * form and kept in the store across readings. Pass the same function each time: it is the key.
   */
  values<V>(derive: (form: string, store: WordStore) => V): WordValues<V> {
    let v = this.views.get(derive) as WordValues<V> | undefined;
    if (v === undefined) {
      v = new WordValues(this.store, this.storeIds, derive);
      this.views.set(derive, v as WordValues<unknown>);
    }
    return v;
  }

  /** Packed integer values for this reading's words: row(k) of {@link WordStore.packedOf}. */
  facts(derive: (form: string, store: WordStore) => readonly number[], width: number): WordFacts {
    let v = this.views.get(derive) as WordFacts | undefined;
    if (v === undefined) {
      v = new WordFacts(this.store.packedOf(derive, width), this.storeIds);
      this.views.set(derive, v);
    }
    return v;
  }

  /** The store id of word `k`. */
  storeId(k: number): number {
    return this.storeIds[k] as number;
  }
}

/** One reading's view of derived values (see {@link Lexicon.values}). */
export class WordValues<V> {
  private readonly values: (V | undefined)[];

  constructor(
    private readonly store: WordStore,
    private readonly storeIds: readonly number[],
    private readonly derive: (form: string, store: WordStore) => V,
  ) {
    this.values = store.valuesOf(derive);
  }

  get(k: number): V {
    const id = this.storeIds[k] as number;
    const v = this.values[id];
    return v !== undefined ? v : valueIn(this.values, this.derive, this.store, id);
  }
}

/** One reading's view of packed facts (see {@link Lexicon.facts}). */
export class WordFacts {
  constructor(
    private readonly packed: PackedFacts,
    private readonly storeIds: readonly number[],
  ) {}

  /** Where the facts of word `k` start in {@link data} (read `data` after the call: it may have grown). */
  row(k: number): number {
    return this.packed.row(this.storeIds[k] as number);
  }

  get data(): Int32Array {
    return this.packed.data;
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
  /**
   * Words found so far, in increasing order of start: word w is [start, end) = [rec[3w],
   * rec[3w + 1]), its number rec[3w + 2]. A view of a shared block (see {@link int32s}), made for
   * a word every 4 characters and moved to a larger one when full.
   */
  private rec: Int32Array;
  private n = 0;
  /** Where the last lookup stopped: readers go through a text in order. */
  private next = 0;

  /**
   * A text of its own, or (with `base`) the end of `base`'s text from `offset` on: then its code
   * units are a view of base's, and its words are base's (see {@link Lexicon.textWithin}).
   */
  constructor(
    private readonly lexicon: Lexicon,
    readonly text: string,
    private readonly base: LexiconText | null = null,
    private readonly offset = 0,
  ) {
    if (base !== null) {
      this.codes = base.codes.subarray(offset);
      this.rec = new Int32Array(0);
    } else {
      this.codes = codesOf(text);
      this.rec = int32s(3 * ((text.length >> 2) + 4));
    }
  }

  /** The reading's number of the word `text.slice(start, end)`. */
  intern(start: number, end: number): number {
    if (this.base !== null) return this.base.intern(start + this.offset, end + this.offset);
    const rec = this.rec;
    const n = this.n;
    let lo = this.next;
    if (lo < n && rec[3 * lo] === start) {
      // the usual case for a second reader: the word after the last one
    } else if (n > 0 && (rec[3 * (n - 1)] as number) < start) lo = n; // the usual case for the first: reading on
    else if (lo < n && (rec[3 * lo] as number) > start && (lo === 0 || (rec[3 * (lo - 1)] as number) < start)) {
      // a token between the last word found and the next (a punctuation mark): not recorded
    } else {
      lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((rec[3 * mid] as number) < start) lo = mid + 1;
        else hi = mid;
      }
    }
    if (lo < n && rec[3 * lo] === start && rec[3 * lo + 1] === end) {
      this.next = lo + 1;
      return rec[3 * lo + 2] as number;
    }
    const id = this.lexicon.intern(this.text, this.codes, start, end);
    if (lo === n) this.record(start, end, id);
    return id;
  }

  /** Appends word [start, end) with number `id`. */
  private record(start: number, end: number, id: number): void {
    const n = this.n;
    if (3 * n + 3 > this.rec.length) {
      const rec = int32s(2 * this.rec.length);
      rec.set(this.rec);
      this.rec = rec;
    }
    this.rec[3 * n] = start;
    this.rec[3 * n + 1] = end;
    this.rec[3 * n + 2] = id;
    this.n = n + 1;
    this.next = n + 1;
  }
}

/** Entries per block of {@link int32s}. */
const BLOCK = 1 << 16;
let block = new Int32Array(BLOCK);
let blockUsed = 0;

/**
 * `n` integers (zeros), as a view of a shared block: each text's records would otherwise be
 * arrays of their own, grown by copying (a typed array of its own costs an allocation outside
 * the heap). A full block is never written again: a new one is started, and the old one lives as
 * long as a view of it does (as with the code units, chars.ts codesOf).
 */
function int32s(n: number): Int32Array {
  if (n > BLOCK >> 3) return new Int32Array(n);
  if (blockUsed + n > BLOCK) {
    block = new Int32Array(BLOCK);
    blockUsed = 0;
  }
  const view = block.subarray(blockUsed, blockUsed + n);
  blockUsed += n;
  return view;
}
