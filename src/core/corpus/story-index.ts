/**
 * The story index: BM25F over title, lead and body (Indonesian stemming and stopwords, see
 * analyze.ts), with entity weighting, freshness, one result per story cluster and outlet
 * diversity. Built for tens of thousands of stories in one process: postings are growable typed
 * arrays (6 bytes per posting), each story keeps its own term vector (for "related to this" and
 * for removal), and queries accumulate scores term by term into a reused buffer, then keep the
 * best candidates in a small heap instead of sorting everything they touched.
 *
 * Pure: no clock (callers pass `now`), no I/O.
 */
import { analyzeStory, queryTerms, type StoryAnalysis, type StoryText } from './analyze.js';

export interface IndexedStory {
  id: string;
  title: string;
  url?: string;
  /** Display name of the outlet ("Antara", "Kompas"). */
  outlet?: string;
  /** The story's lead, for result notes. */
  lead?: string;
  /** Epoch ms; NaN when unknown (time then counts as middling). */
  publishedAt: number;
  /** Story cluster (near-duplicates across outlets share one). Defaults to the id. */
  clusterId: string;
}

export interface RankedStory {
  story: IndexedStory;
  /** Final score used for ranking (relevance adjusted for freshness / time distance). */
  score: number;
  /** Text relevance in [0, 1], relative to the best possible match of the query. */
  relevance: number;
}

export interface IndexSearchOptions {
  /** Results wanted. Default 5. */
  k?: number;
  /** "Now" for freshness (epoch ms). Without it, freshness plays no part. */
  now?: number;
  /** Results below this relevance are dropped. Default 0.1. */
  minRelevance?: number;
  /** Keep only the best story of each cluster. Default true. */
  onePerCluster?: boolean;
  /** Leave out stories published before this time (epoch ms). */
  since?: number;
}

export interface IndexRelatedOptions {
  k?: number;
  /** Results below this relevance are dropped. Default 0.08. */
  minRelevance?: number;
  /** Stories left out (the article itself, its near-duplicates). */
  excludeIds?: ReadonlySet<string>;
  excludeClusters?: ReadonlySet<string>;
  /** Score factor for each story already chosen from the same outlet. Default 0.75 (1 = no diversity). */
  outletPenalty?: number;
  /** Time distance (days) at which the time factor falls halfway to its floor. Default 10. */
  timeScaleDays?: number;
  /** The time factor never falls below this (stories months apart can still be one story). Default 0.6. */
  timeFloor?: number;
  /** Stories of a first pass whose terms join the query (pseudo-relevance feedback). Default 3; 0 = off. */
  feedback?: number;
}

/** Field weights in half units: title 3, lead 1.5, body 1. */
const W_TITLE = 6;
const W_LEAD = 3;
const W_BODY = 2;
/** Body terms counted at most per story. */
const MAX_BODY_TERMS = 500;
const K1 = 1.2;
const B = 0.75;
/** Terms of a story used to find its relatives. */
const SIGNATURE_TERMS = 24;
/** Weight multiplier of a probe's entity terms. */
const ENTITY_BOOST = 1.6;
/** Freshness: results this old (ms) get half the fresh bonus. */
const FRESH_HALF_LIFE = 2 * 24 * 3600_000;
const FRESH_WEIGHT = 0.15;
/** Pseudo-relevance feedback for related(): stories read, and the weight of their terms. */
const FEEDBACK_DOCS = 3;
const FEEDBACK_WEIGHT = 1;
/** New terms feedback may add to a query at most. */
const FEEDBACK_TERMS = 12;
/** Terms in more than this share of stories are left out of "related to this" queries (little weight, long postings). */
const COMMON_SHARE = 0.1;
const DAY = 24 * 3600_000;

interface Postings {
  d: Int32Array;
  f: Uint16Array;
  n: number;
}

/** A story described by its analysis, for related() when it is not (or not yet) in the index. */
export interface RelatedProbe {
  analysis: StoryAnalysis;
  publishedAt?: number;
  outlet?: string;
}

