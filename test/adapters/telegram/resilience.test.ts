/** Flood waits, server errors, per-chat rate limits, throttling, and a clean stop that keeps the update offset. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadCommands } from '../../../commands/index.js';
import { startTelegram } from '../../../src/adapters/telegram/index.js';
import { startFakeTelegram } from '../../helpers/fake-telegram.js';
import { silentLogger } from '../../helpers/services.js';
import { createServices, FAST_TUNING, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Telegram asking the bot to slow down', () => {
  it('retries a sendMessage answered 429 with retry_after once the wait is over: the answer is not lost', async () => {
    h = await startHarness();
    const { tg } = h;
    const u = tg.user();
    const chat = tg.privateChat(u);
    tg.fail('sendMessage', { status: 429, retryAfter: 1, chatId: chat.id });
    const t0 = Date.now();
    await tg.sendText(u, chat, '/help');
    const [m] = await tg.waitForMessages(chat.id, 1);
    expect(m?.text).toContain('/berita <tautan>');
    const attempts = tg.callsOf('sendMessage').filter((c) => c.payload['chat_id'] === chat.id);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[0]?.description).toBe('Too Many Requests: retry after 1');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('retries after a 5xx burst', async () => {
    h = await startHarness();
    const { tg } = h;
    const u = tg.user();
    const chat = tg.privateChat(u);
    tg.fail('sendMessage', { status: 502, description: 'Bad Gateway', chatId: chat.id });
    await tg.sendText(u, chat, '/help');
    const [m] = await tg.waitForMessages(chat.id, 1, 15_000);
    expect(m?.text).toContain('/berita <tautan>');
    expect(tg.callsOf('sendMessage').filter((c) => c.payload['chat_id'] === chat.id).map((c) => c.status)).toEqual([502, 200]);
  });

  it('keeps long polling through getUpdates failures', async () => {
    h = await startHarness();
    const { tg } = h;
    tg.fail('getUpdates', { status: 502, times: 1 });
    // End the current poll so the next ones meet the failures.
    const u = tg.user();
    const chat = tg.privateChat(u);
    await tg.sendText(u, chat, '/help');
    await tg.waitForMessages(chat.id, 1, 15_000);
    await tg.sendText(u, chat, '/help');
    const all = await tg.waitForMessages(chat.id, 2, 15_000);
    expect(all[1]?.text).toContain('/berita <tautan>');
    expect(tg.callsOf('getUpdates').filter((c) => c.status === 502)).toHaveLength(1);
  }, 30_000);
});

describe('per-chat rate limits', () => {
  it('answers a burst up to the limit, says once to wait, then stays quiet', async () => {
    h = await startHarness({ tuning: { rateLimits: { user: { capacity: 2, refillPerSecond: 0.05 }, chat: { capacity: 100, refillPerSecond: 1 } } } });
    const { tg } = h;
    const u = tg.user();
    const chat = tg.privateChat(u);
    for (let i = 0; i < 5; i++) await tg.sendText(u, chat, '/help');
    const msgs = await tg.waitForMessages(chat.id, 3);
    await new Promise((r) => setTimeout(r, 400));
    expect(tg.messages(chat.id)).toHaveLength(3);
    expect(msgs.filter((m) => m.text.includes('/berita <tautan>'))).toHaveLength(2);
    expect(msgs[2]?.text).toMatch(/^Tunggu sebentar, ya: coba lagi dalam \d+ detik\.$/);
    // Another person is not affected.
    const v = tg.user();
    const other = tg.privateChat(v);
    await tg.sendText(v, other, '/help');
    expect((await tg.waitForMessages(other.id, 1))[0]?.text).toContain('/berita <tautan>');
  });
});

describe('outgoing throttling', () => {
  it('spaces messages to one chat (transformer-throttler), so bursts stay inside Telegram\'s limits', async () => {
    h = await startHarness({ tuning: { throttle: { out: { maxConcurrent: 1, minTime: 250 }, group: { maxConcurrent: 1, minTime: 250 } } } });
    const { tg, bot } = h;
    const u = tg.user();
    const chat = tg.privateChat(u);
    const reply = { locale: 'id' as const, kind: 'info' as const, blocks: [{ type: 'text' as const, text: 'Ringkasan pagi.' }], buttons: [] };
    await Promise.all([bot.deliverer.deliver(String(chat.id), reply), bot.deliverer.deliver(String(chat.id), reply), bot.deliverer.deliver(String(chat.id), reply)]);
    const at = tg.callsOf('sendMessage').map((c) => c.at);
    expect(at).toHaveLength(3);
    // Bottleneck starts the calls 250 ms apart; their arrival may jitter a little under load.
    for (let i = 1; i < at.length; i++) expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(150);
    expect((at[2] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(450);
  });
});

describe('stopping', () => {
  it('stops polling cleanly, confirms the last update, and a new instance does not see old updates again', async () => {
    const tg = await startFakeTelegram();
    const { services, store } = await createServices();
    const start = () =>
      startTelegram({ config: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: `${tg.apiRoot}/` }, services, commands: loadCommands(), logger: silentLogger, tuning: FAST_TUNING });
    try {
      const first = await start();
      expect(first.mode).toBe('polling');
      const u = tg.user();
      const chat = tg.privateChat(u);
      await tg.sendText(u, chat, '/help');
      await tg.waitForMessages(chat.id, 1);
      await first.stop();
      await first.done;
      expect(first.bot.isRunning()).toBe(false);
      expect(tg.pendingPolls).toBe(0);
      // While nobody polls, an update waits at Telegram.
      await tg.sendText(u, chat, '/start');
      await new Promise((r) => setTimeout(r, 200));
      expect(tg.messages(chat.id)).toHaveLength(1);
      const second = await start();
      const all = await tg.waitForMessages(chat.id, 2);
      expect(all[1]?.text).toContain('Halo, Pengguna! Saya Ringkas.');
      await new Promise((r) => setTimeout(r, 200));
      // The /help handled by the first instance was confirmed: it is not answered twice.
      expect(tg.messages(chat.id)).toHaveLength(2);
      const polls = tg.callsOf('getUpdates').map((c) => c.payload['offset']);
      expect(polls.some((o) => typeof o === 'number' && o > 1)).toBe(true);
      await second.stop();
      await second.stop(); // idempotent
    } finally {
      await tg.close();
      await store.close();
    }
  });

  it('lets a reading in progress finish before stopping', async () => {
    h = await startHarness({ tuning: { pasteIdleMs: 5000 } });
    const { tg, bot } = h;
    const u = tg.user();
    const chat = tg.privateChat(u);
    // A long paste waits for its continuation; stop() handles it right away instead of dropping it.
    const sentence = 'Warga desa membangun jembatan bambu baru di atas sungai yang meluap setelah hujan deras semalaman. ';
    await tg.sendText(u, chat, `Jembatan Bambu Baru\n\n${sentence.repeat(40)}`);
    await new Promise((r) => setTimeout(r, 200));
    expect(tg.messages(chat.id)).toHaveLength(0);
    await bot.stop();
    expect(tg.messages(chat.id)[0]?.text.startsWith('Jembatan Bambu Baru')).toBe(true);
  });
});

describe('fatal polling errors', () => {
  it('rejects `done` when another instance polls with the same token (409)', async () => {
    h = await startHarness();
    const { tg, bot } = h;
    await tg.waitFor(() => tg.pendingPolls === 1, 5000, 'the first poll');
    tg.fail('getUpdates', { status: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
    const u = tg.user();
    const chat = tg.privateChat(u);
    await tg.sendText(u, chat, '/help');
    await expect(bot.done).rejects.toThrow(/Conflict/);
    // The update fetched before the conflict was still answered.
    await tg.waitForMessages(chat.id, 1);
  });
});

describe('startup', () => {
  it('fails clearly with a wrong token (401 from getMe)', async () => {
    const tg = await startFakeTelegram();
    const { services, store } = await createServices();
    try {
      await expect(startTelegram({ config: { TELEGRAM_BOT_TOKEN: '999:wrong', TELEGRAM_API_ROOT: tg.apiRoot }, services, commands: loadCommands(), logger: silentLogger })).rejects.toThrow(/401|Unauthorized/);
    } finally {
      await tg.close();
      await store.close();
    }
  });
});
