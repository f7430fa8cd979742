/**
 * Exactly-once delivery on a real SQLite file, driven tick by tick with an injected clock:
 * restarts, a crash between the record and the send, downtime over the slot (caught up within the
 * window, skipped beyond it), and what the platforms answer (404/403 pause, 5xx retried).
 */
import { afterAll, describe, expect, it } from 'vitest';
import digest from '../../commands/digest.js';
import type { CommandContext } from '../../commands/index.js';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import { createDeliveryLedger, deliveryKey } from '../../src/adapters/store/deliveries.js';
import { sharedState } from '../../src/adapters/scheduler/coordinator.js';
import { createSubscriptionStore } from '../../src/adapters/store/subscriptions.js';
import { DeliveryError } from '../../src/services/delivery.js';
import { createDigestService, type DigestService, type DigestServiceOptions } from '../../src/services/digests.js';
import type { Subscription } from '../../src/core/schedule.js';
import { composeDigest, digestToReply } from '../../src/core/digest.js';
import { captureLogger, digestTitles, morningStories, RecordingDeliverer, subscription, tempDir } from '../helpers/digest-fakes.js';
import { silentLogger, testServices } from '../helpers/services.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const DAY1_0700_WIB = Date.parse('2026-11-30T00:00:00Z');
const DAY2_0700_WIB = Date.parse('2026-12-01T00:00:00Z');
const MIN = 60_000;

class Clock {
  t: number;
  constructor(iso: string | number) {
    this.t = typeof iso === 'number' ? iso : Date.parse(iso);
  }
  set(iso: string | number): this {
    this.t = typeof iso === 'number' ? iso : Date.parse(iso);
    return this;
  }
  readonly now = (): number => this.t;
}

async function sqlite(name: string): Promise<Store> {
  return openStore(`sqlite://${tmp.file(name)}`, silentLogger);
}

function service(store: Store, clock: Clock, deliverers: RecordingDeliverer[], over: Partial<DigestServiceOptions> = {}): DigestService {
  return createDigestService({
    store,
    stories: morningStories(),
    deliverers,
    logger: silentLogger,
    now: clock.now,
    schedule: false,
    retry: { baseMs: 5, maxMs: 20 },
    // One chat gets a message a second on Telegram; tests that retry to one chat need not wait.
    limits: { telegram: { perChannelPerSecond: 50 }, discord: { perChannelPerSecond: 50 } },
    ...over,
  });
}

async function tickAt(s: DigestService, clock: Clock, at: number): Promise<void> {
  clock.set(at);
  await s.tick();
  await s.idle();
}

