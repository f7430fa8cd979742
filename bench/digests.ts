/**
 * Digests at scale: 100,000 subscriptions spread over the 1,440 minutes of a day (three Indonesian
 * zones, two platforms, some with topics), a 20,000-story corpus, the real DigestService on an
 * in-memory store (the slot index and the delivery ledger as on SQLite, without the disk).
 *
 *  1. Ticks: a tick per minute from 00:00 UTC (BENCH_DIGEST_TICKS, default 360: six hours; 1440 is
 *     the whole day, about four minutes): the tick itself (finding the due subscriptions, writing
 *     their ledger records, queueing them), then the time until every digest of that minute is
 *     composed and handed to an instant deliverer (rate limits lifted, so the figure is our own
 *     cost). Median and max. And a tick at idle: 100,000 subscriptions, none due that minute.
 *  2. Composition over the whole corpus in one day (the worst case: all 20,000 stories in the 24 h
 *     window) against the corpus spread over its 14-day retention.
 *  3. Memory: heap for the subscriptions (store and index) and the corpus.
 *  4. Delivery rate at the configured platform limits (DEFAULT_LIMITS): the busiest minute's
 *     digests through the real queue, messages a second against the ceiling.
 *
 * Numbers are printed, never asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedState } from '../src/adapters/scheduler/coordinator.js';
import { DEFAULT_LIMITS, DeliveryQueue } from '../src/adapters/scheduler/digests.js';
import { createDeliveryLedger, deliveryKey } from '../src/adapters/store/deliveries.js';
import { openStore } from '../src/adapters/store/index.js';
import { createSubscriptionStore } from '../src/adapters/store/subscriptions.js';
import { composeDigest } from '../src/core/digest.js';
import type { Reply } from '../src/core/reply.js';
import type { Platform, Subscription } from '../src/core/schedule.js';
import { createLogger } from '../src/logger.js';
import type { Deliverer } from '../src/services/delivery.js';
import { createDigestService } from '../src/services/digests.js';
import { StoryList, type StoryRecord } from '../src/services/story-source.js';
import { table } from '../eval/table.js';
import { prng } from './prng.js';

export interface DigestBenchOptions {
  subscriptions?: number;
  stories?: number;
  /** Minutes ticked (from 00:00 UTC). */
  ticks?: number;
  /** Seconds of the delivery-rate run per platform. */
  rateSeconds?: number;
}

const DAY = 24 * 3600_000;
const MIN = 60_000;
const START = Date.parse('2026-11-30T00:00:00Z');

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}


const PLACES = ['Jakarta', 'Surabaya', 'Medan', 'Makassar', 'Semarang', 'Bandung', 'Denpasar', 'Jayapura', 'Palembang', 'Balikpapan', 'Padang', 'Kupang'];
const SUBJECTS = ['banjir', 'harga beras', 'pemilu', 'gempa', 'timnas', 'inflasi', 'kebakaran hutan', 'tol', 'KRL', 'vaksin', 'APBN', 'ekspor nikel', 'DPR', 'KPK', 'mudik'];
const VERBS = ['melanda', 'naik di', 'dibahas di', 'guncang', 'menang di', 'turun di', 'meluas di', 'dibuka di', 'terganggu di', 'dimulai di'];
const OUTLETS = ['Kompas', 'Detik', 'Antara', 'Tempo', 'CNN Indonesia', 'Liputan6', 'Republika', 'Okezone', 'Suara', 'BBC Indonesia', 'Tribunnews'];
const TOPICS = ['banjir', 'beras', 'pemilu', 'gempa', 'timnas', 'inflasi', 'kpk', 'nikel', 'mudik', 'dpr'];

/** Stories in clusters of 1 to 5 outlets, published over `spanMs` before START + 1 day. */
function corpus(n: number, spanMs: number, seed = 7): StoryList {
  const r = prng(seed);
  const list = new StoryList();
  let i = 0;
  let cluster = 0;
  const end = START + DAY;
  while (i < n) {
    const size = 1 + Math.floor(r() * r() * 5);
    const subject = SUBJECTS[Math.floor(r() * SUBJECTS.length)] as string;
    const place = PLACES[Math.floor(r() * PLACES.length)] as string;
    const verb = VERBS[Math.floor(r() * VERBS.length)] as string;
    const t0 = end - r() * spanMs;
    cluster++;
    for (let k = 0; k < size && i < n; k++, i++) {
      const outlet = OUTLETS[Math.floor(r() * OUTLETS.length)] as string;
      const s: StoryRecord = {
        id: `s${i}`,
        clusterId: `c${cluster}`,
        outlet,
        url: `https://${outlet.toLowerCase().replace(/\s+/g, '')}.example/${i}`,
        title: `${subject[0]?.toUpperCase() ?? ''}${subject.slice(1)} ${verb} ${place}${k > 0 ? ` (${outlet})` : ''}`,
        lead: `Laporan ${outlet} tentang ${subject} di ${place}. Pemerintah daerah menyiapkan langkah lanjutan. Warga diminta waspada.`,
        publishedAt: Math.round(t0 + k * r() * 3 * 3600_000),
      };
      list.add(s);
    }
  }
  return list;
}

