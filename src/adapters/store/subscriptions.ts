/** Digest subscriptions on keyv, one per (platform, channel). */
import type { Keyv } from 'keyv';
import { RingkasError } from '../../core/errors.js';
import type { Platform, Subscription } from '../../core/schedule.js';
import type { Store } from './index.js';

export interface SubscriptionStore {
  get(platform: Platform, channelId: string): Promise<Subscription | undefined>;
  put(sub: Subscription): Promise<void>;
  remove(platform: Platform, channelId: string): Promise<boolean>;
}

export function subscriptionKey(platform: Platform, channelId: string): string {
  return `${platform}:${channelId}`;
}

export function createSubscriptionStore(store: Store): SubscriptionStore {
  const kv: Keyv<Subscription> = store.namespace<Subscription>('subscriptions');
  const guard = async <T>(what: string, op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (e) {
      throw new RingkasError('STORE_UNAVAILABLE', `subscription ${what} failed: ${e instanceof Error ? e.message : String(e)}`, {}, { cause: e });
    }
  };
  return {
    get: (platform, channelId) => guard('read', () => kv.get(subscriptionKey(platform, channelId))),
    put: async (sub) => {
      const ok = await guard('write', () => kv.set(subscriptionKey(sub.platform, sub.channelId), sub));
      if (ok === false) throw new RingkasError('STORE_UNAVAILABLE', 'subscription write was not stored');
    },
    remove: (platform, channelId) => guard('delete', () => kv.delete(subscriptionKey(platform, channelId))),
  };
}
