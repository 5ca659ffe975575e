"""A family's entitlement from its recorded facts on a cut-off date: components from the registry
(registry.rules.member_components), amounts from the index in force on that date (RULES.md:
Components and amounts)."""

from __future__ import annotations

import datetime as dt

from harapan.accounts.models import Role
from harapan.benefits.rules import Reason
from harapan.benefits.selectors import household_entitlement_on, is_hard_to_reach
from harapan.benefits.services import hard_to_reach_region_add
from harapan.registry.models import DisabilityAssessment, Household, Member, Pregnancy, SchoolEnrolment
from harapan.registry.rules import Komponen, RegistryRules
from harapan.testing import JEMBER, MAESAN, first_desa, first_kecamatan, make_household, make_staff

from .conftest import ON_2019, ON_2021

DAY = dt.timedelta(days=1)


def year_of(household: Household, on: dt.date) -> int:
    result = household_entitlement_on(household, on)
    assert result is not None
    return result.entitlement.year_total


def wife(household: Household) -> Member:
    return household.members.get(relationship=2)


def child(household: Household) -> Member:
    return household.members.get(relationship=3)


def test_pregnant_mother_and_sd_pupil_from_their_records() -> None:
    """Components and amounts: ibu hamil Rp3,000,000 + anak SD Rp900,000 a year, Rp975,000 a tahap."""
    h = make_household(children=[(dt.date(2015, 5, 1), None)], pregnant_since=dt.date(2023, 11, 1))
    SchoolEnrolment.objects.create(member=child(h), level="SD", valid_from=dt.date(2023, 7, 17))
    result = household_entitlement_on(h, ON_2021)
    assert result is not None and result.index.name == "Indeks PKH 2021"
    assert result.entitlement.year_total == 3_900_000
    assert result.entitlement.tahap == (975_000,) * 4
    assert {(r.member.pk if r.member else None, r.komponen, r.counted) for r in result.rows} == {
        (wife(h).pk, Komponen.IBU_HAMIL, True),
        (child(h).pk, Komponen.ANAK_SD, True),
    }


def test_a_child_turning_7_the_day_before_the_cut_off_is_no_longer_usia_dini() -> None:
    """Components and amounts: anak usia dini is 0-6; the school level comes from enrolment, not
    age: on the cut-off the day after the 7th birthday an unenrolled child earns nothing, an
    enrolled one the SD amount."""
    cut_off = ON_2021
    birth = (cut_off - DAY).replace(year=cut_off.year - 7)
    h = make_household(children=[(birth, None)])
    assert year_of(h, cut_off - 2 * DAY) == 3_000_000  # still 6 years old
    assert year_of(h, cut_off) == 0
    SchoolEnrolment.objects.create(member=child(h), level="SD", valid_from=cut_off - 30 * DAY)
    assert year_of(h, cut_off) == 900_000


def test_a_pregnancy_ending_counts_until_the_end_of_nifas() -> None:
    """Components and amounts: ibu hamil/nifas counts while pregnant and for NIFAS_DAYS after the
    pregnancy ends (registry setting), then no more."""
    nifas = RegistryRules.from_settings().nifas_days
    h = make_household()
    delivered = dt.date(2024, 1, 10)
    Pregnancy.objects.create(member=wife(h), valid_from=dt.date(2023, 4, 20), valid_to=delivered)
    assert year_of(h, delivered) == 3_000_000
    assert year_of(h, delivered + nifas * DAY) == 3_000_000
    assert year_of(h, delivered + (nifas + 1) * DAY) == 0


def test_a_disabled_sma_pupil_counts_once_as_disabled() -> None:
    """Components and amounts: a person who fits two categories counts once, at the higher amount."""
    h = make_household(children=[(dt.date(2007, 3, 3), None)])
    SchoolEnrolment.objects.create(member=child(h), level="SMA", valid_from=dt.date(2023, 7, 17))
    DisabilityAssessment.objects.create(member=child(h), valid_from=dt.date(2022, 1, 1))
    result = household_entitlement_on(h, ON_2021)
    assert result is not None and result.entitlement.year_total == 2_400_000
    reasons = {r.komponen: r.reason for r in result.rows}
    assert reasons == {Komponen.DISABILITAS_BERAT: "dihitung", Komponen.ANAK_SMA: "dihitung sekali, pada komponen lain"}
    assert [ln.reason for ln in result.entitlement.lines] == [Reason.COUNTED, Reason.COUNTED_ELSEWHERE]


def test_the_2019_fixed_benefit_follows_the_hard_to_reach_listing() -> None:
    """Components and amounts, 2019 index: fixed Rp550,000 per family per year, Rp1,000,000 in
    hard-to-reach areas (listed by the ministry for a region and every desa below it)."""
    ministry = make_staff(Role.MINISTRY, None)
    hard_to_reach_region_add(
        region_code=MAESAN,
        valid_from=dt.date(2019, 1, 1),
        citation="SK uji",
        acting_user=ministry.user,
        today=dt.date(2019, 1, 1),
    )
    near = make_household(desa=first_desa(first_kecamatan(JEMBER).code), pregnant_since=dt.date(2019, 3, 1))
    far = make_household(desa=first_desa(MAESAN), pregnant_since=dt.date(2019, 3, 1))
    assert is_hard_to_reach(far.desa_id, ON_2019) and not is_hard_to_reach(near.desa_id, ON_2019)
    assert not is_hard_to_reach(far.desa_id, dt.date(2018, 12, 31))
    assert year_of(near, ON_2019) == 2_400_000 + 550_000
    assert year_of(far, ON_2019) == 2_400_000 + 1_000_000
    result = household_entitlement_on(far, ON_2019)
    assert result is not None and result.hard_to_reach and result.entitlement.tahap == (850_000,) * 4


def test_no_index_before_pkh_began() -> None:
    """Components and amounts: no schedule before the 2007 launch, so no entitlement to compute."""
    h = make_household(pregnant_since=dt.date(2007, 1, 1))
    assert household_entitlement_on(h, dt.date(2007, 6, 30)) is None
    assert year_of(h, dt.date(2007, 7, 1)) == 800_000 + 200_000
