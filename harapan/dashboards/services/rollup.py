"""Rolling figures up: a pendamping's from their cells, each region's from the level below, plus
what a level computes itself (a pendamping's caseload, a kabupaten's dana sharing)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Min, Sum

from harapan.accounts.models import Role, Staff
from harapan.conf import setting
from harapan.payroll.models import DanaSharing
from harapan.payroll.rules import dana_sharing_meets_target

from .. import metrics as m
from ..compute import Window, chunks
from ..models import AreaKind, Figure, FigureArea
from .areas import (
    IN_PROGRAMME_METRICS,
    metrics_q,
    parent_code,
)


def area_upsert(rows: list[FigureArea], *, components: bool) -> None:
    fields = ["kind", "parent", "computed_at"] + (["components_on"] if components else [])
    FigureArea.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["area"], update_fields=fields
    )


def figures_insert(rows: list[Figure]) -> int:
    sections: dict[str, str] = {}
    for row in rows:
        section = sections.get(row.metric)
        if section is None:
            section = sections[row.metric] = m.section_of(row.metric)
        row.section = section
    Figure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def rollup_pendamping(
    pendamping: set[int], desa_sections: list[str], *, staf: bool, window: Window, now: dt.datetime, components: bool
) -> set[str]:
    """Pendamping rows = the sum of their cells; ``staf``: active (1) and caseload against the norm
    (RULES.md: People and ratios). Returns the regions the pendamping are listed under."""
    low, high = m.caseload_band()
    parents: set[str] = set()
    for batch in chunks(sorted(pendamping)):
        staff = {
            s["pk"]: s
            for s in Staff.objects.filter(pk__in=batch).values("pk", "role", "is_active", "region_id").order_by()
        }
        parent = {pid: str(staff[pid]["region_id"] or "") if pid in staff else "" for pid in batch}
        rows: list[Figure] = []
        if desa_sections:
            which = metrics_q(desa_sections)
            Figure.objects.filter(which, kind=AreaKind.PENDAMPING, pendamping_id__in=batch).delete()
            sums = (
                Figure.objects.filter(which, kind=AreaKind.SEL, pendamping_id__in=batch)
                .values("pendamping_id", "metric", "period")
                .annotate(v=Sum("value"))
                .order_by()
            )
            rows += [
                Figure(
                    area=f"p:{r['pendamping_id']}",
                    kind=AreaKind.PENDAMPING,
                    parent=parent[r["pendamping_id"]],
                    pendamping_id=r["pendamping_id"],
                    metric=r["metric"],
                    period=r["period"],
                    value=r["v"],
                )
                for r in sums
                if r["v"]
            ]
        figures_insert(rows)
        if staf:
            Figure.objects.filter(metrics_q([m.STAF]), kind=AreaKind.PENDAMPING, pendamping_id__in=batch).delete()
            loads = dict(
                Figure.objects.filter(
                    kind=AreaKind.PENDAMPING, pendamping_id__in=batch, metric__in=IN_PROGRAMME_METRICS, period=m.NOW
                )
                .values("pendamping_id")
                .annotate(v=Sum("value"))
                .values_list("pendamping_id", "v")
            )
            staf_rows = []
            for pid in batch:
                s = staff.get(pid)
                if s is None or not s["is_active"] or s["role"] != Role.PENDAMPING:
                    continue
                load = int(loads.get(pid) or 0)
                for metric, value in (
                    ("pendamping", 1),
                    ("pendamping_di_bawah_norma", int(load < low)),
                    ("pendamping_di_atas_norma", int(load > high)),
                ):
                    if value:
                        staf_rows.append(
                            Figure(
                                area=f"p:{pid}",
                                kind=AreaKind.PENDAMPING,
                                parent=parent[pid],
                                pendamping_id=pid,
                                metric=metric,
                                period=m.NOW,
                                value=value,
                            )
                        )
            figures_insert(staf_rows)
        # A pendamping moved to another kecamatan: every row follows.
        for pid, current in (
            Figure.objects.filter(kind=AreaKind.PENDAMPING, pendamping_id__in=batch)
            .values_list("pendamping_id", "parent")
            .distinct()
        ):
            if current != parent[pid]:
                Figure.objects.filter(kind=AreaKind.PENDAMPING, pendamping_id=pid).update(parent=parent[pid])
        area_upsert(
            [
                FigureArea(
                    area=f"p:{pid}",
                    kind=AreaKind.PENDAMPING,
                    parent=parent[pid],
                    computed_at=now,
                    components_on=window.on,
                )
                for pid in batch
            ],
            components=components,
        )
        parents |= set(parent.values())
    return parents


def rollup_regions(
    kind: AreaKind,
    areas: list[str],
    sections: frozenset[str],
    desa_sections: list[str],
    window: Window,
    now: dt.datetime,
    *,
    components: bool,
) -> int:
    """Rows of ``areas`` (all of one level) = the sum of their children's rows, for ``sections``;
    a kecamatan's ``staf`` rows from its pendamping; a kabupaten's ``dana`` from its records."""
    child = AreaKind(kind + 1)
    if kind == AreaKind.KECAMATAN:
        summed = [(AreaKind.DESA, desa_sections)] + ([(AreaKind.PENDAMPING, [m.STAF])] if m.STAF in sections else [])
    elif kind == AreaKind.KABUPATEN:
        summed = [(child, [s for s in sections if s != m.DANA])]
    else:
        summed = [(child, list(sections))]
    written = 0
    for source, secs in summed:
        if not secs:
            continue
        which = metrics_q(secs)
        Figure.objects.filter(which, area__in=areas, kind=kind).delete()
        sums = (
            Figure.objects.filter(which, kind=source, parent__in=areas)
            .values("parent", "metric", "period")
            .annotate(v=Sum("value"))
            .order_by()
        )
        written += figures_insert(
            [
                Figure(
                    area=r["parent"],
                    kind=kind,
                    parent=parent_code(r["parent"]),
                    metric=r["metric"],
                    period=r["period"],
                    value=r["v"],
                )
                for r in sums
                if r["v"]
            ]
        )
    if kind == AreaKind.KABUPATEN and m.DANA in sections:
        written += dana_sharing(areas, window)
    oldest = dict(
        FigureArea.objects.filter(parent__in=areas, kind=child)
        .values("parent")
        .annotate(on=Min("components_on"))
        .values_list("parent", "on")
    )
    existing = dict(FigureArea.objects.filter(area__in=areas).values_list("area", "components_on"))
    area_upsert(
        [
            FigureArea(
                area=a,
                kind=kind,
                parent=parent_code(a),
                computed_at=now,
                components_on=oldest.get(a) or existing.get(a) or window.on,
            )
            for a in areas
        ],
        components=True,
    )
    return written


def dana_sharing(kabupaten: list[str], window: Window) -> int:
    """Each kabupaten's APBD co-funding of each year against the PKH funds paid in it that year
    (RULES.md: Disbursement and data, dana sharing ≥ 5%; ``payroll.rules``)."""
    target = setting("payroll", "DANA_SHARING_TARGET_PERCENT")
    Figure.objects.filter(metrics_q([m.DANA]), area__in=kabupaten, kind=AreaKind.KABUPATEN).delete()
    paid: dict[tuple[str, str], int] = defaultdict(int)
    for area, period, value in Figure.objects.filter(
        area__in=kabupaten, kind=AreaKind.KABUPATEN, metric="salur_rp"
    ).values_list("area", "period", "value"):
        paid[(area, period[:4])] += value
    rows = []
    for record in DanaSharing.objects.filter(kabupaten_id__in=kabupaten, year__gte=window.first_year):
        code, year = str(record.kabupaten_id), str(record.year)
        pkh = paid[(code, year)]
        values = {
            "dana_apbd_rp": record.apbd_amount,
            "dana_pkh_rp": pkh,
            "dana_kab_tercatat": 1,
            "dana_kab_tercapai": int(bool(dana_sharing_meets_target(record.apbd_amount, pkh, target))),
        }
        rows += [
            Figure(area=code, kind=AreaKind.KABUPATEN, parent=parent_code(code), metric=k, period=year, value=v)
            for k, v in values.items()
            if v
        ]
    return figures_insert(rows)
