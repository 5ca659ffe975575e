"""The e-PKH school verification form, "Form Verifikasi Komitmen Pendidikan" (FORMATS.md §4.2): reading
the CSV a school fills in, and writing it, per school and quarter, prefilled with the enrolled pupils.

Layout (CSV, ``;`` or ``,``, may start with Excel's ``sep=`` line and a UTF-8 BOM; an XLSX of the
same rows is read too):

- header rows: the title "FORM VERIFIKASI KOMITMEN PENDIDIKAN", ``NPSN : …``, ``Nama Sekolah : …``,
  the column row (NO … TINGKAT PENDIDIKAN, the three month names of the quarter over their five
  columns, KET, NAMA PENDAMPING), a row with "HARI EFEKTIF" and the effective school days of each
  month (in the same cell, "HARI EFEKTIF : 20", or in the cell after it), and the row
  ALPA / IZIN / SAKIT / JML / % under each month;
- data rows of 25 columns: 0 NO, 1 NIK PENGURUS, 2 NAMA PENGURUS, 3 NIK SISWA, 4 NISN, 5 NAMA SISWA,
  6 BENTUK PENDIDIKAN, 7 TINGKAT PENDIDIKAN, 8-12 month 1 (ALPA, IZIN, SAKIT, JML, %), 13-17 month 2,
  18-22 month 3, 23 KET, 24 NAMA PENDAMPING.

Attendance of a month is computed from the effective days and the counted absences
(SCHOOL_ABSENCES_COUNTED); the % column is used only when the effective days are not given (school
tools disagree on whether it holds attendance or absence). A month left blank has no record.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from harapan.imports.readers import XLSX_SUFFIXES, ImportFileError, cell_text

from .rules import add_months

TITLE = "FORM VERIFIKASI KOMITMEN PENDIDIKAN"
IDENTITY_COLUMNS = [
    "NO",
    "NIK PENGURUS",
    "NAMA PENGURUS",
    "NIK SISWA",
    "NISN",
    "NAMA SISWA",
    "BENTUK PENDIDIKAN",
    "TINGKAT PENDIDIKAN",
]
BLOCK = ["ALPA", "IZIN", "SAKIT", "JML", "%"]
WIDTH = 25
FIRST_MONTH_COLUMN = 8
KET, NAMA_PENDAMPING = 23, 24
MONTH_NAMES = {
    "JANUARI": 1,
    "FEBRUARI": 2,
    "PEBRUARI": 2,
    "MARET": 3,
    "APRIL": 4,
    "MEI": 5,
    "JUNI": 6,
    "JULI": 7,
    "AGUSTUS": 8,
    "SEPTEMBER": 9,
    "OKTOBER": 10,
    "NOVEMBER": 11,
    "NOPEMBER": 11,
    "DESEMBER": 12,
}
MONTH_LABELS = {n: name for name, n in MONTH_NAMES.items() if name not in ("PEBRUARI", "NOPEMBER")}
_MONTH = re.compile(r"\b(" + "|".join(MONTH_NAMES) + r")\b(?:\s*(\d{4}))?")
_NPSN = re.compile(r"NPSN\s*:?\s*([0-9A-Z]+)")
_SCHOOL = re.compile(r"NAMA\s+SEKOLAH\s*:?\s*(.+)$")
_DAYS = re.compile(r"HARI\s+EFEKTIF\s*:?\s*(\d+)?")
DELIMITERS = ";,|"


@dataclass
class VerkomHeader:
    npsn: str = ""
    school_name: str = ""
    months: list[dt.date] = field(default_factory=list)
    effective_days: list[int | None] = field(default_factory=list)


@dataclass
class VerkomFile:
    header: VerkomHeader
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet user sees it, 25 cells)
    sheet: str


# --- Reading ----------------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError('Berkas bukan teks UTF-8; simpan ulang sebagai "CSV UTF-8".') from exc
    lines = text.splitlines(keepends=True)
    start = 0
    if lines and lines[0].strip().lower().startswith("sep="):
        delimiter = lines[0].strip()[4:5] or ";"
        start = 1
    else:
        sample = "".join(lines[:30])
        counts = {d: sample.count(d) for d in DELIMITERS}
        delimiter = max(DELIMITERS, key=lambda d: counts[d]) if any(counts.values()) else ";"
    try:
        reader = csv.reader(io.StringIO("".join(lines[start:])), delimiter=delimiter)
        for number, values in enumerate(reader, start=start + 1):
            yield number, [v.strip() for v in values]
    except csv.Error as exc:
        raise ImportFileError(f"Berkas tidak dapat dibaca sebagai CSV: {exc}") from exc


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        raise ImportFileError(f"Berkas tidak dapat dibaca sebagai XLSX: {exc}") from exc
    start_row = (sheet.start or (0, 0))[0]
    for number, values in enumerate(sheet.iter_rows(), start=start_row + 1):
        yield number, [cell_text(v) for v in values]


def raw_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Every row of the file as text cells, numbered as a spreadsheet shows them."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _xlsx_rows(path)
    with path.open("rb") as fh:
        if fh.read(4) == b"PK\x03\x04":
            return _xlsx_rows(path)
    return _csv_rows(path)


def _is_data(cells: list[str]) -> bool:
    """A pupil row: a row number in NO and an identity number in NIK SISWA or NISN."""
    first = cells[0].strip() if cells else ""
    if not first.isdigit():
        return False
    ids = [re.sub(r"\D", "", c) for c in cells[3:5]]
    return any(len(i) >= 5 for i in ids) or any(c.strip() for c in cells[1:8])


def _is_meta(cells: list[str]) -> bool:
    """The title, NPSN and school name rows (a school's name may hold a month's name)."""
    text = " ".join(cells).upper()
    return TITLE in text or bool(_NPSN.search(text)) or bool(_SCHOOL.search(text))


def _months(header_rows: list[list[str]], year: int | None) -> list[dt.date]:
    found: list[tuple[int, int | None]] = []
    for cells in header_rows:
        if _is_meta(cells):
            continue
        for cell in cells:
            for m in _MONTH.finditer(cell.upper()):
                month, y = MONTH_NAMES[m.group(1)], int(m.group(2)) if m.group(2) else None
                if month not in [f[0] for f in found]:
                    found.append((month, y))
    if len(found) != 3:
        raise ImportFileError(
            f"Baris judul harus memuat nama tiga bulan satu triwulan (ditemukan {len(found)}); "
            "gunakan format Form Verifikasi Komitmen Pendidikan."
        )
    first_year = found[0][1] or year
    if first_year is None:
        raise ImportFileError("Tahun tidak tertulis di berkas; pilih tahun pada formulir unggah.")
    start = dt.date(first_year, found[0][0], 1)
    months = [add_months(start, i) for i in range(3)]
    if [m.month for m in months] != [f[0] for f in found]:
        raise ImportFileError("Tiga bulan di baris judul harus berurutan (satu triwulan).")
    return months


def _effective_days(header_rows: list[list[str]]) -> list[int | None]:
    """The HARI EFEKTIF numbers of the header rows, in order: in the label's cell ("HARI EFEKTIF :
    20") or in the cells after a label without a number."""
    found: list[int] = []
    for cells in header_rows:
        pending = False
        for cell in cells:
            text = cell.strip().upper()
            label = _DAYS.search(text)
            if label:
                if label.group(1):
                    found.append(int(label.group(1)))
                    pending = False
                else:
                    pending = True
                continue
            if pending and text:
                if text.isdigit():
                    found.append(int(text))
                else:
                    pending = False
    if not found:
        return [None, None, None]
    if len(found) != 3:
        raise ImportFileError(f"HARI EFEKTIF harus diisi untuk ketiga bulan (ditemukan {len(found)}).")
    return list(found)


