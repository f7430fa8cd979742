/**
 * Subscribe with /digest, then the real node-cron (driven by vitest's fake clock) posts the digest
 * at the next HH:MM in the subscription's zone, once. Storage: a real SQLite file.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import digest from '../../commands/digest.js';
import type { CommandContext } from '../../commands/index.js';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import { createSubscriptionStore } from '../../src/adapters/store/subscriptions.js';
import { createDigestService, type DigestService } from '../../src/services/digests.js';
import { silentLogger, testServices } from '../helpers/services.js';
import { digestTitles, morningStories, RecordingDeliverer, tempDir } from '../helpers/digest-fakes.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

let store: Store | undefined;
let service: DigestService | undefined;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});

afterEach(async () => {
  await service?.stop();
  service = undefined;
  await store?.close();
  store = undefined;
  vi.useRealTimers();
});

async function subscribe(text: string, place: CommandContext['place'], s: Store): Promise<string> {
  const ctx: CommandContext = {
    locale: 'id',
    user: { id: 'admin-1' },
    place,
    canManage: true,
    services: { ...testServices(), subscriptions: createSubscriptionStore(s) },
    logger: silentLogger,
    timeZone: 'Asia/Jakarta',
  };
  const reply = await digest.execute({ text, options: {} }, ctx);
  return reply.blocks.map((b) => (b.type === 'text' ? b.text : '')).join('\n');
}

/** Advances the fake clock a minute at a time, letting the store's real I/O finish in between. */
async function advanceMinutes(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await vi.advanceTimersByTimeAsync(60_000);
    await service?.idle();
  }
}

describe('digests on the minute tick (node-cron under fake timers)', () => {
  it('posts at the next 07:00 WIB, once, with the morning stories and an Indonesian header', async () => {
    vi.setSystemTime(new Date('2026-11-29T23:57:30Z')); // 06:57:30 WIB
    store = await openStore(`sqlite://${tmp.file('wib.sqlite')}`, silentLogger);
    const said = await subscribe('07:00 WIB', { platform: 'telegram', channelId: '-100777', isPrivate: false, channelName: 'Grup Warga RT 5' }, store);
    expect(said).toBe('Ringkasan harian akan dikirim ke Grup Warga RT 5 setiap hari pukul 07.00 WIB.');
    const telegram = new RecordingDeliverer('telegram');
    service = createDigestService({ store, stories: morningStories(), deliverers: [telegram], logger: silentLogger, retry: { baseMs: 10 } });
    await service.start();
    expect(telegram.posts).toHaveLength(0);

    await advanceMinutes(2); // 06:59:30
    expect(telegram.posts).toHaveLength(0);
    await advanceMinutes(1); // 07:00:30: the 07:00 tick has run
    expect(telegram.posts).toHaveLength(1);
    const post = telegram.posts[0];
    expect(post?.channelId).toBe('-100777');
    expect(new Date(post?.at ?? 0).toISOString().slice(0, 16)).toBe('2026-11-30T00:00');
    expect(post?.reply.title).toBe('Ringkasan Berita, Senin 30 November 2026');
    expect(digestTitles(post?.reply as never)).toEqual([
      'Banjir rendam ratusan rumah di Semarang',
      'Harga beras naik di Pasar Induk Cipinang',
      'Timnas Indonesia menang 2-0 atas Vietnam',
      'Gempa magnitudo 5,1 guncang Maluku Tengah',
    ]);
    expect(post?.reply.footer).toBe('4 berita · waktu WIB · Ringkas');

    await advanceMinutes(5);
    expect(telegram.posts).toHaveLength(1);
  });

  it('posts at the next 07:00 WIT in Asia/Jayapura, two hours before 07:00 WIB, and each once', async () => {
    vi.setSystemTime(new Date('2026-11-29T21:58:00Z')); // 06:58 WIT, 04:58 WIB
    store = await openStore(`sqlite://${tmp.file('wit.sqlite')}`, silentLogger);
    await subscribe('07:00 WIT politik', { platform: 'discord', channelId: '9001', guildId: 'g1', isPrivate: false, channelName: '#berita-papua' }, store);
    await subscribe('07:00', { platform: 'discord', channelId: '9002', guildId: 'g1', isPrivate: false, channelName: '#berita' }, store);
    const discord = new RecordingDeliverer('discord');
    service = createDigestService({ store, stories: morningStories(Date.parse('2026-11-29T22:00:00Z')), deliverers: [discord], logger: silentLogger });
    await service.start();

    await advanceMinutes(1); // 06:59 WIT
    expect(discord.posts).toHaveLength(0);
    await advanceMinutes(2); // 07:01 WIT
    expect(discord.posts.map((p) => p.channelId)).toEqual(['9001']);
    const wit = discord.posts[0]?.reply;
    expect(wit?.title).toBe('Ringkasan Berita, Senin 30 November 2026');
    // No story matches "politik": the digest says so rather than posting unrelated news.
    expect(wit?.blocks).toEqual([{ type: 'text', text: 'Belum ada berita baru yang cocok sejak ringkasan terakhir.' }]);

    // Two hours later it is 07:00 WIB.
    await advanceMinutes(117); // 06:59 WIB
    expect(discord.posts).toHaveLength(1);
    await advanceMinutes(2); // 07:01 WIB
    expect(discord.posts.map((p) => p.channelId)).toEqual(['9001', '9002']);
    expect(new Date(discord.posts[1]?.at ?? 0).toISOString().slice(0, 16)).toBe('2026-11-30T00:00');
  });

  it('posts a digest set for 02:30 Europe/Berlin once on the night the clocks go back', async () => {
    // 25 October 2026: 02:30 happens at 00:30 and again at 01:30 UTC.
    vi.setSystemTime(new Date('2026-10-25T00:28:00Z'));
    store = await openStore('memory://', silentLogger);
    await subscribe('02:30 Europe/Berlin', { platform: 'telegram', channelId: '42', isPrivate: true }, store);
    const telegram = new RecordingDeliverer('telegram');
    service = createDigestService({ store, stories: morningStories(Date.parse('2026-10-25T00:00:00Z')), deliverers: [telegram], logger: silentLogger });
    await service.start();
    await advanceMinutes(70); // 01:38 UTC, past both 02:30s
    expect(telegram.posts).toHaveLength(1);
    expect(new Date(telegram.posts[0]?.at ?? 0).toISOString().slice(0, 16)).toBe('2026-10-25T00:30');
  });
});
