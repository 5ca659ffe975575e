"""The default question set: the measurable items of the Banjarmasin evaluation of Diklat P2K2
(seed 003, "2. Hasil Kuisioner" a-j, and "1. Identitas Pendamping PKH": age, sex, education and
field of study), as data a survey loads and may then change.

Each entry is the fields of a ``SurveyQuestion``; ``compares_with`` names the figure Harapan
records beside the answer (models.Figure). The wording of item g is the source's own question.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

YA_TIDAK = [{"value": "ya", "label": "Ya"}, {"value": "tidak", "label": "Tidak"}]

# RULES.md "P2K2 / FDS curriculum": the five inti modules.
MODULES = [
    {"value": "m1", "label": "1. Pengasuhan dan Pendidikan Anak"},
    {"value": "m2", "label": "2. Pengelolaan Keuangan dan Perencanaan Usaha"},
    {"value": "m3", "label": "3. Kesehatan dan Gizi"},
    {"value": "m4", "label": "4. Perlindungan Anak"},
    {"value": "m5", "label": "5. Kesejahteraan Sosial"},
]

IDENTITAS = _("Identitas")
PELAKSANAAN = _("Pelaksanaan tugas pendampingan")
P2K2 = _("Pelaksanaan P2K2")
MANFAAT = _("Manfaat diklat")


def default_questions() -> list[dict[str, Any]]:
    """The default set in order (texts in Indonesian: the questionnaire is read by the alumni)."""
    agree = {
        "scale_min": 1,
        "scale_max": 5,
        "scale_min_label": "Sangat tidak setuju",
        "scale_max_label": "Sangat setuju",
    }
    return [
        # 1. Identitas pendamping (seed 003: most 26-30 years old, more women, mostly sarjana).
        {
            "key": "usia",
            "section": str(IDENTITAS),
            "text": "Berapa usia Anda?",
            "kind": "number",
            "number_min": 17,
            "number_max": 70,
            "unit": "tahun",
        },
        {
            "key": "jenis_kelamin",
            "section": str(IDENTITAS),
            "text": "Jenis kelamin",
            "kind": "choice",
            "options": [{"value": "p", "label": "Perempuan"}, {"value": "l", "label": "Laki-laki"}],
        },
        {
            "key": "pendidikan",
            "section": str(IDENTITAS),
            "text": "Pendidikan terakhir",
            "kind": "choice",
            "options": [
                {"value": "sma", "label": "SMA/sederajat"},
                {"value": "d3", "label": "Diploma (D3)"},
                {"value": "s1", "label": "Sarjana (S1/D4)"},
                {"value": "s2", "label": "Pascasarjana (S2/S3)"},
            ],
        },
        {
            "key": "jurusan",
            "section": str(IDENTITAS),
            "text": "Bidang/jurusan pendidikan",
            "kind": "choice",
            "options": [
                {"value": "pendidikan", "label": "Pendidikan"},
                {"value": "kebidanan", "label": "Kebidanan/kesehatan"},
                {"value": "sosial", "label": "Ilmu sosial/kesejahteraan sosial"},
                {"value": "ekonomi", "label": "Ekonomi"},
                {"value": "teknik_sains", "label": "Teknik/sains"},
                {"value": "lainnya", "label": "Lainnya"},
            ],
        },
        # a. Jumlah penerima manfaat yang didampingi (seed 003: mostly 150-200, mean 195).
        {
            "key": "jumlah_kpm",
            "section": str(PELAKSANAAN),
            "text": "Berapa jumlah KPM yang Anda dampingi saat ini?",
            "kind": "number",
            "number_min": 0,
            "number_max": 2000,
            "unit": "KPM",
            "compares_with": "caseload",
        },
        # b. KPM yang graduasi mandiri (seed 003: mean 10 per pendamping).
        {
            "key": "graduasi_mandiri",
            "section": str(PELAKSANAAN),
            "text": "Berapa KPM dampingan Anda yang graduasi mandiri selama periode acuan?",
            "help_text": "Hitung KPM yang keluar dari PKH karena sudah mampu (bukan graduasi alamiah).",
            "kind": "number",
            "number_min": 0,
            "number_max": 2000,
            "unit": "KPM",
            "compares_with": "graduasi_mandiri",
        },
        # c. Jadwal P2K2 (seed 003: monthly per group; with several groups, about five a month).
        {
            "key": "jumlah_kelompok",
            "section": str(P2K2),
            "text": "Berapa kelompok P2K2 yang Anda dampingi?",
            "kind": "number",
            "number_min": 0,
            "number_max": 100,
            "unit": "kelompok",
        },
        {
            "key": "p2k2_per_bulan",
            "section": str(P2K2),
            "text": "Rata-rata berapa kali Anda melaksanakan pertemuan P2K2 dalam sebulan (semua kelompok)?",
            "kind": "number",
            "number_min": 0,
            "number_max": 60,
            "unit": "kali/bulan",
            "compares_with": "p2k2_meetings_per_month",
        },
        # d. Rata-rata persentase kehadiran KPM dalam setiap kegiatan P2K2.
        {
            "key": "kehadiran",
            "section": str(P2K2),
            "text": "Rata-rata berapa persen KPM yang hadir dalam setiap pertemuan P2K2?",
            "kind": "number",
            "number_min": 0,
            "number_max": 100,
            "unit": "%",
            "compares_with": "attendance_rate",
        },
        # e. Materi modul yang sudah disampaikan.
        {
            "key": "modul_disampaikan",
            "section": str(P2K2),
            "text": "Modul P2K2 mana saja yang sudah Anda sampaikan kepada KPM?",
            "kind": "choice",
            "multiple": True,
            "options": MODULES,
            "required": False,
        },
        {
            "key": "modul_berurutan",
            "section": str(P2K2),
            "text": "Apakah Anda menyampaikan modul sesuai urutan yang diajarkan pada Diklat P2K2?",
            "kind": "choice",
            "options": YA_TIDAK,
            "compares_with": "modules_in_order",
        },
        # f. Menyampaikan materi sesuai modul diklat yang terstandardisasi.
        {
            "key": "sesuai_modul",
            "section": str(P2K2),
            "text": "Apakah Anda menyampaikan materi P2K2 sesuai modul diklat yang terstandardisasi?",
            "kind": "choice",
            "options": [
                {"value": "ya", "label": "Ya, seluruhnya"},
                {"value": "sebagian", "label": "Sebagian"},
                {"value": "tidak", "label": "Tidak"},
            ],
        },
        # g. KPM yang sudah mampu menerapkan materi (seed 003: 50.09% on average). No recorded twin.
        {
            "key": "kpm_menerapkan",
            "section": str(P2K2),
            "text": (
                "Berapa jumlah KPM yang Anda dampingi sudah mampu menerapkan materi modul diklat P2K2 "
                "dalam keseharian mereka? (persen dari KPM dampingan)"
            ),
            "kind": "number",
            "number_min": 0,
            "number_max": 100,
            "unit": "%",
            "compares_with": "applying_share",
        },
        # h. Berkomunikasi/berdiskusi dengan alumni diklat lainnya.
        {
            "key": "diskusi_alumni",
            "section": str(MANFAAT),
            "text": "Seberapa sering Anda berkomunikasi/berdiskusi dengan alumni Diklat P2K2 lainnya?",
            "kind": "scale",
            "scale_min": 1,
            "scale_max": 5,
            "scale_min_label": "Tidak pernah",
            "scale_max_label": "Sangat sering",
        },
        # i. Materi diklat dalam kehidupan sehari-hari pendamping.
        {
            "key": "materi_pribadi",
            "section": str(MANFAAT),
            "text": "Saya menerapkan materi Diklat P2K2 dalam kehidupan sehari-hari saya sendiri.",
            "kind": "scale",
            **agree,
        },
        # j. Teknik fasilitasi digunakan dalam kegiatan lain.
        {
            "key": "teknik_fasilitasi",
            "section": str(MANFAAT),
            "text": "Saya menggunakan teknik fasilitasi dari Diklat P2K2 dalam kegiatan lain.",
            "kind": "scale",
            **agree,
        },
        # Rekomendasi (seed 003: pendamping need training as entrepreneurship facilitators).
        {
            "key": "saran",
            "section": str(MANFAAT),
            "text": "Pelatihan lanjutan apa yang Anda butuhkan? (misalnya kewirausahaan)",
            "kind": "text",
            "required": False,
        },
    ]
