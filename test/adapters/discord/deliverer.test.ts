import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { createDeliveryRest, DiscordDeliverer, toDeliveryError } from '../../../src/adapters/discord/deliverer.js';
import type { Reply } from '../../../src/core/reply.js';
import { DeliveryError } from '../../../src/services/delivery.js';
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

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DeliveryError);
    return e as DeliveryError;
  }
  throw new Error('expected the delivery to fail');
}

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
