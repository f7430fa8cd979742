/**
 * Test doubles for the digest scheduler: a recording Deliverer with scripted failures, a small
 * Indonesian story set around a given morning, subscriptions, and a logger whose lines can be read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Reply } from '../../src/core/reply.js';
import type { Platform, Subscription } from '../../src/core/schedule.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { DeliveryError, type Deliverer, type DeliveryOptions } from '../../src/services/delivery.js';
import { StoryList, type StoryRecord } from '../../src/services/story-source.js';

export interface Post {
  channelId: string;
  reply: Reply;
  /** Date.now() when posted (the fake clock under fake timers). */
  at: number;
}

type Script = DeliveryError | 'hang' | ((reply: Reply) => DeliveryError | undefined);

/** A Deliverer that records what it posts; failures are scripted per channel. */
export class RecordingDeliverer implements Deliverer {
  readonly platform: Platform;
  readonly posts: Post[] = [];
  /** Every call, with the idempotency key it carried. */
  readonly calls: { channelId: string; reply: Reply; at: number; idempotencyKey?: string | undefined }[] = [];
  readonly #scripts = new Map<string, Script[]>();
  readonly #always = new Map<string, Script>();
  readonly #hung: (() => void)[] = [];

  constructor(platform: Platform) {
    this.platform = platform;
  }

  /** The next calls to this channel fail like this, one script per call. */
  failNext(channelId: string, ...scripts: Script[]): this {
    this.#scripts.set(channelId, [...(this.#scripts.get(channelId) ?? []), ...scripts]);
    return this;
  }

  /** Every call to this channel fails like this. */
  failAlways(channelId: string, script: Script): this {
    this.#always.set(channelId, script);
    return this;
  }

  /** The channel works again. */
  heal(channelId: string): this {
    this.#scripts.delete(channelId);
    this.#always.delete(channelId);
    return this;
  }

  /** Lets the hung calls finish (as if the platform had answered after all). */
  releaseHung(): void {
    for (const r of this.#hung.splice(0)) r();
  }

  async deliver(channelId: string, reply: Reply, opts: DeliveryOptions = {}): Promise<void> {
    this.calls.push({ channelId, reply, at: performance.now(), idempotencyKey: opts.idempotencyKey });
    const queued = this.#scripts.get(channelId);
    const script = queued !== undefined && queued.length > 0 ? queued.shift() : this.#always.get(channelId);
    if (script === 'hang') {
      await new Promise<void>((resolve) => this.#hung.push(resolve));
    } else if (script instanceof DeliveryError) {
      throw script;
    } else if (typeof script === 'function') {
      const err = script(reply);
      if (err !== undefined) throw err;
    }
    this.posts.push({ channelId, reply, at: Date.now() });
  }
}

const H = 3600_000;

/**
 * Stories around a morning: three outlets on one flood (one cluster), a rice price story, a
 * football story, and one story from the evening before `base`. `base` is the instant of the first
 * digest (07:00 WIB on 30 November 2026 by default).
 */
export function morningStories(base = Date.parse('2026-11-30T00:00:00Z')): StoryList {
  const s = (id: string, clusterId: string, outlet: string, hoursBefore: number, title: string, lead = ''): StoryRecord => ({
    id,
    clusterId,
    outlet,
    title,
    lead,
    url: `https://${outlet.toLowerCase().replace(/\s+/g, '')}.example/${id}`,
    publishedAt: base - hoursBefore * H,
  });
  return new StoryList([
    s('banjir-1', 'banjir', 'Kompas', 3, 'Banjir rendam ratusan rumah di Semarang', 'Banjir merendam ratusan rumah di pesisir Semarang sejak Minggu malam. Warga mengungsi ke balai desa. Air mulai surut pagi ini.'),
    s('banjir-2', 'banjir', 'Detik', 2, 'Ratusan rumah di Semarang terendam banjir'),
    s('banjir-3', 'banjir', 'Antara', 4, 'Semarang dilanda banjir, warga mengungsi'),
    s('beras-1', 'beras', 'Tempo', 1, 'Harga beras naik di Pasar Induk Cipinang', 'Harga beras medium naik menjadi Rp 14.500 per kilogram.'),
    s('bola-1', 'bola', 'Kompas', 5, 'Timnas Indonesia menang 2-0 atas Vietnam', 'Timnas Indonesia menang dua gol tanpa balas.'),
    s('malam-1', 'malam', 'Antara', 10, 'Gempa magnitudo 5,1 guncang Maluku Tengah', 'Gempa tidak berpotensi tsunami.'),
    // During the next day: only the next digest carries these.
    s('siang-1', 'siang', 'Detik', -5, 'DPR sahkan RUU Perampasan Aset', 'Rapat paripurna DPR mengesahkan RUU Perampasan Aset menjadi undang-undang.'),
    s('sore-1', 'sore', 'Kompas', -9, 'KRL Bogor gangguan, penumpang menumpuk di Manggarai'),
  ]);
}

export function subscription(over: Partial<Subscription> & Pick<Subscription, 'platform' | 'channelId' | 'time'>): Subscription {
  return {
    timeZone: 'Asia/Jakarta',
    topics: [],
    locale: 'id',
    createdBy: 'u1',
    createdAt: '2026-11-01T00:00:00.000Z',
    paused: false,
    ...over,
  };
}

/** A pino logger whose JSON lines are kept. */
export function captureLogger(level = 'info'): { logger: Logger; lines: () => Record<string, unknown>[]; messages: () => string[] } {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      raw.push(...String(chunk).split('\n').filter((l) => l.trim() !== ''));
      cb();
    },
  });
  const logger = createLogger({ level, destination: sink });
  const lines = (): Record<string, unknown>[] => raw.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, messages: () => lines().map((l) => String(l['msg'])) };
}

/** A temporary folder removed by the returned function. */
export function tempDir(prefix = 'ringkas-digests-'): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The links of a digest reply, as titles. */
export function digestTitles(reply: Reply): string[] {
  const block = reply.blocks.find((b) => b.type === 'links');
  return block?.type === 'links' ? block.items.map((i) => i.title) : [];
}

/** A unique key prefix for one test's shared state on Redis. */
export function uniquePrefix(name: string): string {
  return `ringkas-test:${name}:${process.pid}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
}
