/**
 * Golden snapshot of the reader's outputs, to prove that a speed-up changed nothing.
 *
 *   node dist/bench/golden.js write [file]   records every output (default /tmp/ringkas-golden.json)
 *   node dist/bench/golden.js check [file]   recomputes them and reports every difference (exit 1)
 *
 * What is recorded, exactly (JSON numbers round-trip, so scores are compared bit for bit):
 *  - readArticle(article, { sentences: 3 }) and readArticle(article) (summary, quotes with speakers,
 *    paragraphs and scores, keywords) over the 750 IndoSum dev.01 articles (title ''), again with
 *    the human summary's first sentence standing in as a title (title paths of all three), and
 *    extractQuotes with a large max (every key quote, not only the top six);
 *  - the same over every document of test/fixtures/quotes/annotations.json (with its title) and
 *    the seed article (test/fixtures/summarize/seed-body.json, with its dateline marker);
 *  - readArticle over the Tempo feed items (title + description), when ../shared/data has them;
 *  - synthetic texts: hand-written edge cases (scripts, combining marks, quote glyphs, numbers,
 *    "Rp1.000", apostrophes, runs of punctuation) and pseudo-random texts over a mixed alphabet;
 *  - the text layer on all of those texts (splitSentences, tokenize, words, analyze, stem of every
 *    word), as one hash per document so that the file stays small but a difference is located.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Article, Reading } from '../src/core/article-types.js';
import { extractQuotes } from '../src/core/quotes.js';
import { readArticle } from '../src/core/reader.js';
import { splitSentences } from '../src/core/text/sentences.js';
import { stem } from '../src/core/text/stem.js';
import { analyze, tokenize, words } from '../src/core/text/tokenize.js';
import { loadIndoSum } from '../eval/indosum.js';
import { repoRoot, sharedDataPath } from '../eval/shared.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Doc {
  id: string;
  article: Article;
}

function reading(r: Reading): Json {
  return {
    summary: r.summary,
    quotes: r.quotes.map((q) => ({ text: q.text, speaker: q.speaker, paragraph: q.paragraph, score: q.score })),
    keywords: r.keywords,
  };
}

function textLayerHash(a: Article): string {
  const h = createHash('sha256');
  for (const p of [a.title, ...a.paragraphs]) {
    h.update(JSON.stringify(splitSentences(p)));
    h.update(JSON.stringify(tokenize(p)));
    const ws = words(p);
    h.update(JSON.stringify(ws));
    h.update(JSON.stringify(analyze(p)));
    h.update(JSON.stringify(ws.map((w) => stem(w))));
  }
  return h.digest('hex').slice(0, 24);
}

function outputs(d: Doc): Json {
  return {
    s3: reading(readArticle(d.article, { sentences: 3 })),
    auto: reading(readArticle(d.article)),
    allQuotes: extractQuotes(d.article.paragraphs, { title: d.article.title, max: 1000 }).map((q) => [q.text, q.speaker, q.paragraph, q.score]),
    text: textLayerHash(d.article),
  };
}

const article = (title: string, paragraphs: string[], marker?: string): Article => ({
  title,
  paragraphs,
  links: [],
  language: 'id',
  ...(marker !== undefined ? { dateline: { place: '', marker } } : {}),
});

/** Hand-written edge cases for the tokenizers and splitters. */
const EDGE_CASES: string[][] = [
  ['JAKARTA, KOMPAS.com - Harga naik Rp1.000.000 atau 1,5 persen pada pukul 08.00 WIB, kata Menteri Keuangan Sri Mulyani.'],
  ['“Kami siap,” kata Budi... (27/3). "Tidak ada masalah," ujarnya. ‘Oke’ katanya lagi.', 'Ia menegaskan: “Semua aman.”'],
  ["Jum'at lalu anti-DPRK, masing-masing tembak-menembak ke-17 kali; Mu'min’s O’Neil d'Artagnan."],
  ['Café São Paulo naïve résumé Ångström Øresund İstanbul ΑΘΗΝΑ Ελλάδα Москва КИЕВ 東京 서울 Ǆemal ǅemal ǆemal.'],
  ['e\u0301te\u0301 cafe\u0301 Zoe\u0308 A\u030A \u0301lone combining x\u20dd y\u0332 ١٢٣ ٤٥٦ ०१२ ① ² ½ Ⅻ ⅻ 𝟙𝟚 𝐀𝐁𝐂 🙂 😀 👍🏽.'],
  ['1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1 a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-f-g-h-i-j-k-l.'],
  ['Presiden Joko Widodo (Jokowi) mengatakan bahwa "pemerintah akan membangun jembatan baru" dengan Erdogan. Dr. H. Abdul, S.H., M.Si. hadir.'],
  ['tersebut.Namun Liputan6.com melaporkan TRIBUNAMBON.COM — hal itu—kata dia–tidak benar!!! Benarkah?! Ya... Tentu…', 'Baca juga: Berita lain'],
  ['Rp 5 juta; Rp5,5 miliar; US$10; €20; 50% ; 3/4 ; 2017/2018 ; 10-12 Maret ; pukul 14.30-15.00 WIT ; 0,5-1,0 ; 1,000,000.50'],
  ['«Ini kutipan» kata X. „Kutipan lain‟ ujar Y. ″bukan″ ‶juga bukan‶ “tanpa penutup', '" lanjutan paragraf," kata Z.'],
  ['ALL CAPS HEADLINE SEPERTI INI: SIAPA PANTAS GANTIKAN NEYMAR?', 'SIMAK JUGA: Video Menarik'],
  ['Mixed\u00a0no-break\u2009thin\u202fspace\u200bzero\u200cjoiner\u200djoin\ufeffbom\ttab\r\ncrlf\fform\vvertical\u2028line\u2029para\u3000ideo\u1680ogham.'],
  ['İİİ ıı ẞ ß ǈ ǋ ǲ ᾈ ᾼ ῼ ΐ ΰ ﬁ ﬂ ŉ ǰ Ⓐ ⓐ ℌ ℍ ℎ ℏ ℓ ℘ ℮ ⅀ Ꭰ ꭰ 𐐀 𐐨 𞤀 𞤢.'],
  ['Apostrof: don’t, it\'s, ’90-an, \'awal, akhir\', -awal, akhir-, --ganda--, ‐hyphen‐, ‑nb‑, –en–, —em—.'],
  ['Sabtu (27/10/2018), Kapolsek AKBP Budi Santoso mengatakan, "Pelaku sudah ditangkap," kepada wartawan di Jakarta.'],
  [''],
  ['   '],
  ['.'],
  ['a'],
];

