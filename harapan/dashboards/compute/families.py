"""Families: status, pendamping, groups joined, components on the date, graduation (section kpm)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Q

from harapan.groups.models import GroupMembership
from harapan.payroll.components import component_sql
from harapan.registry.models import IN_PROGRAMME, Household, HouseholdStatus, HouseholdStatusPeriod
from harapan.registry.rules import RegistryRules

from .. import metrics as m
from .base import Cells, Scope, Window, desa_q, desa_sql, in_programme_statuses, is_desa, table

# --- Families (section kpm) ------------------------------------------------------------------------


def families(scope: Scope, window: Window, cells: Cells) -> None:
    """Families by status; families in the programme with a pendamping; in a group on the date."""
    households = Household.objects.filter(scope.families())
    for r in households.values("desa_id", "pendamping_id", "status").annotate(n=Count("id")).order_by():
        cells.add(r["desa_id"], r["pendamping_id"], f"kpm_{r['status']}", m.NOW, r["n"])
        if r["pendamping_id"] is not None and r["status"] in IN_PROGRAMME:
            cells.add(r["desa_id"], r["pendamping_id"], "kpm_didampingi", m.NOW, r["n"])
    on = window.on
    open_membership = GroupMembership.objects.filter(
        scope.families("household__"), household=OuterRef("pk"), valid_from__lte=on
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    grouped: Any = (
        households.filter(status__in=IN_PROGRAMME)
        .filter(Exists(open_membership))
        .values("desa_id", "pendamping_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for g in grouped:
        cells.add(g["desa_id"], g["pendamping_id"], "kpm_berkelompok", m.NOW, g["n"])


def components(scope: Scope, window: Window, cells: Cells) -> None:
    """Members of families in the programme who fit each komponen on the date, and the families with
    at least one, from ``payroll.components.component_sql`` (the set-based twin of
    ``registry.rules.member_components``; RULES.md: Components and amounts). Counts are of people
    who fit a category, before the benefit caps (a person fitting two categories counts in both)."""
    prefix = scope.prefix
    ids = scope.ids()
    if ids is not None:
        if not ids:
            return
        lo, hi = min(ids), max(ids)
    else:
        bounds = Household.objects.filter(desa_q(prefix)).aggregate(lo=Min("id"), hi=Max("id"))
        if bounds["lo"] is None:
            return
        lo, hi = bounds["lo"], bounds["hi"]
    region_prefix = None if not prefix else (prefix if is_desa(prefix) else prefix + ".")
    inner, params = component_sql(
        on=window.on, rules=RegistryRules.from_settings(), id_after=lo - 1, id_upto=hi, region_prefix=region_prefix
    )
    inner = inner.removesuffix(" ORDER BY 1, 2")  # a set is enough here; no need to sort it
    like = "h.desa_id LIKE %s"
    if is_desa(prefix) and like in inner:
        # A desa code has no level below it: its LIKE 'code%' is an equality, which the desa index
        # serves (PostgreSQL uses a b-tree for LIKE only under the C collation).
        inner = inner.replace(like, "h.desa_id = %s")
        params = [prefix if p == prefix + "%" else p for p in params]
    statuses = in_programme_statuses()
    marks = ", ".join(["%s"] * len(statuses))
    household = table(Household)
    sql = (
        f"WITH c AS ({inner}) "
        f"SELECT h.desa_id, h.pendamping_id, c.komponen, COUNT(DISTINCT c.member_id) "
        f"FROM c JOIN {household} h ON h.id = c.household_id WHERE h.status IN ({marks}) "
        "GROUP BY h.desa_id, h.pendamping_id, c.komponen "
        "UNION ALL "
        f"SELECT h.desa_id, h.pendamping_id, '', COUNT(DISTINCT c.household_id) "
        f"FROM c JOIN {household} h ON h.id = c.household_id WHERE h.status IN ({marks}) "
        "GROUP BY h.desa_id, h.pendamping_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *statuses, *statuses])
        for desa, pendamping, komponen, n in cursor.fetchall():
            metric = f"komponen_{komponen}" if komponen else "kpm_berkomponen"
            cells.add(desa, pendamping, metric, m.NOW, n)


def graduation(scope: Scope, window: Window, cells: Cells) -> None:
    """Graduations of each year against the KPM base, as ``graduation.selectors.graduation_progress``
    counts them (RULES.md: Graduation): the base is the families in the programme at some time in
    the year (up to the date, for this year) plus those that graduated in it; mandiri and alamiah
    are status periods of that graduation beginning in the year. One pass over the status periods
    of the families (per family, then per desa and pendamping), every year at once."""
    period, household = table(HouseholdStatusPeriod), table(Household)
    where, params = desa_sql(scope.prefix, "h.desa_id")
    statuses = in_programme_statuses()
    marks = ", ".join(["%s"] * len(statuses))
    flags: list[str] = []
    flag_params: list[Any] = []
    sums: list[str] = []
    for year in window.year_list():
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        as_of = min(window.on, end)
        flags += [
            f"MAX(CASE WHEN p.status IN ({marks}) AND p.valid_from <= %s "
            f"AND (p.valid_to IS NULL OR p.valid_to >= %s) THEN 1 ELSE 0 END) AS s{year}",
            f"MAX(CASE WHEN p.status = %s AND p.valid_from >= %s AND p.valid_from <= %s THEN 1 ELSE 0 END) AS m{year}",
            f"MAX(CASE WHEN p.status = %s AND p.valid_from >= %s AND p.valid_from <= %s THEN 1 ELSE 0 END) AS a{year}",
        ]
        flag_params += [*statuses, as_of, start]
        flag_params += [HouseholdStatus.GRADUASI_MANDIRI.value, start, end]
        flag_params += [HouseholdStatus.GRADUASI_ALAMIAH.value, start, end]
        sums += [
            f"SUM(CASE WHEN f.s{year} = 1 OR f.m{year} = 1 OR f.a{year} = 1 THEN 1 ELSE 0 END)",
            f"SUM(f.m{year})",
            f"SUM(f.a{year})",
        ]
    sql = (
        f"SELECT h.desa_id, h.pendamping_id, {', '.join(sums)} FROM ("
        f"SELECT p.household_id, {', '.join(flags)} FROM {period} p JOIN {household} h ON h.id = p.household_id "
        f"WHERE {where} GROUP BY p.household_id"
        f") f JOIN {household} h ON h.id = f.household_id GROUP BY h.desa_id, h.pendamping_id"
    )
    years = window.year_list()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*flag_params, *params])
        for desa, pendamping, *values in cursor.fetchall():
            for i, year in enumerate(years):
                base, mandiri, alamiah = values[3 * i : 3 * i + 3]
                key = str(year)
                cells.add(desa, pendamping, "graduasi_basis", key, base)
                cells.add(desa, pendamping, "graduasi_mandiri", key, mandiri)
                cells.add(desa, pendamping, "graduasi_alamiah", key, alamiah)
