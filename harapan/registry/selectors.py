"""Reads of the registry, always through the reader's scope (accounts.scope)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr
from django.http import Http404

from harapan.accounts.scope import household_q
from harapan.regions.models import Region

from .models import PRESENT, DisabilityAssessment, Household, HouseholdStatus, Member, Pregnancy, SchoolEnrolment
from .rules import Enrolment, HouseholdComponents, MemberFacts, Period, RegistryRules, household_components


def household_list(*, user: Any, query: str = "", region: str = "", status: str = "") -> QuerySet[Household]:
    """Families the user may see, filtered by NIK / No KK / ID / name, region prefix and status.

    A 16-digit query matches a member's NIK or the No KK exactly; other text matches the PKH id
    exactly or a member's name (contains, case-insensitive).
    """
    qs = Household.objects.filter(household_q(user)).select_related("desa", "pendamping")
    q = query.strip()
    if q:
        if q.isdigit() and len(q) == 16:
            qs = qs.filter(Q(no_kk=q) | Q(pk__in=Member.objects.filter(nik=q).values("household_id")))
        else:
            qs = qs.filter(Q(pkh_id=q) | Q(pk__in=Member.objects.filter(name__icontains=q).values("household_id")))
    if region:
        qs = qs.filter(Q(desa_id=region) | Q(desa__code__startswith=region + "."))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("pkh_id")


def household_get(*, user: Any, pk: int) -> Household:
    """One family, or 404 when it does not exist or lies outside the user's scope (the answer is
    the same in both cases, so the scope does not leak which ids exist)."""
    household = Household.objects.filter(household_q(user), pk=pk).select_related("desa", "pendamping").first()
    if household is None:
        raise Http404("KPM tidak ditemukan di wilayah Anda.")
    return household


def member_facts(
    member_ids: Iterable[int] | None = None, *, household_ids: Iterable[int] | None = None
) -> list[MemberFacts]:
    """The dated facts behind components, for the given members or families, in four queries."""
    members = Member.objects.all()
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    if household_ids is not None:
        members = members.filter(household_id__in=list(household_ids))
    rows = list(members.values("id", "sex", "birth_date", "presence", "left_on"))
    # A subquery, not the list of member ids: the statement stays the same size for every chunk
    # of families (SQLite caches each distinct statement).
    ids = members.values("id")
    preg: dict[int, list[Period]] = defaultdict(list)
    for p in Pregnancy.objects.filter(member_id__in=ids).values("member_id", "valid_from", "valid_to"):
        preg[p["member_id"]].append(Period(p["valid_from"], p["valid_to"]))
    enr: dict[int, list[Enrolment]] = defaultdict(list)
    for e in SchoolEnrolment.objects.filter(member_id__in=ids).values("member_id", "level", "valid_from", "valid_to"):
        enr[e["member_id"]].append(Enrolment(e["valid_from"], e["valid_to"], level=e["level"]))
    dis: dict[int, list[Period]] = defaultdict(list)
    for d in DisabilityAssessment.objects.filter(member_id__in=ids, severe=True).values(
        "member_id", "valid_from", "valid_to"
    ):
        dis[d["member_id"]].append(Period(d["valid_from"], d["valid_to"]))
    return [
        MemberFacts(
            member_id=r["id"],
            sex=r["sex"],
            birth_date=r["birth_date"],
            present=r["presence"] in PRESENT,
            left_on=r["left_on"],
            pregnancies=tuple(preg[r["id"]]),
            enrolments=tuple(enr[r["id"]]),
            severe_disability=tuple(dis[r["id"]]),
        )
        for r in rows
    ]


def household_components_on(household: Household, on: dt.date) -> HouseholdComponents:
    """Components of a family's members on a reference date (RULES.md: Components and amounts)."""
    return household_components(member_facts(household_ids=[household.pk]), on=on, rules=RegistryRules.from_settings())


# Length of the codes one level below a region whose code has n characters (Kemendagri 2+2+2+4
# digits, dotted); a desa has no level below and counts as itself.
CHILD_CODE_LENGTH = {0: 2, 2: 5, 5: 8, 8: 13, 13: 13}


# --- Aggregates for the landing and region pages -----------------------------------------------


def household_counts_by_region(user: Any, *, within: str | None, child_length: int) -> dict[str, dict[str, int]]:
    """Families the user may see in ``within`` (None: anywhere), counted by the region whose code is
    the first ``child_length`` characters of the desa code, and by status, in one GROUP BY:
    ``{"35.11.01": {"aktif": 120, "calon": 3}, ...}``."""
    qs = Household.objects.filter(household_q(user))
    if within:
        qs = qs.filter(Q(desa_id=within) | Q(desa__code__startswith=within + "."))
    rows = (
        qs.annotate(child=Substr("desa_id", 1, child_length))
        .values("child", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        out[r["child"]][r["status"]] = r["n"]
    return dict(out)


def status_totals(counts: dict[str, dict[str, int]]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, summed over the regions of ``counts``."""
    total: dict[str, int] = defaultdict(int)
    for by_status in counts.values():
        for status, n in by_status.items():
            total[status] += n
    return [(value, str(label), total[value]) for value, label in HouseholdStatus.choices]


@dataclass
class RegionCount:
    region: Region
    total: int
    aktif: int


def region_rows(regions: list[Region], counts: dict[str, dict[str, int]]) -> list[RegionCount]:
    return [
        RegionCount(
            region=r,
            total=sum(counts.get(r.code, {}).values()),
            aktif=counts.get(r.code, {}).get(HouseholdStatus.AKTIF, 0),
        )
        for r in regions
    ]


def with_carer_and_member_count(qs: QuerySet[Household]) -> QuerySet[Household]:
    """Annotate ``carer_name`` and ``member_count`` as correlated subqueries, so a page of 50
    computes them for its 50 rows only."""
    carer = Member.objects.filter(household=OuterRef("pk"), is_carer=True).values("name")[:1]
    members = Member.objects.filter(household=OuterRef("pk")).order_by().values("household").annotate(n=Count("id"))
    return qs.annotate(carer_name=Subquery(carer), member_count=Coalesce(Subquery(members.values("n")), 0))
