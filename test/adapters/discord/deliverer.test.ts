import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { createDeliveryRest, discordNonce, DiscordDeliverer, toDeliveryError } from '../../../src/adapters/discord/deliverer.js';
import type { Reply } from '../../../src/core/reply.js';
import { DeliveryError } from '../../../src/services/delivery.js';
import { failure as refused } from '../../helpers/errors.js';
import { startFakeDiscord, snowflake, type FakeDiscord } from '../../helpers/fake-discord.js';
import { closedPort } from '../../helpers/news-server.js';
import { silentLogger } from '../../helpers/services.js';

const digest: Reply = {
  locale: 'id',
  kind: 'results',
  title: 'Ringkasan harian — Senin, 30 November 2026',
  blocks: [{ type: 'links', items: [{ title: 'Harga beras naik', url: 'https://berita.example/1', note: 'Harga beras medium naik di Cipinang.' }] }],
  footer: 'Ringkas · /digest status',
  buttons: [{ label: 'Baca semua', url: 'https://berita.example/' }, { label: 'Tidak untuk digest', action: 'x' }],
};

const failure = (p: Promise<unknown>): Promise<DeliveryError> => refused(p, DeliveryError);

describe('DiscordDeliverer against a loopback Discord', () => {
  let discord: FakeDiscord;
  let deliverer: DiscordDeliverer;
  const rest = { current: undefined as ReturnType<typeof createDeliveryRest> | undefined };

  beforeAll(async () => {
    discord = await startFakeDiscord();
    rest.current = createDeliveryRest({ token: discord.token, api: discord.apiUrl, timeoutMs: 3000 });
    deliverer = new DiscordDeliverer({ rest: rest.current, logger: silentLogger });
  });
  afterAll(async () => {
    rest.current?.clearHashSweeper();
    rest.current?.clearHandlerSweeper();
    await discord.close();
  });

  it('posts the digest as an embed with link buttons only', async () => {
    await deliverer.deliver(discord.channelId, digest);
    const [posted] = discord.channelMessages(discord.channelId);
    expect(posted?.embeds[0]?.title).toBe(digest.title);
    expect(posted?.embeds[0]?.description).toBe('**1. [Harga beras naik](https://berita.example/1)**\nHarga beras medium naik di Cipinang.');
    expect(posted?.components).toEqual([{ type: 1, components: [{ type: 2, style: 5, url: 'https://berita.example/', label: 'Baca semua' }] }]);
    expect(discord.requests.at(-1)?.headers.authorization).toBe(`Bot ${discord.token}`);
    expect(discord.rejections).toEqual([]);
  });

  it('reports a deleted channel as channel-gone (permanent)', async () => {
    const err = await failure(deliverer.deliver(snowflake(), digest));
    expect([err.reason, err.permanent]).toEqual(['channel-gone', true]);
    expect((await failure(deliverer.deliver('bukan-id', digest))).reason).toBe('channel-gone');
  });

  it('reports missing access and missing permissions as forbidden (permanent)', async () => {
    for (const code of [50001, 50013]) {
      const id = snowflake();
      discord.channelBehaviour(id, { status: 403, code, message: code === 50001 ? 'Missing Access' : 'Missing Permissions' });
      const err = await failure(deliverer.deliver(id, digest));
      expect([err.reason, err.permanent]).toEqual(['forbidden', true]);
    }
  });

  it('reports 429 as rate-limited with the time to wait, at once', async () => {
    const id = snowflake();
    discord.channelBehaviour(id, { status: 429, retryAfter: 2 });
    const started = Date.now();
    const err = await failure(deliverer.deliver(id, digest));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err.reason).toBe('rate-limited');
    expect(err.permanent).toBe(false);
    expect(err.retryAfterMs).toBeGreaterThanOrEqual(2000);
    expect(err.retryAfterMs).toBeLessThan(5000);
  });

  it('reports 5xx and network failures as transient', async () => {
    const id = snowflake();
    discord.channelBehaviour(id, { status: 502 });
    expect((await failure(deliverer.deliver(id, digest))).reason).toBe('transient');
    const port = await closedPort();
    const down = createDeliveryRest({ token: 't', api: `http://127.0.0.1:${port}/api`, timeoutMs: 2000 });
    const offline = new DiscordDeliverer({ rest: down, logger: silentLogger });
    const err = await failure(offline.deliver(discord.channelId, digest));
    expect([err.reason, err.permanent]).toEqual(['transient', false]);
    down.clearHashSweeper();
    down.clearHandlerSweeper();
  });
});

