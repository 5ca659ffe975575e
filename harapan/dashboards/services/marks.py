"""Stale marks: writing them (the audit trail's receiver), planning their refresh, refreshing them
before a read or in the background."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from harapan.conf import setting

from .. import metrics as m
from ..compute import is_desa
from ..models import Figure, FigureArea, StaleArea
from .areas import (
    ALL,
    STATUS_METRICS,
    ancestors,
    covers,
    parent_code,
    window_today,
)
from .refresh import RefreshStats, marks_clear, refresh_prefix

# --- Stale marks ----------------------------------------------------------------------------------


@dataclass
class WorkItem:
    prefix: str
    sections: set[str]
    marks: list[StaleArea] = field(default_factory=list)
    cost: float = 0.0


def plan(marks: list[StaleArea]) -> list[WorkItem]:
    """The fewest refreshes that cover ``marks``: marks of one prefix merged; many desas of one
    kecamatan become the kecamatan; a mark inside another with no more sections joins it."""
    by_prefix: dict[str, WorkItem] = {}
    for mk in marks:
        item = by_prefix.setdefault(mk.prefix, WorkItem(mk.prefix, set()))
        item.sections |= {mk.section} if mk.section else set(ALL)
        item.marks.append(mk)
    merge = int(setting("dashboards", "DESA_MERGE"))
    per_kecamatan: dict[str, list[WorkItem]] = defaultdict(list)
    for item in by_prefix.values():
        if is_desa(item.prefix):
            per_kecamatan[parent_code(item.prefix)].append(item)
    for kecamatan, items in per_kecamatan.items():
        if len(items) > merge:
            joined = by_prefix.setdefault(kecamatan, WorkItem(kecamatan, set()))
            for item in items:
                joined.sections |= item.sections
                joined.marks += item.marks
                del by_prefix[item.prefix]
    out: list[WorkItem] = []
    for item in sorted(by_prefix.values(), key=lambda i: (len(i.prefix), i.prefix)):
        outer = next((o for o in out if covers(o.prefix, item.prefix) and o.sections >= item.sections), None)
        if outer is not None:
            outer.marks += item.marks
        else:
            out.append(item)
    return out


SECTION_COST = {m.KPM: 1.0, m.P2K2: 1.0, m.KOMITMEN: 0.5, m.BAYAR: 0.2, m.RUJUKAN: 0.1}
# Families assumed under a region with no figures yet, by code length (so the first refresh of a
# large region goes to the background).
UNKNOWN_FAMILIES = {0: 10_000_000, 2: 1_000_000, 5: 100_000, 8: 10_000, 13: 0}


def estimate(items: list[WorkItem]) -> None:
    """Cost of each item: the families under its prefix (from the stored figures) times the weight
    of its sections (measured at a million families: a desa of 4,500 families refreshes every
    section in about 1.1 s; referrals and coverage of a kecamatan of 45,000 take about 1 s);
    sections computed above the desa (staf, dana) and the small grievance table cost nothing."""
    weighted = [i for i in items if any(s in SECTION_COST for s in i.sections)]
    if not weighted:
        return
    families = dict(
        Figure.objects.filter(area__in=[i.prefix for i in weighted], metric__in=STATUS_METRICS, period=m.NOW)
        .values("area")
        .annotate(n=Sum("value"))
        .values_list("area", "n")
    )
    for item in weighted:
        n = families.get(item.prefix)
        if n is None:
            n = UNKNOWN_FAMILIES[len(item.prefix)]
        item.cost = n * sum(SECTION_COST.get(s, 0.0) for s in item.sections)


def related_marks(prefix: str) -> Q:
    """Marks that touch what a dashboard of ``prefix`` shows: on it, inside it, or above it."""
    if not prefix:
        return Q()
    return Q(prefix__in=[prefix, *ancestors(prefix)]) | Q(prefix__startswith=prefix + ".")


@dataclass
class Freshness:
    """What a dashboard read found: marks refreshed now, and changes left to the background."""

    refreshed: list[str] = field(default_factory=list)
    pending_since: dt.datetime | None = None
    busy: bool = False

    @property
    def pending(self) -> bool:
        return self.pending_since is not None


def stale_refresh_for(prefix: str) -> Freshness:
    """Before a dashboard of region ``prefix`` reads its figures: refresh the changes marked inside
    or above it, cheapest first, while their cost stays within ``SYNC_REFRESH_MAX_COST`` and their
    number within ``SYNC_REFRESH_MAX_ITEMS`` (a national page on a busy day meets changes all over
    the country); queue the rest for the background task. On settled data this is one query."""
    marks = list(StaleArea.objects.filter(related_marks(prefix)))
    out = Freshness()
    if not marks:
        return out
    change = [mk for mk in marks if mk.cause == StaleArea.Cause.PERUBAHAN]
    later = [mk for mk in marks if mk.cause != StaleArea.Cause.PERUBAHAN]
    items = plan(change)
    estimate(items)
    budget = float(setting("dashboards", "SYNC_REFRESH_MAX_COST"))
    most = int(setting("dashboards", "SYNC_REFRESH_MAX_ITEMS"))
    window = window_today()
    spent = 0.0
    for item in sorted(items, key=lambda i: i.cost):
        if spent + item.cost > budget or out.busy or len(out.refreshed) >= most:
            later += item.marks
            continue
        result = refresh_prefix(item.prefix, frozenset(item.sections), window, wait=False)
        if result is None:
            out.busy = True
            later += item.marks
            continue
        spent += item.cost
        marks_clear(item.marks, wait=False)
        out.refreshed.append(item.prefix)
    if later:
        out.pending_since = min(mk.marked_at for mk in later)
        stale_queue([mk for mk in later if mk.queued_at is None])
    return out


def stale_queue(marks: list[StaleArea]) -> None:
    """Hand marks to the background task (queued once)."""
    if not marks:
        return
    StaleArea.objects.filter(pk__in=[mk.pk for mk in marks], queued_at__isnull=True).update(queued_at=timezone.now())
    from ..tasks import refresh_stale

    transaction.on_commit(lambda: refresh_stale.enqueue())


def stale_refresh_pending() -> RefreshStats:
    """The background task: refresh every mark (all sizes), largest regions in kabupaten chunks."""
    started = time.perf_counter()
    marks = list(StaleArea.objects.all())
    stats = RefreshStats()
    window = window_today()
    for item in plan(marks):
        result = refresh_prefix(item.prefix, frozenset(item.sections), window)
        if result is not None:
            stats.add(result)
            marks_clear(item.marks)
    stats.seconds = time.perf_counter() - started
    return stats


def mark_stale(pairs: Iterable[tuple[str, str]], *, cause: str = StaleArea.Cause.PERUBAHAN) -> int:
    """Mark (prefix, section) pairs stale, in the caller's transaction: one row per pair, its time
    moved on (and its queueing re-armed) when already marked. A refresh clears a mark only if its
    time is still the one it read (``_clear``), so a change marked while a refresh runs survives it."""
    now = timezone.now()
    rows = [StaleArea(prefix=p, section=s, marked_at=now, cause=cause, queued_at=None) for p, s in sorted(set(pairs))]
    StaleArea.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["prefix", "section", "cause"],
        update_fields=["marked_at", "queued_at"],
    )
    return len(rows)


def day_refresh_queue(area: FigureArea, prefix: str) -> None:
    """A read found figures computed before today: mark the area's region for the background (once
    a day per area) rather than making the reader wait."""
    today = timezone.localdate()
    queued = area.refresh_queued_at
    if queued is not None and timezone.localtime(queued).date() >= today:
        return
    FigureArea.objects.filter(pk=area.pk).update(refresh_queued_at=timezone.now())
    mark_stale([(prefix, "")], cause=StaleArea.Cause.HARI_BARU)
    stale_queue(list(StaleArea.objects.filter(prefix=prefix, section="", cause=StaleArea.Cause.HARI_BARU)))
