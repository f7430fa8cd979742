/**
 * The abstractive summary end to end against a fake OpenAI-compatible server on loopback: the
 * real client, queue, budget, cache and grounding check. Every case asserts what the reader would
 * see (which bullets, which kind of summary) and what was logged; the API key never is.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { abstractiveFromConfig, createChatClient, createMemorySummaryCache } from '../../../src/adapters/llm/index.js';
import { textToArticle } from '../../../src/core/article.js';
import { readingToReply } from '../../../src/core/present.js';
import { readArticle } from '../../../src/core/reader.js';
import { createAbstractiveService, type AbstractiveService } from '../../../src/services/abstractive.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.js';
import { berasReading, captureLogger, FAITHFUL, FAITHFUL_BULLETS, INVENTED_NAME, INVENTED_NUMBER, MISQUOTE, MOSTLY_INVENTED, type CapturedLogger } from './fixtures.js';

const KEY = 'sk-test-RINGKAS-5ecr3t-0123456789abcdef';

let ai: FakeOpenAI;
/** Every log line of every test here: checked for the key at the end. */
const allLogs: string[] = [];
let log: CapturedLogger;

beforeAll(async () => {
  ai = await startFakeOpenAI();
});

afterAll(async () => {
  await ai.close();
  // The key went to the server in every request, and into no log line, whatever happened.
  expect(allLogs.length).toBeGreaterThan(0);
  expect(allLogs.join('\n')).not.toContain(KEY);
  expect(allLogs.join('\n')).not.toContain('5ecr3t');
});

beforeEach(() => {
  ai.reset();
  log = captureLogger();
  // Collected as they come, so that a failing test still contributes its lines.
  const push = log.lines.push.bind(log.lines);
  log.lines.push = (...items: string[]) => {
    allLogs.push(...items);
    return push(...items);
  };
});

function service(over: Partial<Parameters<typeof createAbstractiveService>[0]> = {}): AbstractiveService {
  return createAbstractiveService({
    client: createChatClient({ baseUrl: ai.baseUrl, apiKey: KEY, model: 'fake-model', timeoutMs: over.timeoutMs ?? 2000 }),
    model: 'fake-model',
    logger: log.logger,
    timeoutMs: 2000,
    dailyTokens: 0,
    concurrency: 2,
    cache: createMemorySummaryCache(),
    ...over,
  });
}

describe('a faithful answer', () => {
  it('is used: three grounded bullets, labelled as an AI summary checked against the article', async () => {
    ai.script({ content: FAITHFUL });
    const reading = berasReading();
    const out = await service().summarize(reading);
    expect(out.kind).toBe('abstractive');
    expect(out.reason).toBe('generated');
    expect(out.reading.summary).toEqual(FAITHFUL_BULLETS);
    expect(out.reading.summaryKind).toBe('abstractive');
    expect(out.dropped).toBe(0);
    // The rest of the reading is the reader's own.
    expect(out.reading.quotes).toEqual(reading.quotes);
    expect(out.reading.keywords).toEqual(reading.keywords);

    const reply = readingToReply(out.reading, 'id');
    expect(reply.summaryKind).toBe('abstractive');
    expect(reply.blocks[0]).toMatchObject({ type: 'bullets', items: FAITHFUL_BULLETS, note: 'Ringkasan AI, diperiksa terhadap artikel' });
    expect(readingToReply(out.reading, 'en').blocks[0]).toMatchObject({ note: 'AI summary, checked against the article' });
  });

  it('sends one OpenAI-style request: bearer key, model, system and user messages, temperature 0.2, max_tokens', async () => {
    ai.script({ content: FAITHFUL });
    await service().summarize(berasReading());
    expect(ai.requests).toHaveLength(1);
    const req = ai.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toMatchObject({ model: 'fake-model', temperature: 0.2, max_tokens: 400, stream: false });
    const [system, user] = req.body?.messages ?? [];
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('Tulis tepat 3 poin singkat dalam bahasa Indonesia');
    expect(user?.role).toBe('user');
    expect(user?.content).toContain('Judul: Harga Beras Naik di Pasar Induk Cipinang');
    expect(user?.content).toContain('Tempat: Jakarta');
    expect(user?.content).toContain('Operasi pasar akan dimulai di 12 titik');
    expect(user?.content).toMatch(/Kutipan penting:\n- “Pasokan turun hampir 30 persen/);
  });

  it('is cached by the article content: the same article again costs no request', async () => {
    ai.script({ content: FAITHFUL });
    const svc = service();
    await svc.summarize(berasReading());
    const again = await svc.summarize(berasReading());
    expect(again.kind).toBe('abstractive');
    expect(again.reason).toBe('cached');
    expect(again.reading.summary).toEqual(FAITHFUL_BULLETS);
    expect(ai.requests).toHaveLength(1);
    // Another article (another title) is another request.
    await svc.summarize(berasReading('Harga Beras Medium Naik Lagi'));
    expect(ai.requests).toHaveLength(2);
  });
});