export class StoryIndex {
  readonly #termIds = new Map<string, number>();
  #terms: string[] = [];
  #df: number[] = [];
  #post: Postings[] = [];

  #docs: (IndexedStory | undefined)[] = [];
  #len: number[] = [];
  #vecT: (Int32Array | undefined)[] = [];
  #vecF: (Uint16Array | undefined)[] = [];
  #ent: (Int32Array | undefined)[] = [];
  readonly #byId = new Map<string, number>();
  #alive = 0;
  #dead = 0;
  #totalLen = 0;

  #acc = new Float64Array(0);
  #touched = new Int32Array(0);
  #heap = new Int32Array(0);
  #heapScore = new Float64Array(0);

  get size(): number {
    return this.#alive;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  get(id: string): IndexedStory | undefined {
    const n = this.#byId.get(id);
    return n === undefined ? undefined : this.#docs[n];
  }

  /** Every story in the index (no order promised). */
  *stories(): IterableIterator<IndexedStory> {
    for (const d of this.#docs) if (d !== undefined) yield d;
  }

  /** Changes the cluster a story belongs to. */
  setCluster(id: string, clusterId: string): void {
    const d = this.get(id);
    if (d !== undefined) d.clusterId = clusterId;
  }

  /** Adds (or replaces) a story. Pass the analysis when it is already at hand. */
  add(story: IndexedStory, text: StoryText | StoryAnalysis): void {
    if (this.#byId.has(story.id)) this.remove(story.id);
    const a = 'entities' in text ? text : analyzeStory(text);
    // Weighted term frequencies first (one map entry per distinct term), then term ids.
    const byTerm = new Map<string, number>();
    const bump = (terms: readonly string[], w: number, max: number): void => {
      for (let i = 0; i < terms.length && i < max; i++) {
        const t = terms[i] as string;
        byTerm.set(t, (byTerm.get(t) ?? 0) + w);
      }
    };
    bump(a.title, W_TITLE, Infinity);
    bump(a.lead, W_LEAD, Infinity);
    bump(a.body, W_BODY, MAX_BODY_TERMS);
    const counts = new Map<number, number>();
    for (const [t, c] of byTerm) counts.set(this.#termId(t), c);

    const n = this.#docs.length;
    const vt = new Int32Array(counts.size);
    const vf = new Uint16Array(counts.size);
    let i = 0;
    let len = 0;
    for (const [t, c] of counts) {
      const tf = Math.min(c, 65_535);
      vt[i] = t;
      vf[i] = tf;
      i++;
      len += tf;
      this.#df[t] = (this.#df[t] ?? 0) + 1;
      this.#push(t, n, tf);
    }
    const ents: number[] = [];
    for (const e of a.entities) {
      const id = this.#termIds.get(e);
      if (id !== undefined && counts.has(id)) ents.push(id);
    }
    this.#docs.push({ ...story });
    this.#len.push(len);
    this.#vecT.push(vt);
    this.#vecF.push(vf);
    this.#ent.push(Int32Array.from(ents));
    this.#byId.set(story.id, n);
    this.#alive++;
    this.#totalLen += len;
  }

  remove(id: string): boolean {
    const n = this.#byId.get(id);
    if (n === undefined) return false;
    const vt = this.#vecT[n];
    if (vt !== undefined) for (const t of vt) this.#df[t] = (this.#df[t] ?? 1) - 1;
    this.#totalLen -= this.#len[n] ?? 0;
    this.#docs[n] = undefined;
    this.#vecT[n] = undefined;
    this.#vecF[n] = undefined;
    this.#ent[n] = undefined;
    this.#byId.delete(id);
    this.#alive--;
    this.#dead++;
    if (this.#dead > 1000 && this.#dead > this.#alive / 4) this.#compact();
    return true;
  }

  /** Best matches for free-text keywords. */
  search(query: string, opts: IndexSearchOptions = {}): RankedStory[] {
    const k = Math.max(1, opts.k ?? 5);
    const weights = new Map<number, number>();
    for (const t of queryTerms(query)) {
      const id = this.#termIds.get(t);
      // A query word the corpus never saw still counts against every story (it is not matched).
      weights.set(id ?? -1 - weights.size, 1);
    }
    if (weights.size === 0 || this.#alive === 0) return [];
    const { touched, ideal } = this.#accumulate(weights);
    if (ideal <= 0) return [];
    const minRel = opts.minRelevance ?? 0.1;
    const now = opts.now;
    const since = opts.since;
    const acc = this.#acc;
    const docs = this.#docs;
    const score = (n: number): number => {
      const rel = (acc[n] as number) / ideal;
      if (rel < minRel) return -1;
      const d = docs[n] as IndexedStory;
      if (since !== undefined && d.publishedAt < since) return -1;
      if (now === undefined) return rel;
      // A story without a date counts as middling fresh.
      if (!Number.isFinite(d.publishedAt)) return rel * (1 - FRESH_WEIGHT / 2);
      const age = Math.max(0, now - d.publishedAt);
      return rel * (1 - FRESH_WEIGHT + FRESH_WEIGHT * Math.pow(0.5, age / FRESH_HALF_LIFE));
    };
    const out = this.#pick(touched, score, ideal, k, { onePerCluster: opts.onePerCluster ?? true, outletPenalty: 1 });
    this.#clear(touched);
    return out;
  }

  /**
   * Stories related to an indexed story (by id) or to a probe: its most telling terms as the query
   * (entities weighted up), time distance counted, the story itself, its cluster and any excluded
   * clusters left out, one story per cluster, outlets diversified.
   */
  related(target: string | RelatedProbe, opts: IndexRelatedOptions = {}): RankedStory[] {
    const k = Math.max(1, opts.k ?? 5);
    let weights: Map<number, number>;
    let when: number | undefined;
    let selfN = -1;
    let selfCluster: string | undefined;
    if (typeof target === 'string') {
      const n = this.#byId.get(target);
      if (n === undefined) return [];
      selfN = n;
      const d = this.#docs[n] as IndexedStory;
      when = d.publishedAt;
      selfCluster = d.clusterId;
      weights = this.#signatureOf(this.#vecT[n] as Int32Array, this.#vecF[n] as Uint16Array, new Set(this.#ent[n]), true);
    } else {
      const counts = new Map<number, number>();
      const bump = (t: string, w: number): void => {
        const id = this.#termIds.get(t);
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + w);
      };
      for (const t of target.analysis.title) bump(t, W_TITLE);
      for (const t of target.analysis.lead) bump(t, W_LEAD);
      for (const t of target.analysis.body.slice(0, MAX_BODY_TERMS)) bump(t, W_BODY);
      const vt = Int32Array.from(counts.keys());
      const vf = Uint16Array.from(counts.values(), (v) => Math.min(v, 65_535));
      const ents = new Set<number>();
      for (const e of target.analysis.entities) {
        const id = this.#termIds.get(e);
        if (id !== undefined) ents.add(id);
      }
      weights = this.#signatureOf(vt, vf, ents, false);
      when = target.publishedAt;
    }
    if (weights.size === 0) return [];
    const minRel = opts.minRelevance ?? 0.08;
    const scale = (opts.timeScaleDays ?? 10) * DAY;
    const floor = Math.min(1, Math.max(0, opts.timeFloor ?? 0.6));
    const docs = this.#docs;
    const exIds = opts.excludeIds;
    const exClusters = opts.excludeClusters;
    const rank = (w: Map<number, number>, want: number, penalty: number): RankedStory[] => {
      const { touched, ideal } = this.#accumulate(w);
      if (ideal <= 0) {
        this.#clear(touched);
        return [];
      }
      const acc = this.#acc;
      const score = (n: number): number => {
        if (n === selfN) return -1;
        const rel = (acc[n] as number) / ideal;
        if (rel < minRel) return -1;
        const d = docs[n] as IndexedStory;
        if (selfCluster !== undefined && d.clusterId === selfCluster) return -1;
        if (exIds?.has(d.id) === true || exClusters?.has(d.clusterId) === true) return -1;
        // Without both dates, time distance counts as middling.
        if (when === undefined || !Number.isFinite(when) || !Number.isFinite(d.publishedAt)) return rel * (floor + (1 - floor) / 2);
        const dt = Math.abs(d.publishedAt - when);
        return rel * (floor + (1 - floor) / (1 + dt / scale));
      };
      const out = this.#pick(touched, score, ideal, want, { onePerCluster: true, outletPenalty: penalty });
      this.#clear(touched);
      return out;
    };
    const feedback = Math.max(0, Math.min(opts.feedback ?? FEEDBACK_DOCS, 10));
    if (feedback > 0) {
      // Pseudo-relevance feedback: the best few stories' own signatures, weighted down, join the
      // query, so that a story is also found through the words its closest relatives use.
      const first = rank(weights, feedback, 1);
      const added = new Map<number, number>();
      for (const r of first) {
        const n = this.#byId.get(r.story.id);
        if (n === undefined) continue;
        const sig = this.#signatureOf(this.#vecT[n] as Int32Array, this.#vecF[n] as Uint16Array, new Set(this.#ent[n]), true);
        for (const [t, w] of sig) added.set(t, (added.get(t) ?? 0) + (FEEDBACK_WEIGHT * w * r.relevance) / first.length);
      }
      // The query's own terms get their share; of the new ones only the strongest join (each costs a postings scan).
      const expanded = new Map(weights);
      const fresh: [number, number][] = [];
      for (const [t, w] of added) {
        if (expanded.has(t)) expanded.set(t, (expanded.get(t) as number) + w);
        else fresh.push([t, w]);
      }
      fresh.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      for (const [t, w] of fresh.slice(0, FEEDBACK_TERMS)) expanded.set(t, w);
      return rank(expanded, k, opts.outletPenalty ?? 0.75);
    }
    return rank(weights, k, opts.outletPenalty ?? 0.75);
  }

  /** Approximate bytes held by postings and vectors (for the bench). */
  get postingsBytes(): number {
    let b = 0;
    for (const p of this.#post) b += p.d.byteLength + p.f.byteLength;
    for (const v of this.#vecT) if (v !== undefined) b += v.byteLength * 1.5;
    return b;
  }

  // ------------------------------------------------------------------------------------------

  #termId(t: string): number {
    let id = this.#termIds.get(t);
    if (id === undefined) {
      id = this.#terms.length;
      this.#termIds.set(t, id);
      this.#terms.push(t);
      this.#df.push(0);
      this.#post.push({ d: new Int32Array(2), f: new Uint16Array(2), n: 0 });
    }
    return id;
  }

  #push(t: number, doc: number, tf: number): void {
    const p = this.#post[t] as Postings;
    if (p.n === p.d.length) {
      const cap = p.n < 64 ? p.n * 2 : Math.ceil(p.n * 1.5);
      const d = new Int32Array(cap);
      d.set(p.d);
      const f = new Uint16Array(cap);
      f.set(p.f);
      p.d = d;
      p.f = f;
    }
    p.d[p.n] = doc;
    p.f[p.n] = tf;
    p.n++;
  }

  #idf(t: number): number {
    const df = this.#df[t] ?? 0;
    const n = this.#alive;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Query weights of a story: its terms by (1 + log tf) * idf, entities boosted, the best
   * SIGNATURE_TERMS kept, terms no other story has (or nearly every story has) dropped.
   */
  #signatureOf(vt: Int32Array, vf: Uint16Array, ents: ReadonlySet<number>, inIndex: boolean): Map<number, number> {
    const scored: [number, number][] = [];
    const own = inIndex ? 1 : 0;
    const common = Math.max(50, this.#alive * COMMON_SHARE);
    for (let i = 0; i < vt.length; i++) {
      const t = vt[i] as number;
      const df = (this.#df[t] ?? 0) - own;
      if (df > common) continue;
      const tf = (vf[i] as number) / 2;
      let w = (1 + Math.log(tf)) * this.#idf(t);
      if (ents.has(t)) w *= ENTITY_BOOST;
      scored.push([t, w]);
    }
    scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const top = scored.slice(0, SIGNATURE_TERMS);
    const max = top[0]?.[1] ?? 1;
    const out = new Map<number, number>();
    for (const [t, w] of top) out.set(t, w / max);
    return out;
  }

  /** BM25 of every story sharing a query term, accumulated into #acc; unknown terms (< 0) count in the ideal only. */
  #accumulate(weights: Map<number, number>): { touched: Int32Array; ideal: number } {
    const docsLen = this.#docs.length;
    if (this.#acc.length < docsLen) {
      this.#acc = new Float64Array(Math.max(docsLen, this.#acc.length * 2, 1024));
      this.#touched = new Int32Array(this.#acc.length);
    }
    const acc = this.#acc;
    const touched = this.#touched;
    const docs = this.#docs;
    const lens = this.#len;
    let count = 0;
    const avg = Math.max(this.#totalLen / Math.max(this.#alive, 1), 1e-9);
    let ideal = 0;
    const maxIdf = Math.log(1 + (this.#alive + 0.5) / 0.5);
    for (const [t, w] of weights) {
      if (t < 0) {
        ideal += w * maxIdf * (K1 + 1);
        continue;
      }
      const idf = this.#idf(t);
      ideal += w * idf * (K1 + 1);
      const p = this.#post[t] as Postings;
      const wi = w * idf * (K1 + 1);
      const pd = p.d;
      const pf = p.f;
      for (let i = 0; i < p.n; i++) {
        const n = pd[i] as number;
        if (docs[n] === undefined) continue;
        const tf = (pf[i] as number) / 2;
        const s = (wi * tf) / (tf + K1 * (1 - B + (B * (lens[n] as number)) / avg));
        if (acc[n] === 0) touched[count++] = n;
        acc[n] = (acc[n] as number) + s;
      }
    }
    return { touched: touched.subarray(0, count), ideal };
  }

  #clear(touched: Int32Array): void {
    const acc = this.#acc;
    for (const n of touched) acc[n] = 0;
  }

  /**
   * The best k of the touched stories by `score` (negative = excluded): a max-heap over the
   * candidates, popped in order, keeping the best story of each cluster until 4k clusters are in
   * hand; then outlet diversity over those (each story already chosen from an outlet multiplies the
   * next one's score by `outletPenalty`).
   */
  #pick(touched: Int32Array, score: (n: number) => number, ideal: number, k: number, o: { onePerCluster: boolean; outletPenalty: number }): RankedStory[] {
    if (this.#heap.length < touched.length) {
      const cap = Math.max(touched.length, this.#heap.length * 2);
      this.#heap = new Int32Array(cap);
      this.#heapScore = new Float64Array(cap);
    }
    const heap = this.#heap;
    let size = 0;
    for (let i = 0; i < touched.length; i++) {
      const n = touched[i] as number;
      const sc = score(n);
      if (sc <= 0) continue;
      heap[size] = n;
      this.#heapScore[size] = sc;
      size++;
    }
    // Heapify (max-heap on #heapScore, ties: newer first).
    const hs = this.#heapScore;
    const docs = this.#docs;
    const better = (i: number, j: number): boolean => {
      const a = hs[i] as number;
      const b = hs[j] as number;
      if (a !== b) return a > b;
      return (docs[heap[i] as number] as IndexedStory).publishedAt > (docs[heap[j] as number] as IndexedStory).publishedAt;
    };
    const swap = (i: number, j: number): void => {
      const tn = heap[i] as number;
      heap[i] = heap[j] as number;
      heap[j] = tn;
      const ts = hs[i] as number;
      hs[i] = hs[j] as number;
      hs[j] = ts;
    };
    const down = (i: number, n: number): void => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && better(l, m)) m = l;
        if (r < n && better(r, m)) m = r;
        if (m === i) return;
        swap(i, m);
        i = m;
      }
    };
    for (let i = (size >> 1) - 1; i >= 0; i--) down(i, size);

    const want = o.outletPenalty < 1 ? k * 4 : k;
    const pool: { n: number; s: number }[] = [];
    const clusters = new Set<string>();
    while (size > 0 && pool.length < want) {
      const n = heap[0] as number;
      const sc = hs[0] as number;
      size--;
      if (size > 0) {
        swap(0, size);
        down(0, size);
      }
      const d = docs[n] as IndexedStory;
      if (o.onePerCluster) {
        if (clusters.has(d.clusterId)) continue;
        clusters.add(d.clusterId);
      }
      pool.push({ n, s: sc });
    }

    const chosen: RankedStory[] = [];
    const outlets = new Map<string, number>();
    while (chosen.length < k && pool.length > 0) {
      let bestJ = 0;
      let best = -1;
      for (let j = 0; j < pool.length; j++) {
        const c = pool[j] as { n: number; s: number };
        const d = docs[c.n] as IndexedStory;
        const seen = o.outletPenalty < 1 && d.outlet !== undefined ? (outlets.get(d.outlet) ?? 0) : 0;
        const adj = seen === 0 ? c.s : c.s * Math.pow(o.outletPenalty, seen);
        if (adj > best) {
          best = adj;
          bestJ = j;
        }
      }
      const c = pool.splice(bestJ, 1)[0] as { n: number; s: number };
      const d = docs[c.n] as IndexedStory;
      if (d.outlet !== undefined) outlets.set(d.outlet, (outlets.get(d.outlet) ?? 0) + 1);
      chosen.push({ story: { ...d }, score: c.s, relevance: Math.min(1, (this.#acc[c.n] as number) / ideal) });
    }
    return chosen;
  }

  /** Renumbers the stories, dropping removed ones, and rebuilds postings from the term vectors. */
  #compact(): void {
    const docs: (IndexedStory | undefined)[] = [];
    const len: number[] = [];
    const vecT: (Int32Array | undefined)[] = [];
    const vecF: (Uint16Array | undefined)[] = [];
    const ent: (Int32Array | undefined)[] = [];
    // Terms still in use get new ids.
    const remap = new Int32Array(this.#terms.length).fill(-1);
    const terms: string[] = [];
    const df: number[] = [];
    const post: Postings[] = [];
    this.#termIds.clear();
    for (let n = 0; n < this.#docs.length; n++) {
      const d = this.#docs[n];
      if (d === undefined) continue;
      const vt = this.#vecT[n] as Int32Array;
      const nt = new Int32Array(vt.length);
      for (let i = 0; i < vt.length; i++) {
        const old = vt[i] as number;
        if (remap[old] === -1) {
          remap[old] = terms.length;
          this.#termIds.set(this.#terms[old] as string, terms.length);
          terms.push(this.#terms[old] as string);
          df.push(this.#df[old] ?? 0);
          post.push({ d: new Int32Array(2), f: new Uint16Array(2), n: 0 });
        }
        nt[i] = remap[old] as number;
      }
      const e = this.#ent[n] as Int32Array;
      const newN = docs.length;
      docs.push(d);
      len.push(this.#len[n] as number);
      vecT.push(nt);
      vecF.push(this.#vecF[n]);
      ent.push(Int32Array.from(e, (x) => remap[x] as number));
      this.#byId.set(d.id, newN);
    }
    this.#terms = terms;
    this.#df = df;
    this.#post = post;
    this.#docs = docs;
    this.#len = len;
    this.#vecT = vecT;
    this.#vecF = vecF;
    this.#ent = ent;
    for (let n = 0; n < docs.length; n++) {
      const vt = vecT[n] as Int32Array;
      const vf = vecF[n] as Uint16Array;
      for (let i = 0; i < vt.length; i++) this.#push(vt[i] as number, n, vf[i] as number);
    }
    this.#dead = 0;
    this.#acc = new Float64Array(0);
    this.#touched = new Int32Array(0);
    this.#heap = new Int32Array(0);
    this.#heapScore = new Float64Array(0);
  }
}
