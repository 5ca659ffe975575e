"""The printed attendance list (daftar hadir) of one meeting, FORMATS.md §6.4: a header block
(year, month, region, kelompok, pendamping, date, place, module, session), one row per family
(NO; ID_KELUARGA_PKH; NIK_PENGURUS; NAMA_PENGURUS; KEHADIRAN H/I/A; DIWAKILI_OLEH; TANDA_TANGAN;
KETERANGAN), totals (hadir / tidak hadir / % hadir) and signature lines for the pendamping and the
ketua kelompok. A planned meeting prints blank marks for signing on the day; a held one prints
what was recorded."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import F, OuterRef, QuerySet, Subquery

from harapan.regions.selectors import region_ancestors
from harapan.registry.models import Member

from .models import Attendance, Mark, Meeting, MeetingStatus

COLUMNS = [
    "NO",
    "ID_KELUARGA_PKH",
    "NIK_PENGURUS",
    "NAMA_PENGURUS",
    "KEHADIRAN",
    "DIWAKILI_OLEH",
    "TANDA_TANGAN",
    "KETERANGAN",
]
LETTER: dict[str, str] = {Mark.HADIR: "H", Mark.IZIN: "I", Mark.ALPA: "A"}


@dataclass(frozen=True)
class SheetRow:
    no: int
    pkh_id: str
    carer_nik: str
    carer_name: str
    mark: str  # H / I / A, or "" on a list printed before the meeting
    note: str

    def cells(self) -> list[str | int]:
        return [self.no, self.pkh_id, self.carer_nik, self.carer_name, self.mark, "", "", self.note]


@dataclass(frozen=True)
class Sheet:
    header: list[tuple[str, str]]
    rows: list[SheetRow]
    hadir: int
    tidak_hadir: int
    pendamping: str
    ketua: str

    @property
    def percent_hadir(self) -> str:
        marked = self.hadir + self.tidak_hadir
        return f"{100 * self.hadir / marked:.1f}" if marked else ""


def attendance_sheet(meeting: Meeting) -> Sheet:
    """The list of a meeting: the families marked at a held meeting, else the group's families now."""
    kelompok = meeting.kelompok
    carer = Member.objects.filter(household_id=OuterRef("household_id"), is_carer=True)
    held = meeting.status == MeetingStatus.TERLAKSANA
    source: QuerySet[Any, Any]
    if held:
        source = Attendance.objects.filter(meeting=meeting).values("household_id", "mark", "reason")
    else:
        source = kelompok.memberships.filter(valid_to__isnull=True).values("household_id")
    records = cast(
        list[dict[str, Any]],
        list(
            source.annotate(
                pkh_id=F("household__pkh_id"),
                carer_nik=Subquery(carer.values("nik")[:1]),
                carer_name=Subquery(carer.values("name")[:1]),
            ).order_by("household__rw", "household__rt", "household__pkh_id")
        ),
    )
    rows = [
        SheetRow(
            no=i,
            pkh_id=r["pkh_id"] or "",
            carer_nik=r["carer_nik"] or "",
            carer_name=r["carer_name"] or "",
            mark=LETTER.get(str(r.get("mark") or ""), ""),
            note=str(r.get("reason") or ""),
        )
        for i, r in enumerate(records, start=1)
    ]
    places = {r.level: r.name for r in region_ancestors(kelompok.desa_id)}
    session = meeting.session
    venue = meeting.venue_place.name if meeting.venue_place is not None else meeting.venue
    header = [
        ("TAHUN", str(meeting.scheduled_on.year)),
        ("BULAN", f"{meeting.scheduled_on.month:02d}"),
        ("KABUPATEN", places.get(2, "")),
        ("KECAMATAN", places.get(3, "")),
        ("DESA", places.get(4, "")),
        ("KELOMPOK", f"{kelompok.name} ({kelompok.code})"),
        ("PENDAMPING", kelompok.pendamping.full_name if kelompok.pendamping is not None else ""),
        ("TANGGAL", meeting.scheduled_on.strftime("%d-%m-%Y")),
        ("TEMPAT", venue or ""),
        ("MODUL", session.module.title if session else ""),
        ("SESI", (str(session.number) if session.number else session.title) if session else ""),
    ]
    hadir = sum(1 for r in rows if r.mark == "H")
    return Sheet(
        header=header,
        rows=rows,
        hadir=hadir,
        tidak_hadir=sum(1 for r in rows if r.mark in ("I", "A")),
        pendamping=header[6][1],
        ketua=kelompok.ketua.name if kelompok.ketua is not None else "",
    )


def sheet_xlsx(sheet: Sheet) -> bytes:
    """The list as an XLSX workbook, header block above the table (FORMATS.md §6.4)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "DAFTAR_HADIR"
    for key, value in sheet.header:
        ws.append([key, value])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    ws.append(COLUMNS)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append(row.cells())
        ws.cell(ws.max_row, 3).number_format = "@"  # NIK stays text: Excel must not round 16 digits
    ws.append([])
    ws.append(["HADIR", sheet.hadir])
    ws.append(["TIDAK_HADIR", sheet.tidak_hadir])
    ws.append(["PERSEN_HADIR", sheet.percent_hadir])
    ws.append([])
    ws.append(["PENDAMPING", sheet.pendamping, "", "KETUA_KELOMPOK", sheet.ketua])
    for column, width in zip("ABCDEFGH", (6, 22, 20, 28, 11, 18, 16, 24), strict=True):
        ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