/** Deterministic pseudo-random texts over a mixed alphabet (mulberry32). */
function randomTexts(count: number): string[][] {
  let seed = 0x5eed1234;
  const rnd = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pieces = [
    'kata', 'ujar', 'mengatakan', 'Presiden', 'Jokowi', 'Korea', 'Utara', 'di', 'yang', 'dan', 'pemerintah', 'menegaskan',
    'Rp', 'Rp1.000', '1.000', '1,5', '08.00', 'masing-masing', "Jum'at", 'anti-DPRK', 'Dr.', 'H.', 'Menurut', 'ia', 'dia',
    'É', 'é', 'ß', 'İ', 'ı', 'Ω', 'ж', 'Ж', '東', '١', '²', '½', 'Ⅻ', '🙂', 'e\u0301', '\u0301', 'ǅ', '𝐀', '𐐀', '𐐨',
    '"', '“', '”', '‘', '’', "'", '«', '»', '„', '.', ',', '!', '?', '…', '...', ':', ';', '(', ')', '[', ']', '-', '–', '—',
    '/', '%', '@', '#', ' ', ' ', ' ', ' ', ' ', ' ', '  ', '\n', '\u00a0', '\t', '.', ' .', '. ', '," ', '." ',
  ];
  const out: string[][] = [];
  for (let d = 0; d < count; d++) {
    const paras: string[] = [];
    const np = 1 + Math.floor(rnd() * 4);
    for (let p = 0; p < np; p++) {
      let s = '';
      const len = Math.floor(rnd() * 400);
      for (let k = 0; k < len; k++) {
        s += pieces[Math.floor(rnd() * pieces.length)] as string;
        if (rnd() < 0.5) s += ' ';
      }
      paras.push(s);
    }
    out.push(paras);
  }
  return out;
}

