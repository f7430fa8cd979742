/**
 * Daily digests: finds the subscriptions due each minute, composes their digests from the corpus,
 * and posts each one exactly once per (subscription, local date, time of day), however many
 * instances share the store and however often they restart.
 *
 *   const digests = createDigestService({ store, subscriptions, stories, deliverers, logger });
 *   await digests.start();   // reindex once, catch up on what was missed, tick every minute
 *   await digests.preview(sub, Date.now());   // what /digest preview shows
 *   await digests.stop();    // cron stopped, deliveries let finish briefly, the rest handed over
 *
 * A tick (once a minute, UTC; on one instance when several share Redis):
 *  1. takes the minutes since the last tick the store remembers: slots within the catch-up window
 *     (DIGEST_CATCHUP_HOURS, default 3) are still posted, late; older ones are logged as skipped;
 *  2. for each minute and each zone in use, asks the slot index which subscriptions are due at the
 *     local time(s) of that minute (dueLocalSlots: DST gaps and repeats handled there);
 *  3. writes a pending ledger record per due slot (set-if-absent: a slot already recorded, by
 *     another instance or before a restart, is not queued again) and queues its delivery;
 *  4. moves the last tick forward, and sweeps the open records: those whose owner's heartbeat has
 *     lapsed (a crashed instance; on SQLite and in memory, any earlier process: there is only one
 *     instance) are taken over and delivered, or abandoned past the window.
 *
 * What remains of "at least once" in "exactly once": an instance that dies after the platform
 * accepted a message and before the ledger says 'sent' (a few milliseconds) leaves a 'sending'
 * record; whoever takes it over cannot know whether the post went out, sends it again, and logs
 * that it may be a duplicate. A transient failure that was in fact delivered (a timeout after the
 * platform accepted) is retried the same way. Every attempt carries the record's key as the
 * idempotency key: on Discord (message nonce, `deduplicates`) a repeat within Discord's window of a
 * few minutes returns the message already posted instead of posting it again; on Telegram (no such
 * thing in the Bot API) it may be posted twice. Everything else is posted once or, past the
 * catch-up window, skipped with a log line.
 *
 * A delivery composes the digest (stories since the subscription's previous digest, at most 24 h;
 * compositions are shared by subscriptions with the same settings in the same minute), marks the
 * record 'sending' (compare-and-set), posts through the platform's Deliverer inside the platform's
 * rate limits, and marks it 'sent'. A transient failure is retried with exponential backoff, a
 * bounded number of times; a permanent one (channel gone, forbidden, blocked) pauses the
 * subscription, logs once, and tells the subscriber where it can (a notice in the channel when the
 * bot may still write there, the `notifySubscriber` hook, and /digest status).
 */
import { composeDigest, digestTitle, digestToReply, type Digest, type DigestCandidate } from '../core/digest.js';
import { indexTerms } from '../core/related.js';
import { zoneLabel } from '../core/format.js';
import type { Locale } from '../core/messages.js';
import { infoReply, type Reply } from '../core/reply.js';
import { dueLocalSlots, floorMinute, formatTimeOfDay, MINUTE_MS, type Platform, type Subscription } from '../core/schedule.js';
import { instanceName, sharedState, storeRunCoordinator, type SharedState } from '../adapters/scheduler/coordinator.js';
import { DeliveryQueue, DeliveryQueueStopped, scheduleDigestTick, type DigestTick, type PlatformLimits } from '../adapters/scheduler/digests.js';
import { createDeliveryLedger, deliveryKey, isFinal, type DeliveryLedger, type DeliveryRecord, type HeldRecord } from '../adapters/store/deliveries.js';
import type { Store } from '../adapters/store/index.js';
import { createSubscriptionStore, parseSubscriptionKey, subscriptionKey, type IndexedSubscriptionStore } from '../adapters/store/subscriptions.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../adapters/metrics.js';
import PQueue from 'p-queue';
import type { DigestPreviewer } from './digest-preview.js';
import { DeliveryError, type Deliverer, type DeliveryFailure } from './delivery.js';
import type { StorySource } from './story-source.js';

export interface RetryOptions {
  /** Platform calls per digest at most (the first included). Default 4. */
  attempts?: number;
  /** First backoff; doubles each time, with jitter. Default 2 s. */
  baseMs?: number;
  /** Longest backoff. Default 60 s. */
  maxMs?: number;
}

