"""Referral reads: the programmes, the referrals and coverage a reader may see (accounts.scope), a
family's suggested referrals (``coverage_gaps``), and the counts dashboards and reports read
(``referral_counts``, ``coverage_counts``, ``coverage_by_region``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.scope import household_q
from harapan.regions.models import Region
from harapan.regions.selectors import kecamatan_codes
from harapan.registry.models import IN_PROGRAMME, Household, Member
from harapan.registry.rules import RegistryRules, age_on, member_components, nik_violations
from harapan.registry.selectors import member_facts

from .models import OPEN_STATUSES, Coverage, Programme, Referral, ReferralStatus
from .rules import EligibilityRules, PersonFacts, ProgrammeRule, gaps


def programmes(*, active_only: bool = True) -> list[Programme]:
    qs = Programme.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("order", "code"))


def _region_q(region_prefix: str | None, path: str = "household__") -> Q:
    """Families whose desa is ``region_prefix`` or lies under it; None or "" means everywhere."""
    if not region_prefix:
        return Q()
    return Q(**{f"{path}desa_id": region_prefix}) | Q(**{f"{path}desa__code__startswith": region_prefix + "."})


def _active_on(on: dt.date) -> Q:
    return Q(since__lte=on) & (Q(until__isnull=True) | Q(until__gte=on))


# --- Referrals and coverage within the reader's scope --------------------------------------------


def referrals_visible(user: Any) -> QuerySet[Referral]:
    """Referrals of the families the user may see (accounts.scope.household_q: a pendamping their own
    families, kabupaten roles their kabupaten/kota, Dinas Sosial provinsi the province, the ministry
    all, anyone without an active staff record nothing)."""
    return Referral.objects.filter(household_q(user, prefix="household__"))


def coverage_visible(user: Any) -> QuerySet[Coverage]:
    return Coverage.objects.filter(household_q(user, prefix="household__"))


def referral_get(*, user: Any, pk: int) -> Referral:
    """One referral, or 404 when it does not exist or its family lies outside the user's scope."""
    referral = (
        referrals_visible(user)
        .select_related("household", "household__desa", "member", "programme", "referred_by", "coverage")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404(_("Rujukan tidak ditemukan di wilayah Anda."))
    return referral


def coverage_get(*, user: Any, pk: int) -> Coverage:
    coverage = coverage_visible(user).select_related("household", "member", "programme").filter(pk=pk).first()
    if coverage is None:
        raise Http404(_("Kepesertaan tidak ditemukan di wilayah Anda."))
    return coverage


def referral_list(
    *, user: Any, status: str = "", programme: str = "", query: str = "", region: str = ""
) -> QuerySet[Referral]:
    """The user's referrals, newest first, filtered by status, programme code, region prefix and a
    search: a 16-digit NIK or No KK, or a PKH id or a member's name."""
    qs = referrals_visible(user).select_related("household", "household__desa", "member", "programme", "referred_by")
    if status:
        qs = qs.filter(status=status)
    if programme:
        qs = qs.filter(programme__code=programme)
    if region:
        qs = qs.filter(_region_q(region))
    q = query.strip()
    if q:
        if q.isdigit() and len(q) == 16:
            families = Household.objects.filter(
                Q(no_kk=q) | Q(pk__in=Member.objects.filter(nik=q).values("household_id"))
            ).values("pk")
        else:
            families = Household.objects.filter(
                Q(pkh_id=q) | Q(pk__in=Member.objects.filter(name__icontains=q).values("household_id"))
            ).values("pk")
        qs = qs.filter(household_id__in=families)
    return qs.order_by("-referred_on", "-id")


def household_referrals(household: Household) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(household=household)
        .select_related("programme", "member", "referred_by")
        .order_by("-referred_on", "-id")
    )


def household_coverages(household: Household, *, on: dt.date | None = None) -> QuerySet[Coverage]:
    """The family's coverage rows; with ``on``, only those running on that date."""
    qs = Coverage.objects.filter(household=household).select_related("programme", "member", "referral")
    if on is not None:
        qs = qs.filter(_active_on(on))
    return qs.order_by("programme__order", "programme__code", "since", "id")


def _member_q(member_id: int | None) -> Q:
    """One member, or the family itself (no member)."""
    return Q(member__isnull=True) if member_id is None else Q(member_id=member_id)


def active_coverage(
    *, household_id: int, programme_id: int, member_id: int | None, on: dt.date | None = None
) -> Coverage | None:
    """The coverage of this family (or member) and programme running on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return (
        Coverage.objects.filter(
            _active_on(on), _member_q(member_id), household_id=household_id, programme_id=programme_id
        )
        .order_by("-since")
        .first()
    )


def open_referral(*, household_id: int, programme_id: int, member_id: int | None) -> Referral | None:
    return Referral.objects.filter(
        _member_q(member_id), household_id=household_id, programme_id=programme_id, status__in=OPEN_STATUSES
    ).first()


# --- Suggested referrals ------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A programme the family or one of its members looks eligible for and does not receive; an open
    referral for it, if there is one (then nothing more to suggest)."""

    programme: Programme
    member: Member | None
    open_referral: Referral | None = None


