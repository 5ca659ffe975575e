"""Writing families as KPM files in the FORMATS.md §6.1 layout, the layout the import reads.

Three shapes, all fed lazily from an iterable of ``FamilyRows`` so that memory stays bounded
whatever the number of families:

- one XLSX with the sheets ``KELUARGA`` and ``ART`` (openpyxl write-only mode: rows stream to
  temporary files and are assembled on save);
- a pair of CSV files, ``;`` delimited, UTF-8 with BOM for Indonesian Excel (FORMATS.md §6
  general rules);
- one ZIP holding that CSV pair, produced as a stream of bytes (``csv_zip_chunks``) so a web
  response can start before the last family is read. The family file is written straight into
  the archive while the member file waits in a temporary file, then follows it.

Values are written as the text the rows carry: identity numbers stay text, never numbers.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .columns import ART, ART_COLUMNS, KELUARGA, KELUARGA_COLUMNS
from .rows import FamilyRows

# An XLSX sheet holds at most 1,048,576 rows (the header included); larger files must be CSV.
XLSX_MAX_ROWS = 1_048_576
KELUARGA_CSV = "keluarga.csv"
ART_CSV = "art.csv"
CSV_DELIMITER = ";"
# Bytes gathered before the ZIP stream hands a piece on.
STREAM_PIECE = 256 * 1024


class TooManyRowsError(ValueError):
    """More member rows than one XLSX sheet holds."""


@dataclass
class FileStats:
    families: int = 0
    members: int = 0


def _values(row: dict[str, str], columns: Sequence[str]) -> list[str]:
    return [row.get(c, "") for c in columns]


def _cells(sheet: Any, row: dict[str, str], columns: Sequence[str]) -> list[Any]:
    """XLSX cells: an empty value is no cell at all (openpyxl skips None, and many columns are
    often empty). A value that XLSX cannot hold as typed is made safe (one check per row)."""
    values: list[Any] = [row.get(c) or None for c in columns]
    if _CAREFUL.search("\n".join(v for v in values if v)):
        values = [_text_cell(sheet, v) if v else None for v in values]
    return values


# Control characters XML forbids, and a value starting with "=" (which openpyxl would store as
# a formula); "^" with MULTILINE also matches after a newline inside a value, which is harmless.
_CAREFUL = re.compile(r"^=|[\000-\010\013\014\016-\037]", re.MULTILINE)


def _text_cell(sheet: Any, value: str) -> Any:
    """The value as a text cell: forbidden control characters dropped (openpyxl refuses them), and
    a leading "=" kept as text rather than turned into a formula."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("="):
        return value or None
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def write_xlsx(
    families: Iterable[FamilyRows],
    target: Path | IO[bytes],
    *,
    keluarga_columns: Sequence[str] = KELUARGA_COLUMNS,
    art_columns: Sequence[str] = ART_COLUMNS,
) -> FileStats:
    """One workbook with sheets KELUARGA and ART, streamed row by row, saved to a path or a
    binary file object. Raises ``TooManyRowsError`` past the sheet's row limit."""
    wb = Workbook(write_only=True)
    ws_k = wb.create_sheet(KELUARGA)
    ws_a = wb.create_sheet(ART)
    ws_k.append(list(keluarga_columns))
    ws_a.append(list(art_columns))
    stats = FileStats()
    for f in families:
        stats.families += 1
        ws_k.append(_cells(ws_k, f.keluarga, keluarga_columns))
        for _, a in f.art:
            stats.members += 1
            ws_a.append(_cells(ws_a, a, art_columns))
        if stats.members >= XLSX_MAX_ROWS:
            raise TooManyRowsError("Terlalu banyak baris untuk satu lembar XLSX; gunakan format CSV.")
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return stats


