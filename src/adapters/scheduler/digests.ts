/**
 * The digest scheduler's two moving parts:
 *
 * - `scheduleDigestTick`: one node-cron task, every minute in UTC (`* * * * *`, `noOverlap`), that
 *   calls the tick. Not one task per subscription: at idle a tick reads one small set per time zone
 *   in use. With a run coordinator (several instances on Redis, `distributed`), each minute's tick
 *   runs on one instance only.
 * - `DeliveryQueue`: the fan-out, one p-queue per platform holding its global rate (a sliding
 *   window: `intervalCap` per second, `strict`) and a spacing per channel on top of it.
 *
 * Defaults follow the platforms' published limits with some room: Telegram about 30 messages a
 * second overall and 1 a second per chat (we use 25 and 1); Discord 50 requests a second globally
 * and 5 per 5 seconds per channel (we use 45 and 1 a second).
 */
import { setMaxListeners } from 'node:events';
import cron, { type Logger as CronLogger, type RunCoordinator, type ScheduledTask } from 'node-cron';
import PQueue from 'p-queue';
import type { Platform } from '../../core/schedule.js';
import type { Logger } from '../../logger.js';

export interface DigestTickOptions {
  tick: () => Promise<unknown>;
  logger: Logger;
  /** Lets one of several instances run each minute's tick. */
  runCoordinator?: RunCoordinator | undefined;
  /** Task name (part of the coordination key). Default "ringkas-digests". */
  name?: string;
}

export interface DigestTick {
  nextTick(): Date | null;
  /** Stops the task; waits (at most `waitMs`) for a tick in progress. */
  stop(waitMs?: number): Promise<void>;
}

