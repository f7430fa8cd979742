import { describe, expect, it } from 'vitest';
import { evalRelated, loadLabels, loadTempoItems } from '../../../eval/related.js';

const items = loadTempoItems();
if (items === null) console.warn('related eval: ../shared/data/tempo is absent: the data-driven case is SKIPPED');

describe('related-stories labels', () => {
  it('are well formed: at least 30 queries, none judged both ways, at least 5 relevant each', () => {
    const { labels, source } = loadLabels();
    expect(source).toMatch(/tempo-rss/);
    expect(labels.length).toBeGreaterThanOrEqual(30);
    for (const l of labels) {
      const rel = new Set(l.relevant);
      expect(l.notRelevant.some((u) => rel.has(u)), l.title).toBe(false);
      expect(rel.has(l.query), l.title).toBe(false);
      expect(l.relevant.length, l.title).toBeGreaterThanOrEqual(5);
    }
  });

  it.skipIf(items === null)('every labelled link is a Tempo item, and Ringkas beats plain TF-IDF with P@5 >= 0.8', () => {
    const links = new Set((items ?? []).map((o) => o.link));
    for (const l of loadLabels().labels) for (const u of [l.query, ...l.relevant, ...l.notRelevant, ...(l.duplicates ?? [])]) expect(links.has(u), u).toBe(true);
    const rows = evalRelated();
    const ringkas = rows?.find((r) => r.system === 'Ringkas related');
    const baseline = rows?.find((r) => r.system.startsWith('TF-IDF'));
    expect(ringkas?.p5).toBeGreaterThanOrEqual(0.8);
    expect(ringkas?.p5).toBeGreaterThan(baseline?.p5 ?? 1);
  }, 60_000);
});
