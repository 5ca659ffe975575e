"""Refreshing figures: the desas under a region prefix, their pendamping, the regions above."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.conf import setting
from harapan.groups.models import Kelompok
from harapan.payroll.models import DanaSharing
from harapan.registry.models import Household

from .. import metrics as m
from ..compute import Window, chunks, desa_cells, desa_q, is_desa
from ..models import AreaKind, Figure, FigureArea, StaleArea
from .areas import (
    ALL,
    LENGTH_BY_KIND,
    ancestors,
    covers,
    expand,
    kind_of,
    metrics_q,
    parent_code,
    window_today,
)
from .rollup import area_upsert, figures_insert, rollup_pendamping, rollup_regions

log = logging.getLogger(__name__)

LOCK_KEY = 0x4841_5241_5041_4E  # "HARAPAN": the advisory lock of figure refreshes


def _lock(*, wait: bool) -> bool:
    """Take the refresh lock for the current transaction (PostgreSQL); False when ``wait`` is off
    and another refresh holds it. SQLite serialises writing transactions by itself. PostgreSQL's
    JIT is off for the transaction: it compiles a desa's aggregates for ten times longer than they
    run (as ``payroll.bulk.bulk_session`` found for a tahap run)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


@dataclass
class RefreshStats:
    prefixes: list[str] = field(default_factory=list)
    desas: int = 0
    pendamping: int = 0
    regions: int = 0
    rows: int = 0
    seconds: float = 0.0

    def add(self, other: RefreshStats) -> None:
        self.prefixes += other.prefixes
        self.desas += other.desas
        self.pendamping += other.pendamping
        self.regions += other.regions
        self.rows += other.rows


# --- One region prefix, in the caller's transaction -----------------------------------------------


def _refresh_region(prefix: str, sections: frozenset[str], window: Window, now: dt.datetime) -> RefreshStats:
    stats = RefreshStats(prefixes=[prefix])
    sections = expand(sections)
    desa_sections = [s for s in m.DESA_SECTIONS if s in sections]
    with_components = m.KPM in sections
    known_desas = set(
        FigureArea.objects.filter(desa_q(prefix, "area"), kind=AreaKind.DESA).values_list("area", flat=True)
    )
    old_pendamping: set[int] = set()
    desas: set[str] = set(known_desas)
    new_pendamping: set[int] = set()
    if desa_sections:
        cells = desa_cells(prefix, desa_sections, window)
        which = metrics_q(desa_sections)
        # Exact lists of the desas computed before (an index look-up each), not a LIKE over the table.
        for batch in chunks(sorted(known_desas)):
            old_pendamping |= {
                p
                for p in Figure.objects.filter(parent__in=batch, kind=AreaKind.SEL)
                .values_list("pendamping_id", flat=True)
                .distinct()
                if p is not None
            }
            Figure.objects.filter(which, area__in=batch, kind=AreaKind.DESA).delete()
            Figure.objects.filter(which, parent__in=batch, kind=AreaKind.SEL).delete()
        totals = cells.desa_totals()
        rows = [
            Figure(area=desa, kind=AreaKind.DESA, parent=parent_code(desa), metric=k, period=p, value=v)
            for desa, values in totals.items()
            for (k, p), v in values.items()
        ]
        rows += [
            Figure(
                area=f"c:{desa}:{pid}", kind=AreaKind.SEL, parent=desa, pendamping_id=pid, metric=k, period=p, value=v
            )
            for (desa, pid), values in cells.data.items()
            if pid is not None
            for (k, p), v in values.items()
        ]
        stats.rows += figures_insert(rows)
        new_pendamping = cells.pendamping_ids()
        desas |= set(totals)
        area_upsert(
            [
                FigureArea(area=d, kind=AreaKind.DESA, parent=parent_code(d), computed_at=now, components_on=window.on)
                for d in sorted(desas)
            ],
            components=with_components,
        )
        stats.desas = len(desas)

    # Kecamatan in the prefix (and, below, those of the pendamping touched).
    if is_desa(prefix):
        kecamatan = {parent_code(prefix)}
    elif len(prefix) == LENGTH_BY_KIND[AreaKind.KECAMATAN]:
        kecamatan = {prefix}
    else:
        kecamatan = {parent_code(d) for d in desas}
        kecamatan |= set(
            FigureArea.objects.filter(desa_q(prefix, "area"), kind=AreaKind.KECAMATAN).values_list("area", flat=True)
        )

    # Pendamping: those with cells before or after, those working in the kecamatan, those listed there.
    staff_in = Q(role=Role.PENDAMPING, is_active=True)
    if len(prefix) >= LENGTH_BY_KIND[AreaKind.KECAMATAN]:
        staff_in &= Q(region_id__in=sorted(kecamatan))
    elif prefix:
        staff_in &= Q(region__code__startswith=prefix + ".")
    pendamping = old_pendamping | new_pendamping
    if not is_desa(prefix):
        # A whole kecamatan or more: also its pendamping without families (counted, below the norm)
        # and those listed there before (moved away or no longer active).
        pendamping |= set(Staff.objects.filter(staff_in).values_list("pk", flat=True))
        listed = FigureArea.objects.filter(kind=AreaKind.PENDAMPING)
        if len(prefix) == LENGTH_BY_KIND[AreaKind.KECAMATAN]:
            listed = listed.filter(parent=prefix)
        elif prefix:
            listed = listed.filter(parent__startswith=prefix + ".")
        pendamping |= {int(a.removeprefix("p:")) for a in listed.values_list("area", flat=True)}
    pendamping_parents = rollup_pendamping(
        pendamping, desa_sections, staf=m.STAF in sections, window=window, now=now, components=with_components
    )
    stats.pendamping = len(pendamping)
    kecamatan |= {p for p in pendamping_parents if len(p) == LENGTH_BY_KIND[AreaKind.KECAMATAN]}

    # Regions above, bottom-up.
    levels: dict[AreaKind, set[str]] = defaultdict(set)
    for code in kecamatan | {p for p in pendamping_parents if p} | ({prefix} if not is_desa(prefix) else set()):
        levels[kind_of(code)].add(code)
        for up in ancestors(code):
            levels[kind_of(up)].add(up)
    for up in ancestors(prefix):
        levels[kind_of(up)].add(up)
    for kind in (AreaKind.KECAMATAN, AreaKind.KABUPATEN, AreaKind.PROVINSI, AreaKind.NASIONAL):
        areas = sorted(levels.get(kind, set()))
        for batch in chunks(areas):
            stats.rows += rollup_regions(kind, batch, sections, desa_sections, window, now, components=with_components)
        stats.regions += len(areas)
    return stats


