/**
 * Story sources for digests: from the article store the corpus writes (clustered here, refreshed),
 * and from a corpus that can list a time window (corpusStorySource over StoryWindow).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createArticleStore } from '../../src/adapters/store/articles.js';
import { openStore } from '../../src/adapters/store/index.js';
import type { CorpusArticle } from '../../src/core/corpus/news-corpus.js';
import { corpusStorySource, storeStorySource, StoryList } from '../../src/services/story-source.js';
import { tempDir } from '../helpers/digest-fakes.js';
import { silentLogger } from '../helpers/services.js';

const tmp = tempDir('ringkas-digest-stories-');
afterAll(() => tmp.remove());

const NOW = Date.parse('2026-11-30T00:00:00Z');
const H = 3600_000;

function article(id: string, outlet: string, host: string, hoursAgo: number, title: string, lead: string): CorpusArticle {
  return { id, url: `https://${host}/${id}`, key: `${host}/${id}`, feedUrl: `https://${host}/rss`, outlet, title, lead, publishedAt: NOW - hoursAgo * H, seenAt: NOW };
}

describe('story sources', () => {
  it('reads the article store, clusters the same event across outlets, and picks up new articles after the refresh interval', async () => {
    const store = await openStore(`sqlite://${tmp.file('stories.sqlite')}`, silentLogger);
    const articles = createArticleStore(store);
    await articles.put(
      [
        article('k1', 'Kompas', 'kompas.example', 3, 'Gempa magnitudo 5,1 guncang Maluku Tengah', 'Gempa bermagnitudo 5,1 mengguncang Maluku Tengah pada Minggu pagi, tidak berpotensi tsunami.'),
        article('d1', 'Detik', 'detik.example', 2, 'Gempa magnitudo 5,1 guncang Maluku Tengah, tidak berpotensi tsunami', 'BMKG menyatakan gempa magnitudo 5,1 di Maluku Tengah tidak berpotensi tsunami.'),
        article('t1', 'Tempo', 'tempo.example', 1, 'Harga beras naik di Pasar Induk Cipinang', 'Harga beras medium naik menjadi Rp 14.500 per kilogram.'),
        article('old', 'Antara', 'antara.example', 72, 'Berita tiga hari lalu', 'Sudah lama.'),
      ],
      NOW,
    );
    let clock = NOW;
    const source = storeStorySource({ articles, now: () => clock, refreshMs: 60_000 });
    const first = await source.candidatesSince(NOW - 24 * H, NOW);
    expect(first.map((c) => c.id).sort()).toEqual(['d1', 'k1', 't1']);
    const cluster = (id: string): string | undefined => first.find((c) => c.id === id)?.clusterId;
    expect(cluster('k1')).toBe(cluster('d1'));
    expect(cluster('t1')).not.toBe(cluster('k1'));

    await articles.put([article('r1', 'Republika', 'republika.example', 0.5, 'KRL Bogor gangguan, penumpang menumpuk di Manggarai', 'Perjalanan KRL terganggu.')], NOW);
    clock = NOW + 30_000;
    expect((await source.candidatesSince(NOW - 24 * H, NOW)).map((c) => c.id)).not.toContain('r1'); // not re-read yet
    clock = NOW + 61_000;
    expect((await source.candidatesSince(NOW - 24 * H, NOW)).map((c) => c.id)).toContain('r1');
    await store.close();
  });

  it('takes a corpus window as it is, within (since, now]', () => {
    const list = new StoryList([
      { id: 'a', url: 'https://a.example/1', outlet: 'A', title: 'Satu', publishedAt: NOW - 2 * H, clusterId: 'x' },
      { id: 'b', url: 'https://b.example/2', outlet: 'B', title: 'Dua', lead: 'Lead dua.', publishedAt: NOW - H, clusterId: 'x', summary: ['Ringkasan dua.'] },
      { id: 'c', url: 'https://c.example/3', outlet: 'C', title: 'Tiga', publishedAt: NOW + H, clusterId: 'y' },
    ]);
    const source = corpusStorySource(list);
    expect(source.candidatesSince(NOW - 2 * H, NOW)).toEqual([{ id: 'b', url: 'https://b.example/2', outlet: 'B', title: 'Dua', lead: 'Lead dua.', publishedAt: NOW - H, clusterId: 'x', summary: ['Ringkasan dua.'] }]);
  });
});
