"""Region codes and their levels, sections and the date window: what every refresh and read shares."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from harapan.conf import setting
from harapan.registry.models import IN_PROGRAMME, HouseholdStatus

from .. import metrics as m
from ..compute import Window
from ..models import AreaKind

ALL: frozenset[str] = frozenset(m.SECTIONS)
# Code length of each region level: "" nation, "35" provinsi, "35.11" kabupaten, "35.11.01"
# kecamatan, "35.11.01.2001" desa.
KIND_BY_LENGTH = {
    0: AreaKind.NASIONAL,
    2: AreaKind.PROVINSI,
    5: AreaKind.KABUPATEN,
    8: AreaKind.KECAMATAN,
    13: AreaKind.DESA,
}
LENGTH_BY_KIND = {v: k for k, v in KIND_BY_LENGTH.items()}
IN_PROGRAMME_METRICS = [f"kpm_{s}" for s in sorted(str(s) for s in IN_PROGRAMME)]
STATUS_METRICS = [f"kpm_{s}" for s in HouseholdStatus.values]


def parent_code(code: str) -> str:
    """The region one level up ("" above a province)."""
    return code.rsplit(".", 1)[0] if "." in code else ""


def ancestors(code: str) -> list[str]:
    """Every region above ``code``, nearest first, ending with the nation ("")."""
    out = []
    while code:
        code = parent_code(code)
        out.append(code)
    return out


def kind_of(code: str) -> AreaKind:
    return KIND_BY_LENGTH[len(code)]


def covers(outer: str, inner: str) -> bool:
    """Whether region prefix ``outer`` contains (or is) ``inner``."""
    return outer == "" or inner == outer or inner.startswith(outer + ".")


def expand(sections: Iterable[str]) -> frozenset[str]:
    """Sections plus those computed from them above the desa: a pendamping's caseload (``staf``)
    from their families, a kabupaten's dana sharing (``dana``) from its payments."""
    out = set(sections) or set(ALL)
    if m.KPM in out:
        out.add(m.STAF)
    if m.BAYAR in out:
        out.add(m.DANA)
    return frozenset(out)


def metrics_q(sections: Iterable[str]) -> Q:
    """The rows of the figures of ``sections``."""
    return Q(section__in=sorted(set(sections)))


def window_today() -> Window:
    return Window(on=timezone.localdate(), years=int(setting("dashboards", "YEARS_KEPT")))