# --- Refreshing prefixes --------------------------------------------------------------------------


def kabupaten_with_data(prefix: str = "") -> set[str]:
    """Kabupaten/kota under ``prefix`` with families, groups, pendamping, dana sharing or figures."""
    out = set(
        Household.objects.filter(desa_q(prefix))
        .annotate(k=Substr("desa_id", 1, 5))
        .values_list("k", flat=True)
        .distinct()
        .order_by()
    )
    out |= set(
        Kelompok.objects.filter(desa_q(prefix))
        .annotate(k=Substr("desa_id", 1, 5))
        .values_list("k", flat=True)
        .distinct()
        .order_by()
    )
    out |= {
        str(r)[:5]
        for r in Staff.objects.filter(role=Role.PENDAMPING, region__isnull=False).values_list("region_id", flat=True)
        if covers(prefix, str(r)[:5])
    }
    out |= {
        str(k) for k in DanaSharing.objects.values_list("kabupaten_id", flat=True).distinct() if covers(prefix, str(k))
    }
    out |= set(
        FigureArea.objects.filter(desa_q(prefix, "area"), kind=AreaKind.KABUPATEN).values_list("area", flat=True)
    )
    return {k for k in out if len(k) == 5 and covers(prefix, k)}


def refresh_prefix(prefix: str, sections: frozenset[str], window: Window, *, wait: bool = True) -> RefreshStats | None:
    """Refresh one prefix: in one transaction, or one per kabupaten above the kabupaten level.
    None when ``wait`` is off and another refresh holds the lock."""
    now = timezone.now()
    if len(prefix) >= LENGTH_BY_KIND[AreaKind.KABUPATEN]:
        with transaction.atomic():
            if not _lock(wait=wait):
                return None
            return _refresh_region(prefix, sections, window, now)
    stats = RefreshStats()
    for kabupaten in sorted(kabupaten_with_data(prefix)):
        with transaction.atomic():
            if not _lock(wait=wait):
                return None
            stats.add(_refresh_region(kabupaten, sections, window, now))
    with transaction.atomic():  # the level itself, also when nothing is left under it
        if not _lock(wait=wait):
            return None
        levels = [prefix, *ancestors(prefix)] if prefix else [""]
        for code in levels:
            stats.rows += rollup_regions(
                kind_of(code), [code], expand(sections), [], window, now, components=m.KPM in sections
            )
    stats.prefixes = [prefix]
    return stats


def _marks_covered(marks: list[StaleArea], prefix: str, sections: frozenset[str]) -> list[StaleArea]:
    return [
        mk
        for mk in marks
        if covers(prefix, mk.prefix) and (not mk.section or mk.section in sections) and (mk.section or sections >= ALL)
    ]


def figures_refresh(
    prefixes: Iterable[str], *, sections: Iterable[str] | None = None, on: dt.date | None = None
) -> RefreshStats:
    """Recompute the figures of ``sections`` (all by default) for the desas under each region
    prefix ("" = the whole country), then their pendamping and the regions above; clears the stale
    marks the refresh covered (those marked before it started)."""
    started = time.perf_counter()
    window = window_today() if on is None else Window(on=on, years=int(setting("dashboards", "YEARS_KEPT")))
    chosen = frozenset(sections) if sections else ALL
    marks = list(StaleArea.objects.all())
    wanted = sorted(set(prefixes), key=len)
    kept: list[str] = []
    for p in wanted:
        if not any(covers(k, p) for k in kept):
            kept.append(p)
    stats = RefreshStats()
    for p in kept:
        result = refresh_prefix(p, chosen, window)
        if result is not None:
            stats.add(result)
            marks_clear(_marks_covered(marks, p, chosen))
    stats.seconds = time.perf_counter() - started
    return stats


def figures_refresh_all(*, on: dt.date | None = None) -> RefreshStats:
    """Every figure of the country (the nightly refresh: components age by the day, months and
    years turn), one kabupaten per transaction; every mark older than the start is cleared."""
    return figures_refresh([""], on=on)


def marks_clear(marks: list[StaleArea], *, wait: bool = True) -> None:
    """Delete the marks a refresh read, unless marked again since (their time moved on). A mark
    being moved on by a transaction still open is locked until it ends; a read (``wait`` off) does
    not wait for it on PostgreSQL: it leaves the marks, and a later refresh takes them again."""
    for batch in chunks(marks, 200):
        q = Q(pk__in=[])
        for mk in batch:
            q |= Q(pk=mk.pk, marked_at=mk.marked_at)
        if wait or connection.vendor != "postgresql":
            StaleArea.objects.filter(q).delete()
            continue
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                StaleArea.objects.filter(q).delete()
        except OperationalError:
            log.info("stale marks left for a later refresh: another transaction holds them")