export interface DigestServiceOptions {
  store: Store;
  /** The subscription store the commands use (default: one on `store`). */
  subscriptions?: IndexedSubscriptionStore;
  stories: StorySource;
  /** One per platform that is on (Discord, Telegram). Subscriptions of other platforms wait. */
  deliverers: readonly Deliverer[];
  logger: Logger;
  /** The clock (epoch ms). Default Date.now. */
  now?: () => number;
  /** Slots missed by at most this much are still posted (late). Default 3 (DIGEST_CATCHUP_HOURS). */
  catchUpHours?: number;
  /** Per-platform rate limits (defaults: DEFAULT_LIMITS). */
  limits?: Partial<Record<Platform, Partial<PlatformLimits>>>;
  retry?: RetryOptions;
  /** An instance whose heartbeat is older than this has died: its records are taken over. Default 60 s. */
  leaseMs?: number;
  /** This instance's name in the ledger. Default host-pid-random. */
  instanceId?: string;
  /** Start the minute tick in start(). Default true. */
  schedule?: boolean;
  /** Let one instance run each tick (node-cron `distributed`). Default: when the store is Redis. */
  distributed?: boolean;
  /** Key prefix in the shared state (tests). Default "ringkas:digest:". */
  prefix?: string;
  /** Items per digest. Default 8. */
  maxItems?: number;
  /** Deliveries prepared at once per platform. Default 32. */
  concurrency?: number;
  /** Summary sentences for a story link (the reader), used for the items chosen; undefined: keep the lead. */
  readSummary?: (url: string) => Promise<readonly string[] | undefined>;
  /** How long one readSummary may take before the item keeps its lead. Default 8 s. */
  readSummaryTimeoutMs?: number;
  /** Tells the subscriber that the digest was paused where the channel cannot (a DM); true when told. */
  notifySubscriber?: (sub: Subscription, notice: Reply, reason: DeliveryFailure) => Promise<boolean>;
  /** How long stop() lets queued deliveries run before handing them over. Default 10 s. */
  stopTimeoutMs?: number;
  /** Counts digests delivered, failed and skipped per platform (ringkas_digests_total). */
  metrics?: Pick<Metrics, 'digest'> | undefined;
}

export interface TickReport {
  /** The minute processed (ISO). */
  minute: string;
  /** Minutes looked at (1 normally; more after downtime). */
  minutes: number;
  /** Subscription slots found due. */
  due: number;
  /** Deliveries queued by this tick. */
  queued: number;
  /** Due slots already recorded (posted, or being posted, by this or another instance). */
  recorded: number;
  /** Due slots of earlier minutes (posted late). */
  late: number;
  /** Slots missed beyond the catch-up window (not posted). */
  skipped: number;
  /** Open records of dead instances taken over. */
  tookOver: number;
  /** Open records of dead instances past the window, given up. */
  abandoned: number;
}

export interface ComposedDigest {
  digest: Digest;
  reply: Reply;
  since: number;
  now: number;
}

export interface DigestService extends DigestPreviewer {
  readonly instanceId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One tick now (what the cron runs each minute). */
  tick(now?: number): Promise<TickReport>;
  /** Resolves when every queued delivery has finished. */
  idle(): Promise<void>;
  /** The digest a subscription receives at `now` (since its previous digest unless `since`). */
  compose(sub: Subscription, opts: { now: number; since?: number; slotAt?: number }): Promise<ComposedDigest>;
}

const DAY = 24 * 3600_000;
const SKIP_LOG_LINES = 100;

const PAUSE_REASON: Record<Locale, Record<'channel-gone' | 'forbidden' | 'blocked', string>> = {
  id: {
    'channel-gone': 'kanal atau obrolan ini tidak ditemukan lagi',
    forbidden: 'Ringkas tidak punya izin mengirim pesan di sini',
    blocked: 'Ringkas diblokir di obrolan ini',
  },
  en: {
    'channel-gone': 'the channel or chat no longer exists',
    forbidden: 'Ringkas may not post here',
    blocked: 'Ringkas was blocked in this chat',
  },
};

