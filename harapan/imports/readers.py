"""Reading KPM files into ``FamilyRows`` (FORMATS.md §6.1).

Three layouts: an XLSX with sheets KELUARGA and ART; two files (CSV or XLSX), one of families and
one of members; or one flat file where every row is a member and carries its family's columns.
CSV is UTF-8 with an optional BOM, delimited by ``;``, ``,`` or ``|`` (sniffed from the header),
with an optional Excel ``sep=`` first line. XLSX is read with python-calamine.

Families are grouped by ID_KELUARGA_PKH in two passes over the member rows: the first counts each
family's rows, the second hands a family on as soon as its last row is read, so a file sorted by
family (the usual case) is never held in memory whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .columns import (
    ART,
    ART_COLUMNS,
    ART_HEADER_REQUIRED,
    KELUARGA,
    KELUARGA_COLUMNS,
    KELUARGA_HEADER_REQUIRED,
    normalize_header,
)
from .rows import FamilyRows, RowReject

T = TypeVar("T")

XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
DELIMITERS = ";,|"


class ImportFileError(Exception):
    """The file cannot be read as a KPM import at all (the message says why, in Indonesian)."""


@dataclass
class Table:
    """One sheet or CSV file: its name, its normalised header, and a way to read its rows again."""

    name: str
    header: list[str]
    read: Callable[[], Iterator[tuple[int, list[str]]]]  # (row number as the user sees it, values)

    def has(self, *columns: str) -> bool:
        return all(c in self.header for c in columns)


@dataclass
class Source:
    layout: str  # "xlsx" (two sheets), "pair" (two files) or "flat"
    families_total: int
    families: Iterator[FamilyRows]


# --- Cells and tables -------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A spreadsheet cell as text. A whole number of 15 digits or fewer is written plainly; a larger
    one keeps its float form (3511014403850001.0) so that an identity number stored as a number,
    whose 16th digit Excel has lost, is recognised and rejected (FORMATS.md §6 "General rules")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else repr(float(value))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _header(values: Sequence[object], where: str) -> list[str]:
    header = [normalize_header(v) for v in values]
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise ImportFileError(f"Kolom {name} muncul dua kali di {where}.")
        seen.add(name)
    return header


def csv_table(path: Path, name: str | None = None) -> Table:
    """A CSV file: UTF-8 (BOM allowed), delimiter ; , or | sniffed, optional ``sep=`` first line."""
    label = name or path.name
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
            sep_line = first.strip().lower().startswith("sep=")
            if sep_line:
                delimiter = first.strip()[4:5] or ";"
                first = fh.readline()
            else:
                counts = {d: first.count(d) for d in DELIMITERS}
                delimiter = max(DELIMITERS, key=lambda d: counts[d])
                if counts[delimiter] == 0:
                    delimiter = ";"
    except UnicodeDecodeError as exc:
        raise ImportFileError(f'Berkas {label} bukan teks UTF-8; simpan ulang sebagai "CSV UTF-8".') from exc
    if not first.strip():
        raise ImportFileError(f"Berkas {label} kosong atau tidak berisi baris judul kolom.")
    header = _header(next(csv.reader(io.StringIO(first), delimiter=delimiter)), label)

    def read() -> Iterator[tuple[int, list[str]]]:
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                if sep_line:
                    fh.readline()
                reader = csv.reader(fh, delimiter=delimiter)
                next(reader, None)
                for number, values in enumerate(reader, start=2):
                    if any(values):
                        yield number, [v.strip() for v in values]
        except UnicodeDecodeError as exc:
            raise ImportFileError(f'Berkas {label} bukan teks UTF-8; simpan ulang sebagai "CSV UTF-8".') from exc
        except csv.Error as exc:
            raise ImportFileError(f"Berkas {label} tidak dapat dibaca sebagai CSV: {exc}") from exc

    return Table(label, header, read)


def xlsx_tables(path: Path) -> dict[str, Table]:
    """The sheets of a workbook, by upper-case sheet name, in workbook order."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
    except (CalamineError, OSError, ValueError) as exc:
        raise ImportFileError(f"Berkas {path.name} tidak dapat dibaca sebagai XLSX: {exc}") from exc
    out: dict[str, Table] = {}
    for sheet_name in names:
        sheet = workbook.get_sheet_by_name(sheet_name)
        start_row = (sheet.start or (0, 0))[0]
        rows = sheet.iter_rows()
        first = next(rows, None)
        if first is None:
            continue
        header = _header([cell_text(v) for v in first], f"lembar {sheet_name}")

        def read(sheet_name: str = sheet_name, start_row: int = start_row) -> Iterator[tuple[int, list[str]]]:
            rows = workbook.get_sheet_by_name(sheet_name).iter_rows()
            next(rows, None)
            for number, values in enumerate(rows, start=start_row + 2):
                texts = [cell_text(v) for v in values]
                if any(texts):
                    yield number, texts

        out[sheet_name.strip().upper()] = Table(sheet_name, header, read)
    if not out:
        raise ImportFileError(f"Berkas {path.name} tidak berisi lembar dengan data.")
    return out


