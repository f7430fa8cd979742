/**
 * Faults with Redis as the store (issue 7): Redis restarted while the compiled bot runs.
 *
 * The operator runs Redis with its append-only file (`--appendonly yes`), so that a restart keeps
 * the data; the test runs such a Redis of its own on a free port and stops it (SIGTERM) in the
 * middle of a run. Meanwhile the bot stays up, tells the people whose commands need the store that
 * the store is in trouble (in Indonesian, promptly: nothing waits for Redis to come back), keeps
 * reading links, and logs the errors. Once Redis is back the bot reconnects by itself: no
 * subscription was lost, and the commands that failed work when asked again.
 *
 * Needs REDIS_URL (the marker that Redis tests run) and `redis-server` on PATH.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageFor } from '../../src/core/messages.js';
import { startFakeTelegram, type FakeChat, type FakeTelegram, type FakeUser } from '../helpers/fake-telegram.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import { articlePage, baseEnv, BUILT, hasRedisServer, killAll, rssFeed, startBot, startRedis, storedSubscriptions, STORY, until, type BotProcess, type RedisServer } from './harness.js';

const enabled = process.env['REDIS_URL'] !== undefined && BUILT && hasRedisServer();
if (!enabled) console.warn('ops Redis fault tests SKIPPED: they need REDIS_URL set, redis-server on PATH and a built dist/ (npm run build)');

const STORE_TROUBLE = messageFor('STORE_UNAVAILABLE', 'id');

describe.skipIf(!enabled)('Redis restarted while the bot runs', () => {
  let redis: RedisServer;
  let tg: FakeTelegram;
  let site: NewsServer;
  let bot: BotProcess;

  beforeAll(async () => {
    redis = await startRedis({ appendonly: true });
    tg = await startFakeTelegram();
    site = await startNewsServer({
      '/bendungan': { contentType: 'text/html; charset=utf-8', body: articlePage(STORY.title, STORY.paragraphs) },
    });
    site.route('/rss', { contentType: 'application/rss+xml; charset=utf-8', body: rssFeed([{ title: STORY.title, link: site.url('/bendungan'), description: STORY.paragraphs[0] as string, minutesAgo: 30 }]) });
    bot = startBot('redis-fault', baseEnv({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, STORE_URL: redis.url, FEEDS: site.url('/rss') }));
    await bot.waitForLog('ringkas running', 40_000);
  }, 60_000);

  afterAll(async () => {
    await killAll();
    await tg?.close();
    await site?.close();
  });

  /** Sends a text and resolves with the bot's next message in that chat. */
  async function ask(user: FakeUser, chat: FakeChat, text: string, timeoutMs = 10_000): Promise<{ text: string; ms: number }> {
    const before = tg.messages(chat.id).length;
    const t0 = Date.now();
    await tg.sendText(user, chat, text);
    const msgs = await tg.waitForMessages(chat.id, before + 1, timeoutMs);
    return { text: msgs[before]?.text ?? '', ms: Date.now() - t0 };
  }

  it('reports the outage to users at once, keeps reading links, loses no subscription, and works again after the restart', async () => {
    const alice = tg.user({ first_name: 'Alice' });
    const bob = tg.user({ first_name: 'Bob' });
    const carol = tg.user({ first_name: 'Carol' });
    const [aliceChat, bobChat, carolChat] = [tg.privateChat(alice), tg.privateChat(bob), tg.privateChat(carol)] as [FakeChat, FakeChat, FakeChat];

    expect((await ask(alice, aliceChat, '/digest 07:00 WIB')).text).toBe('Ringkasan harian akan dikirim ke obrolan ini setiap hari pukul 07.00 WIB.');

    await redis.stop('SIGTERM');
    const errorsBefore = bot.logged('store error').length;
    // All at once, while Redis is down.
    const [status, subscribe, unsubscribe, reading] = await Promise.all([
      ask(alice, aliceChat, '/digest status'),
      ask(bob, bobChat, '/digest 08:00 WIB'),
      ask(carol, carolChat, '/digest off'),
      ask(carol, tg.privateChat(tg.user({ first_name: 'Dewi' })), `/berita ${site.url('/bendungan')}`),
    ]);
    // Not "no digest here" (a lie), and not silence until Redis is back: the store's trouble, said plainly.
    expect(status.text).toBe(STORE_TROUBLE);
    expect(subscribe.text).toBe(STORE_TROUBLE);
    expect(unsubscribe.text).toBe(STORE_TROUBLE);
    for (const r of [status, subscribe, unsubscribe]) expect(r.ms).toBeLessThan(5_000);
    // Readings do not need the store (its cache is skipped).
    expect(reading.text).toContain(STORY.title);
    expect(reading.text).toContain('Bendungan ini kami bangun agar petani bisa menanam tiga kali dalam setahun');
    // The errors are in the log, and the bot is still up.
    expect(bot.logged('store error').length).toBeGreaterThan(errorsBefore);
    expect(bot.running).toBe(true);

    await redis.start();
    // The client reconnects by itself (backing off up to 2 s between attempts).
    const back = await until(
      async () => {
        const r = await ask(alice, aliceChat, '/digest status');
        return r.text !== STORE_TROUBLE ? r : undefined;
      },
      15_000,
      'the store to answer again',
      500,
    );
    expect(back.text).toBe('Ringkasan harian dikirim ke obrolan ini setiap hari pukul 07.00 WIB.');
    expect((await ask(bob, bobChat, '/digest 08:00 WIB')).text).toBe('Ringkasan harian akan dikirim ke obrolan ini setiap hari pukul 08.00 WIB.');
    expect((await ask(bob, bobChat, '/digest status')).text).toBe('Ringkasan harian dikirim ke obrolan ini setiap hari pukul 08.00 WIB.');
    // Carol had nothing to stop; now the store says so itself.
    expect((await ask(carol, carolChat, '/digest off')).text).toBe('Tidak ada ringkasan harian untuk obrolan ini, jadi tidak ada yang dihentikan.');
    const [a, b] = await storedSubscriptions(redis.url, [
      { platform: 'telegram', channelId: String(aliceChat.id) },
      { platform: 'telegram', channelId: String(bobChat.id) },
    ]);
    expect([a?.time, b?.time]).toEqual(['07:00', '08:00']);

    // A clean stop afterwards.
    expect((await bot.stop('SIGTERM')).code).toBe(0);
  }, 60_000);
});
