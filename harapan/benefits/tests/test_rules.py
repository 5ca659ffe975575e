"""Exact entitlements of family compositions under the seed indexes as loaded in the database
(RULES.md: Components and amounts). Members are given as (member id, categories on the cut-off
date), in the registry's order."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest

from harapan.benefits.rules import Reason, family_entitlement, tahap_split
from harapan.registry.rules import Komponen

from .conftest import ON_2007, ON_2019, ON_2021, terms_on

K = Komponen


def lines_of(e: object, member_id: int) -> list[tuple[str, bool, Reason]]:
    return [(ln.komponen, ln.counted, ln.reason) for ln in e.lines if ln.member_id == member_id]  # type: ignore[attr-defined]


def test_pregnant_mother_and_sd_child_2021_is_3_9_million_a_year_975_thousand_a_tahap() -> None:
    """Components and amounts: 2021 onward, ibu hamil Rp3,000,000 + anak SD Rp900,000 per year;
    one tahap = a quarter of the year's amount."""
    e = family_entitlement([(1, []), (2, [K.IBU_HAMIL]), (3, [K.ANAK_SD])], terms_on(ON_2021))
    assert e.components_total == 3_900_000
    assert e.fixed == 0 and e.adjustment == 0
    assert e.year_total == 3_900_000
    assert e.tahap == (975_000, 975_000, 975_000, 975_000)
    assert e.counted_people == 2
    assert [(ln.member_id, ln.komponen, ln.amount, ln.counted) for ln in e.lines] == [
        (2, K.IBU_HAMIL, 3_000_000, True),
        (3, K.ANAK_SD, 900_000, True),
    ]


def test_every_2021_component_pays_its_table_amount() -> None:
    """Components and amounts: the per-year and per-tahap table, 2021 onward."""
    table = {
        K.IBU_HAMIL: (3_000_000, 750_000),
        K.ANAK_USIA_DINI: (3_000_000, 750_000),
        K.ANAK_SD: (900_000, 225_000),
        K.ANAK_SMP: (1_500_000, 375_000),
        K.ANAK_SMA: (2_000_000, 500_000),
        K.DISABILITAS_BERAT: (2_400_000, 600_000),
        K.LANJUT_USIA: (2_400_000, 600_000),
    }
    terms = terms_on(ON_2021)
    for k, (year, tahap) in table.items():
        e = family_entitlement([(1, [k])], terms)
        assert (e.year_total, e.tahap) == (year, (tahap,) * 4), k


def test_more_eligible_members_than_the_cap_counts_the_four_highest() -> None:
    """Components and amounts: components counted for at most 4 people per family; the highest
    amounts are kept, the lowest is left out with the reason."""
    members = [
        (10, [K.ANAK_SD]),  # listed first, but the lowest amount
        (11, [K.IBU_HAMIL]),
        (12, [K.ANAK_USIA_DINI]),
        (13, [K.LANJUT_USIA]),
        (14, [K.ANAK_SMP]),
    ]
    e = family_entitlement(members, terms_on(ON_2021))
    assert e.counted_people == 4
    assert e.year_total == 3_000_000 + 3_000_000 + 2_400_000 + 1_500_000
    assert lines_of(e, 10) == [(K.ANAK_SD, False, Reason.PERSON_CAP)]
    sd = next(ln for ln in e.lines if ln.member_id == 10)
    assert sd.reason_text() == "melebihi batas 4 orang"


def test_equal_amounts_at_the_cap_go_to_the_member_listed_first() -> None:
    """Components and amounts (tie-break): at the person cap, of two equal amounts the member in
    the registry's order first counts."""
    members = [(1, [K.IBU_HAMIL]), (2, [K.ANAK_USIA_DINI]), (3, [K.LANJUT_USIA]), (4, [K.ANAK_SD]), (5, [K.ANAK_SD])]
    e = family_entitlement(members, terms_on(ON_2021))
    assert lines_of(e, 4) == [(K.ANAK_SD, True, Reason.COUNTED)]
    assert lines_of(e, 5) == [(K.ANAK_SD, False, Reason.PERSON_CAP)]
    assert e.year_total == 3_000_000 + 3_000_000 + 2_400_000 + 900_000


