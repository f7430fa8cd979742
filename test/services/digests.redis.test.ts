/**
 * Several instances on one Redis post each digest once: two services in this process (node-cron
 * under fake timers, `distributed` with the Redis run coordinator, and the ledger underneath), and
 * separate node processes in real time, including one killed in the middle of a delivery.
 *
 * Needs REDIS_URL (CI sets it). Unset: skipped, loudly. Set but unreachable: these tests fail.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../../src/adapters/store/index.js';
import { sharedState } from '../../src/adapters/scheduler/coordinator.js';
import { createDeliveryLedger, deliveryKey } from '../../src/adapters/store/deliveries.js';
import { createSubscriptionStore } from '../../src/adapters/store/subscriptions.js';
import { floorMinute, localSlot } from '../../src/core/schedule.js';
import { createDigestService, type DigestService } from '../../src/services/digests.js';
import { captureLogger, morningStories, RecordingDeliverer, subscription, uniquePrefix } from '../helpers/digest-fakes.js';
import { spawnInstance } from '../helpers/digest-instance.js';
import { silentLogger } from '../helpers/services.js';

const redisUrl = process.env['REDIS_URL'];
if (redisUrl === undefined) console.warn('digests Redis tests: REDIS_URL unset, SKIPPED (CI=true .ci/run sets it)');

const MIN = 60_000;
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

async function redis(): Promise<Store> {
  const s = await openStore(redisUrl as string, silentLogger);
  await s.ping(); // REDIS_URL set but Redis unreachable: fail here, clearly.
  return s;
}

describe.skipIf(redisUrl === undefined)('two instances in one process on Redis', () => {
  let stores: Store[] = [];
  let services: DigestService[] = [];

  beforeAll(async () => {
    await (await redis()).close();
  });

  afterEach(async () => {
    for (const s of services) await s.stop();
    for (const s of stores) await s.close();
    services = [];
    stores = [];
    vi.useRealTimers();
  });

  it('the minute tick runs on one instance (node-cron distributed), and the digest is posted once', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-11-29T23:58:30Z')); // 06:58:30 WIB
    const prefix = uniquePrefix('cron');
    stores = [await redis(), await redis()];
    const channel = `-77${Date.now()}`;
    const subs = createSubscriptionStore(stores[0] as Store, { shared: sharedState(stores[0] as Store, { prefix }) });
    await subs.put(subscription({ platform: 'telegram', channelId: channel, time: '07:00' }));
    cleanup.push(() => subs.remove('telegram', channel).then(() => undefined));
    const deliverers = [new RecordingDeliverer('telegram'), new RecordingDeliverer('telegram')];
    const logs = [captureLogger('debug'), captureLogger('debug')];
    services = stores.map((store, i) =>
      createDigestService({ store, prefix, stories: morningStories(), deliverers: [deliverers[i] as RecordingDeliverer], logger: logs[i]?.logger ?? silentLogger, instanceId: `in-process-${i}` }),
    );
    await Promise.all(services.map((s) => s.start()));
    const ticksAtStart = logs.map((l) => l.messages().filter((m) => m === 'digest tick').length);
    const ledger = createDeliveryLedger(sharedState(stores[1] as Store, { prefix }));
    for (let m = 0; m < 4; m++) {
      await vi.advanceTimersByTimeAsync(MIN);
      // node-cron's tick (its coordinator and the tick) talks to Redis in real time: wait for it.
      const minute = floorMinute(Date.now());
      await vi.waitFor(async () => expect(await ledger.lastTick()).toBe(minute), { timeout: 5_000 });
      await Promise.all(services.map((s) => s.idle()));
    }
    const posts = deliverers.flatMap((d) => d.posts);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.reply.title).toBe('Ringkasan Berita, Senin 30 November 2026');
    expect(await ledger.lastTick()).toBe(Date.parse('2026-11-30T00:02:00Z'));
    // Four cron minutes, four ticks in all: each minute ran on one of the two instances.
    const cronTicks = logs.map((l, i) => l.messages().filter((m) => m === 'digest tick').length - (ticksAtStart[i] ?? 0));
    expect(cronTicks.reduce((a, b) => a + b)).toBe(4);
  });

  it('both instances ticking the same minute at once: the ledger lets one post', async () => {
    const prefix = uniquePrefix('race');
    stores = [await redis(), await redis()];
    const at = Date.parse('2026-11-30T00:00:00Z');
    const channels = Array.from({ length: 20 }, (_, i) => `-88${Date.now()}${i}`);
    const subs = createSubscriptionStore(stores[0] as Store, { shared: sharedState(stores[0] as Store, { prefix }) });
    for (const c of channels) await subs.put(subscription({ platform: 'telegram', channelId: c, time: '07:00' }));
    cleanup.push(async () => void (await Promise.all(channels.map((c) => subs.remove('telegram', c)))));
    const deliverers = [new RecordingDeliverer('telegram'), new RecordingDeliverer('telegram')];
    services = stores.map((store, i) =>
      createDigestService({ store, prefix, stories: morningStories(), deliverers: [deliverers[i] as RecordingDeliverer], logger: silentLogger, schedule: false, now: () => at, limits: { telegram: { perSecond: 1000 } } }),
    );
    const reports = await Promise.all(services.map((s) => s.tick(at)));
    await Promise.all(services.map((s) => s.idle()));
    const posted = deliverers.flatMap((d) => d.posts.map((p) => p.channelId)).sort();
    expect(posted).toEqual([...channels].sort());
    expect(reports.map((r) => r.queued).reduce((a, b) => a + b)).toBe(20);
    expect(reports.map((r) => r.due)).toEqual([20, 20]);
  });

  it('takes over the records of an instance whose heartbeat lapsed, not before', async () => {
    const prefix = uniquePrefix('lease');
    stores = [await redis(), await redis()];
    let t = Date.parse('2026-11-30T00:00:00Z');
    const channel = `-99${Date.now()}`;
    const subs = createSubscriptionStore(stores[0] as Store, { shared: sharedState(stores[0] as Store, { prefix }) });
    await subs.put(subscription({ platform: 'telegram', channelId: channel, time: '07:00' }));
    cleanup.push(() => subs.remove('telegram', channel).then(() => undefined));
    const frozen = new RecordingDeliverer('telegram').failNext(channel, 'hang');
    const healthy = new RecordingDeliverer('telegram');
    const common = { prefix, stories: morningStories(), logger: silentLogger, schedule: false, now: () => t, leaseMs: 30_000 } as const;
    const a = createDigestService({ ...common, store: stores[0] as Store, deliverers: [frozen], instanceId: 'frozen' });
    const b = createDigestService({ ...common, store: stores[1] as Store, deliverers: [healthy], instanceId: 'healthy' });
    services = [b];
    await a.tick(); // records the slot, then hangs in the platform call
    const ledger = createDeliveryLedger(sharedState(stores[1] as Store, { prefix }));
    await vi.waitFor(async () => expect((await ledger.get(deliveryKey(`telegram:${channel}`, '2026-11-30', '07:00')))?.record.state).toBe('sending'));
    t += 20_000;
    expect((await b.tick()).tookOver).toBe(0); // a's heartbeat (until +30 s) still stands
    t += 15_000;
    const report = await b.tick();
    await b.idle();
    expect(report.tookOver).toBe(1);
    expect(healthy.posts.map((p) => p.channelId)).toEqual([channel]);
    expect((await ledger.get(deliveryKey(`telegram:${channel}`, '2026-11-30', '07:00')))?.record).toMatchObject({ state: 'sent', owner: 'healthy', takenOverFrom: 'frozen', foundState: 'sending' });
  });
});

interface Sink {
  url: string;
  posts: { instance: string; channelId: string; title: string }[];
  server: Server;
}

async function startSink(): Promise<Sink> {
  const posts: Sink['posts'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push(JSON.parse(body) as Sink['posts'][number]);
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/post`, posts, server };
}

/** Resolves with the next line the child prints that matches. */
function waitLine(child: ChildProcessWithoutNullStreams, line: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      rl.close();
      reject(new Error(`no "${line}" from the instance within ${timeoutMs} ms`));
    }, timeoutMs);
    rl.on('line', (l) => {
      if (l.trim() === line) {
        clearTimeout(timer);
        rl.close();
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      if (line !== 'exit') return;
      clearTimeout(timer);
      resolve();
      void code;
      void signal;
    });
  });
}

