"""The monthly report as a printable A4 PDF: identity, summary, each section as a table, and the
signature lines of the pendamping and the korkab (RULES.md "People and ratios": monthly reports to
the korkab and Dinas Sosial)."""

from __future__ import annotations

from typing import Any

from ..formatting import DASH, angka, bulan, tanggal
from ..monthly import FlagSection, MonthlyReport
from .document import ReportPDF, pct, printed


def monthly_pdf(report: MonthlyReport) -> bytes:
    """The laporan bulanan: identity, summary, each section as a table, and the signature lines."""
    s = report.staff
    month = bulan(report.year, report.month)
    pdf = ReportPDF(
        title=f"Laporan Bulanan Pendamping PKH - {s.full_name} - {month}",
        running_head=f"Laporan Bulanan Pendamping PKH · {s.full_name} · {month}",
        printed=printed(),
    )
    pdf.add_page()
    pdf.title_block([("LAPORAN BULANAN PENDAMPING PKH", 14), ("PROGRAM KELUARGA HARAPAN", 11), (f"Bulan {month}", 11)])
    pdf.pairs(
        [
            ("Nama pendamping", s.full_name),
            ("NIP", s.nip or DASH),
            ("Kecamatan", report.kecamatan),
            ("Kabupaten/Kota", report.kabupaten),
            ("Provinsi", report.provinsi),
            ("Periode", f"{tanggal(report.first)} s.d. {tanggal(report.last)}"),
        ]
    )
    if not report.finished:
        pdf.ln(1)
        pdf.note("Bulan ini belum selesai: angka masih dapat bertambah.")
    pdf.note(
        "Laporan ini disusun otomatis dari catatan Harapan (kehadiran, verifikasi, pemutakhiran, pengaduan, "
        "rujukan, graduasi), bukan diketik ulang."
    )

    pdf.heading("A. Ringkasan")
    summary = [(label, _summary_value(key, value)) for key, label, value in report.summary()]
    half = (len(summary) + 1) // 2
    left, right = summary[:half], summary[half:]
    rows = []
    for i in range(half):
        a = left[i]
        b = right[i] if i < len(right) else ("", "")
        rows.append([a[0], a[1], b[0], b[1]])
    pdf.data_table(["Uraian", "Jumlah", "Uraian", "Jumlah"], rows, widths=[36, 14, 36, 14], align=["L", "R", "L", "R"])

    fam = report.families
    pdf.heading("B. Keluarga dampingan")
    pdf.data_table(
        ["Status KPM pada akhir bulan", "KPM"],
        [[c.label, angka(c.families)] for c in fam.by_status] + [["Jumlah", angka(fam.at_end)]],
        widths=[70, 30],
        align=["L", "R"],
    )
    pdf.caption("Pindah pendamping")
    moves = [[tanggal(m.on), m.family.pkh_id, m.family.carer, "masuk", m.other or DASH] for m in fam.moved_in]
    moves += [[tanggal(m.on), m.family.pkh_id, m.family.carer, "keluar", m.other or DASH] for m in fam.moved_out]
    pdf.data_table(
        ["Tanggal", "ID keluarga PKH", "Pengurus", "Pindah", "Pendamping lain"],
        moves,
        widths=[20, 22, 30, 10, 28],
        empty="Tidak ada KPM pindah pendamping bulan ini.",
    )
    pdf.caption("Perubahan status")
    pdf.data_table(
        ["Tanggal", "ID keluarga PKH", "Pengurus", "Dari", "Menjadi"],
        [
            [tanggal(c.on), c.family.pkh_id, c.family.carer, c.before or "(baru terdaftar)", c.after]
            for c in fam.changes
        ],
        widths=[20, 22, 30, 19, 19],
        empty="Tidak ada perubahan status KPM bulan ini.",
    )

    pdf.heading("C. Pertemuan P2K2 per kelompok")
    pdf.data_table(
        [
            "Kelompok",
            "KPM",
            "Jadwal",
            "Terlaksana",
            "Batal",
            "Belum dicatat",
            "Sesi disampaikan",
            "H",
            "I",
            "A",
            "Hadir",
        ],
        [
            [
                f"{g.code}\n{g.name}",
                angka(g.families),
                angka(g.planned),
                angka(g.held),
                angka(g.cancelled),
                angka(g.pending),
                "; ".join(g.sessions) or DASH,
                angka(g.hadir),
                angka(g.izin),
                angka(g.alpa),
                pct(g.rate),
            ]
            for g in report.groups
        ],
        widths=[25, 7, 10, 13, 8, 10, 30, 6, 6, 6, 10],
        align=["L", "R", "R", "R", "R", "R", "L", "R", "R", "R", "R"],
        size=7.5,
        empty="Tidak ada kelompok bulan ini.",
    )
    marks = report.attendance
    pdf.note(
        f"Kehadiran: {angka(marks.hadir)} hadir, {angka(marks.izin)} izin, {angka(marks.alpa)} alpa dari "
        f"{angka(marks.marked)} tanda (tingkat kehadiran {pct(marks.rate)}; tidak hadir tanpa izin "
        f"{pct(marks.alpa_rate)}). Izin bukan ketidakhadiran "
        "yang dihitung untuk sanksi; pertemuan yang dibatalkan tidak dihitung bagi siapa pun."
    )

    pdf.heading("D. Daftar pertemuan")
    pdf.data_table(
        ["Tanggal", "Kelompok", "Sesi / modul", "Status", "H", "I", "A"],
        [
            [
                f"{tanggal(m.on)}\n{m.start:%H.%M}",
                m.kelompok,
                f"{m.session}\n{m.module}" if m.session else DASH,
                m.status_label + (f": {m.cancel_reason}" if m.cancel_reason else ""),
                angka(m.hadir) if m.status == "terlaksana" else DASH,
                angka(m.izin) if m.status == "terlaksana" else DASH,
                angka(m.alpa) if m.status == "terlaksana" else DASH,
            ]
            for m in report.meetings
        ],
        widths=[17, 27, 40, 22, 6, 6, 6],
        align=["L", "L", "L", "L", "R", "R", "R"],
        size=7.5,
        empty="Tidak ada pertemuan bulan ini.",
    )

    pdf.heading("E. Tanda ketidakhadiran dan sanksi")
    _flag_tables(pdf, report.flags, "Tanda ketidakhadiran")
    _flag_tables(pdf, report.sanctions, "Sanksi")

    c = report.compliance
    pdf.heading("F. Hasil verifikasi komitmen")
    pdf.data_table(
        ["Jenis komitmen", "Catatan", "Memenuhi", "Tidak memenuhi", "KPM", "Memenuhi (%)"],
        [[r.label, angka(r.records), angka(r.met), angka(r.not_met), angka(r.families), pct(r.rate)] for r in c.rows]
        + [["Jumlah", angka(c.records), angka(c.met), angka(c.not_met), angka(c.families_verified), pct(c.rate)]],
        widths=[34, 14, 14, 16, 12, 14],
        align=["L", "R", "R", "R", "R", "R"],
    )
    pdf.note(f"KPM yang tidak memenuhi sedikitnya satu komitmen: {angka(c.families_not_met)}.")

    pdf.heading("G. Pemutakhiran data")
    updates = [u for u in report.updates if u.submitted or u.applied or u.rejected or u.open_end]
    pdf.data_table(
        ["Jenis perubahan", "Diajukan", "Diterapkan", "Ditolak", "Masih proses"],
        [[u.label, angka(u.submitted), angka(u.applied), angka(u.rejected), angka(u.open_end)] for u in updates],
        widths=[40, 15, 15, 15, 15],
        align=["L", "R", "R", "R", "R"],
        empty="Tidak ada pemutakhiran data bulan ini.",
    )

    pdf.heading("H. Pengaduan dan rujukan")
    if report.grievances.available:
        pdf.data_table(
            ["Kategori pengaduan", "Masuk", "Selesai/ditutup", "Masih terbuka"],
            [[r.label, angka(r.opened), angka(r.closed), angka(r.open_end)] for r in report.grievances.rows],
            widths=[46, 18, 18, 18],
            align=["L", "R", "R", "R"],
            empty="Tidak ada pengaduan KPM dampingan bulan ini.",
        )
    else:
        pdf.note("Modul pengaduan belum tersedia.")
    if report.referrals.available:
        pdf.data_table(
            ["Program rujukan", "Dirujuk", "Selesai", "Ditolak", "Masih proses"],
            [
                [r.label, angka(r.opened), angka(r.done), angka(r.refused), angka(r.open_end)]
                for r in report.referrals.rows
            ],
            widths=[40, 15, 15, 15, 15],
            align=["L", "R", "R", "R", "R"],
            empty="Tidak ada rujukan KPM dampingan bulan ini.",
        )
    else:
        pdf.note("Modul rujukan belum tersedia.")

    g = report.graduation
    pdf.heading("I. Graduasi")
    pdf.pairs(
        [
            ("Usulan graduasi mandiri", angka(g.proposed)),
            ("Usulan disetujui / ditolak", f"{angka(g.approved)} / {angka(g.rejected)}"),
            ("Graduasi mandiri", angka(g.mandiri)),
            ("Graduasi alamiah", angka(g.alamiah)),
        ],
        label_w=52,
    )
    pdf.ln(1)
    pdf.data_table(
        ["Tanggal", "ID keluarga PKH", "Pengurus", "Status baru"],
        [[tanggal(r.on), r.family.pkh_id, r.family.carer, r.after] for r in g.rows],
        widths=[22, 25, 33, 20],
        empty="Tidak ada KPM graduasi bulan ini.",
    )

    k = report.knowledge
    pdf.heading("J. Cek pengetahuan P2K2")
    pdf.data_table(
        ["Kelompok", "Cek", "Sebelum sesi", "Sesudah sesi"],
        [[f"{r.code} {r.name}", angka(r.checks), pct(r.pre), pct(r.post)] for r in report.groups if r.checks]
        + [["Jumlah", angka(k.checks), pct(k.pre), pct(k.post)]],
        widths=[52, 14, 17, 17],
        align=["L", "R", "R", "R"],
    )
    pdf.note(
        f"Rata-rata nilai benar dari pertanyaan, hanya KPM yang hadir. Kenaikan rata-rata pada {angka(k.paired)} "
        f"KPM dengan kedua nilai: {DASH if k.gain is None else angka(k.gain)} poin."
    )

    pdf.signatures(
        [
            "",
            "Pendamping PKH,",
            f"( {s.full_name} )",
            f"NIP. {s.nip or '....................'}",
            "Tanggal: ....................",
        ],
        [
            "Mengetahui,",
            "Koordinator Kabupaten",
            "( ........................................ )",
            "NIP. ........................................",
            "Tanggal: ....................",
        ],
        place_date=f"{report.kecamatan or '....................'}, tanggal ....................",
    )
    return bytes(pdf.output())


def _summary_value(key: str, value: Any) -> str:
    if key.endswith("_rate") or key.startswith("knowledge_p"):
        return pct(value)
    return angka(value)


def _flag_tables(pdf: ReportPDF, section: FlagSection, title: str) -> None:
    pdf.data_table(
        [title, "Dinaikkan", "Dicabut", "Terbuka akhir bulan"],
        [[k.label, angka(k.raised), angka(k.lifted), angka(k.open_end)] for k in section.kinds],
        widths=[46, 18, 18, 18],
        align=["L", "R", "R", "R"],
    )
    if section.rows:
        pdf.data_table(
            ["ID keluarga PKH", "Pengurus", title, "Dinaikkan", "Dicabut"],
            [
                [r.family.pkh_id, r.family.carer, r.label, tanggal(r.raised_on), tanggal(r.lifted_on)]
                for r in section.rows
            ],
            widths=[22, 30, 20, 14, 14],
        )
