"""The files a tahap sends to the banks (FORMATS.md §6.2), format ``harapan-bank-penerima`` v1,
documented in ``docs/formats/bank-recipient-v1.md``:

- the recipient file per bank, as CSV (``;``, UTF-8 with BOM, one header row) or XLSX (sheet
  PENERIMA, and the control values on sheet KONTROL), one row per payment line;
- its control file: format and version, tahap, region, bank, row count and the sum of NOMINAL;
- the burekol request: the same layout, only the lines with PERLU_BUREKOL = Y (NO_REKENING empty);
- totals per region (kecamatan or desa) of the planned lines.

Files are written from the frozen lines, so the same tahap always gives the same rows; the rows
are read in chunks and streamed, whatever the size of the tahap.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import PaymentLine, Tahap

FORMAT_NAME = "harapan-bank-penerima"
FORMAT_VERSION = 1
DELIMITER = ";"

RECIPIENT_COLUMNS = (
    "NO",
    "ID_SALUR",
    "TAHUN",
    "TAHAP",
    "ID_KELUARGA_PKH",
    "NIK_PENGURUS",
    "NAMA_PENGURUS",
    "TGL_LAHIR_PENGURUS",
    "NAMA_IBU_KANDUNG_PENGURUS",
    "ALAMAT",
    "KDPROP",
    "KDKAB",
    "KDKEC",
    "KDDESA",
    "BANK",
    "NO_REKENING",
    "NAMA_REKENING",
    "NO_KKS",
    "JUMLAH_KOMPONEN",
    "NOMINAL",
    "PERLU_BUREKOL",
)
# Written as numbers; every other column is text (identity numbers never lose digits).
NUMBER_COLUMNS = frozenset({"NO", "TAHUN", "TAHAP", "JUMLAH_KOMPONEN", "NOMINAL"})

_FIELDS = (
    "id_salur",
    "year",
    "number",
    "pkh_id",
    "carer_nik",
    "carer_name",
    "carer_birth_date",
    "carer_mother_name",
    "address",
    "desa_id",
    "bank",
    "account_number",
    "account_name",
    "kks_number",
    "komponen_count",
    "amount",
    "needs_burekol",
)


def ordered(lines: QuerySet[PaymentLine]) -> QuerySet[PaymentLine]:
    """Lines in file order: by desa, then family id (stable, so a file is the same every time)."""
    return lines.order_by("desa_id", "pkh_id", "id")


def recipient_rows(lines: QuerySet[PaymentLine]) -> Iterator[list[Any]]:
    """The rows of a recipient file (without the header), numbered from 1."""
    for no, values in enumerate(ordered(lines).values_list(*_FIELDS).iterator(chunk_size=5000), start=1):
        (
            sid,
            year,
            number,
            pkh,
            nik,
            name,
            birth,
            mother,
            address,
            desa,
            bank,
            account,
            holder,
            kks,
            n,
            amount,
            bur,
        ) = values
        prop, kab, kec, kd_desa = desa.split(".")
        yield [
            no,
            sid,
            year,
            number,
            pkh,
            nik,
            name,
            birth.isoformat(),
            mother,
            address,
            prop,
            kab,
            kec,
            kd_desa,
            bank,
            account,
            holder,
            kks,
            n,
            amount,
            "Y" if bur else "N",
        ]


@dataclass(frozen=True)
class Control:
    """What a bank checks a file against: the row count and the sum of NOMINAL."""

    rows: int
    total: int
    burekol: int


def control_of(lines: QuerySet[PaymentLine]) -> Control:
    agg = lines.aggregate(
        n=Count("id"), total=Coalesce(Sum("amount"), 0), burekol=Count("id", filter=Q(needs_burekol=True))
    )
    return Control(agg["n"], agg["total"], agg["burekol"])


def control_values(tahap: Tahap, *, bank: str, kind: str, control: Control) -> list[tuple[str, Any]]:
    """The control file's (key, value) pairs."""
    return [
        ("FORMAT", FORMAT_NAME),
        ("VERSI", FORMAT_VERSION),
        ("JENIS", kind),
        ("TAHUN", tahap.year),
        ("TAHAP", tahap.number),
        ("ID_TAHAP", tahap.pk),
        ("WILAYAH", tahap.region_id or "NASIONAL"),
        ("TGL_CUT_OFF", tahap.cut_off.isoformat()),
        ("BANK", bank),
        ("JUMLAH_BARIS", control.rows),
        ("TOTAL_NOMINAL", control.total),
        ("JUMLAH_PERLU_BUREKOL", control.burekol),
        ("DIBUAT", timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")),
    ]


def file_name(tahap: Tahap, *, bank: str, kind: str, ext: str) -> str:
    """``tahap-2026-4-35.11-BRI-penerima.csv``."""
    region = tahap.region_id or "nasional"
    return f"tahap-{tahap.year}-{tahap.number}-{region}-{bank}-{kind}.{ext}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text line by line: UTF-8 BOM (Indonesian Excel), ``;``, one header row."""
    writer = csv.writer(_Echo(), delimiter=DELIMITER)
    yield "\ufeff"
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow(row)


def write_csv(lines: QuerySet[PaymentLine], fh: IO[str]) -> None:
    for text in csv_lines(RECIPIENT_COLUMNS, recipient_rows(lines)):
        fh.write(text)


def control_csv(values: list[tuple[str, Any]]) -> str:
    return "".join(csv_lines(("KUNCI", "NILAI"), ([k, v] for k, v in values)))


def write_xlsx(lines: QuerySet[PaymentLine], fh: IO[bytes], *, control: list[tuple[str, Any]]) -> None:
    """Sheet PENERIMA (header in bold; identity numbers as text) and sheet KONTROL."""
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("PENERIMA")
    header = []
    for name in RECIPIENT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in recipient_rows(lines):
        sheet.append([v if v != "" else None for v in row])
    ctl = wb.create_sheet("KONTROL")
    for key, value in control:
        ctl.append([key, value])
    wb.save(fh)
