/**
 * Indonesian newsroom boilerplate: the lines a news page (or a copy of one) carries around the
 * story. One table, read top to bottom; the first rule whose pattern matches a whole block
 * decides what the block is. To teach the reader a new kind of chrome, add a row.
 *
 * Patterns run on one cleaned block (whitespace collapsed) of at most MAX_RULE_TEXT characters,
 * are anchored at the start and use only bounded or single-class repetition, so they stay
 * linear however hostile the input.
 */

export type RuleAction =
  /** "Baca juga: <title>": a link the story points to; the captured title goes to `links`. */
  | 'link'
  /** "Baca Juga" alone: the link-like items that follow go to `links`. */
  | 'linkHeading'
  /** "Berita Terkait", "Jangan Lewatkan": the link-like items that follow are dropped. */
  | 'relatedHeading'
  /** "Editor: <name>". */
  | 'editor'
  /** "Penulis: <name>", "Laporan Wartawan <outlet>, <name>". */
  | 'byline'
  /** A photo credit alone: "(AFP PHOTO / HANDOUT / KCTV)", "Foto: Antara/Sigid". */
  | 'credit'
  /** The story's sign-off initials, "(fyk/ash)": kept as the last body line; the story ends. */
  | 'signoff'
  /** Page chrome: dropped. */
  | 'drop'
  /** Chrome that only comes after the story (copyright, "Artikel ini telah tayang"): the story ends. */
  | 'end';

export interface BoilerplateRule {
  id: string;
  action: RuleAction;
  pattern: RegExp;
  /** Capture group holding the value (link title, name, credit); the whole block when absent. */
  group?: number;
  /** Only when the block is short (at most this many characters). */
  maxLength?: number;
}

/** Longer blocks are story text, never chrome (a caption with credit is checked separately). */
export const MAX_RULE_TEXT = 400;

const SEP = String.raw`\s{0,3}[:：\-–—»>|]{1,3}\s{0,3}`;

