/**
 * Several instances (issue 7): two compiled bot processes on one Redis, with the fake Discord and
 * the fake Telegram. Telegram runs in webhook mode behind a round-robin load balancer (two long
 * pollers cannot share a token: Telegram answers the second one 409); the fake Discord hands each
 * interaction to one of the two gateway sessions in turn, as Discord does.
 *
 * Proves: every command is answered once (by one instance or the other, never both), every digest
 * due is posted once although both instances catch up at start and tick every minute, and a
 * restart of either instance (SIGTERM, the way an operator or an orchestrator restarts it) loses
 * nothing: the command in flight is answered, the subscriptions are still there, and the restarted
 * instance posts no digest a second time.
 *
 * Needs REDIS_URL (the marker that Redis tests run) and `redis-server`: the bots use a Redis of the
 * test's own on a free port, so that the default key prefix the compiled bot uses meets no one else.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, snowflake, type FakeDiscord, type FakeMessage, type InteractionHandle } from '../helpers/fake-discord.js';
import { startFakeTelegram, type FakeChat, type FakeTelegram, type FakeUser } from '../helpers/fake-telegram.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import {
  articlePage,
  baseEnv,
  BUILT,
  DIGEST_TITLE,
  freePort,
  hasRedisServer,
  killAll,
  rssFeed,
  seedDigests,
  sleep,
  startBot,
  startLoadBalancer,
  startRedis,
  storedSubscriptions,
  STORY,
  tempDir,
  until,
  type BotProcess,
  type LoadBalancer,
  type RedisServer,
} from './harness.js';

const enabled = process.env['REDIS_URL'] !== undefined && BUILT && hasRedisServer();
if (!enabled) console.warn('ops multi-instance tests SKIPPED: they need REDIS_URL set, redis-server on PATH and a built dist/ (npm run build)');

/** Embed text without Discord's markdown escapes. */
function discordText(msg: FakeMessage): string {
  const e = msg.embeds[0];
  return [msg.content, e?.title, e?.description, ...(e?.fields ?? []).flatMap((f) => [f.name, f.value]), e?.footer?.text]
    .filter((s) => s !== undefined && s !== '')
    .join('\n')
    .replace(/\\([\\*_~`|[\]#>.-])/g, '$1');
}

describe.skipIf(!enabled)('two bot processes on one Redis (Discord + Telegram)', () => {
  let redis: RedisServer;
  let tg: FakeTelegram;
  let discord: FakeDiscord;
  let site: NewsServer;
  let lb: LoadBalancer;
  const ports: number[] = [];
  const bots: BotProcess[] = [];
  let envs: Record<string, string>[] = [];
  // Digest subscribers, due the minute the instances start.
  const digestUsers: FakeUser[] = [];
  const digestChats: FakeChat[] = [];
  const digestChannels = [snowflake(), snowflake()];

  beforeAll(async () => {
    redis = await startRedis({ appendonly: true });
    tg = await startFakeTelegram();
    discord = await startFakeDiscord({ dispatch: 'round-robin' });
    for (const c of digestChannels) discord.addChannel(c);
    site = await startNewsServer({
      '/rss': { contentType: 'application/rss+xml; charset=utf-8', body: '' },
      '/bendungan': { contentType: 'text/html; charset=utf-8', body: articlePage(STORY.title, STORY.paragraphs) },
      // A slow page: the reply to it is in flight when an instance is asked to stop.
      '/bendungan-lambat': { contentType: 'text/html; charset=utf-8', body: articlePage(STORY.title, STORY.paragraphs), delayMs: 1500 },
    });
    site.route('/rss', { contentType: 'application/rss+xml; charset=utf-8', body: rssFeed([{ title: STORY.title, link: site.url('/bendungan'), description: STORY.paragraphs[0] as string, minutesAgo: 30 }]) });
    for (let i = 0; i < 2; i++) {
      const u = tg.user({ first_name: `Pelanggan ${i}` });
      digestUsers.push(u);
      digestChats.push(tg.privateChat(u));
    }
    ports.push(await freePort(), await freePort());
    lb = await startLoadBalancer(() => ports);
    envs = ports.map((port) =>
      baseEnv({
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        TELEGRAM_WEBHOOK_URL: `${lb.origin}/telegram`,
        TELEGRAM_WEBHOOK_PORT: String(port),
        TELEGRAM_WEBHOOK_HOST: '127.0.0.1',
        ...discord.config(),
        STORE_URL: redis.url,
        FEEDS: site.url('/rss'),
      }),
    );
    await seedDigests(redis.url, [
      ...digestChats.map((c) => ({ platform: 'telegram' as const, channelId: String(c.id) })),
      ...digestChannels.map((c) => ({ platform: 'discord' as const, channelId: c, channelName: '#kabar' })),
    ]);
    // Both at once: both catch up on the same due minute at start.
    bots.push(startBot('a', envs[0] as Record<string, string>), startBot('b', envs[1] as Record<string, string>));
    await Promise.all(bots.map((b) => b.waitForLog('ringkas running', 40_000)));
    await until(() => discord.liveSessions === 2, 10_000, 'two gateway sessions');
  }, 60_000);

  afterAll(async () => {
    await killAll();
    await lb?.close();
    await tg?.close();
    await discord?.close();
    await site?.close();
  });

  function digestsIn(where: { telegram: number } | { discord: string }): string[] {
    if ('telegram' in where) return tg.messages(where.telegram).filter((m) => DIGEST_TITLE.test(m.text)).map((m) => m.text);
    return discord
      .channelMessages(where.discord)
      .filter((m) => DIGEST_TITLE.test(m.embeds[0]?.title ?? ''))
      .map(discordText);
  }

  function digestCounts(): number[] {
    return [...digestChats.map((c) => digestsIn({ telegram: c.id }).length), ...digestChannels.map((c) => digestsIn({ discord: c }).length)];
  }

  it('posts every digest due once, though both instances caught up on the same minute at start', async () => {
    await until(() => digestCounts().every((n) => n >= 1), 20_000, 'a digest in every subscribed chat and channel');
    // Time for a second copy to arrive, if one were coming.
    await sleep(2500);
    expect(digestCounts()).toEqual([1, 1, 1, 1]);
    // Each carries the story of the feed (the corpus is shared through Redis).
    for (const c of digestChats) expect(digestsIn({ telegram: c.id })[0]).toContain(STORY.title);
    for (const c of digestChannels) expect(digestsIn({ discord: c })[0]).toContain(STORY.title);
    // Four posts in all between the two processes, each recorded once in the ledger.
    const posted = bots.flatMap((b) => b.logged('digest posted'));
    expect(posted).toHaveLength(4);
    expect(new Set(posted.map((l) => l['delivery'])).size).toBe(4);
  });

  let discordUser = 0;
  /** Sends `n` Telegram commands and `n` Discord interactions at once, from distinct users and channels. */
  async function burst(n: number, label: string): Promise<{ chats: FakeChat[]; handles: InteractionHandle[]; channels: string[] }> {
    const users = Array.from({ length: n }, (_, i) => tg.user({ first_name: `${label}${i}` }));
    const discordUsers = Array.from({ length: n }, () => ({ id: String(3000000000000000n + BigInt(++discordUser)) }));
    const chats = users.map((u) => tg.privateChat(u));
    const channels = Array.from({ length: n }, () => snowflake());
    const [, handles] = await Promise.all([
      Promise.all(users.map((u, i) => tg.sendText(u, chats[i] as FakeChat, i % 2 === 0 ? '/help' : `/digest 0${i % 10}:15 WITA`))),
      Promise.all(channels.map((channelId, i) => discord.interact({ command: 'digest', subcommand: 'subscribe', options: { time: `1${i % 10}:45`, timezone: 'WIB' }, channelId, manageChannels: true, user: discordUsers[i] as { id: string } }))),
    ]);
    return { chats, handles, channels };
  }

  async function expectAnsweredOnce(b: Awaited<ReturnType<typeof burst>>): Promise<void> {
    await Promise.all(b.chats.map((c) => tg.waitForMessages(c.id, 1, 20_000)));
    const finals = await Promise.all(b.handles.map((h) => h.final(20_000)));
    await sleep(1000);
    b.chats.forEach((c, i) => {
      const msgs = tg.messages(c.id);
      expect(msgs, `telegram chat ${i}`).toHaveLength(1);
      if (i % 2 === 0) expect(msgs[0]?.text).toContain('/berita <tautan>');
      else expect(msgs[0]?.text).toBe(`Ringkasan harian akan dikirim ke obrolan ini setiap hari pukul 0${i % 10}.15 WITA.`);
    });
    finals.forEach((m, i) => expect(discordText(m)).toBe(`Ringkasan harian akan dikirim ke <#${b.channels[i] ?? ''}> setiap hari pukul 1${i % 10}.45 WIB.`));
    // One acknowledgement per interaction: no second session answered it too.
    for (const h of b.handles) {
      const callbacks = discord.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`/interactions/${h.id}/`));
      expect(callbacks.map((r) => r.status)).toEqual([callbacks[0]?.status]);
      expect(h.versions.length).toBeGreaterThanOrEqual(1);
    }
    expect(discord.rejections).toEqual([]);
    // Every update reached an instance that took it.
    expect(tg.webhookDeliveries.filter((d) => d.status !== 200)).toEqual([]);
    // Everything subscribed is in the one store.
    const stored = await storedSubscriptions(redis.url, [
      ...b.chats.filter((_, i) => i % 2 === 1).map((c) => ({ platform: 'telegram' as const, channelId: String(c.id) })),
      ...b.channels.map((channelId) => ({ platform: 'discord' as const, channelId })),
    ]);
    expect(stored.every((s) => s !== undefined)).toBe(true);
  }

  it('answers every command once, shared between the two instances', async () => {
    const before = new Map(lb.forwarded);
    const subscribedBefore = bots.map((b) => b.logged('digest subscribed').length);
    const b = await burst(12, 'Serempak');
    await expectAnsweredOnce(b);
    // Both instances took part, on both platforms.
    for (const port of ports) expect((lb.forwarded.get(port) ?? 0) - (before.get(port) ?? 0)).toBeGreaterThanOrEqual(3);
    const discordByBot = bots.map((bot, i) => bot.logged('digest subscribed').slice(subscribedBefore[i]).filter((l) => l['platform'] === 'discord').length);
    expect(discordByBot.reduce((x, y) => x + y)).toBe(12);
    expect(Math.min(...discordByBot)).toBeGreaterThanOrEqual(3);
  }, 40_000);

  for (const which of [0, 1]) {
    it(`restarting instance ${which === 0 ? 'a' : 'b'} loses nothing: the reply in flight, the commands meanwhile, the subscriptions, the digests`, async () => {
      const bot = bots[which] as BotProcess;
      const port = ports[which] as number;
      // A reading that takes 1.5 s (a slow site), sent until the load balancer gives it to this instance.
      // (A fresh query each time: readings are cached by URL in the store.)
      const reader = tg.user({ first_name: 'Pembaca' });
      const chat = tg.privateChat(reader);
      let sent = 0;
      for (;;) {
        const before = lb.forwarded.get(port) ?? 0;
        await tg.sendText(reader, chat, `/berita ${site.url(`/bendungan-lambat?n=${which}-${sent++}`)}`);
        if ((lb.forwarded.get(port) ?? 0) > before) break;
      }
      // Asked to stop while that reading is still running: it finishes first.
      const { code } = await bot.stop('SIGTERM');
      expect(code).toBe(0);
      const replies = await tg.waitForMessages(chat.id, sent, 10_000);
      for (const r of replies) expect(r.text).toContain(STORY.title);
      await sleep(300);
      expect(tg.messages(chat.id)).toHaveLength(sent);
      // The last one was answered by the instance that was stopping.
      expect(bot.logged('telegram command answered').filter((l) => l['chat'] === chat.id && l['command'] === 'berita')).toHaveLength(1);

      // While it is down, the other instance answers everything.
      await until(() => discord.liveSessions === 1, 10_000, 'one gateway session');
      await expectAnsweredOnce(await burst(6, `Sendiri${which}`));

      // Back again: its catch-up tick finds the digests already posted.
      const restarted = startBot(which === 0 ? 'a2' : 'b2', envs[which] as Record<string, string>);
      bots[which] = restarted;
      await restarted.waitForLog('ringkas running', 40_000);
      await until(() => discord.liveSessions === 2, 10_000, 'two gateway sessions');
      await expectAnsweredOnce(await burst(6, `Kembali${which}`));
      expect(digestCounts()).toEqual([1, 1, 1, 1]);
      expect(restarted.logged('digest posted')).toHaveLength(0);
      // The digest subscriptions made before the restart are all there.
      const first = digestChats[0] as FakeChat;
      await tg.sendText(digestUsers[0] as FakeUser, first, '/digest status');
      const status = await tg.waitFor(() => tg.messages(first.id).find((m) => m.text.startsWith('Ringkasan harian dikirim ke')), 10_000, 'the digest status');
      expect(status.text).toMatch(/^Ringkasan harian dikirim ke obrolan ini setiap hari pukul \d\d\.\d\d WIB\.$/);
    }, 60_000);
  }
});

