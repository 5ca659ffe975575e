"""Graduasi mandiri of the demo year through the graduation services (RULES.md "Graduation"): each
pendamping assesses some of their families' readiness, proposes the ready and willing ones, uploads
the statement the carer signed (the statement PDF the page prints, as its scan) and the korkab
decides. There is no set-based path for this: every step is one family's decision by one person,
so the services are called family by family (a few thousand calls for the whole district).

How many: a pendamping brings about ``mandiri_per_pendamping`` families to an approved graduasi
mandiri (varying from pendamping to pendamping). With the families the KPM file already lists as
graduasi mandiri this year (the demo import gives about 2.5% of KPM that status), a pendamping's
year comes to about 10, the Banjarmasin survey's average (seed 003; RULES.md "Graduation"). Around
them: families assessed but not ready (income still below need), ready ones not willing to leave,
proposals the korkab sends back, and proposals still waiting (statement not yet signed, or not yet
decided).

Dates: the services take today as the day of the proposal and the decision and refuse an
assessment older than ASSESSMENT_VALID_DAYS, so assessments and signatures are dated in the months
before the reference date and the approvals take effect the day after the run
(EFFECTIVE_DAYS_AFTER_APPROVAL), as they would for a korkab working through the queue today.
Candidates are aktif families with no open sanction, the carers of a group's flagship product
first (a running business).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from harapan.accounts.models import Staff
from harapan.compliance.models import Sanction
from harapan.conf import setting
from harapan.graduation.models import GraduationProposal, IndicatorKind, ProposalStatus, ReasonCategory
from harapan.graduation.selectors import active_indicators
from harapan.graduation.services import assessment_record, proposal_decide, proposal_statement_upload, proposal_submit
from harapan.graduation.statement import statement_data, statement_pdf
from harapan.products.models import ProductMaker
from harapan.registry.models import Household, HouseholdStatus

BUSINESSES = (
    ("Warung kelontong", 20),
    ("Beternak kambing", 14),
    ("Berjualan sayur keliling", 10),
    ("Menjahit pakaian", 8),
    ("Membuat kue dan gorengan", 12),
    ("Bengkel sepeda motor", 6),
    ("Buruh tetap di pabrik tembakau", 8),
    ("Berdagang di pasar", 12),
    ("Budidaya lele", 5),
    ("Jasa ojek", 5),
)
REASONS = (
    (ReasonCategory.USAHA_BERKEMBANG, 36),
    (ReasonCategory.PENGHASILAN_MENINGKAT, 30),
    (ReasonCategory.PEKERJAAN_TETAP, 14),
    (ReasonCategory.MERASA_MAMPU, 16),
    (ReasonCategory.LAINNYA, 4),
)
NOTES = (
    "Usaha keluarga sudah berjalan lebih dari setahun dan hasilnya cukup untuk kebutuhan sehari-hari.",
    "Anak sulung sudah bekerja dan membantu biaya sekolah adiknya.",
    "KPM menyatakan siap keluar agar bantuan diberikan kepada keluarga lain yang lebih membutuhkan.",
    "Suami bekerja tetap; keluarga punya tabungan di kelompok.",
    "",
)
REJECTIONS = (
    "Penghasilan belum stabil sepanjang tahun; dinilai ulang pada semester berikutnya.",
    "Masih ada anak usia sekolah yang perlu didampingi; usulan ditunda.",
    "Surat pernyataan belum ditandatangani saksi dari desa; mohon dilengkapi lalu diajukan ulang.",
)


@dataclass(frozen=True)
class GraduationRates:
    mandiri_per_pendamping: float = 5.0  # approved through the services this year, on average
    not_ready: float = 0.22  # of the families assessed: not ready yet
    unwilling: float = 0.08  # of the ready ones: not willing to leave
    rejected: float = 0.06  # of the proposals: sent back by the korkab
    waiting: float = 0.1  # of the proposals: not decided yet


@dataclass
class GraduationResult:
    assessed: int = 0
    proposed: int = 0
    approved: int = 0
    rejected: int = 0
    waiting: int = 0
    by_pendamping: dict[int, int] = field(default_factory=dict)


def _weighted(rng: random.Random, pairs: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _candidates(kabupaten: str) -> dict[int, tuple[list[int], list[int]]]:
    """Per pendamping (staff id), the aktif families with no open sanction or proposal: the makers
    of a flagship product, and the others (each in id order)."""
    sanctioned = Sanction.objects.filter(lifted_on__isnull=True).values("household_id")
    proposed = GraduationProposal.objects.values("household_id")
    makers = set(
        ProductMaker.objects.filter(member__household__desa__code__startswith=kabupaten + ".").values_list(
            "member__household_id", flat=True
        )
    )
    out: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for hid, pendamping in (
        Household.objects.filter(
            desa__code__startswith=kabupaten + ".", status=HouseholdStatus.AKTIF, pendamping__isnull=False
        )
        .exclude(pk__in=sanctioned)
        .exclude(pk__in=proposed)
        .order_by("pk")
        .values_list("pk", "pendamping_id")
    ):
        out[pendamping][0 if hid in makers else 1].append(hid)
    return dict(out)


def _answers(rng: random.Random, *, ready: bool) -> tuple[dict[str, Any], int, int]:
    """Answers to the active indicators, and the monthly income and need, of a family that is (or
    is not yet) ready: a ready family earns above its need, the others below it."""
    need = rng.randrange(1_900_000, 3_300_000, 50_000)
    factor = rng.uniform(1.12, 1.6) if ready else rng.uniform(0.6, 0.97)
    income = int(round(need * factor, -4))
    answers: dict[str, Any] = {}
    for indicator in active_indicators():
        if indicator.kind == IndicatorKind.YA_TIDAK:
            chance = {"tanpa_komponen": 0.1, "rumah_layak": 0.8, "anak_bersekolah": 0.95}.get(indicator.code, 0.85)
            answers[indicator.code] = rng.random() < (chance if ready else chance * 0.6)
        elif indicator.kind == IndicatorKind.ANGKA:
            base = int(indicator.threshold or 0)
            answers[indicator.code] = base + rng.randint(0, 2) if ready else max(0, base - rng.randint(0, 1))
    return answers, income, need


def _day_between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, max(0, (high - low).days)))


def graduations_seed(
    *, kabupaten: str, as_of: dt.date, seed: int, decider: Any, rates: GraduationRates | None = None
) -> GraduationResult:
    """Assessments, proposals, statements and the korkab's decisions of the district's year."""
    rates = rates or GraduationRates()
    result = GraduationResult()
    today = timezone.localdate()
    last = min(as_of, today) - dt.timedelta(days=1)
    valid_days = int(setting("graduation", "ASSESSMENT_VALID_DAYS"))
    # An assessment must still be valid today; the oldest are some five months back.
    first = max(today - dt.timedelta(days=min(valid_days - 10, 150)), dt.date(as_of.year, 1, 1))
    if first > last:
        # The reference date lies further back than an assessment stays valid: the services only
        # accept recent ones, so these are dated in the last month.
        last = today - dt.timedelta(days=1)
        first = max(today - dt.timedelta(days=valid_days - 10), last - dt.timedelta(days=30))
    pendamping = {
        s.pk: s
        for s in Staff.objects.filter(role="pendamping", region__code__startswith=kabupaten + ".").select_related(
            "user"
        )
    }
    households = {}
    for staff_id, (makers, others) in sorted(_candidates(kabupaten).items()):
        staff = pendamping.get(staff_id)
        if staff is None or not staff.is_active:
            continue
        rng = random.Random(f"graduation:{seed}:{staff.pk}")
        rng.shuffle(makers)
        rng.shuffle(others)
        ids = makers + others
        approve = max(0, round(rng.gauss(rates.mandiri_per_pendamping, rates.mandiri_per_pendamping * 0.45)))
        proposals = round(approve / max(0.05, 1 - rates.rejected - rates.waiting))
        assessments = round(proposals / max(0.05, (1 - rates.not_ready) * (1 - rates.unwilling)))
        chosen = ids[:assessments]
        households.update(Household.objects.in_bulk(chosen))
        approved_here = 0
        for hid in chosen:
            household = households[hid]
            ready = rng.random() >= rates.not_ready
            willing = ready and rng.random() >= rates.unwilling
            answers, income, need = _answers(rng, ready=ready)
            assessed_on = _day_between(rng, first, last)
            assessment = assessment_record(
                household=household,
                answers=answers,
                income_per_month=income,
                need_per_month=need,
                acting_user=staff.user,
                assessed_on=assessed_on,
                business_type=_weighted(rng, BUSINESSES) if ready else "",
                kpm_willing=willing,
                notes=rng.choice(NOTES) if willing else "",
            )
            result.assessed += 1
            if not (assessment.ready and assessment.kpm_willing):
                continue
            proposal = proposal_submit(
                household=household,
                acting_user=staff.user,
                reason_category=_weighted(rng, REASONS),
                note=assessment.notes[:500],
            )
            result.proposed += 1
            roll = rng.random()
            if roll < rates.waiting / 2:
                result.waiting += 1  # the carer has not signed yet
                continue
            signed_on = _day_between(rng, assessed_on, min(last, assessed_on + dt.timedelta(days=21)))
            pdf = statement_pdf(statement_data(proposal, on=signed_on))
            proposal = proposal_statement_upload(
                proposal=proposal,
                scan=SimpleUploadedFile(f"surat-pernyataan-{household.pkh_id}.pdf", pdf, "application/pdf"),
                signed_on=signed_on,
                acting_user=staff.user,
            )
            if roll < rates.waiting:
                result.waiting += 1  # in the korkab's queue
                continue
            if roll < rates.waiting + rates.rejected:
                proposal_decide(proposal=proposal, approve=False, acting_user=decider, reason=rng.choice(REJECTIONS))
                result.rejected += 1
                continue
            proposal = proposal_decide(proposal=proposal, approve=True, acting_user=decider)
            if proposal.status == ProposalStatus.DISETUJUI:
                result.approved += 1
                approved_here += 1
        result.by_pendamping[staff.pk] = approved_here
    return result
