"""Graduation reads: the indicators, a family's assessments and proposals, the korkab's queue, and
the progress of graduation against the target per pendamping, kecamatan and district."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _

from harapan.accounts.scope import household_q, staff_of
from harapan.conf import setting
from harapan.regions.models import Region
from harapan.registry.models import IN_PROGRAMME, Household, HouseholdStatus, HouseholdStatusPeriod

from .models import GraduationAssessment, GraduationProposal, ProposalStatus, ReadinessIndicator
from .rules import share_percent, target_count


def active_indicators() -> list[ReadinessIndicator]:
    return list(ReadinessIndicator.objects.filter(is_active=True).order_by("order", "code"))


def latest_assessment(household: Household) -> GraduationAssessment | None:
    return (
        GraduationAssessment.objects.filter(household=household)
        .select_related("assessed_by")
        .order_by("-assessed_on", "-id")
        .first()
    )


def household_proposals(household: Household) -> QuerySet[GraduationProposal]:
    return GraduationProposal.objects.filter(household=household).select_related("proposed_by", "decided_by")


def scoped_proposals(user: Any) -> QuerySet[GraduationProposal]:
    """Proposals of the families the user may see (accounts.scope.household_q)."""
    return GraduationProposal.objects.filter(household_q(user, prefix="household__"))


def proposal_get(*, user: Any, pk: int) -> GraduationProposal:
    """One proposal, or 404 when it does not exist or its family lies outside the user's scope."""
    proposal = (
        scoped_proposals(user)
        .select_related("household", "household__desa", "assessment", "proposed_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404(_("Usulan graduasi tidak ditemukan di wilayah Anda."))
    return proposal


def decision_queue(user: Any) -> QuerySet[GraduationProposal]:
    """Open proposals a decider may decide: in their area, not their own."""
    staff = staff_of(user)
    if staff is None or staff.role not in setting("graduation", "DECIDE_ROLES"):
        return GraduationProposal.objects.none()
    return (
        scoped_proposals(user)
        .filter(status=ProposalStatus.DIAJUKAN)
        .exclude(proposed_by=staff)
        .select_related("household", "household__desa", "assessment", "proposed_by")
        .order_by("proposed_at", "id")
    )


def proposals_by(user: Any) -> QuerySet[GraduationProposal]:
    staff = staff_of(user)
    if staff is None:
        return GraduationProposal.objects.none()
    return (
        GraduationProposal.objects.filter(proposed_by=staff)
        .select_related("household", "household__desa")
        .order_by("-proposed_at", "-id")
    )


def carer_of(household: Household) -> Any:
    return household.members.filter(is_carer=True).first()


# --- Progress against the target (RULES.md: Graduation) ----------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    key: str
    name: str
    base: int
    mandiri: int
    alamiah: int
    counted: int
    target: int
    share: Decimal

    @property
    def reached(self) -> bool:
        return self.target > 0 and self.counted >= self.target


LEVELS = ("kabupaten", "kecamatan", "pendamping")
# Characters of the desa code naming the kabupaten/kota and the kecamatan ("35.11", "35.11.01").
CODE_LENGTH = {"kabupaten": 5, "kecamatan": 8}


def _year_counts(user: Any, *, year: int, as_of: dt.date, region: str) -> QuerySet[Household]:
    """The user's families annotated with whether they count in ``year``: ``served`` (in the
    programme at some time from 1 January to ``as_of``), ``mandiri``/``alamiah`` (a status period of
    that graduation beginning in the year)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    periods = HouseholdStatusPeriod.objects.filter(household=OuterRef("pk"))
    qs = Household.objects.filter(household_q(user))
    if region:
        qs = qs.filter(desa__code__startswith=region + ".")
    return qs.annotate(
        served=Exists(
            periods.filter(status__in=IN_PROGRAMME, valid_from__lte=as_of).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=start)
            )
        ),
        mandiri=Exists(
            periods.filter(status=HouseholdStatus.GRADUASI_MANDIRI, valid_from__gte=start, valid_from__lte=end)
        ),
        alamiah=Exists(
            periods.filter(status=HouseholdStatus.GRADUASI_ALAMIAH, valid_from__gte=start, valid_from__lte=end)
        ),
    )


def graduation_progress(user: Any, *, level: str, year: int, as_of: dt.date, region: str = "") -> list[ProgressRow]:
    """Graduations of ``year`` against the target, one row per district, kecamatan or pendamping,
    in one aggregate query (RULES.md: Graduation, "Target: 10% of a district's KPM").

    The KPM base is the families in the programme at some time in the year up to ``as_of``, plus
    those that graduated in it (a family that graduated on 1 January still counts). Both kinds of
    graduation are shown; ``TARGET_STATUSES`` says which count towards the target."""
    qs = _year_counts(user, year=year, as_of=as_of, region=region)
    counts = {
        "base": Count("pk", filter=Q(served=True) | Q(mandiri=True) | Q(alamiah=True)),
        "n_mandiri": Count("pk", filter=Q(mandiri=True)),
        "n_alamiah": Count("pk", filter=Q(alamiah=True)),
    }
    percent = setting("graduation", "TARGET_PERCENT")
    counted_kinds = set(setting("graduation", "TARGET_STATUSES"))
    named: list[tuple[str, str, dict[str, Any]]]
    if level == "pendamping":
        raw: list[dict[str, Any]] = [
            dict(r)
            for r in qs.filter(pendamping__isnull=False)
            .values("pendamping_id", "pendamping__full_name")
            .annotate(**counts)
            .order_by()
        ]
        named = [(str(r["pendamping_id"]), str(r["pendamping__full_name"]), r) for r in raw]
    else:
        grouped = qs.annotate(key=Substr("desa_id", 1, CODE_LENGTH[level])).values("key")
        raw = [dict(r) for r in grouped.annotate(**counts).order_by()]
        names = dict(Region.objects.filter(code__in=[r["key"] for r in raw]).values_list("code", "name"))
        named = [(str(r["key"]), names.get(r["key"], r["key"]), r) for r in raw]
    out = []
    for key, name, r in named:
        if not r["base"]:
            continue
        counted = (r["n_mandiri"] if HouseholdStatus.GRADUASI_MANDIRI in counted_kinds else 0) + (
            r["n_alamiah"] if HouseholdStatus.GRADUASI_ALAMIAH in counted_kinds else 0
        )
        out.append(
            ProgressRow(
                key=key,
                name=name,
                base=r["base"],
                mandiri=r["n_mandiri"],
                alamiah=r["n_alamiah"],
                counted=counted,
                target=target_count(r["base"], percent=percent),
                share=share_percent(counted, r["base"]),
            )
        )
    if level == "pendamping":
        out.sort(key=lambda row: (-row.share, -row.counted, row.name))
    else:
        out.sort(key=lambda row: row.key)
    return out