describe('exactly once across restarts (SQLite file)', () => {
  it('posts day 1, restarts between the digests, posts day 2 once with only the stories since day 1', async () => {
    const file = 'restart.sqlite';
    const clock = new Clock(DAY1_0700_WIB - 30 * MIN);
    let store = await sqlite(file);
    await createSubscriptionStore(store).put(subscription({ platform: 'telegram', channelId: '-1001', time: '07:00' }));
    const tg1 = new RecordingDeliverer('telegram');
    const a = service(store, clock, [tg1]);
    await a.start();
    await tickAt(a, clock, DAY1_0700_WIB - MIN);
    await tickAt(a, clock, DAY1_0700_WIB);
    await tickAt(a, clock, DAY1_0700_WIB + 20_000); // the same minute again (a second cron fire)
    await tickAt(a, clock, DAY1_0700_WIB + MIN);
    expect(tg1.posts).toHaveLength(1);
    expect(digestTitles(tg1.posts[0]?.reply as never)).toContain('Gempa magnitudo 5,1 guncang Maluku Tengah');
    await a.stop();
    await store.close();

    // A new process on the same file, a few hours later, then the next morning.
    store = await sqlite(file);
    const tg2 = new RecordingDeliverer('telegram');
    const b = service(store, clock, [tg2]);
    clock.set(DAY1_0700_WIB + 4 * 3600_000);
    await b.start();
    await b.idle();
    expect(tg2.posts).toHaveLength(0); // 07:00 was posted before the restart
    await tickAt(b, clock, DAY2_0700_WIB - MIN);
    expect(tg2.posts).toHaveLength(0);
    await tickAt(b, clock, DAY2_0700_WIB);
    await tickAt(b, clock, DAY2_0700_WIB + MIN);
    expect(tg1.posts.length + tg2.posts.length).toBe(2);
    const day2 = tg2.posts[0]?.reply;
    expect(day2?.title).toBe('Ringkasan Berita, Selasa 1 Desember 2026');
    // Since the previous digest only: the day's two stories, nothing from before day 1's digest.
    expect(digestTitles(day2 as never).sort()).toEqual(['DPR sahkan RUU Perampasan Aset', 'KRL Bogor gangguan, penumpang menumpuk di Manggarai']);
    const ledger = createDeliveryLedger(sharedState(store));
    expect((await ledger.get(deliveryKey('telegram:-1001', '2026-11-30', '07:00')))?.record).toMatchObject({ state: 'sent', attempts: 1 });
    expect((await ledger.get(deliveryKey('telegram:-1001', '2026-12-01', '07:00')))?.record).toMatchObject({ state: 'sent', attempts: 1, since: DAY1_0700_WIB });
    await b.stop();
    await store.close();
  });

  it('a crash between the record and the send: the next process takes the record over and posts once', async () => {
    const file = 'crash.sqlite';
    const clock = new Clock(DAY1_0700_WIB);
    const storeA = await sqlite(file);
    await createSubscriptionStore(storeA).put(subscription({ platform: 'discord', channelId: '5001', time: '07:00' }));
    await createSubscriptionStore(storeA).put(subscription({ platform: 'discord', channelId: '5002', time: '07:01' }));
    // Process A records both slots, then "dies": the 07:00 delivery while composing (before any
    // platform call), the 07:01 one inside the platform call. Nothing reaches either channel.
    let calls = 0;
    const stuck: (() => void)[] = [];
    const slowStories = {
      candidatesSince: async (since: number, now: number) => {
        if (calls++ === 0) await new Promise<void>((r) => stuck.push(r));
        return morningStories().candidatesSince(since, now);
      },
    };
    const discordA = new RecordingDeliverer('discord').failNext('5002', 'hang');
    const a = service(storeA, clock, [discordA], { stories: slowStories, instanceId: 'process-a' });
    const ledgerA = createDeliveryLedger(sharedState(storeA));
    await a.tick();
    await expect.poll(async () => (await ledgerA.get(deliveryKey('discord:5001', '2026-11-30', '07:00')))?.record.state).toBe('pending');
    clock.set(DAY1_0700_WIB + MIN);
    await a.tick();
    await expect.poll(async () => (await ledgerA.get(deliveryKey('discord:5002', '2026-11-30', '07:01')))?.record.state).toBe('sending');
    expect(discordA.posts).toHaveLength(0);
    expect(discordA.calls.map((c) => c.channelId)).toEqual(['5002']);

    // Process B starts on the same file two minutes later.
    const { logger, lines } = captureLogger();
    const storeB = await sqlite(file);
    const discordB = new RecordingDeliverer('discord');
    const b = service(storeB, clock, [discordB], { instanceId: 'process-b', logger });
    clock.set(DAY1_0700_WIB + 3 * MIN);
    await b.start();
    await b.idle();
    expect(discordB.posts.map((p) => p.channelId).sort()).toEqual(['5001', '5002']);
    // The heir repeats the interrupted call with the same idempotency key, taken from the ledger.
    expect(discordA.calls[0]?.idempotencyKey).toBe('digest:discord:5002|2026-11-30|07:01');
    expect(discordB.calls.find((c) => c.channelId === '5002')?.idempotencyKey).toBe(discordA.calls[0]?.idempotencyKey);
    const takeovers = lines().filter((l) => String(l['msg']).startsWith('taking over'));
    expect(takeovers.map((l) => [l['delivery'], l['msg']]).sort()).toEqual([
      ['discord:5001|2026-11-30|07:00', 'taking over a digest whose instance stopped before sending'],
      ['discord:5002|2026-11-30|07:01', 'taking over a digest whose instance stopped while sending: it may have been posted; sending again'],
    ]);

    // A wakes up (its "crash" was a freeze) before its platform call: its record was taken over,
    // the compare-and-set to 'sending' fails, and it does not post.
    stuck.splice(0).forEach((r) => r());
    await new Promise((r) => setTimeout(r, 200));
    expect(discordA.posts).toHaveLength(0);
    expect(discordA.calls).toHaveLength(1);
    await tickAt(b, clock, DAY1_0700_WIB + 4 * MIN);
    expect(discordB.posts).toHaveLength(2);
    const ledgerB = createDeliveryLedger(sharedState(storeB));
    expect((await ledgerB.get(deliveryKey('discord:5001', '2026-11-30', '07:00')))?.record).toMatchObject({ state: 'sent', owner: 'process-b', takenOverFrom: 'process-a', foundState: 'pending', attempts: 1 });
    expect((await ledgerB.get(deliveryKey('discord:5002', '2026-11-30', '07:01')))?.record).toMatchObject({ state: 'sent', owner: 'process-b', takenOverFrom: 'process-a', foundState: 'sending', attempts: 2 });
    await b.stop();
    await storeB.close();
  });
});

