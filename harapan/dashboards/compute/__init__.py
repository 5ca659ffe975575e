"""The set-based computations behind the figures: for every desa under a region prefix, split by
the families' pendamping (the *cells* a pendamping's figures are summed from), one GROUP BY per
kind of record. Nothing here loops over families; each function adds to ``Cells``.

Where a figure belongs:
- families, components, groups joined, graduation, attendance marks, commitment records,
  sanctions, absence flags and payment lines: the family's current desa and pendamping (a family
  that moves takes its history along, and the audit trail marks both desas stale);
- kelompok, meetings and module coverage: the kelompok's desa and pendamping.

Region prefixes: ``""`` is the whole country, a desa code (13 characters) that desa, any other
code the regions under it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import metrics as m
from .base import (
    MAX_IDS,
    Cells,
    Scope,
    Window,
    chunks,
    desa_q,
    desa_sql,
    in_programme_statuses,
    is_desa,
    month_key,
    table,
)
from .families import components, families, graduation
from .p2k2 import absence_flags, attendance, core_sessions, groups, meetings
from .records import commitments, grievances, payments, referrals, sanctions

__all__ = [
    "COMPUTATIONS",
    "MAX_IDS",
    "Cells",
    "Scope",
    "Window",
    "chunks",
    "core_sessions",
    "desa_cells",
    "desa_q",
    "desa_sql",
    "in_programme_statuses",
    "is_desa",
    "month_key",
    "table",
]

# --- By section ----------------------------------------------------------------------------------

COMPUTATIONS = {
    m.KPM: (families, components, graduation),
    m.P2K2: (groups, meetings, attendance, absence_flags),
    m.KOMITMEN: (commitments, sanctions),
    m.BAYAR: (payments,),
    m.ADUAN: (grievances,),
    m.RUJUKAN: (referrals,),
}


def desa_cells(prefix: str, sections: Iterable[str], window: Window) -> Cells:
    """Every figure of ``sections`` for the desas under ``prefix``, by desa and pendamping."""
    cells = Cells()
    scope = Scope(prefix)
    for section in sections:
        for compute in COMPUTATIONS.get(section, ()):
            compute(scope, window, cells)
    return cells
