/**
 * `ringkas digest --dry-run`: the digest that would be posted, from the articles in a real SQLite
 * store (as the corpus writes them), clustered as the corpus clusters them; nothing is posted.
 */
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { cmdDigest } from '../../src/cli/digest.js';
import { createArticleStore } from '../../src/adapters/store/articles.js';
import { openStore } from '../../src/adapters/store/index.js';
import { createSubscriptionStore } from '../../src/adapters/store/subscriptions.js';
import { createDeliveryLedger } from '../../src/adapters/store/deliveries.js';
import { sharedState } from '../../src/adapters/scheduler/coordinator.js';
import type { CorpusArticle } from '../../src/core/corpus/news-corpus.js';
import { subscription, tempDir } from '../helpers/digest-fakes.js';
import { silentLogger } from '../helpers/services.js';

const tmp = tempDir('ringkas-digest-cli-');
afterAll(() => tmp.remove());

const NOW = Date.parse('2026-11-30T00:00:00Z'); // 07:00 WIB
const H = 3600_000;

function article(id: string, outlet: string, host: string, hoursAgo: number, title: string, lead: string): CorpusArticle {
  const url = `https://${host}/berita/${id}`;
  return { id, url, key: `${host}/berita/${id}`, feedUrl: `https://${host}/rss`, outlet, title, lead, publishedAt: NOW - hoursAgo * H, seenAt: NOW - hoursAgo * H };
}

async function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await cmdDigest(args, { stdout, stderr, env: { LOG_LEVEL: 'silent', ...env } }, silentLogger);
  return { code, out, err };
}

describe('ringkas digest --dry-run', () => {
  it('prints the digest from the stored articles, one item per story, in Indonesian, in the zone asked', async () => {
    const file = tmp.file('corpus.sqlite');
    const store = await openStore(`sqlite://${file}`, silentLogger);
    await createArticleStore(store).put(
      [
        article('a1', 'Kompas', 'www.kompas.com', 3, 'Banjir rendam ratusan rumah di Semarang', 'Banjir merendam ratusan rumah di pesisir Semarang sejak Minggu malam. Warga mengungsi ke balai desa.'),
        article('a2', 'Detik', 'news.detik.com', 2, 'Banjir rendam ratusan rumah di Semarang, warga mengungsi', 'Ratusan rumah di pesisir Semarang terendam banjir sejak Minggu malam.'),
        article('a3', 'Tempo', 'nasional.tempo.co', 1, 'Harga beras naik di Pasar Induk Cipinang', 'Harga beras medium naik menjadi Rp 14.500 per kilogram.'),
        article('a4', 'Antara', 'www.antaranews.com', 30, 'Berita dua hari lalu', 'Sudah lewat dari jendela ringkasan.'),
      ],
      NOW,
    );
    await createSubscriptionStore(store).put(subscription({ platform: 'telegram', channelId: '-100', time: '07:00', topics: ['beras'] }));
    await store.close();
    const env = { STORE_URL: `sqlite://${file}` };

    const plain = await run(['--dry-run', '--time', '07:00', '--timezone', 'WIB', '--now', '2026-11-29T23:30:00Z'], env);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('Ringkasan Berita, Senin 30 November 2026');
    expect(plain.out).toContain('Banjir rendam ratusan rumah di Semarang');
    expect(plain.out).toContain('diberitakan 2 media');
    expect(plain.out).toContain('Harga beras naik di Pasar Induk Cipinang');
    expect(plain.out).not.toContain('Berita dua hari lalu');
    expect(plain.out).toContain('2 berita · waktu WIB · Ringkas');
    expect(plain.err).toContain('07.00 WIB 2026-11-30: 2 of 3 stories published since 2026-11-29T00:00:00.000Z (as the store holds them now)');

    const json = JSON.parse((await run(['--dry-run', '--time', '09:00', '--timezone', 'WIT', '--lang', 'en', '--json', '--now', '2026-11-29T23:30:00Z'], env)).out) as { title: string; footer: string };
    expect(json).toMatchObject({ title: 'News Digest, Monday 30 November 2026', footer: '2 stories · WIT time · Ringkas' });

    // From a stored subscription: its topics, and only since its previous digest.
    const bySub = await run(['--dry-run', '--subscription', 'telegram:-100', '--now', '2026-11-29T23:30:00Z'], env);
    expect(bySub.out).toContain('Topik: beras');
    expect(bySub.out).toContain('Harga beras naik');
    expect(bySub.out).not.toContain('Banjir');
    const again = await openStore(`sqlite://${file}`, silentLogger);
    await createDeliveryLedger(sharedState(again)).finish({
      key: 'telegram:-100|2026-11-29|23:45', subscription: 'telegram:-100', date: '2026-11-29', time: '23:45', timeZone: 'Asia/Jakarta',
      slotAt: NOW - 0.5 * H, state: 'sent', owner: 'x', attempts: 1, createdAt: 0, updatedAt: 0, composedAt: NOW - 0.5 * H, sentAt: NOW - 0.5 * H,
    });
    await again.close();
    const sinceLast = await run(['--dry-run', '--subscription', 'telegram:-100', '--now', '2026-11-29T23:30:00Z'], env);
    expect(sinceLast.out).toContain('Belum ada berita baru yang cocok sejak ringkasan terakhir.');

    const telegram = await run(['--dry-run', '--platform', 'telegram', '--now', '2026-11-30T00:00:00Z'], env);
    expect(telegram.out).toMatch(/<b>Ringkasan Berita, Senin 30 November 2026<\/b>/);
    expect(telegram.out).toContain('<a href="https://nasional.tempo.co/berita/a3">');
  });

  it('says honestly that there is nothing yet when no store exists, and creates none', async () => {
    const file = tmp.file('absent.sqlite');
    const r = await run(['--dry-run', '--time', '07:00'], { STORE_URL: `sqlite://${file}` });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Belum ada berita baru yang cocok sejak ringkasan terakhir.');
    expect(r.err).toContain('no store at');
    const { existsSync } = await import('node:fs');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses to run without --dry-run and explains bad options', async () => {
    expect((await run([], {})).code).toBe(2);
    expect((await run(['--dry-run', '--time', '25:00'], { STORE_URL: 'memory://' })).err).toContain('--time "25:00" is not a time of day');
    expect((await run(['--dry-run', '--timezone', 'Mars/Base'], { STORE_URL: 'memory://' })).err).toContain('unknown time zone "Mars/Base"');
  });
});