describe('downtime over the slot', () => {
  it('posts late when back within the catch-up window, with the date of the slot', async () => {
    const clock = new Clock(DAY1_0700_WIB - 10 * MIN);
    let store = await sqlite('late.sqlite');
    await createSubscriptionStore(store).put(subscription({ platform: 'telegram', channelId: '-2001', time: '07:00' }));
    await createSubscriptionStore(store).put(subscription({ platform: 'telegram', channelId: '-2002', time: '09:15', timeZone: 'Asia/Makassar' }));
    const tg = new RecordingDeliverer('telegram');
    const a = service(store, clock, [tg]);
    await a.start(); // 06:50
    await a.stop();
    await store.close();

    // Back at 09:30 WIB (10:30 WITA): 07:00 WIB is 2.5 h late, 09:15 WITA 1.25 h late.
    store = await sqlite('late.sqlite');
    const { logger, lines } = captureLogger();
    const b = service(store, clock, [tg], { logger });
    clock.set(DAY1_0700_WIB + 2.5 * 3600_000);
    await b.start();
    await b.idle();
    expect(tg.posts.map((p) => p.channelId).sort()).toEqual(['-2001', '-2002']);
    expect(tg.posts.find((p) => p.channelId === '-2001')?.reply.title).toBe('Ringkasan Berita, Senin 30 November 2026');
    const tick = lines().find((l) => l['msg'] === 'digest tick');
    expect(tick).toMatchObject({ queued: 2, late: 2, skipped: 0 });
    await tickAt(b, clock, DAY1_0700_WIB + 2.5 * 3600_000 + MIN);
    expect(tg.posts).toHaveLength(2);
    await b.stop();
    await store.close();
  });

  it('skips a slot missed by more than the window, says so in the log, and posts the next day', async () => {
    const clock = new Clock(DAY1_0700_WIB - 10 * MIN);
    let store = await sqlite('skip.sqlite');
    await createSubscriptionStore(store).put(subscription({ platform: 'telegram', channelId: '-3001', time: '07:00' }));
    const tg = new RecordingDeliverer('telegram');
    const a = service(store, clock, [tg]);
    await a.start();
    await a.stop();
    await store.close();

    store = await sqlite('skip.sqlite');
    const { logger, lines } = captureLogger();
    const b = service(store, clock, [tg], { logger, catchUpHours: 3 });
    clock.set(DAY1_0700_WIB + 3 * 3600_000 + 5 * MIN); // 10:05 WIB
    await b.start();
    await b.idle();
    expect(tg.posts).toHaveLength(0);
    const skipped = lines().filter((l) => String(l['msg']).startsWith('digest skipped'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ subscription: 'telegram:-3001', date: '2026-11-30', time: '07:00', timeZone: 'Asia/Jakarta', level: 40 });
    expect(lines().find((l) => l['msg'] === 'digests missed beyond the catch-up window were not sent')).toMatchObject({ skipped: 1, catchUpHours: 3 });

    await tickAt(b, clock, DAY2_0700_WIB);
    expect(tg.posts).toHaveLength(1);
    expect(tg.posts[0]?.reply.title).toBe('Ringkasan Berita, Selasa 1 Desember 2026');
    await b.stop();
    await store.close();
  });
});

