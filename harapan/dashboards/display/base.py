"""Dividing and formatting the stored figures, the periods a dashboard shows, and the figures
derived from several stored ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from harapan.conf import setting
from harapan.graduation.rules import target_count
from harapan.registry.models import HouseholdStatus

from .. import metrics as m
from ..selectors import Values

IN_PROGRAMME_STATUSES = ("calon", "aktif", "ditangguhkan")


def percent(num: int, den: int) -> Decimal | None:
    """num / den as a percentage with one decimal; None when there is nothing to divide by."""
    if den <= 0:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ratio(num: int, den: int) -> Decimal | None:
    if den <= 0:
        return None
    return (Decimal(num) / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def pct_text(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}%".replace(".", ",")


def num_text(value: int | Decimal | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return str(intcomma(value))


def rp_text(value: int) -> str:
    return f"Rp {intcomma(value)}"


@dataclass(frozen=True)
class Periods:
    """The periods a dashboard shows, from today's date and what the area's figures hold."""

    today: dt.date
    months: list[str]  # the last MONTHS_SHOWN months, oldest first ("2026-03")
    year: str
    tahap: list[str]  # tahap periods with payment lines, oldest first ("2026-1")
    last_tahap: str | None
    last_verification: str | None  # the latest month with commitment records

    @classmethod
    def of(cls, values: Values, today: dt.date) -> Periods:
        shown = int(setting("dashboards", "MONTHS_SHOWN"))
        months = []
        y, mo = today.year, today.month
        for _i in range(shown):
            months.append(f"{y:04d}-{mo:02d}")
            mo -= 1
            if mo == 0:
                y, mo = y - 1, 12
        months.reverse()
        tahap = sorted(values.periods("bayar_kpm"), key=lambda p: tuple(int(x) for x in p.split("-")))
        verified = [p for p in values.periods("komitmen_kpm") if p <= months[-1]]
        return cls(
            today=today,
            months=months,
            year=str(today.year),
            tahap=tahap,
            last_tahap=tahap[-1] if tahap else None,
            last_verification=verified[-1] if verified else None,
        )


def month_label(period: str) -> str:
    year, month = (int(x) for x in period.split("-"))
    return date_format(dt.date(year, month, 1), "M Y")


def tahap_label(period: str) -> str:
    year, number = period.split("-")
    return _("Tahap %(n)s/%(y)s") % {"n": number, "y": year}


# --- Derived figures --------------------------------------------------------------------------------


def in_programme(v: Values) -> int:
    return sum(v.get(f"kpm_{s}") for s in IN_PROGRAMME_STATUSES)


def attendance(v: Values, months: list[str]) -> tuple[int, int]:
    hadir = v.total("absen_hadir", months)
    return hadir, hadir + v.total("absen_izin", months) + v.total("absen_alpa", months)


def graduated_counted(v: Values, year: str) -> int:
    """Graduations of the year that count towards the target (graduation TARGET_STATUSES)."""
    kinds = set(setting("graduation", "TARGET_STATUSES"))
    out = 0
    if HouseholdStatus.GRADUASI_MANDIRI in kinds:
        out += v.get("graduasi_mandiri", year)
    if HouseholdStatus.GRADUASI_ALAMIAH in kinds:
        out += v.get("graduasi_alamiah", year)
    return out


def graduation_target(v: Values, year: str) -> int:
    return target_count(v.get("graduasi_basis", year), percent=setting("graduation", "TARGET_PERCENT"))


def norm_status(load: int) -> str:
    low, high = m.caseload_band()
    if load < low:
        return "bawah"
    if load > high:
        return "atas"
    return "dalam"


NORM_LABELS = {
    "bawah": gettext_lazy("di bawah norma"),
    "atas": gettext_lazy("di atas norma"),
    "dalam": gettext_lazy("dalam norma"),
}