def test_three_young_children_count_two() -> None:
    """Components and amounts: per-category caps, at most 2 young children."""
    e = family_entitlement(
        [(1, [K.ANAK_USIA_DINI]), (2, [K.ANAK_USIA_DINI]), (3, [K.ANAK_USIA_DINI])], terms_on(ON_2021)
    )
    assert e.year_total == 6_000_000
    assert lines_of(e, 3) == [(K.ANAK_USIA_DINI, False, Reason.CATEGORY_CAP)]
    third = next(ln for ln in e.lines if ln.member_id == 3)
    assert third.reason_text() == "batas kategori: paling banyak 2 orang"


def test_category_caps_for_pregnancy_elderly_and_disability() -> None:
    """Components and amounts: at most 2 pregnancies, 1 elderly, 1 severe disability."""
    terms = terms_on(ON_2021)
    assert family_entitlement([(i, [K.IBU_HAMIL]) for i in range(3)], terms).year_total == 6_000_000
    assert family_entitlement([(i, [K.LANJUT_USIA]) for i in range(2)], terms).year_total == 2_400_000
    assert family_entitlement([(i, [K.DISABILITAS_BERAT]) for i in range(2)], terms).year_total == 2_400_000


def test_a_person_in_two_categories_counts_once_at_the_higher_amount() -> None:
    """Components and amounts: a person who fits two categories counts once, at the higher amount
    (a severely disabled SMA pupil: disability Rp2,400,000, not SMA Rp2,000,000)."""
    e = family_entitlement([(7, [K.ANAK_SMA, K.DISABILITAS_BERAT])], terms_on(ON_2021))
    assert e.year_total == 2_400_000 and e.counted_people == 1
    assert lines_of(e, 7) == [
        (K.DISABILITAS_BERAT, True, Reason.COUNTED),
        (K.ANAK_SMA, False, Reason.COUNTED_ELSEWHERE),
    ]


def test_a_person_in_two_categories_takes_the_other_when_that_frees_a_place() -> None:
    """Components and amounts: grandmother elderly and severely disabled, grandfather elderly;
    one elderly place: she counts as disabled and he as elderly (the highest total)."""
    e = family_entitlement([(1, [K.LANJUT_USIA, K.DISABILITAS_BERAT]), (2, [K.LANJUT_USIA])], terms_on(ON_2021))
    assert e.year_total == 4_800_000
    assert lines_of(e, 1) == [
        (K.DISABILITAS_BERAT, True, Reason.COUNTED),
        (K.LANJUT_USIA, False, Reason.COUNTED_ELSEWHERE),
    ]
    assert lines_of(e, 2) == [(K.LANJUT_USIA, True, Reason.COUNTED)]


def test_the_2007_schedule_adds_the_fixed_benefit_and_holds_the_maximum() -> None:
    """Components and amounts, 2007 schedule [seed 002]: fixed Rp200,000; SD Rp400,000, SMP
    Rp800,000, balita Rp800,000, ibu hamil/menyusui Rp800,000; at most Rp2,200,000 a year."""
    terms = terms_on(ON_2007)
    small = family_entitlement([(1, [K.ANAK_SD])], terms)
    assert (small.components_total, small.fixed, small.adjustment, small.year_total) == (400_000, 200_000, 0, 600_000)
    assert small.tahap == (150_000,) * 4
    big = family_entitlement(
        [(1, [K.IBU_HAMIL]), (2, [K.ANAK_USIA_DINI]), (3, [K.ANAK_USIA_DINI]), (4, [K.ANAK_SMP]), (5, [K.ANAK_SD])],
        terms,
    )
    # No person cap in 2007: all five count, then the maximum cuts the year.
    assert big.counted_people == 5
    assert big.components_total == 3_600_000
    assert (big.year_total, big.adjustment) == (2_200_000, 2_200_000 - (200_000 + 3_600_000))
    assert sum(big.tahap) == 2_200_000


