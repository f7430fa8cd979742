/**
 * What the buttons and menus of recent replies refer to, by a short key carried in their custom
 * ids: bounded in size (least recently used forgotten first) and in age. After a restart or once
 * forgotten, a button answers that it has expired.
 */
import { randomBytes } from 'node:crypto';

export interface MemoryOptions {
  /** Entries kept at most (default 500). */
  max?: number;
  /** How long an entry is kept, in ms (default 6 hours). */
  ttlMs?: number;
  now?: () => number;
}

export class ActionMemory<V> {
  readonly #entries = new Map<string, { value: V; at: number }>();
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(opts: MemoryOptions = {}) {
    this.#max = opts.max ?? 500;
    this.#ttlMs = opts.ttlMs ?? 6 * 60 * 60 * 1000;
    this.#now = opts.now ?? Date.now;
  }

  /** Stores a value; returns its key (10 lowercase letters and digits). */
  put(value: V): string {
    let key = '';
    do key = randomBytes(8).readBigUInt64BE().toString(36).slice(0, 10);
    while (this.#entries.has(key) || key.length < 10);
    this.#entries.set(key, { value, at: this.#now() });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return key;
  }

  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    if (this.#now() - e.at > this.#ttlMs) {
      this.#entries.delete(key);
      return undefined;
    }
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, e);
    return e.value;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}