describe('what the platform answers', () => {
  async function context(store: Store, channelId: string, platform: 'discord' | 'telegram'): Promise<CommandContext> {
    return {
      locale: 'id',
      user: { id: 'u1' },
      place: { platform, channelId, isPrivate: false, channelName: '#berita' },
      canManage: true,
      services: { ...testServices(), subscriptions: createSubscriptionStore(store) },
      logger: silentLogger,
    };
  }
  const text = (r: { blocks: { type: string; text?: string }[] }): string => r.blocks.map((b) => b.text ?? '').join('\n');

  it('404 and 403 pause the subscription once, tell the subscriber, and nothing is sent to it again', async () => {
    const clock = new Clock(DAY1_0700_WIB);
    const store = await sqlite('refused.sqlite');
    const subs = createSubscriptionStore(store);
    const gone: Subscription = subscription({ platform: 'discord', channelId: '404404', time: '07:00', channelName: '#lama', createdBy: 'owner-1' });
    const forbidden: Subscription = subscription({ platform: 'discord', channelId: '403403', time: '07:00', channelName: '#berita', locale: 'en' });
    await subs.put(gone);
    await subs.put(forbidden);
    const discord = new RecordingDeliverer('discord')
      .failAlways('404404', new DeliveryError('channel-gone', 'Discord: unknown channel [404/10003]'))
      // Missing Embed Links: the digest (links) is refused, a plain notice goes through.
      .failAlways('403403', (reply) => (reply.kind === 'results' ? new DeliveryError('forbidden', 'Discord: missing access or permission [403/50013]') : undefined));
    const told: { channelId: string; to: string; text: string }[] = [];
    const { logger, lines } = captureLogger();
    const s = service(store, clock, [discord], {
      logger,
      notifySubscriber: async (sub, notice) => {
        told.push({ channelId: sub.channelId, to: sub.createdBy, text: text(notice) });
        return true;
      },
    });
    await tickAt(s, clock, DAY1_0700_WIB);

    expect(await subs.get('discord', '404404')).toMatchObject({ paused: true, pausedReason: 'kanal atau obrolan ini tidak ditemukan lagi' });
    expect(await subs.get('discord', '403403')).toMatchObject({ paused: true, pausedReason: 'Ringkas may not post here' });
    expect(discord.posts.map((p) => [p.channelId, text(p.reply)])).toEqual([
      ['403403', 'The daily digest for #berita is paused: Ringkas may not post here. Once that is fixed, set it again with /digest 07:00 WIB.'],
    ]);
    expect(told).toEqual([
      { channelId: '404404', to: 'owner-1', text: 'Ringkasan harian untuk #lama dijeda: kanal atau obrolan ini tidak ditemukan lagi. Setelah masalahnya beres, atur lagi dengan /digest 07.00 WIB.' },
      { channelId: '403403', to: 'u1', text: 'The daily digest for #berita is paused: Ringkas may not post here. Once that is fixed, set it again with /digest 07:00 WIB.' },
    ].sort((x, y) => (x.channelId === '404404' ? -1 : y.channelId === '404404' ? 1 : 0)));
    const paused = lines().filter((l) => l['msg'] === 'digest paused: the platform refuses it for good');
    expect(paused.map((l) => [l['subscription'], l['reason'], l['told']]).sort()).toEqual([
      ['discord:403403', 'forbidden', ['channel', 'subscriber']],
      ['discord:404404', 'channel-gone', ['subscriber']],
    ]);
    // Not retried: one call for the 404, the digest and the notice for the 403.
    expect(discord.calls.filter((c) => c.channelId === '404404')).toHaveLength(1);
    // /digest status tells whoever asks.
    expect(text(await digest.execute({ text: 'status', options: {} }, await context(store, '404404', 'discord')))).toBe(
      'Ringkasan harian untuk #berita sedang dijeda (kanal atau obrolan ini tidak ditemukan lagi). Atur ulang dengan /digest untuk menyalakannya lagi.',
    );

    // The next morning nothing is attempted; once the channel is back, subscribing again resumes.
    const calls = discord.calls.length;
    await tickAt(s, clock, DAY2_0700_WIB);
    expect(discord.calls).toHaveLength(calls);
    expect(lines().filter((l) => l['msg'] === 'digest paused: the platform refuses it for good')).toHaveLength(2);
    discord.heal('404404');
    await digest.execute({ text: '07:01', options: {} }, await context(store, '404404', 'discord'));
    await tickAt(s, clock, DAY2_0700_WIB + MIN);
    expect(discord.calls).toHaveLength(calls + 1);
    expect(discord.posts.at(-1)).toMatchObject({ channelId: '404404', reply: { title: 'Ringkasan Berita, Selasa 1 Desember 2026' } });
    await store.close();
  });

  it('retries 5xx and rate limits with backoff, then posts once; gives up after the bounded attempts without pausing', async () => {
    const clock = new Clock(DAY1_0700_WIB);
    const store = await sqlite('transient.sqlite');
    const subs = createSubscriptionStore(store);
    await subs.put(subscription({ platform: 'telegram', channelId: '-4001', time: '07:00' }));
    await subs.put(subscription({ platform: 'telegram', channelId: '-4002', time: '07:00' }));
    const tg = new RecordingDeliverer('telegram')
      .failNext('-4001', new DeliveryError('transient', 'Bad Gateway'), new DeliveryError('rate-limited', 'Too Many Requests: retry after 1', { retryAfterMs: 300 }))
      .failAlways('-4002', new DeliveryError('transient', 'Internal Server Error'));
    const { logger, lines } = captureLogger();
    const s = service(store, clock, [tg], { logger, retry: { attempts: 3, baseMs: 20, maxMs: 50 } });
    await tickAt(s, clock, DAY1_0700_WIB);
    expect(tg.posts.map((p) => p.channelId)).toEqual(['-4001']);
    const calls = tg.calls.filter((c) => c.channelId === '-4001');
    expect(calls).toHaveLength(3);
    // Every try names the same delivery (what lets Discord's nonce return the earlier post).
    expect(calls.map((c) => c.idempotencyKey)).toEqual(Array(3).fill('digest:telegram:-4001|2026-11-30|07:00'));
    // The third try waited for the rate limit's retry-after (300 ms), not the 20-50 ms backoff
    // (timers may fire a few ms early, hence the margin).
    expect((calls[2]?.at ?? 0) - (calls[1]?.at ?? 0)).toBeGreaterThanOrEqual(250);
    expect(tg.calls.filter((c) => c.channelId === '-4002')).toHaveLength(3);
    const ledger = createDeliveryLedger(sharedState(store));
    expect((await ledger.get(deliveryKey('telegram:-4001', '2026-11-30', '07:00')))?.record).toMatchObject({ state: 'sent', attempts: 3 });
    expect((await ledger.get(deliveryKey('telegram:-4002', '2026-11-30', '07:00')))?.record).toMatchObject({ state: 'failed', attempts: 3, error: 'transient: Internal Server Error' });
    expect(await subs.get('telegram', '-4002')).toMatchObject({ paused: false });
    expect(lines().find((l) => l['msg'] === 'digest not posted: the platform kept failing')).toMatchObject({ delivery: 'telegram:-4002|2026-11-30|07:00', attempts: 3 });
    expect(await ledger.openKeys()).toEqual([]);
    await store.close();
  });
});

