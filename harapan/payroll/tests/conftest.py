"""Fixtures of the payroll tests: staff of the roles that open, approve and reconcile a tahap in
Kabupaten Bondowoso, families built by ``harapan.testing`` with dated facts at fixed dates, and a
helper that opens and computes a tahap (RULES.md: Disbursement and data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from harapan.accounts.models import Role, Staff
from harapan.benefits.models import BenefitAmount, BenefitIndex, TahapShare
from harapan.benefits.seeds import load_benefit_indexes
from harapan.payroll.models import ReasonCode, Tahap
from harapan.payroll.seeds import load_reason_codes
from harapan.payroll.services import tahap_approve, tahap_compute, tahap_issue, tahap_open
from harapan.registry.models import Household, Member, SchoolEnrolment
from harapan.testing import BONDOWOSO, make_staff

YEAR = 2026
CUT_OFF = dt.date(2026, 3, 1)
# Children's enrolments begin with the school year before the cut-off.
SCHOOL_YEAR = dt.date(2025, 7, 1)
# Per tahap under the 2021 index (a quarter of the year, RULES.md: Components and amounts).
PER_TAHAP = {
    "ibu_hamil": 750_000,
    "anak_usia_dini": 750_000,
    "anak_sd": 225_000,
    "anak_smp": 375_000,
    "anak_sma": 500_000,
    "disabilitas_berat": 600_000,
    "lanjut_usia": 600_000,
}


@pytest.fixture(autouse=True)
def seeds(db: None) -> None:
    """The seed indexes and reason codes come from data migrations; a transactional test elsewhere
    in the session ends with a flush that empties them, so load any that are missing."""
    load_benefit_indexes(BenefitIndex, BenefitAmount, TahapShare)
    load_reason_codes(ReasonCode)


@pytest.fixture
def operator(db: None) -> Staff:
    return make_staff(Role.OPERATOR, BONDOWOSO, username="operator_bws")


@pytest.fixture
def dinsos(db: None) -> Staff:
    return make_staff(Role.DINSOS_KAB, BONDOWOSO, username="dinsos_bws")


def enrol(household: Household, level_by_birth: dict[dt.date, str]) -> None:
    """Enrol the household's children born on the given dates at the given levels from SCHOOL_YEAR."""
    for child in Member.objects.filter(household=household, relationship=3):
        level = level_by_birth.get(child.birth_date)
        if level:
            SchoolEnrolment.objects.create(member=child, level=level, valid_from=SCHOOL_YEAR)


def give_accounts(*households: Household, bank: str = "BRI") -> None:
    for i, h in enumerate(households):
        Household.objects.filter(pk=h.pk).update(
            bank=bank,
            account_number=f"{1000000000 + h.pk:015d}",
            account_name=f"KPM {i}",
            kks_number=f"6019{h.pk:012d}",
        )


Runner = Callable[..., Tahap]


@pytest.fixture
def run_tahap(operator: Staff) -> Runner:
    """``run_tahap(number=1, region=BONDOWOSO, cut_off=CUT_OFF, **compute_kwargs)``: open (or reuse)
    and compute a tahap as the operator."""

    def _run(
        number: int = 1, region: str | None = BONDOWOSO, cut_off: dt.date = CUT_OFF, year: int = YEAR, **kw: Any
    ) -> Tahap:
        tahap = Tahap.objects.filter(year=year, number=number, region_id=region).exclude(status="dibatalkan").first()
        by = kw.pop("acting_user", operator.user)
        if tahap is None:
            tahap = tahap_open(region_code=region, year=year, number=number, cut_off=cut_off, acting_user=by)
        return tahap_compute(tahap=tahap, acting_user=by, **kw)

    return _run


@pytest.fixture
def approve_and_issue(dinsos: Staff) -> Callable[[Tahap], Tahap]:
    def _go(tahap: Tahap) -> Tahap:
        tahap = tahap_approve(tahap=tahap, acting_user=dinsos.user)
        return tahap_issue(tahap=tahap, acting_user=dinsos.user)

    return _go
