/**
 * The delivery ledger: one record per (subscription, local date, local time of day), so that each
 * digest is posted once however many instances run and however often they restart.
 *
 *   pending  -> written by the tick that found the slot due (set-if-absent: the first writer owns it)
 *   sending  -> written by the owner right before it calls the platform (compare-and-set: an owner
 *               whose record was taken over does not send)
 *   sent | failed | abandoned -> final
 *
 * Records that are not final are also listed in the "open" set. An instance proves it is alive by
 * a heartbeat (`alive:<owner>`, renewed well within the lease); an open record whose owner's
 * heartbeat has lapsed (a crashed or killed process) is taken over by compare-and-set by the next
 * instance that sweeps the open set, and delivered if its slot is still inside the catch-up window.
 * (On SQLite and in memory there is one instance: the service takes over any record of another
 * owner at once, without heartbeats.)
 *
 * The window that remains: an owner that dies after the platform accepted the message and before
 * it wrote "sent" leaves a "sending" record; the instance that takes it over cannot know whether
 * the post went out, and sends it again (at-least-once in that window of a few milliseconds, logged
 * as a possible duplicate). On Discord the repeat carries the same message nonce (derived from the
 * record's key) with enforce_nonce, and Discord returns the message already posted instead of a
 * second one, if the repeat comes within its window of a few minutes; on Telegram it may be posted
 * twice. A "pending" record taken over was certainly not posted.
 *
 * Also here: the previous digest of each subscription (`last:<sub>`, the `since` of the next one)
 * and the last minute the scheduler processed (`tick:last`), so that a restarted instance knows
 * which slots it missed.
 */
import type { SharedState } from '../scheduler/coordinator.js';

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'abandoned';

export interface DeliveryRecord {
  /** "<platform>:<channel>|<local date>|<HH:MM>" */
  key: string;
  /** Subscription key ("telegram:-100123"). */
  subscription: string;
  /** Local date of the slot, YYYY-MM-DD. */
  date: string;
  /** Local time of day of the slot, HH:MM. */
  time: string;
  timeZone: string;
  /** The UTC minute the slot fell due (epoch ms). */
  slotAt: number;
  state: DeliveryState;
  /** The instance that holds the record. */
  owner: string;
  /** Platform calls made so far. */
  attempts: number;
  createdAt: number;
  updatedAt: number;
  /** The instance it was taken over from, and the state it was found in. */
  takenOverFrom?: string;
  foundState?: DeliveryState;
  /** When the digest was composed (its stories run up to this instant). */
  composedAt?: number;
  /** Stories after this instant (the previous digest). */
  since?: number;
  sentAt?: number;
  /** Why it failed or was abandoned. */
  error?: string;
}

/** A record with the exact text it was read as (for compare-and-set). */
export interface HeldRecord {
  record: DeliveryRecord;
  raw: string;
}

export interface LastDigest {
  key: string;
  composedAt: number;
  sentAt: number;
}

export interface DeliveryLedger {
  /** Writes a pending record unless one exists: `created`, or the record found. */
  open(record: DeliveryRecord): Promise<{ created: true; held: HeldRecord } | { created: false; held: HeldRecord | undefined }>;
  get(key: string): Promise<HeldRecord | undefined>;
  /** Replaces `from` by `to` only if the record is still exactly `from`. */
  transition(from: HeldRecord, to: DeliveryRecord): Promise<HeldRecord | undefined>;
  /** Writes a final state, closes the record, and remembers a sent digest as the subscription's last. */
  finish(record: DeliveryRecord): Promise<void>;
  /** Keys of records not final. */
  openKeys(): Promise<string[]>;
  /** Lists a record as open again (a tick found it unfinished). */
  reopen(key: string): Promise<void>;
  /** Forgets an open entry whose record is final or gone. */
  forget(key: string): Promise<void>;
  lastDigest(subscription: string): Promise<LastDigest | undefined>;
  /** Renews this instance's heartbeat until `until` (epoch ms). */
  heartbeat(owner: string, until: number): Promise<void>;
  /** Ends this instance's heartbeat (a clean stop: others may take over at once). */
  release(owner: string): Promise<void>;
  isAlive(owner: string, now: number): Promise<boolean>;
  lastTick(): Promise<number | undefined>;
  /** Moves the last processed minute forward (never back). */
  advanceTick(minute: number): Promise<void>;
}

