/** Cache of readings by URL (the normalised link and the article's canonical URL). */
import type { Keyv } from 'keyv';
import type { Reading } from '../../core/article-types.js';
import type { Logger } from '../../logger.js';
import type { Store } from './index.js';

export interface ReadingCache {
  get(url: string): Promise<Reading | undefined>;
  set(urls: readonly string[], reading: Reading): Promise<void>;
}

/** Readings are kept for a day by default: articles get corrected, and the cache must not grow forever. */
export function createReadingCache(store: Store, logger: Logger, ttlMs = 24 * 60 * 60 * 1000): ReadingCache {
  const kv: Keyv<Reading> = store.namespace<Reading>('readings');
  const log = logger.child({ component: 'reading-cache' });
  return {
    async get(url) {
      try {
        return await kv.get(url);
      } catch (err) {
        // A cache that is down must not stop a reading.
        log.warn({ err, url }, 'reading cache get failed');
        return undefined;
      }
    },
    async set(urls, reading) {
      for (const url of new Set(urls)) {
        try {
          await kv.set(url, reading, ttlMs);
        } catch (err) {
          log.warn({ err, url }, 'reading cache set failed');
        }
      }
    },
  };
}
