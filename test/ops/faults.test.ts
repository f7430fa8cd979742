/**
 * Faults (issue 7), with the compiled bot (`node bin/ringkas.js bot`) on its embedded SQLite store
 * and loopback fakes:
 *
 * - the SQLite file cannot be written: the bot stops at once with one clear line, no stack dump;
 * - the Discord gateway connection drops: the client resumes its session and answers the next
 *   interaction;
 * - Telegram answers 429 (flood wait) and 5xx in bursts while the bot replies and posts digests:
 *   every message is retried and arrives once, none is lost, none is doubled;
 * - news sites that are slow or failing, asked for by many people at once: each gets the clear
 *   reply for what went wrong (or, past a short wait in line, that the site is busy), the requests
 *   toward a site are bounded (FETCH_PER_HOST, the reader's queue), and nothing piles up: after the
 *   burst nothing is in flight and memory is flat.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { messageFor } from '../../src/core/messages.js';
import { startFakeDiscord, snowflake, type FakeMessage } from '../helpers/fake-discord.js';
import { startFakeTelegram, type FakeChat } from '../helpers/fake-telegram.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import { articlePage, baseEnv, BUILT, DIGEST_TITLE, killAll, rssFeed, seedDigests, sleep, startBot, STORY, tempDir, until } from './harness.js';

if (!BUILT) console.warn('ops fault tests SKIPPED: dist/ is not built (npm run build)');

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await killAll();
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(() => killAll());

/** A news site with a feed of one story published half an hour ago. */
async function newsSite(): Promise<NewsServer> {
  const site = await startNewsServer({
    '/bendungan': { contentType: 'text/html; charset=utf-8', body: articlePage(STORY.title, STORY.paragraphs) },
  });
  site.route('/rss', { contentType: 'application/rss+xml; charset=utf-8', body: rssFeed([{ title: STORY.title, link: site.url('/bendungan'), description: STORY.paragraphs[0] as string, minutesAgo: 30 }]) });
  closers.push(() => site.close());
  return site;
}

function discordText(msg: FakeMessage): string {
  const e = msg.embeds[0];
  return [msg.content, e?.title, e?.description, ...(e?.fields ?? []).flatMap((f) => [f.name, f.value])]
    .filter((s) => s !== undefined && s !== '')
    .join('\n')
    .replace(/\\([\\*_~`|[\]#>.-])/g, '$1');
}

describe.skipIf(!BUILT)('an SQLite file the bot cannot write', () => {
  // Root writes anywhere: as root, the bot runs as "nobody" for these, as an operator's service user would.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

  for (const kind of ['a read-only folder', 'a read-only file'] as const) {
    it(`stops at start with one clear line naming the file and the cause (${kind})`, async () => {
      const tg = await startFakeTelegram();
      closers.push(() => tg.close());
      const dir = tempDir('sqlite');
      chmodSync(dir, 0o755);
      const folder = join(dir, 'data');
      mkdirSync(folder);
      const file = join(folder, 'ringkas.sqlite');
      if (kind === 'a read-only file') {
        writeFileSync(file, '');
        chmodSync(file, 0o444);
      }
      chmodSync(folder, 0o555);
      const t0 = Date.now();
      const bot = startBot('sqlite-ro', baseEnv({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, STORE_URL: `sqlite://${file}`, FEEDS: 'http://127.0.0.1:9/rss' }), asUser);
      const { code } = await bot.exited;
      expect(code).toBe(1);
      expect(Date.now() - t0).toBeLessThan(10_000);
      // One line for the operator (the rest of standard error is the JSON log), no stack trace anywhere.
      const plain = bot.plainErrors();
      expect(plain).toHaveLength(1);
      expect(plain[0]).toMatch(new RegExp(`^Penyimpanan tidak bisa dipakai: store sqlite://${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not usable: SQLITE_(CANTOPEN|READONLY): .+ \\[STORE_UNAVAILABLE\\]$`));
      expect(bot.output()).not.toMatch(/^\s+at /m);
      // It never went on to the platform.
      expect(tg.callsOf('getUpdates')).toHaveLength(0);
    });
  }
});

