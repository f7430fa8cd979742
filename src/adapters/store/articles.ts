/**
 * ArticleStore: the corpus's articles on keyv (namespace "articles", one key per article).
 *
 * SQLite gets two fast paths through the keyv adapter's own connection, because keyv's generic
 * paths cost a transaction (an fsync) per article and scan with OFFSET: a bulk upsert of any number
 * of articles in one statement (one transaction), and a key-range scan for loading everything; and
 * the file is put in WAL mode (see `tune`). The
 * values are written and read with keyv's own serializer, so keyv reads them like any other
 * entry. Redis and memory use keyv's setMany and iterator (Redis expires articles by itself,
 * through the TTL each is written with; SQLite rows are removed by the corpus cleanup job).
 *
 * Every failure is a RingkasError STORE_UNAVAILABLE; callers decide how to carry on.
 */
import type { Keyv } from 'keyv';
import { RingkasError } from '../../core/errors.js';
import type { CorpusArticle } from '../../core/corpus/news-corpus.js';
import type { Store } from './index.js';

export interface ArticleStore {
  /** Writes (or overwrites) articles. They expire `retentionMs` after their publication. */
  put(articles: readonly CorpusArticle[], now?: number): Promise<void>;
  get(id: string): Promise<CorpusArticle | undefined>;
  /** Every stored article that has not expired, in batches (no order promised). */
  scan(batchSize?: number): AsyncIterable<CorpusArticle[]>;
  delete(ids: readonly string[]): Promise<void>;
  /** Deletes stored articles published before `cutoff` (epoch ms); returns how many. */
  deleteOlderThan(cutoff: number): Promise<number>;
}

export interface ArticleStoreOptions {
  /** How long an article is kept after publication. Default 14 days. */
  retentionMs?: number;
  /** Time allowed for one store operation. Default 15 s. */
  timeoutMs?: number;
}

const NAMESPACE = 'articles';
const BULK = 1_000;

interface SqliteAdapter {
  query(sql: string, ...params: unknown[]): Promise<{ key: string; value: string }[]>;
  opts: { table: string };
}

function sqliteAdapter(store: Store, kv: Keyv<CorpusArticle>): SqliteAdapter | undefined {
  if (store.kind !== 'sqlite') return undefined;
  const a = kv.store as Partial<SqliteAdapter> | undefined;
  if (a === undefined || typeof a.query !== 'function' || typeof a.opts?.table !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.opts.table)) return undefined;
  return a as SqliteAdapter;
}

function unavailable(what: string, err: unknown): RingkasError {
  if (err instanceof RingkasError && err.code === 'STORE_UNAVAILABLE') return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new RingkasError('STORE_UNAVAILABLE', `article store: ${what} failed: ${reason}`, { store: 'articles' }, { cause: err });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
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
}

/**
 * Runs one store operation and fails it when the store reported an error meanwhile: keyv adapters
 * (Redis with throwOnErrors off) swallow failures and only emit 'error'.
 */
async function reported<T>(kv: Keyv<CorpusArticle>, op: () => Promise<T>): Promise<T> {
  let failure: unknown;
  const onError = (e: unknown): void => {
    failure ??= e;
  };
  kv.on('error', onError);
  try {
    const v = await op();
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
    return v;
  } finally {
    kv.off('error', onError);
  }
}

function isArticle(v: unknown): v is CorpusArticle {
  const a = v as Partial<CorpusArticle> | null;
  return a !== null && typeof a === 'object' && typeof a.id === 'string' && typeof a.url === 'string' && typeof a.title === 'string' && typeof a.publishedAt === 'number';
}