def write_csv_pair(
    families: Iterable[FamilyRows],
    keluarga_path: Path,
    art_path: Path,
    *,
    keluarga_columns: Sequence[str] = KELUARGA_COLUMNS,
    art_columns: Sequence[str] = ART_COLUMNS,
) -> FileStats:
    """Two CSV files, ``;`` delimited, UTF-8 with BOM (FORMATS.md §6 general rules)."""
    keluarga_path.parent.mkdir(parents=True, exist_ok=True)
    art_path.parent.mkdir(parents=True, exist_ok=True)
    stats = FileStats()
    with (
        keluarga_path.open("w", encoding="utf-8-sig", newline="") as fk,
        art_path.open("w", encoding="utf-8-sig", newline="") as fa,
    ):
        for _ in _csv_rows(families, fk, fa, keluarga_columns, art_columns, stats):
            pass
    return stats


def _csv_rows(
    families: Iterable[FamilyRows],
    fk: IO[str],
    fa: IO[str],
    keluarga_columns: Sequence[str],
    art_columns: Sequence[str],
    stats: FileStats,
) -> Iterator[None]:
    """Write the headers, then each family's rows; yields after every family."""
    wk = csv.writer(fk, delimiter=CSV_DELIMITER)
    wa = csv.writer(fa, delimiter=CSV_DELIMITER)
    wk.writerow(keluarga_columns)
    wa.writerow(art_columns)
    for f in families:
        stats.families += 1
        wk.writerow(_values(f.keluarga, keluarga_columns))
        for _, a in f.art:
            stats.members += 1
            wa.writerow(_values(a, art_columns))
        yield


class _Sink(io.RawIOBase):
    """A write-only, unseekable byte sink emptied piece by piece (zipfile writes data descriptors
    to such a stream, so the archive never needs to seek back)."""

    def __init__(self) -> None:
        super().__init__()
        self._pieces: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self._pieces.append(data)
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._pieces)
        self._pieces.clear()
        self.size = 0
        return data


def _entry(name: str) -> zipfile.ZipInfo:
    """A ZIP entry dated now and readable by all once unzipped (the defaults are 1980 and 0600)."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def csv_zip_chunks(
    families: Iterable[FamilyRows],
    *,
    stats: FileStats | None = None,
    keluarga_columns: Sequence[str] = KELUARGA_COLUMNS,
    art_columns: Sequence[str] = ART_COLUMNS,
) -> Iterator[bytes]:
    """The CSV pair (``keluarga.csv``, ``art.csv``) in one ZIP, as a stream of byte pieces;
    ``stats`` (if given) is filled as the families are read. Unzipped, the two files import as a
    pair (FORMATS.md §6.1)."""
    stats = stats if stats is not None else FileStats()
    sink = _Sink()
    # Zip64 records: a national export may pass the 2 GiB a plain ZIP entry can hold.
    with (
        zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        tempfile.TemporaryFile() as art_spool,
    ):
        with archive.open(_entry(KELUARGA_CSV), "w", force_zip64=True) as entry:
            kel_text = io.TextIOWrapper(entry, encoding="utf-8-sig", newline="")
            art_text = io.TextIOWrapper(art_spool, encoding="utf-8-sig", newline="")
            for _ in _csv_rows(families, kel_text, art_text, keluarga_columns, art_columns, stats):
                if sink.size >= STREAM_PIECE:
                    yield sink.take()
            kel_text.flush()
            kel_text.detach()
            art_text.flush()
            art_text.detach()
        art_spool.seek(0)
        with archive.open(_entry(ART_CSV), "w", force_zip64=True) as entry:
            while block := art_spool.read(STREAM_PIECE):
                entry.write(block)
                if sink.size >= STREAM_PIECE:
                    yield sink.take()
    yield sink.take()


def write_csv_zip(
    families: Iterable[FamilyRows],
    target: Path | IO[bytes],
    *,
    keluarga_columns: Sequence[str] = KELUARGA_COLUMNS,
    art_columns: Sequence[str] = ART_COLUMNS,
) -> FileStats:
    """The CSV pair in one ZIP file (``keluarga.csv`` and ``art.csv``)."""
    stats = FileStats()
    chunks = csv_zip_chunks(families, stats=stats, keluarga_columns=keluarga_columns, art_columns=art_columns)
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as fh:
            for piece in chunks:
                fh.write(piece)
    else:
        for piece in chunks:
            target.write(piece)
    return stats