describe.skipIf(!BUILT)('the Discord gateway connection drops', () => {
  it('the client resumes its session and answers the next interaction, after a cut connection and after a resumable close', async () => {
    const discord = await startFakeDiscord();
    closers.push(() => discord.close());
    const dir = tempDir('gateway');
    const bot = startBot('gateway', baseEnv({ ...discord.config(), STORE_URL: `sqlite://${join(dir, 'ringkas.sqlite')}`, FEEDS: 'http://127.0.0.1:9/rss' }));
    await bot.waitForLog('ringkas running', 40_000);
    const status = async (): Promise<string> => {
      const h = await discord.interact({ command: 'digest', subcommand: 'status', user: { id: snowflake() } });
      return discordText(await h.final(15_000));
    };
    const NONE = 'Belum ada ringkasan harian untuk #berita-harian. Contoh: /digest 07:00 WIB politik';
    expect(await status()).toBe(NONE);

    const resumes = (): number => discord.frames.filter((f) => f.direction === 'in' && f.op === 6).length;
    const identifies = (): number => discord.frames.filter((f) => f.direction === 'in' && f.op === 2).length;
    expect([resumes(), identifies()]).toEqual([0, 1]);

    // The TCP connection is cut (a network failure): no close frame at all.
    discord.dropConnections();
    await until(() => discord.liveSessions === 0 || undefined, 5_000, 'the connection to drop');
    await until(() => resumes() === 1 && discord.liveSessions === 1, 20_000, 'the client to resume');
    expect(identifies()).toBe(1);
    expect(discord.frames.some((f) => f.direction === 'out' && f.t === 'RESUMED')).toBe(true);
    expect(await status()).toBe(NONE);

    // Discord closes it with a resumable code (4000, "unknown error": reconnect and resume).
    discord.dropConnections({ code: 4000 });
    await until(() => resumes() === 2 && discord.liveSessions === 1, 20_000, 'the client to resume again');
    expect(await status()).toBe(NONE);
    expect(bot.logged('discord gateway reconnecting').length).toBeGreaterThanOrEqual(1);
    expect(bot.running).toBe(true);
    expect(discord.rejections).toEqual([]);
  }, 60_000);
});

describe.skipIf(!BUILT)('Telegram answering 429 and 5xx in bursts', () => {
  it('retries every reply and every digest: each arrives once, none lost, none doubled', async () => {
    const tg = await startFakeTelegram();
    closers.push(() => tg.close());
    const site = await newsSite();
    const dir = tempDir('bursts');
    const store = `sqlite://${join(dir, 'ringkas.sqlite')}`;
    const digestChats = Array.from({ length: 3 }, (_, i) => tg.privateChat(tg.user({ first_name: `Pelanggan${i}` })));
    await seedDigests(store, digestChats.map((c) => ({ platform: 'telegram' as const, channelId: String(c.id) })));
    // The digests at start meet a flood wait and two server errors each, one after the other. (Three
    // failures in a row is what one call rides out: the bot's auto-retry allows 3 retries per call;
    // a digest is retried again by the scheduler after that, a reply is not.)
    for (const c of digestChats) {
      tg.fail('sendMessage', { status: 429, retryAfter: 1, chatId: c.id });
      tg.fail('sendMessage', { status: 502, description: 'Bad Gateway', chatId: c.id });
      tg.fail('sendMessage', { status: 503, description: 'Service Unavailable', chatId: c.id });
    }
    const bot = startBot('bursts', baseEnv({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, STORE_URL: store, FEEDS: site.url('/rss') }));
    await bot.waitForLog('ringkas running', 40_000);

    // Commands in the middle of it, their replies meeting a new burst.
    const users = Array.from({ length: 4 }, (_, i) => tg.user({ first_name: `Penanya${i}` }));
    const chats = users.map((u) => tg.privateChat(u));
    for (const c of chats) {
      tg.fail('sendMessage', { status: 500, chatId: c.id });
      tg.fail('sendMessage', { status: 429, retryAfter: 1, chatId: c.id });
    }
    await Promise.all(users.map((u, i) => tg.sendText(u, chats[i] as FakeChat, i % 2 === 0 ? '/help' : '/digest 06:00 WITA')));

    await Promise.all([...digestChats, ...chats].map((c) => tg.waitForMessages(c.id, 1, 30_000)));
    await sleep(3000);
    for (const c of digestChats) {
      const msgs = tg.messages(c.id);
      expect(msgs.map((m) => DIGEST_TITLE.test(m.text))).toEqual([true]);
      expect(msgs[0]?.text).toContain(STORY.title);
    }
    chats.forEach((c, i) => {
      const msgs = tg.messages(c.id);
      expect(msgs).toHaveLength(1);
      if (i % 2 === 0) expect(msgs[0]?.text).toContain('/berita <tautan>');
      else expect(msgs[0]?.text).toBe('Ringkasan harian akan dikirim ke obrolan ini setiap hari pukul 06.00 WITA.');
    });
    // Every scripted failure was met (so each message above was retried), and then answered once.
    const sends = tg.callsOf('sendMessage');
    expect(sends.filter((c) => c.status === 429)).toHaveLength(3 + 4);
    expect(sends.filter((c) => c.status >= 500)).toHaveLength(3 * 2 + 4);
    const statuses = (c: FakeChat): number[] => sends.filter((s) => s.payload['chat_id'] === c.id).map((s) => s.status);
    for (const c of digestChats) expect(statuses(c)).toEqual([429, 502, 503, 200]);
    for (const c of chats) expect(statuses(c)).toEqual([500, 429, 200]);
    expect(bot.logged('digest posted')).toHaveLength(3);
  }, 60_000);
});

