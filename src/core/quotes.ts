/**
 * Key quotes: the direct quotations of an Indonesian news article and who said them.
 *
 *   extractQuotes(paragraphs, { title, max }) -> Quote[] (best first)
 *
 * How it works, in four passes over the body (all linear in its length; per-quote work is
 * bounded by small windows, so a 10 MB paragraph full of quote marks stays fast):
 *
 * 1. Quote marks. Double marks (“ ” " „ ‟ « ») are collected per paragraph and paired by a tiny
 *    dynamic programme over two states (outside/inside): each mark may open, close or be skipped
 *    as stray, with costs from its glyph and what touches it (`, "ucap` closes even though it
 *    looks like an opener; an odd straight quote is dropped where that costs least). A paragraph
 *    may end inside a quote: when the next paragraph reopens with a mark, the newsroom
 *    convention for a quotation running over several paragraphs, the parts are joined. Single
 *    marks (‘ ’ ') are never paired: inside a quotation they are nested quotes and stay in its
 *    text; outside, they are scare quotes or apostrophes. A dateline marker opening the first
 *    paragraph ("PYONGYANG, TRIBUNAMBON.COM -") is skipped entirely.
 *
 * 2. Key or not. A quotation is a key quote when it is a clause somebody says, not a phrase the
 *    writer borrows. Rule (w = words in the quote):
 *    - a clause quote (it stands as a sentence of its own: opens the sentence, or follows a
 *      speech verb, "menurut X," or "X:", and ends the sentence; or it carries an attribution
 *      after it, `"…," kata X`) is key when w >= 3;
 *    - a quote embedded in running text is key when w >= 10, or when w >= 5, a speech verb
 *      precedes it in the same sentence and the word before the opening mark is not one that
 *      introduces a term or title ("yang", "sebagai", "oleh", "terhadap", "berjudul", ...).
 *    So "pembelian potensial", 'tutup mulut', "hak yang sah" (after "menegaskan kembali" but
 *    not a clause) and "dibuat oleh AS dan pasukan bawahannya" (after "yang") are not key;
 *    `Kim ... surat ... yang mengatakan “kerja sama, dukungan, dan solidaritas ...”` is.
 *
 * 3. Speakers. After the quote: `"…," kata/ujar/ucap/tutur/... X` (X cut before "di", "saat",
 *    "kepada", "seperti", a day name, a verb, ...; relative clauses dropped, appositions split on
 *    commas), any
 *    `"…," <verb>nya` (ujarnya, bongkarnya) and `kata dia`; `"…" demikian pernyataan X`. An
 *    unclosed quote that carries `, kata X` inside is cut there. Before the quote, in its
 *    sentence: the nearest speech verb (mengatakan, menegaskan, mengklarifikasi, ...) and its
 *    subject (walking back over parentheticals like ", dalam sebuah surat ...,", stopping at
 *    "bahwa", "setelah", "dengan", ...; `yang mengatakan` after a letter or statement goes back to
 *    the sentence subject), `menurut X,`, `X:`, or a statement noun ("pernyataan", "surat") whose
 *    clause subject wrote it. Otherwise (a quote standing alone, `"…," kata X. "…"`), the speaker
 *    is the most recent mention.
 *    Mentions are the subjects of speech verbs (not those inside reported speech, not plurals such
 *    as "beberapa pihak"), `menurut X`, `kata X`, "diungkapkan oleh X" and the speakers of earlier
 *    quotes; named sentence subjects ("Honda akhirnya memutuskan ...") are weak mentions, used
 *    only when no speaker is in reach. "ia", "dia", "beliau", "-nya" and missing speakers resolve
 *    to the latest mention;
 *    "pejabat itu" / "politisi Partai Hanura itu" (a demonstrative epithet) to the latest mention
 *    with the same head noun, else the latest named one; a bare role ("kata Kapolsek") to the
 *    named person that role was given to. Phrases become a clean name when they hold one
 *    ("Vedant Patel, wakil juru bicara ..." -> "Vedant Patel"; "juru bicara keamanan nasional
 *    John Kirby" -> "John Kirby", ranks and titles such as AKBP or dr dropped), else a role
 *    phrase without articles, relative clauses or demonstratives ("seorang pejabat pertahanan
 *    Korea Utara yang tidak disebutkan namanya" -> "pejabat pertahanan Korea Utara"). Short names
 *    are completed from their fullest mention ("Kim" -> "Kim Jong Un"), aliases followed
 *    ("akrab disapa Dani"). Null when nobody can be found.
 *
 * 4. Salience: length within reason, a named speaker (a role counts half), words shared with the
 *    title and the lead, and position; ties keep article order. Deterministic.
 *
 * Bounds: at most MAX_MARKS quote marks and MAX_CANDIDATES quotations per body are read, names
 * are indexed over its first INDEX_CHARS characters. Pure: no I/O, no clock.
 */
import type { Quote } from './article-types.js';
import { ASCII_CLASS, LETTER, NUMBER, SPACE, classAt, codeAt, codesOf, unitClass, widthAt } from './text/chars.js';
import { Lexicon, type WordStore } from './text/lexicon.js';
import { nextLetterWord, nextQuoteToken } from './text/scan.js';

export interface QuoteOptions {
  /** The article title; quotes sharing its words rank higher. */
  title?: string;
  /** At most this many quotes (default 5). */
  max?: number;
  /** The article's word table, when the caller shares one between readers (readArticle does). */
  lexicon?: Lexicon;
}

export const DEFAULT_MAX_QUOTES = 5;

/** Quotes longer than this many characters are cut (with "…") in the output. */
const MAX_QUOTE_CHARS = 1200;
/** Past this many candidate quotations the rest of a (pathological) body is ignored. */
const MAX_CANDIDATES = 400;
/** Quote marks paired per body; past them a (pathological) body is not read further. */
const MAX_MARKS = 4000;
/** How far back (characters) the sentence before a quote is looked at. */
const PRE_WINDOW = 360;
/** How far after a closing mark its attribution is looked for. */
const POST_WINDOW = 220;
/** Text indexed for names (the first this many characters of the body). */
const INDEX_CHARS = 60_000;
/** Mentions older than this many paragraphs are not used to resolve "ia"/"-nya". */
const MENTION_PARAGRAPHS = 12;

// ---------------------------------------------------------------------------------------------
// Lexicons (lowercase)
// ---------------------------------------------------------------------------------------------

const set = (s: string): ReadonlySet<string> => new Set(s.trim().split(/\s+/));

/** Attribution verbs used after a quote: `"…," kata X`, and their -nya forms. */
const POST_VERBS = set(`
  kata ujar ucap tutur ungkap jelas tambah lanjut tegas imbuh pungkas sebut terang papar tukas tandas
  tutup bongkar seloroh cetus kilah aku sambung timpal urai beber tulis bilang sahut jawab tanya
  pesan kenang akui klaim terangkan katakan ungkapkan tegaskan tambahkan jelaskan paparkan
`);

/** Speech and stance verbs whose subject speaks: `X mengatakan, "…"`. */
const PRE_VERBS = set(`
  mengatakan menyatakan menegaskan menjelaskan menyebut menyebutkan mengungkapkan mengungkap menambahkan
  mengaku mengakui menilai berharap mengharapkan mencontohkan menyarankan menyesalkan mengklaim mengeklaim
  meminta mengimbau menekankan mengklarifikasi berkata menuturkan memaparkan menerangkan menyampaikan
  mengemukakan melanjutkan mengingatkan menduga memastikan menganggap berpendapat menyadari menginginkan
  menuding menuduh membantah menampik mengkritik mengutarakan membeberkan menandaskan menukas menimpali
  berujar bertutur berucap mengucapkan menulis berbunyi mengumumkan menanggapi menjawab bertanya menanyakan
  mengeluhkan memperingatkan menyerukan mengisahkan menceritakan bercerita menguraikan berpesan menyinggung
  mempertanyakan yakin optimistis optimis pesimistis mengutuk mengecam menolak mendesak mengajak mengisyaratkan menjanjikan
  mengingatkan menyebutnya mengatakannya berjanji bersumpah mengusulkan menyoroti menyindir mengkhawatirkan
  mengeklaim mengonfirmasi mengkonfirmasi membenarkan mencuit mengunggah menulis menyimpulkan
`);

/** Verbs that report speech only when what was said follows: "meminta agar", "melanjutkan, ...". */
const WEAK_PRE_VERBS = set(`melanjutkan meminta menolak mengajak mendesak menyebut mengakui mengutuk mengecam menulis menjawab menanggapi menilai`);

/** Nouns that carry somebody's words: `mencantumkan pernyataan "…"`, `surat yang mengatakan "…"`. */
const STATEMENT_NOUNS = set(`pernyataan surat pesan tulisan cuitan unggahan bunyi kalimat rilis keterangan laporan dokumen buku bukunya isu kabar rumor berita`);

const PRONOUNS = set(`ia dia beliau dirinya mereka`);

/** Passive speech verbs whose agent follows "oleh": "Hal ini diungkapkan oleh X". */
const SPEECH_PASSIVES = set(`diungkapkan disampaikan dikatakan dijelaskan ditegaskan dinyatakan diumumkan diutarakan dipaparkan disebutkan dikemukakan diakui diucapkan dinyatakan`);

const DEMONSTRATIVES = set(`itu ini tersebut`);

/** Words after which the speaker phrase ends: `kata X di Jakarta`, `ujar X saat ...`. */
const SPEAKER_STOP = set(`
  di ke saat ketika dalam kepada pada seperti usai seusai selepas sebelum setelah sesudah melalui lewat
  dikutip mengutip dilansir dilaporkan kemarin sambil seraya sembari kala sewaktu terkait soal mengenai
  tentang menanggapi sebagaimana sesuai menggunakan menambahkan menjelaskan menegaskan melanjutkan
  mengatakan lagi pula juga pun baru sendiri kepadanya dan atau namun tetapi tapi sedangkan sementara
  kepada via dengan untuk bahwa menurut ujar kata tadi dari oleh demi atas bersama adalah merupakan ialah
  lebih
`);

const DAYS = set(`senin selasa rabu kamis jumat jum'at sabtu minggu ahad`);

/** Words that end a subject when walking back from a speech verb. */
const CLAUSE_BOUNDARY = set(`
  bahwa setelah sebelum ketika saat sementara sedangkan karena namun tetapi tapi dan serta sehingga dengan
  sambil jika bila apabila meski meskipun walaupun walau sebab agar supaya hingga sampai lalu kemudian
  yang usai seusai selepas padahal bahkan maka akhirnya ketika sejak selain kalau
`);

/** Words that open a parenthetical segment before a verb: `X, dalam sebuah surat ..., mengatakan`. */
const PARENTHETICAL_OPENERS = set(`
  dalam saat ketika di kepada melalui lewat pada usai seusai selepas sebelum setelah seperti sambil
  selain kala sewaktu menurut dikutip mengutip dilansir ditemui dihubungi saat sesuai terkait
`);

/** Adverbs and auxiliaries between a subject and its verb: "Ronaldo sendiri sebelumnya sudah menegaskan". */
const AUXILIARIES = set(`
  juga telah sudah pun kemudian lalu pernah sempat akan tidak tak belum masih kembali hanya bahkan terus
  secara tegas turut ikut justru malah sendiri sebelumnya pula lagi sekali kini langsung pun pernah
  sebenarnya memang tetap selalu sering bisa dapat mampu harus wajib perlu ingin mau hendak segera baru
  setidaknya sedang tengah lantas pun
`);

