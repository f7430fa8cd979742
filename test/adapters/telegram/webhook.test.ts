/** Webhook mode (TELEGRAM_WEBHOOK_URL set): updates POSTed with the secret token; a wrong token is rejected. */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebhookSecret } from '../../../src/adapters/telegram/index.js';
import { closedPort } from '../../helpers/news-server.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let port: number;
const SECRET = 'rahasia_Webhook-123';

beforeAll(async () => {
  port = await closedPort();
  h = await startHarness({
    config: { TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_WEBHOOK_PORT: port, TELEGRAM_WEBHOOK_HOST: '127.0.0.1' },
  });
});

afterAll(async () => {
  await h?.close();
});

function request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers: { 'content-type': 'application/json', ...headers }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('webhook mode', () => {
  it('sets the webhook with the secret token and the update types it handles, and does not poll', () => {
    expect(h.bot.mode).toBe('webhook');
    expect(h.tg.webhook).toEqual({ url: `http://127.0.0.1:${port}/telegram/hook`, secret_token: SECRET, allowed_updates: ['message', 'channel_post', 'callback_query', 'my_chat_member'] });
    expect(h.tg.callsOf('getUpdates')).toHaveLength(0);
    expect(h.tg.callsOf('deleteWebhook')).toHaveLength(0);
  });

  it('answers updates Telegram POSTs with the right secret token', async () => {
    const u = h.tg.user();
    const chat = h.tg.privateChat(u);
    await h.tg.sendText(u, chat, '/help');
    const [m] = await h.tg.waitForMessages(chat.id, 1);
    expect(m?.text).toContain('/berita <tautan>');
    expect(h.tg.webhookDeliveries.at(-1)?.status).toBe(200);
  });

  it('rejects a wrong or missing secret token with 401 and does nothing', async () => {
    const u = h.tg.user();
    const chat = h.tg.privateChat(u);
    const msg = { message_id: 1, date: 1, chat, from: u, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] };
    expect(await h.tg.postToWebhook({ message: msg }, 'salah')).toBe(401);
    expect(await h.tg.postToWebhook({ message: msg }, undefined)).toBe(401);
    expect(await h.tg.postToWebhook({ message: msg }, `${SECRET}x`)).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.tg.messages(chat.id)).toHaveLength(0);
    // The right one works.
    expect(await h.tg.postToWebhook({ message: msg }, SECRET)).toBe(200);
    await h.tg.waitForMessages(chat.id, 1);
  });

  it('answers health checks, refuses other paths, methods and broken bodies', async () => {
    expect(await request('GET', '/healthz')).toBe(200);
    expect(await request('POST', '/lain', '{}', { 'x-telegram-bot-api-secret-token': SECRET })).toBe(404);
    expect(await request('GET', '/telegram/hook')).toBe(405);
    expect(await request('POST', '/telegram/hook', '{not json', { 'x-telegram-bot-api-secret-token': SECRET })).toBe(400);
  });

  it('derives a stable secret from the token when none is configured', () => {
    expect(defaultWebhookSecret('123:abc')).toBe(defaultWebhookSecret('123:abc'));
    expect(defaultWebhookSecret('123:abc')).not.toBe(defaultWebhookSecret('123:abd'));
    expect(defaultWebhookSecret('123:abc')).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
  });

  it('stops listening on stop() (the webhook stays set for other instances)', async () => {
    await h.bot.stop();
    await expect(request('GET', '/healthz')).rejects.toThrow(/ECONNREFUSED/);
    expect(h.tg.webhook).toBeDefined();
  });
});