describe.skipIf(!BUILT)('news sites slow or failing, asked for by many at once', () => {
  it('answers each with the clear reason, keeps the requests toward the sites bounded, and nothing piles up', async () => {
    const tg = await startFakeTelegram();
    closers.push(() => tg.close());
    let inFlight = 0;
    let maxInFlight = 0;
    const track = (req: IncomingMessage, res: ServerResponse): void => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let open = true;
      res.on('close', () => {
        if (open) inFlight--;
        open = false;
      });
      void req;
    };
    const timers = new Set<NodeJS.Timeout>();
    const site = await startNewsServer({
      // Answers far too late (past FETCH_TIMEOUT_MS): the reader gives up.
      '/lambat': (req, res) => {
        track(req, res);
        const t = setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(articlePage(STORY.title, STORY.paragraphs)), 8000);
        timers.add(t);
        res.on('close', () => clearTimeout(t));
      },
      // Fails after a moment.
      '/rusak': (req, res) => {
        track(req, res);
        const t = setTimeout(() => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>500 Internal Server Error</h1>'), 300);
        timers.add(t);
      },
    });
    closers.push(async () => {
      for (const t of timers) clearTimeout(t);
      await site.close();
    });
    const dir = tempDir('slow');
    const bot = startBot('slow-sites', baseEnv({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, STORE_URL: `sqlite://${join(dir, 'ringkas.sqlite')}`, FEEDS: 'http://127.0.0.1:9/rss', FETCH_TIMEOUT_MS: '1500' }));
    await bot.waitForLog('ringkas running', 40_000);
    const pid = bot.child.pid as number;
    const rss = (): number | undefined => {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m === null ? undefined : Number(m[1]) * 1024;
      } catch {
        return undefined;
      }
    };
    const SLOW = messageFor('FETCH_TIMEOUT', 'id');
    const BROKEN = messageFor('HTTP_ERROR', 'id', { status: 500 });
    const BUSY = messageFor('BUSY', 'id');
    const PEOPLE = 30;
    const memory: number[] = [];
    const answered = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      maxInFlight = 0;
      const users = Array.from({ length: PEOPLE }, (_, i) => tg.user({ first_name: `Pembaca${round}-${i}` }));
      const chats = users.map((u) => tg.privateChat(u));
      const t0 = Date.now();
      // Each link unique: readings (and failures) are not answered from a cache.
      await Promise.all(users.map((u, i) => tg.sendText(u, chats[i] as FakeChat, `/berita ${site.url(`/${i % 2 === 0 ? 'lambat' : 'rusak'}?r=${round}&i=${i}`)}`)));
      await Promise.all(chats.map((c) => tg.waitForMessages(c.id, 1, 30_000)));
      const elapsed = Date.now() - t0;
      // Each is told what went wrong with its link, or, having waited in line past half of
      // FETCH_TIMEOUT_MS behind the requests in flight at that site, that the site is busy.
      chats.forEach((c, i) => expect([[i % 2 === 0 ? SLOW : BROKEN], [BUSY]]).toContainEqual(tg.messages(c.id).map((m) => m.text)));
      const texts = chats.map((c) => tg.messages(c.id)[0]?.text as string);
      for (const t of texts) answered.set(t, (answered.get(t) ?? 0) + 1);
      // 30 at once at one site whose pages take up to 1.5 s, 4 at a time: some are turned away.
      expect(new Set(texts)).toEqual(new Set([SLOW, BROKEN, BUSY]));
      // 30 requests, 16 handled at once, each done within 1.5 s (the wait in line included): two waves and a bit, never a queue that grows.
      expect(elapsed).toBeLessThan(12_000);
      // Bounded: never more than FETCH_PER_HOST (4) toward the one site at once, and all 4 in use
      // (a slow request does not make the others wait in line one by one).
      expect(maxInFlight).toBe(4);
      // Nothing left hanging: every request toward the sites is closed once the replies are out.
      await until(() => inFlight === 0, 3_000, 'no request in flight toward the sites');
      const r = rss();
      if (r !== undefined) memory.push(r);
    }
    // One request at the site per reply that names the site's fault; none for the busy ones.
    expect(site.hits('/lambat')).toBe(answered.get(SLOW));
    expect(site.hits('/rusak')).toBe(answered.get(BROKEN));
    expect([...answered.values()].reduce((a, b) => a + b, 0)).toBe(3 * PEOPLE);
    // Memory flat: the third burst leaves the process no bigger than the first did, give or take.
    if (memory.length === 3) expect((memory[2] as number) - (memory[0] as number)).toBeLessThan(40 * 1024 * 1024);
    expect(bot.running).toBe(true);
  }, 60_000);
});
