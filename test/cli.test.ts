import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

const root = join(import.meta.dirname, '..');
const SEED = join(root, 'test', 'fixtures', 'seed', '000_15a10b513c55d842.txt');

async function run(args: string[], stdinText = '', env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  stdin.end(stdinText);
  const code = await main(args, { stdin, stdout, stderr, env: { LOG_LEVEL: 'silent', ...env } });
  return { code, out, err };
}

describe('ringkas summarize', () => {
  it('prints the seed as JSON with title, editor, dateline, summary, quotes and related', async () => {
    const { code, out } = await run(['summarize', SEED, '--json']);
    expect(code).toBe(0);
    const j = JSON.parse(out) as Record<string, unknown> & { summary: string[]; quotes: { text: string; speaker: string | null }[]; related: { title: string }[]; text: string };
    expect(j['title']).toBe('Korea Utara Klaim Tidak Pernah Pasok Senjata ke Rusia, dan Meminta AS untuk Diam');
    expect(j['editor']).toBe('Adjeng Hatalea');
    expect(j['dateline']).toBe('Pyongyang');
    expect(j.summary.length).toBeGreaterThan(0);
    expect(j.summary.length).toBeLessThanOrEqual(4);
    expect(j.summary.join(' ')).not.toContain('TRIBUNAMBON.COM');
    for (const chrome of ['Editor:', 'Ikuti kami di', 'Berita Terkait', 'Berita Populer', 'All Right Reserved', 'AFP PHOTO', 'Baca juga']) {
      expect(j.text).not.toContain(chrome);
    }
    expect(j.text).toContain('PYONGYANG, TRIBUNAMBON.COM - Korea Utara mengutuk');
    expect(j.text.split('\n\n').length).toBeGreaterThan(10);
    // The headline's side speaks first: both of the North Korean official's statements lead.
    expect(j.quotes.slice(0, 3).map((q) => q.text.split(' ').slice(0, 3).join(' '))).toEqual(['Kami belum pernah', 'Kami mengutuk keras', 'tidak ada indikasi']);
    expect(j.quotes[1]?.speaker).toBe('pejabat pertahanan Korea Utara');
    expect(j.quotes.some((q) => q.text.startsWith('tidak ada indikasi') && q.speaker === 'John Kirby')).toBe(true);
    expect(j.quotes.some((q) => q.speaker === 'Kim Jong Un') && j.quotes.some((q) => q.speaker === 'Vladimir Putin')).toBe(true);
    expect(j.quotes.some((q) => q.text.startsWith('sedang dalam proses membeli') && q.speaker === 'Vedant Patel')).toBe(true);
    expect(j.related.map((r) => r.title)).toContain('Ratusan Demonstran Ditangkap saat Aksi Protes Anti-mobilisasi di Rusia');
  });

  it('prints a readable reading and honours --sentences', async () => {
    const { code, out } = await run(['summarize', SEED, '--sentences', '2']);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('Korea Utara Klaim Tidak Pernah Pasok Senjata ke Rusia, dan Meminta AS untuk Diam');
    expect(out.match(/^• /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(out).toContain('“Kami mengutuk keras');
    expect(out).toContain('— pejabat pertahanan Korea Utara');
    expect(out).toContain('— John Kirby');
  });

  it('reads standard input with "-"', async () => {
    const { code, out } = await run(['summarize', '-', '--json'], 'Banjir Rob Rendam Pesisir Semarang\n\nSEMARANG, KOMPAS.com - Banjir rob merendam ratusan rumah di pesisir Semarang pada Selasa pagi. Air laut naik hingga 60 sentimeter.\n\nWarga mengungsi ke balai desa terdekat sejak subuh karena air terus naik.');
    expect(code).toBe(0);
    expect((JSON.parse(out) as { title: string }).title).toBe('Banjir Rob Rendam Pesisir Semarang');
  });

  it('fails politely on a missing file, an empty input and a bad option', async () => {
    const missing = await run(['summarize', '/no/such/file.txt']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('[FILE_NOT_FOUND]');
    const empty = await run(['summarize', '-'], '   ');
    expect(empty.code).toBe(1);
    expect(empty.err).toContain('[EMPTY_INPUT]');
    const bad = await run(['summarize', SEED, '--sentences', 'banyak']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--sentences');
    const priv = await run(['summarize', 'http://127.0.0.1:8123/berita']);
    expect(priv.code).toBe(1);
    expect(priv.err).toContain('[PRIVATE_ADDRESS]');
  });
});

describe('ringkas batch', () => {
  it('keeps input order, fills related from the other documents and reports failing lines', async () => {
    const lines = [
      JSON.stringify({ id: 'a', title: 'Korea Utara bantah pasok senjata ke Rusia', text: 'Korea Utara membantah memasok senjata dan amunisi ke Rusia untuk perang di Ukraina. Pyongyang menyebut tuduhan Amerika Serikat sebagai rumor. Pejabat pertahanan Korea Utara mengatakan negaranya tidak pernah mengekspor senjata ke Rusia.' }),
      'not json',
      JSON.stringify({ id: 'b', title: 'Harga cabai naik di Jakarta', text: 'Harga cabai rawit di pasar tradisional Jakarta naik menjadi Rp 80.000 per kilogram. Pedagang menyebut pasokan dari petani berkurang karena hujan. Pemerintah daerah berencana menggelar operasi pasar.' }),
      JSON.stringify({ id: 'c', title: 'AS tuding Rusia beli senjata Korea Utara', text: 'Amerika Serikat menuduh Rusia membeli jutaan peluru artileri dan roket dari Korea Utara. Korea Utara membantah tuduhan senjata itu. Rusia juga membantah dan meminta bukti dari Amerika Serikat tentang senjata tersebut.' }),
      JSON.stringify({ id: 'd' }),
    ];
    const { code, out } = await run(['batch'], `${lines.join('\n')}\n`);
    expect(code).toBe(0);
    const rows = out.trim().split('\n').map((l) => JSON.parse(l) as { id: string; related?: { id?: string; score: number }[]; error?: { code: string; message: string }; summary?: string[]; text?: string });
    expect(rows.map((r) => r.id)).toEqual(['a', 'line-2', 'b', 'c', 'd']);
    expect(rows[1]?.error?.code).toBe('BAD_INPUT');
    expect(rows[4]?.error?.code).toBe('BAD_INPUT');
    expect(rows[0]?.related?.[0]?.id).toBe('c');
    expect(rows[0]?.related?.some((r) => r.id === 'a')).toBe(false);
    expect(rows[3]?.related?.[0]?.id).toBe('a');
    expect(rows[2]?.summary?.length).toBeGreaterThan(0);
  });
});

describe('the ringkas bin', () => {
  it.skipIf(!existsSync(join(root, 'dist', 'src', 'cli.js')))('runs through npx --offline in the checkout', async () => {
    const { stdout } = await promisify(execFile)('npx', ['--offline', 'ringkas', '--version'], { cwd: root });
    expect(stdout.trim()).toBe('ringkas 0.1.0');
  }, 90_000);
});
