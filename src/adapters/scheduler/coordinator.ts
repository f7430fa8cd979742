/**
 * Coordination between the instances that share a store, for the digest scheduler:
 *
 * - `SharedState`: the few atomic operations the slot index and the delivery ledger need (set if
 *   absent, compare-and-set, sets of strings), on the store the bot uses. On Redis they are Redis's
 *   own (SET NX PX, a Lua compare-and-set, SADD/SREM/SMEMBERS), so any number of instances can
 *   use them at once. On SQLite and in memory the single instance is the coordinator: the values
 *   live in keyv namespaces, every read-modify-write runs under an in-process lock per key, and
 *   sets are kept in memory (one key per member in the store, read once at start).
 *   (Two processes on one SQLite file are not supported: they would not see each other's locks.)
 * - `storeRunCoordinator`: node-cron 4's `RunCoordinator` on top of it: the first instance to
 *   `SET key NX PX ttl` for a tick runs it, the others skip it.
 *
 * Values are strings (callers serialize), so that compare-and-set compares exactly what was read.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Keyv } from 'keyv';
import type { RunCoordinator } from 'node-cron';
import { RingkasError } from '../../core/errors.js';
import type { Store } from '../store/index.js';

export interface SharedState {
  /** 'redis': shared by every instance on the same Redis; 'local': this process only. */
  readonly kind: 'redis' | 'local';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Writes only when the key holds nothing; true when it wrote. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /** Writes only when the key still holds `expected` (undefined: holds nothing); true when it wrote. */
  compareAndSet(key: string, expected: string | undefined, value: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  setAdd(set: string, members: readonly string[]): Promise<void>;
  setRemove(set: string, members: readonly string[]): Promise<void>;
  setMembers(set: string): Promise<string[]>;
}

export interface SharedStateOptions {
  /** Prefix of every key (tests use their own). Default "ringkas:digest:". */
  prefix?: string;
}

/** The node-redis commands used here (client, cluster and sentinel clients all have them). */
interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, opts?: { condition?: 'NX'; expiration?: { type: 'PX'; value: number } }): Promise<string | null>;
  del(key: string): Promise<number>;
  sAdd(key: string, members: string[]): Promise<number>;
  sRem(key: string, members: string[]): Promise<number>;
  sMembers(key: string): Promise<string[]>;
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

interface RedisAdapter {
  getClient(): Promise<RedisCommands>;
}

/** Compare-and-set: KEYS[1] key; ARGV[1] expected ("" with ARGV[4]="1" for absent), ARGV[2] value, ARGV[3] ttl ms ("0": none). */
const CAS_SCRIPT = `
local cur = redis.call('GET', KEYS[1])
if ARGV[4] == '1' then
  if cur then return 0 end
elseif cur ~= ARGV[1] then
  return 0
end
if tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2])
end
return 1
`;

function unavailable(what: string, err: unknown): RingkasError {
  if (err instanceof RingkasError) return err;
  return new RingkasError('STORE_UNAVAILABLE', `shared state: ${what} failed: ${err instanceof Error ? err.message : String(err)}`, { store: 'digest' }, { cause: err });
}

async function guard<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    throw unavailable(what, e);
  }
}

