/**
 * Abstractive summaries by article content: the store's "summaries" namespace (shared by instances
 * on Redis, kept across restarts on SQLite), or a small in-memory LRU where there is no store.
 */
import type { Keyv } from 'keyv';
import type { Logger } from '../../logger.js';
import type { Store } from '../store/index.js';

export interface SummaryRecord {
  /** Abstractive bullets that passed the grounding check, or the decision to stay extractive. */
  kind: 'abstractive' | 'extractive';
  bullets: string[];
  /** Why it stayed extractive ("ungrounded"). */
  reason?: string;
  model: string;
  /** When it was made (ms). */
  at: number;
}

export interface SummaryCache {
  get(key: string): Promise<SummaryRecord | undefined>;
  set(key: string, record: SummaryRecord, ttlMs: number): Promise<void>;
}

export function createStoreSummaryCache(store: Store, logger: Logger): SummaryCache {
  const kv: Keyv<SummaryRecord> = store.namespace<SummaryRecord>('summaries');
  const log = logger.child({ component: 'summary-cache' });
  return {
    async get(key) {
      try {
        return await kv.get(key);
      } catch (err) {
        // A cache that is down costs tokens, not the reply.
        log.warn({ err }, 'summary cache get failed');
        return undefined;
      }
    },
    async set(key, record, ttlMs) {
      try {
        await kv.set(key, record, ttlMs);
      } catch (err) {
        log.warn({ err }, 'summary cache set failed');
      }
    },
  };
}

/** Least recently used out past `max` entries; entries expire by the clock. */
export function createMemorySummaryCache(max = 500, now: () => number = Date.now): SummaryCache {
  const map = new Map<string, { record: SummaryRecord; expires: number }>();
  return {
    get(key) {
      const hit = map.get(key);
      if (hit === undefined) return Promise.resolve(undefined);
      map.delete(key);
      if (hit.expires <= now()) return Promise.resolve(undefined);
      map.set(key, hit);
      return Promise.resolve(hit.record);
    },
    set(key, record, ttlMs) {
      map.delete(key);
      map.set(key, { record, expires: now() + ttlMs });
      while (map.size > max) {
        const oldest = map.keys().next().value;
        if (oldest === undefined) break;
        map.delete(oldest);
      }
      return Promise.resolve();
    },
  };
}