/** Words before an opening mark that introduce a term or title, not speech. */
const TERM_INTRODUCERS = set(`
  yang sebagai oleh dari terhadap untuk dengan tentang soal bertajuk berjudul bernama disebut dijuluki
  istilah julukan sebutan tombol lagu film program buku album acara judul label kategori status frasa
  kata slogan tagar semboyan jargon tema motto bertema berlabel menjadi jadi atas akan
`);

/** Leading words dropped from a speaker phrase. */
const ARTICLES = set(`seorang sang si para sejumlah beberapa salah satu`);

/** Ranks, honorifics and academic titles dropped before a name (they mark a name follows). */
const HONORIFICS = set(`
  akp akbp kompol iptu ipda aiptu aipda bripka brigpol briptu bripda kombes kombespol brigjen irjen komjen
  letjen mayjen marsekal laksamana kolonel letkol mayor serka pratu kapt dr drg prof ir h hj kh drs dra
  pak bu bapak ibu sdr mr mrs ms tuan nyonya syekh habib ustaz ustadz gus kiai kyai mbak mas bung
  dr. prof. ir. h. hj. komisaris besar ajun inspektur brigadir letnan sersan
`);

/** Role nouns: the head of phrases such as "juru bicara keamanan nasional John Kirby". */
const ROLE_WORDS = set(`
  presiden wakil wapres menteri menko ketua ketum sekjen sekretaris direktur dirut kepala kabag kasubdit
  kasat kapolsek kapolres kapolda kapolri kajari kajati kabid kadis kasi kasie kasubag gubernur wagub bupati
  wabup walikota wali camat lurah juru bicara jubir pejabat pelatih manajer kapten pemain gelandang striker
  penyerang bek kiper mantan eks anggota staf ahli pakar pengamat peneliti analis profesor dosen guru
  dokter presdir ceo cfo cto coo founder co-founder pendiri pemilik pimpinan pemimpin komandan panglima
  kapuspen kabareskrim sumber aktor aktris penyanyi sutradara produser politisi politikus legislator
  senator duta dubes konsul konjen hakim jaksa pengacara kuasa penyidik polisi petugas warga saksi korban
  tersangka terdakwa istri suami ayah anak kakak adik putra putri plt plh pj deputi asisten rektor dekan
  uskup imam ustaz kiai tim pihak kubu perwakilan juara bos pendukung tokoh pengusaha pebisnis pedagang
  nelayan petani buruh mahasiswa siswa pelajar ketua-ketua kadiv kabiro karo kasubbag kanit kapolsubsektor
  kasatreskrim kasatlantas kapolresta kapolrestabes danramil dandim danrem pangdam kasad kasal kasau
  kepala-kepala menpora mendagri menlu menkeu mendikbud menkes menag mentan mendag menperin menaker
  menhan menkominfo sesmenpora sesmen menpar menpan menristekdikti menteri-menteri raksasa perusahaan pria wanita perempuan lelaki remaja pemuda bocah
  jurnalis wartawan pembawa penulis pengarang komisaris chairman vice president direktorat kepala
  pelaksana koordinator seniman musisi penyanyi artis selebriti model atlet pebulu pebalap petinju bintang
  pegolf perenang pesepakbola pebasket kapolsek
`);

/** Capitalised words that name organisations, offices or fields, not people. */
const ORG_WORDS = set(`
  kementerian kemenkeu dinas badan dewan komisi direktorat ditjen jenderal polda polres polsek polri
  polresta polrestabes kodim korem kodam pengadilan negeri tinggi kejaksaan kejari kejati universitas
  fakultas rumah sakit partai pt tbk persero bank kantor divisi bagian seksi urusan umum humas pusat daerah
  kabupaten kota provinsi desa kecamatan kelurahan sekolah komite panitia pelaksana federasi asosiasi
  persatuan ikatan lembaga yayasan institut departemen gedung putih istana pemerintah pemkab pemkot pemprov
  utama pertama muda madya pembinaan penegakan hukum komunikasi publik kebudayaan pariwisata pertanian
  keuangan perdagangan perindustrian pendidikan kesehatan agama sosial luar dalam pertahanan keamanan
  perhubungan kelautan perikanan kehutanan lingkungan hidup energi sumber daya mineral pekerjaan
  perumahan rakyat tenaga kerja pemuda olahraga riset teknologi informatika koperasi ekonomi kreatif
  aparatur negara reformasi birokrasi pendayagunaan hak asasi manusia nasional internasional regional
  operasional eksekutif olimpiade timnas klub berita militer intelijen reserse kriminal reskrim
  ditreskrimum ditreskrimsus satreskrim lalu lintas mahkamah agung konstitusi majelis perwakilan daerah
  tentara angkatan darat laut udara kepolisian republik kerajaan pemerintahan sekretariat biro balai
  otoritas jasa bursa efek perusahaan grup group inc corp ltd co university college institute club
  team department ministry office news agency council committee association federation league liga
  united city fc sc real stadion bandara pelabuhan terminal stasiun jalan jl masjid gereja pura vihara
  hotel restoran pasar mall mal plaza tower menara bandar kepala bidang wilayah cabang ranting sektor
  subdit unit satuan tugas satgas kelompok koalisi fraksi front gerakan aliansi serikat forum perhimpunan
  program proyek operasi media works group holding holdings studio studios labs games gaming entertainment
  pictures records capital ventures partners digital technologies technology solutions systems networks
  foundation finance creative data informasi bencana penanggulangan perjuangan perekonomian koordinator
  bidang product management marketing sales kemaritiman maritim
`);

/** Places often in role phrases ("Presiden Rusia Vladimir Putin"), not names of people. */
const PLACE_WORDS = set(`
  indonesia jakarta korea utara selatan barat timur tengah rusia amerika serikat china tiongkok cina
  jepang inggris britania prancis perancis jerman italia spanyol belanda australia malaysia singapura
  thailand filipina vietnam india pakistan iran irak suriah turki arab saudi mesir israel palestina
  ukraina brasil brazil argentina portugal kanada meksiko afrika eropa asia uni pasifik atlantik jawa
  sumatera sumatra kalimantan sulawesi papua bali aceh banten lampung bandung surabaya medan makassar
  semarang yogyakarta jogja pyongyang washington moskow moskwa beijing tokyo seoul london paris istanbul
  mataram ntb ntt dki jabar jateng jatim sumut sumbar sulsel kaltim kalbar riau jambi bengkulu maluku
  gorontalo denpasar bogor depok bekasi tangerang solo malang palembang pontianak manado kupang ambon
  korut korsel jayapura batam pekanbaru padang senayan kuningan menteng dunia global selandia baru qatar yordania
  lebanon afghanistan myanmar kamboja laos brunei bangladesh nepal tibet taiwan hongkong hong kong
`);

// ---------------------------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------------------------

const DOUBLE_MARKS = '"“”„‟«»';
const OPENING_GLYPHS = '“„‟«';
const CLOSING_GLYPHS = '”»';

function isDoubleMark(ch: string): boolean {
  return ch.length === 1 && DOUBLE_MARKS.includes(ch);
}

function isSpace(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\u00a0' || ch === '\u2009' || ch === '\u200b';
}

const WORD_CHAR_RE = /[\p{L}\p{N}]/u;
const UPPER_RE = /\p{Lu}/u;

function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined || ch === '') return false;
  const c = codeAt(ch, 0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return WORD_CHAR_RE.test(ch);
}

function isUpper(ch: string | undefined): boolean {
  if (ch === undefined || ch === '') return false;
  const c = codeAt(ch, 0);
  if (c < 128) return c >= 65 && c <= 90;
  return UPPER_RE.test(ch);
}

/** Whitespace (including no-break space) collapsed, trimmed. */
function squash(s: string): string {
  // most text is already squashed but for its ends: single spaces, no other white space
  for (let i = 0; i < s.length; i++) {
    const c = codeAt(s, i);
    if (c === 32 ? !isSquashed(codeAt(s, i + 1)) : !isSquashed(c)) return s.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
  }
  return s.trim();
}

/** Whether a character (NaN past the end) is not one that {@link squash} replaces. */
function isSquashed(c: number): boolean {
  return c !== c || (c !== 0x200b && (unitClass(c) & SPACE) === 0);
}

interface Tok {
  t: string;
  /** `t` in lowercase (kept in the word store: the passes ask it of the same tokens again and again). */
  l: string;
  /** Offset in the string it was cut from. */
  at: number;
  /** What the token is ({@link tokenFacts}). */
  f: number;
  /** Its number in the reading's lexicon (-1 for a token made up, not read). */
  k: number;
}

/** The token starts with a capital (isUpper of its first character). */
const UPPER_FIRST = 1;
/** The token starts with a letter or digit (isWordChar of its first character). */
const WORD_FIRST = 2;
/** {@link isNameTok}. */
const NAME_WORD = 4;
/** {@link mayTrigger}. */
const TRIGGER = 8;
/** A double quote mark. */
const DOUBLE_MARK = 16;
/** Opens with a digit, "(" or an opening quote: may open a sentence after a space. */
const OPENER_FIRST = 32;
/** An abbreviation ("dr", "H") or a single capital: a "." after it ends no sentence. */
const ABBREVIATION = 64;
/** ". ", "!" or "?": may end a sentence ({@link endsSentence}). */
const TERMINATOR = 128;
/** ".". */
const STOP = 256;