export const BOILERPLATE_RULES: readonly BoilerplateRule[] = [
  // --- links the story points to ------------------------------------------------------------
  { id: 'read-also', action: 'link', group: 1, maxLength: 300,
    pattern: new RegExp(String.raw`^(?:baca|simak|lihat|cek|klik|tonton)\s{1,3}(?:juga|pula|lagi|berita\s{1,3}(?:lainnya|terkait))${SEP}(\S.*)$`, 'iu') },
  { id: 'related-inline', action: 'link', group: 1, maxLength: 300,
    pattern: new RegExp(String.raw`^(?:pilihan\s{1,3}(?:editor|redaksi)|artikel\s{1,3}terkait|berita\s{1,3}terkait|baca\s{1,3}(?:selengkapnya|berita\s{1,3}lainnya))\s{0,3}[:：»>]\s{0,3}(\S.*)$`, 'iu') },
  { id: 'read-also-heading', action: 'linkHeading',
    pattern: /^(?:baca|simak|lihat)\s{1,3}(?:juga|pula|lagi)\s{0,3}[:：\-–—»>]{0,3}$/iu },
  { id: 'related-heading', action: 'relatedHeading', maxLength: 60,
    pattern: /^(?:berita|artikel|video|foto|topik|tautan|konten)\s{1,3}(?:terkait|terkini|populer|terpopuler|terbaru|lainnya|lain|pilihan|rekomendasi|menarik|unggulan|hari\s{1,3}ini)\b[^.!?]{0,30}$/iu },
  { id: 'related-heading-2', action: 'relatedHeading', maxLength: 60,
    pattern: /^(?:jangan\s{1,3}lewatkan|rekomendasi(?:\s{1,3}untuk\s{1,3}anda)?|pilihan\s{1,3}(?:editor|redaksi)|terpopuler|terkini|populer|most\s{1,3}popular|related(?:\s{1,3}(?:news|articles?|stories))?|read\s{1,3}more|more\s{1,3}stories|tags?|topik|kata\s{1,3}kunci|trending|headline|news\s{1,3}feed)\s{0,3}:?$/iu },

  // --- who wrote and edited it -----------------------------------------------------------------
  { id: 'editor', action: 'editor', group: 1, maxLength: 120,
    pattern: /^(?:editor|penyunting|redaktur|red|editing|disunting\s{1,3}oleh)\s{0,3}[:：]\s{0,3}(\S.*)$/iu },
  { id: 'author', action: 'byline', group: 1, maxLength: 120,
    pattern: /^(?:penulis|reporter|pewarta|wartawan|kontributor|koresponden|oleh|ditulis\s{1,3}oleh|author|writer|by)\s{0,3}[:：]\s{0,3}(\S.*)$/iu },
  { id: 'reporter-report', action: 'byline', group: 1, maxLength: 160,
    pattern: /^laporan\s{1,3}(?:wartawan|reporter|koresponden|kontributor|jurnalis)\s{1,3}[^,]{1,60},\s{0,3}(\S.{0,80})$/iu },

  // --- pictures ---------------------------------------------------------------------------------
  { id: 'photo-credit-label', action: 'credit', group: 1, maxLength: 160,
    pattern: /^[[(]?\s{0,2}(?:foto|photo|sumber\s{1,3}foto|kredit\s{1,3}foto|dok(?:umentasi)?|ilustrasi|image|gambar)\s{0,2}[:：]\s{0,3}([^\])]{1,140})[\])]?$/iu },

  // --- end of the story ---------------------------------------------------------------------
  { id: 'signoff', action: 'signoff', maxLength: 40,
    pattern: /^\(\s{0,2}(?:\*|[\p{L}]{1,6}(?:\s{0,2}\/\s{0,2}[\p{L}]{1,6}){0,5})\s{0,2}\)$/u },
  { id: 'no-scraping', action: 'end', maxLength: 400,
    pattern: /^dilarang\s{1,3}(?:keras\s{1,3})?(?:mengambil|mengutip|menyalin|memperbanyak|menyebarluaskan)\b/iu },
  { id: 'published-elsewhere', action: 'end',
    pattern: /^(?:artikel|berita|tulisan)\s{1,3}ini\s{1,3}(?:telah|sudah|pernah|juga)\s{1,3}(?:tayang|terbit|dimuat|diterbitkan|ditayangkan)\b/iu },
  { id: 'copyright', action: 'end', maxLength: 200,
    pattern: /^(?:©|\(c\)|copyright\b|hak\s{1,3}cipta\b)/iu },
  { id: 'rights-reserved', action: 'end', maxLength: 200,
    pattern: /^[^.]{0,120}\ball\s{1,3}rights?\s{1,3}reserved\b/iu },

  // --- page chrome --------------------------------------------------------------------------
  { id: 'follow-us', action: 'drop', maxLength: 120,
    pattern: /^(?:ikuti|follow|gabung|bergabung)\b[^.]{0,40}\b(?:kami|kita|us|channel|saluran|google\s{1,3}news|instagram|twitter|whatsapp|telegram|tiktok|facebook|youtube)\b/iu },
  { id: 'follow-us-short', action: 'drop', pattern: /^ikuti\s{1,3}(?:kami|kita)(?:\s{1,3}di)?\s{0,3}:?$/iu },
  { id: 'get-updates', action: 'drop', maxLength: 300,
    pattern: /^(?:(?:dapatkan|terima)\s{1,3}(?:update|informasi|berita|notifikasi|kabar)|cek\s{1,3}berita|update\s{1,3}berita)\b[^.]{0,120}\b(?:google\s{1,3}news|whatsapp|telegram|aplikasi|channel|saluran|newsletter|email)\b/iu },
  { id: 'channel-promo', action: 'drop', maxLength: 300,
    pattern: /^(?:simak|pilih|dapatkan|ikuti|gabung|klik|yuk|ayo|follow|cek|baca|kunjungi)\b.{0,250}\b(?:whatsapp\s{1,3}channel|saluran\s{1,3}whatsapp|channel\s{1,3}whatsapp|google\s{1,3}news|telegram\s{1,3}channel|wa\s{1,3}channel)\b/iu },
  { id: 'download-app', action: 'drop', maxLength: 200,
    pattern: /^(?:download|unduh|install|pasang)\s{1,3}(?:aplikasi|app|apps)\b/iu },
  { id: 'share', action: 'drop', maxLength: 60,
    pattern: /^(?:bagikan|share|bagi)(?:\s{1,3}(?:artikel|berita|ini|ke|via|di|this|on)){0,3}\s{0,3}:?(?:\s{1,3}(?:facebook|twitter|whatsapp|telegram|line|email|copy\s{1,3}link|salin\s{1,3}tautan|x)\b\s{0,3}){0,8}$/iu },
  { id: 'newsletter', action: 'drop', maxLength: 200,
    pattern: /^(?:jangan\s{1,3}sampai\s{1,3}ketinggalan|berlangganan|langganan|subscribe|daftar(?:kan)?)\b[^.!]{0,100}\b(?:newsletter|email|e-mail|berita|notifikasi|update)\b/iu },
  { id: 'newsletter-done', action: 'drop', maxLength: 120,
    pattern: /^(?:success|sukses|berhasil|terima\s{1,3}kasih)!?$|^email\s{1,3}(?:berhasil|anda\s{1,3}telah)\b/iu },
  { id: 'font-size', action: 'drop', pattern: /^(?:A\s{0,2}A|A[+-]\s{0,2}A[+-]?|aa)$/u },
  { id: 'watch-video', action: 'drop', maxLength: 160,
    pattern: /^(?:simak|saksikan|tonton|lihat)\s{1,3}(?:juga\s{1,3})?(?:video|vidio|tayangan|live|siaran|foto)\b[^.]{0,120}$/iu },
  { id: 'ad', action: 'drop', maxLength: 60,
    pattern: /^(?:advertisement|iklan|sponsored|scroll\s{1,3}to\s{1,3}(?:continue|resume)(?:\s{1,3}(?:with\s{1,3})?content)?|lanjutkan\s{1,3}membaca|konten\s{1,3}berbayar|ads)$/iu },
  // Every token a pager word, a number or an arrow ("Halaman 1 2 3 Selanjutnya"); each token
  // can be read one way only (numbers end at a non-digit), so failing costs no backtracking.
  { id: 'pagination', action: 'drop', maxLength: 80,
    pattern: /^(?:(?:(?:halaman|hal|page|selanjutnya|berikutnya|sebelumnya|next|prev|previous|awal|akhir|first|last|dari|of)\b|\d{1,3}(?!\d)|[»«>|….<])\s{0,3}){1,24}$|^(?:tampilkan|lihat)\s{1,3}(?:semua|semuanya|dalam\s{1,3}satu\s{1,3}halaman)$|^show\s{1,3}all$/iu },
  { id: 'embed-placeholder', action: 'drop', maxLength: 120, pattern: /^\[(?:gambas|embed|video|baca)\s{0,2}:[^\]]{0,100}\]$/iu },
  { id: 'tags-line', action: 'drop', maxLength: 300, pattern: /^(?:tags?|topik|kata\s{1,3}kunci|keywords?)\s{0,3}:\s{0,3}\S/iu },
  { id: 'fewer-ads', action: 'drop', maxLength: 200,
    pattern: /^(?:baca\s{1,3}berita\s{1,3}dengan\s{1,3}sedikit\s{1,3}iklan|klik\s{1,3}di\s{1,3}sini\s{1,3}untuk)\b/iu },
  { id: 'views', action: 'drop', maxLength: 60,
    pattern: /^\|?\s{0,3}[\d.,]{1,12}\s{0,3}(?:k\s{0,2})?(?:views|kali\s{1,3}dibaca|dibaca|shares?|komentar|comments?)$/iu },
  { id: 'comments', action: 'drop', maxLength: 80,
    pattern: /^(?:komentar|tulis\s{1,3}komentar|kirim\s{1,3}komentar|beri\s{1,3}komentar|lihat\s{1,3}komentar|laporkan|report|credits?\s{0,3}\(\d{1,3}\)|\d{1,6}\s{1,3}(?:komentar|comments?))\s{0,3}:?$/iu },
  { id: 'source-label', action: 'drop', maxLength: 40,
    pattern: /^(?:sumber|source)\s{0,3}:?$/iu },
];