describe('unsupported bullets are dropped', () => {
  it('an invented number: that bullet goes, the other two are shown', async () => {
    ai.script({ content: INVENTED_NUMBER });
    const out = await service().summarize(berasReading());
    expect(out.kind).toBe('abstractive');
    expect(out.reading.summary).toEqual([FAITHFUL_BULLETS[1], FAITHFUL_BULLETS[2]]);
    expect(out.dropped).toBe(1);
    expect(out.verdicts?.[0]?.issues).toContainEqual({ kind: 'number', text: '16.000' });
    expect(out.reading.summary.join(' ')).not.toContain('16.000');
    // Why it went is in the debug log.
    const dropped = log.records('bullet dropped: not supported by the article');
    expect(dropped).toHaveLength(1);
    expect(String(dropped[0]?.['issues'])).toContain('number 16.000');
  });

  it('an invented name: that bullet goes', async () => {
    ai.script({ content: INVENTED_NAME });
    const out = await service().summarize(berasReading());
    expect(out.kind).toBe('abstractive');
    expect(out.reading.summary).toEqual([FAITHFUL_BULLETS[0], FAITHFUL_BULLETS[2]]);
    expect(out.reading.summary.join(' ')).not.toContain('Budi');
    expect(out.verdicts?.[1]?.issues).toContainEqual({ kind: 'name', text: 'Budi' });
  });

  it('a misquote: that bullet goes, the verbatim quote stays', async () => {
    ai.script({ content: MISQUOTE });
    const out = await service().summarize(berasReading());
    expect(out.kind).toBe('abstractive');
    expect(out.reading.summary).toEqual([FAITHFUL_BULLETS[0], 'Zulkifli Rasyid mengatakan, “Pasokan turun hampir 30 persen dibanding pekan lalu.”']);
    expect(out.verdicts?.[1]?.issues.map((i) => i.kind)).toEqual(['quote']);
  });

  it('fewer than two bullets left: the extractive summary, and the decision is cached', async () => {
    ai.script({ content: MOSTLY_INVENTED });
    const reading = berasReading();
    const svc = service();
    const out = await svc.summarize(reading);
    expect(out.kind).toBe('extractive');
    expect(out.reason).toBe('ungrounded');
    expect(out.reading.summary).toEqual(reading.summary);
    expect(out.reading.summaryKind).toBe('extractive');
    expect(readingToReply(out.reading, 'id').blocks[0]).not.toHaveProperty('note');
    const again = await svc.summarize(reading);
    expect(again.kind).toBe('extractive');
    expect(ai.requests).toHaveLength(1);
  });
});

