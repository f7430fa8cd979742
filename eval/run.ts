/**
 * `npm run eval`: quality on ../shared/data, printed as tables, with the bars the reader is held to.
 *  - summary: ROUGE-1/2/L F1 on IndoSum dev.01, 3 sentences, beside LEAD-3 measured in the same run
 *    (also on each half: "a" = even-indexed articles the weights were tuned on, "b" = the others);
 *  - extraction: shingle F1 on the 9 shared pages beside Readability.js + jsdom, titles, dates;
 *  - quotes: recall, precision and speaker accuracy on the hand-annotated set (dev and held-out);
 *  - grounding: the abstractive-summary check on faithful and altered IndoSum summary sentences.
 */
import { evalExtraction, formatExtraction } from './extraction.js';
import { evalGrounding, formatGrounding } from './grounding.js';
import { evalQuotes, quoteEvalReport } from './quotes.js';
import { evalRelated, formatRelated } from './related.js';
import { hasSharedData, sharedDataDir } from './shared.js';
import { evalSummary, formatRows } from './summary.js';

interface Bar {
  what: string;
  ok: boolean;
  detail: string;
}

async function main(): Promise<void> {
  const bars: Bar[] = [];
  const out = (s: string): void => void process.stdout.write(`${s}\n`);
  out(`Ringkas eval — data: ${sharedDataDir}${hasSharedData() ? '' : ' (ABSENT: data-driven parts skipped)'}\n`);

  const all = await evalSummary();
  if (all === null) {
    out('summary: IndoSum data absent, skipped\n');
  } else {
    const a = (await evalSummary({ half: 'a' })) ?? [];
    const b = (await evalSummary({ half: 'b' })) ?? [];
    out('Summary, IndoSum dev.01, 3 sentences (ROUGE F1 x100)');
    out(formatRows(all));
    out('\n  half a (even-indexed, tuned on)');
    out(formatRows(a));
    out('\n  half b (odd-indexed)');
    out(formatRows(b));
    out('');
    const r = all.find((x) => x.system === 'Ringkas');
    const lead = all.find((x) => x.system === 'LEAD-3');
    if (r !== undefined && lead !== undefined) {
      bars.push({
        what: 'summary ROUGE-1 and ROUGE-2 >= LEAD-3 + 1',
        ok: r.r1 >= lead.r1 + 1 && r.r2 >= lead.r2 + 1,
        detail: `R-1 ${r.r1.toFixed(2)} vs ${lead.r1.toFixed(2)}, R-2 ${r.r2.toFixed(2)} vs ${lead.r2.toFixed(2)}`,
      });
    }
  }

  const ex = await evalExtraction();
  if (ex === null) {
    out('extraction: shared pages absent, skipped\n');
  } else {
    out(formatExtraction(ex));
    out('');
    const r = ex.find((x) => x.system === 'Ringkas');
    const peer = ex.find((x) => x.system !== 'Ringkas');
    if (r !== undefined && peer !== undefined) {
      bars.push({ what: 'extraction F1 >= 0.95 and above Readability.js + jsdom', ok: r.f1 >= 0.95 && r.f1 > peer.f1, detail: `${r.f1.toFixed(3)} vs ${peer.f1.toFixed(3)}` });
      bars.push({ what: 'titles exact on all pages', ok: r.titlesExact === r.pages, detail: `${r.titlesExact}/${r.pages}` });
      bars.push({ what: 'dates right to the day where given', ok: r.datesRight === r.datesTotal, detail: `${r.datesRight}/${r.datesTotal}` });
    }
  }

  out('Quotes, hand-annotated set (test/fixtures/quotes/annotations.json)');
  out(quoteEvalReport());
  out('');
  const q = evalQuotes('all');
  bars.push({
    what: 'quotes recall >= 0.9, precision >= 0.9, speaker accuracy >= 0.85 (all, >= 40 quotes)',
    ok: q.recall >= 0.9 && q.precision >= 0.9 && q.speakerAccuracy >= 0.85 && q.gold >= 40,
    detail: `${q.gold} quotes: R ${q.recall.toFixed(3)}, P ${q.precision.toFixed(3)}, speaker ${q.speakerAccuracy.toFixed(3)}`,
  });

  const rel = evalRelated();
  if (rel === null) {
    out('related stories: Tempo data absent, skipped\n');
  } else {
    out('Related stories, hand-judged Tempo queries (test/fixtures/related/tempo-related.json)');
    out(formatRelated(rel));
    out('');
    const r = rel.find((x) => x.system.startsWith('Ringkas'));
    const base = rel.find((x) => !x.system.startsWith('Ringkas'));
    if (r !== undefined && base !== undefined) {
      bars.push({ what: 'related precision@5 >= 0.8 and above TF-IDF cosine', ok: r.p5 >= 0.8 && r.p5 > base.p5, detail: `${r.p5.toFixed(3)} vs ${base.p5.toFixed(3)} over ${r.queries} queries` });
    }
  }

  const g = evalGrounding();
  if (g === null) {
    out('grounding: IndoSum data absent, skipped\n');
  } else {
    out(`Grounding check of abstractive bullets, IndoSum dev.01 (${g.articles} articles; see eval/grounding.ts)`);
    out(formatGrounding(g));
    out('');
    bars.push({
      what: 'grounding accepts >= 90% of faithful bullets, rejects >= 90% with a changed number, name or quote',
      ok: g.faithful.accepted >= 0.9 * g.faithful.total && g.number.rejected >= 0.9 * g.number.total && g.name.rejected >= 0.9 * g.name.total && g.quote.rejected >= 0.9 * g.quote.total,
      detail: `accepted ${((100 * g.faithful.accepted) / g.faithful.total).toFixed(1)}%, rejected number/name/quote ${((100 * g.number.rejected) / Math.max(1, g.number.total)).toFixed(1)}/${((100 * g.name.rejected) / Math.max(1, g.name.total)).toFixed(1)}/${((100 * g.quote.rejected) / Math.max(1, g.quote.total)).toFixed(1)}%`,
    });
  }

  out('Bars');
  for (const bar of bars) out(`  ${bar.ok ? 'ok    ' : 'MISSED'}  ${bar.what}: ${bar.detail}`);
}

await main();
