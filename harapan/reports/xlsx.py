"""The monthly report and the district profile as XLSX workbooks (openpyxl): one sheet per section,
numbers stored as numbers (a percentage as its number of percent, 94.0), dates as dates, so a korkab
can sum and filter them. The headline figures are the same list the page and the PDF show
(``MonthlyReport.summary``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .formatting import bulan, number
from .monthly import FlagSection, MonthlyReport
from .profile import DistrictProfile
from .sources import DOCUMENTS, FIGURES

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="E2E8EE")
PERCENT_FORMAT = "0.0"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "DD-MM-YYYY"


def _sheet(wb: Workbook, title: str, headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> Worksheet:
    """A sheet with a bold heading row, frozen under it, and the rows as values."""
    ws = wb.create_sheet(title[:31])
    ws.append(list(headings))
    for cell in ws[1]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        ws.append([number(v) for v in values])
    ws.freeze_panes = "A2"
    for i, heading in enumerate(headings, start=1):
        width = max([len(str(heading))] + [len(str(r[i - 1])) for r in rows if i - 1 < len(r)] + [6])
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
    return ws


def _formats(ws: Worksheet, columns: dict[int, str]) -> None:
    for col, fmt in columns.items():
        for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            for cell in row:
                cell.number_format = fmt


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- The monthly report --------------------------------------------------------------------------


def monthly_xlsx(report: MonthlyReport) -> bytes:
    s = report.staff
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)

    ws = _sheet(
        wb,
        "Ringkasan",
        ["Kode", "Uraian", "Nilai"],
        [[key, label, value] for key, label, value in report.summary()],
    )
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row:
            key = ws.cell(row=cell.row, column=1).value or ""
            cell.number_format = PERCENT_FORMAT if "rate" in key or key.startswith("knowledge_p") else INTEGER_FORMAT
    identity = wb.create_sheet("Identitas", 0)
    for label, value in [
        ("Laporan", "Laporan Bulanan Pendamping PKH"),
        ("Nama pendamping", s.full_name),
        ("NIP", s.nip),
        ("Kecamatan", report.kecamatan),
        ("Kabupaten/Kota", report.kabupaten),
        ("Provinsi", report.provinsi),
        ("Bulan", bulan(report.year, report.month)),
        ("Dari tanggal", report.first),
        ("Sampai tanggal", report.last),
        ("Bulan sudah selesai", "ya" if report.finished else "belum"),
    ]:
        identity.append([label, value])
    for row in identity.iter_rows(min_col=2, max_col=2):
        for cell in row:
            if hasattr(cell.value, "year"):
                cell.number_format = DATE_FORMAT
    identity.column_dimensions["A"].width = 22
    identity.column_dimensions["B"].width = 40

    fam = report.families
    _sheet(wb, "Status KPM", ["Status", "KPM akhir bulan"], [[c.label, c.families] for c in fam.by_status])
    moves = [[m.on, m.family.pkh_id, m.family.carer, "masuk", m.other] for m in fam.moved_in]
    moves += [[m.on, m.family.pkh_id, m.family.carer, "keluar", m.other] for m in fam.moved_out]
    ws = _sheet(wb, "Pindah pendamping", ["Tanggal", "ID keluarga PKH", "Pengurus", "Pindah", "Pendamping lain"], moves)
    _formats(ws, {1: DATE_FORMAT})
    ws = _sheet(
        wb,
        "Perubahan status",
        ["Tanggal", "ID keluarga PKH", "Pengurus", "Dari", "Menjadi"],
        [[c.on, c.family.pkh_id, c.family.carer, c.before, c.after] for c in fam.changes],
    )
    _formats(ws, {1: DATE_FORMAT})

    ws = _sheet(
        wb,
        "Kelompok",
        [
            "Kode",
            "Kelompok",
            "Desa",
            "KPM",
            "Jadwal",
            "Terlaksana",
            "Dibatalkan",
            "Belum dicatat",
            "Sesi disampaikan",
            "Hadir",
            "Izin",
            "Alpa",
            "Tingkat kehadiran (%)",
            "Tanpa izin (%)",
            "Cek pengetahuan",
            "Sebelum sesi (%)",
            "Sesudah sesi (%)",
        ],
        [
            [
                g.code,
                g.name,
                g.desa,
                g.families,
                g.planned,
                g.held,
                g.cancelled,
                g.pending,
                "; ".join(g.sessions),
                g.hadir,
                g.izin,
                g.alpa,
                g.rate,
                g.alpa_rate,
                g.checks,
                g.pre,
                g.post,
            ]
            for g in report.groups
        ],
    )
    _formats(ws, {13: PERCENT_FORMAT, 14: PERCENT_FORMAT, 16: PERCENT_FORMAT, 17: PERCENT_FORMAT})
    ws = _sheet(
        wb,
        "Pertemuan",
        ["Tanggal", "Jam", "Kelompok", "Sesi", "Modul", "Status", "Alasan batal", "Hadir", "Izin", "Alpa"],
        [
            [
                m.on,
                m.start.strftime("%H:%M"),
                m.kelompok,
                m.session,
                m.module,
                m.status_label,
                m.cancel_reason,
                m.hadir,
                m.izin,
                m.alpa,
            ]
            for m in report.meetings
        ],
    )
    _formats(ws, {1: DATE_FORMAT})
    _flags_sheet(wb, "Tanda ketidakhadiran", report.flags)
    _flags_sheet(wb, "Sanksi", report.sanctions)
    c = report.compliance
    _sheet(
        wb,
        "Verifikasi komitmen",
        ["Jenis komitmen", "Catatan", "Memenuhi", "Tidak memenuhi", "KPM", "Memenuhi (%)"],
        [[r.label, r.records, r.met, r.not_met, r.families, r.rate] for r in c.rows]
        + [["Jumlah", c.records, c.met, c.not_met, c.families_verified, c.rate]],
    )
    _sheet(
        wb,
        "Pemutakhiran",
        ["Jenis perubahan", "Diajukan", "Diterapkan", "Ditolak", "Masih proses"],
        [[u.label, u.submitted, u.applied, u.rejected, u.open_end] for u in report.updates],
    )
    _sheet(
        wb,
        "Pengaduan",
        ["Kategori", "Masuk", "Selesai/ditutup", "Masih terbuka"],
        [[r.label, r.opened, r.closed, r.open_end] for r in report.grievances.rows]
        if report.grievances.available
        else [["Modul pengaduan belum tersedia."]],
    )
    _sheet(
        wb,
        "Rujukan",
        ["Program", "Dirujuk", "Selesai/ditolak", "Selesai", "Ditolak", "Masih proses"],
        [[r.label, r.opened, r.closed, r.done, r.refused, r.open_end] for r in report.referrals.rows]
        if report.referrals.available
        else [["Modul rujukan belum tersedia."]],
    )
    g = report.graduation
    ws = _sheet(
        wb,
        "Graduasi",
        ["Tanggal", "ID keluarga PKH", "Pengurus", "Status baru"],
        [[r.on, r.family.pkh_id, r.family.carer, r.after] for r in g.rows],
    )
    _formats(ws, {1: DATE_FORMAT})
    for label, value in [
        ("Usulan graduasi mandiri", g.proposed),
        ("Usulan disetujui", g.approved),
        ("Usulan ditolak", g.rejected),
        ("Graduasi mandiri", g.mandiri),
        ("Graduasi alamiah", g.alamiah),
    ]:
        ws.append([label, value])
    k = report.knowledge
    ws = _sheet(
        wb,
        "Cek pengetahuan",
        ["Kelompok", "Cek", "Sebelum sesi (%)", "Sesudah sesi (%)"],
        [[f"{r.code} {r.name}", r.checks, r.pre, r.post] for r in report.groups if r.checks]
        + [["Jumlah", k.checks, k.pre, k.post]],
    )
    _formats(ws, {3: PERCENT_FORMAT, 4: PERCENT_FORMAT})
    return _bytes(wb)


def _flags_sheet(wb: Workbook, title: str, section: FlagSection) -> None:
    ws = _sheet(
        wb,
        title,
        ["Jenis", "Dinaikkan", "Dicabut", "Terbuka akhir bulan"],
        [[k.label, k.raised, k.lifted, k.open_end] for k in section.kinds],
    )
    if section.rows:
        ws.append([])
        ws.append(["ID keluarga PKH", "Pengurus", "Jenis", "Dinaikkan", "Dicabut"])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
        for r in section.rows:
            ws.append([r.family.pkh_id, r.family.carer, r.label, r.raised_on, r.lifted_on])
            ws.cell(row=ws.max_row, column=4).number_format = DATE_FORMAT
            ws.cell(row=ws.max_row, column=5).number_format = DATE_FORMAT


# --- The district profile ------------------------------------------------------------------------


def profile_xlsx(profile: DistrictProfile) -> bytes:
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    ws = _sheet(
        wb,
        "Profil",
        ["Bagian", "Kode", "Ukuran", "Nilai Harapan", "Satuan", "Cara hitung", "Angka sumber"],
        [
            [
                section.title,
                f.key,
                f.label,
                f.value,
                f.unit,
                f.definition,
                "; ".join(f"{s.place} {s.year}: {s.text} [seed {s.seed}]" for s in f.sources),
            ]
            for section in profile.sections
            for f in section.figures
        ],
    )
    ws.insert_rows(1, 2)
    ws["A1"] = f"Profil Kabupaten PKH {profile.region.name} ({profile.region.code}), {profile.provinsi}"
    ws["A1"].font = Font(bold=True, size=12)
    ws["A2"] = f"Tahun {profile.year}; dihitung pada {profile.as_of:%d-%m-%Y}; {profile.months} bulan selesai"
    ws.freeze_panes = "A4"
    _sheet(
        wb,
        "Sumber",
        ["Kode", "Wilayah", "Tahun", "Nilai sumber", "Kutipan", "Turunan", "Catatan", "Seed", "Dokumen"],
        [
            [
                s.key,
                str(s.place),
                s.year,
                s.value,
                str(s.text),
                "ya" if s.derived else "",
                str(s.note),
                s.seed,
                s.document,
            ]
            for s in FIGURES
        ],
    )
    _sheet(
        wb,
        "Tahap",
        ["Tahap", "Status", "Baris bayar", "Nominal rencana (Rp)", "Tersalur (baris)", "Tersalur (Rp)", "Per KPM (Rp)"],
        [[t.number, ", ".join(t.statuses), t.lines, t.planned, t.paid_lines, t.paid, t.per_kpm] for t in profile.tahap],
    )
    _sheet(wb, "Dokumen", ["Seed", "Dokumen"], [[seed, str(title)] for seed, title in DOCUMENTS.items()])
    return _bytes(wb)