def eligibility_rules() -> EligibilityRules:
    registry = RegistryRules.from_settings()
    return EligibilityRules(school_min_age=registry.school_min_age, school_max_age=registry.school_max_age)


def nik_is_valid(member: Member) -> bool:
    """A NIK that exists and keeps the NIK rule (RULES.md: Identity numbers)."""
    if not member.nik:
        return False
    codes = kecamatan_codes()
    return not nik_violations(
        member.nik, birth_date=member.birth_date, sex=member.sex, kecamatan_exists=codes.__contains__
    )


def person_facts(household: Household, members: list[Member], *, on: dt.date) -> list[PersonFacts]:
    """The eligibility facts of the family's members on ``on``: age, whether they live in the family,
    a valid NIK, and their PKH components (registry rules)."""
    registry = RegistryRules.from_settings()
    facts = {f.member_id: f for f in member_facts(household_ids=[household.pk])}
    out = []
    for m in members:
        f = facts.get(m.pk)
        if f is None or m.birth_date > on:
            continue
        present = f.present and (f.left_on is None or f.left_on > on)
        out.append(
            PersonFacts(
                member_id=m.pk,
                age=age_on(m.birth_date, on),
                present=present,
                nik_valid=nik_is_valid(m),
                komponen=frozenset(str(c) for c in member_components(f, on=on, rules=registry)),
            )
        )
    return out


def coverage_gaps(household: Household, *, on: dt.date | None = None) -> list[Gap]:
    """Programmes the family's members look eligible for but do not receive on ``on`` (today): e.g. a
    school-age member without KIP, a family without KIS, a member without a valid NIK (``rules.gaps``).
    Used to suggest referrals; an open referral for a gap comes with it."""
    on = on or timezone.localdate()
    active = programmes()
    members = list(household.members.all())
    covered = {(c.programme.code, c.member_id) for c in household_coverages(household, on=on)}
    found = gaps(
        [ProgrammeRule(code=p.code, for_members=p.for_members, eligibility=p.eligibility) for p in active],
        in_programme=household.status in IN_PROGRAMME,
        people=person_facts(household, members, on=on),
        covered=covered,
        rules=eligibility_rules(),
    )
    by_code = {p.code: p for p in active}
    by_member = {m.pk: m for m in members}
    opened = {
        (r.programme_id, r.member_id): r for r in Referral.objects.filter(household=household, status__in=OPEN_STATUSES)
    }
    out = []
    for code, member_id in found:
        p = by_code[code]
        out.append(
            Gap(
                programme=p,
                member=by_member.get(member_id) if member_id is not None else None,
                open_referral=opened.get((p.pk, member_id)),
            )
        )
    return out


# --- Counts for dashboards and reports -----------------------------------------------------------

STATUS_KEYS = tuple(ReferralStatus.values)
COUNT_KEYS = (*STATUS_KEYS, "opened", "closed", "completed", "rejected")


def _between(name: str, start: dt.date | None, end: dt.date | None) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{name}__gte": start})
    if end is not None:
        q &= Q(**{f"{name}__lte": end})
    return q


def referral_counts(
    region_prefix: str | None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    pendamping_id: int | None = None,
) -> dict[str, Any]:
    """Referrals of the families in ``region_prefix`` (None: everywhere; optionally only the families
    of one pendamping), by programme, in one GROUP BY query::

        {"programmes": {"kip": {"dirujuk": 3, "diterima": 1, "selesai": 9, "ditolak": 2,
                                "opened": 15, "closed": 11, "completed": 9, "rejected": 2}, ...},
         "total": {same keys summed}}

    - the four status keys count the referrals *made* in the range (``referred_on`` from ``start`` to
      ``end``, inclusive, either bound open) by their status now, and ``opened`` is their sum;
    - ``closed`` counts the referrals *closed* in the range (``closed_on``), whenever they were made,
      split into ``completed`` (selesai) and ``rejected`` (ditolak).

    Every active programme appears, with zeros when it has no referral. The caller checks that the
    reader may see ``region_prefix`` (accounts.scope.region_in_scope)."""
    made = _between("referred_on", start, end)
    closed = Q(closed_on__isnull=False) & _between("closed_on", start, end)
    qs = Referral.objects.filter(_region_q(region_prefix))
    if pendamping_id is not None:
        qs = qs.filter(household__pendamping_id=pendamping_id)
    if start is not None or end is not None:
        qs = qs.filter(made | closed)
    aggregates = {s: Count("pk", filter=made & Q(status=s)) for s in STATUS_KEYS}
    aggregates |= {
        "opened": Count("pk", filter=made),
        "closed": Count("pk", filter=closed),
        "completed": Count("pk", filter=closed & Q(status=ReferralStatus.SELESAI)),
        "rejected": Count("pk", filter=closed & Q(status=ReferralStatus.DITOLAK)),
    }
    rows: dict[int, dict[str, Any]] = {
        r["programme_id"]: dict(r) for r in qs.values("programme_id").annotate(**aggregates).order_by()
    }
    out: dict[str, dict[str, int]] = {}
    total = dict.fromkeys(COUNT_KEYS, 0)
    for p in Programme.objects.filter(Q(is_active=True) | Q(pk__in=list(rows))).order_by("order", "code"):
        r = rows.get(p.pk, {})
        out[p.code] = {k: int(r.get(k, 0)) for k in COUNT_KEYS}
        for k in COUNT_KEYS:
            total[k] += out[p.code][k]
    return {"programmes": out, "total": total}


