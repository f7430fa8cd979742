/**
 * `npm start` as an operator runs it: the compiled bin, configured only through the environment,
 * talking to a loopback Telegram, storing in a real SQLite file, stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'ringkas.js');
const built = existsSync(join(root, 'dist', 'src', 'cli.js'));
const fixtures = join(root, 'test', 'fixtures');

let tg: FakeTelegram;
let site: NewsServer;
let dir: string;

beforeAll(async () => {
  tg = await startFakeTelegram();
  site = await startNewsServer({
    '/berita': { contentType: 'text/html; charset=utf-8', body: readFileSync(join(fixtures, 'pages', 'antara-singlepage.html')) },
    '/rss': { contentType: 'application/rss+xml; charset=utf-8', body: readFileSync(join(fixtures, 'feeds', 'tempo-ekonomi.xml')) },
  });
  dir = mkdtempSync(join(tmpdir(), 'ringkas-start-'));
});

afterAll(async () => {
  await tg.close();
  await site.close();
  rmSync(dir, { recursive: true, force: true });
});

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe.skipIf(!built)('npm start (the compiled bot) with a Telegram token', () => {
  it('answers /berita over the Bot API, keeps subscriptions in SQLite, and stops cleanly on SIGTERM', async () => {
    const secretToken = tg.token;
    const env = {
      PATH: process.env['PATH'] ?? '',
      TELEGRAM_BOT_TOKEN: secretToken,
      TELEGRAM_API_ROOT: tg.apiRoot,
      STORE_URL: `sqlite://${join(dir, 'ringkas.sqlite')}`,
      FETCH_ALLOW_PRIVATE: 'true',
      // A loopback feed (Tempo's, from June 2026: the retention window is widened to keep it).
      FEEDS: site.url('/rss'),
      RETENTION_DAYS: '3650',
      LOG_LEVEL: 'info',
    };
    const start = (): { child: ChildProcess; logs: () => string } => {
      const child = spawn(process.execPath, [bin, 'bot'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let logs = '';
      child.stdout?.on('data', (c: Buffer) => (logs += c.toString('utf8')));
      child.stderr?.on('data', (c: Buffer) => (logs += c.toString('utf8')));
      return { child, logs: () => logs };
    };

    const first = start();
    const alice = tg.user({ first_name: 'Alice' });
    const chat = tg.privateChat(alice);
    await tg.sendText(alice, chat, `/berita ${site.url('/berita')}`);
    const [reading] = await tg.waitForMessages(chat.id, 1, 30_000);
    expect(reading?.text).toContain('29 penerbangan Bandara Internasional Lombok dibatalkan');
    await tg.sendText(alice, chat, '/digest 06:30 WITA');
    const [, subscribed] = await tg.waitForMessages(chat.id, 2, 30_000);
    expect(subscribed?.text).toContain('pukul 06.30 WITA');
    // The feed was polled at start: keywords find its stories.
    await tg.sendText(alice, chat, '/berita pinjaman daring OJK');
    const [, , found] = await tg.waitForMessages(chat.id, 3, 30_000);
    expect(found?.text).toContain('8 Pinjaman Daring Masuk Pengawasan Khusus OJK');
    expect(site.hits('/rss')).toBeGreaterThanOrEqual(1);

    first.child.kill('SIGTERM');
    expect(await exitOf(first.child)).toBe(0);
    // The token never reaches the logs.
    expect(first.logs()).not.toContain(secretToken);

    // A restart keeps the subscription.
    const second = start();
    await tg.sendText(alice, chat, '/digest status');
    const messages = await tg.waitForMessages(chat.id, 4, 30_000);
    expect(messages[3]?.text).toContain('setiap hari pukul 06.30 WITA');
    second.child.kill('SIGTERM');
    expect(await exitOf(second.child)).toBe(0);
  }, 90_000);
});
if (!built) console.warn('npm start e2e skipped: dist/ is not built (npm ci builds it)');
