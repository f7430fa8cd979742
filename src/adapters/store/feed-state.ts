/**
 * FeedStateStore: what Ringkas knows about each feed it follows (namespace "feeds", one key per
 * feed URL): the validators for conditional GET, health (last success, last error, items seen),
 * and backoff. Small and read by `ringkas feeds`.
 */
import type { Keyv } from 'keyv';
import { RingkasError } from '../../core/errors.js';
import { stableHash } from '../../core/corpus/url.js';
import type { Store } from './index.js';

export interface FeedError {
  /** Epoch ms. */
  at: number;
  /** An error code (FETCH_TIMEOUT, NOT_A_FEED, MALFORMED_FEED, RATE_LIMITED, ...). */
  code: string;
  message: string;
  status?: number;
}

export interface FeedState {
  url: string;
  /** The feed's own title, from its last good answer. */
  title?: string;
  /** Outlet display name. */
  outlet?: string;
  /** Validators of the last good answer (for If-None-Match / If-Modified-Since). */
  etag?: string;
  lastModified?: string;
  /** Epoch ms of the last attempt, success and failure. */
  lastAttemptAt?: number;
  lastSuccessAt?: number;
  lastError?: FeedError;
  /** Failures since the last success. */
  consecutiveFailures: number;
  /** Not polled again before this time (backoff after errors, Retry-After). */
  nextAttemptAt?: number;
  /** New articles this feed brought in, all time. */
  itemsSeen: number;
  /** Items in the feed's last document, and how many of them were new. */
  lastItemCount?: number;
  lastNewCount?: number;
  /** Problems counted in the last document (items without links, undated, future dates, ...). */
  lastProblems?: Record<string, number>;
  /** Polls answered 304 Not Modified, all time. */
  notModifiedCount?: number;
}

export interface FeedStateStore {
  get(url: string): Promise<FeedState | undefined>;
  getMany(urls: readonly string[]): Promise<Map<string, FeedState>>;
  set(state: FeedState): Promise<void>;
  /** Forgets a feed (one no longer followed). */
  delete(url: string): Promise<void>;
  /** Every feed with a stored state (also feeds no longer configured). */
  list(): Promise<FeedState[]>;
}

const NAMESPACE = 'feeds';

export function emptyFeedState(url: string): FeedState {
  return { url, consecutiveFailures: 0, itemsSeen: 0 };
}

function keyOf(url: string): string {
  return `feed-${stableHash(url)}`;
}

function unavailable(what: string, err: unknown): RingkasError {
  if (err instanceof RingkasError) return err;
  return new RingkasError('STORE_UNAVAILABLE', `feed state: ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { store: 'feeds' }, { cause: err });
}

function isState(v: unknown): v is FeedState {
  const s = v as Partial<FeedState> | null;
  return s !== null && typeof s === 'object' && typeof s.url === 'string' && typeof s.itemsSeen === 'number';
}

export function createFeedStateStore(store: Store, timeoutMs = 10_000): FeedStateStore {
  const kv: Keyv<FeedState> = store.namespace<FeedState>(NAMESPACE);
  /** One operation with a deadline, failed when the store reported an error meanwhile (keyv adapters only emit some). */
  const timed = async <T>(p: Promise<T>, what: string): Promise<T> => {
    let failure: unknown;
    const onError = (e: unknown): void => {
      failure ??= e;
    };
    kv.on('error', onError);
    try {
      const v = await deadline(p, what);
      if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
      return v;
    } finally {
      kv.off('error', onError);
    }
  };
  const deadline = <T>(p: Promise<T>, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
      p.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  return {
    async get(url) {
      try {
        const v = await timed(kv.get(keyOf(url)), 'read');
        return isState(v) && v.url === url ? v : undefined;
      } catch (err) {
        throw unavailable('read', err);
      }
    },
    async getMany(urls) {
      const out = new Map<string, FeedState>();
      if (urls.length === 0) return out;
      try {
        const values = await timed(kv.getMany(urls.map(keyOf)), 'read');
        urls.forEach((url, i) => {
          const v = values[i];
          if (isState(v) && v.url === url) out.set(url, v);
        });
        return out;
      } catch (err) {
        throw unavailable('read', err);
      }
    },
    async set(state) {
      try {
        const ok = await timed(kv.set(keyOf(state.url), state), 'write');
        if (ok === false) throw new Error('the store refused the write');
      } catch (err) {
        throw unavailable('write', err);
      }
    },
    async delete(url) {
      try {
        await timed(kv.delete(keyOf(url)), 'delete');
      } catch (err) {
        throw unavailable('delete', err);
      }
    },
    async list() {
      const out: FeedState[] = [];
      try {
        if (kv.iterator === undefined) return out;
        for await (const [, value] of kv.iterator(undefined)) if (isState(value)) out.push(value);
        return out.sort((a, b) => a.url.localeCompare(b.url));
      } catch (err) {
        throw unavailable('list', err);
      }
    },
  };
}