function pauseNotice(sub: Subscription, reason: string): Reply {
  const where = sub.channelName ?? (sub.locale === 'en' ? 'this channel' : 'kanal ini');
  const again = `/digest ${formatTimeOfDay(sub.time, sub.locale)} ${zoneLabel(sub.timeZone)}`;
  return sub.locale === 'en'
    ? infoReply('en', `The daily digest for ${where} is paused: ${reason}. Once that is fixed, set it again with ${again}.`)
    : infoReply('id', `Ringkasan harian untuk ${where} dijeda: ${reason}. Setelah masalahnya beres, atur lagi dengan ${again}.`);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createDigestService(opts: DigestServiceOptions): DigestService {
  const log = opts.logger.child({ component: 'digests' });
  const now = opts.now ?? Date.now;
  const me = opts.instanceId ?? instanceName();
  const catchUpMs = Math.max(0, opts.catchUpHours ?? 3) * 3600_000;
  const leaseMs = Math.max(1000, opts.leaseMs ?? 60_000);
  const attempts = Math.max(1, opts.retry?.attempts ?? 4);
  const baseMs = Math.max(1, opts.retry?.baseMs ?? 2000);
  const maxBackoffMs = Math.max(baseMs, opts.retry?.maxMs ?? 60_000);
  const shared: SharedState = sharedState(opts.store, opts.prefix !== undefined ? { prefix: opts.prefix } : {});
  const subs = opts.subscriptions ?? createSubscriptionStore(opts.store, { shared });
  const ledger: DeliveryLedger = createDeliveryLedger(shared);
  // On SQLite and in memory this process is the only instance: a record held by any other owner
  // was left by an earlier process, and is taken over at once (no heartbeats needed).
  const single = shared.kind === 'local';
  const deliverers = new Map<Platform, Deliverer>(opts.deliverers.map((d) => [d.platform, d]));
  // Rate limits are about real time passing: the queue keeps its own clock.
  const queue = new DeliveryQueue(opts.limits !== undefined ? { limits: opts.limits } : {});
  const jobQueues = new Map<Platform, PQueue>();
  const inFlight = new Set<string>();
  const warnedPlatforms = new Set<Platform>();
  const summaries = new Map<string, readonly string[] | null>();
  let composeCache = new Map<string, Promise<Digest>>();
  let replyCache = new Map<string, ComposedDigest>();
  let candidateCache = new Map<number, Promise<readonly DigestCandidate[]>>();
  let cacheMinute = Number.NaN;
  let tickChain: Promise<unknown> = Promise.resolve();
  let ticking = 0;
  let cronTick: DigestTick | undefined;
  let heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  let started = false;
  let stopping = false;
  const wakeups = new Set<() => void>();

  function jobQueue(platform: Platform): PQueue {
    let q = jobQueues.get(platform);
    if (q === undefined) {
      q = new PQueue({ concurrency: Math.max(1, opts.concurrency ?? 32) });
      jobQueues.set(platform, q);
    }
    return q;
  }

  /** Waits `ms`, or less when the service stops. */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakeups.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeups.add(done);
    });
  }

  // ---- composition ------------------------------------------------------------------------

  function resetCaches(minute: number): void {
    if (minute === cacheMinute) return;
    cacheMinute = minute;
    composeCache = new Map();
    replyCache = new Map();
    candidateCache = new Map();
  }

  function candidates(at: number): Promise<readonly DigestCandidate[]> {
    let p = candidateCache.get(at);
    if (p === undefined) {
      p = Promise.resolve(opts.stories.candidatesSince(at - DAY, at));
      candidateCache.set(at, p);
      p.catch(() => candidateCache.delete(at));
    }
    return p;
  }

  async function summaryOf(url: string): Promise<readonly string[] | undefined> {
    const read = opts.readSummary;
    if (read === undefined) return undefined;
    const known = summaries.get(url);
    if (known !== undefined) return known ?? undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = Symbol('late');
    try {
      // A slow site does not hold the minute's digests back: past the deadline the lead stands
      // (and the link is tried again next time).
      const found = await Promise.race([
        read(url),
        new Promise<typeof late>((resolve) => {
          timer = setTimeout(() => resolve(late), opts.readSummaryTimeoutMs ?? 8_000);
        }),
      ]);
      if (found === late) return undefined;
      if (summaries.size > 5_000) summaries.delete(summaries.keys().next().value as string);
      summaries.set(url, found !== undefined && found.length > 0 ? found : null);
      return found;
    } catch (err) {
      log.debug({ err, url }, 'no summary for a digest item; its lead stands');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Index terms per story, kept across ticks: a subscription with topics only hands composeDigest
   * the clusters whose terms can match (the same rule composeDigest applies, on a superset of each
   * cluster's terms, so nothing it would keep is left out).
   */
  const termCache = new Map<string, ReadonlySet<string>>();
  function termsOf(c: DigestCandidate): ReadonlySet<string> {
    const key = `${c.id}\u0000${c.title}\u0000${c.lead?.length ?? 0}`;
    let t = termCache.get(key);
    if (t === undefined) {
      t = new Set(indexTerms(`${c.title} ${c.lead ?? ''}`));
      if (termCache.size >= 200_000) termCache.clear();
      termCache.set(key, t);
    }
    return t;
  }

  /** Each cluster's terms (the union of its stories'), once per candidate list. */
  const clusterTerms = new WeakMap<readonly DigestCandidate[], Map<string, Set<string>>>();
  function termsByCluster(list: readonly DigestCandidate[]): Map<string, Set<string>> {
    let clusters = clusterTerms.get(list);
    if (clusters === undefined) {
      clusters = new Map();
      for (const c of list) {
        let terms = clusters.get(c.clusterId);
        if (terms === undefined) clusters.set(c.clusterId, (terms = new Set()));
        for (const w of termsOf(c)) terms.add(w);
      }
      clusterTerms.set(list, clusters);
    }
    return clusters;
  }

  function forTopics(list: readonly DigestCandidate[], topics: readonly string[]): readonly DigestCandidate[] {
    if (topics.length === 0) return list;
    const wanted = topics.map((t) => indexTerms(t)).filter((t) => t.length > 0);
    if (wanted.length === 0) return list;
    const keep = new Set<string>();
    for (const [id, terms] of termsByCluster(list)) if (wanted.some((t) => t.every((w) => terms.has(w)))) keep.add(id);
    return list.filter((c) => keep.has(c.clusterId));
  }

  /**
   * The items of a digest depend on the stories, the window and the topics only; the zone and the
   * language change the header and the labels. So one composition serves every subscription of the
   * minute with the same window and topics.
   */
  async function composeItems(at: number, since: number, topics: readonly string[]): Promise<Digest> {
    let list = forTopics(await candidates(at), topics);
    const options = { now: at, since, topics, locale: 'id' as const, timeZone: 'UTC', ...(opts.maxItems !== undefined ? { max: opts.maxItems } : {}) };
    let digest = composeDigest(list, options);
    if (opts.readSummary !== undefined && digest.items.length > 0) {
      const found = new Map<string, readonly string[]>();
      await Promise.all(
        digest.items.map(async (it) => {
          const s = await summaryOf(it.url);
          if (s !== undefined && s.length > 0) found.set(it.url, s);
        }),
      );
      if (found.size > 0) {
        list = list.map((c) => {
          const s = found.get(c.url);
          return s !== undefined && c.summary === undefined ? { ...c, summary: s } : c;
        });
        digest = composeDigest(list, options);
      }
    }
    return digest;
  }

  function itemsFor(key: string, at: number, since: number, topics: readonly string[]): Promise<Digest> {
    let p = composeCache.get(key);
    if (p === undefined) {
      p = composeItems(at, since, topics);
      composeCache.set(key, p);
      p.catch(() => composeCache.delete(key));
    }
    return p;
  }

  async function sinceOf(sub: Subscription, at: number, excludeKey?: string): Promise<number> {
    const last = await ledger.lastDigest(subscriptionKey(sub.platform, sub.channelId));
    if (last === undefined || last.key === excludeKey || last.composedAt >= at) return at - DAY;
    return Math.max(at - DAY, last.composedAt);
  }

  async function compose(sub: Subscription, o: { now: number; since?: number; slotAt?: number }): Promise<ComposedDigest> {
    const at = floorMinute(o.now);
    resetCaches(floorMinute(now()));
    const since = o.since ?? (await sinceOf(sub, at));
    const itemsKey = JSON.stringify([at, since, [...sub.topics].sort()]);
    const base = await itemsFor(itemsKey, at, since, sub.topics);
    // The header and labels per zone and language (a digest posted late carries its slot's date),
    // shared by the subscriptions that have the same.
    const key = JSON.stringify([itemsKey, sub.topics, sub.locale, sub.timeZone, o.slotAt ?? at]);
    let done = replyCache.get(key);
    if (done === undefined) {
      const digest: Digest = { ...base, title: digestTitle(o.slotAt ?? at, sub.timeZone, sub.locale), timeZone: sub.timeZone, locale: sub.locale };
      done = { digest, reply: digestToReply(digest, sub.topics), since: digest.since, now: at };
      replyCache.set(key, done);
    }
    return done;
  }

  // ---- delivery ---------------------------------------------------------------------------

  async function pauseAndTell(sub: Subscription, err: DeliveryError): Promise<void> {
    const why = err.reason === 'channel-gone' || err.reason === 'forbidden' || err.reason === 'blocked' ? err.reason : 'forbidden';
    const reason = PAUSE_REASON[sub.locale][why];
    const changed = await subs.pause(sub.platform, sub.channelId, reason);
    if (!changed) return;
    const notice = pauseNotice(sub, reason);
    const told: string[] = [];
    const deliverer = deliverers.get(sub.platform);
    // Missing permission for the digest (embeds, links) may still leave a plain notice possible.
    if (why === 'forbidden' && deliverer !== undefined) {
      try {
        await queue.run(sub.platform, sub.channelId, () => deliverer.deliver(sub.channelId, notice));
        told.push('channel');
      } catch {
        // Not even that: the hook or /digest status will tell.
      }
    }
    if (opts.notifySubscriber !== undefined) {
      try {
        if (await opts.notifySubscriber(sub, notice, err.reason)) told.push('subscriber');
      } catch (e) {
        log.info({ err: e, subscription: subscriptionKey(sub.platform, sub.channelId) }, 'could not tell the subscriber about the pause');
      }
    }
    log.warn(
      { subscription: subscriptionKey(sub.platform, sub.channelId), reason: err.reason, detail: err.message, told: told.length > 0 ? told : ['status'] },
      'digest paused: the platform refuses it for good',
    );
  }

  function backoff(attempt: number, err: DeliveryError): number {
    if (err.reason === 'rate-limited') return Math.min(maxBackoffMs * 5, Math.max(err.retryAfterMs ?? baseMs, 250));
    const exp = Math.min(maxBackoffMs, baseMs * 2 ** (attempt - 1));
    return Math.round(exp * (0.75 + Math.random() * 0.5));
  }

  async function finish(h: HeldRecord, state: 'sent' | 'failed' | 'abandoned', extra: Partial<DeliveryRecord> = {}): Promise<void> {
    const t = now();
    await ledger.finish({ ...h.record, ...extra, state, updatedAt: t, ...(state === 'sent' ? { sentAt: t } : {}) });
    const platform = parseSubscriptionKey(h.record.subscription)?.platform ?? 'unknown';
    opts.metrics?.digest(platform, state === 'sent' ? 'delivered' : state === 'failed' ? 'failed' : 'skipped');
  }

  async function deliverHeld(start: HeldRecord, hint: Subscription | undefined): Promise<void> {
    let h = start;
    const rec = h.record;
    const where = parseSubscriptionKey(rec.subscription);
    if (where === undefined) {
      await finish(h, 'abandoned', { error: 'not a subscription key' });
      return;
    }
    const deliverer = deliverers.get(where.platform);
    if (deliverer === undefined) return;
    const sub = hint ?? (await subs.get(where.platform, where.channelId));
    if (sub === undefined || sub.paused || sub.time !== rec.time || sub.timeZone !== rec.timeZone) {
      await finish(h, 'abandoned', { error: sub === undefined ? 'unsubscribed before delivery' : sub.paused ? 'paused before delivery' : 'the time changed before delivery' });
      log.info({ delivery: rec.key }, 'digest not sent: the subscription changed before delivery');
      return;
    }
    const log1 = log.child({ delivery: rec.key });
    for (let attempt = rec.attempts + 1; ; attempt++) {
      if (stopping) return;
      let composed: ComposedDigest;
      try {
        const at = floorMinute(now());
        composed = await compose(sub, { now: at, since: await sinceOf(sub, at, rec.key), slotAt: rec.slotAt });
      } catch (err) {
        log1.error({ err }, 'digest could not be composed');
        if (attempt >= attempts) {
          await finish(h, 'failed', { error: `compose: ${errorText(err)}` });
          return;
        }
        await pause(backoff(attempt, new DeliveryError('transient', errorText(err))));
        continue;
      }
      const sending = await ledger.transition(h, { ...h.record, state: 'sending', attempts: attempt, updatedAt: now(), composedAt: composed.now, since: composed.since });
      if (sending === undefined) {
        log1.warn('another instance took this digest over; not sending');
        return;
      }
      h = sending;
      try {
        // The record's key names this delivery on every attempt, here or after a restart.
        await queue.run(where.platform, where.channelId, () => deliverer.deliver(where.channelId, composed.reply, { idempotencyKey: `digest:${rec.key}` }));
      } catch (e) {
        if (e instanceof DeliveryQueueStopped) {
          // Never reached the platform: pending again, for whoever takes it over.
          const back = await ledger.transition(h, { ...h.record, state: 'pending', attempts: attempt - 1, updatedAt: now() });
          if (back !== undefined) h = back;
          return;
        }
        const err = e instanceof DeliveryError ? e : new DeliveryError('transient', errorText(e), { cause: e });
        if (err.permanent) {
          await finish(h, 'failed', { error: `${err.reason}: ${err.message}` });
          await pauseAndTell(sub, err);
          return;
        }
        if (attempt >= attempts) {
          await finish(h, 'failed', { error: `${err.reason}: ${err.message}` });
          log1.error({ reason: err.reason, attempts: attempt, detail: err.message }, 'digest not posted: the platform kept failing');
          return;
        }
        const wait = backoff(attempt, err);
        log1.info({ reason: err.reason, attempt, retryInMs: wait }, 'digest delivery failed; retrying');
        const back = await ledger.transition(h, { ...h.record, state: 'pending', error: `${err.reason}: ${err.message}`, updatedAt: now() });
        if (back === undefined) return;
        h = back;
        await pause(wait);
        continue;
      }
      await finish(h, 'sent');
      log1.info({ items: composed.digest.items.length, attempts: attempt, late: now() - rec.slotAt > 5 * MINUTE_MS ? Math.round((now() - rec.slotAt) / MINUTE_MS) : undefined }, 'digest posted');
      return;
    }
  }

  function enqueue(h: HeldRecord, hint?: Subscription): void {
    const key = h.record.key;
    if (inFlight.has(key)) return;
    const where = parseSubscriptionKey(h.record.subscription);
    if (where === undefined) return;
    inFlight.add(key);
    jobQueue(where.platform)
      .add(async () => {
        try {
          await deliverHeld(h, hint);
        } catch (err) {
          // Store trouble: the record stays open; the sweep or a restart picks it up.
          log.error({ err, delivery: key }, 'digest delivery interrupted; it is retried by the next sweep');
        } finally {
          inFlight.delete(key);
        }
      })
      .catch((err: unknown) => log.error({ err, delivery: key }, 'digest job failed'));
  }

  // ---- the tick ---------------------------------------------------------------------------

  function hasDeliverer(platform: Platform): boolean {
    if (deliverers.has(platform)) return true;
    if (!warnedPlatforms.has(platform)) {
      warnedPlatforms.add(platform);
      log.warn({ platform }, 'digests due on a platform this instance does not run: left for an instance that does');
    }
    return false;
  }

  async function logSkipped(from: number, to: number, zones: readonly string[]): Promise<number> {
    // Slots in [from, to): posted by nobody, past the window. At most a day of them is listed.
    let count = 0;
    const start = Math.max(from, to - DAY);
    for (let m = start; m < to; m += MINUTE_MS) {
      for (const zone of zones) {
        for (const slot of dueLocalSlots(m, zone)) {
          for (const key of await subs.dueAt(zone, slot.time)) {
            count++;
            opts.metrics?.digest(parseSubscriptionKey(key)?.platform ?? 'unknown', 'skipped');
            if (count <= SKIP_LOG_LINES) log.warn({ subscription: key, date: slot.date, time: slot.time, timeZone: zone, slotAt: new Date(m).toISOString() }, 'digest skipped: missed while no instance was running, beyond the catch-up window');
          }
        }
      }
    }
    if (count > 0 || start > from) {
      log.warn(
        { skipped: count, from: new Date(from).toISOString(), to: new Date(to).toISOString(), catchUpHours: catchUpMs / 3600_000, listedFrom: new Date(start).toISOString() },
        'digests missed beyond the catch-up window were not sent',
      );
    }
    return count;
  }

  interface Due {
    key: string;
    sub: Subscription;
    slotAt: number;
    date: string;
    time: string;
  }

  async function findDue(from: number, to: number, zones: readonly string[]): Promise<{ due: Due[]; found: number }> {
    const wanted: { key: string; zone: string; date: string; time: string; slotAt: number }[] = [];
    for (let m = from; m <= to; m += MINUTE_MS) {
      for (const zone of zones) {
        for (const slot of dueLocalSlots(m, zone)) {
          for (const key of await subs.dueAt(zone, slot.time)) wanted.push({ key, zone, date: slot.date, time: slot.time, slotAt: m });
        }
      }
    }
    const due: Due[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500);
      const records = await subs.getMany(chunk.map((w) => w.key));
      chunk.forEach((w, j) => {
        const sub = records[j];
        // The index may lag a change made at the same moment elsewhere: the record decides.
        if (sub === undefined || sub.paused || sub.timeZone !== w.zone || sub.time !== w.time) return;
        const created = Date.parse(sub.createdAt);
        if (Number.isFinite(created) && created >= w.slotAt + MINUTE_MS) return;
        const dkey = deliveryKey(w.key, w.date, w.time);
        if (seen.has(dkey)) return;
        seen.add(dkey);
        due.push({ key: dkey, sub, slotAt: w.slotAt, date: w.date, time: w.time });
      });
    }
    return { due, found: wanted.length };
  }

  async function sweep(at: number, report: TickReport): Promise<void> {
    for (const key of await ledger.openKeys()) {
      if (inFlight.has(key)) continue;
      const h = await ledger.get(key);
      if (h === undefined || isFinal(h.record.state)) {
        await ledger.forget(key);
        continue;
      }
      const rec = h.record;
      const where = parseSubscriptionKey(rec.subscription);
      if (where === undefined || !deliverers.has(where.platform)) continue;
      if (rec.owner !== me && !single && (await ledger.isAlive(rec.owner, at))) continue;
      if (at - rec.slotAt > catchUpMs) {
        const done = await ledger.transition(h, { ...rec, state: 'abandoned', updatedAt: at, error: `owner ${rec.owner} stopped and the catch-up window passed` });
        if (done !== undefined) {
          await ledger.forget(key);
          report.abandoned++;
          opts.metrics?.digest(where.platform, 'skipped');
          log.warn({ delivery: key, owner: rec.owner, found: rec.state }, 'digest not sent: the instance holding it stopped, and the catch-up window has passed');
        }
        continue;
      }
      const taken = await ledger.transition(h, { ...rec, owner: me, state: 'pending', takenOverFrom: rec.owner, foundState: rec.state, updatedAt: at });
      if (taken === undefined) continue;
      report.tookOver++;
      if (rec.state === 'sending') {
        // On a platform that deduplicates (Discord's nonce), the repeat returns the message posted, if any, within its window.
        const dedup = deliverers.get(where.platform)?.deduplicates === true;
        log.warn({ delivery: key, owner: rec.owner, ...(dedup ? { platformDeduplicates: true } : {}) }, 'taking over a digest whose instance stopped while sending: it may have been posted; sending again');
      }
      else log.info({ delivery: key, owner: rec.owner }, 'taking over a digest whose instance stopped before sending');
      enqueue(taken);
    }
  }

  async function runTick(at: number): Promise<TickReport> {
    const minute = floorMinute(at);
    const report: TickReport = { minute: new Date(minute).toISOString(), minutes: 0, due: 0, queued: 0, recorded: 0, late: 0, skipped: 0, tookOver: 0, abandoned: 0 };
    if (!single) await ledger.heartbeat(me, at + leaseMs);
    const last = await ledger.lastTick();
    let from = last === undefined ? minute : last + MINUTE_MS;
    if (from <= minute) {
      const zones = await subs.zones();
      const windowStart = minute - catchUpMs;
      if (from < windowStart) {
        report.skipped = await logSkipped(from, windowStart, zones);
        from = windowStart;
      }
      report.minutes = (minute - from) / MINUTE_MS + 1;
      const { due } = await findDue(from, minute, zones);
      report.due = due.length;
      for (let i = 0; i < due.length; i += 32) {
        await Promise.all(
          due.slice(i, i + 32).map(async (d) => {
            if (!hasDeliverer(d.sub.platform)) return;
            const record: DeliveryRecord = {
              key: d.key,
              subscription: subscriptionKey(d.sub.platform, d.sub.channelId),
              date: d.date,
              time: d.time,
              timeZone: d.sub.timeZone,
              slotAt: d.slotAt,
              state: 'pending',
              owner: me,
              attempts: 0,
              createdAt: at,
              updatedAt: at,
            };
            const opened = await ledger.open(record);
            if (opened.created) {
              report.queued++;
              if (d.slotAt < minute) report.late++;
              enqueue(opened.held, d.sub);
              return;
            }
            report.recorded++;
            // Found unfinished (an earlier run stopped between writing it and listing it): list it
            // again, so that the sweep sees it.
            if (opened.held !== undefined && !isFinal(opened.held.record.state)) await ledger.reopen(d.key);
          }),
        );
      }
      await ledger.advanceTick(minute);
    }
    await sweep(at, report);
    const notable = report.queued > 0 || report.skipped > 0 || report.tookOver > 0 || report.abandoned > 0 || report.minutes > 1;
    log[notable ? 'info' : 'debug'](report, 'digest tick');
    return report;
  }

  function tick(at?: number): Promise<TickReport> {
    ticking++;
    const run = tickChain.then(() => runTick(at ?? now()));
    tickChain = run.catch(() => undefined);
    return run.finally(() => ticking--);
  }

  async function idle(): Promise<void> {
    for (;;) {
      await tickChain;
      await Promise.all([...jobQueues.values()].map((q) => q.onIdle()));
      if (ticking === 0 && [...jobQueues.values()].every((q) => q.size === 0 && q.pending === 0)) return;
    }
  }

  async function beat(): Promise<void> {
    if (single) return;
    try {
      await ledger.heartbeat(me, now() + leaseMs);
    } catch (err) {
      log.warn({ err }, 'digest heartbeat failed');
    }
  }

  return {
    instanceId: me,
    tick,
    idle,
    compose,
    async preview(sub, at) {
      return (await compose(sub, { now: at })).reply;
    },
    async start() {
      if (started) return;
      started = true;
      stopping = false;
      const indexed = await subs.ensureIndexed();
      if (indexed) log.info('digest slot index built from the stored subscriptions');
      await beat();
      if (!single) {
        heartbeatTimer = setInterval(() => void beat(), Math.max(250, Math.floor(leaseMs / 3)));
        heartbeatTimer.unref?.();
      }
      const distributed = opts.distributed ?? opts.store.kind === 'redis';
      try {
        await tick();
      } catch (err) {
        log.error({ err }, 'digest catch-up at start failed; the next tick tries again');
      }
      if (opts.schedule !== false) {
        cronTick = scheduleDigestTick({ tick: () => tick(), logger: opts.logger, runCoordinator: distributed ? storeRunCoordinator(shared, me) : undefined });
      }
      log.info({ instance: me, distributed, catchUpHours: catchUpMs / 3600_000, platforms: [...deliverers.keys()] }, 'digest scheduler started');
    },
    async stop() {
      if (!started) return;
      started = false;
      const c = cronTick;
      cronTick = undefined;
      await c?.stop(5_000);
      await tickChain;
      // Queued deliveries get a little time; the rest stay pending in the ledger for the next instance.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([idle(), new Promise<void>((r) => (timer = setTimeout(r, opts.stopTimeoutMs ?? 10_000)))]);
      clearTimeout(timer);
      stopping = true;
      for (const q of jobQueues.values()) q.clear();
      queue.clear();
      for (const w of [...wakeups]) w();
      await Promise.race([Promise.all([...jobQueues.values()].map((q) => q.onIdle())), new Promise<void>((r) => (timer = setTimeout(r, 20_000)))]);
      clearTimeout(timer);
      if (heartbeatTimer !== undefined) clearInterval(heartbeatTimer);
      heartbeatTimer = undefined;
      if (!single) {
        try {
          // Whatever is still open is taken over by the next instance at once, without waiting for the lease.
          await ledger.release(me);
        } catch (err) {
          log.warn({ err }, 'could not end the digest heartbeat; others take over after the lease');
        }
      }
      log.info({ instance: me }, 'digest scheduler stopped');
    },
  };
}
