/**
 * The delivery ledger, the slot index and the shared state under them, on a real SQLite file, in
 * memory, and on a real Redis (REDIS_URL): claims are won by exactly one writer, compare-and-set
 * refuses a stale writer, the slot index follows subscriptions as they move, pause and go.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../src/adapters/store/index.js';
import { createDeliveryLedger, deliveryKey, type DeliveryRecord } from '../../../src/adapters/store/deliveries.js';
import { sharedState, storeRunCoordinator } from '../../../src/adapters/scheduler/coordinator.js';
import { DeliveryQueue } from '../../../src/adapters/scheduler/digests.js';
import { createSubscriptionStore, slotSetName } from '../../../src/adapters/store/subscriptions.js';
import { subscription, tempDir, uniquePrefix } from '../../helpers/digest-fakes.js';
import { silentLogger } from '../../helpers/services.js';

const tmp = tempDir('ringkas-ledger-');
afterAll(() => tmp.remove());

const redisUrl = process.env['REDIS_URL'];
if (redisUrl === undefined) console.warn('deliveries tests: REDIS_URL unset, the Redis cases are SKIPPED (CI=true .ci/run sets it)');

function record(key: string, owner: string, over: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return { key, subscription: key.split('|')[0] as string, date: '2026-11-30', time: '07:00', timeZone: 'Asia/Jakarta', slotAt: 0, state: 'pending', owner, attempts: 0, createdAt: 0, updatedAt: 0, ...over };
}

interface Backend {
  name: string;
  open: () => Promise<Store>;
  /** A second store on the same data (another process on Redis; the same handle otherwise). */
  peer: (first: Store) => Promise<Store>;
}

const backends: Backend[] = [
  { name: 'SQLite file', open: () => openStore(`sqlite://${tmp.file('ledger.sqlite')}`, silentLogger), peer: async (s) => s },
  { name: 'memory', open: () => openStore('memory://', silentLogger), peer: async (s) => s },
];
if (redisUrl !== undefined) backends.push({ name: 'Redis', open: () => openStore(redisUrl, silentLogger), peer: () => openStore(redisUrl, silentLogger) });

