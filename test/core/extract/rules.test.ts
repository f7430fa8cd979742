import { describe, expect, it } from 'vitest';
import { BOILERPLATE_RULES, endsWithSignoff, labelSegments, matchLabels, matchRule, splitCredit } from '../../../src/core/extract/rules.js';

function action(text: string): string | undefined {
  return matchRule(text)?.rule.action;
}

describe('the boilerplate table', () => {
  it('has unique rule ids', () => {
    const ids = BOILERPLATE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('turns "Baca juga" lines into links, with the title captured', () => {
    expect(matchRule('Baca juga: Ratusan Demonstran Ditangkap saat Aksi Protes')).toMatchObject({ rule: { action: 'link' }, value: 'Ratusan Demonstran Ditangkap saat Aksi Protes' });
    expect(matchRule('BACA JUGA: Harga Emas Naik')?.value).toBe('Harga Emas Naik');
    expect(matchRule('Simak juga - Video Banjir Jakarta')?.rule.action).toBe('link');
    expect(matchRule('Lihat Juga » Kisah Nelayan')?.value).toBe('Kisah Nelayan');
    expect(action('Baca Juga')).toBe('linkHeading');
    expect(action('Baca juga:')).toBe('linkHeading');
  });

  it('knows who wrote and edited', () => {
    expect(matchRule('Editor: Adjeng Hatalea')).toMatchObject({ rule: { action: 'editor' }, value: 'Adjeng Hatalea' });
    expect(matchRule('Penulis : Andi')).toMatchObject({ rule: { action: 'byline' }, value: 'Andi' });
    expect(matchRule('Reporter: Budi')?.rule.action).toBe('byline');
    expect(matchRule('Laporan Wartawan Tribunnews.com, Fransiskus Adhiyuda')).toMatchObject({ rule: { action: 'byline' }, value: 'Fransiskus Adhiyuda' });
    expect(matchRule('Red: Yudha Manggala P Putra')?.value).toBe('Yudha Manggala P Putra');
    expect(labelSegments('Penulis: A | Editor: B')?.map((m) => [m.rule.action, m.value])).toEqual([['byline', 'A'], ['editor', 'B']]);
    expect(matchLabels('Editor: Siti')?.[0]?.value).toBe('Siti');
    expect(matchLabels('Harga naik | kata dia')).toBeUndefined();
  });

  it.each([
    ['Berita Terkait', 'relatedHeading'],
    ['Berita Terkini', 'relatedHeading'],
    ['Berita Populer', 'relatedHeading'],
    ['Jangan Lewatkan', 'relatedHeading'],
    ['Ikuti kami di', 'drop'],
    ['Follow Berita Okezone di Google News', 'drop'],
    ['Download aplikasi Kompas.com untuk berita terkini', 'drop'],
    ['Bagikan', 'drop'],
    ['AA', 'drop'],
    ['ADVERTISEMENT', 'drop'],
    ['SCROLL TO CONTINUE WITH CONTENT', 'drop'],
    ['Halaman selanjutnya', 'drop'],
    ['| 1.229 Views', 'drop'],
    ['Credits (2)', 'drop'],
    ['Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses berita Kompas.com WhatsApp Channel', 'drop'],
    ['© 2025 TRIBUNnews.com Network,a subsidiary of KG Media.', 'end'],
    ['COPYRIGHT © ANTARA 2015', 'end'],
    ['All Right Reserved', 'end'],
    ['Artikel ini telah tayang di Tribunnews.com dengan judul X', 'end'],
    ['(fyk/ash)', 'signoff'],
    ['(*)', 'signoff'],
    ['Foto: Antara/Sigid Kurniawan', 'credit'],
  ])('%s -> %s', (text, expected) => {
    expect(action(text)).toBe(expected);
  });

  it('leaves story sentences alone', () => {
    for (const text of [
      'Korea Utara mengeklaim tidak pernah memasok senjata ke Rusia, dan tuduhan itu menodai citra negara itu.',
      'Berita itu menyebar cepat di media sosial.',
      'Ikuti perkembangan kasus ini, kata polisi, karena penyelidikan belum selesai dan masih ada saksi yang harus diperiksa pekan depan di Jakarta.',
      'Langganan listrik rumah tangga naik bulan ini.',
      'Editor senior itu mengatakan redaksi tetap independen.',
      'Bagikan bantuan kepada warga terdampak banjir segera, kata gubernur kepada wartawan di lokasi.',
    ]) expect(matchRule(text)).toBeUndefined();
  });

  it('ignores long blocks and stays fast on hostile ones', () => {
    expect(matchRule(`Baca juga: ${'x'.repeat(1000)}`)).toBeUndefined();
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) matchRule(`${'Baca '.repeat(70)}`);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('photo credits', () => {
  it('splits a credit off a caption', () => {
    expect(splitCredit('Petugas memantau abu vulkanik Gunung Rinjani. (ANTARA FOTO/Budi Setya)')).toEqual({ caption: 'Petugas memantau abu vulkanik Gunung Rinjani.', credit: 'ANTARA FOTO/Budi Setya' });
    expect(splitCredit('(AFP PHOTO / HANDOUT / KCTV)')).toEqual({ caption: '', credit: 'AFP PHOTO / HANDOUT / KCTV' });
    expect(splitCredit('Brandon Salim/©KapanLagi.com®/M. Akrom Sukarya')).toEqual({ caption: 'Brandon Salim', credit: 'KapanLagi.com / M. Akrom Sukarya' });
    expect(splitCredit('Galaxy S6 Edge & S6 (ist)')).toEqual({ caption: 'Galaxy S6 Edge & S6', credit: 'ist' });
    expect(splitCredit('Presiden meninjau lokasi banjir. Foto: Antara/Sigid')).toEqual({ caption: 'Presiden meninjau lokasi banjir.', credit: 'Antara/Sigid' });
    expect(splitCredit('KOMPAS.COM/MASRIADI Penyidik Polres menyerahkan senjata', 'loose')).toEqual({ caption: 'Penyidik Polres menyerahkan senjata', credit: 'KOMPAS.COM/MASRIADI' });
    expect(splitCredit('Antara/Teresia May', 'loose')).toEqual({ caption: '', credit: 'Antara/Teresia May' });
  });

  it('does not take dates, sign-offs or sources for photo credits', () => {
    expect(splitCredit('Rapat digelar di Jakarta, Jumat (12/2).')).toBeUndefined();
    expect(splitCredit('Samsung menyarankan update. (fyk/ash)')).toBeUndefined();
    expect(splitCredit('Pemerintah membantah laporan itu. (Antara)', 'photo')).toBeUndefined();
    expect(splitCredit('Pemerintah membantah laporan itu kepada kantor berita (AFP).', 'photo')).toBeUndefined();
  });

  it('knows a sign-off at the end of the last paragraph', () => {
    expect(endsWithSignoff('... terhadap Pyongyang.(*)')).toBe(true);
    expect(endsWithSignoff('... akhir tahun. (fyk/ash)')).toBe(true);
    expect(endsWithSignoff('... kepada Amerika Serikat (AS)')).toBe(false);
  });
});

describe('more newsroom chrome', () => {
  it.each([
    ['Pilihan Editor: Menteri Keuangan Umumkan Paket Stimulus', 'link'],
    ['Artikel terkait: Harga BBM Naik', 'link'],
    ['Dilarang keras mengambil konten, melakukan crawling atau pengindeksan otomatis untuk AI di situs web ini tanpa izin tertulis dari Kantor Berita ANTARA.', 'end'],
    ['Halaman 1 2 3 Selanjutnya', 'drop'],
    ['Halaman 2 dari 3', 'drop'],
    ['« 1 2 3 »', 'drop'],
    ['[Gambas:Video 20detik]', 'drop'],
    ['Tags: banjir, jakarta, bmkg', 'drop'],
    ['Baca berita dengan sedikit iklan, klik di sini', 'drop'],
  ])('%s -> %s', (text, expected) => {
    expect(matchRule(text)?.rule.action).toBe(expected);
  });

  it('keeps the pager rule linear on long digit runs', () => {
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) matchRule(`${'1'.repeat(79)}x`);
    for (let i = 0; i < 100; i++) matchRule(`${'1 '.repeat(39)}x`);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(matchRule('Halaman ini memuat 3 foto.')).toBeUndefined();
  });
});
