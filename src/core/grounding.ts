/**
 * Is a summary bullet supported by the article? Pure: the article's texts (what the model was
 * shown, see llm-prompt.ts `documentTexts`) and a bullet in, a verdict with its reasons out.
 *
 * A bullet is supported when
 * - every quoted span in it (“…”, "…", ‘…’, «…») is verbatim in the article: the same words in the
 *   same order (case and punctuation aside; "..." / "…" may join verbatim fragments);
 * - every number it states is stated in the article, whatever the form: "1,5 juta" = "1.500.000",
 *   "Rp 14.500" = "Rp14.500", "10 persen" = "10%", "tiga" = "3", "dua puluh" = "20";
 * - every month it names is one the article names or writes as a date ("27 Maret" ~ "(27/3)");
 * - every name it writes (a capitalized word inside a sentence, an acronym, or a capitalized
 *   sentence start that is no dictionary word) appears in the article;
 * - most of its content words (not stopwords) appear in the article, as written or by their stem
 *   ("menyesalkan" ~ "disesalkan"): a faithful paraphrase needs a few words of its own
 *   ("mengatakan", "terkait"), an invented statement needs many.
 *
 * Strict on what a reader would take as fact (numbers, names, dates, quotes), lenient on wording.
 */
import { isStopword, ROOTS, stem } from './text/index.js';

export type GroundingIssue =
  | { kind: 'empty' }
  | { kind: 'quote'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'date'; text: string }
  | { kind: 'name'; text: string }
  | { kind: 'content'; unsupported: string[]; coverage: number };

export interface BulletVerdict {
  bullet: string;
  supported: boolean;
  /** Why it is not supported (empty when it is). */
  issues: GroundingIssue[];
  /** Share of its content words found in the article (1 when it has none to check). */
  coverage: number;
}

export interface GroundingOptions {
  /** Share of content words that must be found in the article (default 0.7). */
  minCoverage?: number;
  /** Content words not found in the article allowed at most (default 4). */
  maxUnsupported?: number;
}