function redisState(store: Store, prefix: string): SharedState {
  const kv = store.namespace<string>('digest-shared');
  const adapter = kv.store as unknown as Partial<RedisAdapter> | undefined;
  if (adapter === undefined || typeof adapter.getClient !== 'function') throw new RingkasError('STORE_UNAVAILABLE', 'the Redis store has no client to coordinate with');
  const client = (): Promise<RedisCommands> => (adapter as RedisAdapter).getClient();
  const k = (key: string): string => `${prefix}${key}`;
  const px = (ttlMs: number | undefined): { expiration: { type: 'PX'; value: number } } | Record<string, never> =>
    ttlMs !== undefined && ttlMs > 0 ? { expiration: { type: 'PX', value: Math.ceil(ttlMs) } } : {};
  return {
    kind: 'redis',
    get: (key) => guard('read', async () => (await (await client()).get(k(key))) ?? undefined),
    set: (key, value, ttlMs) => guard('write', async () => void (await (await client()).set(k(key), value, px(ttlMs)))),
    setIfAbsent: (key, value, ttlMs) => guard('claim', async () => (await (await client()).set(k(key), value, { condition: 'NX', ...px(ttlMs) })) !== null),
    compareAndSet: (key, expected, value, ttlMs) =>
      guard('compare-and-set', async () => {
        const r = await (await client()).eval(CAS_SCRIPT, {
          keys: [k(key)],
          arguments: [expected ?? '', value, String(ttlMs !== undefined && ttlMs > 0 ? Math.ceil(ttlMs) : 0), expected === undefined ? '1' : '0'],
        });
        return Number(r) === 1;
      }),
    delete: (key) => guard('delete', async () => void (await (await client()).del(k(key)))),
    setAdd: (set, members) => guard('set add', async () => void (members.length > 0 ? await (await client()).sAdd(k(`set:${set}`), [...members]) : 0)),
    setRemove: (set, members) => guard('set remove', async () => void (members.length > 0 ? await (await client()).sRem(k(`set:${set}`), [...members]) : 0)),
    setMembers: (set) => guard('set read', async () => (await client()).sMembers(k(`set:${set}`))),
  };
}

/** Runs read-modify-writes on one key one after another. */
class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, op: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    const next = prev.then(op, op);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }
}

interface SqliteAdapter {
  query(sql: string, ...params: unknown[]): Promise<{ key: string }[]>;
  opts: { table: string };
}

/** Every key of a keyv namespace (without the namespace), read once at start. */
async function* namespaceKeys(store: Store, kv: Keyv<string>, namespace: string): AsyncIterable<string> {
  const a = kv.store as Partial<SqliteAdapter> | undefined;
  if (store.kind === 'sqlite' && a !== undefined && typeof a.query === 'function' && typeof a.opts?.table === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(a.opts.table)) {
    // keyv's own iterator pages with OFFSET; a range on the primary key reads them in one pass.
    // The namespace's keys sort between "<ns>:" and "<ns>;" (';' follows ':').
    const rows = await a.query(`SELECT key FROM ${a.opts.table} WHERE key > ? AND key < ?`, `${namespace}:`, `${namespace};`);
    for (const r of rows) yield r.key.slice(namespace.length + 1);
    return;
  }
  const iterate = kv.iterator as (() => AsyncGenerator<[string, unknown]>) | undefined;
  if (typeof iterate !== 'function') throw new Error(`a ${store.kind} store cannot list its keys`);
  for await (const [key] of iterate.call(kv)) yield key;
}

/**
 * Values in a keyv namespace, every read-modify-write under an in-process lock per key. Sets are
 * one key per member (namespace "digest-sets"), so that adding one costs one write however large
 * the set; the members live in memory, read from the store once on first use.
 */
