/**
 * Abstractive summaries through the chat adapters: the console chat and the real Telegram adapter
 * against the fake Bot API, with the fake model server behind the real service. The user sees the
 * model's grounded bullets with the label, or the extractive summary without it when the model fails.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCommands } from '../../../commands/index.js';
import { main } from '../../../src/cli.js';
import { runConsole } from '../../../src/adapters/console/index.js';
import { abstractiveFromConfig } from '../../../src/adapters/llm/index.js';
import { startTelegram, type RunningTelegram } from '../../../src/adapters/telegram/index.js';
import type { Store } from '../../../src/adapters/store/index.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.js';
import { startFakeTelegram, type FakeTelegram } from '../../helpers/fake-telegram.js';
import { silentLogger, testServices } from '../../helpers/services.js';
import { createServices, FAST_TUNING } from '../telegram/harness.js';
import { berasReading, berasText, captureLogger, FAITHFUL, FAITHFUL_BULLETS, INVENTED_NUMBER } from './fixtures.js';

const KEY = 'sk-e2e-0123456789-SECRET';
const LABEL_ID = 'Ringkasan AI, diperiksa terhadap artikel';
const LABEL_EN = 'AI summary, checked against the article';

let ai: FakeOpenAI;
beforeAll(async () => {
  ai = await startFakeOpenAI();
});
afterAll(async () => {
  await ai.close();
});
beforeEach(() => ai.reset());

function llmConfig(): Parameters<typeof abstractiveFromConfig>[0] {
  return { LLM_BASE_URL: ai.baseUrl, LLM_API_KEY: KEY, LLM_MODEL: 'fake-model', LLM_TIMEOUT_MS: 2000, LLM_DAILY_TOKENS: 0, LLM_CONCURRENCY: 2 };
}

async function converse(text: string, locale: 'id' | 'en' = 'id', logger = silentLogger): Promise<string> {
  const abstractive = abstractiveFromConfig(llmConfig(), logger);
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
  const done = runConsole({ commands: loadCommands(), services: { ...testServices(), ...(abstractive !== undefined ? { abstractive } : {}) }, logger, input, output, locale, pasteIdleMs: 20 });
  input.end(`${text}\n`);
  await done;
  return printed;
}

describe('the console chat', () => {
  it('shows the grounded AI summary with its label', async () => {
    ai.script({ content: FAITHFUL });
    const log = captureLogger();
    const out = await converse(berasText(), 'id', log.logger);
    for (const b of FAITHFUL_BULLETS) expect(out).toContain(`• ${b}`);
    expect(out).toContain(`(${LABEL_ID})`);
    // The label sits under the summary, before the quotes.
    expect(out.indexOf(LABEL_ID)).toBeLessThan(out.indexOf('Kutipan penting'));
    expect(out).toContain('Zulkifli Rasyid');
    expect(ai.requests).toHaveLength(1);
    expect(log.text()).not.toContain(KEY);
  });

  it('labels it in English for English users', async () => {
    ai.script({ content: FAITHFUL });
    const out = await converse(berasText('Harga Beras Medium Naik di Cipinang'), 'en');
    expect(out).toContain(`(${LABEL_EN})`);
  });

  it('drops the invented bullet and shows the other two', async () => {
    ai.script({ content: INVENTED_NUMBER });
    const out = await converse(berasText('Harga Beras di Cipinang Naik Lagi'));
    expect(out).not.toContain('16.000');
    expect(out).toContain(`• ${FAITHFUL_BULLETS[1]}`);
    expect(out).toContain(LABEL_ID);
  });

  it('a failing model server: the extractive summary, no label', async () => {
    ai.script({ status: 500, body: 'down' });
    const title = 'Harga Beras Cipinang Naik Tajam';
    const out = await converse(berasText(title));
    const extractive = berasReading(title).summary;
    expect(extractive.length).toBeGreaterThan(0);
    for (const s of extractive) expect(out).toContain(`• ${s}`);
    expect(out).not.toContain(LABEL_ID);
    expect(ai.requests).toHaveLength(1);
  });
});

describe('Telegram', () => {
  let tg: FakeTelegram;
  let bot: RunningTelegram;
  let store: Store;

  beforeAll(async () => {
    tg = await startFakeTelegram();
    const made = await createServices();
    store = made.store;
    const abstractive = abstractiveFromConfig(llmConfig(), silentLogger);
    bot = await startTelegram({
      config: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, DIGEST_TIMEZONE: 'Asia/Jakarta' },
      services: { ...made.services, ...(abstractive !== undefined ? { abstractive } : {}) },
      commands: loadCommands(),
      logger: silentLogger,
      tuning: FAST_TUNING,
      shutdownGraceMs: 3000,
    });
  });

  afterAll(async () => {
    await bot?.stop();
    await tg?.close();
    await store?.close();
  });

  it('answers pasted article text with the AI summary, its label in italics under the bullets', async () => {
    ai.script({ content: FAITHFUL });
    const user = tg.user();
    const chat = tg.privateChat(user);
    await tg.sendText(user, chat, berasText('Harga Beras Naik di Pasar Induk Jakarta'));
    const [m] = await tg.waitForMessages(chat.id, 1);
    expect(m).toBeDefined();
    const text = m?.text ?? '';
    expect(text.startsWith('Harga Beras Naik di Pasar Induk Jakarta')).toBe(true);
    for (const b of FAITHFUL_BULLETS) expect(text).toContain(`• ${b}`);
    expect(text).toContain(`${FAITHFUL_BULLETS[2]}\n${LABEL_ID}\n\nKutipan penting`);
    const italic = m?.entities.filter((e) => e.type === 'italic').map((e) => text.slice(e.offset, e.offset + e.length)) ?? [];
    expect(italic).toContain(LABEL_ID);
    expect(ai.requests).toHaveLength(1);
  });
});

describe('ringkas summarize', () => {
  async function cli(args: string[], stdinText: string): Promise<string> {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    stdin.end(stdinText);
    const env = { LOG_LEVEL: 'silent', LLM_BASE_URL: ai.baseUrl, LLM_MODEL: 'fake-model', LLM_API_KEY: KEY, LLM_TIMEOUT_MS: '2000' };
    expect(await main(args, { stdin, stdout, stderr, env })).toBe(0);
    return out;
  }

  it('prints the AI summary a user would see; --json keeps the extractive sentences', async () => {
    ai.script({ content: FAITHFUL });
    const text = berasText('Harga Beras di Pasar Induk Naik Lagi');
    const plain = await cli(['summarize', '-'], text);
    expect(plain).toContain(`• ${FAITHFUL_BULLETS[0]}`);
    expect(plain).toContain(LABEL_ID);
    const json = JSON.parse(await cli(['summarize', '-', '--json'], text)) as { summary: string[] };
    expect(json.summary).toEqual(berasReading('Harga Beras di Pasar Induk Naik Lagi').summary);
    expect(ai.requests).toHaveLength(1);
  });
});
