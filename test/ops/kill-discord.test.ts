/**
 * SIGKILL in the window the ledger cannot close (see kill.test.ts): the platform accepted the
 * digest, the process died before the answer came, and the restarted bot sends it again. On
 * Discord the repeat carries the same message nonce with enforce_nonce, and Discord answers with
 * the message already posted: the channel has the digest once. On Telegram (no idempotency in the
 * Bot API) the same crash still posts it twice, as the README says.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discordNonce } from '../../src/adapters/discord/deliverer.js';
import { sharedState } from '../../src/adapters/scheduler/coordinator.js';
import { createDeliveryLedger, deliveryKey } from '../../src/adapters/store/deliveries.js';
import { openStore } from '../../src/adapters/store/index.js';
import { startFakeDiscord, snowflake, type FakeDiscord } from '../helpers/fake-discord.js';
import { startFakeTelegram, type FakeChat, type FakeTelegram } from '../helpers/fake-telegram.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import { silentLogger } from '../helpers/services.js';
import { articlePage, baseEnv, BUILT, DIGEST_TITLE, killAll, rssFeed, seedDigests, sleep, startBot, STORY, tempDir, until } from './harness.js';

if (!BUILT) console.warn('ops SIGKILL (Discord nonce) tests SKIPPED: dist/ is not built (npm run build)');

const TAKEOVER_WARNING = 'taking over a digest whose instance stopped while sending: it may have been posted; sending again';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await killAll();
  for (const c of closers.splice(0)) await c();
});

describe.skipIf(!BUILT)('SIGKILL after Discord accepted a digest, before the answer came', () => {
  it('the restarted bot repeats it with the same nonce and Discord returns the first message: one digest (Telegram, without nonces, gets two)', async () => {
    const tg: FakeTelegram = await startFakeTelegram();
    const discord: FakeDiscord = await startFakeDiscord();
    const site: NewsServer = await startNewsServer({ '/bendungan': { contentType: 'text/html; charset=utf-8', body: articlePage(STORY.title, STORY.paragraphs) } });
    closers = [() => tg.close(), () => discord.close(), () => site.close()];
    site.route('/rss', { contentType: 'application/rss+xml; charset=utf-8', body: rssFeed([{ title: STORY.title, link: site.url('/bendungan'), description: STORY.paragraphs[0] as string, minutesAgo: 30 }]) });
    const store = `sqlite://${join(tempDir('kill-discord'), 'ringkas.sqlite')}`;
    const chat: FakeChat = tg.privateChat(tg.user({ first_name: 'Pelanggan' }));
    const [accepted, normal] = [snowflake(), snowflake()];
    discord.addChannel(accepted);
    discord.addChannel(normal);
    const slot = await seedDigests(store, [
      { platform: 'telegram', channelId: String(chat.id) },
      { platform: 'discord', channelId: accepted, channelName: '#kabar' },
      { platform: 'discord', channelId: normal, channelName: '#kabar' },
    ]);
    const env = baseEnv({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, ...discord.config(), STORE_URL: store, FEEDS: site.url('/rss') });
    const key = (sub: string): string => deliveryKey(sub, slot.date, slot.time);
    const state = async (sub: string): Promise<string | undefined> => {
      const s = await openStore(store, silentLogger);
      try {
        return (await createDeliveryLedger(sharedState(s)).get(key(sub)))?.record.state;
      } finally {
        await s.close();
      }
    };
    const discordDigests = (channel: string) => discord.channelMessages(channel).filter((m) => DIGEST_TITLE.test(m.embeds[0]?.title ?? ''));
    const telegramDigests = () => tg.messages(chat.id).filter((m) => DIGEST_TITLE.test(m.text));
    const postsTo = (channel: string) => discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channel}/messages`).map((r) => r.body as Record<string, unknown>);

    // Both platforms take the digest at once and hold their answer: the process dies not knowing.
    discord.channelBehaviour(accepted, { status: 200, holdAnswerMs: 60_000 });
    tg.fail('sendMessage', { chatId: chat.id, holdAnswerMs: 60_000 });
    const first = startBot('doomed', env);
    await first.waitForLog('ringkas running', 40_000);
    await until(() => discordDigests(accepted).length === 1 && discordDigests(normal).length === 1 && telegramDigests().length === 1, 20_000, 'every digest to reach the platforms');
    expect(await state(`discord:${accepted}`)).toBe('sending');
    expect(await state(`telegram:${chat.id}`)).toBe('sending');
    expect(await state(`discord:${normal}`)).toBe('sent');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const posted = discordDigests(accepted)[0];
    const nonce = discordNonce(`digest:${key(`discord:${accepted}`)}`);
    expect(posted?.['nonce']).toBe(nonce);

    discord.channelBehaviour(accepted, undefined);
    const second = startBot('heir', env);
    await second.waitForLog('ringkas running', 40_000);
    await until(async () => (await state(`discord:${accepted}`)) === 'sent' && telegramDigests().length === 2, 20_000, 'the two digests to be sent again');
    await sleep(2000);

    // Discord: the repeat carried the same nonce and got the first message back; nothing new.
    expect(discordDigests(accepted).map((m) => m.id)).toEqual([posted?.id]);
    expect(discordDigests(normal)).toHaveLength(1);
    expect(postsTo(accepted).map((b) => [b['nonce'], b['enforce_nonce']])).toEqual([
      [nonce, true],
      [nonce, true],
    ]);
    expect(discord.nonceDedups.map((d) => [d.channelId, d.nonce, d.messageId])).toEqual([[accepted, nonce, posted?.id]]);
    expect(postsTo(normal)).toHaveLength(1);
    // Telegram: the README's remaining window, posted twice.
    expect(telegramDigests()).toHaveLength(2);

    const warned = second.logged(TAKEOVER_WARNING);
    expect(warned.map((l) => [l['delivery'], l['platformDeduplicates']]).sort()).toEqual(
      [
        [key(`discord:${accepted}`), true],
        [key(`telegram:${chat.id}`), undefined],
      ].sort(),
    );
    expect(second.logged('digest posted')).toHaveLength(2);
    expect(await state(`discord:${accepted}`)).toBe('sent');
    expect(await state(`telegram:${chat.id}`)).toBe('sent');
    expect(posted?.embeds[0]?.description ?? '').toContain('Bendungan');
    expect((await second.stop('SIGTERM')).code).toBe(0);
  }, 60_000);
});