export interface RuleMatch {
  rule: BoilerplateRule;
  /** The captured value (title, name, credit), cleaned; the whole block when the rule captures nothing. */
  value: string;
}

/** The first rule matching a whole block, if any. */
export function matchRule(text: string): RuleMatch | undefined {
  if (text.length > MAX_RULE_TEXT) return undefined;
  for (const rule of BOILERPLATE_RULES) {
    if (rule.maxLength !== undefined && text.length > rule.maxLength) continue;
    const m = rule.pattern.exec(text);
    if (m === null) continue;
    const value = (rule.group !== undefined ? m[rule.group] : m[0]) ?? '';
    return { rule, value: value.trim() };
  }
  return undefined;
}

/** "Penulis: A | Editor: B" on one line: each segment a byline or editor label. */
export function labelSegments(text: string): RuleMatch[] | undefined {
  if (text.length > 300 || !/\s[|•·/]\s/.test(text)) return undefined;
  const parts = text.split(/\s[|•·/]\s/);
  const matches: RuleMatch[] = [];
  for (const part of parts) {
    const m = matchRule(part.trim());
    if (m === undefined || (m.rule.action !== 'editor' && m.rule.action !== 'byline')) return undefined;
    matches.push(m);
  }
  return matches;
}

/** The byline and editor labels a line carries ("Editor: X", "Penulis: A | Editor: B"), if that is all it is. */
export function matchLabels(text: string): RuleMatch[] | undefined {
  const segments = labelSegments(text);
  if (segments !== undefined) return segments;
  const m = matchRule(text);
  return m !== undefined && (m.rule.action === 'editor' || m.rule.action === 'byline') ? [m] : undefined;
}

/** Text that starts like a byline or editor label (cheap pre-test before matchLabels). */
export const LABEL_START = /^\s*(?:(?:editor|penyunting|redaktur|penulis|reporter|pewarta|wartawan|kontributor|koresponden|laporan\s+(?:wartawan|reporter|koresponden|kontributor|jurnalis))\b|red\s{0,3}:)/iu;

