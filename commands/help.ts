/** /help: what Ringkas does and how to ask it. */
import type { Command } from './index.js';

const TEXT = {
  id: [
    'Ringkas membacakan berita Indonesia untuk Anda: ringkasan, kutipan penting (siapa berkata apa) dan berita terkait.',
    '',
    '• /berita <tautan> — ringkasan satu artikel berita',
    '• /berita <kata kunci> — cari berita yang sudah Ringkas kenal',
    '• /berita <teks artikel> — tempel teks artikel untuk diringkas',
    '• /digest 07:00 WIB [topik] — ringkasan berita harian di sini; /digest status, /digest off',
    '• /help — bantuan ini',
  ].join('\n'),
  en: [
    'Ringkas reads Indonesian news for you: a summary, key quotes (who said what) and related stories.',
    '',
    '• /berita <link> — the summary of one news article',
    '• /berita <keywords> — search the stories Ringkas knows',
    '• /berita <article text> — paste an article to summarize it',
    '• /digest 07:00 WIB [topics] — a daily news digest here; /digest status, /digest off',
    '• /help — this help',
  ].join('\n'),
} as const;

export default {
  data: {
    name: 'help',
    description: { id: 'Cara memakai Ringkas', en: 'How to use Ringkas' },
    usage: { id: '/help', en: '/help' },
    options: [],
  },
  async execute(_input, ctx) {
    return { locale: ctx.locale, kind: 'info', title: 'Ringkas', blocks: [{ type: 'text', text: TEXT[ctx.locale] }], buttons: [] };
  },
} satisfies Command;
