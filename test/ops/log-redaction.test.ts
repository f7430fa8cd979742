/**
 * No secret reaches the logs. The compiled bot runs as `npm start` does, with every secret set
 * (DISCORD_TOKEN, TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, LLM_API_KEY, a Redis password in
 * STORE_URL), LOG_LEVEL=debug, against the loopback platforms, and is made to fail where secrets
 * travel: Telegram calls cut off mid-request (grammY's network errors carry the Bot API URL,
 * `/bot<TOKEN>/sendMessage`), a 401 from Discord, a model server that answers 401 quoting the key,
 * a Redis that cannot be reached. Then the whole of stdout and stderr is searched for each secret,
 * as written, percent-encoded and JSON-escaped.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, secretScrubber, secretValues } from '../../src/logger.js';
import { startFakeDiscord, type FakeDiscord } from '../helpers/fake-discord.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import { built, root, startBot } from './ops-bot.js';

const SECRETS = {
  DISCORD_TOKEN: 'MTE5ODc2NTQzMjEwOTg3NjU0Mw.GsEcRt.discord-bot-token-Zq8x1Vw4',
  TELEGRAM_BOT_TOKEN: '7123456789:AAHsecretTelegramTokenQ9x_Zr41Lm-pK2',
  TELEGRAM_WEBHOOK_SECRET: 'webhook-Secret_token-8Hk2Lp4Qz7Xv',
  LLM_API_KEY: 'sk-ringkas-llm-secret-KEY-5Tq9Wm3Jd1',
  /** As it stands in STORE_URL (percent-encoded), and decoded. */
  REDIS_PASSWORD_ENCODED: 'r3dis%2Bpass%2Fword-Yk7',
  REDIS_PASSWORD: 'r3dis+pass/word-Yk7',
} as const;

let tg: FakeTelegram;
let discord: FakeDiscord;
let site: NewsServer;
let llm: http.Server;
let llmUrl: string;
let llmCalls = 0;
let dir: string;
const outputs: { run: string; text: string }[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  tg = await startFakeTelegram({ token: SECRETS.TELEGRAM_BOT_TOKEN });
  discord = await startFakeDiscord({ token: SECRETS.DISCORD_TOKEN });
  site = await startNewsServer({
    '/berita': { contentType: 'text/html; charset=utf-8', body: readFileSync(join(root, 'test', 'fixtures', 'pages', 'antara-singlepage.html')) },
    '/rss': { contentType: 'application/rss+xml; charset=utf-8', body: readFileSync(join(root, 'test', 'fixtures', 'feeds', 'tempo-ekonomi.xml')) },
  });
  // A model server that refuses the key and quotes it back, as some do.
  llm = http.createServer((req, res) => {
    llmCalls++;
    req.resume();
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}`, type: 'invalid_request_error' } }));
  });
  await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', () => resolve()));
  llmUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
  dir = mkdtempSync(join(tmpdir(), 'ringkas-redaction-'));
});

afterAll(async () => {
  await tg?.close();
  await discord?.close();
  await site?.close();
  await new Promise<void>((resolve) => (llm ? llm.close(() => resolve()) : resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function baseEnv(name: string): Record<string, string> {
  return {
    DISCORD_TOKEN: SECRETS.DISCORD_TOKEN,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_APPLICATION_ID: discord.applicationId,
    TELEGRAM_BOT_TOKEN: SECRETS.TELEGRAM_BOT_TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: SECRETS.TELEGRAM_WEBHOOK_SECRET,
    LLM_BASE_URL: llmUrl,
    LLM_API_KEY: SECRETS.LLM_API_KEY,
    LLM_MODEL: 'ringkas-test-model',
    STORE_URL: `sqlite://${join(dir, `${name}.sqlite`)}`,
    FETCH_ALLOW_PRIVATE: 'true',
    FEEDS: site.url('/rss'),
    RETENTION_DAYS: '3650',
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    // Without this the redis run could hide behind a reachable Redis of the CI.
    REDIS_URL: '',
  };
}

