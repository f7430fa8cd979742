import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCommands } from '../../../commands/index.js';
import { runConsole } from '../../../src/adapters/console/index.js';
import { silentLogger, testServices } from '../../helpers/services.js';

const SEED = join(import.meta.dirname, '..', '..', 'fixtures', 'seed', '000_15a10b513c55d842.txt');

/** Runs the console over the given input lines and returns everything it printed. */
async function converse(lines: string[], locale: 'id' | 'en' = 'id'): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
  const done = runConsole({ commands: loadCommands(), services: testServices(), logger: silentLogger, input, output, locale, pasteIdleMs: 20 });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return printed;
}

describe('console chat', () => {
  it('reads a local file with /berita and shows summary, quotes and keywords', async () => {
    const out = await converse([`/berita ${SEED}`]);
    expect(out).toContain('Korea Utara Klaim Tidak Pernah Pasok Senjata ke Rusia, dan Meminta AS untuk Diam');
    expect(out).toContain('Ringkasan');
    expect(out).toContain('Kutipan penting');
    expect(out).toMatch(/Kami (mengutuk keras|belum pernah mengekspor)/);
    expect(out).toContain('Kata kunci:');
    expect(out).toContain('Ratusan Demonstran Ditangkap saat Aksi Protes Anti-mobilisasi di Rusia');
    expect(out).not.toContain('Ikuti kami di');
  });

  it('reads pasted multi-line text without a command as /berita', async () => {
    const pasted = [
      'Harga Beras Naik di Pasar Induk',
      '',
      'JAKARTA, KOMPAS.com - Harga beras medium di Pasar Induk Beras Cipinang naik menjadi Rp 14.500 per kilogram pada Senin pagi.',
      'Kenaikan itu dipicu pasokan dari daerah sentra produksi yang berkurang karena musim hujan dan banjir di beberapa daerah.',
      '"Pasokan turun hampir 30 persen dibanding pekan lalu, jadi harga ikut naik," kata Ketua Koperasi Pedagang Pasar Induk, Zulkifli Rasyid.',
      'Pemerintah berencana menggelar operasi pasar untuk menahan kenaikan harga beras hingga akhir bulan.',
    ];
    const out = await converse(pasted);
    expect(out).toContain('Harga Beras Naik di Pasar Induk');
    expect(out).toContain('Pasokan turun hampir 30 persen');
    expect(out).toContain('Zulkifli Rasyid');
  });

  it('answers help, unknown commands and empty input politely and keeps going', async () => {
    const out = await converse(['/help', '/entah', '/berita', '/keluar', '/help']);
    expect(out).toContain('/berita <tautan>');
    expect(out).toContain('Maaf, perintah itu tidak saya kenal.');
    expect(out).toContain('Maaf, tidak ada teks atau tautan yang bisa saya baca.');
    // Nothing after /keluar runs.
    expect(out.split('/berita <tautan>').length).toBe(2);
  });

  it('speaks English when asked', async () => {
    const out = await converse(['/berita banjir rob semarang'], 'en');
    expect(out).toContain('Sorry, there are no stories about “banjir rob semarang” yet.');
  });

  it('finds an article it has read by keywords', async () => {
    const out = await converse([`/berita ${SEED}`, '/berita senjata korea utara rusia']);
    expect(out).toContain('Berita tentang “senjata korea utara rusia”');
  });
});
