/**
 * Storage on keyv: `sqlite://path` (embedded, the default, needs nothing running), `redis://host:port`
 * (shared by several instances) or `memory://` (tests, throwaway runs). Everything above this file
 * sees only small interfaces (ReadingCache, and later ArticleStore, SubscriptionStore, ...).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import type { Logger } from '../../logger.js';
import { RingkasError } from '../../core/errors.js';

export interface Store {
  readonly kind: 'sqlite' | 'redis' | 'memory';
  /** A keyv namespace ("readings", "subscriptions", ...). */
  namespace<V = unknown>(name: string): Keyv<V>;
  /** Resolves when the store answers; throws STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The file path of a sqlite:// URL ("sqlite://./data/x.sqlite" -> "./data/x.sqlite"). */
export function sqlitePath(url: string): string {
  return url.replace(/^sqlite:\/\//, '');
}

export async function openStore(url: string, logger: Logger): Promise<Store> {
  const log = logger.child({ component: 'store' });
  const namespaces = new Map<string, Keyv<unknown>>();
  let kind: Store['kind'];
  let makeAdapter: () => KeyvStoreAdapter;
  const adapters: { disconnect?: () => Promise<void> }[] = [];
  let closed = false;

  if (url.startsWith('sqlite://')) {
    kind = 'sqlite';
    const file = resolve(sqlitePath(url));
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (e) {
      throw new RingkasError('STORE_UNAVAILABLE', `cannot create the folder of ${file}`, { path: file }, { cause: e });
    }
    // One adapter (connection) per namespace: keyv adapters carry their namespace themselves.
    makeAdapter = () => {
      const sqlite = new KeyvSqlite({ uri: `sqlite://${file}`, busyTimeout: 5000 });
      // Write-ahead log, synchronous NORMAL: a commit appends to the log instead of an fsync of the
      // database, and readers never wait for the writer. A process crash loses nothing committed;
      // a power cut may lose the last commits. (WAL stays on in the file; NORMAL is per connection.)
      sqlite
        .query('PRAGMA journal_mode = WAL')
        .then(() => sqlite.query('PRAGMA synchronous = NORMAL'))
        .catch((err: unknown) => log.warn({ err, file }, 'sqlite tuning failed; the store works as it is'));
      adapters.push(sqlite);
      return sqlite;
    };
  } else if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    kind = 'redis';
    // Loaded only here: see redis.ts for why a SQLite bot should not load the Redis client.
    const { redisAdapter } = await import('./redis.js');
    makeAdapter = () => {
      const redis = redisAdapter(url);
      adapters.push(redis);
      return redis;
    };
  } else {
    kind = 'memory';
    // keyv accepts a Map as an in-memory store.
    makeAdapter = () => new Map() as unknown as KeyvStoreAdapter;
  }

  const store: Store = {
    kind,
    namespace<V>(name: string): Keyv<V> {
      let kv = namespaces.get(name);
      if (kv === undefined) {
        kv = new Keyv<unknown>({ store: makeAdapter(), namespace: name });
        // keyv emits 'error' on store failures; an unhandled 'error' event would crash the process.
        kv.on('error', (err: unknown) => log.error({ err, namespace: name }, 'store error'));
        namespaces.set(name, kv);
      }
      return kv as Keyv<V>;
    },
    async ping(): Promise<void> {
      // A closed store must not reopen itself for a health check.
      if (closed) throw new RingkasError('STORE_UNAVAILABLE', `store ${redact(url)} is closed`, { store: kind });
      const kv = store.namespace<number>('health');
      // keyv reports an adapter's failure as an 'error' event only: that is the cause to tell.
      let reported: unknown;
      const onError = (e: unknown): void => {
        reported ??= e;
      };
      kv.on('error', onError);
      try {
        await withTimeout(kv.set('ping', Date.now()), 5000);
        const v = await withTimeout(kv.get('ping'), 5000);
        if (reported !== undefined) throw reported instanceof Error ? reported : new Error(String(reported));
        if (typeof v !== 'number') throw new Error('the store did not return what was written');
      } catch (e) {
        throw new RingkasError('STORE_UNAVAILABLE', `store ${redact(url)} is not usable: ${e instanceof Error ? e.message : String(e)}`, { store: kind }, { cause: e });
      } finally {
        kv.off('error', onError);
      }
    },
    async close(): Promise<void> {
      closed = true;
      for (const a of adapters) {
        try {
          await a.disconnect?.();
        } catch (e) {
          log.warn({ err: e }, 'store close failed');
        }
      }
      namespaces.clear();
    },
  };
  return store;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolvePromise(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** A store URL without its password, for logs and messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}
