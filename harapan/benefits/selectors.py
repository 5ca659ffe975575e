"""Reads of the benefit index and of a family's entitlement (RULES.md: Components and amounts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from harapan.registry.models import Household, Member
from harapan.registry.rules import KOMPONEN_LABELS, Komponen
from harapan.registry.selectors import household_components_on

from .models import BenefitAmount, BenefitIndex, HardToReachRegion, TahapShare
from .rules import Entitlement, IndexTerms, family_entitlement


def _with_terms(qs: QuerySet[BenefitIndex]) -> QuerySet[BenefitIndex]:
    return qs.prefetch_related(
        Prefetch("amounts", queryset=BenefitAmount.objects.order_by("id")),
        Prefetch("tahap_shares", queryset=TahapShare.objects.order_by("tahap")),
    )


def benefit_index_list() -> QuerySet[BenefitIndex]:
    """Every version, newest first, with amounts and tahap shares (the history)."""
    return _with_terms(BenefitIndex.objects.select_related("created_by", "supersedes").order_by("-valid_from"))


def benefit_index_on(on: dt.date) -> BenefitIndex | None:
    """The version in force on ``on``, or None before the first one."""
    return (
        _with_terms(BenefitIndex.objects.all())
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )


def benefit_index_latest() -> BenefitIndex | None:
    return _with_terms(BenefitIndex.objects.order_by("-valid_from")).first()


def index_terms(index: BenefitIndex) -> IndexTerms:
    """The index's numbers as the pure rules take them."""
    amounts = list(index.amounts.all())
    return IndexTerms(
        amounts={a.komponen: a.amount_per_year for a in amounts},
        category_caps={a.komponen: a.category_cap for a in amounts if a.category_cap is not None},
        person_cap=index.person_cap,
        fixed=index.fixed_per_year,
        fixed_hard_to_reach=index.fixed_hard_to_reach_per_year,
        minimum=index.minimum_per_year,
        maximum=index.maximum_per_year,
        tahap_weights=tuple(s.weight for s in index.tahap_shares.all()),
    )


# --- Hard-to-reach areas -------------------------------------------------------------------------


def _covering(on: dt.date) -> QuerySet[HardToReachRegion]:
    return HardToReachRegion.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


def hard_to_reach_list() -> QuerySet[HardToReachRegion]:
    return HardToReachRegion.objects.select_related("region").order_by("region_id", "-valid_from")


def hard_to_reach_codes_on(on: dt.date) -> list[str]:
    """Codes of the regions listed as hard to reach on ``on``."""
    return list(_covering(on).values_list("region_id", flat=True).distinct())


def is_hard_to_reach(desa_code: str, on: dt.date) -> bool:
    """Whether the desa, or a region above it, is listed as hard to reach on ``on``."""
    parts = desa_code.split(".")
    codes = [".".join(parts[: i + 1]) for i in range(len(parts))]
    return _covering(on).filter(region_id__in=codes).exists()


def hard_to_reach_household_ids(on: dt.date, households: QuerySet[Household]) -> set[int]:
    """The ids of ``households`` whose desa is hard to reach on ``on``, in one query (for a run)."""
    codes = hard_to_reach_codes_on(on)
    if not codes:
        return set()
    q = Q()
    for code in codes:
        q |= Q(desa_id=code) | Q(desa__code__startswith=code + ".")
    return set(households.filter(q).values_list("pk", flat=True))


# --- One family ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntitlementRow:
    member: Member | None
    komponen: str
    label: str
    amount: int
    counted: bool
    reason: str


@dataclass(frozen=True)
class FamilyEntitlement:
    """What a family page shows: the index used, the family's members and the calculation."""

    on: dt.date
    index: BenefitIndex
    terms: IndexTerms
    hard_to_reach: bool
    entitlement: Entitlement
    members: dict[int, Member]

    @property
    def rows(self) -> list[EntitlementRow]:
        """The breakdown as a page shows it: member, category, amount, counted or why not."""
        return [
            EntitlementRow(
                member=self.members.get(line.member_id),
                komponen=line.komponen,
                label=_(KOMPONEN_LABELS[Komponen(line.komponen)]),
                amount=line.amount,
                counted=line.counted,
                reason=line.reason_text(),
            )
            for line in self.entitlement.lines
        ]

    @property
    def tahap(self) -> list[tuple[int, int]]:
        """(tahap number, amount) of the year's split."""
        return list(enumerate(self.entitlement.tahap, start=1))


def household_entitlement_on(household: Household, on: dt.date) -> FamilyEntitlement | None:
    """A family's entitlement on a cut-off date (None when no index is in force). The caller has
    already checked scope (``registry.selectors.household_get``)."""
    index = benefit_index_on(on)
    if index is None:
        return None
    terms = index_terms(index)
    components = household_components_on(household, on)
    hard = is_hard_to_reach(household.desa_id, on)
    entitlement = family_entitlement(list(components.by_member.items()), terms, hard_to_reach=hard)
    members = {m.pk: m for m in Member.objects.filter(pk__in=list(components.by_member))}
    return FamilyEntitlement(on, index, terms, hard, entitlement, members)
