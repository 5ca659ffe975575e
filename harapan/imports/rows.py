"""The raw input of the KPM import: one family's source rows, and one rejected row.

Readers turn files into ``FamilyRows``; the demo seeder builds them directly. Column names are
the FORMATS.md §6.1 names in upper case; values are the raw text of the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowReject:
    """A rejected source row: sheet, row number as a spreadsheet user sees it, column, rule, message."""

    sheet: str
    row: int
    field: str
    rule: str
    message: str
    value: str = ""
    family_key: str = ""

    def describe(self) -> str:
        where = f"{self.sheet} baris {self.row}" if self.row else self.sheet
        column = f", kolom {self.field}" if self.field else ""
        return f"{where}{column} [{self.rule}]: {self.message}"


@dataclass
class FamilyRows:
    """One PKH family as read from the source: its KELUARGA row and its ART rows."""

    keluarga: dict[str, str]  # KELUARGA columns (upper-case names) -> raw text
    keluarga_row: int  # source row number (1-based, as a spreadsheet user sees it); 0 = no KELUARGA row
    art: list[tuple[int, dict[str, str]]]  # (source row number, ART columns -> raw text)
    sheet_keluarga: str = "KELUARGA"
    sheet_art: str = "ART"
    # Problems the reader already found (duplicate family rows, conflicting household values in a
    # flat file); any of them rejects the whole family.
    problems: list[RowReject] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The family's ID_KELUARGA_PKH as given (trimmed), or the first ART row's."""
        key = (self.keluarga.get("ID_KELUARGA_PKH") or "").strip()
        if not key and self.art:
            key = (self.art[0][1].get("ID_KELUARGA_PKH") or "").strip()
        return key
