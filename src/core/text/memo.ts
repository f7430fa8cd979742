/**
 * A bounded memo for pure functions of a word. The text layer looks up the same few thousand
 * surface forms over and over (every article says "mengatakan" and "Jakarta"); computing what a
 * form is once and keeping it makes the per-token work one map lookup. Results never depend on
 * what is cached: when the memo is full it simply starts over.
 */
export class WordMemo<V> {
  private map = new Map<string, V>();

  constructor(
    private readonly compute: (word: string) => V,
    private readonly limit = 50_000,
  ) {}

  get(word: string): V {
    const hit = this.map.get(word);
    if (hit !== undefined) return hit;
    const v = this.compute(word);
    if (this.map.size >= this.limit) this.map = new Map();
    this.map.set(word, v);
    return v;
  }
}
