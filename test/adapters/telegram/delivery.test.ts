/** TelegramDeliverer: digests posted to chats, and Telegram's failures mapped to DeliveryErrors. */
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatIdOf, TelegramDeliverer, toDeliveryError } from '../../../src/adapters/telegram/index.js';
import type { Reply } from '../../../src/core/reply.js';
import { DeliveryError } from '../../../src/services/delivery.js';
import { failure as refused } from '../../helpers/errors.js';
import { startFakeTelegram, type FakeTelegram } from '../../helpers/fake-telegram.js';
import { closedPort } from '../../helpers/news-server.js';
import { startHarness, type Harness } from './harness.js';

const digest: Reply = {
  locale: 'id',
  kind: 'results',
  title: 'Ringkasan pagi, 29 November 2026',
  blocks: [{ type: 'links', heading: 'Berita utama', items: [{ title: 'Harga beras naik & pasokan turun', url: 'https://contoh.id/beras', note: 'Kompas.com' }] }],
  buttons: [],
};

let tg: FakeTelegram;
let plain: TelegramDeliverer;

beforeAll(async () => {
  tg = await startFakeTelegram();
  // A bare Api (no auto-retry): every failure surfaces at once.
  plain = new TelegramDeliverer(new Api(tg.token, { apiRoot: tg.apiRoot }));
});

afterAll(async () => {
  await tg.close();
});

const failure = (p: Promise<void>): Promise<DeliveryError> => refused(p, DeliveryError);

