import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeStory } from '../../../src/core/corpus/analyze.js';
import { StoryClusterer, duplicateScore } from '../../../src/core/corpus/cluster.js';
import { NewsCorpus } from '../../../src/core/corpus/news-corpus.js';
import type { FeedEntry } from '../../../src/core/corpus/feed.js';
import { storyKey } from '../../../src/core/corpus/url.js';

interface Case {
  story: string;
  outlet: string;
  link: string;
  title: string;
  lead: string;
  at: string;
}
const cases = (JSON.parse(readFileSync(new URL('../../fixtures/feeds/cluster-cases.json', import.meta.url), 'utf8')) as { items: Case[] }).items;

function entry(c: { link: string; title: string; lead: string; at: string; guid?: string }): FeedEntry {
  return { link: c.link, key: storyKey(c.link) as string, title: c.title, lead: c.lead, publishedAt: Date.parse(c.at), dateSource: 'feed', categories: [], ...(c.guid !== undefined ? { guid: c.guid } : {}) };
}

describe('story clusters on hand-written multi-outlet cases', () => {
  it('groups one event from several outlets and keeps look-alikes apart', () => {
    const corpus = new NewsCorpus({ retentionMs: 10 * 365 * 24 * 3600_000 });
    const now = Date.parse('2030-03-08T00:00:00Z');
    const ids = new Map<string, Case>();
    for (const c of cases) {
      const r = corpus.ingestEntries({ url: `https://feeds.example/${c.outlet}` }, [entry(c)], now);
      expect(r.added).toHaveLength(1);
      ids.set(r.added[0]?.id as string, c);
    }
    const clusterOfStory = new Map<string, Set<string>>();
    for (const [id, c] of ids) {
      const cl = corpus.clusterOf(id)?.id as string;
      const set = clusterOfStory.get(c.story) ?? new Set<string>();
      set.add(cl);
      clusterOfStory.set(c.story, set);
    }
    // Every story is exactly one cluster...
    for (const [story, set] of clusterOfStory) expect(set.size, story).toBe(1);
    // ...and no two stories share one.
    const all = [...clusterOfStory.values()].map((s) => [...s][0]);
    expect(new Set(all).size).toBe(clusterOfStory.size);
    const gempa = [...ids].find(([, c]) => c.story === 'gempa-cianjur')?.[0] as string;
    expect(corpus.clusterOf(gempa)?.size).toBe(3);
  });

  it('scores copies high and daily series (different numbers) low', () => {
    const a = analyzeStory({ title: 'Harga Emas Antam Hari Ini Naik Jadi Rp 2.631.000 per Gram', lead: 'Harga emas Antam naik.' });
    const b = analyzeStory({ title: 'Harga Emas Antam Hari Ini Naik Jadi Rp 2.652.000 per Gram', lead: 'Harga emas Antam naik.' });
    const sorted = (x: readonly string[]): string[] => [...new Set(x)].sort();
    const ta = sorted(a.title);
    const tb = sorted(b.title);
    expect(duplicateScore(ta, sorted([...a.title, ...a.lead]), tb, sorted([...b.title, ...b.lead]))).toBeLessThan(1);
    expect(duplicateScore(ta, sorted([...a.title, ...a.lead]), ta, sorted([...a.title, ...a.lead]))).toBeGreaterThanOrEqual(1);
  });

  it('never joins stories further apart than the window, and forgets removed stories', () => {
    const c = new StoryClusterer({ windowMs: 24 * 3600_000 });
    const t = analyzeStory({ title: 'Kereta cepat Jakarta Bandung berhenti beroperasi sementara', lead: 'Operator kereta cepat menghentikan perjalanan karena gangguan listrik.' });
    const day = 24 * 3600_000;
    expect(c.add({ id: 'a', publishedAt: 0, title: t.title, lead: t.lead })).toBe('a');
    expect(c.add({ id: 'b', publishedAt: day / 2, title: t.title, lead: t.lead })).toBe('a');
    expect(c.add({ id: 'c', publishedAt: 5 * day, title: t.title, lead: t.lead })).toBe('c');
    expect(c.sizeOf('a')).toBe(2);
    c.remove('b');
    expect(c.sizeOf('a')).toBe(1);
    expect(c.clusterOf('b')).toBeUndefined();
    expect(c.nearDuplicateClusters({ publishedAt: day / 3, title: t.title, lead: t.lead })).toEqual(new Set(['a']));
  });
});

