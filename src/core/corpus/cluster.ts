/**
 * Story clusters: the same event reported by several outlets (or one outlet twice) becomes one
 * cluster, so that search, related stories and digests show it once. Two stories are
 * near-duplicates when they appeared within `windowMs` of each other and their titles, or their
 * titles with the start of their leads, share most of their terms (set similarity over stemmed
 * terms; see `duplicateScore`). Candidates come from an inverted index of title terms by time
 * bucket (a story is compared only with stories of nearby days sharing a title term), never from
 * comparing every pair.
 *
 * A story joins the cluster of its most similar near-duplicate; clusters are never merged after
 * the fact (a cluster id, the id of its first story, is stable while that story stays).
 */

export interface ClusterInput {
  id: string;
  publishedAt: number;
  /** Stemmed title terms. */
  title: readonly string[];
  /** Stemmed lead terms (the first ones are used). */
  lead: readonly string[];
}

interface Entry {
  id: string;
  t: number;
  title: string[];
  text: string[];
  cluster: string;
  alive: boolean;
}

/** Lead terms compared (the lead's opening carries the event). */
const LEAD_TERMS = 40;
/** Rarest title terms of a story whose postings are read to find candidates. */
const PROBE_TERMS = 4;
/** Postings read at most per story (newest first within each term). */
const CANDIDATE_BUDGET = 300;

function uniqueSorted(xs: readonly string[]): string[] {
  return [...new Set(xs)].sort();
}