describe('delivering', () => {
  it('posts a digest as Telegram HTML with previews off', async () => {
    const g = tg.group('Warga');
    await plain.deliver(String(g.id), digest);
    const [m] = tg.messages(g.id);
    expect(m?.text).toBe('Ringkasan pagi, 29 November 2026\n\nBerita utama\n• Harga beras naik & pasokan turun — Kompas.com');
    expect(m?.entities.find((e) => e.type === 'text_link')?.url).toBe('https://contoh.id/beras');
    expect(m?.link_preview_options).toEqual({ is_disabled: true });
  });

  it('posts a long digest as several messages in order', async () => {
    const u = tg.user();
    const chat = tg.privateChat(u);
    const items = Array.from({ length: 60 }, (_, i) => ({ title: `Berita nomor ${i} tentang banjir, harga pangan dan pemilihan kepala daerah di berbagai provinsi`, url: `https://contoh.id/${i}`, note: 'Ringkasan singkat berita ini dalam satu kalimat yang agak panjang.' }));
    await plain.deliver(String(chat.id), { ...digest, blocks: [{ type: 'links', items }] });
    const parts = tg.messages(chat.id);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.map((p) => p.text).join('\n')).toContain('Berita nomor 59');
  });

  it('follows a group that became a supergroup', async () => {
    const g = tg.group('Grup Lama');
    const sg = tg.group('Grup Baru', 'supergroup');
    tg.fail('sendMessage', { status: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', migrateTo: sg.id, chatId: g.id });
    const moved: [string, string][] = [];
    const d = new TelegramDeliverer(new Api(tg.token, { apiRoot: tg.apiRoot }), { onMigrate: (a, b) => void moved.push([a, b]) });
    await d.deliver(String(g.id), digest);
    expect(moved).toEqual([[String(g.id), String(sg.id)]]);
    expect(tg.messages(sg.id)).toHaveLength(1);
  });
});

describe('failures', () => {
  it('a user who blocked the bot: blocked (permanent)', async () => {
    const u = tg.user();
    const chat = tg.privateChat(u);
    tg.setChatState(chat.id, 'blocked');
    const e = await failure(plain.deliver(String(chat.id), digest));
    expect(e.reason).toBe('blocked');
    expect(e.permanent).toBe(true);
  });

  it('kicked from a group: forbidden (permanent)', async () => {
    for (const type of ['group', 'supergroup'] as const) {
      const g = tg.group('Bekas', type);
      tg.setChatState(g.id, 'kicked');
      const e = await failure(plain.deliver(String(g.id), digest));
      expect(e.reason).toBe('forbidden');
      expect(e.message).toMatch(/kicked from the (super)?group chat/);
      expect(e.permanent).toBe(true);
    }
  });

  it('a chat that does not exist, or a deleted account: channel-gone (permanent)', async () => {
    const e = await failure(plain.deliver('-4242', digest));
    expect(e.reason).toBe('channel-gone');
    expect(e.message).toBe('Bad Request: chat not found');
    const u = tg.user();
    const chat = tg.privateChat(u);
    tg.setChatState(chat.id, 'deactivated');
    expect((await failure(plain.deliver(String(chat.id), digest))).reason).toBe('channel-gone');
  });

  it('no right to write: forbidden', async () => {
    const g = tg.group('Hanya admin', 'supergroup');
    tg.fail('sendMessage', { status: 400, description: 'Bad Request: not enough rights to send text messages to the chat', chatId: g.id });
    expect((await failure(plain.deliver(String(g.id), digest))).reason).toBe('forbidden');
  });

  it('a flood wait: rate-limited with retry_after', async () => {
    const g = tg.group('Ramai');
    tg.fail('sendMessage', { status: 429, retryAfter: 7, chatId: g.id });
    const e = await failure(plain.deliver(String(g.id), digest));
    expect(e.reason).toBe('rate-limited');
    expect(e.retryAfterMs).toBe(7000);
    expect(e.permanent).toBe(false);
  });

  it('a server error or a broken connection: transient', async () => {
    const g = tg.group('Sial');
    tg.fail('sendMessage', { status: 502, description: 'Bad Gateway', chatId: g.id });
    expect((await failure(plain.deliver(String(g.id), digest))).reason).toBe('transient');
    tg.fail('sendMessage', { reset: true, chatId: g.id });
    expect((await failure(plain.deliver(String(g.id), digest))).reason).toBe('transient');
    const port = await closedPort();
    const nowhere = new TelegramDeliverer(new Api(tg.token, { apiRoot: `http://127.0.0.1:${port}` }));
    const e = await failure(nowhere.deliver(String(g.id), digest));
    expect(e.reason).toBe('transient');
    expect(e.message).not.toContain(tg.token);
  });

  it('maps anything else to transient and keeps DeliveryErrors as they are', () => {
    expect(toDeliveryError(new Error('boom')).reason).toBe('transient');
    const d = new DeliveryError('blocked', 'x');
    expect(toDeliveryError(d)).toBe(d);
    expect(chatIdOf('-100123')).toBe(-100123);
    expect(chatIdOf('@kanalberita')).toBe('@kanalberita');
  });
});

describe('through the bot\'s own Api (throttler and auto-retry)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('waits out a short flood wait instead of failing', async () => {
    const g = h.tg.group('Digest');
    h.tg.fail('sendMessage', { status: 429, retryAfter: 1, chatId: g.id });
    await h.bot.deliverer.deliver(String(g.id), digest);
    expect(h.tg.messages(g.id)).toHaveLength(1);
    expect(h.tg.callsOf('sendMessage').filter((c) => c.payload['chat_id'] === g.id).map((c) => c.status)).toEqual([429, 200]);
  });

  it('reports a long flood wait (over a minute) instead of blocking the digest run', async () => {
    const g = h.tg.group('Digest 2');
    h.tg.fail('sendMessage', { status: 429, retryAfter: 600, chatId: g.id });
    const e = await failure(h.bot.deliverer.deliver(String(g.id), digest));
    expect(e.reason).toBe('rate-limited');
    expect(e.retryAfterMs).toBe(600_000);
  });

  it('a blocked chat fails at once (no retries)', async () => {
    const u = h.tg.user();
    const chat = h.tg.privateChat(u);
    h.tg.setChatState(chat.id, 'blocked');
    expect((await failure(h.bot.deliverer.deliver(String(chat.id), digest))).reason).toBe('blocked');
    expect(h.tg.callsOf('sendMessage').filter((c) => c.payload['chat_id'] === chat.id)).toHaveLength(1);
  });
});