describe('deduplication', () => {
  const now = Date.parse('2030-03-08T00:00:00Z');
  const base = { title: 'Kali Bekasi Meluap, Ribuan Rumah Terendam Banjir', lead: 'Ribuan rumah terendam.', at: '2030-03-06T04:10:00Z' };

  it('by normalized URL across feeds and spellings', () => {
    const corpus = new NewsCorpus({ retentionMs: 30 * 24 * 3600_000 });
    const first = corpus.ingestEntries({ url: 'https://f1.example/rss' }, [entry({ ...base, link: 'https://www.republika.co.id/berita/9000041/kali-bekasi' })], now);
    expect(first.added).toHaveLength(1);
    const again = corpus.ingestEntries({ url: 'https://f2.example/rss' }, [
      entry({ ...base, link: 'http://m.republika.co.id/berita/9000041/kali-bekasi/?utm_source=rss' }),
      entry({ ...base, link: 'https://republika.co.id/berita/9000041/kali-bekasi/amp' }),
    ], now);
    expect(again).toMatchObject({ added: [], updated: [], duplicates: 2, fromOtherFeeds: 2 });
    expect(corpus.size).toBe(1);
  });

  it('by guid within one site, but not for positional guids or unrelated titles', () => {
    const corpus = new NewsCorpus({ retentionMs: 30 * 24 * 3600_000 });
    corpus.ingestEntries({ url: 'https://a.example/rss' }, [entry({ ...base, link: 'https://x.co.id/berita/1?sid=aaa', guid: 'x-berita-000001' })], now);
    // Same guid, new session parameter in the link: the same article.
    const same = corpus.ingestEntries({ url: 'https://a.example/rss2' }, [entry({ ...base, link: 'https://x.co.id/berita/1?sid=bbb', guid: 'x-berita-000001' })], now);
    expect(same.duplicates).toBe(1);
    // Same guid reused by the CMS for an unrelated story: kept, counted as a conflict.
    const other = corpus.ingestEntries({ url: 'https://a.example/rss' }, [entry({ title: 'Timnas menang 3-0 atas Vietnam', lead: 'Garuda menang.', at: base.at, link: 'https://x.co.id/bola/2', guid: 'x-berita-000001' })], now);
    expect(other).toMatchObject({ duplicates: 0, guidConflicts: 1 });
    expect(other.added).toHaveLength(1);
    // Positional guids ("1") from two feeds name different stories.
    const tempo = corpus.ingestEntries({ url: 'https://rss.tempo.co/hukum' }, [
      entry({ title: 'Satu', lead: 'a', at: base.at, link: 'https://www.tempo.co/hukum/satu-1', guid: '1' }),
      entry({ title: 'Dua', lead: 'b', at: base.at, link: 'https://www.tempo.co/ekonomi/dua-2', guid: '1' }),
    ], now);
    expect(tempo.added).toHaveLength(2);
  });

  it('same guid on two different sites is two articles', () => {
    const corpus = new NewsCorpus({ retentionMs: 30 * 24 * 3600_000 });
    const r = corpus.ingestEntries({ url: 'https://a.example/rss' }, [
      entry({ ...base, link: 'https://satu.co.id/a', guid: 'post-123456' }),
      entry({ ...base, title: 'Kabar lain sama sekali', link: 'https://dua.co.id/b', guid: 'post-123456' }),
    ], now);
    expect(r.added).toHaveLength(2);
  });

  it('a corrected title updates the article under its id', () => {
    const corpus = new NewsCorpus({ retentionMs: 30 * 24 * 3600_000 });
    const link = 'https://news.republika.co.id/berita/9000041/kali-bekasi';
    const a = corpus.ingestEntries({ url: 'https://f1.example/rss' }, [entry({ ...base, link })], now).added[0];
    const b = corpus.ingestEntries({ url: 'https://f1.example/rss' }, [entry({ ...base, title: 'Kali Bekasi Meluap, 3.000 Rumah Terendam Banjir', link })], now);
    expect(b.updated).toHaveLength(1);
    expect(b.updated[0]?.id).toBe(a?.id);
    expect(corpus.search('3.000 rumah', { k: 1 })[0]?.title).toBe('Kali Bekasi Meluap, 3.000 Rumah Terendam Banjir');
    expect(corpus.size).toBe(1);
  });
});
