/**
 * One side of the understanding bench, in a worker thread of its own: Ringkas (summary + quotes +
 * keywords) or the peers (lexrank, node-summarizer). A worker is its own JavaScript realm, so the
 * peers' dependencies (natural and node-summarizer pull in `sugar`, which rewrites String and
 * Array prototypes) never touch the realm Ringkas runs in, and the main thread can alternate the
 * two sides pass by pass: a slow phase of a shared machine then falls on both.
 *
 * Messages in: `{ system, from?, to? }`; out: `{ ms }`, the wall time of one pass over articles
 * [from, to) (all by default).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Article } from '../src/core/article-types.js';
import { readArticle } from '../src/core/reader.js';
import { loadIndoSum } from '../eval/indosum.js';
import { lexrankSummary, nodeSummarizerFrequency } from './peers.js';

export type UnderstandingSystem = 'ringkas' | 'lexrank' | 'frequency';

const port = parentPort;
if (port === null) throw new Error('bench/understanding-worker runs as a worker thread');
const file = (workerData as { file?: string } | undefined)?.file;
const data = loadIndoSum(file);
if (data === null) throw new Error('IndoSum dev.01 is absent');
const articles: Article[] = data.map((a) => ({ title: '', paragraphs: a.paragraphs, links: [], language: 'id' }));
const texts = data.map((a) => a.paragraphs.join('\n'));

/** One pass of a system over articles [from, to). */
const PASSES: Record<UnderstandingSystem, (from: number, to: number) => void> = {
  ringkas: (from, to) => {
    for (let i = from; i < to; i++) readArticle(articles[i] as Article, { sentences: 3 });
  },
  lexrank: (from, to) => {
    for (let i = from; i < to; i++) lexrankSummary(texts[i] as string, 3);
  },
  frequency: (from, to) => {
    for (let i = from; i < to; i++) nodeSummarizerFrequency(texts[i] as string, 3);
  },
};

port.on('message', (msg: { system: UnderstandingSystem; from?: number; to?: number }) => {
  const pass = PASSES[msg.system];
  const t0 = performance.now();
  pass(msg.from ?? 0, Math.min(msg.to ?? articles.length, articles.length));
  port.postMessage({ ms: performance.now() - t0 });
});