describe('DiscordDeliverer: a retry with the same idempotency key posts once (message nonce)', () => {
  let discord: FakeDiscord;
  let deliverer: DiscordDeliverer;
  const rests: ReturnType<typeof createDeliveryRest>[] = [];
  const restFor = (api: string, timeoutMs = 3000): ReturnType<typeof createDeliveryRest> => {
    const r = createDeliveryRest({ token: discord.token, api, timeoutMs });
    rests.push(r);
    return r;
  };
  const posts = (channelId: string) => discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`);

  beforeAll(async () => {
    discord = await startFakeDiscord();
    deliverer = new DiscordDeliverer({ rest: restFor(discord.apiUrl), logger: silentLogger });
  });
  afterAll(async () => {
    for (const r of rests) {
      r.clearHashSweeper();
      r.clearHandlerSweeper();
    }
    await discord.close();
  });

  it('derives a stable nonce of at most 25 characters per delivery and part', () => {
    const key = 'digest:discord:1234|2026-11-30|07:00';
    expect(discordNonce(key)).toMatch(/^[0-9a-f]{25}$/);
    expect(discordNonce(key)).toBe(discordNonce(key, 0));
    expect(new Set([discordNonce(key), discordNonce(key, 1), discordNonce('digest:discord:1234|2026-12-01|07:00'), discordNonce('digest:discord:1235|2026-11-30|07:00')]).size).toBe(4);
  });

  it('two sends with the same key create one message; Discord answers the second with the first', async () => {
    const id = snowflake();
    discord.addChannel(id);
    const key = `digest:discord:${id}|2026-11-30|07:00`;
    await deliverer.deliver(id, digest, { idempotencyKey: key });
    await deliverer.deliver(id, digest, { idempotencyKey: key });
    const messages = discord.channelMessages(id);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.['nonce']).toBe(discordNonce(key));
    expect(posts(id).map((r) => [r.status, (r.body as Record<string, unknown>)['nonce'], (r.body as Record<string, unknown>)['enforce_nonce']])).toEqual([
      [200, discordNonce(key), true],
      [200, discordNonce(key), true],
    ]);
    expect(discord.nonceDedups.filter((d) => d.channelId === id)).toEqual([{ channelId: id, nonce: discordNonce(key), messageId: messages[0]?.id, at: expect.any(Number) as number }]);
    // Another slot is another message.
    await deliverer.deliver(id, digest, { idempotencyKey: `digest:discord:${id}|2026-12-01|07:00` });
    expect(discord.channelMessages(id)).toHaveLength(2);
    expect(discord.rejections).toEqual([]);
  });

  it('without a key (a pause notice) nothing is deduplicated: no nonce is sent', async () => {
    const id = snowflake();
    discord.addChannel(id);
    await deliverer.deliver(id, digest);
    await deliverer.deliver(id, digest);
    expect(discord.channelMessages(id)).toHaveLength(2);
    expect(posts(id).map((r) => Object.keys(r.body as object).filter((k) => k.includes('nonce')))).toEqual([[], []]);
  });

  it('a timeout after Discord accepted the post (transient), then the retry: still one message', async () => {
    const id = snowflake();
    discord.addChannel(id);
    const key = `digest:discord:${id}|2026-11-30|07:00`;
    // Discord creates the message but its answer comes after the client gave up.
    discord.channelBehaviour(id, { status: 200, holdAnswerMs: 5_000 });
    const impatient = new DiscordDeliverer({ rest: restFor(discord.apiUrl, 400), logger: silentLogger });
    const err = await failure(impatient.deliver(id, digest, { idempotencyKey: key }));
    expect(err.reason).toBe('transient');
    expect(discord.channelMessages(id)).toHaveLength(1);
    discord.channelBehaviour(id, undefined);
    await impatient.deliver(id, digest, { idempotencyKey: key });
    expect(discord.channelMessages(id)).toHaveLength(1);
    expect(discord.nonceDedups.filter((d) => d.channelId === id).map((d) => d.nonce)).toEqual([discordNonce(key)]);
  });

  it('a repeat after the message was deleted is done, not a gone channel (Discord: 10008), and posts nothing', async () => {
    const id = snowflake();
    discord.addChannel(id);
    const key = `digest:discord:${id}|2026-11-30|07:00`;
    await deliverer.deliver(id, digest, { idempotencyKey: key });
    const [first] = discord.channelMessages(id);
    discord.deleteChannelMessage(id, first?.id ?? '');
    await deliverer.deliver(id, digest, { idempotencyKey: key });
    expect(discord.channelMessages(id)).toEqual([]);
    expect(posts(id).map((r) => r.status)).toEqual([200, 404]);
  });

  it('past the nonce window the repeat is a new message (the limit of the guarantee)', async () => {
    const short = await startFakeDiscord({ nonceWindowMs: 150 });
    try {
      const d = new DiscordDeliverer({ rest: restFor(short.apiUrl), logger: silentLogger });
      const key = `digest:discord:${short.channelId}|2026-11-30|07:00`;
      await d.deliver(short.channelId, digest, { idempotencyKey: key });
      await d.deliver(short.channelId, digest, { idempotencyKey: key });
      expect(short.channelMessages(short.channelId)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 250));
      await d.deliver(short.channelId, digest, { idempotencyKey: key });
      expect(short.channelMessages(short.channelId)).toHaveLength(2);
      expect(short.nonceDedups).toHaveLength(1);
    } finally {
      await short.close();
    }
  });
});

describe('toDeliveryError', () => {
  const api = (status: number, code: number, message = 'x'): DiscordAPIError =>
    new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.com/api/v10/channels/1/messages', { body: undefined, files: undefined });

  it('maps Discord errors to what the scheduler can do', () => {
    expect(toDeliveryError(api(404, 10003)).reason).toBe('channel-gone');
    expect(toDeliveryError(api(404, 0)).reason).toBe('channel-gone');
    expect(toDeliveryError(api(403, 50001)).reason).toBe('forbidden');
    expect(toDeliveryError(api(403, 50013)).reason).toBe('forbidden');
    expect(toDeliveryError(api(400, 50013)).reason).toBe('forbidden');
    expect(toDeliveryError(api(403, 50007)).reason).toBe('blocked');
    expect(toDeliveryError(api(400, 50035)).reason).toBe('transient');
    expect(toDeliveryError(new HTTPError(503, 'Service Unavailable', 'POST', 'u', { body: undefined, files: undefined })).reason).toBe('transient');
    expect(toDeliveryError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).reason).toBe('transient');
    const limited = toDeliveryError(
      new RateLimitError({ timeToReset: 1200, limit: 5, method: 'POST', hash: 'h', url: 'u', route: '/channels/:id/messages', majorParameter: '1', global: false, retryAfter: 3000, sublimitTimeout: 0, scope: 'user' }),
    );
    expect([limited.reason, limited.retryAfterMs]).toEqual(['rate-limited', 3000]);
  });
});
