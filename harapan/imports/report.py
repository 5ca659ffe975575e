"""The run report (CSV with ``;``, or XLSX with a summary sheet and a rejects sheet) and the
blank import template (FORMATS.md §6.1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from harapan.registry.rules import compose_nik, compose_no_kk

from .columns import ART_COLUMNS, IDENTITY_COLUMNS, KELUARGA_COLUMNS
from .models import COUNT_FIELDS, ImportRun
from .selectors import import_rejects

REJECT_HEADER = ["LEMBAR", "BARIS", "KOLOM", "ATURAN", "PESAN", "NILAI", "ID_KELUARGA_PKH"]


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def report_summary(run: ImportRun) -> list[tuple[str, Any]]:
    files = run.file_name + (f" + {run.file_art_name}" if run.file_art_name else "")
    return [
        ("Impor", run.pk),
        ("Berkas", files),
        ("SHA-256", run.sha256),
        ("Diimpor oleh", run.started_by.get_username() if run.started_by else "sistem"),
        ("Tanggal acuan", run.as_of.isoformat()),
        ("Mulai", _local(run.started_at)),
        ("Selesai", _local(run.finished_at)),
        ("Status", run.get_status_display()),
        *report_counts(run),
        ("Galat", run.error),
    ]


COUNT_LABELS = {
    "families_seen": "Keluarga dibaca",
    "families_created": "Keluarga baru",
    "families_updated": "Keluarga diubah",
    "families_unchanged": "Keluarga tetap",
    "families_rejected": "Keluarga ditolak",
    "members_created": "Anggota baru",
    "members_updated": "Anggota diubah",
    "rows_rejected": "Baris ditolak",
}


def report_counts(run: ImportRun) -> list[tuple[str, int]]:
    """The run's counts with their report labels, in the order of ``COUNT_FIELDS``."""
    return [(COUNT_LABELS[name], getattr(run, name)) for name in COUNT_FIELDS]


def _reject_rows(run: ImportRun) -> Iterator[list[Any]]:
    for r in (
        import_rejects(run)
        .values_list("sheet", "row", "field", "rule", "message", "value", "family_key")
        .iterator(chunk_size=5000)
    ):
        yield list(r)


class _Echo:
    def write(self, value: str) -> str:
        return value