def _tables_of(path: Path) -> dict[str, Table]:
    if path.suffix.lower() in XLSX_SUFFIXES:
        return xlsx_tables(path)
    with path.open("rb") as fh:
        if fh.read(4) == b"PK\x03\x04":
            return xlsx_tables(path)
    return {path.name.upper(): csv_table(path)}


# --- Layouts ---------------------------------------------------------------------------------


def read_source(paths: Sequence[Path | str], *, names: Sequence[str] | None = None) -> Source:
    """Open one or two files and decide their layout. ``names`` are the names the user knows the
    files by (an upload's original name); they label the rows in the report."""
    files = [Path(p) for p in paths]
    if not 1 <= len(files) <= 2:
        raise ImportFileError(
            "Pilih satu berkas (XLSX dua lembar atau berkas datar) atau dua berkas (keluarga dan ART)."
        )
    tables = []
    for i, path in enumerate(files):
        found = _tables_of(path)
        if names and len(found) == 1 and path.suffix.lower() not in XLSX_SUFFIXES:
            only = next(iter(found.values()))
            only.name = names[i]
        tables.append(found)
    if len(files) == 1:
        found = tables[0]
        if KELUARGA in found and ART in found:
            kel, art = found[KELUARGA], found[ART]
            return _pair(kel, art, "xlsx")
        table = next(iter(found.values()))
        return _flat(table)
    a = tables[0].get(KELUARGA) or tables[0].get(ART) or next(iter(tables[0].values()))
    b = tables[1].get(KELUARGA) or tables[1].get(ART) or next(iter(tables[1].values()))
    a_is_art, b_is_art = _looks_like_art(a), _looks_like_art(b)
    if a_is_art == b_is_art:
        raise ImportFileError(
            "Dari dua berkas, satu harus berisi keluarga (kolom NIK_PENGURUS, STATUS_KEPESERTAAN) "
            "dan satu berisi anggota (kolom NIK, NAMA, TGLLAHIR, HUBKEL)."
        )
    kel, art = (b, a) if a_is_art else (a, b)
    return _pair(kel, art, "pair")


def _looks_like_art(table: Table) -> bool:
    return table.has("NAMA", "TGLLAHIR") and not table.has("STATUS_KEPESERTAAN")


def _require(table: Table, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.header]
    if missing:
        raise ImportFileError(f"Kolom wajib tidak ada di {what} {table.name}: {', '.join(missing)}.")


def _picker(header: list[str], known: Sequence[str]) -> Callable[[list[str]], dict[str, str]]:
    """Turn a row into {column: text} for the columns Harapan knows (others are ignored)."""
    wanted = set(known)
    index = [(i, name) for i, name in enumerate(header) if name in wanted]

    def pick(values: list[str]) -> dict[str, str]:
        n = len(values)
        return {name: (values[i] if i < n else "") for i, name in index}

    return pick


def _key_at(header: list[str]) -> int:
    return header.index("ID_KELUARGA_PKH")


def _pair(kel: Table, art: Table, layout: str) -> Source:
    _require(kel, KELUARGA_HEADER_REQUIRED, "lembar keluarga")
    _require(art, ART_HEADER_REQUIRED, "lembar anggota")
    if not (kel.has("KODE_WILAYAH") or kel.has("KDPROP", "KDKAB", "KDKEC", "KDDESA")):
        raise ImportFileError(f"Lembar {kel.name} harus punya kolom KDPROP, KDKAB, KDKEC, KDDESA atau KODE_WILAYAH.")
    pick_kel, pick_art = _picker(kel.header, KELUARGA_COLUMNS), _picker(art.header, ART_COLUMNS)
    kel_key, art_key = _key_at(kel.header), _key_at(art.header)

    families: dict[str, tuple[int, dict[str, str]]] = {}
    duplicates: dict[str, list[int]] = {}
    for number, values in kel.read():
        key = values[kel_key].strip() if kel_key < len(values) else ""
        if key in families:
            duplicates.setdefault(key, []).append(number)
        else:
            families[key] = (number, pick_kel(values))
    counts = _count_keys(art, art_key)
    total = len(set(families) | set(counts)) - (1 if "" in counts and "" not in families else 0) + counts.get("", 0)

    def problems(key: str) -> list[RowReject]:
        first = families[key][0] if key in families else 0
        return [
            RowReject(
                kel.name,
                number,
                "ID_KELUARGA_PKH",
                "id_keluarga_ganda",
                f"ID_KELUARGA_PKH {key} sudah ada di {kel.name} baris {first}.",
                key,
                key,
            )
            for number in duplicates.get(key, [])
        ]

    def make(key: str, members: list[tuple[int, dict[str, str]]]) -> FamilyRows:
        found = problems(key)
        number, values = families.pop(key, (0, {}))
        return FamilyRows(values, number, members, kel.name, art.name, found)

    def generate() -> Iterator[FamilyRows]:
        for key, members in _group(art, art_key, counts, pick_art):
            yield make(key, members) if key else FamilyRows({}, 0, members, kel.name, art.name)
        for key in list(families):
            yield make(key, [])

    return Source(layout, total, generate())