function intersectSorted(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

function numbers(xs: readonly string[]): string[] {
  return xs.filter((x) => x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57);
}

/**
 * Near-duplicate similarity of two stories' term sets (sorted, unique); >= 1 means the same story.
 * It is the largest of: title Jaccard / 0.6; title+lead Jaccard / 0.5; and, when most of the
 * shorter title's terms (0.6, at least 3) are shared, title+lead Jaccard / 0.35. Titles of one
 * event differ across outlets ("Gempa M5,6 Guncang Cianjur" / "Gempa Magnitudo 5,6 Guncang
 * Cianjur, Warga Panik") while their leads repeat the same facts. Titles that both carry numbers
 * but share none are daily series, not copies ("Harga Emas Antam Naik Jadi Rp 2.631.000" the next
 * day is "... Rp 2.652.000"; "IHSG Dibuka Menguat 0,57 Persen"): their score is cut to 0.3 of itself.
 */
export function duplicateScore(aTitle: readonly string[], aText: readonly string[], bTitle: readonly string[], bText: readonly string[]): number {
  if (aTitle.length === 0 || bTitle.length === 0) return 0;
  const it = intersectSorted(aTitle, bTitle);
  const jt = it / (aTitle.length + bTitle.length - it);
  const ot = it / Math.min(aTitle.length, bTitle.length);
  let jl = 0;
  if (aText.length > 0 && bText.length > 0) {
    const il = intersectSorted(aText, bText);
    jl = il / (aText.length + bText.length - il);
  }
  let score = Math.max(jt / 0.6, jl / 0.5, ot >= 0.6 && it >= 3 ? jl / 0.35 : 0);
  const na = numbers(aTitle);
  if (na.length > 0) {
    const nb = numbers(bTitle);
    if (nb.length > 0 && intersectSorted(na, nb) === 0) score *= 0.3;
  }
  return score;
}

/** A story joins a cluster through one member, but must stay this close to the cluster's first story. */
const ROOT_MIN = 0.7;

export class StoryClusterer {
  readonly #windowMs: number;
  readonly #entries: Entry[] = [];
  readonly #slot = new Map<string, number>();
  /** term -> time bucket -> slots. */
  readonly #postings = new Map<string, Map<number, number[]>>();
  readonly #sizes = new Map<string, number>();
  #dead = 0;

  /** `windowMs`: stories further apart in time are never one cluster. Default 2 days. */
  constructor(opts: { windowMs?: number } = {}) {
    this.#windowMs = opts.windowMs ?? 2 * 24 * 3600_000;
  }

  get size(): number {
    return this.#slot.size;
  }

  clusterOf(id: string): string | undefined {
    const s = this.#slot.get(id);
    return s === undefined ? undefined : this.#entries[s]?.cluster;
  }

  /** Stories in a cluster (1 for a story alone, 0 for an unknown cluster). */
  sizeOf(clusterId: string): number {
    return this.#sizes.get(clusterId) ?? 0;
  }

  /** Adds a story; returns the id of the cluster it joins (its own id when it starts one). */
  add(x: ClusterInput): string {
    this.remove(x.id);
    const title = uniqueSorted(x.title);
    const text = uniqueSorted([...x.title, ...x.lead.slice(0, LEAD_TERMS)]);
    const best = this.#best(x.publishedAt, title, text, x.id);
    const cluster = best ?? x.id;
    const slot = this.#entries.length;
    this.#entries.push({ id: x.id, t: x.publishedAt, title, text, cluster, alive: true });
    this.#slot.set(x.id, slot);
    this.#sizes.set(cluster, (this.#sizes.get(cluster) ?? 0) + 1);
    this.#file(slot, this.#entries[slot] as Entry);
    return cluster;
  }

  /** Clusters holding a near-duplicate of this story (which is not added). */
  nearDuplicateClusters(x: Omit<ClusterInput, 'id'> & { id?: string }): Set<string> {
    const title = uniqueSorted(x.title);
    const text = uniqueSorted([...x.title, ...x.lead.slice(0, LEAD_TERMS)]);
    const out = new Set<string>();
    for (const s of this.#candidates(x.publishedAt, title)) {
      const e = this.#entries[s] as Entry;
      if (e.id !== x.id && duplicateScore(title, text, e.title, e.text) >= 1) out.add(e.cluster);
    }
    return out;
  }

  remove(id: string): void {
    const s = this.#slot.get(id);
    if (s === undefined) return;
    const e = this.#entries[s] as Entry;
    e.alive = false;
    e.title = [];
    e.text = [];
    this.#slot.delete(id);
    const n = (this.#sizes.get(e.cluster) ?? 1) - 1;
    if (n <= 0) this.#sizes.delete(e.cluster);
    else this.#sizes.set(e.cluster, n);
    this.#dead++;
    if (this.#dead > 1000 && this.#dead > this.#slot.size / 2) this.#compact();
  }

  /** Postings keys of a story: each distinct title term in the story's time bucket. */
  #bucket(t: number): number {
    return Math.floor(t / this.#windowMs);
  }

  #file(slot: number, e: Entry): void {
    const bucket = this.#bucket(e.t);
    for (const term of e.title) {
      let byBucket = this.#postings.get(term);
      if (byBucket === undefined) {
        byBucket = new Map();
        this.#postings.set(term, byBucket);
      }
      const list = byBucket.get(bucket);
      if (list === undefined) byBucket.set(bucket, [slot]);
      else list.push(slot);
    }
  }

  /**
   * Stories within the window sharing a title term: the buckets of the story's time and the ones
   * on either side cover every story at most `windowMs` away.
   */
  #candidates(t: number, title: readonly string[]): Set<number> {
    const out = new Set<number>();
    const bucket = this.#bucket(t);
    // The story's rarest title terms in these days: a near-duplicate shares most of the title, so it
    // shares some of them; common words ("harga", "2026") would only bring look-alikes to compare.
    const terms: { lists: number[][]; size: number }[] = [];
    for (const term of new Set(title)) {
      const lists: number[][] = [];
      let size = 0;
      const byBucket = this.#postings.get(term);
      if (byBucket === undefined) continue;
      for (let b = bucket - 1; b <= bucket + 1; b++) {
        const list = byBucket.get(b);
        if (list === undefined) continue;
        lists.push(list);
        size += list.length;
      }
      if (size > 0) terms.push({ lists, size });
    }
    terms.sort((a, b) => a.size - b.size);
    let budget = CANDIDATE_BUDGET;
    for (const { lists } of terms.slice(0, PROBE_TERMS)) {
      for (const list of lists) {
        for (let i = list.length - 1; i >= 0 && budget > 0; i--, budget--) {
          const s = list[i] as number;
          const e = this.#entries[s] as Entry;
          if (e.alive && Math.abs(e.t - t) <= this.#windowMs) out.add(s);
        }
      }
    }
    return out;
  }

  #best(t: number, title: readonly string[], text: readonly string[], selfId: string): string | undefined {
    let best: Entry | undefined;
    let bestScore = 1;
    for (const s of this.#candidates(t, title)) {
      const e = this.#entries[s] as Entry;
      if (e.id === selfId) continue;
      const score = duplicateScore(title, text, e.title, e.text);
      if (score < bestScore || (score === bestScore && best !== undefined)) continue;
      if (e.cluster !== e.id) {
        // Chains drift (A~B, B~C, C~D...): the first story of the cluster must still look alike.
        const rootSlot = this.#slot.get(e.cluster);
        const root = rootSlot === undefined ? undefined : this.#entries[rootSlot];
        if (root !== undefined && root.alive && duplicateScore(title, text, root.title, root.text) < ROOT_MIN) continue;
      }
      best = e;
      bestScore = score;
    }
    return best?.cluster;
  }

  #compact(): void {
    const alive = this.#entries.filter((e) => e.alive);
    this.#entries.length = 0;
    this.#slot.clear();
    this.#postings.clear();
    for (const e of alive) {
      const slot = this.#entries.length;
      this.#entries.push(e);
      this.#slot.set(e.id, slot);
      this.#file(slot, e);
    }
    this.#dead = 0;
  }
}
