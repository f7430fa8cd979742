import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmdFeeds } from '../../src/cli/feeds.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import { silentLogger } from '../helpers/services.js';

const antara = readFileSync(new URL('../fixtures/feeds/antara-mainpage.rss.xml', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'ringkas-feeds-cli-'));
let site: NewsServer;

beforeAll(async () => {
  site = await startNewsServer({
    '/antara.xml': { contentType: 'application/rss+xml', body: antara },
    '/rusak.xml': { contentType: 'application/rss+xml', body: antara.slice(0, 3000) },
  });
});
afterAll(async () => {
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await cmdFeeds(args, { stdout, stderr, env }, silentLogger);
  return { code, out, err };
}

describe('ringkas feeds', () => {
  const env = (): Record<string, string> => ({
    STORE_URL: `sqlite://${join(dir, 'r.sqlite')}`,
    FEEDS: `${site.url('/antara.xml')},${site.url('/rusak.xml')}`,
    FETCH_ALLOW_PRIVATE: 'true',
    // The fixture is from 2015: keep it inside the window.
    RETENTION_DAYS: '10000',
  });

  it('lists feeds that were never read', async () => {
    const { code, out } = await run(['--lang', 'en'], env());
    expect(code).toBe(0);
    expect(out).toMatch(/^feed\s+outlet\s+health/);
    expect(out.match(/never read/g)).toHaveLength(2);
  });

  it('--poll reads them, keeps their health, and --json prints it', async () => {
    const polled = await run(['--poll', '--lang', 'en'], env());
    expect(polled.code).toBe(0);
    expect(polled.out).toMatch(/^Read 2 feeds: 1 ok, 0 not modified, 0 skipped, 1 failed; 20 new articles\./);
    expect(polled.out).toMatch(/MALFORMED_FEED/);
    const { code, out } = await run(['--json'], env());
    expect(code).toBe(0);
    const json = JSON.parse(out) as { feeds: { url: string; health: string; itemsSeen: number; lastError?: { code: string } }[] };
    const good = json.feeds.find((f) => f.url === site.url('/antara.xml'));
    const bad = json.feeds.find((f) => f.url === site.url('/rusak.xml'));
    expect(good).toMatchObject({ health: 'ok', itemsSeen: 20 });
    expect(bad).toMatchObject({ health: 'waiting', lastError: { code: 'MALFORMED_FEED' } });
  });

  it('says clearly when the store cannot be opened', async () => {
    const { code, err } = await run([], { ...env(), STORE_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(err).toMatch(/Penyimpanan redis:\/\/127\.0\.0\.1:1 tidak bisa dibuka: .*\[STORE_UNAVAILABLE\]/);
  });
});