/** The article, prepared for checking bullets against it. */
export interface GroundingSource {
  readonly language: string;
  /** Lowercase words as written. */
  readonly words: ReadonlySet<string>;
  /** Their stems (and light English stems for English articles). */
  readonly stems: ReadonlySet<string>;
  /** Every number stated, in every reading ("1.500" -> 1500 and 1.5), scaled and unscaled. */
  readonly numbers: ReadonlySet<string>;
  /** Months named or written as dates (1-12). */
  readonly months: ReadonlySet<number>;
  /** Each text as " w1 w2 w3 " (lowercase alphanumeric runs), joined by newlines: for quotes. */
  readonly sequence: string;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const MONTHS: Readonly<Record<string, number>> = {
  januari: 1, january: 1, jan: 1, februari: 2, pebruari: 2, february: 2, feb: 2, maret: 3, march: 3, mar: 3,
  april: 4, apr: 4, mei: 5, may: 5, juni: 6, june: 6, jun: 6, juli: 7, july: 7, jul: 7, agustus: 8,
  august: 8, agu: 8, agt: 8, ags: 8, aug: 8, september: 9, sept: 9, sep: 9, oktober: 10, october: 10,
  okt: 10, oct: 10, november: 11, nopember: 11, nov: 11, desember: 12, december: 12, des: 12, dec: 12,
};

/** Number words; "satu"/"one" alone are left out on the bullet side ("salah satu" is no number). */
const UNITS: Readonly<Record<string, number>> = {
  nol: 0, satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5, enam: 6, tujuh: 7, delapan: 8, sembilan: 9,
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, twenty: 20, thirty: 30, forty: 40, fifty: 50,
};
/** "sepuluh" = satu puluh, "seribu" = satu ribu, ... */
const SE_FORMS: Readonly<Record<string, string>> = {
  sepuluh: 'puluh', sebelas: 'belas', seratus: 'ratus', seribu: 'ribu', sejuta: 'juta', semiliar: 'miliar',
};
const SCALES: Readonly<Record<string, number>> = {
  ribu: 1e3, rb: 1e3, juta: 1e6, jt: 1e6, miliar: 1e9, milyar: 1e9, triliun: 1e12,
  thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12,
};

/** English function words (the Indonesian ones come from text/stopwords). */
const EN_STOP = new Set(
  ('a an the of to in on at for from by with and or but not no is are was were be been being has have had do does did ' +
    'it its this that these those he she they them his her their we our you your i as than then there here which who whom ' +
    'whose what when where why how also more most very will would can could should may might must into over after before ' +
    'about up down out so such only just all any some each both other own same said says say').split(' '),
);

/** Currency marks before an amount: the amount is the fact, checked as a number. */
const CURRENCY = new Set(['rp', 'idr', 'us', 'usd', 'eur', 'sgd', 'rupiah']);

/**
 * Words a faithful summary uses of its own accord: attribution and connectives. They are not
 * counted against a bullet (the facts around them still are).
 */
const SUMMARY_WORDS = new Set(
  ('mengatakan menyatakan menyebut menyebutkan menjelaskan mengungkapkan menegaskan menambahkan menuturkan mengaku ' +
    'menilai menurut terkait tersebut sebelumnya kemudian selain sementara adapun yakni yaitu antara lain juga pihak hal ' +
    'berupa termasuk sejumlah beberapa berbagai terhadap artikel berita laporan melaporkan dilaporkan disebutkan ' +
    'diketahui diduga akibat sehingga namun tetapi serta bahwa ' +
    'according reported report article including several however while although').split(' '),
);

// ---------------------------------------------------------------------------------------------
// Tokens

/** Words beginning with a letter, hyphen- or apostrophe-joined ("masing-masing", "Jum'at"). */
const WORD_RE = /(?:Rp(?=\d)|\p{L}[\p{L}\p{M}\p{N}]*(?:[-'’]\p{L}[\p{L}\p{M}\p{N}]*)*)/gu;
/** Alphanumeric runs, for verbatim comparison. */
const RUN_RE = /[\p{L}\p{M}\p{N}]+/gu;
/** A number as written: "2017", "1.500.000", "1,5", "08.00", and a scale word after it. */
const NUMBER_RE = /(\d+(?:[.,]\d+)*)(?:\s?(ribu|rb|juta|jt|miliar|milyar|triliun|thousand|million|billion|trillion)(?![\p{L}]))?/giu;

function runs(text: string): string[] {
  return (text.toLowerCase().match(RUN_RE) ?? []) as string[];
}

/** A light English stem: plural and verb endings off ("reports" -> "report", "cancelled" -> "cancell"). */
function englishStem(w: string): string {
  if (w.length <= 4) return w;
  if (w.endsWith("'s") || w.endsWith('’s')) return w.slice(0, -2);
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  for (const suffix of ['ing', 'ed', 'es', 's', 'ly']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) return w.slice(0, -suffix.length);
  }
  return w;
}

function stemsOf(w: string, language: string): string[] {
  const out = [stem(w)];
  if (language === 'en') out.push(englishStem(w));
  // "-nya" (his/its) and "-lah"/"-pun" (particles) stuck to a name or a word.
  const bare = w.replace(/(?:-?nya|-?lah|-?pun)$/u, '');
  if (bare !== w && bare.length >= 3) out.push(bare, stem(bare));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Numbers

function key(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

/** Readings of a written number: all plausible ones (`all`), or the one a writer of `language` means. */
function readings(written: string, language: string, all: boolean): number[] {
  if (/^\d+$/.test(written)) return [Number(written)];
  const out: number[] = [];
  const idThousands = /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(written) ? Number(written.replace(/\./g, '').replace(',', '.')) : undefined;
  const enThousands = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(written) ? Number(written.replace(/,/g, '')) : undefined;
  const decimal = /^\d+[.,]\d+$/.test(written) ? Number(written.replace(',', '.')) : undefined;
  const ordered = language === 'en' ? [enThousands, decimal, idThousands] : [idThousands, decimal, enThousands];
  for (const v of ordered) {
    if (v === undefined || !Number.isFinite(v)) continue;
    out.push(v);
    if (!all) break;
  }
  if (out.length === 0) {
    // Something like "1.2.3": its digit runs are what can be checked.
    for (const part of written.split(/[.,]/)) out.push(Number(part));
  }
  return out;
}

interface NumberMention {
  text: string;
  values: number[];
}

/** Numbers written with digits (scaled by a following "juta", "ribu", ...). */
function digitNumbers(text: string, language: string, all: boolean): NumberMention[] {
  const out: NumberMention[] = [];
  for (const m of text.matchAll(NUMBER_RE)) {
    const written = m[1] ?? '';
    const scaleWord = m[2]?.toLowerCase();
    const scale = scaleWord !== undefined ? (SCALES[scaleWord] ?? 1) : 1;
    const base = readings(written, language, all);
    const values = scale === 1 ? base : all ? [...base, ...base.map((v) => v * scale)] : base.map((v) => v * scale);
    out.push({ text: m[0].trim(), values });
  }
  return out;
}

/** Numbers written as words: "tiga", "dua puluh lima", "seribu dua ratus", "tiga juta", "five hundred". */
function wordNumbers(tokens: readonly string[], bulletSide: boolean): NumberMention[] {
  // "seribu" -> "satu ribu": one vocabulary of units and multipliers.
  const words = tokens.flatMap((t) => (SE_FORMS[t] !== undefined ? ['satu', SE_FORMS[t]] : [t]));
  const out: NumberMention[] = [];
  for (let i = 0; i < words.length; i++) {
    if (UNITS[words[i] ?? ''] === undefined) continue;
    let total = 0;
    let current = 0;
    let last = 0;
    let afterUnit = false;
    let j = i;
    for (; j < words.length; j++) {
      const t = words[j] ?? '';
      const unit = UNITS[t];
      if (unit !== undefined) {
        if (afterUnit) break;
        current += unit;
        last = unit;
        afterUnit = true;
      } else if (afterUnit && t === 'belas') {
        current += 10;
        afterUnit = false;
      } else if (afterUnit && t === 'puluh') {
        current += last * 9;
        afterUnit = false;
      } else if (afterUnit && (t === 'ratus' || t === 'hundred')) {
        current += last * 99;
        afterUnit = false;
      } else if (SCALES[t] !== undefined && (afterUnit || current > 0)) {
        total += current * (SCALES[t] ?? 1);
        current = 0;
        afterUnit = false;
      } else break;
    }
    const value = total + current;
    const text = words.slice(i, j).join(' ');
    i = j - 1;
    if (bulletSide && (text === 'satu' || text === 'one')) continue;
    out.push({ text, values: [value] });
  }
  return out;
}

/** Months written as dates with digits: "(27/3)", "27/3/2017", "2017-03-27", "27-03-2017". */
function numericMonths(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(?<!\d)\d{1,2}\/(\d{1,2})(?:\/\d{2,4})?(?!\d)/g)) out.push(Number(m[1]));
  for (const m of text.matchAll(/(?<!\d)\d{4}-(\d{2})-\d{2}(?!\d)/g)) out.push(Number(m[1]));
  for (const m of text.matchAll(/(?<!\d)\d{1,2}-(\d{1,2})-\d{4}(?!\d)/g)) out.push(Number(m[1]));
  return out.filter((n) => n >= 1 && n <= 12);
}

// ---------------------------------------------------------------------------------------------
// The source

/** Prepares the article's texts (title, date, dateline, body, quotes) for checking bullets. */
export function groundingSource(texts: readonly string[], language = 'id'): GroundingSource {
  const words = new Set<string>();
  const stems = new Set<string>();
  const numbers = new Set<string>();
  const months = new Set<number>();
  const sequence: string[] = [];
  for (const text of texts) {
    for (const raw of text.match(WORD_RE) ?? []) {
      const w = raw.toLowerCase();
      const forms = [w, ...(w.includes('-') || w.includes("'") || w.includes('’') ? w.split(/[-'’]/) : [])];
      for (const f of forms) {
        if (f === '') continue;
        words.add(f);
        for (const s of stemsOf(f, language)) stems.add(s);
      }
      const month = MONTHS[w];
      if (month !== undefined && /^\p{Lu}/u.test(raw)) months.add(month);
    }
    const alnum = runs(text);
    sequence.push(` ${alnum.join(' ')} `);
    for (const n of digitNumbers(text, language, true)) for (const v of n.values) numbers.add(key(v));
    for (const n of wordNumbers(alnum, false)) for (const v of n.values) numbers.add(key(v));
    for (const m of numericMonths(text)) months.add(m);
  }
  return { language, words, stems, numbers, months, sequence: sequence.join('\n') };
}

// ---------------------------------------------------------------------------------------------
// Quotes

interface Span {
  start: number;
  end: number;
  inner: string;
}

const PAIRS: Readonly<Record<string, string>> = { '“': '”', '"': '"', '‘': '’', '«': '»', '„': '“”', '‹': '›' };

/** Quoted spans of a bullet; an unclosed quote runs to the end. */
function quoteSpans(text: string): Span[] {
  const out: Span[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const closers = PAIRS[c];
    const before = i === 0 ? ' ' : (text[i - 1] ?? ' ');
    // ‘ and " open only at a word's start (’ is also the apostrophe of "Jum’at").
    if (closers === undefined || ((c === '‘' || c === '"') && /[\p{L}\p{N}]/u.test(before))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length) {
      const d = text[j] ?? '';
      if (closers.includes(d) && !(d === '’' && /\p{L}/u.test(text[j + 1] ?? ''))) break;
      j++;
    }
    out.push({ start: i, end: Math.min(j + 1, text.length), inner: text.slice(i + 1, j) });
    i = j + 1;
  }
  return out;
}

function verbatim(inner: string, source: GroundingSource): boolean {
  const fragments = inner.split(/\.{3,}|…|\[\s*\.{0,3}\s*\]/u);
  let checked = 0;
  for (const f of fragments) {
    const r = runs(f);
    if (r.length === 0) continue;
    checked++;
    if (!source.sequence.includes(` ${r.join(' ')} `)) return false;
  }
  return checked > 0 || runs(inner).length === 0;
}

// ---------------------------------------------------------------------------------------------
// One bullet

function inSpans(pos: number, spans: readonly Span[]): boolean {
  return spans.some((s) => pos >= s.start && pos < s.end);
}

/** Does a sentence start at `pos` (nothing but quotes, brackets and spaces since the last stop)? */
function sentenceStart(text: string, pos: number): boolean {
  const before = text.slice(0, pos).replace(/[\s"“”‘’'«»([*_-]+$/u, '');
  return before === '' || /[.!?:;]$/.test(before);
}

function known(w: string, source: GroundingSource): boolean {
  if (source.words.has(w)) return true;
  if (stemsOf(w, source.language).some((s) => source.stems.has(s))) return true;
  if (w.includes('-') || w.includes("'") || w.includes('’')) {
    const parts = w.split(/[-'’]/).filter((p) => p !== '');
    return parts.length > 0 && parts.every((p) => source.words.has(p) || stemsOf(p, source.language).some((s) => source.stems.has(s)));
  }
  return false;
}

function isFunctionWord(w: string): boolean {
  return isStopword(w) || EN_STOP.has(w) || SUMMARY_WORDS.has(w) || CURRENCY.has(w);
}

/** A dictionary word of Indonesian (its stem is a known root), as opposed to a name. */
function dictionaryWord(w: string): boolean {
  if (/(?:nya|lah|kah)$/u.test(w) && w.length > 5) return true;
  const s = stem(w);
  return ROOTS.has(w) || ROOTS.has(s) || (s !== w && s.length >= 3);
}

export function checkBullet(bullet: string, source: GroundingSource, opts: GroundingOptions = {}): BulletVerdict {
  const minCoverage = opts.minCoverage ?? 0.7;
  const maxUnsupported = opts.maxUnsupported ?? 4;
  const text = bullet.replace(/\s+/g, ' ').trim();
  const issues: GroundingIssue[] = [];

  // Quotes: verbatim, or the bullet goes.
  const spans = quoteSpans(text);
  // Facts checked: quoted words, numbers, names and content words. Too few, and there is nothing to
  // vouch for (a bullet of stopwords says nothing, or nothing a reader could hold the article to).
  let facts = 0;
  for (const s of spans) {
    const quoted = runs(s.inner).length;
    if (quoted === 0) continue;
    facts += quoted;
    if (!verbatim(s.inner, source)) issues.push({ kind: 'quote', text: s.inner.trim() });
  }

  // Numbers: each one stated somewhere in the article.
  const lowerRuns = runs(text);
  for (const n of [...digitNumbers(text, source.language, false), ...wordNumbers(lowerRuns, true)]) {
    facts++;
    if (!n.values.some((v) => source.numbers.has(key(v)))) issues.push({ kind: 'number', text: n.text });
  }

  // Names, months and content words.
  let content = 0;
  let supported = 0;
  const unsupported: string[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const raw = m[0];
    const pos = m.index;
    if (inSpans(pos, spans)) continue;
    const w = raw.toLowerCase();
    const capital = /^\p{Lu}/u.test(raw);
    const acronym = raw.length >= 2 && raw === raw.toUpperCase() && /\p{Lu}.*\p{Lu}/u.test(raw);
    const month = MONTHS[w];
    if (month !== undefined && capital) {
      if (!source.months.has(month)) issues.push({ kind: 'date', text: raw });
      continue;
    }
    if (UNITS[w] !== undefined || SE_FORMS[w] !== undefined || SCALES[w] !== undefined || w === 'belas' || w === 'puluh' || w === 'ratus' || w === 'hundred') continue;
    const initial = sentenceStart(text, pos);
    // A capitalized sentence start is a name only when it is no word of the language ("Sayangnya,"
    // and "Mengacu" are words; "Hendra" is a name).
    const name = (!CURRENCY.has(w) && (acronym || (capital && !initial))) || (capital && initial && !isFunctionWord(w) && !dictionaryWord(w) && !known(w, source));
    if (name) {
      content++;
      const ok = source.words.has(w) || stemsOf(w, source.language).some((s) => source.words.has(s)) || (w.includes('-') && w.split('-').every((p) => source.words.has(p)));
      if (ok) supported++;
      else issues.push({ kind: 'name', text: raw });
      continue;
    }
    if (w.length < 2 || isFunctionWord(w)) continue;
    content++;
    if (known(w, source)) supported++;
    else unsupported.push(w);
  }
  const coverage = content === 0 ? 1 : supported / content;
  if (facts + content < 2) issues.push({ kind: 'empty' });
  else if (unsupported.length > 0 && (coverage < minCoverage || unsupported.length > maxUnsupported)) {
    issues.push({ kind: 'content', unsupported, coverage: Math.round(coverage * 100) / 100 });
  }
  return { bullet: text, supported: issues.length === 0, issues, coverage };
}

/** Verdicts for every bullet, and the supported bullets in their order. */
export function groundBullets(bullets: readonly string[], source: GroundingSource, opts: GroundingOptions = {}): { verdicts: BulletVerdict[]; supported: string[] } {
  const verdicts = bullets.map((b) => checkBullet(b, source, opts));
  return { verdicts, supported: verdicts.filter((v) => v.supported).map((v) => v.bullet) };
}

/** A short reason for logs: "number 12; name Hendra". */
export function describeIssues(issues: readonly GroundingIssue[]): string {
  return issues
    .map((i) => {
      switch (i.kind) {
        case 'empty':
          return 'too little to check';
        case 'content':
          return `content ${Math.round(i.coverage * 100)}% (${i.unsupported.slice(0, 5).join(', ')})`;
        default:
          return `${i.kind} ${i.text.slice(0, 60)}`;
      }
    })
    .join('; ');
}
