"""The national P2K2/FDS catalogue as RULES.md "P2K2 / FDS curriculum" lists it, and its loader.

Five inti modules with 4+3+3+2+2 = 14 sessions in teaching order, plus the national *FDS fokus*
topic "Pencegahan stunting" (seed 001: FDS fokus for local problems, e.g. stunting).

The knowledge questions are Harapan's own starter questions, written from the session titles
for the short before/after check; they are not official Kemensos material and are meant to be
edited by the programme.
"""

from __future__ import annotations

from typing import Any

# (question, [(choice, is_correct), ...])
Question = tuple[str, list[tuple[str, bool]]]

INTI: list[tuple[str, list[tuple[str, list[Question]]]]] = [
    (
        "Pengasuhan dan Pendidikan Anak",
        [
            (
                "Menjadi Orang Tua yang Lebih Baik",
                [
                    (
                        "Apa yang paling dibutuhkan anak dari orang tuanya?",
                        [
                            ("Kasih sayang, perhatian dan contoh yang baik", True),
                            ("Hanya uang jajan", False),
                            ("Dibiarkan sendiri", False),
                        ],
                    ),
                    (
                        "Cara yang baik menegur anak yang berbuat salah adalah ...",
                        [
                            ("Memukul anak", False),
                            ("Berbicara tenang dan menjelaskan kesalahannya", True),
                            ("Membentak di depan orang lain", False),
                        ],
                    ),
                ],
            ),
            (
                "Memahami Perilaku Anak",
                [
                    (
                        "Perilaku anak terutama dipelajari dari ...",
                        [
                            ("Melihat dan meniru orang di sekitarnya", True),
                            ("Keturunan saja", False),
                            ("Tidak bisa diubah", False),
                        ],
                    ),
                    (
                        "Jika anak berperilaku baik, sebaiknya orang tua ...",
                        [("Diam saja", False), ("Memberi pujian", True), ("Menghukum", False)],
                    ),
                ],
            ),
            (
                "Memahami Cara Anak Usia Dini Belajar",
                [
                    (
                        "Anak usia dini paling banyak belajar melalui ...",
                        [("Bermain", True), ("Dimarahi", False), ("Menonton televisi sepanjang hari", False)],
                    ),
                    (
                        "Bermain bersama anak membantu ...",
                        [
                            ("Perkembangan otak dan kedekatan dengan orang tua", True),
                            ("Membuat anak malas", False),
                            ("Tidak ada gunanya", False),
                        ],
                    ),
                ],
            ),
            (
                "Membantu Anak Sukses di Sekolah",
                [
                    (
                        "Cara orang tua mendukung anak di sekolah adalah ...",
                        [
                            ("Menyediakan waktu dan tempat belajar di rumah", True),
                            ("Membiarkan anak sering bolos", False),
                            ("Menyuruh anak bekerja", False),
                        ],
                    ),
                    (
                        "Berapa persen kehadiran sekolah yang menjadi kewajiban anak peserta PKH?",
                        [
                            ("Paling sedikit 85% hari sekolah", True),
                            ("50% hari sekolah", False),
                            ("Tidak ada kewajiban", False),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "Pengelolaan Keuangan dan Perencanaan Usaha",
        [
            (
                "Mengelola Keuangan Keluarga",
                [
                    (
                        "Yang harus didahulukan saat berbelanja adalah ...",
                        [("Keinginan", False), ("Kebutuhan", True), ("Barang yang sedang diskon", False)],
                    ),
                    (
                        "Mencatat pemasukan dan pengeluaran keluarga berguna untuk ...",
                        [
                            ("Mengetahui ke mana uang dipakai", True),
                            ("Tidak ada gunanya", False),
                            ("Menambah utang", False),
                        ],
                    ),
                ],
            ),
            (
                "Cermat Meminjam dan Menabung",
                [
                    (
                        "Sebelum meminjam uang, yang perlu dipastikan adalah ...",
                        [
                            ("Kemampuan membayar cicilan", True),
                            ("Besarnya pinjaman saja", False),
                            ("Tidak perlu dipikirkan", False),
                        ],
                    ),
                    (
                        "Tempat menabung yang aman adalah ...",
                        [("Bank atau koperasi resmi", True), ("Rentenir", False), ("Di bawah kasur", False)],
                    ),
                ],
            ),
            (
                "Memulai Usaha",
                [
                    (
                        "Langkah pertama memulai usaha adalah ...",
                        [
                            ("Mengenali peluang dan kemampuan diri", True),
                            ("Meminjam uang sebanyak-banyaknya", False),
                            ("Meniru usaha tetangga tanpa rencana", False),
                        ],
                    ),
                    (
                        "Uang usaha sebaiknya ...",
                        [
                            ("Dicampur dengan uang belanja rumah", False),
                            ("Dipisahkan dari uang rumah tangga", True),
                            ("Tidak perlu dicatat", False),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "Kesehatan dan Gizi",
        [
            (
                "Pentingnya Gizi dan Layanan Kesehatan Ibu Hamil",
                [
                    (
                        "Ibu hamil sebaiknya memeriksakan kehamilan paling sedikit ...",
                        [("4 kali", True), ("1 kali", False), ("Tidak perlu", False)],
                    ),
                    (
                        "Persalinan sebaiknya ditolong oleh ...",
                        [("Tenaga kesehatan di fasilitas kesehatan", True), ("Tetangga", False), ("Siapa saja", False)],
                    ),
                ],
            ),
            (
                "Gizi dan Layanan Kesehatan Ibu Menyusui dan Balita",
                [
                    (
                        "ASI eksklusif diberikan kepada bayi selama ...",
                        [("6 bulan pertama", True), ("1 bulan", False), ("Tidak perlu", False)],
                    ),
                    (
                        "Balita perlu ditimbang di posyandu ...",
                        [("Setiap bulan", True), ("Setahun sekali", False), ("Hanya saat sakit", False)],
                    ),
                    (
                        "Imunisasi lengkap berguna untuk ...",
                        [
                            ("Melindungi anak dari penyakit berbahaya", True),
                            ("Membuat anak sakit", False),
                            ("Tidak ada manfaatnya", False),
                        ],
                    ),
                ],
            ),
            (
                "Kesakitan pada Anak dan Kesehatan Lingkungan",
                [
                    (
                        "Cara sederhana mencegah diare adalah ...",
                        [
                            ("Mencuci tangan dengan sabun", True),
                            ("Minum air yang tidak dimasak", False),
                            ("Buang air besar sembarangan", False),
                        ],
                    ),
                    (
                        "Anak yang demam tinggi dan tidak turun sebaiknya ...",
                        [
                            ("Segera dibawa ke puskesmas", True),
                            ("Dibiarkan saja", False),
                            ("Diberi obat sembarangan", False),
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "Perlindungan Anak",
        [
            (
                "Upaya Pencegahan Kekerasan dan Perlakuan Salah pada Anak",
                [
                    (
                        "Memukul anak sebagai hukuman termasuk ...",
                        [
                            ("Kekerasan terhadap anak", True),
                            ("Cara mendidik yang baik", False),
                            ("Hal yang wajar", False),
                        ],
                    ),
                    (
                        "Jika melihat anak mengalami kekerasan, sebaiknya ...",
                        [
                            ("Melapor kepada pendamping, aparat desa atau layanan perlindungan anak", True),
                            ("Diam saja", False),
                            ("Menyalahkan anak", False),
                        ],
                    ),
                ],
            ),
            (
                "Penelantaran dan Eksploitasi terhadap Anak",
                [
                    (
                        "Menyuruh anak bekerja sehingga tidak sekolah termasuk ...",
                        [("Eksploitasi anak", True), ("Mendidik anak mandiri", False), ("Hal yang biasa", False)],
                    ),
                    (
                        "Anak yang tidak diberi makan, perawatan dan pendidikan yang cukup mengalami ...",
                        [("Penelantaran", True), ("Pengasuhan yang baik", False), ("Perlindungan", False)],
                    ),
                ],
            ),
        ],
    ),
    (
        "Kesejahteraan Sosial",
        [
            (
                "Pelayanan bagi Penyandang Disabilitas Berat",
                [
                    (
                        "Penyandang disabilitas berat dalam keluarga berhak ...",
                        [
                            ("Mendapat perawatan dan layanan kesehatan", True),
                            ("Disembunyikan dari orang lain", False),
                            ("Tidak diperhatikan", False),
                        ],
                    ),
                    (
                        "Pemeriksaan kesehatan penyandang disabilitas berat dilakukan paling sedikit ...",
                        [("Setahun sekali", True), ("Tidak pernah", False), ("Sepuluh tahun sekali", False)],
                    ),
                ],
            ),
            (
                "Pentingnya Kesejahteraan Lanjut Usia",
                [
                    (
                        "Lanjut usia dalam keluarga sebaiknya ...",
                        [("Dihormati dan dirawat", True), ("Dibiarkan sendiri", False), ("Dianggap beban", False)],
                    ),
                    (
                        "Kegiatan yang baik bagi lanjut usia adalah ...",
                        [
                            ("Pemeriksaan kesehatan dan kegiatan sosial", True),
                            ("Berdiam diri di rumah saja", False),
                            ("Tidak ada", False),
                        ],
                    ),
                ],
            ),
        ],
    ),
]

FDS_FOKUS: list[tuple[str, str, str, list[tuple[str, list[Question]]]]] = [
    (
        "FDS-STUNTING",
        "Pencegahan stunting",
        "FDS fokus untuk masalah setempat: mencegah anak tumbuh pendek karena kurang gizi kronis.",
        [
            (
                "Mencegah Stunting sejak Kehamilan",
                [
                    (
                        "Stunting adalah ...",
                        [
                            ("Anak lebih pendek dari seusianya karena kurang gizi dalam waktu lama", True),
                            ("Penyakit menular", False),
                            ("Keturunan yang tidak bisa dicegah", False),
                        ],
                    ),
                    (
                        "Masa terpenting untuk mencegah stunting adalah ...",
                        [
                            ("1000 hari pertama kehidupan, sejak hamil sampai anak usia 2 tahun", True),
                            ("Saat anak masuk SD", False),
                            ("Saat remaja", False),
                        ],
                    ),
                    (
                        "Makanan yang membantu mencegah stunting adalah ...",
                        [
                            ("Makanan bergizi seimbang dengan protein seperti telur dan ikan", True),
                            ("Mi instan setiap hari", False),
                            ("Minuman manis", False),
                        ],
                    ),
                ],
            ),
        ],
    ),
]


def inti_code(number: int) -> str:
    return f"P2K2-{number}"


def load_catalogue(Module: Any, Session: Any, KnowledgeQuestion: Any, KnowledgeChoice: Any) -> None:
    """Create the national catalogue with the given model classes (the migration's historical
    models, or the real ones). Set-based: one bulk insert per table."""
    modules: list[Any] = []
    for i, (title, _sessions) in enumerate(INTI, start=1):
        modules.append(Module(code=inti_code(i), number=i, title=title, order=i, kind="inti"))
    for i, (code, title, description, _sessions) in enumerate(FDS_FOKUS, start=1):
        modules.append(Module(code=code, number=i, title=title, order=i, kind="fds_fokus", description=description))
    Module.objects.bulk_create(modules)
    by_code = {m.code: m for m in Module.objects.filter(code__in=[m.code for m in modules])}

    plan: list[tuple[Any, list[tuple[str, list[Question]]]]] = [
        (by_code[inti_code(i)], sessions) for i, (_t, sessions) in enumerate(INTI, start=1)
    ] + [(by_code[code], sessions) for code, _t, _d, sessions in FDS_FOKUS]
    sessions_to_make: list[Any] = []
    questions_for: list[list[Question]] = []  # per session, in the order of sessions_to_make
    national_number = 0
    for module, sessions in plan:
        for order, (title, questions) in enumerate(sessions, start=1):
            number = None
            if module.kind == "inti":
                national_number += 1
                number = national_number
            sessions_to_make.append(Session(module=module, number=number, title=title, order=order))
            questions_for.append(questions)
    Session.objects.bulk_create(sessions_to_make)
    saved = {(s.module_id, s.order): s for s in Session.objects.filter(module__in=list(by_code.values()))}

    made_questions: list[Any] = []
    choices_for: list[list[tuple[str, bool]]] = []
    for made, qs in zip(sessions_to_make, questions_for, strict=True):
        session = saved[(made.module.pk, made.order)]
        for q_order, (text, q_choices) in enumerate(qs, start=1):
            made_questions.append(KnowledgeQuestion(session=session, text=text, order=q_order))
            choices_for.append(q_choices)
    KnowledgeQuestion.objects.bulk_create(made_questions)
    saved_q = {(q.session_id, q.order): q for q in KnowledgeQuestion.objects.filter(session__in=list(saved.values()))}
    KnowledgeChoice.objects.bulk_create(
        KnowledgeChoice(question=saved_q[(q.session.pk, q.order)], text=text, is_correct=ok)
        for q, choices in zip(made_questions, choices_for, strict=True)
        for text, ok in choices
    )


def unload_catalogue(Module: Any) -> None:
    codes = [inti_code(i) for i in range(1, len(INTI) + 1)] + [code for code, *_rest in FDS_FOKUS]
    Module.objects.filter(code__in=codes).delete()
