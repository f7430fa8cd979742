/**
 * `npm run bench`: speed of the reader against named peers measured in the same run, on one core.
 *  1. Extraction per page: Ringkas (Readability over linkedom + Indonesian rules) vs Readability.js
 *     over jsdom, median over the shared pages of each page's median time.
 *  2. Understanding: summary + quotes + keywords per article over IndoSum dev.01 (already extracted)
 *     vs the `lexrank` package summarizing the same texts; ROUGE of both, of `node-summarizer` and of
 *     LEAD-3 on the same articles. Ringkas and the peers run in worker threads of their own and
 *     alternate slice by slice (bench/understanding-worker.ts).
 * Numbers are printed, never asserted: a bench is read, not passed.
 */
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { htmlToArticle } from '../src/core/article.js';
import { benchCorpus } from './corpus.js';
import { benchDigests } from './digests.js';
import { benchDiscord } from './discord.js';
import { benchLoad } from './load.js';
import { summarizeParagraphs } from '../src/core/summarize.js';
import { loadPages } from '../eval/extraction.js';
import { loadIndoSum, type IndoSumArticle } from '../eval/indosum.js';
import { rouge, rougeTokenizeText, rougeTokens } from '../eval/rouge.js';
import { table } from '../eval/table.js';
import { lexrankSummary, nodeSummarizerFrequency, nodeSummarizerRank, readabilityJsdom } from './peers.js';
import type { UnderstandingSystem } from './understanding-worker.js';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function timeRuns(runs: number, fn: () => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times;
}

function benchExtraction(): string {
  const pages = loadPages();
  if (pages === null) return 'extraction: ../shared/data is absent, skipped';
  const runs = Number(process.env['BENCH_RUNS'] ?? 15);
  const rows: (string | number)[][] = [];
  const ours: number[] = [];
  const peer: number[] = [];
  for (const p of pages) {
    // Warm both up on this page first.
    for (let i = 0; i < 3; i++) {
      htmlToArticle(p.html, { url: p.truth.url });
      readabilityJsdom(p.html, p.truth.url);
    }
    const a = median(timeRuns(runs, () => void htmlToArticle(p.html, { url: p.truth.url })));
    const b = median(timeRuns(runs, () => void readabilityJsdom(p.html, p.truth.url)));
    ours.push(a);
    peer.push(b);
    rows.push([p.file, `${Math.round(p.html.length / 1024)} kB`, a, b, `${(b / a).toFixed(1)}x`]);
  }
  const mo = median(ours);
  const mp = median(peer);
  rows.push(['median over pages', '', mo, mp, `${(mp / mo).toFixed(1)}x`]);
  return `Extraction per page, ms (median of ${runs} runs each; lower is better)\n${table(['page', 'size', 'Ringkas', 'Readability+jsdom', 'speed-up'], rows)}`;
}

/** Runs one pass of `system` over articles [from, to) in its worker; resolves with its wall time in ms. */
function pass(worker: Worker, system: UnderstandingSystem, from = 0, to = Number.MAX_SAFE_INTEGER): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { ms: number }): void => {
      worker.off('error', reject);
      resolve(m.ms);
    };
    worker.once('message', onMessage);
    worker.once('error', reject);
    worker.postMessage({ system, from, to });
  });
}

/** Articles per slice of a round (see benchUnderstanding). */
const SLICE = 50;