describe.each(backends)('delivery ledger on $name', (backend) => {
  it('lets exactly one of many concurrent writers open a slot, and refuses a stale compare-and-set', async () => {
    const a = await backend.open();
    const b = await backend.peer(a);
    const prefix = uniquePrefix('ledger');
    const la = createDeliveryLedger(sharedState(a, { prefix }));
    const lb = createDeliveryLedger(sharedState(b, { prefix }));
    const key = deliveryKey('telegram:-1', '2026-11-30', '07:00');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? la : lb).open(record(key, `owner-${i}`))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)?.held?.record.owner;
    for (const r of results) expect(r.held?.record.owner).toBe(winner);
    expect(await la.openKeys()).toEqual([key]);

    const held = (await lb.get(key))!;
    const sending = await la.transition(held, { ...held.record, state: 'sending', attempts: 1 });
    expect(sending?.record.state).toBe('sending');
    // The same starting point again is stale now.
    expect(await lb.transition(held, { ...held.record, owner: 'thief', state: 'pending' })).toBeUndefined();
    await la.finish({ ...sending!.record, state: 'sent', sentAt: 1000, composedAt: 900 });
    expect(await lb.openKeys()).toEqual([]);
    expect((await lb.get(key))?.record).toMatchObject({ state: 'sent', owner: winner });
    expect(await lb.lastDigest('telegram:-1')).toEqual({ key, composedAt: 900, sentAt: 1000 });
    expect((await la.open(record(key, 'late-comer'))).created).toBe(false);

    // Heartbeats: alive until the deadline, by the caller's clock; released at a clean stop.
    await la.heartbeat('owner-x', 10_000);
    expect(await lb.isAlive('owner-x', 9_999)).toBe(true);
    expect(await lb.isAlive('owner-x', 10_000)).toBe(false);
    await la.release('owner-x');
    expect(await lb.isAlive('owner-x', 0)).toBe(false);

    // The last tick only moves forward.
    expect(await la.lastTick()).toBeUndefined();
    await Promise.all([la.advanceTick(120_000), lb.advanceTick(60_000), la.advanceTick(180_000), lb.advanceTick(120_000)]);
    expect(await lb.lastTick()).toBe(180_000);
    await la.advanceTick(60_000);
    expect(await la.lastTick()).toBe(180_000);
    if (b !== a) await b.close();
    await a.close();
  });

  it('keeps the slot index in step with subscriptions that are added, moved, paused and removed', async () => {
    const store = await backend.open();
    const prefix = uniquePrefix('index');
    const subs = createSubscriptionStore(store, { shared: sharedState(store, { prefix }) });
    const id = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    await subs.put(subscription({ platform: 'discord', channelId: `${id}1`, time: '07:00' }));
    await subs.put(subscription({ platform: 'telegram', channelId: `-${id}2`, time: '07:00', timeZone: 'Asia/Jayapura' }));
    await subs.put(subscription({ platform: 'telegram', channelId: `-${id}3`, time: '07:00' }));
    expect((await subs.zones()).sort()).toEqual(['Asia/Jakarta', 'Asia/Jayapura']);
    expect((await subs.dueAt('Asia/Jakarta', '07:00')).sort()).toEqual([`discord:${id}1`, `telegram:-${id}3`].sort());
    expect(await subs.dueAt('Asia/Jayapura', '07:00')).toEqual([`telegram:-${id}2`]);

    await subs.put(subscription({ platform: 'discord', channelId: `${id}1`, time: '19:30' }));
    expect(await subs.dueAt('Asia/Jakarta', '07:00')).toEqual([`telegram:-${id}3`]);
    expect(await subs.dueAt('Asia/Jakarta', '19:30')).toEqual([`discord:${id}1`]);
    expect(await subs.pause('telegram', `-${id}3`, 'gone')).toBe(true);
    expect(await subs.pause('telegram', `-${id}3`, 'gone')).toBe(false);
    expect(await subs.dueAt('Asia/Jakarta', '07:00')).toEqual([]);
    expect(await subs.remove('telegram', `-${id}2`)).toBe(true);
    expect(await subs.dueAt('Asia/Jayapura', '07:00')).toEqual([]);
    const many = await subs.getMany([`discord:${id}1`, `telegram:-${id}2`, `telegram:-${id}3`]);
    expect(many.map((s) => s?.time ?? null)).toEqual(['19:30', null, '07:00']);
    expect(many[2]).toMatchObject({ paused: true, pausedReason: 'gone' });
    expect(slotSetName('Asia/Jakarta', '07:00')).toBe('slot:Asia/Jakarta|07:00');

    // Rebuilding from the records under a fresh prefix finds the active ones only.
    const rebuilt = createSubscriptionStore(store, { shared: sharedState(store, { prefix: uniquePrefix('reindex') }) });
    expect(await rebuilt.ensureIndexed()).toBe(true);
    expect(await rebuilt.dueAt('Asia/Jakarta', '19:30')).toContain(`discord:${id}1`);
    expect(await rebuilt.dueAt('Asia/Jakarta', '07:00')).not.toContain(`telegram:-${id}3`);
    expect(await rebuilt.ensureIndexed()).toBe(false);
    await subs.remove('discord', `${id}1`);
    await subs.remove('telegram', `-${id}3`);
    await store.close();
  });

  it('elects one instance per cron slot through the run coordinator', async () => {
    const a = await backend.open();
    const b = await backend.peer(a);
    const prefix = uniquePrefix('cron');
    const ca = storeRunCoordinator(sharedState(a, { prefix }), 'a');
    const cb = storeRunCoordinator(sharedState(b, { prefix }), 'b');
    const slot = `ringkas-digests:${new Date(Date.UTC(2026, 10, 30)).toISOString()}`;
    const won = await Promise.all([ca.shouldRun(slot, 30_000), cb.shouldRun(slot, 30_000), ca.shouldRun(slot, 30_000)]);
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await cb.shouldRun(`${slot}-next`, 30_000)).toBe(true);
    if (b !== a) await b.close();
    await a.close();
  });
});

describe.skipIf(redisUrl === undefined)('shared state on Redis (REDIS_URL)', () => {
  it('fails loudly when Redis does not answer', async () => {
    const s = await openStore('redis://127.0.0.1:1', silentLogger);
    const ledger = createDeliveryLedger(sharedState(s, { prefix: uniquePrefix('down') }));
    await expect(ledger.open(record('telegram:-1|2026-11-30|07:00', 'x'))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await s.close();
  });
});

describe('delivery queue', () => {
  it('keeps to the platform rate and spaces messages to one channel', async () => {
    const q = new DeliveryQueue({ limits: { telegram: { perSecond: 10, perChannelPerSecond: 4, concurrency: 4 } } });
    const starts: { ch: string; at: number }[] = [];
    const t0 = Date.now();
    await Promise.all([
      ...Array.from({ length: 25 }, (_, i) => q.run('telegram', `c${i}`, async () => void starts.push({ ch: `c${i}`, at: Date.now() - t0 }))),
      ...Array.from({ length: 3 }, () => q.run('telegram', 'same', async () => void starts.push({ ch: 'same', at: Date.now() - t0 }))),
    ]);
    expect(starts).toHaveLength(28);
    // At most 10 in any second.
    for (const s of starts) expect(starts.filter((o) => o.at >= s.at && o.at < s.at + 1000).length).toBeLessThanOrEqual(10);
    const same = starts.filter((s) => s.ch === 'same').map((s) => s.at);
    expect((same[1] as number) - (same[0] as number)).toBeGreaterThanOrEqual(240);
    expect((same[2] as number) - (same[1] as number)).toBeGreaterThanOrEqual(240);
    // 28 messages at 10 a second take a little under 3 s, not more.
    expect(Math.max(...starts.map((s) => s.at))).toBeLessThan(3500);
  });
});
