/** The peers Ringkas is measured against, wrapped behind one shape. Dev dependencies only. */
import { createRequire } from 'node:module';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';

const require = createRequire(import.meta.url);

interface LexRankSentence {
  index: number;
  text: string;
  weight: number;
}
type LexRank = { summarize(text: string, lines: number, cb: (err: unknown, top: LexRankSentence[], text: string) => void): void };
type SummarizerManagerCtor = new (text: string, n: number) => {
  getSummaryByFrequency(): { summary: string };
  getSummaryByRank(): Promise<{ summary: string }>;
};

// Loaded on first use: node-summarizer pulls in `sugar`, which rewrites Array.prototype methods for
// the whole process; only the sections that measure these peers should carry that.
let lexrankModule: LexRank | undefined;
let summarizerModule: { SummarizerManager: SummarizerManagerCtor } | undefined;
const lexrank = (): LexRank => (lexrankModule ??= require('lexrank') as LexRank);
const summarizer = (): SummarizerManagerCtor =>
  (summarizerModule ??= require('node-summarizer') as { SummarizerManager: SummarizerManagerCtor }).SummarizerManager;

/** Mozilla Readability over jsdom: the reference extractor. */
export function readabilityJsdom(html: string, url: string | undefined): string {
  const virtualConsole = new VirtualConsole(); // silence CSS/script noise from real pages
  const dom = new JSDOM(html, { ...(url !== undefined ? { url } : {}), virtualConsole });
  const parsed = new Readability(dom.window.document).parse();
  dom.window.close();
  return parsed?.textContent ?? '';
}

/** The `lexrank` npm package's top sentences, in its own order. */
export function lexrankSummary(text: string, n: number): string[] {
  let out: string[] = [];
  lexrank().summarize(text, n, (err, top) => {
    if (err) throw err instanceof Error ? err : new Error(String(err));
    out = [...top].sort((a, b) => a.index - b.index).map((s) => s.text.trim());
  });
  return out;
}

/** The `node-summarizer` package, frequency-based (synchronous). */
export function nodeSummarizerFrequency(text: string, n: number): string {
  // It answers with a non-string (an error value) for some texts: that counts as an empty summary.
  const out: unknown = new (summarizer())(text, n).getSummaryByFrequency().summary;
  return typeof out === 'string' ? out : '';
}

/** The `node-summarizer` package, TextRank-based. */
export async function nodeSummarizerRank(text: string, n: number): Promise<string> {
  const out: unknown = (await new (summarizer())(text, n).getSummaryByRank()).summary;
  return typeof out === 'string' ? out : '';
}
