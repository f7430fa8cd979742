/**
 * Which language is a body written in? Counts the function words of Indonesian, English and
 * Javanese (ngoko and krama); "und" when the text is too short or matches none of them well.
 */

const PROFILES: Readonly<Record<'id' | 'en' | 'jv', ReadonlySet<string>>> = {
  id: new Set([
    'yang', 'dan', 'di', 'ke', 'dari', 'ini', 'itu', 'dengan', 'untuk', 'tidak', 'dalam', 'akan', 'pada',
    'juga', 'adalah', 'atau', 'oleh', 'karena', 'sudah', 'telah', 'bahwa', 'mereka', 'kami', 'kata', 'saat',
    'lebih', 'ada', 'tersebut', 'para', 'seperti', 'hingga', 'menjadi', 'masih', 'namun', 'setelah', 'belum',
    'harus', 'bagi', 'sebagai', 'dia', 'ia', 'secara', 'sebuah', 'kepada', 'tetapi', 'tapi', 'jika', 'agar',
    'sangat', 'antara', 'yakni', 'serta', 'tak', 'bisa', 'dapat',
  ]),
  en: new Set([
    'the', 'and', 'of', 'to', 'in', 'is', 'that', 'for', 'it', 'was', 'on', 'with', 'as', 'are', 'be', 'by',
    'this', 'at', 'from', 'have', 'has', 'said', 'not', 'but', 'his', 'they', 'an', 'which', 'were', 'will',
    'been', 'their', 'who', 'would', 'had', 'after', 'also', 'its', 'we', 'or', 'more', 'about', 'than',
  ]),
  jv: new Set([
    'lan', 'ing', 'sing', 'karo', 'iku', 'ora', 'wis', 'kanggo', 'saka', 'marang', 'utawa', 'iki', 'kuwi',
    'amarga', 'nalika', 'dening', 'bakal', 'isih', 'kabeh', 'sampun', 'boten', 'mboten', 'menika', 'punika',
    'ingkang', 'kaliyan', 'dados', 'saged', 'wonten', 'nggih', 'kula', 'panjenengan', 'arep', 'banjur',
    'nanging', 'kudu', 'durung', 'kang', 'dadi', 'uga', 'ana', 'sak', 'supaya', 'wong', 'kanthi', 'tansah',
    'sawise', 'sadurunge', 'ugi', 'badhe', 'sedaya', 'ngendikan', 'jarene', 'opo', 'aku', 'kowe',
  ]),
};

const WORD = /\p{L}+/gu;

/** ISO 639-1 code of the text's language: "id", "en", "jv", or "und". */
export function detectLanguage(text: string): string {
  const sample = text.length > 20_000 ? text.slice(0, 20_000) : text;
  const counts = { id: 0, en: 0, jv: 0 };
  let total = 0;
  for (const m of sample.toLowerCase().matchAll(WORD)) {
    total += 1;
    const w = m[0];
    if (PROFILES.id.has(w)) counts.id += 1;
    if (PROFILES.en.has(w)) counts.en += 1;
    if (PROFILES.jv.has(w)) counts.jv += 1;
  }
  if (total < 4) return 'und';
  const ranked = (Object.entries(counts) as ['id' | 'en' | 'jv', number][]).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (best === undefined || second === undefined) return 'und';
  if (best[1] < 2 || best[1] / total < 0.08) return 'und';
  if (best[1] === second[1]) return 'und';
  return best[0];
}