export interface DeliveryLedgerOptions {
  /** How long records and last-digest pointers are kept. Default 8 days. */
  keepMs?: number;
}

const OPEN = 'open';
const FINAL: ReadonlySet<DeliveryState> = new Set(['sent', 'failed', 'abandoned']);

export function isFinal(state: DeliveryState): boolean {
  return FINAL.has(state);
}

export function deliveryKey(subscription: string, date: string, time: string): string {
  return `${subscription}|${date}|${time}`;
}

function parse(raw: string | undefined): DeliveryRecord | undefined {
  if (raw === undefined) return undefined;
  try {
    const r = JSON.parse(raw) as Partial<DeliveryRecord>;
    return typeof r.key === 'string' && typeof r.state === 'string' && typeof r.owner === 'string' ? (r as DeliveryRecord) : undefined;
  } catch {
    return undefined;
  }
}

export function createDeliveryLedger(shared: SharedState, opts: DeliveryLedgerOptions = {}): DeliveryLedger {
  const keepMs = opts.keepMs ?? 8 * 24 * 3600_000;
  const rec = (key: string): string => `delivery:${key}`;
  const held = (raw: string | undefined): HeldRecord | undefined => {
    const record = parse(raw);
    return record === undefined || raw === undefined ? undefined : { record, raw };
  };

  const ledger: DeliveryLedger = {
    async open(record) {
      const raw = JSON.stringify(record);
      if (await shared.setIfAbsent(rec(record.key), raw, keepMs)) {
        await shared.setAdd(OPEN, [record.key]);
        return { created: true, held: { record, raw } };
      }
      return { created: false, held: held(await shared.get(rec(record.key))) };
    },
    async get(key) {
      return held(await shared.get(rec(key)));
    },
    async transition(from, to) {
      const raw = JSON.stringify(to);
      return (await shared.compareAndSet(rec(to.key), from.raw, raw, keepMs)) ? { record: to, raw } : undefined;
    },
    async finish(record) {
      await shared.set(rec(record.key), JSON.stringify(record), keepMs);
      await shared.setRemove(OPEN, [record.key]);
      if (record.state === 'sent') {
        const last: LastDigest = { key: record.key, composedAt: record.composedAt ?? record.sentAt ?? record.updatedAt, sentAt: record.sentAt ?? record.updatedAt };
        await shared.set(`last:${record.subscription}`, JSON.stringify(last), keepMs);
      }
    },
    openKeys: () => shared.setMembers(OPEN),
    reopen: (key) => shared.setAdd(OPEN, [key]),
    forget: (key) => shared.setRemove(OPEN, [key]),
    async lastDigest(subscription) {
      const raw = await shared.get(`last:${subscription}`);
      if (raw === undefined) return undefined;
      try {
        const v = JSON.parse(raw) as Partial<LastDigest>;
        return typeof v.composedAt === 'number' && typeof v.key === 'string' ? (v as LastDigest) : undefined;
      } catch {
        return undefined;
      }
    },
    // The heartbeat holds its deadline as its value, read against the caller's clock; the store's
    // own expiry only cleans it up later.
    heartbeat: (owner, until) => shared.set(`alive:${owner}`, String(until), Math.max(until - Date.now(), 0) + 24 * 3600_000),
    release: (owner) => shared.delete(`alive:${owner}`),
    async isAlive(owner, now) {
      const v = await shared.get(`alive:${owner}`);
      return v !== undefined && Number(v) > now;
    },
    async lastTick() {
      const v = await shared.get('tick:last');
      const n = v === undefined ? Number.NaN : Number(v);
      return Number.isFinite(n) ? n : undefined;
    },
    async advanceTick(minute) {
      for (let i = 0; i < 5; i++) {
        const cur = await shared.get('tick:last');
        if (cur !== undefined && Number(cur) >= minute) return;
        if (await shared.compareAndSet('tick:last', cur, String(minute))) return;
      }
    },
  };
  return ledger;
}
