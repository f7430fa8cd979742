import { describe, expect, it } from 'vitest';
import { composeDigest, digestTitle, digestToReply, type DigestCandidate } from '../../src/core/digest.js';

const NOW = Date.parse('2026-11-30T00:00:00Z'); // 07.00 WIB, Monday 30 November 2026
const H = 3600_000;

function c(id: string, cluster: string, outlet: string, hoursAgo: number, title: string, lead = ''): DigestCandidate {
  return { id, clusterId: cluster, outlet, publishedAt: NOW - hoursAgo * H, title, url: `https://${outlet.toLowerCase()}.id/${id}`, lead };
}

const corpus: DigestCandidate[] = [
  c('1', 'banjir', 'Kompas', 3, 'Banjir rendam ratusan rumah di Semarang', 'Banjir merendam ratusan rumah di pesisir Semarang sejak Minggu malam. Warga mengungsi ke balai desa. Air mulai surut pagi ini.'),
  c('2', 'banjir', 'Detik', 2, 'Ratusan rumah di Semarang terendam banjir'),
  c('3', 'banjir', 'Antara', 4, 'Semarang dilanda banjir, warga mengungsi'),
  c('4', 'beras', 'Tempo', 1, 'Harga beras naik di Pasar Induk Cipinang', 'Harga beras medium naik menjadi Rp 14.500 per kilogram.'),
  c('5', 'bola', 'Kompas', 5, 'Timnas Indonesia menang 2-0 atas Vietnam', 'Timnas Indonesia menang dua gol tanpa balas.'),
  c('6', 'bola', 'Tempo', 6, 'Indonesia kalahkan Vietnam 2-0'),
  c('7', 'lama', 'Kompas', 30, 'Berita kemarin lusa yang sudah lewat'),
  c('8', 'masa-depan', 'Detik', -2, 'Berita bertanggal masa depan'),
];

describe('composeDigest', () => {
  it('keeps one item per story, ranked by how many outlets carry it, inside the window', () => {
    const d = composeDigest(corpus, { now: NOW, since: NOW - 48 * H, locale: 'id', timeZone: 'Asia/Jakarta' });
    expect(d.title).toBe('Ringkasan Berita, Senin 30 November 2026');
    expect(d.items.map((i) => i.title)).toEqual([
      'Banjir rendam ratusan rumah di Semarang',
      'Timnas Indonesia menang 2-0 atas Vietnam',
      'Harga beras naik di Pasar Induk Cipinang',
    ]);
    expect(d.items[0]?.outlets).toEqual(['Kompas', 'Detik', 'Antara']);
    expect(d.items[0]?.summary).toBe('Banjir merendam ratusan rumah di pesisir Semarang sejak Minggu malam. Warga mengungsi ke balai desa.');
    expect(d.since).toBe(NOW - 24 * H);
  });

  it('filters by topics, with stemming, and only since the last digest', () => {
    const d = composeDigest(corpus, { now: NOW, since: NOW - 48 * H, topics: ['harga beras'], locale: 'id', timeZone: 'Asia/Jakarta' });
    expect(d.items.map((i) => i.title)).toEqual(['Harga beras naik di Pasar Induk Cipinang']);
    const recent = composeDigest(corpus, { now: NOW, since: NOW - 2.5 * H, locale: 'id', timeZone: 'Asia/Jakarta' });
    expect(recent.items.map((i) => i.title)).toEqual(['Harga beras naik di Pasar Induk Cipinang', 'Ratusan rumah di Semarang terendam banjir']);
  });

  it('renders a Reply with outlets, times in the zone and the header in English too', () => {
    const d = composeDigest(corpus, { now: NOW, since: NOW - 24 * H, locale: 'en', timeZone: 'Asia/Jayapura' });
    expect(digestTitle(NOW, 'Asia/Jayapura', 'en')).toBe('News Digest, Monday 30 November 2026');
    const r = digestToReply(d);
    const block = r.blocks[0];
    expect(block?.type).toBe('links');
    if (block?.type !== 'links') return;
    expect(block.items[0]?.note).toContain('Kompas, Detik, Antara · reported by 3 outlets · 07:00');
    expect(r.footer).toBe('3 stories · WIT time · Ringkas');
    const empty = digestToReply(composeDigest([], { now: NOW, since: NOW - H, locale: 'id', timeZone: 'Asia/Jakarta' }));
    expect(empty.blocks[0]).toEqual({ type: 'text', text: 'Belum ada berita baru yang cocok sejak ringkasan terakhir.' });
  });
});