def coverage_counts(region_prefix: str | None, *, on: dt.date | None = None) -> dict[str, Any]:
    """Families in the programme (calon, aktif, ditangguhkan) in ``region_prefix`` (None: everywhere)
    and, per programme, how many of them receive it on ``on`` (today): a family counts once per
    programme, through a family-level row or any member's row::

        {"families": 1200, "programmes": {"kis": 1032, "kip": 410, ...}, "members": {"kip": 655, ...}}

    ``members`` counts the members covered by member-level programmes."""
    on = on or timezone.localdate()
    families = Household.objects.filter(_region_q(region_prefix, ""), status__in=IN_PROGRAMME).count()
    rows: dict[int, dict[str, Any]] = {
        r["programme_id"]: dict(r)
        for r in Coverage.objects.filter(_active_on(on), _region_q(region_prefix), household__status__in=IN_PROGRAMME)
        .values("programme_id")
        .annotate(families=Count("household_id", distinct=True), members=Count("member_id", distinct=True))
        .order_by()
    }
    by_family: dict[str, int] = {}
    by_member: dict[str, int] = {}
    for p in Programme.objects.filter(Q(is_active=True) | Q(pk__in=list(rows))).order_by("order", "code"):
        r = rows.get(p.pk, {})
        by_family[p.code] = int(r.get("families", 0))
        if p.for_members:
            by_member[p.code] = int(r.get("members", 0))
    return {"families": families, "programmes": by_family, "members": by_member}


@dataclass
class RegionCoverage:
    """One region's row of the coverage summary."""

    code: str
    name: str
    families: int
    covered: dict[str, int] = field(default_factory=dict)  # programme code -> families covered
    open_referrals: int = 0

    def share(self, code: str) -> int:
        """Percentage of the region's families covered, rounded down."""
        return self.covered.get(code, 0) * 100 // self.families if self.families else 0


def coverage_by_region(user: Any, *, within: str | None, child_length: int, on: dt.date) -> list[RegionCoverage]:
    """The coverage summary one level below ``within`` (a kabupaten's kecamatan, a kecamatan's desa):
    families in the programme, families covered per programme, open referrals; only the families the
    user may see, in three GROUP BY queries."""
    families = (
        Household.objects.filter(household_q(user), _region_q(within, ""), status__in=IN_PROGRAMME)
        .annotate(child=Substr("desa_id", 1, child_length))
        .values("child")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {r["child"]: r["n"] for r in families}
    covered: dict[str, dict[str, int]] = defaultdict(dict)
    codes = dict(Programme.objects.values_list("pk", "code"))
    for r in (
        coverage_visible(user)
        .filter(_active_on(on), _region_q(within), household__status__in=IN_PROGRAMME)
        .annotate(child=Substr("household__desa_id", 1, child_length))
        .values("child", "programme_id")
        .annotate(n=Count("household_id", distinct=True))
        .order_by()
    ):
        covered[r["child"]][codes[r["programme_id"]]] = r["n"]
    open_refs = {
        r["child"]: r["n"]
        for r in referrals_visible(user)
        .filter(_region_q(within), status__in=OPEN_STATUSES)
        .annotate(child=Substr("household__desa_id", 1, child_length))
        .values("child")
        .annotate(n=Count("pk"))
        .order_by()
    }
    keys = sorted(set(counts) | set(covered) | set(open_refs))
    names = dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    return [
        RegionCoverage(
            code=k,
            name=names.get(k, k),
            families=counts.get(k, 0),
            covered=dict(covered.get(k, {})),
            open_referrals=open_refs.get(k, 0),
        )
        for k in keys
    ]