describe('failures fall back to the extractive summary', () => {
  it('a slow answer: the extractive summary within the time budget', async () => {
    ai.script({ delayMs: 3000, content: FAITHFUL });
    const reading = berasReading();
    const started = performance.now();
    const out = await service({ timeoutMs: 400 }).summarize(reading);
    const ms = performance.now() - started;
    expect(out.kind).toBe('extractive');
    expect(['timeout', 'deadline']).toContain(out.reason);
    expect(out.reading.summary).toEqual(reading.summary);
    expect(ms).toBeLessThan(400 + 250);
    expect(ms).toBeGreaterThanOrEqual(350);
  });

  it('a server that never answers: the same, and the caller giving up ends it at once', async () => {
    ai.script({ hang: true });
    const svc = service({ timeoutMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const out = await svc.summarize(berasReading(), { signal: controller.signal });
    expect(out.kind).toBe('extractive');
    expect(out.reason).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it.each([
    ['429', { status: 429, body: JSON.stringify({ error: { message: 'Rate limit reached', code: 'rate_limit_exceeded' } }) }, 'rate_limited'],
    ['500', { status: 500, body: 'Internal Server Error' }, 'server'],
    ['503', { status: 503, body: '' }, 'server'],
    ['garbage', { body: '<html><body>Bad gateway, maybe</body></html>' }, 'malformed'],
    ['JSON without choices', { body: JSON.stringify({ object: 'error' }) }, 'malformed'],
    ['no choice', { noChoices: true }, 'empty'],
    ['empty content', { content: '' }, 'empty'],
    ['null content', { content: null }, 'empty'],
    ['prose without points', { content: 'Maaf, saya tidak bisa.' }, 'empty'],
    ['401 echoing the key', { status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, code: 'invalid_api_key' } }) }, 'http'],
  ] as const)('%s: the extractive summary', async (_name, reply, reason) => {
    ai.script(reply);
    const reading = berasReading();
    const out = await service().summarize(reading);
    expect(out.kind).toBe('extractive');
    expect(out.reason).toBe(reason);
    expect(out.reading.summary).toEqual(reading.summary);
    expect(readingToReply(out.reading, 'id').summaryKind).toBe('extractive');
    const notes = log.records('abstractive summary not used; the extractive one stands');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.['reason']).toBe(reason);
  });

  it('a 429 with Retry-After pauses the model server for that long', async () => {
    let clock = Date.parse('2026-11-29T03:00:00Z');
    ai.script({ status: 429, headers: { 'retry-after': '30' } }, { content: FAITHFUL });
    const svc = service({ now: () => clock });
    expect((await svc.summarize(berasReading())).reason).toBe('rate_limited');
    expect((await svc.summarize(berasReading())).reason).toBe('paused');
    expect(ai.requests).toHaveLength(1);
    clock += 31_000;
    const out = await svc.summarize(berasReading());
    expect(out.kind).toBe('abstractive');
    expect(ai.requests).toHaveLength(2);
  });

  it('an unreachable server: the extractive summary, and three failures in a row pause it', async () => {
    const dead = await startFakeOpenAI();
    const base = dead.baseUrl;
    await dead.close();
    const svc = createAbstractiveService({
      client: createChatClient({ baseUrl: base, apiKey: KEY, model: 'fake-model', timeoutMs: 1000 }),
      model: 'fake-model',
      logger: log.logger,
      timeoutMs: 1000,
      dailyTokens: 0,
      concurrency: 2,
    });
    const reasons: string[] = [];
    for (let i = 0; i < 4; i++) reasons.push((await svc.summarize(berasReading(`Judul ${i} tentang harga beras`))).reason);
    expect(reasons).toEqual(['network', 'network', 'network', 'paused']);
    expect(log.records('the model server failed several times in a row; extractive summaries for a while')).toHaveLength(1);
  });
});

describe('the daily token budget', () => {
  it('used up: extractive summaries, logged once per UTC day; the next day it starts again', async () => {
    let clock = Date.parse('2026-11-29T10:00:00Z');
    // The first call is affordable (about 600 tokens reserved) and reports 1 900 used of 2 000.
    ai.script({ content: FAITHFUL, usage: { prompt_tokens: 1700, completion_tokens: 200, total_tokens: 1900 } });
    const svc = service({ dailyTokens: 2000, now: () => clock });
    const first = await svc.summarize(berasReading('Harga Beras Naik Satu'));
    expect(first.kind).toBe('abstractive');
    const second = await svc.summarize(berasReading('Harga Beras Naik Dua'));
    const third = await svc.summarize(berasReading('Harga Beras Naik Tiga'));
    expect([second.kind, second.reason]).toEqual(['extractive', 'budget']);
    expect([third.kind, third.reason]).toEqual(['extractive', 'budget']);
    expect(ai.requests).toHaveLength(1);
    const warned = log.records('daily token budget of the model server is used up; extractive summaries until the next UTC day');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 40, used: 1900, limit: 2000, day: '2026-11-29' });

    // A cached summary still shows: it costs nothing.
    expect((await svc.summarize(berasReading('Harga Beras Naik Satu'))).kind).toBe('abstractive');

    clock = Date.parse('2026-11-30T00:00:01Z');
    const nextDay = await svc.summarize(berasReading('Harga Beras Naik Empat'));
    expect(nextDay.kind).toBe('abstractive');
    expect(ai.requests).toHaveLength(2);
  });

  it('without usage in the answer, an estimate is counted', async () => {
    ai.script({ content: FAITHFUL, usage: null });
    const svc = service({ dailyTokens: 1500 });
    expect((await svc.summarize(berasReading('Harga Beras Naik Satu'))).kind).toBe('abstractive');
    expect((await svc.summarize(berasReading('Harga Beras Naik Dua'))).kind).toBe('abstractive');
    // About 600 counted per call: the third cannot be afforded.
    expect((await svc.summarize(berasReading('Harga Beras Naik Tiga'))).reason).toBe('budget');
    expect(ai.requests).toHaveLength(2);
  });
});