function documents(): Doc[] {
  const docs: Doc[] = [];
  const indosum = loadIndoSum();
  if (indosum === null) throw new Error('IndoSum dev.01 is absent (../shared/data): the golden needs it');
  for (const a of indosum) {
    docs.push({ id: `indosum:${a.id}`, article: article('', a.paragraphs) });
    docs.push({ id: `indosum-titled:${a.id}`, article: article(a.summary[0] ?? '', a.paragraphs) });
  }
  const ann = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'quotes', 'annotations.json'), 'utf8')) as {
    documents: { id: string; title: string; paragraphs: string[] }[];
  };
  for (const d of ann.documents) docs.push({ id: `annotations:${d.id}`, article: article(d.title, d.paragraphs) });
  const seed = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'summarize', 'seed-body.json'), 'utf8')) as {
    title: string;
    dateline: string;
    paragraphs: string[];
  };
  docs.push({ id: 'seed', article: article(seed.title, seed.paragraphs, seed.dateline) });
  docs.push({ id: 'seed-untitled', article: article('', seed.paragraphs) });
  const tempo = sharedDataPath('tempo', 'items_history.jsonl');
  if (existsSync(tempo)) {
    readFileSync(tempo, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .forEach((l, i) => {
        const row = JSON.parse(l) as { title?: string; description?: string };
        docs.push({ id: `tempo:${i}`, article: article(row.title ?? '', [row.description ?? '', row.title ?? '']) });
      });
  }
  EDGE_CASES.forEach((paras, i) => docs.push({ id: `edge:${i}`, article: article(paras[0] ?? '', paras) }));
  randomTexts(400).forEach((paras, i) => docs.push({ id: `random:${i}`, article: article(i % 2 === 0 ? (paras[0] ?? '').slice(0, 80) : '', paras) }));
  return docs;
}

function main(): void {
  const mode = process.argv[2];
  const file = process.argv[3] ?? '/tmp/ringkas-golden.json';
  if (mode !== 'write' && mode !== 'check') {
    process.stderr.write('usage: node dist/bench/golden.js write|check [file]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  const result: Record<string, Json> = {};
  for (const d of documents()) result[d.id] = outputs(d);
  const ms = performance.now() - t0;
  const n = Object.keys(result).length;
  if (mode === 'write') {
    writeFileSync(file, JSON.stringify(result));
    process.stdout.write(`golden: wrote ${n} documents to ${file} (${(ms / 1000).toFixed(1)} s)\n`);
    return;
  }
  const golden = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Json>;
  const diffs: string[] = [];
  for (const id of new Set([...Object.keys(golden), ...Object.keys(result)])) {
    const want = JSON.stringify(golden[id] ?? null);
    const got = JSON.stringify(result[id] ?? null);
    if (want === got) continue;
    const w = (golden[id] ?? {}) as Record<string, Json>;
    const g = (result[id] ?? {}) as Record<string, Json>;
    const parts = [...new Set([...Object.keys(w), ...Object.keys(g)])].filter((k) => JSON.stringify(w[k]) !== JSON.stringify(g[k]));
    diffs.push(`${id} [${parts.join(', ')}]\n  want ${JSON.stringify(parts.map((k) => w[k])).slice(0, 600)}\n  got  ${JSON.stringify(parts.map((k) => g[k])).slice(0, 600)}`);
  }
  if (diffs.length === 0) {
    process.stdout.write(`golden: ${n} documents identical (${(ms / 1000).toFixed(1)} s)\n`);
    return;
  }
  process.stdout.write(`golden: ${diffs.length} of ${n} documents differ\n${diffs.slice(0, 20).join('\n')}\n`);
  process.exit(1);
}

main();