describe.skipIf(!BUILT)('two long pollers on one Telegram token (a misconfiguration)', () => {
  afterAll(() => killAll());

  it('the displaced one stops with an error instead of both taking updates; the other answers each command once', async () => {
    const tg = await startFakeTelegram();
    try {
      const env = (name: string): Record<string, string> =>
        baseEnv({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, STORE_URL: `sqlite://${join(tempDir(name), 'ringkas.sqlite')}`, FEEDS: 'http://127.0.0.1:9/rss' });
      const first = startBot('poller-1', env('poller-1'));
      await first.waitForLog('ringkas running', 40_000);
      const second = startBot('poller-2', env('poller-2'));
      await second.waitForLog('ringkas running', 40_000);
      // Telegram ends the first one's poll with 409 Conflict: it gives up for good and exits 1.
      const { code } = await first.exited;
      expect(code).toBe(1);
      expect(first.logged('a platform stopped for good')).toHaveLength(1);
      expect(tg.callsOf('getUpdates').filter((c) => c.status === 409)).toHaveLength(1);
      const users = Array.from({ length: 5 }, (_, i) => tg.user({ first_name: `Penanya${i}` }));
      const chats = users.map((u) => tg.privateChat(u));
      for (const [i, u] of users.entries()) await tg.sendText(u, chats[i] as FakeChat, '/help');
      await Promise.all(chats.map((c) => tg.waitForMessages(c.id, 1, 15_000)));
      await sleep(500);
      for (const c of chats) expect(tg.messages(c.id)).toHaveLength(1);
      expect(second.running).toBe(true);
    } finally {
      await killAll();
      await tg.close();
    }
  }, 60_000);
});
