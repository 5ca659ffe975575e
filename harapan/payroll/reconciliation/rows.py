"""What the reconciliation readers share: reading a bank file's table, the rows it rejects, and
what a chunk of rows did (FORMATS.md §6.3)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harapan.imports.readers import XLSX_SUFFIXES, Table, csv_table, xlsx_tables

from ..models import ResultImport, ResultReject


def read_table(path: Path, *, aliases: dict[str, str] | None = None) -> Table:
    """The file's first sheet (XLSX) or the CSV, its header normalised as the KPM import does,
    then renamed by ``aliases``."""
    is_xlsx = path.suffix.lower() in XLSX_SUFFIXES
    if not is_xlsx:
        with path.open("rb") as fh:
            is_xlsx = fh.read(4) == b"PK\x03\x04"
    table = next(iter(xlsx_tables(path).values())) if is_xlsx else csv_table(path)
    if aliases:  # a column is renamed unless the file also has the column it would become
        header = table.header
        table.header = [aliases[h] if h in aliases and aliases[h] not in header else h for h in header]
    return table


def table_rows(table: Table, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    index = [(i, name) for i, name in enumerate(table.header) if name in columns]
    for number, values in table.read():
        n = len(values)
        yield number, {name: (values[i].strip() if i < n else "") for i, name in index}


@dataclass
class Outcome:
    """What a chunk did: rejects, and how many rows were applied or already as the file says."""

    rejects: list[ResultReject] = field(default_factory=list)
    applied: int = 0
    unchanged: int = 0


class Reject(Exception):
    def __init__(self, field: str, rule: str, message: str, value: str = "") -> None:
        super().__init__(message)
        self.field, self.rule, self.message, self.value = field, rule, message, value


def amount_of(text: str, column: str) -> int:
    """A whole rupiah amount: digits, maybe written by a spreadsheet as 750000.0."""
    clean = text.replace(" ", "")
    if clean.endswith(".0"):
        clean = clean[:-2]
    if not clean.isdigit():
        raise Reject(column, "angka_tidak_sah", f"{column} harus bilangan bulat rupiah (diterima '{text}').", text)
    return int(clean)


def reject_row(result: ResultImport, number: int, r: Reject, key: str) -> ResultReject:
    return ResultReject(
        result_import=result,
        row=number,
        field=r.field,
        rule=r.rule,
        message=r.message[:500],
        value=r.value[:200],
        key=key[:60],
    )
