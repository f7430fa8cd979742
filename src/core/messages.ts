/**
 * The one place where error identifiers become words for people: short, polite, Indonesian by
 * default, English where the user's locale is English. No stack traces, no internals.
 */
import type { ErrorCode } from './errors.js';
import { RingkasError } from './errors.js';

export type Locale = 'id' | 'en';

/** Maps a platform locale ("en-US", "id", "en_GB", undefined) to one we speak. */
export function toLocale(tag: string | null | undefined): Locale {
  return tag !== null && tag !== undefined && /^en\b/i.test(tag.replace('_', '-')) ? 'en' : 'id';
}

type Template = (d: Readonly<Record<string, string | number>>) => string;

/** " (isinya gambar)" / " (it is a PDF)" from a content type in the error details; "" when unknown. */
function kindOf(d: Readonly<Record<string, string | number>>, locale: Locale): string {
  const raw = d['contentType'] ?? d['type'];
  if (typeof raw !== 'string' || raw === '') return '';
  const type = raw.toLowerCase();
  const words: [RegExp, string, string][] = [
    [/^image\//, 'gambar', 'an image'],
    [/pdf$/, 'dokumen PDF', 'a PDF document'],
    [/^video\//, 'video', 'a video'],
    [/^audio\//, 'audio', 'audio'],
    [/(zip|compressed|octet-stream)/, 'berkas unduhan', 'a download'],
    [/(rss|atom|xml)/, 'umpan RSS/XML', 'an RSS/XML feed'],
  ];
  const hit = words.find(([re]) => re.test(type));
  const what = hit !== undefined ? (locale === 'id' ? hit[1] : hit[2]) : type.slice(0, 60);
  return locale === 'id' ? ` (isinya ${what})` : ` (it is ${what})`;
}

const MESSAGES: Record<ErrorCode, Record<Locale, Template>> = {
  EMPTY_INPUT: {
    id: () => 'Maaf, tidak ada teks atau tautan yang bisa saya baca. Kirim tautan berita atau tempel teks artikelnya.',
    en: () => 'Sorry, there is no text or link for me to read. Send a news link or paste the article text.',
  },
  INPUT_TOO_LARGE: {
    id: (d) => `Maaf, teks itu terlalu panjang untuk saya baca${d['limit'] !== undefined ? ` (batasnya ${String(d['limit'])})` : ''}.`,
    en: (d) => `Sorry, that text is too long for me to read${d['limit'] !== undefined ? ` (the limit is ${String(d['limit'])})` : ''}.`,
  },
  INVALID_URL: {
    id: () => 'Maaf, tautan itu tidak bisa saya kenali. Periksa lagi alamatnya, ya.',
    en: () => 'Sorry, I could not make sense of that link. Please check the address.',
  },
  UNSUPPORTED_SCHEME: {
    id: () => 'Maaf, saya hanya bisa membuka tautan http:// atau https://.',
    en: () => 'Sorry, I can only open http:// or https:// links.',
  },
  PRIVATE_ADDRESS: {
    id: () => 'Maaf, tautan itu mengarah ke alamat jaringan internal, jadi tidak saya buka.',
    en: () => 'Sorry, that link points to an internal network address, so I will not open it.',
  },
  DNS_FAILED: {
    id: (d) => `Maaf, situs ${String(d['host'] ?? 'itu')} tidak ditemukan. Periksa lagi alamatnya, ya.`,
    en: (d) => `Sorry, the site ${String(d['host'] ?? '')} could not be found. Please check the address.`.replace('  ', ' '),
  },
  CONNECT_FAILED: {
    id: () => 'Maaf, situs berita itu tidak bisa dihubungi saat ini. Coba lagi nanti.',
    en: () => 'Sorry, that news site cannot be reached right now. Please try again later.',
  },
  FETCH_TIMEOUT: {
    id: () => 'Maaf, situs berita itu terlalu lama menjawab. Coba lagi sebentar lagi.',
    en: () => 'Sorry, that news site took too long to answer. Please try again shortly.',
  },
  BUSY: {
    id: () => 'Maaf, situs itu sedang lambat dan banyak permintaan mengantre. Coba lagi sebentar lagi, ya.',
    en: () => 'Sorry, that site is slow right now and many requests are waiting in line. Please try again in a moment.',
  },
  TOO_MANY_REDIRECTS: {
    id: () => 'Maaf, tautan itu terlalu sering dialihkan, jadi saya berhenti mengikutinya.',
    en: () => 'Sorry, that link redirects too many times, so I stopped following it.',
  },
  HTTP_ERROR: {
    id: (d) => `Maaf, situs berita itu menjawab dengan galat${d['status'] !== undefined ? ` ${String(d['status'])}` : ''}. Coba lagi nanti.`,
    en: (d) => `Sorry, that news site answered with an error${d['status'] !== undefined ? ` ${String(d['status'])}` : ''}. Please try again later.`,
  },
  NOT_FOUND: {
    id: () => 'Maaf, halaman itu tidak ditemukan (mungkin sudah dihapus atau dipindahkan).',
    en: () => 'Sorry, that page was not found (it may have been removed or moved).',
  },
  TOO_LARGE: {
    id: () => 'Maaf, halaman itu terlalu besar untuk saya baca.',
    en: () => 'Sorry, that page is too large for me to read.',
  },
  UNSUPPORTED_CONTENT_TYPE: {
    id: (d) => `Maaf, tautan itu bukan halaman berita${kindOf(d, 'id')}. Saya hanya bisa membaca halaman web atau teks.`,
    en: (d) => `Sorry, that link is not a news page${kindOf(d, 'en')}. I can only read web pages or text.`,
  },
  NOT_AN_ARTICLE: {
    id: () => 'Maaf, saya tidak menemukan artikel berita di halaman itu. Kirim tautan ke satu artikel, ya.',
    en: () => 'Sorry, I could not find a news article on that page. Please send a link to a single article.',
  },
  SCRIPT_ONLY_PAGE: {
    id: () => 'Maaf, halaman itu hanya bisa dibaca lewat JavaScript di peramban, jadi isinya tidak bisa saya ambil.',
    en: () => 'Sorry, that page only renders with JavaScript in a browser, so I cannot read its content.',
  },
  BINARY_INPUT: {
    id: () => 'Maaf, isinya bukan teks yang bisa dibaca.',
    en: () => 'Sorry, that content is not readable text.',
  },
  FILE_NOT_FOUND: {
    id: (d) => `Maaf, berkas ${String(d['path'] ?? '')} tidak ditemukan.`.replace('  ', ' '),
    en: (d) => `Sorry, the file ${String(d['path'] ?? '')} was not found.`.replace('  ', ' '),
  },
  STORE_UNAVAILABLE: {
    id: () => 'Maaf, penyimpanan Ringkas sedang bermasalah. Bacaan tetap jalan, tetapi langganan belum bisa diubah.',
    en: () => 'Sorry, Ringkas storage is having trouble. Readings still work, but subscriptions cannot be changed yet.',
  },
  RATE_LIMITED: {
    id: (d) => `Tunggu sebentar, ya${d['seconds'] !== undefined ? `: coba lagi dalam ${String(d['seconds'])} detik` : ''}.`,
    en: (d) => `Please wait a moment${d['seconds'] !== undefined ? `: try again in ${String(d['seconds'])} seconds` : ''}.`,
  },
  FORBIDDEN: {
    id: (d) =>
      d['platform'] === 'telegram'
        ? 'Maaf, hanya admin grup yang bisa mengubah ringkasan harian di sini.'
        : 'Maaf, hanya anggota dengan izin Kelola Saluran (Manage Channels) yang bisa mengubah ringkasan harian di sini.',
    en: (d) =>
      d['platform'] === 'telegram'
        ? 'Sorry, only group administrators can change the daily digest here.'
        : 'Sorry, only members with the Manage Channels permission can change the daily digest here.',
  },
  UNKNOWN_COMMAND: {
    id: () => 'Maaf, perintah itu tidak saya kenal. Ketik /help untuk melihat daftar perintah.',
    en: () => 'Sorry, I do not know that command. Type /help to see the commands.',
  },
  BAD_OPTION: {
    id: (d) => `Maaf, ${String(d['hint'] ?? 'pilihan perintah itu tidak sesuai')}.`,
    en: (d) => `Sorry, ${String(d['hintEn'] ?? 'that command option is not valid')}.`,
  },
  BAD_INPUT: {
    id: (d) => `Maaf, masukan itu tidak bisa saya baca${d['hint'] !== undefined ? `: ${String(d['hint'])}` : ''}.`,
    en: (d) => `Sorry, I could not read that input${d['hintEn'] !== undefined ? `: ${String(d['hintEn'])}` : ''}.`,
  },
  NO_RESULTS: {
    id: (d) => `Maaf, belum ada berita tentang “${String(d['query'] ?? '')}”.`,
    en: (d) => `Sorry, there are no stories about “${String(d['query'] ?? '')}” yet.`,
  },
  INTERNAL: {
    id: () => 'Maaf, terjadi kesalahan di pihak Ringkas. Coba lagi sebentar lagi.',
    en: () => 'Sorry, something went wrong on our side. Please try again shortly.',
  },
};

const ABSTRACTIVE_LABEL: Record<Locale, string> = {
  id: 'Ringkasan AI, diperiksa terhadap artikel',
  en: 'AI summary, checked against the article',
};

/** The small print under a summary that a model wrote and the grounding check passed. */
export function abstractiveSummaryLabel(locale: Locale = 'id'): string {
  return ABSTRACTIVE_LABEL[locale];
}

/** The user-facing sentence for an error code in a locale. */
export function messageFor(code: ErrorCode, locale: Locale = 'id', details: Readonly<Record<string, string | number>> = {}): string {
  return MESSAGES[code][locale](details);
}

/** The user-facing sentence for anything thrown (unknown errors become INTERNAL, never a stack trace). */
export function userMessage(e: unknown, locale: Locale = 'id'): string {
  if (e instanceof RingkasError) return messageFor(e.code, locale, e.details);
  return messageFor('INTERNAL', locale);
}
