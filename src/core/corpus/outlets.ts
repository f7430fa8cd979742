/**
 * Outlet display names: from the story's host first (so that a feed served by an aggregator still
 * names the newsroom), then the feed's host, then the feed's own title, then the bare host.
 */
import { hostOf } from './url.js';

const KNOWN: Record<string, string> = {
  'antaranews.com': 'Antara',
  'kompas.com': 'Kompas',
  'kompas.id': 'Kompas',
  'detik.com': 'Detik',
  'tribunnews.com': 'Tribunnews',
  'cnnindonesia.com': 'CNN Indonesia',
  'cnbcindonesia.com': 'CNBC Indonesia',
  'tempo.co': 'Tempo',
  'liputan6.com': 'Liputan6',
  'republika.co.id': 'Republika',
  'okezone.com': 'Okezone',
  'suara.com': 'Suara',
  'bbc.co.uk': 'BBC Indonesia',
  'bbc.com': 'BBC Indonesia',
  'kumparan.com': 'kumparan',
  'merdeka.com': 'Merdeka',
  'viva.co.id': 'VIVA',
  'idntimes.com': 'IDN Times',
  'jpnn.com': 'JPNN',
  'jawapos.com': 'Jawa Pos',
  'sindonews.com': 'SINDOnews',
  'beritasatu.com': 'Beritasatu',
  'mediaindonesia.com': 'Media Indonesia',
  'katadata.co.id': 'Katadata',
  'bisnis.com': 'Bisnis.com',
  'kontan.co.id': 'Kontan',
  'thejakartapost.com': 'The Jakarta Post',
  'voaindonesia.com': 'VOA Indonesia',
  'inews.id': 'iNews',
  'tirto.id': 'Tirto',
};

function known(host: string): string | undefined {
  if (host === '') return undefined;
  const labels = host.split('.');
  // news.detik.com, nasional.kompas.com, satu.tempo.co: try the host, then without its first labels.
  for (let i = 0; i < labels.length - 1; i++) {
    const name = KNOWN[labels.slice(i).join('.')];
    if (name !== undefined) return name;
  }
  return undefined;
}

/** "ANTARA News - Berita Terkini" -> "ANTARA News"; "news.detik" stays. */
function fromFeedTitle(title: string | undefined): string | undefined {
  if (title === undefined) return undefined;
  const first = (title.split(/\s[-–—|:]\s/)[0] ?? '').trim();
  return first === '' || first.length > 40 ? undefined : first;
}

export function outletName(storyUrl: string, feedUrl: string, feedTitle?: string): string {
  return known(hostOf(storyUrl)) ?? known(hostOf(feedUrl)) ?? fromFeedTitle(feedTitle) ?? (hostOf(storyUrl) || hostOf(feedUrl) || 'web');
}
