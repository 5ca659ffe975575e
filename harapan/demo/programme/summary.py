"""What the demo district holds after its programme year, read from the database: the figures the
source documents quote, to set beside them (issue 5): tahap totals planned and paid, dana sharing
as a share of PKH paid, sanctions, graduations per pendamping, the share of KPM applying the
material, complaints, referrals and training cohorts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast, Coalesce

from harapan.accounts.models import Role, Staff
from harapan.compliance.models import Sanction
from harapan.conf import setting
from harapan.graduation.models import GraduationProposal, ProposalStatus
from harapan.p2k2.models import KnowledgeCheck
from harapan.payroll.models import DanaSharing, PaymentLine, SalurStatus, Tahap, TahapStatus
from harapan.payroll.rules import dana_sharing_percent
from harapan.registry.models import IN_PROGRAMME, Household, HouseholdStatus, HouseholdStatusPeriod


@dataclass(frozen=True)
class TahapLine:
    number: int
    cut_off: dt.date
    status: str
    lines: int
    planned: int
    paid: int
    salur: int
    unpaid: int  # GAGAL or RETUR
    carried: int  # unpaid lines carried to a later tahap
    arrears: int  # rupiah carried into this tahap
    excluded: int
    alamiah: int


@dataclass
class ProgrammeSummary:
    kpm: int
    pendamping: int
    tahap: list[TahapLine]
    planned: int
    paid: int
    apbd: int | None
    dana_sharing_percent: Decimal | None
    sanctions_raised: dict[str, int]
    sanctions_open: dict[str, int]
    awaiting_confirmation: int
    suspended: int
    mandiri_year: int
    alamiah_year: int
    proposals: dict[str, int]
    checked: int
    applying: int
    grievances: dict[str, int] = field(default_factory=dict)
    referrals: dict[str, int] = field(default_factory=dict)
    cohorts: dict[str, int] = field(default_factory=dict)

    @property
    def mandiri_per_pendamping(self) -> Decimal | None:
        if not self.pendamping:
            return None
        return (Decimal(self.mandiri_year) / self.pendamping).quantize(Decimal("0.1"))

    @property
    def kpm_per_pendamping(self) -> Decimal | None:
        if not self.pendamping:
            return None
        return (Decimal(self.kpm) / self.pendamping).quantize(Decimal("0.1"))

    @property
    def applying_percent(self) -> Decimal | None:
        if not self.checked:
            return None
        return (Decimal(self.applying) * 100 / self.checked).quantize(Decimal("0.01"))


def _tahap_lines(kabupaten: str, year: int) -> list[TahapLine]:
    out = []
    for t in (
        Tahap.objects.filter(region_id=kabupaten, year=year).exclude(status=TahapStatus.DIBATALKAN).order_by("number")
    ):
        agg = PaymentLine.objects.filter(tahap=t, cancelled=False).aggregate(
            paid=Coalesce(Sum("paid_amount"), 0),
            salur=Count("pk", filter=Q(status_salur=SalurStatus.SALUR)),
            unpaid=Count("pk", filter=Q(status_salur__in=(SalurStatus.GAGAL, SalurStatus.RETUR))),
            carried=Count("pk", filter=Q(carried_to__isnull=False)),
        )
        out.append(
            TahapLine(
                number=t.number,
                cut_off=t.cut_off,
                status=t.status,
                lines=t.lines_count,
                planned=t.lines_amount,
                paid=int(agg["paid"]),
                salur=agg["salur"],
                unpaid=agg["unpaid"],
                carried=agg["carried"],
                arrears=t.arrears_amount,
                excluded=t.excluded_count,
                alamiah=t.alamiah_count,
            )
        )
    return out


def _applying(kabupaten: str) -> tuple[int, int]:
    """(families with an after-session check, those whose mean after-session score reaches the
    district profile's pass mark): the share of KPM applying the material (seed 003)."""
    pass_percent = setting("reports", "APPLYING_PASS_PERCENT") if _has_reports() else 70
    per_family = (
        KnowledgeCheck.objects.filter(
            household__desa__code__startswith=kabupaten + ".",
            household__status__in=IN_PROGRAMME,
            post_correct__isnull=False,
        )
        .values("household_id")
        .annotate(mean=Avg(Cast("post_correct", FloatField()) * 100.0 / F("total")))
        .order_by()
    )
    return per_family.count(), per_family.filter(mean__gte=pass_percent).count()


def _has_reports() -> bool:
    from django.apps import apps

    return apps.is_installed("harapan.reports")


def _cases(kabupaten: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Complaints and referrals of the district by status, and the training cohorts its pendamping
    sat in, by status (participants counted)."""
    from harapan.grievances.demo import area_grievance_summary
    from harapan.referrals.models import Referral
    from harapan.training.models import Participant

    referrals = dict(
        Referral.objects.filter(household__desa__code__startswith=kabupaten + ".")
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    cohorts = dict(
        Participant.objects.filter(region_id=kabupaten)
        .values("cohort__status")
        .annotate(n=Count("pk"))
        .values_list("cohort__status", "n")
    )
    return area_grievance_summary(kabupaten), referrals, cohorts


def programme_year_summary(kabupaten: str, year: int) -> ProgrammeSummary:
    area = kabupaten + "."
    households = Household.objects.filter(desa__code__startswith=area)
    tahap = _tahap_lines(kabupaten, year)
    planned, paid = sum(t.planned for t in tahap), sum(t.paid for t in tahap)
    record = DanaSharing.objects.filter(kabupaten_id=kabupaten, year=year).first()
    sanctions = Sanction.objects.filter(household__desa__code__startswith=area)
    raised = dict(
        sanctions.filter(period__month__year=year).values("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    still_open = dict(
        sanctions.filter(lifted_on__isnull=True).values("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    periods = HouseholdStatusPeriod.objects.filter(
        household__desa__code__startswith=area, valid_from__year=year
    ).values("status")
    graduated = dict(periods.annotate(n=Count("household_id", distinct=True)).values_list("status", "n"))
    proposals = dict(
        GraduationProposal.objects.filter(household__desa__code__startswith=area, proposed_at__year=year)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    checked, applying = _applying(kabupaten)
    grievances, referrals, cohorts = _cases(kabupaten)
    return ProgrammeSummary(
        kpm=households.filter(status__in=IN_PROGRAMME).count(),
        pendamping=Staff.objects.filter(role=Role.PENDAMPING, is_active=True, region__code__startswith=area).count(),
        tahap=tahap,
        planned=planned,
        paid=paid,
        apbd=record.apbd_amount if record else None,
        dana_sharing_percent=dana_sharing_percent(record.apbd_amount, paid) if record else None,
        sanctions_raised=raised,
        sanctions_open=still_open,
        awaiting_confirmation=sanctions.filter(lifted_on__isnull=True, confirmation="menunggu").count(),
        suspended=households.filter(status=HouseholdStatus.DITANGGUHKAN).count(),
        mandiri_year=graduated.get(HouseholdStatus.GRADUASI_MANDIRI, 0),
        alamiah_year=graduated.get(HouseholdStatus.GRADUASI_ALAMIAH, 0),
        proposals={s: proposals.get(s, 0) for s in ProposalStatus.values},
        checked=checked,
        applying=applying,
        grievances=grievances,
        referrals=referrals,
        cohorts=cohorts,
    )
