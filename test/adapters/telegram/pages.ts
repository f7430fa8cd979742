/** Pages for the Telegram tests, built here (not copied): a very long article, junk. */

const PLACES = ['Mataram', 'Makassar', 'Jayapura', 'Kupang', 'Ambon', 'Palu', 'Kendari', 'Manado'];

/** One long Indonesian sentence (~700 characters), numbered so each is unique. */
function longSentence(i: number): string {
  const place = PLACES[i % PLACES.length] ?? 'Jakarta';
  return (
    `Pemerintah Provinsi di ${place} pada pekan ke-${i + 1} menyalurkan bantuan beras, air bersih, obat-obatan dan tenda darurat kepada ${1200 + i * 37} keluarga ` +
    `yang terdampak banjir bandang di sepanjang daerah aliran sungai, sementara petugas gabungan dari BPBD, TNI, Polri & relawan PT Sinar <Nusantara> ` +
    `terus membersihkan lumpur yang menutup jalan desa, memperbaiki jembatan gantung yang putus, mendata rumah warga yang rusak berat maupun ringan, ` +
    `membuka dapur umum di balai desa dan sekolah, serta memastikan anak-anak pengungsi tetap bisa belajar di kelas darurat sampai air benar-benar surut ` +
    `dan warga dapat kembali ke rumah mereka dengan aman menjelang musim tanam berikutnya yang sudah dinanti para petani di wilayah itu, ` +
    `sambil menunggu hasil kajian tim ahli geologi dan hidrologi dari perguruan tinggi setempat yang diminta pemerintah daerah memetakan ulang ` +
    `kawasan rawan longsor di hulu sungai, menghitung daya tampung bendungan kecil yang dibangun warga secara swadaya puluhan tahun lalu, ` +
    `dan menyusun rencana relokasi bagi keluarga yang rumahnya berdiri tepat di bantaran sungai agar bencana serupa tidak lagi merenggut harta benda mereka.`
  );
}

function longQuote(i: number): string {
  return (
    `"Kami minta semua pihak bergerak cepat, karena ribuan warga di ${PLACES[i % PLACES.length] ?? 'Jakarta'} masih tinggal di pengungsian, ` +
    `kekurangan air bersih dan selimut, dan banyak anak mulai sakit karena cuaca dingin pada malam hari, jadi bantuan tidak boleh menunggu ` +
    `laporan lengkap selesai ditulis dan harus sampai ke posko hari ini juga, termasuk makanan siap saji untuk bayi dan lansia, obat diare, ` +
    `vitamin, pakaian kering, terpal, lampu darurat, genset dan bahan bakar, karena listrik di banyak desa masih padam sejak banjir datang, ` +
    `jalan menuju dusun-dusun di lereng bukit belum bisa dilalui kendaraan roda empat, dan relawan harus berjalan kaki berjam-jam sambil memikul ` +
    `karung beras untuk menjangkau warga yang terisolasi di seberang sungai yang jembatannya hanyut diterjang arus," kata Kepala Badan Penanggulangan Bencana Daerah, Siti Rahmawati ${i + 1}, di posko utama.`
  );
}

/** A news page whose reading is far longer than one Telegram message (4096 characters). */
export function longArticle(origin: string): string {
  const paras: string[] = [];
  for (let i = 0; i < 14; i++) {
    paras.push(`<p>${i === 0 ? 'MATARAM, KOMPAS.com - ' : ''}${longSentence(i).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`);
    paras.push(`<p>${longQuote(i).replace(/&/g, '&amp;')}</p>`);
  }
  const related = Array.from({ length: 6 }, (_, i) => `<p><strong>Baca juga: <a href="${origin}/berita/terkait-${i}">Banjir bandang susulan &amp; longsor ancam desa ke-${i + 1} di Lombok</a></strong></p>`);
  paras.splice(3, 0, ...related);
  return `<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Banjir Bandang Landa Delapan Provinsi, Ribuan Warga Mengungsi - Kompas.com</title>
<meta property="og:title" content="Banjir Bandang Landa Delapan Provinsi, Ribuan Warga Mengungsi">
<meta property="og:site_name" content="Kompas.com">
<meta property="article:published_time" content="2026-11-28T07:30:00+07:00">
</head><body><header><nav><a href="/">Beranda</a></nav></header>
<article><h1>Banjir Bandang Landa Delapan Provinsi, Ribuan Warga Mengungsi</h1>
<div class="read__content">${paras.join('\n')}</div></article>
<footer>Copyright 2026 Kompas.com</footer></body></html>`;
}

/** A short page on the same story as longArticle (for "Berita terkait"). */
export function followUpArticle(): string {
  const p = [
    'MATARAM, KOMPAS.com - Badan Penanggulangan Bencana Daerah menambah posko pengungsian bagi warga terdampak banjir bandang di Lombok dan Sumbawa.',
    'Kepala BPBD Siti Rahmawati mengatakan jumlah pengungsi bertambah karena hujan deras kembali turun di hulu sungai sejak Jumat malam.',
    '"Kami menyiapkan tenda, dapur umum, air bersih dan selimut untuk pengungsi, terutama anak-anak dan lansia," kata Siti Rahmawati di Mataram.',
    'Petugas gabungan BPBD, TNI dan Polri bersama relawan juga membersihkan lumpur banjir dari rumah warga dan jalan desa.',
    'Pemerintah Provinsi berjanji menyalurkan bantuan beras dan obat-obatan ke seluruh posko pengungsian hingga banjir surut.',
  ];
  return `<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>BPBD Tambah Posko Pengungsian Korban Banjir Bandang Lombok</title>
<meta property="og:site_name" content="Kompas.com">
<meta property="article:published_time" content="2026-11-28T15:00:00+07:00">
</head><body><article><h1>BPBD Tambah Posko Pengungsian Korban Banjir Bandang Lombok</h1>
<div class="read__content">${p.map((x) => `<p>${x}</p>`).join('\n')}</div></article></body></html>`;
}
