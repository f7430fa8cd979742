/**
 * Feed text -> plain text. Feed titles and descriptions are HTML fragments more often than not
 * (`<img ...>Sebanyak 29 penerbangan ...`, `&amp;nbsp;`, `<br clear='all'/>`, ad links): tags are
 * dropped, entities decoded, whitespace collapsed. Linear-time regular expressions only.
 */

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
  ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„',
  laquo: '«', raquo: '»', bull: '•', middot: '·', copy: '©', reg: '®', trade: '™', deg: '°', times: '×',
  divide: '÷', plusmn: '±', frac12: '½', frac14: '¼', frac34: '¾', euro: '€', pound: '£', yen: '¥', cent: '¢',
  sect: '§', para: '¶', iexcl: '¡', iquest: '¿', shy: '',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', ccedil: 'ç',
  egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï',
  ntilde: 'ñ', ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ', ouml: 'ö', oslash: 'ø',
  ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý', yuml: 'ÿ', szlig: 'ß',
  Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å', Ccedil: 'Ç',
  Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Iacute: 'Í', Ntilde: 'Ñ', Oacute: 'Ó', Ouml: 'Ö', Uacute: 'Ú', Uuml: 'Ü',
};

const ENTITY_RE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));?/g;

/** Decodes HTML character references; unknown names stay as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY_RE, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined || hex !== undefined) {
      const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex as string, 16);
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
      if (cp === 13) return '\n';
      return String.fromCodePoint(cp);
    }
    const v = NAMED[name as string];
    return v !== undefined ? v : whole;
  });
}

// All linear: a tag ends at the next '>' but never runs past another '<'; an unclosed block or
// comment runs to the end in one match.
// Elements whose content is never text a reader sees.
const DROP_BLOCK_RE = /<(script|style|noscript|iframe|object|svg|template)\b[^<>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const COMMENT_RE = /<!--[\s\S]*?(?:-->|$)/g;
const CDATA_RE = /<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g;
const BREAK_RE = /<(?:br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/blockquote)\b[^<>]*>/gi;
const TAG_RE = /<\/?([a-zA-Z][a-zA-Z0-9]*)(?![a-zA-Z0-9])[^<>]*>|<[!?][^<>]*>/g;
/** Inline elements: removing them must not split a word from its punctuation ("<b>naik</b>."). */
const INLINE = new Set(['a', 'b', 'i', 'u', 'em', 'strong', 'span', 'font', 'small', 'sub', 'sup', 'abbr', 'cite', 'code', 'q', 's', 'mark', 'time', 'bdi', 'bdo']);

function dropTag(_whole: string, name: string | undefined): string {
  return name !== undefined && INLINE.has(name.toLowerCase()) ? '' : ' ';
}

/**
 * An HTML fragment (or text that might be one) -> plain text on one line per paragraph.
 * `maxChars` bounds the work on giant descriptions (default 20,000 characters of input).
 */
export function htmlToText(input: string | undefined, maxChars = 20_000): string {
  if (input === undefined) return '';
  let s = input.length > maxChars ? input.slice(0, maxChars) : input;
  if (s.includes('<')) {
    s = s.replace(CDATA_RE, '$1').replace(COMMENT_RE, ' ').replace(DROP_BLOCK_RE, ' ').replace(BREAK_RE, '\n').replace(TAG_RE, dropTag);
  }
  s = decodeEntities(s);
  // Entities may have hidden a second layer of markup (`&lt;p&gt;`), as double-escaped feeds do.
  if (/<\/?[a-zA-Z][^<>]*>/.test(s)) s = s.replace(BREAK_RE, '\n').replace(TAG_RE, dropTag);
  return s
    .replace(/[\u00a0\t\f\v\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/** One line of plain text (titles). */
export function htmlToLine(input: string | undefined, maxChars = 2_000): string {
  return htmlToText(input, maxChars).replace(/\s*\n\s*/g, ' ').trim();
}