def read_verkom(path: Path, *, year: int | None, name: str = "") -> VerkomFile:
    """Read a filled-in school form. Raises ImportFileError when the file is not the form at all;
    row problems are left to the import, row by row."""
    header_rows: list[list[str]] = []
    rows: list[tuple[int, list[str]]] = []
    seen_columns = False
    for number, cells in raw_rows(path):
        if not any(c.strip() for c in cells):
            continue
        upper = [c.strip().upper() for c in cells]
        if not seen_columns:
            header_rows.append(cells)
            seen_columns = "NIK SISWA" in upper or "NIK_SISWA" in upper
            continue
        if not rows and not _is_data(cells):
            header_rows.append(cells)
            continue
        rows.append((number, cells))
    if not seen_columns:
        raise ImportFileError(
            "Kolom NIK SISWA tidak ditemukan: berkas bukan Form Verifikasi Komitmen Pendidikan (FORMATS.md §4.2)."
        )
    header = VerkomHeader(months=_months(header_rows, year), effective_days=_effective_days(header_rows))
    for header_cells in header_rows:
        text = " ".join(c.strip() for c in header_cells if c.strip())
        shout = text.upper()
        if not header.npsn and (m := _NPSN.search(shout)):
            header.npsn = m.group(1)
        if not header.school_name and (m := _SCHOOL.search(shout)):
            header.school_name = text[m.start(1) : m.end(1)].strip()[:200]
    return VerkomFile(header=header, rows=rows, sheet=name or path.name)


