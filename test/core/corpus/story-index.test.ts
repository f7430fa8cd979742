import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NewsCorpus } from '../../../src/core/corpus/news-corpus.js';
import { StoryIndex } from '../../../src/core/corpus/story-index.js';
import type { FeedEntry } from '../../../src/core/corpus/feed.js';
import { storyKey } from '../../../src/core/corpus/url.js';
import { parseFeedDate } from '../../../src/core/corpus/dates.js';

interface TempoItem {
  feed: string;
  title: string;
  link: string;
  pubDate: string;
  description: string;
}
const items = readFileSync(new URL('../../fixtures/feeds/tempo-items-2025-07-01-14.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as TempoItem);
const NOW = Date.parse('2025-07-15T00:00:00Z');

function tempoCorpus(): NewsCorpus {
  const corpus = new NewsCorpus({ retentionMs: 30 * 24 * 3600_000 });
  const entries: FeedEntry[] = items.map((o) => ({
    link: o.link,
    key: storyKey(o.link) as string,
    title: o.title,
    lead: o.description,
    publishedAt: parseFeedDate(o.pubDate) as number,
    dateSource: 'feed',
    categories: [],
  }));
  corpus.ingestEntries({ url: 'https://rss.tempo.co/all' }, entries, NOW);
  return corpus;
}

describe('NewsCorpus search on two weeks of Tempo', () => {
  const corpus = tempoCorpus();

  it('holds every item once', () => {
    expect(corpus.size).toBe(items.length);
  });

  it('finds the stories of a named event first, one per cluster, with outlet and time', () => {
    const hits = corpus.search('kapal tenggelam Selat Bali', { k: 5, now: NOW });
    expect(hits.length).toBe(5);
    // The ferry that sank in the Bali Strait on 2 July 2025 (KMP Tunu Pratama Jaya) comes first.
    expect(hits.slice(0, 2).every((h) => /KMP Tunu/.test(h.title))).toBe(true);
    expect(new Set(hits.map((h) => h.clusterId)).size).toBe(hits.length);
    expect(hits[0]?.outlet).toBe('Tempo');
    expect(hits.every((h) => h.relevance > 0 && h.relevance <= 1)).toBe(true);
  });

  it('stems Indonesian queries and ignores stopwords and unknown words', () => {
    // "penenggelaman" and "tenggelam" share the stem "tenggelam".
    expect(corpus.search('penenggelaman kapal Selat Bali', { k: 1, now: NOW })[0]?.title).toMatch(/KMP Tunu/);
    const hits = corpus.search('tarif Trump', { k: 5, now: NOW });
    expect(hits.slice(0, 4).every((h) => /Tarif.*Trump|Trump.*Tarif/.test(h.title))).toBe(true);
    // Newest first among (nearly) equal matches.
    expect(hits[0]?.title).toBe('Mengapa BRICS Menghambat Lobi Indonesia Negosiasi Tarif Trump');
    expect(corpus.search('xyzzy-tidak-ada', { now: NOW })).toEqual([]);
    expect(corpus.search('dan yang di', { now: NOW })).toEqual([]);
  });

  it('keeps only stories of the window', () => {
    const later = Date.parse('2025-09-01T00:00:00Z');
    expect(corpus.search('kapal tenggelam Selat Bali', { k: 5, now: later })).toEqual([]);
  });

  it('related stories of an item: not itself, not its cluster, about the same story', () => {
    const id = corpus.idForUrl(items.find((o) => /KMP Tunu Pratama Jaya Tenggelam di Selat Bali, 32 Orang/.test(o.title))?.link as string) as string;
    expect(id).toBeDefined();
    const own = corpus.clusterOf(id)?.id;
    const rel = corpus.relatedTo(id, { k: 5 });
    expect(rel.length).toBeGreaterThanOrEqual(2);
    expect(rel.every((h) => h.id !== id && h.clusterId !== own)).toBe(true);
    // The other two KMP Tunu stories of the fortnight (the third is in the item's own cluster).
    expect(rel.slice(0, 2).map((h) => h.title).sort()).toEqual([
      'Menhub soal Pencarian Korban KMP Tunu: Semua Sumber Daya Kami Kerahkan',
      'Polisi Identifikasi 15 Jenazah Korban KMP Tunu Pratama Jaya di Hari ke-10 Pencarian',
    ]);
  });

  it('related stories of an article from outside the corpus (by its text)', () => {
    const rel = corpus.relatedFor({ title: 'Pencarian korban kapal tenggelam di Selat Bali diperpanjang', lead: 'Tim SAR gabungan memperpanjang pencarian penumpang KMP Tunu Pratama Jaya yang tenggelam di Selat Bali.' }, { k: 5, now: NOW });
    expect(rel.length).toBeGreaterThanOrEqual(3);
    expect(rel.slice(0, 3).every((h) => /KMP Tunu/.test(h.title))).toBe(true);
  });
});

describe('StoryIndex', () => {
  const day = 24 * 3600_000;

  it('puts the newer of two equal matches first when now is given', () => {
    const idx = new StoryIndex();
    idx.add({ id: 'lama', title: 'Harga beras naik di pasar', publishedAt: 0, clusterId: 'lama' }, { title: 'Harga beras naik di pasar' });
    idx.add({ id: 'baru', title: 'Harga beras naik di pasar', publishedAt: 2 * day, clusterId: 'baru' }, { title: 'Harga beras naik di pasar' });
    idx.add({ id: 'lain', title: 'Timnas menang', publishedAt: 2 * day, clusterId: 'lain' }, { title: 'Timnas menang' });
    expect(idx.search('harga beras', { now: 3 * day }).map((h) => h.story.id)).toEqual(['baru', 'lama']);
  });

  it('shows one story per cluster, with the best of the cluster', () => {
    const idx = new StoryIndex();
    idx.add({ id: 'a1', title: 'Gempa guncang Cianjur', publishedAt: 0, clusterId: 'a' }, { title: 'Gempa guncang Cianjur', lead: 'Gempa magnitudo 5,6 guncang Cianjur.' });
    idx.add({ id: 'a2', title: 'Gempa Cianjur', publishedAt: 0, clusterId: 'a' }, { title: 'Gempa Cianjur' });
    idx.add({ id: 'b1', title: 'Gempa guncang Garut', publishedAt: 0, clusterId: 'b' }, { title: 'Gempa guncang Garut' });
    const hits = idx.search('gempa cianjur', { k: 5 });
    expect(hits.map((h) => h.story.clusterId)).toEqual(['a', 'b']);
    expect(idx.search('gempa cianjur', { k: 5, onePerCluster: false })).toHaveLength(3);
  });

  it('diversifies related stories across outlets', () => {
    const idx = new StoryIndex();
    const text = (n: number): { title: string; lead: string } => ({ title: `Banjir bandang Sumatera Barat hari ${n}`, lead: `Banjir bandang melanda Sumatera Barat, pengungsi bertambah ${n} orang.` });
    idx.add({ id: 'q', title: 'Banjir bandang Sumatera Barat', outlet: 'A', publishedAt: 0, clusterId: 'q' }, { title: 'Banjir bandang Sumatera Barat', lead: 'Banjir bandang melanda Sumatera Barat.' });
    for (let i = 0; i < 6; i++) idx.add({ id: `a${i}`, title: text(i).title, outlet: 'A', publishedAt: 0, clusterId: `a${i}` }, text(i));
    idx.add({ id: 'b', title: 'Pengungsi banjir Sumatera Barat butuh air bersih', outlet: 'B', publishedAt: 0, clusterId: 'b' }, { title: 'Pengungsi banjir Sumatera Barat butuh air bersih', lead: 'Banjir bandang di Sumatera Barat membuat pengungsi butuh air bersih.' });
    const plain = idx.related('q', { k: 4, outletPenalty: 1 }).map((h) => h.story.outlet);
    const diverse = idx.related('q', { k: 4 }).map((h) => h.story.outlet);
    expect(plain).toEqual(['A', 'A', 'A', 'A']);
    expect(diverse).toContain('B');
  });

  it('stays right after many removals (compaction)', () => {
    const idx = new StoryIndex();
    for (let i = 0; i < 3000; i++) idx.add({ id: `d${i}`, title: `Berita nomor ${i} tentang ${i % 2 === 0 ? 'pajak' : 'sepak bola'}`, publishedAt: i, clusterId: `d${i}` }, { title: `Berita nomor ${i} tentang ${i % 2 === 0 ? 'pajak' : 'sepak bola'}` });
    for (let i = 0; i < 2500; i++) idx.remove(`d${i}`);
    expect(idx.size).toBe(500);
    expect(idx.has('d10')).toBe(false);
    const hits = idx.search('pajak', { k: 1000, minRelevance: 0 });
    expect(hits).toHaveLength(250);
    expect(hits.every((h) => Number(h.story.id.slice(1)) >= 2500 && Number(h.story.id.slice(1)) % 2 === 0)).toBe(true);
    expect(idx.search('2999', { k: 1 })[0]?.story.id).toBe('d2999');
    expect(idx.related('d2998', { k: 3 }).every((h) => h.story.id !== 'd2998')).toBe(true);
  });
});