describe('preview and composition', () => {
  it('previews exactly what the next post would be, and shares one composition among same-minute subscriptions', async () => {
    const clock = new Clock(DAY1_0700_WIB);
    const store = await openStore('memory://', silentLogger);
    let asked = 0;
    const stories = morningStories();
    const counted = { candidatesSince: (since: number, now: number) => (asked++, stories.candidatesSince(since, now)) };
    const subs = createSubscriptionStore(store);
    for (let i = 0; i < 50; i++) await subs.put(subscription({ platform: 'telegram', channelId: `-9${i}`, time: '07:00' }));
    const tg = new RecordingDeliverer('telegram');
    const s = service(store, clock, [tg], { stories: counted, limits: { telegram: { perSecond: 1000, perChannelPerSecond: 10 } } });
    const preview = await s.preview(subscription({ platform: 'telegram', channelId: '-90', time: '07:00' }), DAY1_0700_WIB);
    // /digest preview in the chat goes through the same service.
    const ctx: CommandContext = {
      locale: 'id',
      user: { id: 'u1' },
      place: { platform: 'telegram', channelId: '-90', isPrivate: false },
      canManage: false,
      services: { ...testServices(), subscriptions: subs, digest: s, now: () => DAY1_0700_WIB },
      logger: silentLogger,
    };
    expect(await digest.execute({ text: 'preview', options: {} }, ctx)).toEqual(preview);
    await tickAt(s, clock, DAY1_0700_WIB);
    expect(tg.posts).toHaveLength(50);
    expect(tg.posts[0]?.reply).toEqual(preview);
    expect(preview.title).toBe('Ringkasan Berita, Senin 30 November 2026');
    expect(asked).toBe(1);
    await store.close();
  });

  it("uses the reader's summary for the items it chose, and the lead where the page cannot be read in time", async () => {
    const store = await openStore('memory://', silentLogger);
    const read: string[] = [];
    const s = service(store, new Clock(DAY1_0700_WIB), [], {
      readSummaryTimeoutMs: 50,
      readSummary: async (url) => {
        read.push(url);
        if (url.includes('tempo')) return ['Harga beras medium di Cipinang naik Rp 500 dalam sepekan.', 'Pedagang menyebut pasokan dari Jawa Tengah berkurang.', 'Kalimat ketiga tidak ikut.'];
        if (url.includes('kompas')) await new Promise((r) => setTimeout(r, 500)); // too slow
        throw new Error('not an article');
      },
    });
    const got = await s.compose(subscription({ platform: 'telegram', channelId: '-1', time: '07:00' }), { now: DAY1_0700_WIB });
    const notes = got.reply.blocks.flatMap((b) => (b.type === 'links' ? b.items.map((i) => [i.title, i.note ?? '']) : []));
    expect(notes.find(([t]) => t?.startsWith('Harga beras'))?.[1]).toMatch(/^Harga beras medium di Cipinang naik Rp 500 dalam sepekan\. Pedagang menyebut pasokan dari Jawa Tengah berkurang\.\n/);
    expect(notes.find(([t]) => t?.startsWith('Banjir'))?.[1]).toMatch(/^Banjir merendam ratusan rumah di pesisir Semarang sejak Minggu malam\. Warga mengungsi ke balai desa\.\n/);
    expect(read.sort()).toEqual(got.digest.items.map((i) => i.url).sort());
    await store.close();
  });

  it('serves every zone and language from one composition, exactly as composeDigest would compose each', async () => {
    const store = await openStore('memory://', silentLogger);
    const stories = morningStories();
    const s = service(store, new Clock(DAY1_0700_WIB), [], { stories });
    const all = stories.candidatesSince(DAY1_0700_WIB - 24 * 3600_000, DAY1_0700_WIB);
    for (const [locale, timeZone, topics] of [
      ['en', 'Asia/Jayapura', []],
      ['id', 'Asia/Makassar', ['banjir']],
      ['en', 'Europe/Berlin', ['harga beras', 'timnas']],
      ['id', 'Asia/Jakarta', ['tidak ada']],
    ] as const) {
      const sub = subscription({ platform: 'telegram', channelId: '-1', time: '07:00', locale, timeZone, topics: [...topics] });
      const got = await s.compose(sub, { now: DAY1_0700_WIB + 20_000 });
      expect(got.digest).toEqual(composeDigest(all, { now: DAY1_0700_WIB, since: DAY1_0700_WIB - 24 * 3600_000, topics, locale, timeZone }));
      expect(got.reply).toEqual(digestToReply(got.digest, topics));
    }
    await store.close();
  });
});