def test_the_minimum_raises_a_small_entitlement() -> None:
    """Components and amounts: "between Rp600,000 and Rp2,200,000 per year in all" (the 2007
    schedule's minimum, here on a variant without fixed benefit so that it binds)."""
    terms = dataclasses.replace(terms_on(ON_2007), fixed=0)
    e = family_entitlement([(1, [K.ANAK_SD])], terms)
    assert (e.components_total, e.adjustment, e.year_total) == (400_000, 200_000, 600_000)


def test_a_component_missing_from_the_index_pays_nothing() -> None:
    """Components and amounts: the 2007 schedule has no elderly component; a family with no
    counted person gets neither the fixed benefit nor the minimum."""
    e = family_entitlement([(1, [K.LANJUT_USIA])], terms_on(ON_2007))
    assert e.year_total == 0 and e.fixed == 0 and e.tahap == (0, 0, 0, 0)
    assert lines_of(e, 1) == [(K.LANJUT_USIA, False, Reason.NOT_IN_INDEX)]


def test_the_2019_fixed_benefit_is_higher_in_hard_to_reach_areas() -> None:
    """Components and amounts, 2019 index: fixed Rp550,000 per family per year (Rp1,000,000 in
    hard-to-reach areas), ibu hamil and anak usia dini Rp2,400,000."""
    terms = terms_on(ON_2019)
    members = [(1, [K.IBU_HAMIL]), (2, [K.ANAK_USIA_DINI])]
    assert family_entitlement(members, terms).year_total == 550_000 + 4_800_000
    far = family_entitlement(members, terms, hard_to_reach=True)
    assert (far.fixed, far.year_total) == (1_000_000, 5_800_000)
    assert far.tahap == (1_450_000,) * 4
    assert family_entitlement([(1, [])], terms, hard_to_reach=True).year_total == 0


def test_the_tahap_always_sum_to_the_year() -> None:
    """Components and amounts: one tahap = a quarter of the year; tahap are whole rupiah, the last
    takes the remainder so the four tahap sum exactly to the year."""
    assert tahap_split(1_000_003, (1, 1, 1, 1)) == (250_000, 250_000, 250_000, 250_003)
    assert tahap_split(3_900_000, (1, 1, 1, 1)) == (975_000,) * 4
    rng = random.Random(7)
    for weights in [(1, 1, 1, 1), (1, 2, 1), (3, 1), (1,), (2, 2, 2, 1, 5)]:
        for _ in range(300):
            year = rng.randrange(0, 20_000_000)
            parts = tahap_split(year, weights)
            assert sum(parts) == year and len(parts) == len(weights) and min(parts) >= 0


def test_the_total_does_not_depend_on_member_order() -> None:
    """Components and amounts: the placement maximises the total, so listing the members in
    another order changes who counts among equals, never the amount."""
    terms = terms_on(ON_2021)
    members = [
        (1, [K.LANJUT_USIA, K.DISABILITAS_BERAT]),
        (2, [K.LANJUT_USIA]),
        (3, [K.ANAK_USIA_DINI, K.DISABILITAS_BERAT]),
        (4, [K.ANAK_USIA_DINI]),
        (5, [K.ANAK_USIA_DINI]),
        (6, [K.IBU_HAMIL]),
    ]
    totals = {family_entitlement(list(p), terms).year_total for p in itertools.permutations(members)}
    assert totals == {3_000_000 + 3_000_000 + 3_000_000 + 2_400_000}


@pytest.mark.parametrize("on", [ON_2007, ON_2019, ON_2021])
def test_no_component_no_money(on: object) -> None:
    """Components and amounts: a family with no component is entitled to nothing."""
    assert family_entitlement([(1, []), (2, [])], terms_on(on)).year_total == 0  # type: ignore[arg-type]