export function createArticleStore(store: Store, opts: ArticleStoreOptions = {}): ArticleStore {
  const kv = store.namespace<CorpusArticle>(NAMESPACE);
  const retentionMs = opts.retentionMs ?? 14 * 24 * 3600_000;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const ttlOf = (a: CorpusArticle, now: number): number => Math.max(3600_000, a.publishedAt + retentionMs - now);
  let tuned: Promise<void> | undefined;
  /**
   * SQLite in write-ahead-log mode, synchronous NORMAL on this connection: a commit is an append
   * to the log instead of an fsync of the database (a feed poll's write costs ~2 ms, not ~15), and
   * readers never wait for the writer. WAL persists in the file, for every connection; a crash of
   * the process loses nothing committed, a power cut may lose the last commits.
   */
  const tune = (db: SqliteAdapter): Promise<void> =>
    (tuned ??= (async () => {
      try {
        await db.query('PRAGMA journal_mode = WAL');
        await db.query('PRAGMA synchronous = NORMAL');
      } catch {
        // A database that cannot switch (read-only, in use) works as it is.
      }
    })());

  async function putSqlite(db: SqliteAdapter, articles: readonly CorpusArticle[], now: number): Promise<void> {
    const table = db.opts.table;
    const sql = `INSERT INTO ${table} (key, value) SELECT json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]') FROM json_each(?) AS e WHERE true ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
    for (let i = 0; i < articles.length; i += BULK) {
      const rows: [string, string][] = [];
      for (const a of articles.slice(i, i + BULK)) {
        // As keyv does: `expires` is on the wall clock (keyv compares it with Date.now() on reads),
        // the TTL itself comes from the corpus's clock.
        const serialized = await kv.serializeData({ value: a, expires: Date.now() + ttlOf(a, now) });
        if (typeof serialized !== 'string') throw new Error('keyv serializer did not return text');
        rows.push([`${NAMESPACE}:${a.id}`, serialized]);
      }
      await withTimeout(db.query(sql, JSON.stringify(rows)), timeoutMs, 'bulk write');
    }
  }

  async function* scanSqlite(db: SqliteAdapter, batchSize: number): AsyncIterable<CorpusArticle[]> {
    const table = db.opts.table;
    // Keys of this namespace sort between "articles:" and "articles;" (';' follows ':'): a range on the primary key.
    let after = `${NAMESPACE}:`;
    const end = `${NAMESPACE};`;
    const now = Date.now();
    for (;;) {
      const rows = await withTimeout(db.query(`SELECT key, value FROM ${table} WHERE key > ? AND key < ? ORDER BY key LIMIT ?`, after, end, batchSize), timeoutMs, 'scan');
      if (rows.length === 0) return;
      const batch: CorpusArticle[] = [];
      for (const row of rows) {
        const data = await kv.deserializeData<CorpusArticle>(row.value).catch(() => undefined);
        if (data === undefined || (typeof data.expires === 'number' && data.expires < now)) continue;
        if (isArticle(data.value)) batch.push(data.value);
      }
      after = (rows[rows.length - 1] as { key: string }).key;
      if (batch.length > 0) yield batch;
      if (rows.length < batchSize) return;
    }
  }

  const api: ArticleStore = {
    async put(articles, now = Date.now()) {
      if (articles.length === 0) return;
      try {
        const db = sqliteAdapter(store, kv);
        if (db !== undefined) {
          await tune(db);
          await putSqlite(db, articles, now);
          return;
        }
        for (let i = 0; i < articles.length; i += BULK) {
          const chunk = articles.slice(i, i + BULK);
          const results: unknown = await reported(kv, () => withTimeout(kv.setMany(chunk.map((a) => ({ key: a.id, value: a, ttl: ttlOf(a, now) }))), timeoutMs, 'write'));
          // keyv answers false per refused entry; some adapters answer nothing (errors then come as events).
          if (Array.isArray(results) && results.some((r) => r === false)) throw new Error('the store refused a write');
        }
      } catch (err) {
        throw unavailable('write', err);
      }
    },

    async get(id) {
      try {
        const v = await reported(kv, () => withTimeout(kv.get(id), timeoutMs, 'read'));
        return isArticle(v) ? v : undefined;
      } catch (err) {
        throw unavailable('read', err);
      }
    },

    async *scan(batchSize = 2_000) {
      const db = sqliteAdapter(store, kv);
      try {
        if (db !== undefined) {
          yield* scanSqlite(db, batchSize);
          return;
        }
        if (kv.iterator === undefined) throw new Error(`a ${store.kind} store cannot list its keys`);
        let batch: CorpusArticle[] = [];
        for await (const [, value] of kv.iterator(undefined)) {
          if (isArticle(value)) batch.push(value);
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      } catch (err) {
        throw unavailable('scan', err);
      }
    },

    async delete(ids) {
      if (ids.length === 0) return;
      try {
        for (let i = 0; i < ids.length; i += BULK) await reported(kv, () => withTimeout(kv.deleteMany(ids.slice(i, i + BULK)), timeoutMs, 'delete'));
      } catch (err) {
        throw unavailable('delete', err);
      }
    },

    async deleteOlderThan(cutoff) {
      const old: string[] = [];
      for await (const batch of api.scan()) for (const a of batch) if (a.publishedAt < cutoff) old.push(a.id);
      await api.delete(old);
      return old.length;
    },
  };
  return api;
}