function subscriptions(n: number, seed = 11): Subscription[] {
  const r = prng(seed);
  const zones = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];
  const out: Subscription[] = [];
  for (let i = 0; i < n; i++) {
    const minute = Math.floor(r() * 1440);
    const z = r();
    const topicsRoll = r();
    out.push({
      platform: r() < 0.6 ? 'telegram' : 'discord',
      channelId: String(1_000_000 + i),
      time: `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
      timeZone: zones[z < 0.7 ? 0 : z < 0.9 ? 1 : 2] as string,
      topics: topicsRoll < 0.7 ? [] : [TOPICS[Math.floor(r() * TOPICS.length)] as string],
      locale: r() < 0.9 ? 'id' : 'en',
      createdBy: 'bench',
      createdAt: '2026-11-01T00:00:00.000Z',
      paused: false,
    });
  }
  return out;
}

class CountingDeliverer implements Deliverer {
  sent = 0;
  readonly times: number[] = [];
  constructor(readonly platform: Platform) {}
  async deliver(_channelId: string, _reply: Reply): Promise<void> {
    this.sent++;
    this.times.push(performance.now());
  }
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

export async function benchDigests(opts: DigestBenchOptions = {}): Promise<string> {
  const nSubs = opts.subscriptions ?? Number(process.env['BENCH_DIGEST_SUBS'] ?? 100_000);
  const nStories = opts.stories ?? 20_000;
  const nTicks = Math.min(1440, opts.ticks ?? Number(process.env['BENCH_DIGEST_TICKS'] ?? 360));
  const rateSeconds = opts.rateSeconds ?? 4;
  const logger = createLogger({ level: 'silent' });
  const out: string[] = [];

  // Memory and loading.
  const heap0 = heapMb();
  const subs = subscriptions(nSubs);
  const store = await openStore('memory://', logger);
  const subStore = createSubscriptionStore(store);
  const t = performance.now();
  for (const s of subs) await subStore.put(s);
  const putMs = performance.now() - t;
  const heapSubs = heapMb();
  const spread = corpus(nStories, 14 * DAY);
  const heapCorpus = heapMb();
  const inDay = [...spread.storiesBetween(START, START + DAY)].length;

  // 1. Ticks over the day. The stories are held back until tick() returns, so that the tick's own
  // work (scan, ledger records, queueing) and the composing and delivering are timed apart.
  const telegram = new CountingDeliverer('telegram');
  const discord = new CountingDeliverer('discord');
  let clock = START;
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const gated = {
    candidatesSince: async (since: number, until: number) => {
      await gate;
      return spread.candidatesSince(since, until);
    },
  };
  const unlimited = { perSecond: 1e6, perChannelPerSecond: 1e6, concurrency: 64 };
  const service = createDigestService({
    store,
    subscriptions: subStore,
    stories: gated,
    deliverers: [telegram, discord],
    logger,
    now: () => clock,
    schedule: false,
    limits: { telegram: unlimited, discord: unlimited },
  });
  const tickMs: number[] = [];
  const drainMs: number[] = [];
  const perTick: number[] = [];
  let busiest = { minute: START, due: 0 };
  let slowest = 0;
  for (let m = 0; m < nTicks; m++) {
    clock = START + m * MIN;
    gate = new Promise<void>((r) => (release = r));
    const t0 = performance.now();
    const report = await service.tick();
    const t1 = performance.now();
    release();
    await service.idle();
    const t2 = performance.now();
    tickMs.push(t1 - t0);
    drainMs.push(t2 - t1);
    if (t2 - t0 > (drainMs[slowest] ?? 0) + (tickMs[slowest] ?? 0)) slowest = m;
    perTick.push(report.due);
    if (report.due > busiest.due) busiest = { minute: clock, due: report.due };
  }
  const heapAfterDay = heapMb();
  const sent = telegram.sent + discord.sent;
  out.push(
    `Digests: ${nSubs.toLocaleString('en')} subscriptions over 1,440 minutes (70% WIB, 20% WITA, 10% WIT; 30% with a topic), ${nStories.toLocaleString('en')} stories over 14 days (${inDay.toLocaleString('en')} in a 24 h window), in-memory store, node ${process.version}`,
  );
  out.push(
    table(
      ['per minute tick', 'median', 'max'],
      [
        ['digests due', median(perTick), Math.max(...perTick)],
        ['tick: find the due, write their ledger records, queue them; ms', median(tickMs), Math.max(...tickMs)],
        ['then compose and deliver them all (no rate limit); ms', median(drainMs), Math.max(...drainMs)],
        ['whole minute; ms', median(tickMs.map((x, i) => x + (drainMs[i] ?? 0))), Math.max(...tickMs.map((x, i) => x + (drainMs[i] ?? 0)))],
      ],
    ) + `\n(the slowest minute was tick #${slowest + 1}${slowest === 0 ? ', the first, before the JIT warmed up' : ''})`,
  );
  out.push(`${nTicks} ticks, ${sent.toLocaleString('en')} digests posted (${telegram.sent.toLocaleString('en')} Telegram, ${discord.sent.toLocaleString('en')} Discord); subscribing all took ${(putMs / 1000).toFixed(1)} s (${((putMs * 1000) / nSubs).toFixed(0)} µs each)`);

  // Idle: 100,000 subscriptions all at 07:00 WIB; the ticks of the hour before find nothing due.
  const idleStore = await openStore('memory://', logger);
  const idleSubs = createSubscriptionStore(idleStore);
  for (const s of subs) await idleSubs.put({ ...s, time: '07:00', timeZone: 'Asia/Jakarta' });
  let idleClock = START - 60 * MIN;
  const idleService = createDigestService({ store: idleStore, subscriptions: idleSubs, stories: spread, deliverers: [telegram, discord], logger, now: () => idleClock, schedule: false });
  const idleMs: number[] = [];
  for (let m = 0; m < 59; m++) {
    idleClock = START - 60 * MIN + m * MIN;
    const a = performance.now();
    await idleService.tick();
    idleMs.push(performance.now() - a);
  }
  await idleStore.close();
  out.push(`At idle (${nSubs.toLocaleString('en')} subscriptions, none due this minute): a tick takes ${median(idleMs).toFixed(2)} ms median, ${Math.max(...idleMs).toFixed(2)} ms max (one set read per zone in use, the last tick moved on, the open records swept).`);

  // The ledger's cost per delivery on the embedded SQLite file (open, mark sending, mark sent), as
  // the store opens SQLite today (rollback journal, a sync per write) and in WAL mode.
  const dir = mkdtempSync(join(tmpdir(), 'ringkas-bench-ledger-'));
  try {
    const rates: string[] = [];
    for (const wal of [false, true]) {
      const sqlite = await openStore(`sqlite://${join(dir, `ledger-${String(wal)}.sqlite`)}`, logger);
      if (wal) {
        for (const ns of ['digest-shared', 'digest-sets']) {
          const adapter = sqlite.namespace(ns).store as { query: (sql: string) => Promise<unknown> };
          await adapter.query('PRAGMA journal_mode=WAL');
          await adapter.query('PRAGMA synchronous=NORMAL');
        }
      }
      const ledger = createDeliveryLedger(sharedState(sqlite));
      const n = wal ? 3000 : 600;
      const l0 = performance.now();
      await Promise.all(
        Array.from({ length: 32 }, async (_, w) => {
          for (let i = w; i < n; i += 32) {
            const key = deliveryKey(`telegram:${i}`, '2026-11-30', '07:00');
            const opened = await ledger.open({ key, subscription: `telegram:${i}`, date: '2026-11-30', time: '07:00', timeZone: 'Asia/Jakarta', slotAt: START, state: 'pending', owner: 'bench', attempts: 0, createdAt: START, updatedAt: START });
            if (!opened.created) continue;
            const sending = await ledger.transition(opened.held, { ...opened.held.record, state: 'sending', attempts: 1 });
            if (sending !== undefined) await ledger.finish({ ...sending.record, state: 'sent', sentAt: START, composedAt: START });
          }
        }),
      );
      rates.push(`${(n / ((performance.now() - l0) / 1000)).toFixed(0)} a second ${wal ? 'in WAL mode with synchronous=NORMAL' : 'as the store opens SQLite now (a sync per write)'}`);
      await sqlite.close();
    }
    out.push(
      `Ledger on the embedded SQLite file, deliveries recorded (open, sending, sent: 6 writes each): ${rates.join('; ')}. ` +
        `The platforms' ceiling is ${DEFAULT_LIMITS.telegram.perSecond + DEFAULT_LIMITS.discord.perSecond} a second (Telegram and Discord together).`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 2. Composition cost.
  const dense = corpus(nStories, DAY, 9);
  const compose = (list: StoryList, topics: string[]): number => {
    const c = list.candidatesSince(START, START + DAY);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = performance.now();
      composeDigest(c, { now: START + DAY, since: START, topics, locale: 'id', timeZone: 'Asia/Jakarta' });
      runs.push(performance.now() - a);
    }
    return median(runs);
  };
  out.push(
    table(
      ['one composition, ms (median of 5)', 'no topic', "topic 'banjir'"],
      [
        [`${inDay.toLocaleString('en')} stories in the window (14-day spread)`, compose(spread, []), compose(spread, ['banjir'])],
        [`${nStories.toLocaleString('en')} stories in the window (all in one day)`, compose(dense, []), compose(dense, ['banjir'])],
      ],
    ),
  );
  out.push('Subscriptions due in the same minute with the same zone, language, topics and previous digest share one composition.');

  // 3. Memory.
  out.push(
    table(
      ['heap, MB', 'MB'],
      [
        [`${nSubs.toLocaleString('en')} subscriptions + slot index (in memory)`, heapSubs - heap0],
        [`${nStories.toLocaleString('en')} stories`, heapCorpus - heapSubs],
        [`after ${nTicks} ticks (their ledger records included)`, heapAfterDay - heap0],
      ],
    ),
  );

  // 4. Delivery rate at the configured limits: the busiest minute's digests, queued at once.
  const rateRows: (string | number)[][] = [];
  for (const platform of ['telegram', 'discord'] as const) {
    const limit = DEFAULT_LIMITS[platform].perSecond;
    const n = Math.max(limit * rateSeconds, busiest.due);
    const q = new DeliveryQueue();
    const starts: number[] = [];
    const t0 = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => q.run(platform, `ch${i}`, async () => void starts.push(performance.now()))));
    const elapsed = (performance.now() - t0) / 1000;
    starts.sort((a, b) => a - b);
    let maxWindow = 0;
    for (let i = 0, j = 0; i < starts.length; i++) {
      while ((starts[i] as number) - (starts[j] as number) >= 1000) j++;
      maxWindow = Math.max(maxWindow, i - j + 1);
    }
    // After the first second's burst, the sustained rate.
    const span = ((starts[starts.length - 1] as number) - (starts[0] as number)) / 1000;
    const sustained = span > 0 ? (n - limit) / span : Number.NaN;
    rateRows.push([platform, limit, n, elapsed, maxWindow, sustained, `${((sustained / limit) * 100).toFixed(1)}%`]);
  }
  out.push(
    `Delivery rate through the real queue at the configured limits (the busiest minute has ${busiest.due} digests; ${Math.max(rateSeconds, 1)} s of messages per platform):\n` +
      table(['platform', 'limit/s', 'messages', 'seconds', 'max in any 1 s', 'sustained/s', 'of ceiling'], rateRows),
  );

  // End to end at the configured limits: the busiest minute through the whole service.
  const store2 = await openStore('memory://', logger);
  const subs2 = createSubscriptionStore(store2);
  const busy = subs.filter((s) => {
    const m = Number(s.time.slice(0, 2)) * 60 + Number(s.time.slice(3));
    const offset = s.timeZone === 'Asia/Jakarta' ? 420 : s.timeZone === 'Asia/Makassar' ? 480 : 540;
    return (m - offset + 1440) % 1440 === Math.round((busiest.minute - START) / MIN) % 1440;
  });
  for (const s of busy) await subs2.put(s);
  const tg2 = new CountingDeliverer('telegram');
  const dc2 = new CountingDeliverer('discord');
  clock = busiest.minute;
  const real = createDigestService({ store: store2, subscriptions: subs2, stories: spread, deliverers: [tg2, dc2], logger, now: () => clock, schedule: false });
  const e0 = performance.now();
  await real.tick();
  await real.idle();
  const e2e = (performance.now() - e0) / 1000;
  // A sliding one-second window lets `limit` messages start at once, the next `limit` a second later.
  const ideal = Math.max(Math.floor(Math.max(0, tg2.sent - 1) / DEFAULT_LIMITS.telegram.perSecond), Math.floor(Math.max(0, dc2.sent - 1) / DEFAULT_LIMITS.discord.perSecond));
  out.push(
    `Busiest minute end to end at the configured limits: ${tg2.sent} Telegram + ${dc2.sent} Discord digests composed, recorded and delivered in ${e2e.toFixed(2)} s; ` +
      `the limits alone need ${ideal.toFixed(2)} s (the last message can start no earlier).`,
  );
  await store.close();
  await store2.close();
  return out.join('\n\n');
}

const invoked = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''));
if (invoked) process.stdout.write(`${await benchDigests()}\n`);
