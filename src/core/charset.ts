/**
 * Bytes of a fetched page -> text, choosing the character encoding the way a browser would, plus
 * one correction browsers do not make but the Indonesian web needs: pages whose bytes are UTF-8
 * while the header or a <meta> claims latin-1 / windows-1252 / ASCII are decoded as UTF-8.
 *
 * Order: byte-order mark; charset parameter of the Content-Type header; <meta charset> or
 * <meta http-equiv="content-type"> in the first PRESCAN_BYTES bytes; otherwise UTF-8 (or
 * windows-1252 when nothing was declared and the bytes are mostly not UTF-8).
 *
 * Pure: only the global TextDecoder (WHATWG Encoding; Node 20 ships full ICU), except for
 * windows-1252: Node 20's TextDecoder decodes that label (and latin1/iso-8859-1/ascii, which
 * WHATWG maps to it) as plain ISO-8859-1, turning 0x80-0x9F (“ ” ‘ ’ – — € …) into invisible C1
 * controls, so windows-1252 is decoded here from the WHATWG index.
 */

export interface DecodedText {
  text: string;
  /** Canonical WHATWG name of the encoding used: "utf-8", "windows-1252", "iso-8859-15", ... */
  charset: string;
}

/** How many leading bytes are searched for a <meta> charset declaration. */
export const PRESCAN_BYTES = 4096;

/**
 * Declared single-byte encodings that are often a lie about UTF-8 bytes (WHATWG maps the
 * "iso-8859-1", "latin1", "ascii" and "us-ascii" labels to windows-1252).
 */
const OFTEN_MISLABELLED = new Set(['windows-1252', 'iso-8859-15']);

/** Decodes an HTML (or plain text) document's bytes. */
export function decodeHtmlBytes(bytes: Uint8Array, contentType?: string): DecodedText {
  const bom = bomEncoding(bytes);
  if (bom !== undefined) {
    // TextDecoder strips the BOM itself when it matches the encoding.
    return { text: new TextDecoder(bom).decode(bytes), charset: bom };
  }

  const declared =
    resolveLabel(charsetFromContentType(contentType)) ?? resolveMetaLabel(prescanMetaCharset(bytes));

  if (declared === undefined) {
    const utf8 = tryStrictUtf8(bytes);
    if (utf8 !== undefined) return { text: utf8, charset: 'utf-8' };
    // Nothing declared and not clean UTF-8: a legacy page, or UTF-8 with a few broken bytes.
    const { valid, invalid } = countUtf8Sequences(bytes);
    const charset = valid >= invalid ? 'utf-8' : 'windows-1252';
    return { text: decodeAs(charset, bytes), charset };
  }

  if (OFTEN_MISLABELLED.has(declared) && hasHighBytes(bytes)) {
    // Any byte >= 0x80 in a strictly valid UTF-8 document is part of a multi-byte sequence;
    // real windows-1252 text practically never forms valid UTF-8 by accident.
    const utf8 = tryStrictUtf8(bytes);
    if (utf8 !== undefined) return { text: utf8, charset: 'utf-8' };
  }

  return { text: decodeAs(declared, bytes), charset: declared };
}

/** Decodes bytes in a supported encoding (a canonical WHATWG name). */
function decodeAs(encoding: string, bytes: Uint8Array): string {
  return encoding === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(encoding).decode(bytes);
}

/** WHATWG index-windows-1252 for bytes 0x80-0x9F; the rest map to the same code point. */
const CP1252_HIGH = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

/** windows-1252 bytes -> text (every byte maps to one BMP code point). */
export function decodeWindows1252(bytes: Uint8Array): string {
  const CHUNK = 8192;
  let out = '';
  const units = new Uint16Array(Math.min(CHUNK, bytes.length));
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    for (let i = start; i < end; i++) {
      const b = bytes[i] ?? 0;
      units[i - start] = b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? b) : b;
    }
    out += String.fromCharCode(...units.subarray(0, end - start));
  }
  return out;
}

/**
 * The `charset` parameter of a Content-Type value, unquoted, or undefined.
 * `text/html; charset="ISO-8859-1"` -> `ISO-8859-1`.
 */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"',]+))/i.exec(contentType);
  if (!m) return undefined;
  const value = (m[1] ?? m[2] ?? m[3] ?? '').trim();
  return value === '' ? undefined : value;
}

/**
 * Finds a charset declared by a <meta> element in the first PRESCAN_BYTES bytes, or undefined.
 * Comments are skipped; both `<meta charset=...>` and
 * `<meta http-equiv="Content-Type" content="text/html; charset=...">` count.
 */
export function prescanMetaCharset(bytes: Uint8Array): string | undefined {
  // Latin-1 keeps one char per byte, so ASCII markup is readable whatever the real encoding.
  const head = latin1(bytes.subarray(0, PRESCAN_BYTES)).replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  const metaRe = /<meta(?=[\s/])([^>]*)>?/gi;
  for (let m = metaRe.exec(head); m !== null; m = metaRe.exec(head)) {
    const attrs = parseAttributes(m[1] ?? '');
    const charset = attrs.get('charset');
    if (charset !== undefined && charset.trim() !== '') return charset.trim();
    const httpEquiv = attrs.get('http-equiv');
    const content = attrs.get('content');
    if (httpEquiv?.trim().toLowerCase() === 'content-type' && content !== undefined) {
      // The WHATWG "extract a character encoding from a meta element" rule: charset=... anywhere.
      const cm = /charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))/i.exec(content);
      const fromContent = (cm?.[1] ?? cm?.[2] ?? cm?.[3])?.trim();
      if (fromContent !== undefined && fromContent !== '') return fromContent;
    }
  }
  return undefined;
}

/** Canonical encoding name for a label, or undefined when the label is unknown or unsupported. */
function resolveLabel(label: string | undefined): string | undefined {
  if (label === undefined) return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/** A <meta> can't declare UTF-16 (the bytes it was read from were ASCII-compatible). */
function resolveMetaLabel(label: string | undefined): string | undefined {
  if (label !== undefined && label.trim().toLowerCase() === 'x-user-defined') return 'windows-1252';
  const enc = resolveLabel(label);
  if (enc === 'utf-16le' || enc === 'utf-16be') return 'utf-8';
  return enc;
}

function bomEncoding(b: Uint8Array): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function tryStrictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function hasHighBytes(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b >= 0x80) return true;
  return false;
}

/** Counts well-formed multi-byte UTF-8 sequences and stray bytes >= 0x80. */
function countUtf8Sequences(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  const cont = (i: number): boolean => {
    const b = bytes[i];
    return b !== undefined && b >= 0x80 && b <= 0xbf;
  };
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    let len = 0;
    if (b < 0x80) len = 1;
    else if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) len = 3;
    else if (b >= 0xf0 && b <= 0xf4) len = 4;
    if (len === 1) {
      i += 1;
      continue;
    }
    let ok = len > 0;
    for (let k = 1; ok && k < len; k++) ok = cont(i + k);
    if (ok) {
      valid += 1;
      i += len;
    } else {
      invalid += 1;
      i += 1;
    }
  }
  return { valid, invalid };
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  const CHUNK = 1024;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return s;
}

/** Attribute names (lowercased) to values from the inside of a start tag. First one wins. */
function parseAttributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!attrs.has(name)) attrs.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}
