import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stem } from '../../../src/core/text/stem.js';

const TABLE = new URL('../../fixtures/summarize/stem-table.txt', import.meta.url);

function readTable(): { dev: [string, string][]; heldout: [string, string][] } {
  const out = { dev: [] as [string, string][], heldout: [] as [string, string][] };
  let section: 'dev' | 'heldout' = 'dev';
  for (const line of readFileSync(TABLE, 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (line === '[dev]' || line === '[heldout]') {
      section = line === '[dev]' ? 'dev' : 'heldout';
      continue;
    }
    const [word, want] = line.split(' ');
    if (word !== undefined && want !== undefined) out[section].push([word, want]);
  }
  return out;
}

describe('stem', () => {
  it.each([
    // particles and possessives
    ['bacalah', 'baca'],
    ['bukunya', 'buku'],
    ['meskipun', 'meski'],
    ['bertemu', 'temu'],
    // derivational suffixes
    ['pertumbuhan', 'tumbuh'],
    ['menangani', 'tangan'],
    ['mengatakan', 'kata'],
    // prefixes with recoding
    ['menulis', 'tulis'],
    ['memukul', 'pukul'],
    ['mengirim', 'kirim'],
    ['mengambil', 'ambil'],
    ['menyapu', 'sapu'],
    ['menolak', 'tolak'],
    ['memakan', 'makan'],
    ['memakai', 'pakai'],
    ['mengebom', 'bom'],
    ['mengekspor', 'ekspor'],
    ['mempelajari', 'ajar'],
    ['memperingatkan', 'ingat'],
    ['diperiksa', 'periksa'],
    ['pemerintahan', 'perintah'],
    ['kepolisian', 'polisi'],
    ['keberhasilan', 'hasil'],
    ['bekerja', 'kerja'],
    ['pelajar', 'ajar'],
    ['perusahaan', 'usaha'],
    ['tersangka', 'sangka'],
    // roots that look affixed stay whole
    ['berita', 'berita'],
    ['pesawat', 'pesawat'],
    ['masalah', 'masalah'],
    ['kemudian', 'kemudian'],
    ['menteri', 'menteri'],
    ['korban', 'korban'],
    ['wartawan', 'wartawan'],
    ['mencapai', 'capai'],
    // reduplication, case, non-words
    ['masing-masing', 'masing'],
    ['tembak-menembak', 'tembak'],
    ['MENGUTUK', 'kutuk'],
    ['2017', '2017'],
    ['dia', 'dia'],
  ])('%s -> %s', (word, want) => {
    expect(stem(word)).toBe(want);
  });

  it('passes every word of the table it was written against', () => {
    const { dev } = readTable();
    expect(dev.length).toBeGreaterThan(400);
    const wrong = dev.filter(([w, want]) => stem(w) !== want).map(([w, want]) => `${w} -> ${stem(w)} (want ${want})`);
    expect(wrong).toEqual([]);
  });

  it('gets at least 90% of a held-out table right', () => {
    const { heldout } = readTable();
    expect(heldout.length).toBeGreaterThan(80);
    const right = heldout.filter(([w, want]) => stem(w) === want).length;
    expect(right / heldout.length).toBeGreaterThanOrEqual(0.9);
  });

  it('is memoized and fast', () => {
    const vocab = readTable().dev.map(([w]) => w);
    const t0 = performance.now();
    for (let r = 0; r < 20; r++) for (const w of vocab) stem(w);
    // 10,000 lookups well under 50 ms once memoized
    expect(performance.now() - t0).toBeLessThan(200);
    expect(stem('memperingatkan')).toBe(stem('memperingatkan'));
  });
});
