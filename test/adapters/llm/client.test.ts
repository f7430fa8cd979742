/** The OpenAI-compatible client against the fake server: URLs, requests, and every kind of failure. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TokenBudget } from '../../../src/adapters/llm/budget.js';
import { createMemorySummaryCache } from '../../../src/adapters/llm/cache.js';
import { chatCompletionsUrl, createChatClient, LlmError, redactUrl } from '../../../src/adapters/llm/client.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.js';
import { failure as failed } from '../../helpers/errors.js';

const KEY = 'sk-client-test-0123456789-SECRET';
const MESSAGES = [
  { role: 'system' as const, content: 'Ringkas.' },
  { role: 'user' as const, content: 'Judul: Tes' },
];

let ai: FakeOpenAI;
beforeAll(async () => {
  ai = await startFakeOpenAI();
});
afterAll(async () => {
  await ai.close();
});
beforeEach(() => ai.reset());

const failure = (p: Promise<unknown>): Promise<LlmError> => failed(p, LlmError);

describe('chatCompletionsUrl', () => {
  it.each([
    ['http://127.0.0.1:11434/v1', 'http://127.0.0.1:11434/v1/chat/completions'],
    ['http://127.0.0.1:11434/v1/', 'http://127.0.0.1:11434/v1/chat/completions'],
    ['http://127.0.0.1:11434', 'http://127.0.0.1:11434/v1/chat/completions'],
    ['https://api.openai.com/', 'https://api.openai.com/v1/chat/completions'],
    ['https://openrouter.ai/api/v1', 'https://openrouter.ai/api/v1/chat/completions'],
    ['https://generativelanguage.googleapis.com/v1beta/openai/', 'https://generativelanguage.googleapis.com/v1beta/openai/chat/completions'],
    ['http://llm.internal:8000/v1/chat/completions', 'http://llm.internal:8000/v1/chat/completions'],
    ['http://proxy.local/llm', 'http://proxy.local/llm/v1/chat/completions'],
  ])('%s', (base, url) => {
    expect(chatCompletionsUrl(base)).toBe(url);
  });

  it('redacts credentials and queries from what logs show', () => {
    expect(redactUrl('https://user:pa55word@llm.example/v1/chat/completions?key=abc')).toBe('https://llm.example/v1/chat/completions');
  });
});

describe('a request', () => {
  it('posts the OpenAI body with the bearer key and returns the text, finish reason and usage', async () => {
    ai.script({ content: '- satu dua tiga', usage: { prompt_tokens: 90, completion_tokens: 10, total_tokens: 100 }, finishReason: 'length' });
    const client = createChatClient({ baseUrl: ai.origin, apiKey: KEY, model: 'm-1' });
    const out = await client.complete(MESSAGES, { maxTokens: 123 });
    expect(out).toEqual({ text: '- satu dua tiga', finishReason: 'length', totalTokens: 100 });
    const req = ai.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(req?.body).toEqual({ model: 'm-1', messages: MESSAGES, temperature: 0.2, max_tokens: 123, stream: false });
    expect(client.endpoint).toBe(`${ai.origin}/v1/chat/completions`);
  });

  it('turns credentials in the base URL into Basic auth (fetch refuses them in URLs)', async () => {
    ai.script({ content: 'ok ok ok' });
    const client = createChatClient({ baseUrl: `http://proxy:pa55@127.0.0.1:${new URL(ai.origin).port}/v1`, model: 'm' });
    await client.complete(MESSAGES);
    expect(ai.requests[0]?.headers['authorization']).toBe(`Basic ${Buffer.from('proxy:pa55').toString('base64')}`);
    expect(client.endpoint).toBe(`${ai.origin}/v1/chat/completions`);
  });

  it('sends no Authorization header without a key (a local server)', async () => {
    ai.script({ content: 'ok ok ok' });
    await createChatClient({ baseUrl: ai.baseUrl, model: 'm' }).complete(MESSAGES);
    expect(ai.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('reads content parts and sums usage parts', async () => {
    ai.script({ content: [{ type: 'text', text: '- satu ' }, { type: 'text', text: 'dua' }], usage: { prompt_tokens: 7, completion_tokens: 3 } });
    const out = await createChatClient({ baseUrl: ai.baseUrl, model: 'm' }).complete(MESSAGES);
    expect(out).toMatchObject({ text: '- satu dua', totalTokens: 10 });
  });
});

describe('failures, classified', () => {
  it.each([
    [{ status: 429, headers: { 'retry-after': '12' } }, 'rate_limited', 429, 12_000],
    [{ status: 500, body: 'boom' }, 'server', 500, undefined],
    [{ status: 502, body: '<html>Bad Gateway</html>' }, 'server', 502, undefined],
    [{ status: 404, body: '{"error":{"message":"model not found","code":"model_not_found"}}' }, 'http', 404, undefined],
    [{ body: 'not json at all' }, 'malformed', undefined, undefined],
    [{ body: '[1,2,3]' }, 'malformed', undefined, undefined],
    [{ body: '{"choices":[{"message":{"content":42}}]}' }, 'malformed', undefined, undefined],
    [{ noChoices: true }, 'empty', undefined, undefined],
    [{ content: '   \n ' }, 'empty', undefined, undefined],
  ] as const)('%j -> %s', async (reply, kind, status, retryAfterMs) => {
    ai.script(reply);
    const err = await failure(createChatClient({ baseUrl: ai.baseUrl, apiKey: KEY, model: 'm' }).complete(MESSAGES));
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    expect(err.retryAfterMs).toBe(retryAfterMs);
  });

  it('a refused request names its error code, never the text of the body', async () => {
    ai.script({ status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}`, code: 'invalid_api_key' } }) });
    const err = await failure(createChatClient({ baseUrl: ai.baseUrl, apiKey: KEY, model: 'm' }).complete(MESSAGES));
    expect(err.message).toBe('the model server refused the request (401 invalid_api_key)');
    expect(`${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`).not.toContain(KEY);
  });

  it('a slow server: timeout after timeoutMs', async () => {
    ai.script({ delayMs: 2000, content: 'late' });
    const started = performance.now();
    const err = await failure(createChatClient({ baseUrl: ai.baseUrl, model: 'm', timeoutMs: 300 }).complete(MESSAGES));
    expect(err.kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(800);
  });

  it("the caller's signal: aborted", async () => {
    ai.script({ hang: true });
    const err = await failure(createChatClient({ baseUrl: ai.baseUrl, model: 'm', timeoutMs: 5000 }).complete(MESSAGES, { signal: AbortSignal.timeout(100) }));
    expect(err.kind).toBe('aborted');
  });

  it('nobody listening: network, with the error code only', async () => {
    const dead = await startFakeOpenAI();
    const base = `http://u:${KEY}@127.0.0.1:${new URL(dead.origin).port}/v1`;
    await dead.close();
    const err = await failure(createChatClient({ baseUrl: base, apiKey: KEY, model: 'm' }).complete(MESSAGES));
    expect(err.kind).toBe('network');
    expect(err.message).toBe('the model server could not be reached (ECONNREFUSED)');
    expect(`${err.message}\n${err.stack ?? ''}`).not.toContain(KEY);
  });

  it('an answer larger than the limit: malformed', async () => {
    ai.script({ content: 'x'.repeat(5000) });
    const err = await failure(createChatClient({ baseUrl: ai.baseUrl, model: 'm', maxBodyBytes: 1000 }).complete(MESSAGES));
    expect(err.kind).toBe('malformed');
  });
});

describe('TokenBudget', () => {
  it('reserves before a call, settles to what was used, refuses past the limit once noticed per UTC day', () => {
    let clock = Date.parse('2026-11-29T23:00:00Z');
    const budget = new TokenBudget({ limit: 1000, now: () => clock });
    const a = budget.reserve(600);
    expect(a.ok).toBe(true);
    // 600 reserved: another 600 cannot start while the first is in flight.
    const b = budget.reserve(600);
    expect(b).toMatchObject({ ok: false, firstToday: true, used: 0, limit: 1000, day: '2026-11-29' });
    if (a.ok) a.reservation.settle(300);
    expect(budget.used).toBe(300);
    const c = budget.reserve(600);
    expect(c.ok).toBe(true);
    if (c.ok) c.reservation.settle(650);
    const d = budget.reserve(100);
    expect(d).toMatchObject({ ok: false, firstToday: false, used: 950 });
    clock = Date.parse('2026-11-30T00:00:00Z');
    expect(budget.used).toBe(0);
    expect(budget.reserve(600).ok).toBe(true);
    expect(budget.reserve(600)).toMatchObject({ ok: false, firstToday: true, day: '2026-11-30' });
  });

  it('0 is no limit', () => {
    const budget = new TokenBudget({ limit: 0 });
    for (let i = 0; i < 100; i++) {
      const r = budget.reserve(1e9);
      expect(r.ok).toBe(true);
      if (r.ok) r.reservation.settle(1e9);
    }
  });
});

describe('the in-memory summary cache', () => {
  it('forgets the least recently used past its size and expired entries', async () => {
    let clock = 0;
    const cache = createMemorySummaryCache(2, () => clock);
    const rec = (b: string) => ({ kind: 'abstractive' as const, bullets: [b], model: 'm', at: 0 });
    await cache.set('a', rec('a'), 1000);
    await cache.set('b', rec('b'), 1000);
    await cache.get('a');
    await cache.set('c', rec('c'), 1000);
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('a'))?.bullets).toEqual(['a']);
    clock = 1000;
    expect(await cache.get('c')).toBeUndefined();
  });
});
