"""The complementary programmes a pendamping refers families to, as reference data: loaded by the
data migration ``0002_seed_programmes`` and, in tests, again after a flush (harapan/conftest.py
``reference_data_reload``). Korkab, Dinas Sosial and the ministry change them afterwards.

RULES.md "People and ratios" (pendamping duties [seed 003]: "ensure complementary programmes (BPNT,
KIS, KIP)"; the source adds "bantuan sosial atau subsidi lainnya"); NIK validity is a condition of
payment (RULES.md: Disbursement and data, "NIK/No KK valid and matched"), hence the Dukcapil
referral; Dinas Koperasi serves the groups' products (SEKOPER, RULES.md: Glossary).
"""

from __future__ import annotations

from typing import Any

# code, name, provider, target, eligibility rule, hint
PROGRAMMES: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "kis",
        "KIS (Jaminan Kesehatan PBI)",
        "BPJS Kesehatan, diusulkan Dinas Sosial",
        "keluarga",
        "keluarga_pkh",
        "Setiap KPM PKH berhak atas Penerima Bantuan Iuran Jaminan Kesehatan; rujuk keluarga yang belum memegang KIS.",
    ),
    (
        "kip",
        "KIP (Program Indonesia Pintar)",
        "Kemendikbudristek/Kemenag melalui sekolah",
        "anggota",
        "usia_sekolah",
        "Anak usia sekolah (6-21 tahun) dari KPM, termasuk yang putus sekolah agar kembali bersekolah.",
    ),
    (
        "bpnt",
        "BPNT / Program Sembako",
        "Kementerian Sosial melalui Dinas Sosial",
        "keluarga",
        "keluarga_pkh",
        "KPM PKH diutamakan menerima bantuan pangan non-tunai setiap bulan.",
    ),
    (
        "dukcapil_nik",
        "Perekaman/aktivasi NIK",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "anggota",
        "nik_tidak_sah",
        "Anggota tanpa NIK atau dengan NIK yang tidak sah; NIK yang sah dan padan menjadi syarat validasi penyaluran.",
    ),
    (
        "dinkop",
        "Pembinaan usaha dan koperasi",
        "Dinas Koperasi dan Usaha Mikro",
        "keluarga",
        "",
        "KPM dengan usaha atau produk unggulan kelompok yang memerlukan izin (PIRT, halal), pelatihan atau akses modal.",
    ),
    (
        "rutilahu",
        "Rehabilitasi rumah tidak layak huni (Rutilahu)",
        "Dinas Sosial / Dinas Perumahan dan Kawasan Permukiman",
        "keluarga",
        "",
        "Rumah dengan atap, dinding atau lantai tidak layak; diusulkan setelah survei rumah.",
    ),
    (
        "atensi",
        "ATENSI (Asistensi Rehabilitasi Sosial)",
        "Kementerian Sosial melalui sentra/balai rehabilitasi sosial",
        "anggota",
        "lansia_disabilitas",
        "Lanjut usia dan penyandang disabilitas berat: alat bantu, perawatan dan dukungan keluarga.",
    ),
    (
        "pmt",
        "Makanan tambahan (PMT) ibu hamil dan balita",
        "Puskesmas / Dinas Kesehatan",
        "anggota",
        "",
        "Ibu hamil kurang energi kronis dan balita kurang gizi (pencegahan stunting).",
    ),
)


def load_programmes(programme_model: Any) -> int:
    """Create the programmes that are missing (by code) and return how many were created; a programme
    already present keeps the edits made to it."""
    existing = set(programme_model.objects.values_list("code", flat=True))
    rows = [
        programme_model(
            code=code,
            name=name,
            provider=provider,
            target=target,
            eligibility=eligibility,
            hint=hint,
            is_active=True,
            order=order * 10,
        )
        for order, (code, name, provider, target, eligibility, hint) in enumerate(PROGRAMMES, start=1)
        if code not in existing
    ]
    programme_model.objects.bulk_create(rows)
    return len(rows)