export function scheduleDigestTick(opts: DigestTickOptions): DigestTick {
  const log = opts.logger.child({ component: 'digest-scheduler' });
  // node-cron's own messages (a tick blocked by the previous one, a coordinator error) go to our log.
  const cronLog: CronLogger = {
    info: (m) => log.debug({ cron: true }, m),
    warn: (m) => log.warn({ cron: true }, m),
    error: (m, err) => log.error({ cron: true, err: err ?? (m instanceof Error ? m : undefined) }, m instanceof Error ? m.message : m),
    debug: (m) => log.debug({ cron: true }, m instanceof Error ? m.message : m),
  };
  const task: ScheduledTask = cron.schedule(
    '* * * * *',
    async () => {
      try {
        await opts.tick();
      } catch (err) {
        log.error({ err }, 'digest tick failed; the next tick catches up');
      }
    },
    {
      timezone: 'Etc/UTC',
      noOverlap: true,
      name: opts.name ?? 'ringkas-digests',
      logger: cronLog,
      ...(opts.runCoordinator !== undefined ? { distributed: true, runCoordinator: opts.runCoordinator, distributedLease: 55_000 } : {}),
    },
  );
  task.on('execution:overlap', () => log.warn('previous digest tick still running: this minute is caught up by the next tick'));
  let stopped = false;
  return {
    nextTick: () => (stopped ? null : task.getNextRun()),
    async stop(waitMs = 30_000) {
      if (stopped) return;
      stopped = true;
      await task.stop();
      const deadline = Date.now() + waitMs;
      while (task.isBusy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await task.destroy();
    },
  };
}

const WINDOW_MARGIN_MS = 15;

export interface PlatformLimits {
  /** Messages per second over all channels. */
  perSecond: number;
  /** Messages per second to one channel. */
  perChannelPerSecond: number;
  /** Platform calls in flight at once. Default 8. */
  concurrency?: number;
}

export const DEFAULT_LIMITS: Readonly<Record<Platform, PlatformLimits>> = {
  telegram: { perSecond: 25, perChannelPerSecond: 1, concurrency: 8 },
  discord: { perSecond: 45, perChannelPerSecond: 1, concurrency: 8 },
  console: { perSecond: 20, perChannelPerSecond: 5, concurrency: 1 },
};

export interface DeliveryQueueOptions {
  limits?: Partial<Record<Platform, Partial<PlatformLimits>>>;
  /** The clock for the per-channel spacing. Default Date.now. */
  now?: () => number;
}

/** Rate-limited fan-out: `run(platform, channel, fn)` runs fn when both limits allow. */
export class DeliveryQueue {
  readonly limits: Readonly<Record<Platform, PlatformLimits>>;
  readonly #queues = new Map<Platform, PQueue>();
  readonly #lastStart = new Map<string, Promise<number>>();
  readonly #now: () => number;
  #waiting = 0;
  #abort = newController();

  constructor(opts: DeliveryQueueOptions = {}) {
    const merged = {} as Record<Platform, PlatformLimits>;
    for (const p of Object.keys(DEFAULT_LIMITS) as Platform[]) merged[p] = { ...DEFAULT_LIMITS[p], ...(opts.limits?.[p] ?? {}) };
    this.limits = merged;
    this.#now = opts.now ?? Date.now;
  }

  #queue(platform: Platform): PQueue {
    let q = this.#queues.get(platform);
    if (q === undefined) {
      const l = this.limits[platform];
      // The window is a little over a second: p-queue counts in whole milliseconds, and a
      // platform measuring the same messages with its own clock must not see one too many.
      q = new PQueue({ concurrency: Math.max(1, l.concurrency ?? 8), intervalCap: Math.max(1, Math.floor(l.perSecond)), interval: 1000 + WINDOW_MARGIN_MS, strict: true });
      this.#queues.set(platform, q);
    }
    return q;
  }

  /** Jobs waiting or running. */
  get size(): number {
    let n = this.#waiting;
    for (const q of this.#queues.values()) n += q.size + q.pending;
    return n;
  }

  async run<T>(platform: Platform, channelId: string, fn: () => Promise<T>): Promise<T> {
    // A channel's messages start one after another, `spacing` apart: each waits for the previous
    // one's start (outside the platform queue, so that a busy channel holds no slot the others could
    // use), then takes its turn in the platform's queue.
    const spacing = 1000 / Math.max(0.001, this.limits[platform].perChannelPerSecond);
    const key = `${platform}:${channelId}`;
    const previous = this.#lastStart.get(key) ?? Promise.resolve(Number.NEGATIVE_INFINITY);
    let markStart: (at: number) => void = () => undefined;
    const myStart = new Promise<number>((resolve) => (markStart = resolve));
    this.#lastStart.set(key, myStart);
    const signal = this.#abort.signal;
    let running: Promise<T> | undefined;
    this.#waiting++;
    try {
      const wait = (await previous) + spacing - this.#now();
      if (wait > 0) await sleep(wait, signal);
      if (signal.aborted) throw new DeliveryQueueStopped();
    } catch (e) {
      this.#waiting--;
      markStart(Number.NEGATIVE_INFINITY);
      this.#forget(key, myStart);
      throw e;
    }
    this.#waiting--;
    try {
      // p-queue also rejects a task already running when the signal aborts; such a task goes on,
      // and its own outcome is what counts (a message may be on its way).
      return (await this.#queue(platform).add(
        () => {
          markStart(this.#now());
          running = fn();
          return running;
        },
        { signal },
      )) as T;
    } catch (e) {
      if (running !== undefined) return running;
      markStart(Number.NEGATIVE_INFINITY);
      throw signal.aborted ? new DeliveryQueueStopped() : e;
    } finally {
      this.#forget(key, myStart, spacing);
    }
  }

  /** Forgets a channel's last start once nothing follows it and its spacing has passed. */
  #forget(key: string, start: Promise<number>, after = 0): void {
    const drop = (): void => {
      if (this.#lastStart.get(key) === start) this.#lastStart.delete(key);
    };
    if (after <= 0) drop();
    else setTimeout(drop, after).unref?.();
  }

  /** Drops the jobs not started yet: their run() rejects with DeliveryQueueStopped. */
  clear(): void {
    this.#abort.abort();
    this.#abort = newController();
  }
}

function newController(): AbortController {
  const c = new AbortController();
  // Every queued job listens to it.
  setMaxListeners(0, c.signal);
  return c;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new DeliveryQueueStopped());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A job dropped from the queue before it started (the service is stopping). */
export class DeliveryQueueStopped extends Error {
  constructor() {
    super('the delivery queue was stopped before this job started');
    this.name = 'DeliveryQueueStopped';
  }
}
