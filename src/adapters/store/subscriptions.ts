/**
 * Digest subscriptions on keyv, one per (platform, channel), with a slot index for the scheduler:
 *
 *   zones               the set of time zones with at least one active subscription (grows only)
 *   slot:<zone>|<HH:MM> the keys ("discord:123") of the active subscriptions due at that local time
 *
 * so that a tick reads one small set per zone in use instead of every subscription: 100,000
 * subscriptions spread over a day are about 70 per minute. Paused subscriptions are not indexed.
 *
 * The index lives in the shared state (Redis sets, or keyv under an in-process lock on SQLite and
 * in memory). `put` writes the subscription first and indexes it after, so a tick never meets an
 * index entry without its record; the tick checks every record against the slot it came from, so
 * an entry left behind by two instances changing the same channel at the same moment is skipped,
 * never posted. `reindex()` rebuilds the index from the records (run once per store by the
 * scheduler, for subscriptions written before the index existed).
 */
import type { Keyv } from 'keyv';
import { RingkasError } from '../../core/errors.js';
import type { Platform, Subscription } from '../../core/schedule.js';
import { sharedState, type SharedState } from '../scheduler/coordinator.js';
import type { Store } from './index.js';

export interface SubscriptionStore {
  get(platform: Platform, channelId: string): Promise<Subscription | undefined>;
  put(sub: Subscription): Promise<void>;
  remove(platform: Platform, channelId: string): Promise<boolean>;
}

/** What the scheduler needs besides get/put/remove. */
export interface IndexedSubscriptionStore extends SubscriptionStore {
  /** Subscriptions by key ("discord:123"), in the order asked (undefined where none). */
  getMany(keys: readonly string[]): Promise<(Subscription | undefined)[]>;
  /** Time zones with active subscriptions. */
  zones(): Promise<string[]>;
  /** Keys of the active subscriptions set for this local time of day in this zone. */
  dueAt(timeZone: string, time: string): Promise<string[]>;
  /** Pauses a subscription (a permanent delivery failure); false when it was gone or already paused. */
  pause(platform: Platform, channelId: string, reason: string): Promise<boolean>;
  /** Every stored subscription (no order promised). */
  all(): AsyncIterable<Subscription>;
  /** Indexes every stored subscription; returns how many are active. */
  reindex(): Promise<number>;
  /** Reindexes once per store (a marker in the shared state); true when it did. */
  ensureIndexed(): Promise<boolean>;
}

export interface SubscriptionStoreOptions {
  /** The shared state holding the slot index (default: the store's, prefix "ringkas:digest:"). */
  shared?: SharedState;
}

export function subscriptionKey(platform: Platform, channelId: string): string {
  return `${platform}:${channelId}`;
}

/** "discord:123" -> { platform, channelId } (channel ids may contain ':'). */
export function parseSubscriptionKey(key: string): { platform: Platform; channelId: string } | undefined {
  const i = key.indexOf(':');
  if (i <= 0) return undefined;
  const platform = key.slice(0, i);
  if (platform !== 'discord' && platform !== 'telegram' && platform !== 'console') return undefined;
  return { platform, channelId: key.slice(i + 1) };
}

export function slotSetName(timeZone: string, time: string): string {
  return `slot:${timeZone}|${time}`;
}

const ZONES = 'zones';
const INDEX_MARKER = 'index:v1';

function isSubscription(v: unknown): v is Subscription {
  const s = v as Partial<Subscription> | null;
  return s !== null && typeof s === 'object' && typeof s.platform === 'string' && typeof s.channelId === 'string' && typeof s.time === 'string' && typeof s.timeZone === 'string';
}

