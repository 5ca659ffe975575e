"""A family as the import understands it once its rows passed the checks, and the report of a
family that did not (FORMATS.md §6.1): its bad rows with their rule, its other rows as
``keluarga_ditolak`` naming the bad rows, so no half family is ever stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from harapan.registry.models import IN_PROGRAMME, PRESENT
from harapan.registry.rules import Violation

from .rows import FamilyRows, RowReject

FAMILY_REJECTED = "keluarga_ditolak"


@dataclass
class EnrolmentIn:
    """Enrolment read from PARTISIPASI_SEKOLAH=1: the level and the school columns the file has."""

    level: str
    details: dict[str, Any] = field(default_factory=dict)  # grade, npsn, nisn, school_name


@dataclass
class MemberIn:
    row: int
    fields: dict[str, Any]  # Member model fields the file gives (absent columns keep their value)
    is_carer: bool = False
    pregnant: bool | None = None  # None: STA_HAMIL not in the file
    pregnancy_from: dt.date | None = None
    enrolment_given: bool = False  # PARTISIPASI_SEKOLAH in the file
    enrolment: EnrolmentIn | None = None
    severe: bool | None = None  # None: DISABILITAS_BERAT not in the file

    @property
    def nik(self) -> str | None:
        return self.fields["nik"]

    @property
    def present(self) -> bool:
        return self.fields.get("presence", 1) in PRESENT


@dataclass
class FamilyIn:
    """A family that passed every check on its own rows."""

    source: FamilyRows
    pkh_id: str
    fields: dict[str, Any]  # Household model fields the file gives
    status: str
    status_date: dt.date | None
    members: list[MemberIn]

    @property
    def in_programme(self) -> bool:
        return self.status in IN_PROGRAMME


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int
    violation: Violation
    value: str = ""


def family_rejects(
    family: FamilyRows, issues: Iterable[Issue], *, problems: Iterable[RowReject] = ()
) -> list[RowReject]:
    """Every row of a rejected family: the bad rows with their rule, the others as
    ``keluarga_ditolak`` naming the bad rows (no half family is ever stored)."""
    key = family.key
    out = [
        RowReject(i.sheet, i.row, i.violation.field, i.violation.rule, i.violation.message[:500], i.value[:300], key)
        for i in issues
    ]
    out.extend(problems)
    bad = {(r.sheet, r.row) for r in out}
    named = ", ".join(
        f"{sheet} baris {row}" if row else sheet
        for sheet, row in sorted(bad, key=lambda x: (x[0] != family.sheet_keluarga, x[1]))
    )
    message = f"Keluarga {key or '(tanpa ID)'} ditolak karena kesalahan di {named}."[:500]
    rows = ([(family.sheet_keluarga, family.keluarga_row)] if family.keluarga_row else []) + [
        (family.sheet_art, row) for row, _ in family.art
    ]
    for sheet, row in rows:
        if (sheet, row) not in bad:
            out.append(RowReject(sheet, row, "", FAMILY_REJECTED, message, "", key))
            bad.add((sheet, row))
    return out
