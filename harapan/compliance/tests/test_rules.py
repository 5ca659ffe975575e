"""Which obligations apply by component and date, when a measured value meets one, and the ladder's
arithmetic (RULES.md "Obligations (conditionalities)", "Sanctions (configurable ladder)")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from harapan.compliance.rules import (
    ComplianceRules,
    ObligationSpec,
    age_in_months,
    anc_visits_due,
    levels_due,
    met_from_value,
    month_met,
    months_not_met_in_a_row,
    nifas_visits_due,
    obligations_due,
    pregnancy_stages,
    release_by,
    school_attendance_percent,
)
from harapan.compliance.selectors import obligation_specs
from harapan.registry.rules import Enrolment, MemberFacts, Period, RegistryRules

pytestmark = pytest.mark.django_db


@pytest.fixture
def specs() -> list[ObligationSpec]:
    return [spec for _o, spec in obligation_specs()]


@pytest.fixture
def conf() -> ComplianceRules:
    return ComplianceRules.from_settings()


@pytest.fixture
def reg() -> RegistryRules:
    return RegistryRules.from_settings()


def due(facts: MemberFacts, month: dt.date, specs, conf, reg) -> set[str]:
    return set(obligations_due(facts, month=month, specs=specs, registry_rules=reg, rules=conf))


def test_pregnant_woman_owes_antenatal_checks_then_delivery_then_postnatal_checks(specs, conf, reg) -> None:
    """RULES.md "Obligations": pregnant women, >= 4 ANC checks, delivery by a health worker,
    postnatal checks."""
    mother = MemberFacts(
        member_id=1,
        sex="P",
        birth_date=dt.date(1990, 1, 1),
        pregnancies=(Period(dt.date(2026, 2, 10), dt.date(2026, 10, 20)),),
    )
    assert due(mother, dt.date(2026, 1, 1), specs, conf, reg) == set()
    assert due(mother, dt.date(2026, 3, 1), specs, conf, reg) == {"anc"}
    assert due(mother, dt.date(2026, 10, 1), specs, conf, reg) == {"persalinan_nakes", "nifas"}
    assert due(mother, dt.date(2026, 11, 1), specs, conf, reg) == {"nifas"}
    assert due(mother, dt.date(2026, 12, 1), specs, conf, reg) == {"nifas"}  # 42 days reach 1 December
    assert due(mother, dt.date(2027, 1, 1), specs, conf, reg) == set()


def test_infants_and_toddlers_owe_weighing_immunisation_and_vitamin_a_in_its_months(specs, conf, reg) -> None:
    """RULES.md "Obligations": 0-11 months immunisation, monthly growth monitoring, vitamin A at
    6-11 months; 12-59 months monthly weighing, vitamin A twice a year, immunisation."""
    baby = MemberFacts(member_id=2, sex="L", birth_date=dt.date(2026, 1, 15))
    assert due(baby, dt.date(2026, 3, 1), specs, conf, reg) == {"bayi_imunisasi", "bayi_penimbangan"}
    assert due(baby, dt.date(2026, 8, 1), specs, conf, reg) == {"bayi_imunisasi", "bayi_penimbangan", "bayi_vitamin_a"}
    assert due(baby, dt.date(2025, 12, 1), specs, conf, reg) == set()  # not yet born
    toddler = MemberFacts(member_id=3, sex="P", birth_date=dt.date(2023, 5, 1))
    assert due(toddler, dt.date(2026, 7, 1), specs, conf, reg) == {"balita_penimbangan", "balita_imunisasi"}
    assert due(toddler, dt.date(2026, 8, 1), specs, conf, reg) == {
        "balita_penimbangan",
        "balita_imunisasi",
        "balita_vitamin_a",
    }
    five = MemberFacts(member_id=4, sex="P", birth_date=dt.date(2021, 1, 1))
    assert due(five, dt.date(2026, 3, 1), specs, conf, reg) == set()  # 62 months: past the band


def test_school_obligations_follow_enrolment_not_age(specs, conf, reg) -> None:
    """RULES.md "Obligations": enrolled and attending >= 85%; the school component comes from
    enrolment (RULES.md "Components and amounts")."""
    pupil = MemberFacts(
        member_id=5,
        sex="L",
        birth_date=dt.date(2014, 3, 3),
        enrolments=(Enrolment(dt.date(2026, 7, 15), None, level="SMP"),),
    )
    assert due(pupil, dt.date(2026, 6, 1), specs, conf, reg) == set()
    assert due(pupil, dt.date(2026, 7, 1), specs, conf, reg) == {"sekolah_terdaftar", "sekolah_kehadiran"}
    left = MemberFacts(
        member_id=6, sex="L", birth_date=dt.date(2014, 3, 3), enrolments=pupil.enrolments, left_on=dt.date(2026, 9, 10)
    )
    assert due(left, dt.date(2026, 9, 1), specs, conf, reg) == set()  # left the family in the month


def test_elderly_and_disabled_are_checked_once_a_year(specs, conf, reg) -> None:
    """RULES.md "Obligations": elderly and severe disability, a yearly health check and social activity."""
    elder = MemberFacts(member_id=7, sex="P", birth_date=dt.date(1950, 1, 1))
    assert due(elder, dt.date(2026, 11, 1), specs, conf, reg) == set()
    assert due(elder, dt.date(2026, 12, 1), specs, conf, reg) == {"lansia_cek_kesehatan", "lansia_kegiatan_sosial"}
    disabled = MemberFacts(
        member_id=8, sex="L", birth_date=dt.date(1990, 1, 1), severe_disability=(Period(dt.date(2020, 1, 1), None),)
    )
    assert due(disabled, dt.date(2026, 12, 1), specs, conf, reg) == {
        "disabilitas_cek_kesehatan",
        "disabilitas_kegiatan_sosial",
    }


def test_pregnancy_stages_of_an_open_pregnancy_end_at_its_natural_term(reg) -> None:
    facts = MemberFacts(
        member_id=9, sex="P", birth_date=dt.date(1990, 1, 1), pregnancies=(Period(dt.date(2026, 1, 1), None),)
    )
    assert set(pregnancy_stages(facts, dt.date(2026, 5, 1), registry_rules=reg)) == {"hamil"}
    assert set(pregnancy_stages(facts, dt.date(2026, 11, 1), registry_rules=reg)) == {"nifas"}


def test_attendance_of_85_percent_meets_and_below_does_not(conf, reg) -> None:
    """RULES.md "Obligations": attending >= 85% of effective school days each month."""
    spec = ObligationSpec(code="sekolah_kehadiran", measure="persen")
    kw = {"facts": None, "month": dt.date(2026, 10, 1), "rules": conf, "registry_rules": reg}
    assert met_from_value(spec, Decimal("85"), **kw) is True
    assert met_from_value(spec, Decimal("84.99"), **kw) is False
    assert met_from_value(ObligationSpec(code="bayi_imunisasi"), Decimal("1"), **kw) is None
    counted = conf.school_absences_counted
    assert school_attendance_percent(20, {"alpa": 2, "izin": 1, "sakit": 0}, counted=counted) == Decimal("85.00")
    assert school_attendance_percent(20, {"alpa": 3, "izin": 1, "sakit": 0}, counted=counted) == Decimal("80.00")
    assert school_attendance_percent(20, {"alpa": 3, "izin": 1}, counted=("alpa",)) == Decimal("85.00")
    assert school_attendance_percent(0, {}, counted=counted) is None


def test_antenatal_and_postnatal_visits_are_due_by_schedule(conf, reg) -> None:
    """RULES.md "Obligations": >= 4 antenatal checks over the pregnancy; 4 postnatal checks within 42 days."""
    start = dt.date(2026, 1, 10)
    assert anc_visits_due(start, dt.date(2026, 2, 1), rules=conf) == 0
    assert anc_visits_due(start, dt.date(2026, 4, 1), rules=conf) == 1
    assert anc_visits_due(start, dt.date(2026, 7, 1), rules=conf) == 2
    assert anc_visits_due(start, dt.date(2026, 10, 1), rules=conf) == 4
    delivered = dt.date(2026, 10, 20)
    assert nifas_visits_due(delivered, dt.date(2026, 10, 1), rules=conf, registry_rules=reg) == 2  # 11 days
    assert nifas_visits_due(delivered, dt.date(2026, 12, 1), rules=conf, registry_rules=reg) == 4
    mother = MemberFacts(member_id=1, sex="P", birth_date=dt.date(1990, 1, 1), pregnancies=(Period(start, None),))
    anc = ObligationSpec(code="anc", stage="hamil", measure="jumlah")
    kw = {"facts": mother, "rules": conf, "registry_rules": reg}
    assert met_from_value(anc, Decimal("1"), month=dt.date(2026, 7, 1), **kw) is False
    assert met_from_value(anc, Decimal("2"), month=dt.date(2026, 7, 1), **kw) is True


def test_age_in_months_counts_completed_months() -> None:
    assert age_in_months(dt.date(2026, 1, 15), dt.date(2026, 2, 10)) == 0
    assert age_in_months(dt.date(2026, 1, 15), dt.date(2026, 2, 28)) == 1
    assert age_in_months(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == 1


def test_a_run_of_months_not_met_ends_at_a_met_month_and_skips_unverified_ones(conf) -> None:
    """RULES.md "Sanctions (configurable ladder)": consecutive months; a month nobody verified is
    neither held against the family nor taken as compliance."""
    months = {
        dt.date(2026, 5, 1): False,
        dt.date(2026, 7, 1): False,
        dt.date(2026, 8, 1): False,
        dt.date(2026, 9, 1): False,
        dt.date(2026, 10, 1): True,
    }
    assert months_not_met_in_a_row(months, dt.date(2026, 9, 1), window=6) == 4  # June skipped
    assert months_not_met_in_a_row(months, dt.date(2026, 10, 1), window=6) == 0
    assert months_not_met_in_a_row(months, dt.date(2026, 11, 1), window=6) is None
    assert months_not_met_in_a_row(months, dt.date(2026, 9, 1), window=2) == 2
    assert month_met([True, False]) is False
    assert month_met([True]) is True
    assert month_met([]) is None


def test_ladder_levels_by_months_not_met(conf) -> None:
    """RULES.md "Sanctions (configurable ladder)": warning, suspension after 3, cancellation after 6."""
    assert levels_due(0, rules=conf) == []
    assert levels_due(1, rules=conf) == ["peringatan"]
    assert levels_due(3, rules=conf) == ["peringatan", "penangguhan"]
    assert levels_due(6, rules=conf) == ["peringatan", "penangguhan", "pembatalan"]


def test_held_payment_is_released_within_the_tahap_quarter() -> None:
    """RULES.md "Sanctions": suspension, payment held, released when compliant again within the period."""
    assert release_by(dt.date(2026, 10, 1), window_months=3) == dt.date(2026, 12, 31)
    assert release_by(dt.date(2026, 3, 1), window_months=3) == dt.date(2026, 3, 31)
    assert release_by(dt.date(2026, 3, 1), window_months=1) == dt.date(2026, 3, 31)
