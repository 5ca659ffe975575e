"""Report rules as pure functions: months, shares, whose a family was on a date, a month's status,
and what counts as applying the P2K2 material. No database; the selectors feed them."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

T = TypeVar("T")

# A month's meeting status in the pendamping list (overview).
LENGKAP = "lengkap"  # every meeting of the month recorded held or cancelled
BELUM_LENGKAP = "belum_lengkap"  # the month is over and some meetings were never recorded
BERJALAN = "berjalan"  # the month is not over yet
TANPA_PERTEMUAN = "tanpa_pertemuan"  # no meeting planned in the month


def month_first_last(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month (the last day counts: a meeting on the 31st is in it)."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def last_finished_month(today: dt.date) -> tuple[int, int]:
    """The month before ``today``'s: the default month of a monthly report (a report is written
    once the month is over, RULES.md "People and ratios": monthly reports to the korkab)."""
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def percent(part: int | Decimal, whole: int | Decimal, *, places: int = 1) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded half up; None when ``whole`` is 0."""
    if not whole:
        return None
    q = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(q, rounding=ROUND_HALF_UP)


def ratio(part: int | Decimal, whole: int | Decimal, *, places: int = 1) -> Decimal | None:
    """``part`` per ``whole`` (KPM per pendamping, meetings per pendamping per month...)."""
    if not whole:
        return None
    q = Decimal(1).scaleb(-places)
    return (Decimal(part) / Decimal(whole)).quantize(q, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Change:
    """A change of who a family (or a group) belongs to: at ``at``, from ``before`` to ``after``."""

    at: dt.datetime
    before: int | None
    after: int | None


def owner_at(changes: Sequence[Change], current: int | None, moment: dt.datetime) -> int | None:
    """Whose the family was just before ``moment``: the ``before`` of the first change at or after
    ``moment``, or its present owner when nothing changed since. ``changes`` are in time order.
    (The pendamping assignment is dated only by its audit events, RULES.md "People and ratios":
    each pendamping reports on the families they accompanied.)"""
    for change in changes:
        if change.at >= moment:
            return change.before
    return current


def owners_during(
    changes: Sequence[Change], current: int | None, start: dt.datetime, end: dt.datetime
) -> set[int | None]:
    """Everyone the family belonged to at some time in [start, end)."""
    out = {owner_at(changes, current, start)}
    for change in changes:
        if start <= change.at < end:
            out.add(change.before)
            out.add(change.after)
    return out


def month_status(*, planned: int, pending: int, finished: bool) -> str:
    """The status of a pendamping's month in the overview: without meetings, still running,
    complete (every meeting recorded held or cancelled), or incomplete once the month is over."""
    if planned == 0:
        return TANPA_PERTEMUAN
    if not finished:
        return BERJALAN
    return LENGKAP if pending == 0 else BELUM_LENGKAP


def applies_material(mean_post_percent: float | None, checks: int, *, pass_percent: int, min_checks: int) -> bool:
    """Whether a family counts as applying the P2K2 material (RULES.md "P2K2 / FDS curriculum":
    measures of success, "share of KPM applying the material", 50.09% in the Banjarmasin survey).
    The survey asked pendamping for their judgement; what Harapan records is the after-session
    knowledge check, so a family counts when it sat at least ``min_checks`` after-session checks
    and their mean score reaches ``pass_percent`` of the questions. Knowing is not yet doing: the
    figure is a proxy, and the page says so."""
    return mean_post_percent is not None and checks >= min_checks and mean_post_percent >= pass_percent
