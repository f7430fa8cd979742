import { describe, expect, it } from 'vitest';
import { NewsIndex, indexTerms } from '../../../src/core/related.js';

describe('NewsIndex (ringkas batch, the in-memory search) over the corpus index', () => {
  const docs = [
    { id: 'a', title: 'Korea Utara bantah pasok senjata ke Rusia', text: 'Korea Utara membantah memasok senjata dan amunisi ke Rusia untuk perang di Ukraina. Pyongyang menyebut tuduhan Amerika Serikat sebagai rumor. Pejabat pertahanan Korea Utara mengatakan negaranya tidak pernah mengekspor senjata ke Rusia.' },
    { id: 'b', title: 'Harga cabai naik di Jakarta', text: 'Harga cabai rawit di pasar tradisional Jakarta naik menjadi Rp 80.000 per kilogram. Pedagang menyebut pasokan dari petani berkurang karena hujan. Pemerintah daerah berencana menggelar operasi pasar.' },
    { id: 'c', title: 'AS tuding Rusia beli senjata Korea Utara', text: 'Amerika Serikat menuduh Rusia membeli jutaan peluru artileri dan roket dari Korea Utara. Korea Utara membantah tuduhan senjata itu. Rusia juga membantah dan meminta bukti dari Amerika Serikat tentang senjata tersebut.' },
    { id: 'a-copy', title: 'Korea Utara bantah pasok senjata ke Rusia', text: 'Korea Utara membantah memasok senjata dan amunisi ke Rusia untuk perang di Ukraina. Pyongyang menyebut tuduhan Amerika Serikat sebagai rumor.' },
  ];

  it('relates documents of one story, leaves out the document itself and its copies', () => {
    const index = new NewsIndex();
    for (const d of docs) index.add(d);
    expect(index.size).toBe(4);
    const rel = index.relatedTo('a', 5);
    expect(rel[0]?.id).toBe('c');
    expect(rel.some((r) => r.id === 'a' || r.id === 'a-copy')).toBe(false);
    expect(rel.every((r) => r.score > 0 && r.score <= 1)).toBe(true);
    expect(index.relatedTo('c', 5)[0]?.id).toMatch(/^a/);
    expect(index.relatedTo('b', 5)).toEqual([]);
  });

  it('searches with stemming and removes documents', () => {
    const index = new NewsIndex();
    for (const d of docs) index.add(d);
    expect(index.search('persenjataan Korea', 5)[0]?.title).toMatch(/Korea Utara/);
    expect(index.search('cabai', 5).map((h) => h.id)).toEqual(['b']);
    index.remove('b');
    expect(index.has('b')).toBe(false);
    expect(index.search('cabai', 5)).toEqual([]);
  });

  it('prefers nearby dates when documents have them, and mixes dated and undated documents', () => {
    const index = new NewsIndex();
    const day = 24 * 3600_000;
    // Other news, so that "banjir" and "Bekasi" are words that tell stories apart.
    const others = ['Harga cabai naik di pasar', 'Timnas menang atas Vietnam', 'KPK periksa bupati', 'Kereta cepat tambah jadwal', 'Rupiah melemah terhadap dolar', 'Gempa guncang Garut'];
    others.forEach((t, i) => index.add({ id: `x${i}`, title: t, text: `${t} pada pekan ini.`, publishedAt: 100 * day }));
    index.add({ id: 'q', title: 'Banjir rendam Bekasi', text: 'Banjir merendam ribuan rumah di Bekasi setelah hujan deras.', publishedAt: 100 * day });
    // As close in words to the query as 'near', but a hundred days away.
    index.add({ id: 'old', title: 'Pengungsi banjir Bekasi butuh air bersih', text: 'Posko pengungsian banjir di Bekasi kekurangan air bersih dan selimut.', publishedAt: 0 });
    index.add({ id: 'near', title: 'Pengungsi banjir Bekasi butuh air bersih', text: 'Posko pengungsian banjir di Bekasi kekurangan air bersih dan selimut.', publishedAt: new Date(101 * day).toISOString() });
    index.add({ id: 'undated', title: 'Tanggul jebol, Bekasi banjir', text: 'Banjir di Bekasi meluas setelah tanggul jebol dan hujan deras.' });
    const ids = index.relatedTo('q', 3).map((h) => h.id);
    // Same words, a day away vs a hundred days away: the nearer one first.
    expect(ids.indexOf('near')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('near')).toBeLessThan(ids.indexOf('old') < 0 ? 99 : ids.indexOf('old'));
    // An undated story is neither favoured nor pushed away by time.
    expect(ids).toContain('undated');
  });

  it('keeps indexTerms for other callers', () => {
    expect(indexTerms('Para pedagang menjual cabai di pasar')).toEqual(['dagang', 'jual', 'cabai', 'pasar']);
  });
});
