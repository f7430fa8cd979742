/**
 * The Article model: what the reader knows about one news article, whatever it came from
 * (an HTML page, pasted text, a file). Pure data; see article.ts for html/text -> Article.
 */

export interface ArticleImage {
  /** Absolute URL of the lead image; absent when only a caption is known (pasted text). */
  url?: string;
  /** The caption as published ("Foto tangkapan layar ..."), never part of the body. */
  caption?: string;
  /** Photo credit ("AFP PHOTO / HANDOUT / KCTV"). */
  credit?: string;
}

/** A link the article itself points readers to ("Baca juga: ..."). */
export interface ArticleLink {
  title: string;
  url?: string;
}

export interface Dateline {
  /** The place, normalised for display: "Pyongyang", "Jakarta", "Mataram, NTB". */
  place: string;
  /** The marker exactly as it opens the first paragraph: "PYONGYANG, TRIBUNAMBON.COM -". */
  marker: string;
  /** The outlet named in the marker, when it names one ("TRIBUNAMBON.COM", "ANTARA News"). */
  outlet?: string;
}

export interface Article {
  /** The URL the article was read from (after redirects), when it came from the web. */
  url?: string;
  /** rel=canonical / og:url, absolute. */
  canonicalUrl?: string;
  title: string;
  /** Author / byline ("Penulis: ..."), without the label. */
  byline?: string;
  /** Editor ("Editor: ..."), without the label. */
  editor?: string;
  /** ISO 8601 timestamp of publication when the page or text gives one. */
  publishedAt?: string;
  siteName?: string;
  image?: ArticleImage;
  dateline?: Dateline;
  /** Body paragraphs as published, boilerplate removed; the first keeps its dateline marker. */
  paragraphs: string[];
  /** "Baca juga" and similar links found in the body. */
  links: ArticleLink[];
  /** ISO 639-1 guess of the body language: "id", "en", "jv", or "und". */
  language: string;
  /** Further pages of a multi-page article (absolute URLs), in order, not yet merged. */
  nextPages?: string[];
}

export interface Quote {
  /** The quoted words, without the quotation marks, joined across sentences. */
  text: string;
  /** Who said it, resolved to the full first mention ("pejabat pertahanan Korea Utara"), or null. */
  speaker: string | null;
  /** Index of the paragraph the quote starts in. */
  paragraph: number;
  /** Salience, higher is more important; quotes are returned best first. */
  score: number;
}

export interface RelatedStory {
  id?: string;
  url?: string;
  title: string;
  score: number;
}

/** Sentences of the article itself, or a model's bullet points checked against the article. */
export type SummaryKind = 'extractive' | 'abstractive';

/** Everything the reader says about one article. */
export interface Reading {
  article: Article;
  /**
   * Summary sentences, in article order, dateline marker stripped; or, with `summaryKind`
   * 'abstractive', a model's bullet points that passed the grounding check.
   */
  summary: string[];
  /** Which kind the summary is; absent where abstractive summaries are not configured (extractive). */
  summaryKind?: SummaryKind;
  quotes: Quote[];
  keywords: string[];
  related: RelatedStory[];
}