describe.skipIf(redisUrl === undefined)('separate processes on Redis, in real time', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  let sink: Sink;
  let store: Store;

  beforeAll(async () => {
    store = await redis();
    sink = await startSink();
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    sink.server.close();
    await store.close();
  });

  function spawnLogged(cfg: Parameters<typeof spawnInstance>[0]): ChildProcessWithoutNullStreams {
    const child = spawnInstance(cfg);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') console.error(`instance ${cfg.name} exited with ${code}:\n${err.slice(-4000)}`);
    });
    children.push(child);
    return child;
  }

  it(
    'two processes started together post the digest due now exactly once, and once more at the next minute by cron',
    async () => {
      const prefix = uniquePrefix('procs');
      const subs = createSubscriptionStore(store, { shared: sharedState(store, { prefix }) });
      const now = Date.now();
      const channel = `-5${now}`;
      const nextChannel = `-6${now}`;
      // Due this very minute; the last tick is seeded two minutes back, so that the start-up
      // catch-up of either process covers it even if the minute turns meanwhile.
      await subs.put(subscription({ platform: 'telegram', channelId: channel, time: localSlot(now, 'Asia/Jakarta').time, createdAt: new Date(now - 3600_000).toISOString() }));
      cleanup.push(() => subs.remove('telegram', channel).then(() => undefined));
      await createDeliveryLedger(sharedState(store, { prefix })).advanceTick(floorMinute(now) - 2 * MIN);

      const procs = ['proc-a', 'proc-b'].map((name) => spawnLogged({ name, redisUrl: redisUrl as string, prefix, sinkUrl: sink.url }));
      await Promise.all(procs.map((p) => waitLine(p, 'ready', 60_000)));
      await vi.waitFor(() => expect(sink.posts.filter((p) => p.channelId === channel)).toHaveLength(1), { timeout: 5_000 });
      // Both tick again at once: still one post.
      for (const p of procs) p.stdin.write('tick\n');
      await Promise.all(procs.map((p) => waitLine(p, 'ticked')));
      await new Promise((r) => setTimeout(r, 500));
      expect(sink.posts.filter((p) => p.channelId === channel)).toHaveLength(1);

      // A subscription for the next minute is posted by the real cron of one of them, once.
      const due = floorMinute(Date.now()) + MIN;
      await subs.put(subscription({ platform: 'telegram', channelId: nextChannel, time: localSlot(due, 'Asia/Jakarta').time, createdAt: new Date(now - 3600_000).toISOString() }));
      cleanup.push(() => subs.remove('telegram', nextChannel).then(() => undefined));
      await vi.waitFor(() => expect(sink.posts.filter((p) => p.channelId === nextChannel)).toHaveLength(1), { timeout: due - Date.now() + 15_000, interval: 200 });
      await new Promise((r) => setTimeout(r, 1500));
      expect(sink.posts.filter((p) => p.channelId === nextChannel)).toHaveLength(1);
      expect(sink.posts.filter((p) => p.channelId === channel || p.channelId === nextChannel)).toHaveLength(2);

      for (const p of procs) p.stdin.write('stop\n');
      await Promise.all(procs.map((p) => once(p, 'exit')));
      expect(procs.map((p) => p.exitCode)).toEqual([0, 0]);
    },
    150_000,
  );

  it(
    'a process killed (SIGKILL) in the middle of a delivery: another process takes it over after the lease and posts once',
    async () => {
      const prefix = uniquePrefix('kill');
      const subs = createSubscriptionStore(store, { shared: sharedState(store, { prefix }) });
      const now = Date.now();
      const channel = `-7${now}`;
      await subs.put(subscription({ platform: 'telegram', channelId: channel, time: localSlot(now, 'Asia/Jakarta').time, createdAt: new Date(now - 3600_000).toISOString() }));
      cleanup.push(() => subs.remove('telegram', channel).then(() => undefined));
      await createDeliveryLedger(sharedState(store, { prefix })).advanceTick(floorMinute(now) - 2 * MIN);

      const doomed = spawnLogged({ name: 'doomed', redisUrl: redisUrl as string, prefix, sinkUrl: sink.url, leaseMs: 3_000, dieOnDeliver: true });
      const [, signal] = (await once(doomed, 'exit')) as [number | null, NodeJS.Signals | null];
      expect(signal).toBe('SIGKILL');
      const ledger = createDeliveryLedger(sharedState(store, { prefix }));
      const key = deliveryKey(`telegram:${channel}`, localSlot(now, 'Asia/Jakarta').date, localSlot(now, 'Asia/Jakarta').time);
      expect((await ledger.get(key))?.record).toMatchObject({ state: 'sending', owner: 'doomed' });
      expect(sink.posts.filter((p) => p.channelId === channel)).toHaveLength(0);

      const heir = spawnLogged({ name: 'heir', redisUrl: redisUrl as string, prefix, sinkUrl: sink.url, leaseMs: 3_000 });
      await waitLine(heir, 'ready', 60_000);
      // The doomed process's heartbeat lasts up to 3 s after its last beat; the heir's next tick takes over.
      await new Promise((r) => setTimeout(r, 3_500));
      heir.stdin.write('tick\n');
      await waitLine(heir, 'ticked');
      await vi.waitFor(() => expect(sink.posts.filter((p) => p.channelId === channel)).toEqual([{ instance: 'heir', channelId: channel, title: expect.stringMatching(/^Ringkasan Berita, /) as unknown as string }]), { timeout: 5_000 });
      heir.stdin.write('stop\n');
      await once(heir, 'exit');
      expect((await ledger.get(key))?.record).toMatchObject({ state: 'sent', owner: 'heir', takenOverFrom: 'doomed', foundState: 'sending' });
    },
    120_000,
  );
});
