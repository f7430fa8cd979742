/**
 * Several instances on one Redis share the news corpus: a feed tick runs on one of them (node-cron's
 * run coordinator on the store), and the others read what it stored. Here two corpora on a private
 * redis-server: B never polls, yet after a refresh it holds A's stories and reports A's poll time
 * as its own feed age (what /healthz shows), and the coordinator lets exactly one of them run a tick.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/adapters/http/fetch.js';
import { instanceName, sharedState, storeRunCoordinator } from '../../src/adapters/scheduler/coordinator.js';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import { createCorpus } from '../../src/services/corpus.js';
import { startNewsServer, type NewsServer } from '../helpers/news-server.js';
import { silentLogger } from '../helpers/services.js';
import { hasRedisServer, startRedis, type RedisServer } from '../ops/harness.js';

const antara = readFileSync(new URL('../fixtures/feeds/antara-mainpage.rss.xml', import.meta.url), 'utf8');
// The Antara fixture was served on 5 November 2015.
const T0 = Date.parse('2015-11-05T12:00:00Z');
const canRun = process.env['REDIS_URL'] !== undefined && hasRedisServer();
if (!canRun) console.warn('corpus instances test: needs REDIS_URL and redis-server, SKIPPED');

let redis: RedisServer | undefined;
let site: NewsServer | undefined;
const stores: Store[] = [];

beforeAll(async () => {
  if (!canRun) return;
  redis = await startRedis();
  site = await startNewsServer({ '/antara.xml': { contentType: 'application/rss+xml', body: antara } });
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await site?.close();
  await redis?.stop();
});

describe.skipIf(!canRun)('two corpus instances on one Redis', () => {
  it('the one that did not poll takes the stories and the poll time from the store', async () => {
    const open = async (): Promise<Store> => {
      const s = await openStore((redis as RedisServer).url, silentLogger);
      stores.push(s);
      return s;
    };
    const clock = { t: T0 };
    const make = (store: Store) =>
      createCorpus({
        config: { FEEDS: [(site as NewsServer).url('/antara.xml')], RETENTION_DAYS: 14, FEED_POLL_MINUTES: 15 },
        store,
        fetcher: createFetcher({ allowPrivate: true, totalTimeoutMs: 4000 }),
        logger: silentLogger,
        now: () => clock.t,
        schedule: false,
        pollOnStart: false,
      });
    const a = make(await open());
    const b = make(await open());
    await a.start();
    await b.start();
    expect(b.size).toBe(0);
    expect(b.status.lastPollAt).toBeUndefined();

    const polled = await a.pollNow();
    expect(polled.added).toBeGreaterThan(10);
    expect((site as NewsServer).hits('/antara.xml')).toBe(1);

    clock.t += 60_000;
    const added = await b.refreshFromStore();
    expect(added).toBe(a.size);
    expect(b.size).toBe(a.size);
    expect(b.status.lastPollAt).toBe(T0);
    expect(b.search('penerbangan Lombok', 3)[0]?.title).toBe(a.search('penerbangan Lombok', 3)[0]?.title);
    // B read nothing from the site.
    expect((site as NewsServer).hits('/antara.xml')).toBe(1);
    await a.stop();
    await b.stop();
  });

  it('the run coordinator lets one instance run each feed tick', async () => {
    const [s1, s2] = [await openStore((redis as RedisServer).url, silentLogger), await openStore((redis as RedisServer).url, silentLogger)];
    stores.push(s1, s2);
    const c1 = storeRunCoordinator(sharedState(s1, { prefix: 'ringkas:feeds:' }), instanceName());
    const c2 = storeRunCoordinator(sharedState(s2, { prefix: 'ringkas:feeds:' }), instanceName());
    const wins: boolean[] = [];
    for (let slot = 0; slot < 5; slot++) {
      const key = `feeds-poll:2026-11-29T06:${String(slot).padStart(2, '0')}:00.000Z`;
      const [x, y] = await Promise.all([c1.shouldRun(key, 60_000), c2.shouldRun(key, 60_000)]);
      expect([x, y].filter(Boolean)).toHaveLength(1);
      wins.push(x);
    }
    expect(wins).toHaveLength(5);
  });
});
