/**
 * Story URLs: the same article reaches feeds under many spellings (http and https, `www.`, `m.` and
 * `amp.` hosts, `/amp` suffixes, `utm_*` and click ids, a trailing slash). `storyKey` folds them all
 * into one key used for deduplication; `cleanStoryUrl` is the URL shown to readers (tracking gone,
 * host and path as published). Pure: WHATWG URL only.
 */

/** Query parameters that never change which article a URL names. */
const DROP_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'igshid', 'mc_cid', 'mc_eid', '_ga', '_gl',
  'ref', 'referrer', 'ref_src', 'src', 'source', 'from', 'rss', 'xtor', 'cmpid', 'campaign', 'medium', 'spm', 's_cid',
  'amp', 'outputtype', 'output', 'tag_from', 'tagfrom', 'share', 'shared', 'dt', 'utm', 'nocache', 'cb',
]);
/** Parameters dropped only with these values (kompas `?page=all` is the one-page view of the same story). */
const DROP_PARAM_VALUES: Record<string, ReadonlySet<string>> = {
  page: new Set(['all', '1']),
  single: new Set(['1', 'true']),
  view: new Set(['amp', 'full']),
};
/** Host labels that name a mobile or AMP edition of the same site. */
const EDITION_LABELS = new Set(['www', 'm', 'mobile', 'amp', 'wap', 'www1', 'www2']);

function isDroppedParam(key: string, value: string): boolean {
  const k = key.toLowerCase();
  if (k.startsWith('utm_') || k.startsWith('cx_') || k.startsWith('ga_') || k.startsWith('__') || DROP_PARAMS.has(k)) return true;
  return DROP_PARAM_VALUES[k]?.has(value.toLowerCase()) === true;
}

function parse(link: string, base?: string): URL | undefined {
  const s = link.trim();
  if (s === '' || s.length > 4000) return undefined;
  try {
    const url = base === undefined ? new URL(s) : new URL(s, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.hostname === '') return undefined;
    return url;
  } catch {
    return undefined;
  }
}

function keptParams(url: URL): [string, string][] {
  const kept: [string, string][] = [];
  for (const [k, v] of url.searchParams) if (!isDroppedParam(k, v)) kept.push([k, v]);
  return kept;
}

/**
 * The link as readers should get it: absolute (resolved against `base`), http(s) only, without
 * fragment, credentials or tracking parameters. Undefined for anything that is not such a link.
 */
export function cleanStoryUrl(link: string, base?: string): string | undefined {
  const url = parse(link, base);
  if (url === undefined) return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.search !== '') {
    const kept = keptParams(url);
    url.search = kept.length === 0 ? '' : `?${new URLSearchParams(kept).toString()}`;
  }
  return url.href;
}

/** Edition-free host: "m.detik.com" -> "detik.com", "amp.kompas.com" -> "kompas.com". */
export function siteHost(hostname: string): string {
  const labels = hostname.toLowerCase().replace(/\.$/, '').split('.');
  while (labels.length > 2 && EDITION_LABELS.has(labels[0] as string)) labels.shift();
  return labels.join('.');
}

/**
 * The deduplication key of a story URL: scheme-less, edition-free host, path without AMP markers or
 * trailing slash, tracking parameters dropped and the rest sorted. Undefined when not a web link.
 */
export function storyKey(link: string, base?: string): string | undefined {
  const url = parse(link, base);
  if (url === undefined) return undefined;
  const host = siteHost(url.hostname);
  let path = url.pathname.replace(/\/{2,}/g, '/');
  // AMP spellings of one article: a leading /amp/ segment, a trailing /amp or .amp.
  if (path.startsWith('/amp/')) path = path.slice(4);
  path = path.replace(/\/amp\/?$/i, '').replace(/\.amp$/i, '').replace(/\/index\.html?$/i, '');
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '');
  if (path === '') path = '/';
  const kept = keptParams(url).sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  const query = kept.length === 0 ? '' : `?${new URLSearchParams(kept).toString()}`;
  const port = url.port === '' ? '' : `:${url.port}`;
  return `${host}${port}${path}${query}`;
}

/** Host of a URL without edition labels, or "" when it is not a URL. */
export function hostOf(link: string): string {
  const url = parse(link);
  return url === undefined ? '' : siteHost(url.hostname);
}

/**
 * A short, stable, printable hash (two 32-bit FNV-1a variants, 16 hex digits). Pure and fast; not
 * cryptographic: ids of stories, never secrets.
 */
export function stableHash(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

const SECOND_LEVEL = new Set(['co', 'or', 'ac', 'go', 'sch', 'web', 'my', 'net', 'com', 'org', 'gov', 'mil', 'edu', 'biz', 'desa', 'ponpes']);

/** The registrable domain, roughly: "news.detik.com" -> "detik.com", "www.republika.co.id" -> "republika.co.id". */
export function domainOf(host: string): string {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length <= 2) return labels.join('.');
  const n = labels.length;
  const take = labels[n - 1]?.length === 2 && SECOND_LEVEL.has(labels[n - 2] as string) ? 3 : 2;
  return labels.slice(n - take).join('.');
}