def _count_keys(table: Table, key_at: int) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _number, values in table.read():
        counts[values[key_at].strip() if key_at < len(values) else ""] += 1
    return counts


def _group(
    table: Table, key_at: int, counts: Counter[str], pick: Callable[[list[str]], T]
) -> Iterator[tuple[str, list[tuple[int, T]]]]:
    """(key, rows) per family, as soon as the family's last row is read; rows without a key one by one."""
    pending: dict[str, list[tuple[int, T]]] = {}
    for number, values in table.read():
        key = values[key_at].strip() if key_at < len(values) else ""
        if not key:
            yield "", [(number, pick(values))]
            continue
        rows = pending.setdefault(key, [])
        rows.append((number, pick(values)))
        if len(rows) >= counts.get(key, 0):
            del pending[key]
            yield key, rows
    # Rows added to the file between the two passes.
    yield from pending.items()


def _flat(table: Table) -> Source:
    """One row per member, carrying the family's columns too (like the SIKS-NG flat export)."""
    _require(table, ("ID_KELUARGA_PKH", "NIK", "NAMA", "TGLLAHIR", "HUBKEL", "NOKK"), "berkas")
    if not table.has("NIK_PENGURUS", "STATUS_KEPESERTAAN"):
        raise ImportFileError(
            f"Berkas {table.name} tidak punya kolom keluarga (NIK_PENGURUS, STATUS_KEPESERTAAN): untuk dua "
            "lembar gunakan XLSX dengan lembar KELUARGA dan ART, atau unggah berkas keluarga dan berkas ART."
        )
    if not (table.has("KODE_WILAYAH") or table.has("KDPROP", "KDKAB", "KDKEC", "KDDESA")):
        raise ImportFileError(f"Berkas {table.name} harus punya kolom KDPROP, KDKAB, KDKEC, KDDESA atau KODE_WILAYAH.")
    household_columns = [c for c in KELUARGA_COLUMNS if c in table.header and c not in ("ID_KELUARGA_PKH", "NOKK")]
    pick_kel = _picker(table.header, household_columns)
    pick_art = _picker(table.header, ART_COLUMNS)
    key_at = _key_at(table.header)
    counts = _count_keys(table, key_at)
    total = len(counts) - (1 if "" in counts else 0) + counts.get("", 0)

    def pick_both(values: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        return pick_art(values), pick_kel(values)

    def generate() -> Iterator[FamilyRows]:
        for key, rows in _group(table, key_at, counts, pick_both):
            members = [(number, art) for number, (art, _kel) in rows]
            keluarga: dict[str, str] = {"ID_KELUARGA_PKH": key, "NOKK": members[0][1].get("NOKK", "")}
            first_seen: dict[str, tuple[str, int]] = {}
            problems: list[RowReject] = []
            for number, (_art, kel) in rows:
                for column, value in kel.items():
                    keluarga.setdefault(column, "")
                    if not value:
                        continue
                    if column not in first_seen:
                        first_seen[column] = (value, number)
                        keluarga[column] = value
                    elif first_seen[column][0] != value:
                        problems.append(
                            RowReject(
                                table.name,
                                number,
                                column,
                                "nilai_keluarga_berbeda",
                                f"{column} berbeda dalam satu keluarga: '{first_seen[column][0]}' di baris "
                                f"{first_seen[column][1]}, '{value}' di baris {number}.",
                                value,
                                key,
                            )
                        )
            yield FamilyRows(
                keluarga if key else {}, rows[0][0] if key else 0, members, table.name, table.name, problems
            )

    return Source("flat", total, generate())