/** Every form a secret may take in a log line. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

function expectNoSecret(run: string, text: string): void {
  for (const [name, value] of Object.entries(SECRETS)) {
    for (const form of forms(value)) {
      const at = text.indexOf(form);
      expect(at === -1 ? 'absent' : `${name} found in run "${run}": …${text.slice(Math.max(0, at - 200), at + form.length + 50)}…`).toBe('absent');
    }
  }
}

describe.skipIf(!built)('secrets never reach the logs (compiled bot, LOG_LEVEL=debug)', () => {
  it('Telegram webhook + Discord, with failing Telegram calls and a model server that quotes the key back', async () => {
    const port = await freePort();
    const bot = startBot({
      ...baseEnv('webhook'),
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/tg-hook`,
      TELEGRAM_WEBHOOK_PORT: String(port),
      TELEGRAM_WEBHOOK_HOST: '127.0.0.1',
    });
    try {
      const ops = String((await bot.waitForLog('ops endpoint listening: /healthz, /metrics'))['url']);
      await bot.waitForLog('ringkas running', 30_000);
      expect(tg.webhook?.secret_token).toBe(SECRETS.TELEGRAM_WEBHOOK_SECRET);
      // Both platforms up: the webhook server listens, Discord's gateway is ready.
      const health = (await (await fetch(`${ops}/healthz`)).json()) as { checks: { platforms: Record<string, { connected: boolean; mode?: string }> } };
      expect(health.checks.platforms['telegram']).toMatchObject({ connected: true, mode: 'webhook', port });
      expect(health.checks.platforms['discord']).toMatchObject({ connected: true });

      // Every answer to this chat is cut off mid-request: grammY's errors name the Bot API URL.
      const alice = tg.user({ first_name: 'Alice' });
      const chat = tg.privateChat(alice);
      tg.fail('sendMessage', { reset: true, times: 20, chatId: chat.id });
      await tg.sendText(alice, chat, `/berita ${site.url('/berita')}`);
      await bot.waitForLog('telegram update failed', 30_000);
      // A webhook POST with a wrong secret is refused.
      expect(await tg.postToWebhook({ message: { message_id: 1, date: 0, chat, from: alice, text: '/help' } }, 'wrong-secret')).toBe(401);

      // Discord: a reading, and a digest post to a channel that does not exist.
      const h = await discord.interact({ command: 'berita', options: { masukan: site.url('/berita') } });
      expect((await h.final(20_000)).embeds[0]?.title).toContain('29 penerbangan');
    } finally {
      bot.child.kill('SIGTERM');
    }
    expect(await bot.exited).toBe(0);
    const text = bot.output();
    outputs.push({ run: 'webhook', text });
    // The failures did happen, and were logged (scrubbed).
    expect(text).toContain('telegram update failed');
    // The network error's URL held the token: scrubbed where it stood.
    expect(text).toContain('/bot[redacted]/sendMessage failed');
    expectNoSecret('webhook', text);
  }, 90_000);

  it('a 401 from Discord (a token Discord does not know) stops the start; nothing leaks', async () => {
    const bot = startBot({ ...baseEnv('discord-401'), DISCORD_TOKEN: `${SECRETS.DISCORD_TOKEN}-revoked` });
    const code = await bot.exited;
    const text = bot.output();
    outputs.push({ run: 'discord-401', text });
    expect(code).toBe(1);
    expect(text).toContain('a platform could not start');
    expect(discord.requests.some((r) => r.status === 401)).toBe(true);
    expectNoSecret('discord-401', text);
    // The revoked token is a secret too.
    expect(text).not.toContain(`${SECRETS.DISCORD_TOKEN}-revoked`);
  }, 60_000);

  it('a Redis that cannot be reached, with a password in STORE_URL: the start fails, the password is not shown', async () => {
    const port = await freePort();
    const bot = startBot({ ...baseEnv('redis'), STORE_URL: `redis://ringkas:${SECRETS.REDIS_PASSWORD_ENCODED}@127.0.0.1:${port}/0` });
    const code = await bot.exited;
    const text = bot.output();
    outputs.push({ run: 'redis', text });
    expect(code).toBe(1);
    expect(text).toContain('redis://ringkas:***@127.0.0.1');
    expectNoSecret('redis', text);
  }, 60_000);

  it('the model server was asked (so its 401 went through the logs too)', () => {
    expect(outputs.map((o) => o.run)).toEqual(['webhook', 'discord-401', 'redis']);
    // The LLM summary is optional: when this build calls the model, its refusal is in the logs, scrubbed.
    if (llmCalls > 0) expect(outputs[0]?.text).not.toContain(SECRETS.LLM_API_KEY);
  });
});
if (!built) console.warn('log redaction tests skipped: dist/ is not built (npm run build)');

describe('the logger (in process)', () => {
  function capture(env: Record<string, string>, secrets: string[] = []): { logger: ReturnType<typeof createLogger>; text: () => string } {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer | string, _enc, cb) {
        out += String(chunk);
        cb();
      },
    });
    return { logger: createLogger({ level: 'debug', destination: sink, env, secrets }), text: () => out };
  }

  it('scrubs secret values from messages, stacks, nested causes and fields; lines stay JSON', () => {
    const { logger, text } = capture({ TELEGRAM_BOT_TOKEN: SECRETS.TELEGRAM_BOT_TOKEN, LLM_API_KEY: SECRETS.LLM_API_KEY }, [SECRETS.TELEGRAM_WEBHOOK_SECRET]);
    const cause = new Error(`request to https://api.telegram.org/bot${SECRETS.TELEGRAM_BOT_TOKEN}/getUpdates failed`);
    logger.error({ err: new Error('Network request failed', { cause }), header: `Bearer ${SECRETS.LLM_API_KEY}` }, `posting with ${SECRETS.TELEGRAM_WEBHOOK_SECRET}`);
    logger.info({ url: `https://x.test/?key=${encodeURIComponent(SECRETS.LLM_API_KEY)}`, token: 'abc', headers: { authorization: 'Bot x' } }, 'fields');
    const lines = text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(text()).toContain('/bot[redacted]/getUpdates');
    expect(lines[0]?.['msg']).toBe('posting with [redacted]');
    expect(lines[0]?.['header']).toBe('Bearer [redacted]');
    expect(lines[1]).toMatchObject({ token: '[redacted]', headers: { authorization: '[redacted]' } });
    expectNoSecret('in-process', text());
  });

  it('knows the secrets of an environment, passwords in store URLs included', () => {
    const found = secretValues({ ...SECRETS, STORE_URL: `redis://ringkas:${SECRETS.REDIS_PASSWORD_ENCODED}@redis:6379/0`, REDIS_URL: 'redis://127.0.0.1:6379', FEEDS: 'https://a.test/rss' });
    expect(found).toEqual(expect.arrayContaining([SECRETS.DISCORD_TOKEN, SECRETS.TELEGRAM_BOT_TOKEN, SECRETS.TELEGRAM_WEBHOOK_SECRET, SECRETS.LLM_API_KEY, SECRETS.REDIS_PASSWORD_ENCODED, SECRETS.REDIS_PASSWORD]));
    expect(found).toHaveLength(6);
    // Short values would blank out ordinary words: left alone.
    expect(secretScrubber(['abc'])('abc abc')).toBe('abc abc');
  });

  it('NODE_ENV=development without pino-pretty installed still logs (JSON)', () => {
    expect(() => createLogger({ level: 'silent', env: { NODE_ENV: 'development' } })).not.toThrow();
  });
});
