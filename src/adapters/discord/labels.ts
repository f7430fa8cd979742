/** The Discord adapter's own words (buttons, menus, follow-ups), Indonesian and English. */
import type { Locale } from '../../core/messages.js';

export const LABELS = {
  id: {
    fullSummary: 'Ringkasan lengkap',
    moreQuotes: 'Kutipan lainnya',
    related: 'Berita terkait',
    chooseStory: 'Pilih berita untuk dibuka',
    fullSummaryHeading: 'Ringkasan lengkap',
    moreQuotesHeading: 'Kutipan lainnya',
    relatedHeading: 'Berita terkait',
    alreadyFull: 'Ringkasan di atas sudah memuat semua kalimat penting artikel ini.',
    noMoreQuotes: 'Tidak ada kutipan lain di artikel ini.',
    noRelated: 'Belum ada berita terkait lain yang Ringkas kenal.',
    expired: 'Tombol ini sudah kedaluwarsa. Jalankan /berita lagi untuk membuka beritanya.',
    cannotOpen: 'Berita itu tidak punya tautan yang bisa dibuka.',
    restarting: 'Ringkas sedang dimulai ulang. Coba lagi sebentar lagi.',
  },
  en: {
    fullSummary: 'Full summary',
    moreQuotes: 'More quotes',
    related: 'Related stories',
    chooseStory: 'Choose a story to open',
    fullSummaryHeading: 'Full summary',
    moreQuotesHeading: 'More quotes',
    relatedHeading: 'Related stories',
    alreadyFull: 'The summary above already holds every key sentence of this article.',
    noMoreQuotes: 'There are no other quotes in this article.',
    noRelated: 'Ringkas knows no other related stories yet.',
    expired: 'This button has expired. Run /berita again to open the story.',
    cannotOpen: 'That story has no link to open.',
    restarting: 'Ringkas is restarting. Please try again in a moment.',
  },
} as const satisfies Record<Locale, Record<string, string>>;
