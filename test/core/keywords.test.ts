import { describe, expect, it } from 'vitest';
import { keywordsFromText } from '../../src/core/keywords.js';

const SEED_TITLE = 'Korea Utara Klaim Tidak Pernah Pasok Senjata ke Rusia, dan Meminta AS untuk Diam';
const SEED_BODY = [
  'Korea Utara mengutuk Amerika Serikan (AS) atas tuduhan transfer senjata ke Rusia untuk perang dengan Ukraina.',
  'Korea Utara mengeklaim tidak pernah memasok senjata ke Rusia, dan tuduhan itu menodai citra negara itu.',
  'Dalam sebuah pernyataan yang dirilis oleh Kantor Berita Pusat Korea pada hari Kamis, seorang pejabat pertahanan Korea Utara yang tidak disebutkan namanya mengatakan Amerika Serikat dan pasukan musuh lainnya "menyebarkan \'rumor tentang kesepakatan senjata\'" antara Pyongyang dan Moskow.',
  '“Kami mengutuk keras dan dengan tegas memperingatkan AS atas penyebaran retorika anti-DPRK semacam itu,” kata pejabat itu, menggunakan singkatan nama resmi untuk Korea Utara.',
  '“Kami belum pernah mengekspor senjata atau amunisi ke Rusia sebelumnya dan kami tidak akan berencana untuk mengekspornya,” tambah pejabat itu.',
  'Penolakan itu muncul beberapa minggu setelah Vedant Patel, wakil juru bicara Departemen Luar Negeri AS, mengatakan kepada wartawan bahwa Rusia “sedang dalam proses membeli jutaan roket dan peluru artileri dari Korea Utara untuk digunakan di Ukraina”.',
  'Gedung Putih kemudian menyebutnya sebagai "pembelian potensial", dengan juru bicara keamanan nasional John Kirby mengklarifikasi bahwa "tidak ada indikasi bahwa pembelian telah selesai dan tentu saja tidak ada indikasi bahwa senjata itu digunakan di dalam Ukraina".',
  'Awal bulan ini, laporan intelijen yang baru dibuka dari AS mengatakan Rusia membeli jutaan peluru artileri dan roket dari Korea Utara, tetapi tidak merincinya.',
];

describe('keywords', () => {
  it('puts names and noun phrases first and keeps 5-10', () => {
    const kw = keywordsFromText(SEED_TITLE, SEED_BODY, { speakers: ['pejabat pertahanan Korea Utara', 'Vedant Patel', 'John Kirby'] });
    expect(kw.length).toBeGreaterThanOrEqual(5);
    expect(kw.length).toBeLessThanOrEqual(10);
    expect(kw[0]).toBe('Korea Utara');
    expect(kw).toContain('Rusia');
    expect(kw).toContain('senjata');
    expect(kw).toContain('Vedant Patel');
    // No sentence-opening common words, days or bare parts of longer names.
    for (const bad of ['Kamis', 'Korea', 'Utara', 'Kami', 'Dalam', 'Penolakan', 'Awal', 'Kantor Berita Pusat Korea']) expect(kw).not.toContain(bad);
  });

  it('returns few or none for text without content', () => {
    expect(keywordsFromText('', [])).toEqual([]);
    expect(keywordsFromText('', ['dan yang di ke dari'])).toEqual([]);
  });
});