// --- photo credits at the end of a caption ------------------------------------------------------

/** Words that make a bracketed tail a photo credit and nothing else. */
const PHOTO_WORD =
  /(?:^|[\s/(])(?:foto|photo|photos|dok|dok\.|dokumentasi|ist|istimewa|ilustrasi|getty(?:\s+images)?|shutterstock|handout|pool|tangkapan\s+layar|screenshot)(?:$|[\s/).:])/iu;
/** Picture agencies and platforms: a credit under a picture, but also a story's source line. */
const SOURCE_WORD =
  /(?:^|[\s/(])(?:reuters|afp|ap|epa|xinhua|anadolu|kcna|kctv|antara|bernama|kyodo|youtube|instagram|twitter|x\.com)(?:$|[\s/).:])/iu;
/** Sign-off initials look like "(fyk/ash)"; a credit names a source or a person. */
const INITIALS = /^\s*[\p{Ll}*]{1,6}(?:\s*\/\s*[\p{Ll}]{1,6}){0,5}\s*$/u;

export interface CreditSplit {
  caption: string;
  credit: string;
}

/**
 * How sure a bracketed tail must be to count as a credit: 'photo' needs a photo word ("FOTO",
 * "Dok.", "Istimewa") or a ©; 'source' also takes an agency ("(Reuters)"), right for a line under
 * a picture; 'loose' also takes any "(Source/Name)", for text known to be a caption.
 */
export type CreditLevel = 'photo' | 'source' | 'loose';

/**
 * Splits a photo credit off the end of a caption: "Presiden ... (ANTARA FOTO/Budi Setya)",
 * "Brandon Salim/©KapanLagi.com®/M. Akrom Sukarya", "Galaxy S6 Edge & S6 (ist)".
 */
export function splitCredit(text: string, level: CreditLevel = 'source'): CreditSplit | undefined {
  const t = text.trim();
  const copy = t.indexOf('©');
  if (copy >= 0 && copy < t.length - 2) {
    const slash = t.lastIndexOf('/', copy);
    const before = slash >= 0 && copy - slash <= 3 ? t.slice(0, slash) : t.slice(0, copy);
    const credit = t.slice(copy + 1).replace(/®/g, '').replace(/\s*\/\s*/g, ' / ').trim();
    if (credit.length > 0 && credit.length <= 120) return { caption: before.trim(), credit: credit.replace(/^\/\s*/, '') };
  }
  const end = t.endsWith(').') ? t.length - 2 : t.endsWith(')') ? t.length - 1 : -1;
  if (end > 0) {
    const open = t.lastIndexOf('(', end);
    if (open >= 0 && end - open <= 120) {
      const inner = t.slice(open + 1, end).trim();
      if (/^\p{L}/u.test(inner)) {
        const ok = PHOTO_WORD.test(inner)
          || (!INITIALS.test(inner) && level !== 'photo' && SOURCE_WORD.test(inner))
          || (!INITIALS.test(inner) && level === 'loose' && inner.includes('/') && inner.split(/\s+/).length <= 10);
        if (ok) return { caption: t.slice(0, open).trim(), credit: inner.replace(/^(?:foto|photo)\s{0,2}:\s{0,2}/iu, '') };
      }
    }
  }
  if (level === 'loose') {
    // "Antara/Teresia May" alone, or "KOMPAS.COM/MASRIADI Penyidik Polres ..." (credit first).
    if (t.length <= 80 && /^[\p{L}\d.]{2,30}\s?\/\s?\p{Lu}[\p{L}.'-]*(?:\s\p{Lu}[\p{L}.'-]*){0,3}$/u.test(t)) return { caption: '', credit: t };
    const lead = /^([\p{L}\d.]{2,30}\s?\/\s?(?:[\p{Lu}.'-]+\s){0,4}[\p{Lu}.'-]+)\s+(?=\p{Lu}\p{Ll})/u.exec(t);
    if (lead !== null) return { caption: t.slice(lead[0].length).trim(), credit: lead[1] ?? '' };
  }
  const label = /(?:^|[\s.])(?:foto|photo)\s{0,2}:\s{0,3}([^:]{2,100})$/iu.exec(t.length > 200 ? t.slice(-200) : t);
  if (label !== null) {
    const start = t.length - label[0].length;
    return { caption: t.slice(0, start).trim(), credit: (label[1] ?? '').trim() };
  }
  return undefined;
}

/** The story's sign-off at the end of its last paragraph: "... terhadap Pyongyang.(*)", "... (fyk/ash)". */
export function endsWithSignoff(text: string): boolean {
  const tail = text.length > 40 ? text.slice(-40) : text;
  return /(?:\(\s?\*\s?\)|\(\s?\p{L}{1,6}(?:\s?\/\s?\p{L}{1,6}){1,5}\s?\))$/u.test(tail);
}