@dataclass(frozen=True)
class MonthCells:
    alpa: int | None
    izin: int | None
    sakit: int | None
    jml: int | None
    percent: Decimal | None

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.alpa, self.izin, self.sakit, self.jml, self.percent))


def parse_count(text: str) -> int | None:
    """A count of days: empty or "-" is none; a spreadsheet's "3.0" is 3."""
    text = text.strip()
    if text in ("", "-"):
        return None
    if re.fullmatch(r"\d+([.,]0+)?", text):
        return int(re.split(r"[.,]", text)[0])
    raise ValueError(text)


def parse_percent(text: str) -> Decimal | None:
    text = text.strip().rstrip("%").strip().replace(",", ".")
    if text in ("", "-"):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def month_cells(cells: Sequence[str], index: int) -> tuple[MonthCells | None, str]:
    """The five cells of month ``index`` (0-2); on a bad cell, None and the column's name."""
    start = FIRST_MONTH_COLUMN + 5 * index
    values: list[int | None] = []
    for offset, column in enumerate(BLOCK[:4]):
        try:
            values.append(parse_count(cells[start + offset]))
        except ValueError:
            return None, column
    try:
        percent = parse_percent(cells[start + 4])
    except ValueError:
        return None, "%"
    return MonthCells(values[0], values[1], values[2], values[3], percent), ""


# --- Writing (the export a school fills in) ---------------------------------------------------


@dataclass(frozen=True)
class Pupil:
    carer_nik: str
    carer_name: str
    nik: str
    nisn: str
    name: str
    level: str
    grade: str
    pendamping: str


def month_heading(month: dt.date) -> str:
    return f"{MONTH_LABELS[month.month]} {month.year}"


def verkom_lines(*, npsn: str, school_name: str, months: Sequence[dt.date], pupils: Sequence[Pupil]) -> Iterator[str]:
    """The form as CSV text (``;``, UTF-8 with a BOM for Excel), line by line, exactly in the §4.2
    layout, every month blank for the school to fill in."""

    class _Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    blank = [""] * 4
    yield "\ufeff"
    yield writer.writerow([TITLE])
    yield writer.writerow([f"NPSN : {npsn}"])
    yield writer.writerow([f"Nama Sekolah : {school_name}"])
    yield writer.writerow(
        [*IDENTITY_COLUMNS, *(v for m in months for v in [month_heading(m), *blank]), "KET", "NAMA PENDAMPING"]
    )
    yield writer.writerow([*[""] * 8, *(v for _m in months for v in ["HARI EFEKTIF :", *blank]), "", ""])
    yield writer.writerow([*[""] * 8, *(BLOCK * len(months)), "", ""])
    for i, p in enumerate(pupils, start=1):
        yield writer.writerow(
            [
                i,
                p.carer_nik,
                p.carer_name,
                p.nik,
                p.nisn,
                p.name,
                p.level,
                p.grade,
                *[""] * (5 * len(months)),
                "",
                p.pendamping,
            ]
        )