/** The facts of a token that the passes over every token ask, computed once per form (kept in the word store). */
function tokenFacts(t: string): number {
  return (
    (isUpper(t[0]) ? UPPER_FIRST : 0) |
    (isWordChar(t[0]) ? WORD_FIRST : 0) |
    (isNameTok(t) ? NAME_WORD : 0) |
    (mayTrigger(t) ? TRIGGER : 0) |
    (isDoubleMark(t) ? DOUBLE_MARK : 0) |
    (/^[\p{N}(“"‘']/u.test(t) ? OPENER_FIRST : 0) |
    (ABBREVIATIONS.has(t.toLowerCase()) || /^\p{Lu}$/u.test(t) ? ABBREVIATION : 0) |
    (t === '.' || t === '!' || t === '?' ? TERMINATOR : 0) |
    (t === '.' ? STOP : 0)
  );
}

/**
 * Words (with inner ' ’ - and dots of "3.016", "KOMPAS.com", "TRIBUNAMBON.COM") and single
 * punctuation marks. A dot glued between a lowercase letter and a capital ("Dani.Tri") ends a
 * sentence and splits. (The pattern is given with the scanner, text/scan.ts nextQuoteToken.)
 * Tokens are interned in the reading's lexicon: their text is the store's string for the form
 * (no copy cut out per token), and their facts are read by id.
 */
function tokenize(lexicon: Lexicon, text: string, from: number, end: number): Tok[] {
  // read as the tokens of text.slice(from, end), offsets in `text`
  const lt = lexicon.text(text);
  const facts = lexicon.values(tokenFacts);
  const lowers = lexicon.values(lowerForm);
  const codes = lt.codes;
  const out: Tok[] = [];
  const span = { start: 0, end: 0 };
  for (let at = from; nextQuoteToken(codes, at, span, end); at = span.end) {
    const k = lt.intern(span.start, span.end);
    out.push({ t: lexicon.form(k), l: lowers.get(k), at: span.start, f: facts.get(k), k });
  }
  return out;
}

function isWordTok(t: string): boolean {
  return isWordChar(t[0]);
}

function lower(t: string): string {
  return t.toLowerCase();
}

/** A form in lowercase (the {@link Tok.l} of its tokens). */
function lowerForm(t: string): string {
  return t.toLowerCase();
}

/** Words of a quote, for the length rules: runs of letters and digits, joined by - ' ’ and ".". */
function countWords(s: string): number {
  const codes = codesOf(s);
  const len = codes.length;
  let n = 0;
  let inWord = false;
  for (let i = 0; i < len; ) {
    const c0 = codes[i] as number;
    let w: boolean;
    if (c0 < 128) {
      w = ((ASCII_CLASS[c0] as number) & (LETTER | NUMBER)) !== 0;
      i++;
    } else {
      w = (classAt(codes, i, len) & (LETTER | NUMBER)) !== 0;
      i += widthAt(codes, i, len);
    }
    if (w && !inWord) n++;
    if (w) inWord = true;
    else if (inWord) inWord = c0 === 45 || c0 === 39 || c0 === 0x2019 || c0 === 46;
  }
  return n;
}

const nameTokCache = new Map<string, boolean>();

/** A capitalised word that can be part of a person's name (memoised: a pure function of the word). */
function isNameTok(t: string): boolean {
  if (!isUpper(t[0])) return false;
  const hit = nameTokCache.get(t);
  if (hit !== undefined) return hit;
  const v = computeNameTok(t);
  if (nameTokCache.size > 50_000) nameTokCache.clear();
  nameTokCache.set(t, v);
  return v;
}

function computeNameTok(t: string): boolean {
  if (!/\p{Ll}/u.test(t) && t.length > 1) return false; // acronyms: KOI, PANRB, AS
  const l = lower(t);
  return !ROLE_WORDS.has(l) && !ORG_WORDS.has(l) && !PLACE_WORDS.has(l) && !DAYS.has(l) && !HONORIFICS.has(l) && !PRONOUNS.has(l) && !DEMONSTRATIVES.has(l) && !FUNCTION_WORDS.has(l);
}

const DEGREES = set(`s sh se mm msi mh m hum phd mba ma msc bsc st mt skom spd mpd sppd sppd-kemd sag mag ssos sip ak cpa mkes skm`);

const NAME_PARTICLES = set(`bin binti van von der den de dos da al el ibn`);

/** Capitalised only because they open a sentence or a title; never part of a name. */
const FUNCTION_WORDS = set(`
  selaku sebagai yang dan atau di ke dari pada dalam untuk dengan bersama serta juga hingga menurut kata
  ujar baik hanya saja namun tapi tetapi sementara selain kemudian lalu bahkan padahal meski meskipun
  karena sayangnya rupanya ternyata akhirnya sedangkan adapun apalagi jadi maka oleh terkait soal tentang
  mengenai bagi para sang si seorang pun itu ini tersebut sejak usai setelah sebelum saat ketika bila jika
  apabila kalau agar supaya bahwa ucapan pernyataan
`);

/** Sentence openers stripped from the front of a subject: "Hanya saja dia", "Namun Yuddy". */
const DISCOURSE = set(`
  hanya saja namun tapi tetapi sementara itu selain kemudian lalu bahkan padahal meski begitu demikian
  oleh karena sayangnya rupanya ternyata akhirnya sedangkan adapun apalagi jadi maka nah pun
`);

// ---------------------------------------------------------------------------------------------
// Dateline
// ---------------------------------------------------------------------------------------------

/**
 * Where the body of the first paragraph starts after a dateline marker such as
 * "PYONGYANG, TRIBUNAMBON.COM - ", "Mataram, NTB (ANTARA News) - ", "Jakarta, CNN Indonesia - - ",
 * "Merdeka.com-", "JUARA.NET, TOKYO-" or "Rimanews - "; 0 when there is none.
 */
export function datelineEnd(p: string): number {
  const limit = Math.min(p.length, 90);
  for (let i = 1; i < limit; i++) {
    const ch = p[i];
    if (ch !== '-' && ch !== '–' && ch !== '—') continue;
    const prefix = p.slice(0, i);
    if (/["“”]/.test(prefix)) return 0;
    const spacedBefore = isSpace(p[i - 1]);
    let j = i + 1;
    while (j < p.length && (isSpace(p[j]) || p[j] === '-' || p[j] === '–' || p[j] === '—')) j++;
    const spacedAfter = isSpace(p[i + 1]);
    const next = p[j];
    if (next === undefined || !(isUpper(next) || /[\p{N}"“'‘]/u.test(next))) {
      if (!spacedBefore) continue; // a hyphenated word: "Orang-orang"
      return 0;
    }
    const bare = prefix.replace(/\([^()]{1,40}\)/g, ' ').trim();
    const words = bare.split(/[\s,]+/).filter((w) => w.length > 0);
    if (words.length === 0 || words.length > 6) return 0;
    if (!words.every((w) => isUpper(w[0]) || /^[\p{N}]/u.test(w))) {
      if (!spacedBefore) continue;
      return 0;
    }
    const hasParen = /\([^()]{1,40}\)/.test(prefix);
    const hasCaps = words.some((w) => /^[\p{Lu}][\p{Lu}.]{2,}$/u.test(w));
    const hasDomain = words.some((w) => /\.(com|net|co|id|org|news)\b/i.test(w));
    const outletName = words.length === 1 && /(news|online|post|pos)$/i.test(words[0] ?? '');
    const spaced = spacedBefore && spacedAfter;
    const placeComma = spaced && prefix.includes(',') && words.length <= 4;
    const single = spaced && words.length === 1;
    if (hasParen || hasCaps || hasDomain || outletName || placeComma || single) return j;
    if (!spacedBefore) continue;
    return 0;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// 1. Quote marks
// ---------------------------------------------------------------------------------------------

interface Span {
  para: number;
  /** Index of the opening mark. */
  open: number;
  /** Index of the closing mark, or the end of the quoted text when unclosed. */
  end: number;
  closed: boolean;
  /** For an unclosed quote cut at an inner `, kata X`: where the attribution starts. */
  innerAttribution?: number;
}

const SKIP_COST = 1.6;

/** -1 looks like an opener (space before, word after), 1 like a closer, 0 can't tell. */
function lookOf(text: string, i: number): number {
  const before = text[i - 1];
  const after = text[i + 1];
  const spaceBefore = isSpace(before) || (before !== undefined && '([{—–-'.includes(before));
  const spaceAfter = isSpace(after) || (after !== undefined && '.,;:!?)]}…'.includes(after));
  if (spaceBefore && !spaceAfter) return -1;
  if (!spaceBefore && spaceAfter) return 1;
  return 0;
}

function openCost(ch: string, look: number): number {
  if (OPENING_GLYPHS.includes(ch)) return look === 1 ? 0.5 : 0;
  if (CLOSING_GLYPHS.includes(ch)) return look === -1 ? 0.6 : 1.5;
  return look === -1 ? 0 : look === 0 ? 0.25 : 1;
}

function closeCost(ch: string, look: number): number {
  if (CLOSING_GLYPHS.includes(ch)) return look === -1 ? 0.5 : 0;
  if (OPENING_GLYPHS.includes(ch)) return look === 1 ? 0.6 : 1.5;
  return look === 1 ? 0 : look === 0 ? 0.25 : 1;
}

/** Pairs the double quote marks of one paragraph (from `from`); see the module comment. */
function pairMarks(text: string, from: number, para: number, continues: boolean, budget: { marks: number }): Span[] {
  const pos: number[] = [];
  const re = /["“”„‟«»]/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null && pos.length < budget.marks; m = re.exec(text)) pos.push(m.index);
  budget.marks -= pos.length;
  const n = pos.length;
  if (n === 0) return [];
  // back[i*2 + state] = previous state before mark i when in `state` after it
  const back = new Array<number>(n * 2).fill(0);
  let c0 = 0;
  let c1 = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const i = pos[k] ?? 0;
    const ch = text[i] ?? '"';
    const look = lookOf(text, i);
    const oc = openCost(ch, look);
    const cc = closeCost(ch, look);
    // state 0 after: closed by this mark (from 1) or skipped (from 0)
    const viaClose = c1 + cc;
    const viaSkip0 = c0 + SKIP_COST;
    const n0 = viaClose <= viaSkip0 ? viaClose : viaSkip0;
    back[k * 2] = viaClose <= viaSkip0 ? 1 : 0;
    // state 1 after: opened by this mark (from 0) or skipped (from 1)
    const viaOpen = c0 + oc;
    const viaSkip1 = c1 + SKIP_COST;
    const n1 = viaOpen <= viaSkip1 ? viaOpen : viaSkip1;
    back[k * 2 + 1] = viaOpen <= viaSkip1 ? 0 : 1;
    c0 = n0;
    c1 = n1;
  }
  const endCost = continues ? 0.2 : 0.8;
  let state = c0 <= c1 + endCost ? 0 : 1;
  const role = new Array<number>(n).fill(0); // 1 open, 2 close, 0 skip
  for (let k = n - 1; k >= 0; k--) {
    const prev = back[k * 2 + state] ?? 0;
    if (prev !== state) role[k] = state === 1 ? 1 : 2;
    state = prev;
  }
  const spans: Span[] = [];
  let openAt = -1;
  for (let k = 0; k < n; k++) {
    const p = pos[k] ?? 0;
    if (role[k] === 1) openAt = p;
    else if (role[k] === 2 && openAt >= 0) {
      spans.push({ para, open: openAt, end: p, closed: true });
      openAt = -1;
    }
  }
  if (openAt >= 0) spans.push({ para, open: openAt, end: text.length, closed: false });
  return spans;
}

const INNER_ATTRIBUTION = /,\s*(kata|ujar|ucap|tutur|ungkap|jelas|tambah|lanjut|tegas|imbuh|pungkas|sebut|terang|papar|tukas|tandas)\s+(?=\p{Lu}|dia\b|ia\b|beliau\b)/u;

// ---------------------------------------------------------------------------------------------
// The document: paragraphs, body starts, a name index
// ---------------------------------------------------------------------------------------------

interface Mention {
  /** Document position: paragraph * 1e10 + offset. */
  key: number;
  para: number;
  name: string | null;
  role: string | null;
  /** A named sentence subject with no speech verb: used only when no speaker is mentioned. */
  weak?: boolean;
}

interface Who {
  name: string | null;
  role: string | null;
}

interface NameStats {
  /** Used with no name word on either side ("kata Elia kepada"). */
  alone: boolean;
  /** Seen capitalised in the middle of a sentence. */
  mid: boolean;
  /** The name words that follow it, when any (`Kim` -> `Jong`), each once, in order of first use. */
  nexts: string[];
  /** The name words before it, each once. */
  prevs: string[];
}

/** One paragraph cut into tokens once, with where each token's sentence starts. */
interface ParaTokens {
  toks: Tok[];
  /** sent[k]: index of the first token of token k's sentence. */
  sent: number[];
  /** Characters covered (the rest of a huge paragraph is not tokenized). */
  end: number;
  /** A headline-like line ("SIMAK JUGA: Siapa Pantas Gantikan Neymar?"): says nothing about names. */
  headline: boolean;
}

class Doc {
  readonly paras: string[];
  readonly starts: number[];
  readonly mentions: Mention[] = [];
  readonly aliases = new Map<string, string>();
  private index: Map<string, NameStats> | null = null;
  private readonly ptoks: (ParaTokens | null | undefined)[];
  private budget = INDEX_CHARS;

  constructor(
    paragraphs: readonly string[],
    readonly lexicon: Lexicon,
  ) {
    this.paras = paragraphs.map((p) => p ?? '');
    this.starts = this.paras.map((p, i) => (i === 0 ? datelineEnd(p) : 0));
    this.ptoks = new Array<ParaTokens | null | undefined>(this.paras.length);
  }

  /** The tokens of paragraph p (its first INDEX_CHARS at most, shared budget), or null past the budget. */
  tokens(p: number): ParaTokens | null {
    const cached = this.ptoks[p];
    if (cached !== undefined) return cached;
    let out: ParaTokens | null = null;
    if (this.budget > 0) {
      const text = this.paras[p] ?? '';
      const from = this.starts[p] ?? 0;
      const end = Math.min(text.length, from + this.budget);
      this.budget -= end - from;
      const toks = tokenize(this.lexicon, text, from, end);
      const sent = new Array<number>(toks.length);
      let cur = 0;
      let words = 0;
      let caps = 0;
      for (let k = 0; k < toks.length; k++) {
        sent[k] = cur;
        const f = (toks[k] as Tok).f;
        if ((f & WORD_FIRST) !== 0) {
          words++;
          if ((f & UPPER_FIRST) !== 0) caps++;
        }
        if ((f & TERMINATOR) !== 0 && endsSentence(toks, k)) cur = k + 1;
      }
      out = { toks, sent, end, headline: end - from < 160 && words >= 3 && caps / words >= 0.6 };
    }
    this.ptoks[p] = out;
    return out;
  }

  stats(word: string): NameStats | undefined {
    if (this.index === null) this.index = this.buildIndex();
    return this.index.get(word);
  }

  /** Whether the word ever appears in lowercase (a common word, not a name). */
  seenLower(word: string): boolean {
    if (this.index === null) this.index = this.buildIndex();
    if (this.lowers === null) {
      // the word tokens that do not start with a capital, over the paragraphs the index read
      // (their tokens are all cached by now; rarely needed, so built on first use), marked by
      // their numbers in the reading's lexicon (equal words, equal numbers)
      const pts = this.paras.map((_, p) => this.tokens(p));
      this.lowers = new Array<number>(this.lexicon.size).fill(0);
      for (const pt of pts) {
        if (pt === null || pt.headline) continue;
        for (const { f, k } of pt.toks) if ((f & (UPPER_FIRST | WORD_FIRST)) === WORD_FIRST) this.lowers[k] = 1;
      }
    }
    return this.lowers[this.lexicon.internString(word.toLowerCase())] === 1;
  }

  private lowers: number[] | null = null;

  private buildIndex(): Map<string, NameStats> {
    const idx = new Map<string, NameStats>();
    for (let p = 0; p < this.paras.length; p++) {
      const pt = this.tokens(p);
      if (pt === null || pt.headline) continue;
      const toks = pt.toks;
      for (let i = 0; i < toks.length; i++) {
        const tok = toks[i] as Tok;
        if ((tok.f & UPPER_FIRST) === 0) continue;
        const t = tok.t;
        const before = toks[i - 1];
        const after = toks[i + 1];
        const prev = before?.t;
        const next = after?.t;
        const sentenceStart = prev === undefined || '.!?"“”:'.includes(prev);
        const name = (tok.f & NAME_WORD) !== 0;
        const prevName = before !== undefined && !sentenceStart && (before.f & NAME_WORD) !== 0 && name;
        const nextName = after !== undefined && (after.f & NAME_WORD) !== 0 && name;
        let s = idx.get(t);
        if (s === undefined) {
          s = { alone: false, mid: false, nexts: [], prevs: [] };
          idx.set(t, s);
        }
        if (!sentenceStart) s.mid = true;
        if (!prevName && !nextName) s.alone = true;
        if (nextName && next !== undefined && !s.nexts.includes(next)) s.nexts.push(next);
        if (prevName && prev !== undefined && !s.prevs.includes(prev)) s.prevs.push(prev);
      }
    }
    return idx;
  }
}

const keyOf = (para: number, off: number): number => para * 1e10 + off;

// ---------------------------------------------------------------------------------------------
// Sentence windows
// ---------------------------------------------------------------------------------------------

const ABBREVIATIONS = set(`dr drg prof ir h hj kh drs dra no jl st tbk dll dsb dkk bpk sdr mr mrs ms vs a.n u.p`);

/** Start of the sentence containing position `pos` (looking back at most `limit` characters). */
function sentenceStart(text: string, pos: number, floor: number, limit = PRE_WINDOW): number {
  const stop = Math.max(floor, pos - limit);
  for (let i = pos - 1; i >= stop; i--) {
    const ch = text[i];
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    const after = text[i + 1];
    const before = text[i - 1];
    let boundary = false;
    if (after === undefined || isSpace(after) || isDoubleMark(after)) boundary = true;
    else if (isUpper(after) && before !== undefined && /[\p{Ll}\p{N})]/u.test(before)) boundary = true;
    if (!boundary) continue;
    if (ch === '.') {
      // "dr. Wisman", "H. Abdul": not a sentence end
      let w = i - 1;
      while (w >= stop && isWordChar(text[w])) w--;
      const word = text.slice(w + 1, i).toLowerCase();
      if (ABBREVIATIONS.has(word) || (word.length === 1 && isUpper(text[w + 1]))) continue;
    }
    let s = i + 1;
    while (s < pos && isSpace(text[s])) s++;
    return s;
  }
  return stop === floor ? floor : stop;
}

// ---------------------------------------------------------------------------------------------
// Phrases -> who
// ---------------------------------------------------------------------------------------------

/** Cleans a speaker phrase (tokens) and splits it into a name and a role. */
function analyzePhrase(doc: Doc, raw: Tok[]): Who & { pronoun: boolean; demonstrative: boolean; alias: string | null; plural: boolean; rawName: string | null } {
  // the tokens' text, and beside it (`lows`, kept in step) their lowercase
  // drop parenthesised groups: "(BIL)", "(37)"
  let toks: string[] = [];
  let lows: string[] = [];
  let depth = 0;
  for (const x of raw) {
    const t = x.t;
    if (t === '(' || t === '[') depth++;
    else if ((t === ')' || t === ']') && depth > 0) depth--;
    else if (depth === 0) {
      toks.push(t);
      lows.push(x.l);
    }
  }
  let head = 0;
  while (toks.length > head && !isWordTok(toks[toks.length - 1] ?? '')) {
    toks.pop();
    lows.pop();
  }
  while (head < toks.length && !isWordTok(toks[head] ?? '')) head++;
  if (head > 0) {
    toks = toks.slice(head);
    lows = lows.slice(head);
  }
  const result = { name: null as string | null, role: null as string | null, pronoun: false, demonstrative: false, alias: null as string | null, plural: false, rawName: null as string | null };
  if (toks.length === 0) return result;
  // alias inside: "Pria yang akrab disapa Dani ini"
  for (let i = 0; i + 1 < toks.length; i++) {
    const l = lows[i] ?? '';
    if ((l === 'disapa' || l === 'dipanggil' || l === 'alias' || l === 'sapaan') && isNameTok(toks[i + 1] ?? '')) {
      result.alias = toks[i + 1] ?? null;
    }
  }
  if (DEMONSTRATIVES.has(lows[lows.length - 1] ?? '') && toks.length > 1) {
    result.demonstrative = true;
    toks = toks.slice(0, -1);
    lows = lows.slice(0, -1);
  }
  while (toks.length > 1 && (ARTICLES.has(lows[0] ?? '') || DISCOURSE.has(lows[0] ?? '') || toks[0] === ',')) {
    const l = lows[0] ?? '';
    if (l === 'para' || l === 'sejumlah' || l === 'beberapa') result.plural = true;
    toks = toks.slice(1);
    lows = lows.slice(1);
  }
  if (PRONOUNS.has(lows[0] ?? '') && (toks.length === 1 || toks[1] === ',')) {
    result.pronoun = true;
    return result;
  }
  // relative clauses and "selaku ...": "seorang sumber yang dekat dengan produksi"
  const cut = lows.findIndex((l, i) => i > 0 && (l === 'yang' || l === 'selaku' || l === 'sebagai'));
  const roleTail: string[] = [];
  if (cut > 0) {
    if (lows[cut] !== 'yang') roleTail.push(...toks.slice(cut + 1).filter((t) => t !== ','));
    toks = toks.slice(0, cut);
    lows = lows.slice(0, cut);
  }
  while (toks.length > 0 && !isWordTok(toks[toks.length - 1] ?? '')) {
    toks.pop();
    lows.pop();
  }
  // segments on commas / slashes
  // (segLows: each segment's lowercase)
  const segments: string[][] = [[]];
  const segLows: string[][] = [[]];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    if (t === ',' || t === ';') {
      segments.push([]);
      segLows.push([]);
    } else if (t === '/' && (segments[segments.length - 1]?.length ?? 0) > 0) break; // "Marcus/Kevin": the first
    else {
      segments[segments.length - 1]?.push(t);
      segLows[segLows.length - 1]?.push(lows[i] as string);
    }
  }
  let best: { name: string[]; rank: number } | null = null;
  let role: string[] | null = roleTail.length > 0 ? roleTail : null;
  for (let si = 0; si < segments.length; si++) {
    const seg = segments[si] as string[];
    const segL = segLows[si] as string[];
    if (seg.length === 0) continue;
    let s = 0;
    let honorific = false;
    while (s < seg.length && ARTICLES.has(segL[s] ?? '')) s++;
    // trailing run of name tokens
    let e = seg.length;
    let b = e;
    while (b > s) {
      const t = seg[b - 1] ?? '';
      if (isNameTok(t)) b--;
      else if (NAME_PARTICLES.has(segL[b - 1] ?? '') && b - 1 > s && isNameTok(seg[b - 2] ?? '') && b < e) b--;
      else if (/^\p{Lu}\.$/u.test(t) || (t === '.' && b - 2 >= s && /^\p{Lu}$/u.test(seg[b - 2] ?? ''))) b--;
      else break;
    }
    while (b < e && NAME_PARTICLES.has(segL[b] ?? '')) b++;
    while (e > b && !isWordTok(seg[e - 1] ?? '')) e--;
    // (the words before the name, [s, preEnd): pre)
    let preEnd = b;
    while (preEnd > s && HONORIFICS.has(segL[preEnd - 1] ?? '')) {
      honorific = true;
      preEnd--;
    }
    let pre = seg.slice(s, preEnd);
    let run = seg.slice(b, e).filter((t) => t !== '.');
    // academic degrees after a name: "Fathur Rokhman M.Hum", "Wismandari Wisnu SpPD-KEMD"
    while (run.length > 1 && (DEGREES.has(lower(run[run.length - 1] ?? '')) || /^\p{Lu}$/u.test(run[run.length - 1] ?? ''))) run = run.slice(0, -1);
    if (run.length === 0 && isNameTok(seg[s] ?? '')) {
      let k = s;
      while (k < seg.length && isNameTok(seg[k] ?? '')) k++;
      run = seg.slice(s, k);
      pre = [];
    }
    if (run.length > 0) {
      // a sentence-initial common word is not a name: "Detail lengkap itu"
      const first = run[0] ?? '';
      const plausible = run.length > 1 || honorific || pre.length > 0 || (doc.stats(first)?.mid ?? false) || doc.aliases.has(first);
      if (plausible) {
        const rank = honorific ? 3 : pre.length === 0 ? 2 : 1;
        if (best === null || rank > best.rank) best = { name: run, rank };
      }
    }
    const rolePart = run.length > 0 ? pre : seg.slice(s);
    if (role === null && rolePart.length > 0 && rolePart.some((t) => isWordTok(t))) role = rolePart;
  }
  if (result.demonstrative && (best === null || best.rank === 1)) {
    // "politisi Partai Hanura itu", "Kakak Raoul Salim ini": an epithet for somebody already named
    // (but "Marcella yang mengaku ... film itu" is Marcella)
    best = null;
    role = toks.filter((t) => t !== ',');
  }
  if (best !== null) {
    result.rawName = best.name.join(' ');
    result.name = refineRun(doc, best.name).join(' ');
    result.demonstrative = false;
  }
  if (role !== null) {
    // no space before , . ) nor after ( (tokens hold no spaces: only the joins can need it)
    const joined = role.join(' ');
    result.role = ROLE_NEEDS_TIDY.test(joined) ? joined.replace(/\s+([,.)])/g, '$1').replace(/\(\s+/g, '(') : joined;
  }
  return result;
}

const ROLE_NEEDS_TIDY = /\s[,.)]|\(\s/;

/** "Pertamina Elia Massa Manik" -> "Elia Massa Manik": drops a leading word used on its own elsewhere when the next one is too. */
function refineRun(doc: Doc, run: string[]): string[] {
  let r = run;
  while (r.length > 1) {
    const a = doc.stats(r[0] ?? '');
    const b = doc.stats(r[1] ?? '');
    if (a?.alone === true && b?.alone === true) r = r.slice(1);
    else break;
  }
  return r;
}

/** Completes a name from its fullest mention: "Kim" -> "Kim Jong Un", "Aroso" -> "Joao Aroso". */
function expandName(doc: Doc, name: string): string {
  const alias = doc.aliases.get(name);
  if (alias !== undefined) return alias;
  const parts = name.split(' ');
  let out = parts.slice();
  // right: follow a unique chain of name words
  for (let guard = 0; guard < 4; guard++) {
    const last = out[out.length - 1] ?? '';
    const s = doc.stats(last);
    if (s === undefined || s.nexts.length !== 1) break;
    const next = s.nexts[0] ?? '';
    if (out.includes(next)) break;
    if (out.length === 1 || (doc.stats(next)?.prevs.length ?? 0) === 1) out.push(next);
    else break;
  }
  // left: add a word that is only ever used right before this one
  for (let guard = 0; guard < 3; guard++) {
    const first = out[0] ?? '';
    const s = doc.stats(first);
    if (s === undefined || s.prevs.length !== 1) break;
    const prev = s.prevs[0] ?? '';
    const ps = doc.stats(prev);
    if (ps === undefined || ps.alone || doc.seenLower(prev) || ps.nexts.length !== 1 || out.includes(prev)) break;
    out = [prev, ...out];
  }
  while (out.length > parts.length && (DEGREES.has(lower(out[out.length - 1] ?? '')) || /^\p{Lu}$/u.test(out[out.length - 1] ?? ''))) out.pop();
  return out.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Subjects of speech verbs
// ---------------------------------------------------------------------------------------------

/** Whether the terminator token at k ends a sentence ("dr." and "H." do not). */
function endsSentence(toks: readonly Tok[], k: number): boolean {
  // (the tokens of a paragraph: their facts say what the next and the previous token are)
  const next = toks[k + 1];
  if (next !== undefined) {
    const glued = next.at === (toks[k] as Tok).at + 1;
    if ((next.f & (DOUBLE_MARK | UPPER_FIRST)) === 0 && (glued || (next.f & OPENER_FIRST) === 0)) return false;
  }
  if (((toks[k] as Tok).f & STOP) === 0) return true;
  const prev = toks[k - 1];
  return prev === undefined || (prev.f & ABBREVIATION) === 0;
}

/** Index of the first token at or after char offset `pos`. */
function tokenAt(toks: readonly Tok[], pos: number): number {
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((toks[mid] as Tok).at < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** At most this many tokens of a sentence are looked at before a quote or verb. */
const PRE_TOKENS = 70;

/** Tokens of the sentence before `pos` in paragraph `para`. */
function sentenceTokensBefore(doc: Doc, para: number, pos: number): Tok[] {
  const pt = doc.tokens(para);
  if (pt !== null && pos <= pt.end) {
    const j = tokenAt(pt.toks, pos);
    let s: number;
    if (j < pt.toks.length) s = pt.sent[j] ?? 0;
    else {
      const last = pt.toks.length - 1;
      s = last < 0 ? 0 : ((pt.toks[last] as Tok).f & TERMINATOR) !== 0 && endsSentence(pt.toks, last) ? last + 1 : pt.sent[last] ?? 0;
    }
    return pt.toks.slice(Math.max(s, j - PRE_TOKENS), j);
  }
  const text = doc.paras[para] ?? '';
  const floor = doc.starts[para] ?? 0;
  const st = sentenceStart(text, pos, floor);
  return tokenize(doc.lexicon, text, st, pos);
}

/** The leading noun phrase of a sentence ("Kim juga mengirim ..." -> "Kim"). */
function sentenceSubject(all: Tok[], from = 0, to = all.length): Tok[] {
  // (the tokens all[from, to), read in place: t(k) is undefined outside them, as in a slice)
  const t = (k: number): string | undefined => (k < to ? all[k]?.t : undefined);
  const lt = (k: number): string | undefined => (k < to ? all[k]?.l : undefined);
  let i = from;
  // skip introductory segments ending with a comma: "Dalam pernyataan di KCNA, ...",
  // "Namun, lantaran sudah terikat kontrak ..., Bella harus ..."
  for (let guard = 0; guard < 3; guard++) {
    while (i < to && (isDoubleMark(t(i) ?? '') || t(i) === ',')) i++;
    const w = lt(i) ?? '';
    if (!(PARENTHETICAL_OPENERS.has(w) || DISCOURSE.has(w) || CLAUSE_BOUNDARY.has(w) || w === 'lantaran' || w === 'rupanya')) break;
    let c = i;
    while (c < to && c - i < 25 && t(c) !== ',') c++;
    if (t(c) !== ',') break;
    i = c + 1;
  }
  while (i < to && (isDoubleMark(t(i) ?? '') || DISCOURSE.has(lt(i) ?? '') || t(i) === ',')) i++;
  const out: Tok[] = [];
  for (; i < to; i++) {
    const w = t(i) ?? '';
    const lw = lt(i) ?? '';
    if (isUpper(w[0]) || ROLE_WORDS.has(lw) || (out.length > 0 && (w === ',' || ARTICLES.has(lw)))) out.push(all[i] as Tok);
    else if (out.length === 0 && ARTICLES.has(lw)) continue;
    else break;
  }
  while (out.length > 0 && out[out.length - 1]?.t === ',') out.pop();
  // "Penyerang berusia 25 tahun tersebut kemudian ...": an epithet, keep its demonstrative
  if (out.length > 0 && !out.some((x) => isNameTok(x.t))) {
    for (let k = i; k < Math.min(to, i + 5); k++) {
      const l = lt(k) ?? '';
      if (DEMONSTRATIVES.has(l)) return all.slice(i - out.length, k + 1);
      if (PRE_VERBS.has(l) || t(k) === ',') break;
    }
  }
  return out;
}

/** Starts like a subject: a capitalised word (not a day or a connective), a role noun, an article, a pronoun. */
function plausibleSubject(toks: Tok[]): boolean {
  const t = toks[0]?.t ?? '';
  const l = toks[0]?.l ?? '';
  if (DAYS.has(l) || DISCOURSE.has(l) || FUNCTION_WORDS.has(l) && !ARTICLES.has(l)) return ARTICLES.has(l);
  return isUpper(t[0]) || ROLE_WORDS.has(l) || ARTICLES.has(l) || PRONOUNS.has(l);
}

function isParenthetical(seg: Tok[]): boolean {
  const first = (seg[0]?.l ?? '');
  if (PARENTHETICAL_OPENERS.has(first)) return true;
  if (DAYS.has(first)) return true;
  return seg.length <= 3 && seg.every((x) => /^[\p{N}()/]+$/u.test(x.t) || DAYS.has(x.l));
}

/**
 * The subject of the speech verb whose first token index is `vi` in `toks` (the sentence up to
 * the verb). Returns the phrase tokens, or the sentence subject when the verb follows a clause
 * word directly ("dengan mengatakan", "yang mengatakan" after a letter).
 */
function subjectOf(toks: Tok[], vi: number): Tok[] {
  let e = vi;
  while (e > 0 && AUXILIARIES.has((toks[e - 1]?.l ?? ''))) e--;
  // segments (commas) before the verb
  let end = e;
  let start = end;
  while (start > 0 && toks[start - 1]?.t !== ',') start--;
  let seg = toks.slice(start, end);
  let guard = 0;
  while (seg.length === 0 || isParenthetical(seg)) {
    if (start === 0 || guard++ > 4) break;
    end = start - 1; // the comma
    start = end;
    while (start > 0 && toks[start - 1]?.t !== ',') start--;
    seg = toks.slice(start, end);
  }
  // only parentheticals before the verb ("Selain Dwi, menurut Aji Arema juga memastikan"): no subject here
  // (a sentence opening with a phrase and no comma, "Kepada media CEO Jurnal.id Daniel Witono mengungkapkan", is read on)
  if (seg.length === 0 || (isParenthetical(seg) && end < e)) return [];
  // clause start inside the segment
  let b = seg.length;
  while (b > 0) {
    const l = (seg[b - 1]?.l ?? '');
    // "yang" right before the verb ends the subject; inside it, it is a relative clause of the subject
    if (l === 'yang' ? b === seg.length : CLAUSE_BOUNDARY.has(l) || PRE_VERBS.has(l) || isDoubleMark(seg[b - 1]?.t ?? '')) break;
    b--;
  }
  let subject = seg.slice(b);
  const boundary = (seg[b - 1]?.l ?? '');
  // "Menteri Luar Negeri Israel dalam pernyataan resminya mengatakan": the subject ends before the phrase
  const pp = subject.findIndex((x, k) => k > 0 && PARENTHETICAL_OPENERS.has(x.t) && x.t !== 'menurut');
  if (pp > 0) subject = subject.slice(0, pp);
  if (subject.length > 0 && !plausibleSubject(subject)) {
    // "Hendry Noviardi yang ikut mengawal rapat ... hingga Jumat (13/10) malam, mengatakan": the segment's head
    const head: Tok[] = [];
    for (const x of seg) {
      if (isUpper(x.t[0]) || (head.length === 0 && (ROLE_WORDS.has(x.l) || ARTICLES.has(x.l)))) head.push(x);
      else if (head.length > 0 && ROLE_WORDS.has(x.l)) head.push(x);
      else break;
    }
    return head.length > 0 && plausibleSubject(head) ? head : [];
  }
  if (subject.length === 0) {
    if (boundary === 'yang') {
      // "Menteri X yang mengatakan" -> Menteri X; "surat kepada Putin yang mengatakan" -> the writer
      const before = seg.slice(Math.max(0, b - 6), b - 1);
      if (before.some((x) => STATEMENT_NOUNS.has(x.l))) return sentenceSubject(toks);
      let k = b - 1;
      const np: Tok[] = [];
      while (k > 0 && (isUpper(seg[k - 1]?.t[0]) || ROLE_WORDS.has((seg[k - 1]?.l ?? '')))) np.unshift(seg[--k] as Tok);
      return np.length > 0 ? np : sentenceSubject(toks);
    }
    return sentenceSubject(toks);
  }
  // apposition: "Vedant Patel, wakil juru bicara ..., mengatakan" / "Kepala ... , Eka Asmadi, ... mengatakan"
  if (b === 0 && start > 0) {
    let ps = start - 1;
    while (ps > 0 && toks[ps - 1]?.t !== ',') ps--;
    const prevSeg = toks.slice(ps, start - 1);
    let pb = prevSeg.length;
    while (pb > 0 && !CLAUSE_BOUNDARY.has((prevSeg[pb - 1]?.l ?? '')) && !PRE_VERBS.has((prevSeg[pb - 1]?.l ?? '')) && !isDoubleMark(prevSeg[pb - 1]?.t ?? '')) pb--;
    const prevNp = prevSeg.slice(pb);
    const subjRole = ROLE_WORDS.has((subject[0]?.l ?? ''));
    const prevHasName = prevNp.length > 0 && prevNp.length <= 12 && isUpper(prevNp[prevNp.length - 1]?.t[0]);
    const subjIsName = subject.every((x) => isUpper(x.t[0]) || HONORIFICS.has(x.l));
    const prevIsRole = prevNp.length > 0 && ROLE_WORDS.has((prevNp[0]?.l ?? ''));
    if ((subjRole && prevHasName) || (subjIsName && prevIsRole)) subject = [...prevNp, { t: ',', l: ',', at: -1, f: 0, k: -1 }, ...subject];
  }
  return subject;
}

// ---------------------------------------------------------------------------------------------
// Attribution around one quote
// ---------------------------------------------------------------------------------------------

interface Attribution {
  /** The speaker phrase as written ("pejabat itu", "dia", "Vedant Patel, wakil ..."), or null for -nya. */
  phrase: Tok[] | null;
  /** A -nya verb or a bare pronoun: resolve to the latest mention. */
  pronoun: boolean;
}

/** `"…," kata X ...` right after a closing mark (text from just after the mark). */
const LOWER_FIRST_RE = /^\p{Ll}/u;

function parsePost(lexicon: Lexicon, text: string, from: number, limitTo: number): Attribution | null {
  const end = Math.min(limitTo, from + POST_WINDOW);
  let i = from;
  while (i < end && (isSpace(text[i]) || text[i] === ',' || text[i] === '.' || text[i] === '—' || text[i] === '-' || text[i] === '–')) i++;
  // (most quotes are followed by a new sentence: the first token says so before the rest is read)
  const lt = lexicon.text(text);
  const span = { start: 0, end: 0 };
  if (!nextQuoteToken(lt.codes, i, span, end) || !LOWER_FIRST_RE.test(lexicon.form(lt.intern(span.start, span.end)))) return null;
  const toks = tokenize(lexicon, text, i, end);
  const first = toks[0]?.t ?? '';
  const l = first;
  let k = 1;
  if (l === 'demikian') {
    const nxt = (toks[1]?.l ?? '');
    if (nxt === 'dikutip' || nxt === 'dilansir' || nxt === 'diberitakan' || nxt === 'dilaporkan') return null;
    if (/^(pernyataan|kata|ujar|penjelasan|keterangan|tulis|bunyi|disampaikan|dikatakan|dijelaskan|diungkapkan|ungkap|jelas)$/.test(nxt)) k = 2;
  } else if (!POST_VERBS.has(l)) {
    if (!(l.length >= 5 && l.endsWith('nya') && POST_VERBS.has(l.slice(0, -3))) && !genericNya(l, toks[1]?.t)) return null;
    return { phrase: null, pronoun: true };
  }
  return { phrase: speakerPhrase(toks, k), pronoun: false };
}

/** "bongkarnya", "kilahnya": an unknown -nya word right after a quote, followed by the sentence end or a stop word. */
function genericNya(w: string, next: string | undefined): boolean {
  if (w.length < 6 || !w.endsWith('nya') || !/^\p{Ll}+$/u.test(w)) return false;
  if (/^(sebelum|selanjut|akhir|biasa|sebenar|rupa|lain|diri|kemudian|setelah|seharus|semesti|tentu|apalagi|adapun|karena|sehingga|sedang|bahkan|mesti|pada|untuk|dengan|oleh|dari|kepada|terhadap|tentang|antara|meski|walau|ter|se)nya$/.test(w)) return false;
  return next === undefined || next === '.' || next === ',' || next === ';' || next === '!' || next === '?' || SPEAKER_STOP.has(lower(next));
}

/** The speaker phrase after an attribution verb at token k: up to a stop word or the sentence end. */
function speakerPhrase(toks: Tok[], k: number): Tok[] {
  const out: Tok[] = [];
  let segStart = true;
  let cut = false;
  for (let i = k; i < toks.length && out.length < 24; i++) {
    const tk = toks[i] as Tok;
    const t = tk.t;
    const l = tk.l;
    if (t === '.' ) {
      const prev = (out[out.length - 1]?.l ?? '');
      if (ABBREVIATIONS.has(prev) || /^\p{Lu}$/u.test(out[out.length - 1]?.t ?? '')) { out.push(tk); continue; }
      break;
    }
    if (t === '!' || t === '?' || t === ';' || t === ':' || isDoubleMark(t) || t === '‘' || t === '’' || t === "'") break;
    if (t === ',') {
      if (cut) break;
      // keep an apposition segment only if it looks like a name or a role
      const nxt = toks[i + 1]?.t ?? '';
      const nl = toks[i + 1]?.l ?? '';
      // a list inside a role: "Kepala Pusat Data, Informasi, dan Humas BNPB Sutopo Purwo Nugroho"
      const listAnd = nl === 'dan' && isUpper(toks[i + 2]?.t[0]);
      if (nxt === '' || DAYS.has(nl) || (!listAnd && (SPEAKER_STOP.has(nl) || (!isUpper(nxt[0]) && !ROLE_WORDS.has(nl) && !HONORIFICS.has(nl) && !ARTICLES.has(nl))))) break;
      const commas = out.filter((x) => x.t === ',').length;
      let lastSeg = 0;
      for (let j = out.length - 1; j >= 0 && out[j]?.t !== ','; j--) lastSeg++;
      const listItem = commas >= 1 && lastSeg <= 2 && commas < 3;
      if (commas >= 1 && !listAnd && !listItem) break;
      if (listAnd) {
        out.push(toks[i + 1] as Tok);
        i++;
        continue;
      }
      out.push(tk);
      segStart = true;
      continue;
    }
    if (t === '(' ) {
      // "(BIL)" inside a role is fine; "(27/3)" ends it
      let close = -1;
      for (let j = i + 1; j < toks.length && j <= i + 7; j++) if (toks[j]?.t === ')') { close = j; break; }
      if (close < 0) break;
      const inner = toks.slice(i + 1, close);
      if (inner.some((x) => /\p{N}/u.test(x.t))) break;
      out.push(...toks.slice(i, close + 1));
      i = close;
      continue;
    }
    if (!segStart || out.length > 0) {
      // "ujar Bupati Sambas Atbah Romin Suhaili menyampaikan pujiannya": a verb ends the phrase
      // (but not inside an epithet or a relative clause: "pria berusia 32 tahun tersebut", "pemain yang memperkuat Persib itu")
      if (out.length > 0 && (PRE_VERBS.has(l) || (l.length >= 7 && /^me\p{Ll}+$/u.test(t) && !ROLE_WORDS.has(l))) && !out.some((x) => x.l === 'yang') && !demonstrativeAhead(toks, i)) break;
      if (SPEAKER_STOP.has(l) && !(l === 'dan' && isUpper(toks[i + 1]?.t[0]) && isUpper(out[out.length - 1]?.t[0]))) {
        cut = true;
        // "kata X di Jakarta, Senin" -> X; nothing after a cut
        break;
      }
    }
    if (DAYS.has(l)) break;
    out.push(tk);
    segStart = false;
  }
  while (out.length > 0 && !isWordTok(out[out.length - 1]?.t ?? '') && out[out.length - 1]?.t !== ')') out.pop();
  return out;
}

/** Whether a demonstrative closes the phrase a few words on ("... tersebut.") */
function demonstrativeAhead(toks: readonly Tok[], i: number): boolean {
  for (let j = i + 1; j < toks.length && j <= i + 6; j++) {
    const t = toks[j]?.t ?? '';
    if (DEMONSTRATIVES.has(toks[j]?.l ?? '')) {
      const after = toks[j + 1]?.t;
      return after === undefined || !isWordTok(after);
    }
    if (!isWordTok(t)) return false;
  }
  return false;
}

interface PreResult {
  phrase: Tok[];
  /** A speech verb, "menurut", ":" or a statement noun stands directly before the opening mark. */
  adjacent: boolean;
}

/** The speaker named before a quote in its sentence, and whether a speech verb is adjacent. */
function parsePre(toks: Tok[]): PreResult | null {
  if (toks.length === 0) return null;
  let e = toks.length;
  // drop the opening region's trailing punctuation: "mengatakan," / "berbunyi:"
  const lastT = toks[e - 1]?.t ?? '';
  const colon = lastT === ':';
  if (lastT === ',' || colon) e--;
  // nearest speech verb / menurut / statement noun, scanning back
  for (let i = e - 1; i >= 0; i--) {
    const t = toks[i]?.t ?? '';
    const l = toks[i]?.l ?? '';
    if (isDoubleMark(t)) {
      // an earlier quotation in the same sentence: only look past it for a verb
      continue;
    }
    if (PRE_VERBS.has(l)) {
      const gap = toks.slice(i + 1, e);
      // adjacent: "mengatakan, “…”", "mengklarifikasi bahwa “…”", "mengatakan kepada wartawan bahwa “…”"
      const adjacent = gap.length === 0 || (gap.length <= 6 && (gap[gap.length - 1]?.l ?? '') === 'bahwa');
      return { phrase: subjectOf(toks, i), adjacent };
    }
    if (l === 'menurut' && i + 1 < e) {
      const phrase = toks.slice(i + 1, e);
      const comma = phrase.findIndex((x) => x.t === ',');
      return { phrase: comma >= 0 ? phrase.slice(0, comma) : phrase, adjacent: comma === phrase.length - 1 || comma < 0 };
    }
    if (POST_VERBS.has(l) && (i === 0 || toks[i - 1]?.t === ',') && i + 1 < e) {
      // "Kata Amran, ..." / ", kata Suwardi, ..."
      const phrase = speakerPhrase(toks.slice(0, e), i + 1);
      if (phrase.length > 0) return { phrase, adjacent: false };
    }
    if (STATEMENT_NOUNS.has(l) && i === e - 1) {
      // "AISGOC hanya mencantumkan pernyataan "…"": the clause subject wrote it
      for (let j = i - 1; j >= 0; j--) {
        const w = (toks[j]?.l ?? '');
        if (/^(me|mem|men|meng|meny|ber)\p{Ll}{3,}$/u.test(w)) return { phrase: subjectOf(toks, j), adjacent: true };
        if (toks[j]?.t === ',') break;
      }
    }
  }
  if (colon) {
    // "X: "…""
    let s = e;
    while (s > 0 && toks[s - 1]?.t !== ',' && e - s < 10) s--;
    const phrase = toks.slice(s, e);
    if (phrase.length > 0 && phrase.length <= 8 && (isUpper(phrase[0]?.t[0]) || ROLE_WORDS.has((phrase[0]?.l ?? '')))) return { phrase, adjacent: true };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Mentions
// ---------------------------------------------------------------------------------------------

/** Inserts a mention keeping the list in document order. */
function addMention(doc: Doc, m: Mention): void {
  const list = doc.mentions;
  let i = list.length;
  while (i > 0 && (list[i - 1]?.key ?? 0) > m.key) i--;
  list.splice(i, 0, m);
}

/** Named sentence subjects ("Honda akhirnya memutuskan ...") of one paragraph, as weak mentions. */
function harvestSubjects(doc: Doc, para: number, pt: ParaTokens, spans: readonly Span[]): void {
  const toks = pt.toks;
  let n = 0;
  for (let k = 0; k < toks.length && n < 40; k++) {
    if (pt.sent[k] !== k) continue;
    n++;
    const at = (toks[k] as Tok).at;
    if (spans.some((sp) => sp.open <= at && at < sp.end)) continue;
    let subject = sentenceSubject(toks, k, Math.min(toks.length, k + 30));
    // "Prestasi Jorge Lorenzo berada ...": a capitalised opener never seen capitalised elsewhere is not a name
    while (subject.length > 1 && !ROLE_WORDS.has((subject[0]?.l ?? '')) && !(doc.stats(subject[0]?.t ?? '')?.mid ?? false)) subject = subject.slice(1);
    if (subject.length === 0 || subject.length > 8) continue;
    // One word never capitalised inside a sentence names nobody unless it is an alias: what
    // analyzePhrase would find ("plausible" there), found without it. (Half the subjects are such.)
    if (subject.length === 1) {
      const w = (subject[0] as Tok).t;
      if (!(doc.stats(w)?.mid ?? false) && !doc.aliases.has(w)) continue;
    }
    const a = analyzePhrase(doc, subject);
    if (a.name === null || a.pronoun || a.demonstrative) continue;
    addMention(doc, { key: keyOf(para, at), para, name: expandName(doc, a.name), role: a.role, weak: true });
  }
}

/** Words that can introduce a mention. */
const TRIGGERS = new Set([...PRE_VERBS, ...SPEECH_PASSIVES, 'menurut', 'Menurut', 'kata', 'Kata', 'ujar', 'Ujar', 'disapa', 'dipanggil', 'alias', 'oleh']);

/** First characters of the triggers (all ASCII): most tokens are ruled out without a lookup. */
const TRIGGER_START = new Uint8Array(128);
for (const t of TRIGGERS) TRIGGER_START[t.charCodeAt(0)] = 1;

function mayTrigger(w: string): boolean {
  const c = w.charCodeAt(0);
  return c < 128 && TRIGGER_START[c] === 1 && TRIGGERS.has(w);
}

/** Speech-verb subjects, `menurut X`, `kata X,` and aliases in one paragraph, outside quotes. */
function harvestMentions(doc: Doc, para: number, spans: readonly Span[]): void {
  const pt = doc.tokens(para);
  if (pt === null) return; // past the budget of a huge body: nobody new is looked for
  harvestSubjects(doc, para, pt, spans);
  const toks = pt.toks;
  let si = 0;
  let found = 0;
  for (let k = 0; k < toks.length && found < 200; k++) {
    const tk = toks[k] as Tok;
    if ((tk.f & TRIGGER) === 0) continue;
    const at = tk.at;
    while (si < spans.length && (spans[si]?.end ?? 0) < at) si++;
    const sp = spans[si];
    if (sp !== undefined && sp.open < at && at < sp.end) continue;
    const l = tk.l;
    const next = toks[k + 1]?.t ?? '';
    let who: Who | null = null;
    if (PRE_VERBS.has(l) && (!WEAK_PRE_VERBS.has(l) || next === '' || /^(?:[,:"“]|bahwa|agar|supaya)$/.test(next))) {
      const s0 = Math.max(pt.sent[k] ?? 0, k - PRE_TOKENS);
      const before = toks.slice(s0, k);
      // a verb inside reported speech ("Ia mengatakan Indonesia optimistis ...") names nobody new
      const reported = before.some((x, j) => (PRE_VERBS.has(x.l) && (before[j - 1]?.l ?? '') !== 'yang') || x.l === 'bahwa');
      if (!reported) who = resolveShallow(doc, subjectOf(before, before.length), keyOf(para, at), true);
    } else if (l === 'menurut' || ((l === 'kata' || l === 'ujar') && (isUpper(next[0]) || PRONOUNS.has(next)))) {
      let phrase = speakerPhrase(toks, k + 1);
      const comma = phrase.findIndex((x) => x.t === ',');
      if (l === 'menurut' && comma >= 0) phrase = phrase.slice(0, comma);
      who = resolveShallow(doc, phrase, keyOf(para, at), true);
    } else if (l === 'disapa' || l === 'dipanggil' || l === 'alias') {
      if (!isNameTok(next)) continue;
      let target = latestNamed(doc, keyOf(para, at), para);
      if (l === 'alias') {
        // "Faisal (37) alias Komeng"
        const run: string[] = [];
        for (let j = k - 1; j >= 0 && k - j < 12; j--) {
          const t = toks[j]?.t ?? '';
          if (t === '(' || t === ')' || /^\p{N}+$/u.test(t)) {
            if (run.length > 0) break;
            continue;
          }
          if (!isNameTok(t)) break;
          run.unshift(t);
        }
        if (run.length > 0) target = run.join(' ');
      }
      if (target !== null && !doc.aliases.has(next)) doc.aliases.set(next, target);
      continue;
    } else if (SPEECH_PASSIVES.has(l) && isUpper(next[0])) {
      // "penghormatan ... juga diucapkan Johnson saat ..."
      who = resolveShallow(doc, speakerPhrase(toks, k + 1), keyOf(para, at), true);
    } else if (l === 'oleh' && SPEECH_PASSIVES.has((toks[k - 1]?.l ?? ''))) {
      who = resolveShallow(doc, speakerPhrase(toks, k + 1), keyOf(para, at), true);
    }
    if (who !== null && (who.name !== null || who.role !== null)) {
      addMention(doc, { key: keyOf(para, at), para, name: who.name, role: who.role });
      found++;
    }
  }
}

/** The latest mention before `key` that `accept`s, preferring speech mentions over weak ones. */
function latest(doc: Doc, key: number, para: number, accept: (m: Mention) => boolean): Mention | null {
  let weak: Mention | null = null;
  for (let i = doc.mentions.length - 1; i >= 0; i--) {
    const m = doc.mentions[i] as Mention;
    if (m.key >= key) continue;
    if (para - m.para > MENTION_PARAGRAPHS) break;
    if (!accept(m)) continue;
    if (m.weak !== true) return m;
    weak ??= m;
  }
  return weak;
}

function latestNamed(doc: Doc, key: number, para: number): string | null {
  return latest(doc, key, para, (m) => m.name !== null)?.name ?? null;
}

function latestAny(doc: Doc, key: number, para: number): Who | null {
  const m = latest(doc, key, para, (x) => x.name !== null || x.role !== null);
  return m === null ? null : { name: m.name, role: m.role };
}

/** The latest mention whose role shares the head noun of an epithet ("pejabat itu"). */
function latestWithHead(doc: Doc, head: string, key: number, para: number): Who | null {
  const h = head.toLowerCase();
  for (let i = doc.mentions.length - 1; i >= 0; i--) {
    const m = doc.mentions[i] as Mention;
    if (m.key >= key) continue;
    if (para - m.para > MENTION_PARAGRAPHS * 2) break;
    if (m.role !== null && m.weak !== true && m.role.toLowerCase().split(' ').includes(h)) return { name: m.name, role: m.role };
  }
  return null;
}

/**
 * Resolves a phrase against the mentions so far (pronouns, epithets, bare roles, aliases). Only
 * people come back: a name, or a role headed by a role noun or holding a capitalised word
 * ("pejabat pertahanan Korea Utara", "tim Project Zero"); "di pengujung musim" does not.
 */
function resolveShallow(doc: Doc, phrase: Tok[], key: number, forMention = false): Who | null {
  if (forMention && phrase.length > 0 && /^(para|sejumlah|beberapa|banyak)$/i.test(phrase[0]?.t ?? '')) return null;
  const who = resolvePhrase(doc, phrase, key);
  if (who === null || who.name !== null) return who;
  return personish(who.role) ? who : null;
}

function personish(role: string | null): boolean {
  if (role === null) return false;
  const words = role.split(/\s+/);
  if (/^(para|sejumlah|beberapa|banyak)$/i.test(words[0] ?? '')) return false;
  const head = headOf(role);
  if (head !== null && ROLE_WORDS.has(head)) return true;
  // a capitalised word that is not just a place ("Indonesia optimistis ...")
  return words.some((w) => isUpper(w[0]) && !PLACE_WORDS.has(w.toLowerCase()));
}

function resolvePhrase(doc: Doc, phrase: Tok[], key: number): Who | null {
  const para = Math.floor(key / 1e10);
  if (phrase.length === 0) return null;
  const a = analyzePhrase(doc, phrase);
  if (a.pronoun) return latestAny(doc, key, para);
  if (a.alias !== null) {
    const target = doc.aliases.get(a.alias);
    if (target !== undefined) return { name: target, role: a.role };
  }
  if (a.demonstrative && a.name === null) {
    const head = headOf(a.role);
    const same = head === null ? null : latestWithHead(doc, head, key, para);
    if (same !== null) return same;
    const named = latestNamed(doc, key, para);
    if (named !== null) return { name: named, role: a.role };
    return a.role === null ? null : { name: null, role: a.role };
  }
  if (a.name === null && a.role !== null) {
    // a bare role: "kata Kapolsek" -> the person that role was given to
    const head = headOf(a.role);
    if (head !== null && a.role.split(' ').length <= 2) {
      const same = latestWithHead(doc, head, key, para);
      if (same?.name != null) return same;
    }
    return { name: null, role: a.role };
  }
  if (a.name !== null) {
    const known = consistentName(doc, a.rawName ?? a.name, key, para);
    return { name: known ?? expandName(doc, a.name), role: a.role };
  }
  return null;
}

/**
 * A new two-or-more-word name whose first word starts a name already mentioned, and whose last
 * word is used on its own elsewhere, is that name ("menurut Aji Arema juga ..." with the comma
 * missing, after "pelatih Arema Aji Santoso").
 */
function consistentName(doc: Doc, name: string, key: number, para: number): string | null {
  const words = name.split(' ');
  if (words.length < 2) return null;
  const last = words[words.length - 1] ?? '';
  if (doc.stats(last)?.alone !== true) return null;
  const first = words[0] ?? '';
  const known = latest(doc, key, para, (m) => m.name !== null && m.name !== name && m.name.split(' ')[0] === first && m.name.includes(' ') && !m.name.includes(last));
  return known?.name ?? null;
}

function headOf(role: string | null): string | null {
  if (role === null) return null;
  const words = role.split(/\s+/).filter((w) => !ARTICLES.has(w.toLowerCase()) && !/^(mantan|eks|bekas)$/i.test(w));
  const h = words[0];
  return h === undefined ? null : h.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Candidates
// ---------------------------------------------------------------------------------------------

interface Candidate {
  parts: Span[];
  text: string;
  words: number;
  key: number;
  para: number;
  speaker: string | null;
  named: boolean;
  explicit: boolean;
}

/** A character of /[\s,;–—-]/u (\s of a `u` regex: the SPACE class). */
function trailingCut(c: number): boolean {
  return c === 44 || c === 59 || c === 0x2013 || c === 0x2014 || c === 45 || (unitClass(c) & SPACE) !== 0;
}

function cleanQuoteText(raw: string): string {
  let s = squash(raw);
  // a trailing comma (or dash) before the closing mark goes: `"…," kata X` (what /[\s,;–—-]+$/u
  // matches, cut from the end)
  let e = s.length;
  while (e > 0 && trailingCut(codeAt(s, e - 1))) e--;
  if (e < s.length) s = s.slice(0, e);
  if (s.length > MAX_QUOTE_CHARS) {
    const cut = s.lastIndexOf(' ', MAX_QUOTE_CHARS);
    s = s.slice(0, cut > MAX_QUOTE_CHARS / 2 ? cut : MAX_QUOTE_CHARS) + '…';
  }
  return s;
}

/** Extracts the key quotes of an article body, best first. */
export function extractQuotes(paragraphs: readonly string[], opts: QuoteOptions = {}): Quote[] {
  const max = opts.max ?? DEFAULT_MAX_QUOTES;
  if (max <= 0 || paragraphs.length === 0) return [];
  const doc = new Doc(paragraphs, opts.lexicon ?? new Lexicon());

  // 1. spans per paragraph, with inner attributions cut
  const perPara: Span[][] = [];
  let total = 0;
  const budget = { marks: MAX_MARKS };
  for (let p = 0; p < doc.paras.length; p++) {
    if (total >= MAX_CANDIDATES || budget.marks <= 0) {
      perPara.push([]);
      continue;
    }
    const text = doc.paras[p] ?? '';
    const nextText = doc.paras[p + 1];
    const continues = nextText !== undefined && isDoubleMark(nextText.trimStart()[0] ?? '');
    const spans = pairMarks(text, doc.starts[p] ?? 0, p, continues, budget);
    for (const sp of spans) {
      if (sp.closed) continue;
      const inner = INNER_ATTRIBUTION.exec(text.slice(sp.open + 1, Math.min(text.length, sp.open + 1 + 4000)));
      if (inner !== null) {
        sp.innerAttribution = sp.open + 1 + inner.index + 1;
        sp.end = sp.open + 1 + inner.index;
      }
    }
    total += spans.length;
    perPara.push(spans);
  }

  // join quotes running over paragraphs
  const groups: Span[][] = [];
  const joined = new Set<Span>();
  for (let p = 0; p < perPara.length; p++) {
    for (const sp of perPara[p] ?? []) {
      if (joined.has(sp)) continue;
      const group = [sp];
      let cur = sp;
      let q = p;
      while (!cur.closed && cur.innerAttribution === undefined && q + 1 < perPara.length) {
        const nextSpans = perPara[q + 1] ?? [];
        const first = nextSpans[0];
        const nt = doc.paras[q + 1] ?? '';
        if (first === undefined || nt.slice(0, first.open).trim() !== '') break;
        group.push(first);
        joined.add(first);
        cur = first;
        q++;
      }
      groups.push(group);
    }
  }

  // 2-3. classify and attribute, in article order; mentions grow as we go
  const harvested = new Set<number>();
  const harvestUpTo = (p: number): void => {
    for (let k = 0; k <= p; k++) {
      if (harvested.has(k)) continue;
      harvested.add(k);
      harvestMentions(doc, k, perPara[k] ?? []);
    }
  };
  const candidates: Candidate[] = [];
  const pending: Candidate[] = [];
  for (const group of groups) {
    const first = group[0] as Span;
    const last = group[group.length - 1] as Span;
    // (a runaway quote is cut long before its end: the text is shortened to MAX_QUOTE_CHARS anyway)
    const raw = group.map((s) => (doc.paras[s.para] ?? '').slice(s.open + 1, Math.min(s.end, s.open + 1 + 2 * MAX_QUOTE_CHARS))).join(' ');
    const text = cleanQuoteText(raw);
    const words = countWords(text);
    if (words === 0) continue;
    const lastText = doc.paras[last.para] ?? '';

    // context
    const preToks = sentenceTokensBefore(doc, first.para, first.open);
    const postFrom = last.innerAttribution ?? (last.closed ? last.end + 1 : lastText.length);
    const siblings = perPara[last.para] ?? [];
    const nextOpen = siblings[siblings.indexOf(last) + 1]?.open ?? lastText.length;
    const post = last.innerAttribution !== undefined || last.closed ? parsePost(doc.lexicon, lastText, postFrom, nextOpen) : null;
    const pre = parsePre(preToks);
    const preEmpty = preToks.length === 0 || (preToks.length === 1 && preToks[0]?.t === ':');
    const initial = preEmpty || pre?.adjacent === true;
    const afterClose = last.closed ? lastText.slice(last.end + 1, last.end + 4).trimStart() : '';
    const final = !last.closed || afterClose === '' || /^[.!?]/.test(afterClose) || (/^,/.test(afterClose) && /[.!?]$/.test(text)) || post !== null;
    let key = false;
    if (post !== null || (initial && final)) key = words >= 3;
    else {
      const before = (preToks[preToks.length - 1]?.l ?? '');
      const speechBefore = pre !== null;
      key = words >= 10 || (words >= 5 && speechBefore && !TERM_INTRODUCERS.has(before));
    }
    if (!key) continue;
    const cand: Candidate = { parts: group, text, words, key: keyOf(first.para, first.open), para: first.para, speaker: null, named: false, explicit: false };
    harvestUpTo(first.para);
    let who: Who | null = null;
    if (post !== null) {
      who = post.pronoun ? latestAny(doc, cand.key, first.para) : post.phrase === null ? null : resolveShallow(doc, post.phrase, cand.key);
      cand.explicit = !post.pronoun;
    }
    if (who === null && pre !== null) {
      who = resolveShallow(doc, pre.phrase, cand.key);
      cand.explicit = who !== null;
    }
    if (who === null) who = latestAny(doc, cand.key, first.para);
    if (who !== null) {
      cand.speaker = who.name ?? who.role;
      cand.named = who.name !== null;
      if (who.name !== null || who.role !== null) {
        addMention(doc, { key: cand.key + 1, para: first.para, name: who.name, role: who.role });
      }
    } else pending.push(cand);
    candidates.push(cand);
    if (candidates.length >= MAX_CANDIDATES) break;
  }
  // a standalone quote before anybody is named: the speaker of the next attributed quote nearby
  for (const cand of pending) {
    const next = candidates.find((c) => c.key > cand.key && c.explicit && c.speaker !== null && c.para - cand.para <= 1);
    if (next !== undefined) {
      cand.speaker = next.speaker;
      cand.named = next.named;
    }
  }

  if (candidates.length === 0) return [];

  // 4. salience
  const titleWords = contentWords(doc.lexicon, opts.title ?? '');
  const lead = contentWords(doc.lexicon, doc.paras[0] ?? '', doc.starts[0] ?? 0, 2000);
  const titleStrings = new Set<string>();
  for (const w of titleWords) titleStrings.add(doc.lexicon.store.forms[w] as string);
  const n = Math.max(1, doc.paras.length);
  const seen = new Set<string>();
  const scored: Quote[] = [];
  for (const c of candidates) {
    const norm = c.text.toLowerCase();
    if (seen.has(norm)) continue;
    seen.add(norm);
    const speaker = c.speaker === null ? null : cleanSpeaker(c.speaker);
    const length = c.words <= 40 ? c.words / 40 : Math.max(0.6, 1 - (c.words - 40) / 100);
    const qWords = quoteWords(doc, c);
    let tHit = 0;
    for (const w of titleWords) if (qWords.has(w)) tHit++;
    let lHit = 0;
    for (const w of lead) if (qWords.has(w)) lHit++;
    const overlap = (titleWords.size > 0 ? 0.5 * (tHit / titleWords.size) : 0) + 0.2 * Math.min(1, lHit / Math.max(4, Math.min(20, lead.size)));
    const who = (speaker === null ? 0 : c.named ? 0.3 : 0.15) + (speaker !== null && c.words >= 8 && headlineVoice(speaker, titleStrings) ? 0.35 : 0);
    const position = 0.2 * (1 - c.para / n);
    const score = Math.round((length + who + overlap + position) * 10000) / 10000;
    scored.push({ text: c.text, speaker, paragraph: c.para, score });
  }
  // best first; the sort is stable, so ties keep article order
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, max);
}

/** Offices and ranks: capitalised in a speaker's description, but not whose side a headline tells. */
const OFFICES = set(`
  presiden wakil menteri ketua kepala gubernur bupati wali walikota direktur juru bicara jubir pejabat
  kapolri kapolda kapolres panglima jenderal komisaris sekretaris jaksa hakim anggota dewan duta besar
`);

/**
 * Whether the headline tells the speaker's side: a capitalised word of the speaker's name or
 * description that is not an office stands in the title ("pejabat pertahanan Korea Utara" under
 * "Korea Utara Klaim ..."). Their words are what the story is about, so they come first.
 */
function headlineVoice(speaker: string, titleWords: Set<string>): boolean {
  if (titleWords.size === 0) return false;
  for (const m of speaker.matchAll(/\p{Lu}[\p{L}\p{M}'’-]{2,}/gu)) {
    const w = m[0].toLowerCase();
    if (!OFFICES.has(w) && titleWords.has(w)) return true;
  }
  return false;
}

function cleanSpeaker(s: string): string | null {
  let out = squash(s).replace(/^[\s,.:;–—-]+|[\s,.:;–—-]+$/gu, '');
  const words = out.split(' ');
  while (words.length > 1 && (HONORIFICS.has(lower(words[0] ?? '')) || ARTICLES.has(lower(words[0] ?? '')))) words.shift();
  out = words.join(' ');
  return out === '' ? null : out;
}

const CONTENT_STOP = set(`
  yang dan di ke dari untuk dengan pada dalam ini itu tersebut adalah akan tidak juga sudah telah bisa
  atau karena oleh para saat kata ujar ia dia kami kita saya mereka ada lebih bahwa sebagai namun tetapi
  agar jika hanya masih harus sangat secara serta yakni seperti menjadi dapat hingga sejak antara atas
`);

/**
 * Lowercase words of 3+ characters that are not function words (see text/scan.ts nextLetterWord),
 * as store ids of the lowercase forms (one id per distinct word, as one string would be).
 */
function contentWords(lexicon: Lexicon, s: string, from = 0, to = s.length, out = new Set<number>()): Set<number> {
  // (those of s.slice(from, to), read in place)
  const lt = lexicon.text(s);
  const facts = lexicon.facts(contentWord, 1);
  const span = { start: 0, end: 0 };
  const end = Math.min(to, s.length);
  for (let at = from; nextLetterWord(lt.codes, at, span, end); at = span.end) {
    const row = facts.row(lt.intern(span.start, span.end));
    const w = facts.data[row] as number;
    if (w >= 0) out.add(w);
  }
  return out;
}

/**
 * The content words of a candidate's text, read in its paragraphs where the words the paragraphs'
 * tokens already numbered are found by position. The same words as in the cleaned text: squashing
 * white space and joining the parts with a space change no word, and the end that cleaning cuts
 * ({@link cleanQuoteText}: spaces, commas, semicolons and dashes) is cut here too, as it can end a
 * word ("sebut-"). A quote shortened with "…" is read as it stands.
 */
function quoteWords(doc: Doc, c: Candidate): Set<number> {
  if (c.text.endsWith('…')) return contentWords(doc.lexicon, c.text);
  const parts = c.parts;
  const ends: number[] = [];
  for (const sp of parts) ends.push(Math.min(sp.end, sp.open + 1 + 2 * MAX_QUOTE_CHARS));
  for (let i = parts.length - 1; i >= 0; i--) {
    const sp = parts[i] as Span;
    const text = doc.paras[sp.para] ?? '';
    let e = Math.min(ends[i] as number, text.length);
    while (e > sp.open + 1 && cutAtEnd(text.charCodeAt(e - 1))) e--;
    ends[i] = e;
    if (e > sp.open + 1) break;
  }
  const out = new Set<number>();
  for (let i = 0; i < parts.length; i++) {
    const sp = parts[i] as Span;
    contentWords(doc.lexicon, doc.paras[sp.para] ?? '', sp.open + 1, ends[i] as number, out);
  }
  return out;
}

/** Whether cleaning cuts this character off the end of a quote: white space, "," ";" or a dash. */
function cutAtEnd(c: number): boolean {
  return c === 44 || c === 59 || c === 45 || c === 0x2013 || c === 0x2014 || c === 0x200b || (unitClass(c) & SPACE) !== 0;
}

/** The store id of a word's lowercase form when it is a content word (3+ characters, not a function word), else -1. */
function contentWord(word: string, store: WordStore): readonly number[] {
  const w = word.toLowerCase();
  return [w.length >= 3 && !CONTENT_STOP.has(w) ? store.internString(w) : -1];
}
