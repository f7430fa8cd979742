/**
 * The other side of the load bench (bench/load.ts), in a worker thread of its own: the loopback
 * Discord (test/helpers/fake-discord.ts) and a loopback news site that answers after a realistic,
 * jittered delay. Keeping them off the bot's thread means the bot's heap and event-loop delay are
 * the bot's alone, as in production where Discord and the news sites are elsewhere; the two
 * threads still share the machine's cores.
 *
 * The load is generated here too, open loop: `{ type: 'run', items, intervalMs }` sends item k at
 * start + k * intervalMs whatever the bot is doing (a stalled bot does not slow the arrivals down),
 * and posts one `result` per item once it got its final reply or was given up on.
 * `{ type: 'stats' }` -> `stats`; `{ type: 'close' }` -> `closed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeDiscord, type InteractionHandle } from '../test/helpers/fake-discord.js';
import { startNewsServer, type Route } from '../test/helpers/news-server.js';
import { prng } from './prng.js';

export interface FakesData {
  pages: { path: string; body: Uint8Array }[];
  /** Answer delay: minMs + (maxMs - minMs) * r^2, r uniform in [0, 1) from a seeded generator. */
  latency: { minMs: number; maxMs: number; seed: number };
}

export interface PlannedInteraction {
  k: number;
  masukan: string;
  userId: string;
}

export type ToFakes = { type: 'run'; items: PlannedInteraction[]; intervalMs: number } | { type: 'stats' } | { type: 'close' };

export interface InteractionResult {
  type: 'result';
  k: number;
  /** When it was due (start + k * intervalMs) and when INTERACTION_CREATE went out. */
  dueAt: number;
  sentAt: number;
  ackAt?: number;
  ackType?: number;
  finalAt?: number;
  /** The final reply was a reading (an embed with a title, not the error colour). */
  reading: boolean;
  /** Why it is not a reading: the reply text of an error, or the failure (lost). */
  problem?: string;
  lost: boolean;
}

export interface FakesStats {
  type: 'stats';
  rejections: number;
  rejectionSamples: string[];
  pageRequests: number;
  pageNotFound: number;
  delays: number[];
}

export type FromFakes =
  | { type: 'ready'; config: { DISCORD_TOKEN: string; DISCORD_APPLICATION_ID: string; DISCORD_API_URL: string; DISCORD_GUILD_ID: string | undefined }; origin: string }
  | InteractionResult
  | FakesStats
  | { type: 'closed' };

const port = parentPort;
if (port === null) throw new Error('bench/load-fakes.js runs as a worker thread');
const data = workerData as FakesData;

const random = prng(data.latency.seed);
const delays: number[] = [];
const timers = new Set<ReturnType<typeof setTimeout>>();

/** A news page served after the jittered delay, headers first, then the body in two pieces. */
function slowPage(body: Uint8Array): Route {
  return (_req: IncomingMessage, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const r = random();
      const delay = data.latency.minMs + (data.latency.maxMs - data.latency.minMs) * r * r;
      delays.push(delay);
      const t = setTimeout(() => {
        timers.delete(t);
        if (res.destroyed) return resolve();
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.byteLength) });
        const half = Math.floor(body.byteLength / 2);
        res.write(body.subarray(0, half));
        setImmediate(() => {
          res.end(body.subarray(half));
          resolve();
        });
      }, delay);
      timers.add(t);
    });
}

const routes: Record<string, Route> = {};
for (const p of data.pages) routes[p.path] = slowPage(p.body);
const site = await startNewsServer(routes);
const discord = await startFakeDiscord();

async function interact({ k, masukan, userId }: PlannedInteraction, dueAt: number): Promise<InteractionResult> {
  let h: InteractionHandle;
  try {
    h = await discord.interact({ command: 'berita', options: { masukan }, user: { id: userId } });
  } catch (err) {
    return { type: 'result', k, dueAt, sentAt: Date.now(), reading: false, lost: true, problem: err instanceof Error ? err.message : String(err) };
  }
  const out: InteractionResult = { type: 'result', k, dueAt, sentAt: h.sentAt, reading: false, lost: false };
  try {
    const ack = await h.acked(10_000);
    out.ackAt = ack.at;
    out.ackType = ack.type;
    const msg = await h.final(90_000);
    out.finalAt = msg.at;
    const e = msg.embeds[0];
    out.reading = e?.title !== undefined && e.color !== 0xd64545;
    if (!out.reading) out.problem = (e?.description ?? msg.content).slice(0, 160);
  } catch (err) {
    out.lost = true;
    out.problem = err instanceof Error ? err.message : String(err);
  }
  return out;
}

port.on('message', (msg: ToFakes) => {
  if (msg.type === 'run') {
    const start = Date.now();
    msg.items.forEach((item, n) => {
      const dueAt = start + n * msg.intervalMs;
      const t = setTimeout(() => {
        timers.delete(t);
        void interact(item, dueAt).then((r) => port.postMessage(r satisfies FromFakes));
      }, dueAt - Date.now());
      timers.add(t);
    });
  } else if (msg.type === 'stats') {
    const notFound = site.requests.filter((r) => !((r.path.split('?', 1)[0] ?? '') in routes)).length;
    const stats: FakesStats = {
      type: 'stats',
      rejections: discord.rejections.length,
      rejectionSamples: discord.rejections.slice(0, 3).map((r) => `${r.method} ${r.path}: ${r.problems.join('; ')}`),
      pageRequests: site.requests.length,
      pageNotFound: notFound,
      delays,
    };
    port.postMessage(stats satisfies FromFakes);
  } else {
    for (const t of timers) clearTimeout(t);
    void Promise.allSettled([discord.close(), site.close()]).then(() => {
      port.postMessage({ type: 'closed' } satisfies FromFakes);
      port.close();
    });
  }
});

port.postMessage({ type: 'ready', config: discord.config(), origin: site.origin } satisfies FromFakes);