def report_csv_lines(run: ImportRun) -> Iterator[str]:
    """The report as CSV text, line by line (``;``-delimited, for Indonesian Excel; UTF-8 with a
    BOM so Excel reads the accents): a summary block, a blank line, then the rejected rows."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    yield writer.writerow(["RINGKASAN", ""])
    for label, value in report_summary(run):
        yield writer.writerow([label, value])
    yield writer.writerow([])
    yield writer.writerow(REJECT_HEADER)
    for row in _reject_rows(run):
        yield writer.writerow(row)


def write_report_csv(run: ImportRun, fh: IO[str]) -> None:
    for line in report_csv_lines(run):
        fh.write(line)


def write_report_xlsx(run: ImportRun, fh: IO[bytes]) -> None:
    """The report as XLSX: sheet RINGKASAN (summary) and sheet DITOLAK (rejected rows, as text)."""
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("RINGKASAN")
    for label, value in report_summary(run):
        summary.append([label, value])
    rejects = wb.create_sheet("DITOLAK")
    rejects.append(_bold(rejects, REJECT_HEADER))
    for row in _reject_rows(run):
        rejects.append(row)
    wb.save(fh)


def report_xlsx_bytes(run: ImportRun) -> bytes:
    buffer = io.BytesIO()
    write_report_xlsx(run, buffer)
    return buffer.getvalue()


def _bold(sheet: Any, values: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


# --- Template ---------------------------------------------------------------------------------

EXAMPLE_DESA = ("35", "11", "01", "2001", "JAWA TIMUR", "KAB. BONDOWOSO", "MAESAN", "SUCOLOR")


def example_family() -> tuple[dict[str, str], list[dict[str, str]]]:
    """One valid family in Desa Sucolor, Kecamatan Maesan, Kabupaten Bondowoso (35.11.01.2001)."""
    prop, kab, kec, desa, nmprop, nmkab, nmkec, nmdesa = EXAMPLE_DESA
    kec_code = f"{prop}.{kab}.{kec}"
    no_kk = compose_no_kk(kec_code, dt.date(2015, 1, 5), 1)
    people = [
        ("SUTRISNO", "L", dt.date(1985, 3, 14), "1", {"PEKERJAAN": "PETANI"}),
        ("SITI AMINAH", "P", dt.date(1988, 7, 2), "2", {"NAMA_IBU_KANDUNG": "SUMIATI", "STA_HAMIL": "2"}),
        (
            "DEWI LESTARI",
            "P",
            dt.date(2014, 8, 17),
            "3",
            {"PARTISIPASI_SEKOLAH": "1", "JENJANG": "SD", "KELAS": "6", "NAMA_SEKOLAH": "SDN SUCOLOR 1"},
        ),
        ("AHMAD FAUZI", "L", dt.date(2020, 5, 1), "3", {"PARTISIPASI_SEKOLAH": "0"}),
    ]
    members = []
    for i, (name, sex, birth, rel, extra) in enumerate(people, start=1):
        members.append(
            {
                "ID_KELUARGA_PKH": "PKH3511010001",
                "ID_ART_PKH": f"ART351101000{i}",
                "NIK": compose_nik(kec_code, birth, sex, i),
                "NOKK": no_kk,
                "NAMA": name,
                "JNSKEL": "1" if sex == "L" else "2",
                "TMPLAHIR": "BONDOWOSO",
                "TGLLAHIR": birth.isoformat(),
                "HUBKEL": rel,
                "STA_KEBERADAAN_ART": "1",
                "DISABILITAS_BERAT": "N",
                **extra,
            }
        )
    keluarga = {
        "ID_KELUARGA_PKH": "PKH3511010001",
        "NOKK": no_kk,
        "KDPROP": prop,
        "KDKAB": kab,
        "KDKEC": kec,
        "KDDESA": desa,
        "KODE_WILAYAH": f"{kec_code}.{desa}",
        "NMPROP": nmprop,
        "NMKAB": nmkab,
        "NMKEC": nmkec,
        "NMDESA": nmdesa,
        "ALAMAT": "DUSUN KRAJAN RT 001 RW 002",
        "DUSUN": "KRAJAN",
        "RT": "001",
        "RW": "002",
        "ID_PENGURUS": "ART3511010002",
        "NIK_PENGURUS": members[1]["NIK"],
        "NAMA_PENGURUS": "SITI AMINAH",
        "NAMA_IBU_KANDUNG_PENGURUS": "SUMIATI",
        "BANK": "BRI",
        "STATUS_KEPESERTAAN": "AKTIF",
        "TGL_STATUS": "2020-01-01",
    }
    return keluarga, members


TEMPLATE_ART_COLUMNS = tuple(c for c in ART_COLUMNS if c != "KOMPONEN")


def template_xlsx_bytes() -> bytes:
    """The import template: sheets KELUARGA and ART with every column and one example family; all
    cells are text, so identity numbers keep their 16 digits."""
    keluarga, members = example_family()
    wb = Workbook()
    sheets = [("KELUARGA", KELUARGA_COLUMNS, [keluarga]), ("ART", TEMPLATE_ART_COLUMNS, members)]
    first = True
    for title, columns, rows in sheets:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = title
        ws.append(list(columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for values in rows:
            ws.append([values.get(c, "") for c in columns])
        for i, column in enumerate(columns, start=1):
            letter = ws.cell(row=1, column=i).column_letter
            ws.column_dimensions[letter].width = max(12, len(column) + 2)
            ws.column_dimensions[letter].number_format = "@"
            for row in range(2, len(rows) + 2):
                ws.cell(row=row, column=i).number_format = "@"
            if column in IDENTITY_COLUMNS:
                ws.column_dimensions[letter].width = 20
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