export function createSubscriptionStore(store: Store, opts: SubscriptionStoreOptions = {}): IndexedSubscriptionStore {
  const kv: Keyv<Subscription> = store.namespace<Subscription>('subscriptions');
  const shared = opts.shared ?? sharedState(store);
  // keyv's Redis adapter swallows failures (a read answers "nothing there") and only emits
  // 'error': an error during the operation fails it, so that a store outage is reported as one
  // instead of "no subscription here".
  const guard = async <T>(what: string, op: () => Promise<T>): Promise<T> => {
    let failure: unknown;
    const onError = (e: unknown): void => {
      failure ??= e;
    };
    kv.on('error', onError);
    try {
      const v = await op();
      if (failure !== undefined) throw failure;
      return v;
    } catch (e) {
      if (e instanceof RingkasError && e.code === 'STORE_UNAVAILABLE') throw e;
      throw new RingkasError('STORE_UNAVAILABLE', `subscription ${what} failed: ${e instanceof Error ? e.message : String(e)}`, {}, { cause: e });
    } finally {
      kv.off('error', onError);
    }
  };
  const slotOf = (sub: Subscription | undefined): string | undefined => (sub === undefined || sub.paused ? undefined : slotSetName(sub.timeZone, sub.time));

  async function index(sub: Subscription, old: Subscription | undefined): Promise<void> {
    const key = subscriptionKey(sub.platform, sub.channelId);
    const before = slotOf(old);
    const after = slotOf(sub);
    if (before !== undefined && before !== after) await shared.setRemove(before, [key]);
    if (after !== undefined) {
      await shared.setAdd(ZONES, [sub.timeZone]);
      await shared.setAdd(after, [key]);
    }
  }

  async function write(sub: Subscription): Promise<void> {
    const ok = await guard('write', () => kv.set(subscriptionKey(sub.platform, sub.channelId), sub));
    if (ok === false) throw new RingkasError('STORE_UNAVAILABLE', 'subscription write was not stored');
  }

  const api: IndexedSubscriptionStore = {
    get: (platform, channelId) => guard('read', () => kv.get(subscriptionKey(platform, channelId))),
    async put(sub) {
      const old = await api.get(sub.platform, sub.channelId);
      await write(sub);
      await index(sub, old);
    },
    async remove(platform, channelId) {
      const old = await api.get(platform, channelId);
      const removed = await guard('delete', () => kv.delete(subscriptionKey(platform, channelId)));
      const slot = slotOf(old);
      if (slot !== undefined) await shared.setRemove(slot, [subscriptionKey(platform, channelId)]);
      return removed;
    },
    async getMany(keys) {
      if (keys.length === 0) return [];
      const values = await guard('read', () => kv.getMany(keys as string[]));
      return values.map((v) => (isSubscription(v) ? v : undefined));
    },
    zones: () => shared.setMembers(ZONES),
    dueAt: (timeZone, time) => shared.setMembers(slotSetName(timeZone, time)),
    async pause(platform, channelId, reason) {
      const sub = await api.get(platform, channelId);
      if (sub === undefined || sub.paused) return false;
      await api.put({ ...sub, paused: true, pausedReason: reason });
      return true;
    },
    async *all() {
      const iterate = kv.iterator as (() => AsyncGenerator<[string, unknown]>) | undefined;
      if (typeof iterate !== 'function') throw new RingkasError('STORE_UNAVAILABLE', 'this store cannot list subscriptions');
      try {
        for await (const [, value] of iterate.call(kv)) if (isSubscription(value)) yield value;
      } catch (e) {
        throw new RingkasError('STORE_UNAVAILABLE', `listing subscriptions failed: ${e instanceof Error ? e.message : String(e)}`, {}, { cause: e });
      }
    },
    async reindex() {
      let n = 0;
      for await (const sub of api.all()) {
        if (sub.paused) continue;
        await index(sub, undefined);
        n++;
      }
      return n;
    },
    async ensureIndexed() {
      if ((await shared.get(INDEX_MARKER)) !== undefined) return false;
      await api.reindex();
      await shared.set(INDEX_MARKER, new Date().toISOString());
      return true;
    },
  };
  return api;
}