async function benchUnderstanding(): Promise<string> {
  const data = loadIndoSum();
  if (data === null) return 'understanding: ../shared/data is absent, skipped';
  const texts = data.map((a) => a.paragraphs.join('\n'));
  // Ringkas and the peers each in a worker of their own (see understanding-worker.ts), one at a
  // time: two warm-up passes each (both reach their steady speed on the third pass), then rounds.
  // A round takes the articles slice by slice, each slice read by Ringkas and then by each peer,
  // so that the machine's slow and fast moments (a shared box) fall on all systems alike; a
  // system's time for the round is the sum of its slices.
  const script = new URL('./understanding-worker.js', import.meta.url);
  const ours = new Worker(script);
  const peers = new Worker(script);
  const rounds = Math.max(1, Number(process.env['BENCH_PASSES'] ?? 7));
  const times: Record<UnderstandingSystem, number[]> = { ringkas: [], lexrank: [], frequency: [] };
  const ratios: number[] = [];
  try {
    for (let w = 0; w < 2; w++) {
      await pass(ours, 'ringkas');
      await pass(peers, 'lexrank');
      await pass(peers, 'frequency');
    }
    for (let r = 0; r < rounds; r++) {
      let o = 0;
      let l = 0;
      let f = 0;
      for (let from = 0; from < data.length; from += SLICE) {
        o += await pass(ours, 'ringkas', from, from + SLICE);
        l += await pass(peers, 'lexrank', from, from + SLICE);
        f += await pass(peers, 'frequency', from, from + SLICE);
      }
      times.ringkas.push(o);
      times.lexrank.push(l);
      times.frequency.push(f);
      ratios.push(l / o);
    }
  } finally {
    await Promise.all([ours.terminate(), peers.terminate()]);
  }
  const rate = (system: UnderstandingSystem): number => data.length / (median(times[system]) / 1000);
  const ourRate = rate('ringkas');
  const lexRate = rate('lexrank');
  const freqRate = rate('frequency');

  // ROUGE of each system on the same articles, 3 sentences.
  const score = (summaries: string[]): { r1: number; r2: number; rl: number } => {
    let r1 = 0;
    let r2 = 0;
    let rl = 0;
    summaries.forEach((s, i) => {
      const ref = rougeTokens((data[i] as IndoSumArticle).summaryTokens.flat());
      const r = rouge(rougeTokenizeText(s), ref);
      r1 += r.rouge1.f1;
      r2 += r.rouge2.f1;
      rl += r.rougeL.f1;
    });
    const n = summaries.length;
    return { r1: (100 * r1) / n, r2: (100 * r2) / n, rl: (100 * rl) / n };
  };
  const ringkas = score(data.map((a) => summarizeParagraphs(a.paragraphs, { sentences: 3 }).join(' ')));
  const lead3 = score(data.map((a) => a.sentences.flat().slice(0, 3).join(' ')));
  const lex = score(texts.map((t) => lexrankSummary(t, 3).join(' ')));
  const freq = score(texts.map((t) => nodeSummarizerFrequency(t, 3)));
  const rank = score(await Promise.all(texts.map((t) => nodeSummarizerRank(t, 3).catch(() => ''))));

  const rows: (string | number)[][] = [
    ['Ringkas (summary + quotes + keywords)', Math.round(ourRate), '1.0x', ringkas.r1, ringkas.r2, ringkas.rl],
    ['lexrank (summary only)', Math.round(lexRate), `${(ourRate / lexRate).toFixed(1)}x`, lex.r1, lex.r2, lex.rl],
    ['node-summarizer frequency (summary only)', Math.round(freqRate), `${(ourRate / freqRate).toFixed(1)}x`, freq.r1, freq.r2, freq.rl],
    ['node-summarizer rank', '-', '-', rank.r1, rank.r2, rank.rl],
    ['LEAD-3', '-', '-', lead3.r1, lead3.r2, lead3.rl],
  ];
  const mem = process.memoryUsage();
  return [
    `Understanding on IndoSum dev.01 (${data.length} articles, one core; articles/s is the median of ${rounds} passes, Ringkas and the peers alternating slice by slice)`,
    table(['system', 'articles/s', 'Ringkas is', 'R-1', 'R-2', 'R-L'], rows),
    `Ringkas vs lexrank, round by round: ${ratios.map((x) => `${x.toFixed(1)}x`).join(' ')} (median ${median(ratios).toFixed(1)}x)`,
    `heap used after the run: ${(mem.heapUsed / 1e6).toFixed(1)} MB, rss ${(mem.rss / 1e6).toFixed(1)} MB`,
  ].join('\n');
}

const SECTIONS: Record<string, () => string | Promise<string>> = {
  extraction: benchExtraction,
  understanding: benchUnderstanding,
  discord: benchDiscord,
  load: () => benchLoad(),
  corpus: () => benchCorpus(),
  digests: () => benchDigests(),
};

/**
 * Each section runs in a child process of its own, so that one section's heap (jsdom windows, a
 * large corpus) does not slow the next one's garbage collection.
 */
async function main(): Promise<void> {
  const only = process.argv[2];
  if (only !== undefined) {
    const section = SECTIONS[only];
    if (section === undefined) throw new Error(`unknown bench section ${only}`);
    process.stdout.write(`${await section()}\n`);
    return;
  }
  process.stdout.write(`Ringkas bench — node ${process.version}, ${new Date().toISOString()}, ${availableParallelism()} cores, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n\n`);
  for (const name of Object.keys(SECTIONS)) {
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    process.stdout.write(`${r.stdout}\n`);
    if (r.status !== 0) process.stdout.write(`(section ${name} exited with ${String(r.status)})\n\n`);
  }
}

await main();
