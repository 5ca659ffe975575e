"""Exact amounts on the payment lines from the benefit index (RULES.md: Components and amounts;
one tahap = a quarter of the year's amount under the 2021 index)."""

from __future__ import annotations

import datetime as dt

from harapan.benefits.selectors import household_entitlement_on
from harapan.payroll.models import Exclusion, PaymentLine
from harapan.registry.models import DisabilityAssessment, Household, Member, Pregnancy
from harapan.testing import make_household

from .conftest import CUT_OFF, PER_TAHAP, enrol, give_accounts


def line_of(household: Household) -> PaymentLine:
    return PaymentLine.objects.get(household=household)


def test_typical_family_is_paid_a_quarter_of_its_year(run_tahap) -> None:
    """Components and amounts: a pregnant carer, a child of 3, an SD child and an SMP child count
    750,000 + 750,000 + 225,000 + 375,000 for the tahap."""
    young, sd, smp = dt.date(2022, 5, 1), dt.date(2017, 2, 1), dt.date(2012, 9, 9)
    h = make_household(children=[(young, None), (sd, None), (smp, None)], pregnant_since=dt.date(2025, 12, 1))
    enrol(h, {sd: "SD", smp: "SMP"})
    give_accounts(h)
    run_tahap()
    line = line_of(h)
    expected = PER_TAHAP["ibu_hamil"] + PER_TAHAP["anak_usia_dini"] + PER_TAHAP["anak_sd"] + PER_TAHAP["anak_smp"]
    assert (line.entitlement, line.arrears, line.amount, line.komponen_count) == (expected, 0, expected, 4)
    page = household_entitlement_on(h, CUT_OFF)
    assert page is not None and page.entitlement.tahap[0] == line.amount


def test_more_members_than_the_cap_count_the_four_highest(run_tahap) -> None:
    """Components and amounts: at most 4 people count; of a pregnant carer, two young children, an
    SMA, SMP and SD child, the two young children, the pregnancy and the SMA child count (the
    per-category cap of 2 young children also holds)."""
    births = [dt.date(2021, 1, 1), dt.date(2023, 1, 1), dt.date(2024, 6, 1)]  # three young children
    sma, smp, sd = dt.date(2009, 3, 3), dt.date(2012, 3, 3), dt.date(2016, 3, 3)
    h = make_household(children=[(b, None) for b in [*births, sma, smp, sd]], pregnant_since=dt.date(2025, 11, 1))
    enrol(h, {sma: "SMA", smp: "SMP", sd: "SD"})
    give_accounts(h)
    run_tahap()
    line = line_of(h)
    assert line.komponen_count == 4
    assert line.amount == 2 * PER_TAHAP["anak_usia_dini"] + PER_TAHAP["ibu_hamil"] + PER_TAHAP["anak_sma"]


def test_child_turning_7_the_day_before_the_cut_off_no_longer_counts_as_early_child(run_tahap) -> None:
    """Components and amounts: anak usia dini is 0-6; a child whose 7th birthday is the day before
    the cut-off counts only as an SD pupil when enrolled, and a sibling turning 7 on the cut-off
    day itself is no longer 0-6 either."""
    seventh_yesterday = CUT_OFF.replace(year=CUT_OFF.year - 7) - dt.timedelta(days=1)
    still_six = CUT_OFF.replace(year=CUT_OFF.year - 7) + dt.timedelta(days=1)
    h = make_household(children=[(seventh_yesterday, None), (still_six, None)])
    enrol(h, {seventh_yesterday: "SD"})
    give_accounts(h)
    run_tahap()
    line = line_of(h)
    assert line.amount == PER_TAHAP["anak_sd"] + PER_TAHAP["anak_usia_dini"]
    assert line.komponen_count == 2


def test_pregnancy_ending_counts_through_nifas_then_stops(run_tahap) -> None:
    """Components and amounts: ibu hamil/nifas counts while the pregnancy covers the cut-off and for
    NIFAS_DAYS (42) after it ends; a pregnancy that ended 43 days before the cut-off no longer
    counts, one that ended 42 days before still does."""
    in_nifas = make_household()
    over = make_household()
    give_accounts(in_nifas, over)
    for h, ended in ((in_nifas, CUT_OFF - dt.timedelta(days=42)), (over, CUT_OFF - dt.timedelta(days=43))):
        carer = Member.objects.get(household=h, is_carer=True)
        Pregnancy.objects.create(member=carer, valid_from=ended - dt.timedelta(days=250), valid_to=ended)
    tahap = run_tahap()
    assert line_of(in_nifas).amount == PER_TAHAP["ibu_hamil"]
    assert not PaymentLine.objects.filter(household=over).exists()
    assert Exclusion.objects.get(tahap=tahap, household=over).reason == "graduasi_alamiah"


def test_one_person_in_two_categories_counts_once_at_the_higher_amount(run_tahap) -> None:
    """Components and amounts: an elderly grandmother with a severe disability counts once."""
    h = make_household(head_birth=dt.date(1940, 1, 1))
    head = Member.objects.get(household=h, relationship=1)
    DisabilityAssessment.objects.create(member=head, valid_from=dt.date(2024, 1, 1))
    give_accounts(h)
    run_tahap()
    line = line_of(h)
    assert (line.amount, line.komponen_count) == (PER_TAHAP["disabilitas_berat"], 1)