function localState(store: Store, prefix: string): SharedState {
  const kv: Keyv<string> = store.namespace<string>('digest-shared');
  const setsKv: Keyv<string> = store.namespace<string>('digest-sets');
  const lock = new KeyedLock();
  const k = (key: string): string => `${prefix}${key}`;
  const SEP = '\u0001';
  const memberKey = (set: string, member: string): string => `${prefix}${set}${SEP}${member}`;
  let loaded: Promise<Map<string, Set<string>>> | undefined;
  const sets = (): Promise<Map<string, Set<string>>> => {
    loaded ??= (async () => {
      const all = new Map<string, Set<string>>();
      for await (const key of namespaceKeys(store, setsKv, 'digest-sets')) {
        if (!key.startsWith(prefix)) continue;
        const rest = key.slice(prefix.length);
        const i = rest.indexOf(SEP);
        if (i < 0) continue;
        const name = rest.slice(0, i);
        let members = all.get(name);
        if (members === undefined) all.set(name, (members = new Set()));
        members.add(rest.slice(i + 1));
      }
      return all;
    })();
    loaded.catch(() => (loaded = undefined));
    return loaded;
  };
  const read = async (key: string): Promise<string | undefined> => {
    const v = await kv.get(key);
    return typeof v === 'string' ? v : undefined;
  };
  const write = async (key: string, value: string, ttlMs?: number): Promise<void> => {
    const ok = await kv.set(key, value, ttlMs !== undefined && ttlMs > 0 ? ttlMs : undefined);
    if (ok === false) throw new Error(`${key} was not stored`);
  };
  return {
    kind: 'local',
    get: (key) => guard('read', () => read(k(key))),
    set: (key, value, ttlMs) => guard('write', () => lock.run(k(key), () => write(k(key), value, ttlMs))),
    setIfAbsent: (key, value, ttlMs) =>
      guard('claim', () =>
        lock.run(k(key), async () => {
          if ((await read(k(key))) !== undefined) return false;
          await write(k(key), value, ttlMs);
          return true;
        }),
      ),
    compareAndSet: (key, expected, value, ttlMs) =>
      guard('compare-and-set', () =>
        lock.run(k(key), async () => {
          if ((await read(k(key))) !== expected) return false;
          await write(k(key), value, ttlMs);
          return true;
        }),
      ),
    delete: (key) => guard('delete', () => lock.run(k(key), async () => void (await kv.delete(k(key))))),
    setAdd: (set, add) =>
      guard('set add', async () => {
        const all = await sets();
        let members = all.get(set);
        if (members === undefined) all.set(set, (members = new Set()));
        for (const m of new Set(add)) {
          if (members.has(m)) continue;
          await lock.run(memberKey(set, m), async () => {
            if ((await setsKv.set(memberKey(set, m), '1')) === false) throw new Error(`${set} was not stored`);
          });
          members.add(m);
        }
      }),
    setRemove: (set, remove) =>
      guard('set remove', async () => {
        const members = (await sets()).get(set);
        if (members === undefined) return;
        for (const m of new Set(remove)) {
          if (!members.has(m)) continue;
          members.delete(m);
          await lock.run(memberKey(set, m), async () => void (await setsKv.delete(memberKey(set, m))));
        }
      }),
    setMembers: (set) => guard('set read', async () => [...((await sets()).get(set) ?? [])]),
  };
}

const opened = new WeakMap<Store, Map<string, SharedState>>();

/**
 * The shared state on a store: one per (store, prefix), so that every user in the process shares
 * its in-process locks (the subscription commands and the scheduler write the same slot index).
 */
export function sharedState(store: Store, opts: SharedStateOptions = {}): SharedState {
  const prefix = opts.prefix ?? 'ringkas:digest:';
  let byPrefix = opened.get(store);
  if (byPrefix === undefined) {
    byPrefix = new Map();
    opened.set(store, byPrefix);
  }
  let state = byPrefix.get(prefix);
  if (state === undefined) {
    state = store.kind === 'redis' ? redisState(store, prefix) : localState(store, prefix);
    byPrefix.set(prefix, state);
  }
  return state;
}

/** A name for this process among the instances: host, pid and a random part. */
export function instanceName(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * node-cron's RunCoordinator on the shared state: `SET cron:<task>:<slot ISO> <owner> NX PX ttl`.
 * The first instance to set it runs the tick. The key is not deleted when the run completes: it
 * expires by itself, so an instance whose clock lags cannot run the same slot after the winner.
 */
export function storeRunCoordinator(state: SharedState, owner: string): RunCoordinator {
  return {
    shouldRun: (key, ttlMs) => state.setIfAbsent(`cron:${key}`, owner, Math.max(ttlMs, 55_000)),
  };
}