describe('limits', () => {
  it('holds at most LLM_CONCURRENCY requests in flight', async () => {
    ai.script({ delayMs: 150, content: FAITHFUL });
    const svc = service({ concurrency: 2 });
    const outs = await Promise.all([1, 2, 3, 4, 5].map((i) => svc.summarize(berasReading(`Harga beras hari ke-${i}`))));
    expect(outs.every((o) => o.kind === 'abstractive')).toBe(true);
    expect(ai.requests).toHaveLength(5);
    expect(ai.maxInFlight).toBe(2);
  });

  it('a queue longer than the time budget: the waiting ones fall back in time, the server is not asked', async () => {
    ai.script({ delayMs: 500, content: FAITHFUL });
    const svc = service({ concurrency: 1, timeoutMs: 700 });
    const started = performance.now();
    const outs = await Promise.all([1, 2, 3].map((i) => svc.summarize(berasReading(`Harga beras hari ke-${i}`))));
    expect(performance.now() - started).toBeLessThan(700 + 300);
    expect(outs.map((o) => o.kind)).toEqual(['abstractive', 'extractive', 'extractive']);
    expect(outs.slice(1).map((o) => o.reason)).toEqual(['deadline', 'deadline']);
    // The second waited 500 ms and had 200 left: asked, then given up; the third was never sent.
    await new Promise((r) => setTimeout(r, 100));
    expect(ai.requests.length).toBeLessThanOrEqual(2);
  });

  it('a short article keeps its extractive summary without asking the server', async () => {
    const short = readArticle(textToArticle('Hujan Deras di Bogor\n\nHujan deras mengguyur Bogor sore ini.'));
    const out = await service().summarize(short);
    expect([out.kind, out.reason]).toEqual(['extractive', 'short']);
    expect(out.reading.summary).toEqual(short.summary);
    expect(ai.requests).toHaveLength(0);
  });
});

describe('abstractiveFromConfig', () => {
  const base = { LLM_API_KEY: KEY, LLM_TIMEOUT_MS: 2000, LLM_DAILY_TOKENS: 0, LLM_CONCURRENCY: 2 };

  it('builds nothing without LLM_BASE_URL and LLM_MODEL', () => {
    expect(abstractiveFromConfig({ ...base, LLM_BASE_URL: undefined, LLM_MODEL: 'm' }, log.logger)).toBeUndefined();
    expect(abstractiveFromConfig({ ...base, LLM_BASE_URL: ai.baseUrl, LLM_MODEL: undefined }, log.logger)).toBeUndefined();
  });

  it('accepts a base URL without /v1, and says it is on without the key', async () => {
    ai.script({ content: FAITHFUL });
    const svc = abstractiveFromConfig({ ...base, LLM_BASE_URL: `${ai.origin}/`, LLM_MODEL: 'qwen2.5:7b' }, log.logger);
    expect(svc).toBeDefined();
    const out = await svc!.summarize(berasReading());
    expect(out.kind).toBe('abstractive');
    expect(ai.requests[0]?.path).toBe('/v1/chat/completions');
    expect(ai.requests[0]?.body?.model).toBe('qwen2.5:7b');
    const on = log.records('abstractive summaries on');
    expect(on).toHaveLength(1);
    expect(on[0]).toMatchObject({ endpoint: `${ai.origin}/v1/chat/completions`, model: 'qwen2.5:7b', auth: true });
  });
});
