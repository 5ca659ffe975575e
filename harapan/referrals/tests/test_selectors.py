"""Referral reads: the suggested referrals of a family (``coverage_gaps``) and the counts dashboards
and reports read (``referral_counts``, ``coverage_counts``, ``coverage_by_region``) (RULES.md: People
and ratios, "ensure complementary programmes (BPNT, KIS, KIP)"; Components and amounts for school
age; Identity numbers for the NIK)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.referrals.models import Coverage, CoverageSource
from harapan.referrals.selectors import coverage_by_region, coverage_counts, coverage_gaps, referral_counts
from harapan.referrals.services import (
    coverage_add,
    coverage_end,
    referral_accept,
    referral_complete,
    referral_create,
    referral_reject,
)
from harapan.registry.models import HouseholdStatus
from harapan.testing import JEMBER, first_desa, make_household, make_staff

from .conftest import World, days_ago, programme, years_ago

pytestmark = pytest.mark.django_db


def gap_keys(world: World) -> list[tuple[str, int | None]]:
    return [(g.programme.code, g.member.pk if g.member else None) for g in coverage_gaps(world.family)]


def test_gaps_suggest_kis_bpnt_for_the_family_and_kip_for_the_school_age_member(world: World) -> None:
    """A family in PKH without KIS or BPNT, a pupil of ten without KIP; the toddler and the parents
    are not of school age, and everyone's NIK is valid."""
    assert gap_keys(world) == [("kis", None), ("kip", world.pupil.pk), ("bpnt", None)]


def test_gaps_disappear_with_coverage_and_show_the_open_referral(world: World) -> None:
    coverage_add(
        household=world.family, programme=programme("kis"), since=days_ago(800), acting_user=world.pendamping.user
    )
    referral = referral_create(
        household=world.family, programme=programme("kip"), member=world.pupil, acting_user=world.pendamping.user
    )
    gaps = coverage_gaps(world.family)
    assert [(g.programme.code, g.open_referral) for g in gaps] == [("kip", referral), ("bpnt", None)]
    referral_accept(referral=referral, acting_user=world.korkab.user)
    referral_complete(referral=referral, outcome="KIP terbit", acting_user=world.korkab.user)
    assert gap_keys(world) == [("bpnt", None)]


def test_an_ended_coverage_is_a_gap_again(world: World) -> None:
    kis = coverage_add(
        household=world.family, programme=programme("kis"), since=days_ago(800), acting_user=world.pendamping.user
    )
    coverage_end(coverage=kis, until=days_ago(1), acting_user=world.pendamping.user)
    assert ("kis", None) in gap_keys(world)


def test_a_member_without_a_valid_nik_is_a_dukcapil_gap(world: World) -> None:
    """RULES.md Identity numbers: a newborn without a NIK, or a NIK whose date part is not the birth
    date, needs Dukcapil."""
    world.toddler.nik = None
    world.toddler.save(update_fields=["nik"])
    mother_nik = world.mother.nik or ""
    world.mother.nik = mother_nik[:6] + "010101" + mother_nik[12:]  # a man's date on a woman's NIK
    world.mother.save(update_fields=["nik"])
    dukcapil = [m for code, m in gap_keys(world) if code == "dukcapil_nik"]
    assert dukcapil == [world.mother.pk, world.toddler.pk] or set(dukcapil) == {world.mother.pk, world.toddler.pk}


def test_a_family_out_of_the_programme_gets_no_family_suggestion(world: World) -> None:
    world.family.status = HouseholdStatus.GRADUASI_MANDIRI
    world.family.save(update_fields=["status"])
    assert [c for c, _m in gap_keys(world)] == ["kip"]


def test_elderly_members_are_suggested_for_atensi(world: World) -> None:
    grandma = world.family.members.create(
        name="Mbah Sumi", sex="P", birth_date=years_ago(75), relationship=6, no_kk=world.family.no_kk, nik=None
    )
    assert ("atensi", grandma.pk) in gap_keys(world)


@pytest.fixture
def counted(world: World) -> dict[str, object]:
    """Referrals in Maesan (Bondowoso) and Jember, on known dates."""
    pendamping, korkab = world.pendamping.user, world.korkab.user
    a = referral_create(
        household=world.family,
        programme=programme("kip"),
        member=world.pupil,
        referred_on=days_ago(40),
        acting_user=pendamping,
    )
    referral_accept(referral=a, accepted_on=days_ago(30), acting_user=korkab)
    referral_complete(referral=a, outcome="KIP terbit", closed_on=days_ago(10), acting_user=korkab)
    referral_create(household=world.family, programme=programme("kis"), referred_on=days_ago(5), acting_user=pendamping)
    other = make_household(desa="35.11.01.2001", pendamping=world.other_pendamping)
    c = referral_create(
        household=other, programme=programme("bpnt"), referred_on=days_ago(100), acting_user=world.other_pendamping.user
    )
    referral_reject(referral=c, reason="Kuota penuh", closed_on=days_ago(80), acting_user=korkab)
    jember_pendamping = make_staff(Role.PENDAMPING, "35.09.01")
    jember = make_household(desa=first_desa("35.09.01"), pendamping=jember_pendamping)
    referral_create(
        household=jember, programme=programme("kis"), referred_on=days_ago(20), acting_user=jember_pendamping.user
    )
    return {"other": other, "jember": jember}


def test_referral_counts_by_programme_and_status(world: World, counted: dict[str, object]) -> None:
    counts = referral_counts("35.11")
    p = counts["programmes"]
    assert p["kip"] == {
        "dirujuk": 0, "diterima": 0, "selesai": 1, "ditolak": 0, "opened": 1, "closed": 1, "completed": 1, "rejected": 0
    }  # fmt: skip
    assert (p["kis"]["dirujuk"], p["kis"]["opened"], p["kis"]["closed"]) == (1, 1, 0)
    assert (p["bpnt"]["ditolak"], p["bpnt"]["rejected"]) == (1, 1)
    assert p["pmt"] == dict.fromkeys(p["pmt"], 0)  # every active programme appears
    assert (counts["total"]["opened"], counts["total"]["closed"]) == (3, 2)
    assert referral_counts(None)["programmes"]["kis"]["dirujuk"] == 2
    assert referral_counts(JEMBER)["total"]["opened"] == 1
    assert referral_counts("35.11.01.2001")["total"]["opened"] == 3  # a desa code works as well


def test_referral_counts_in_a_date_range_count_opened_and_closed_separately(
    world: World, counted: dict[str, object]
) -> None:
    """A month's report: referrals made in the range by status now, and those closed in the range
    whenever they were made."""
    today = timezone.localdate()
    month = referral_counts("35.11", start=days_ago(30), end=today)
    assert month["programmes"]["kis"]["opened"] == 1  # made 5 days ago
    assert month["programmes"]["kip"]["opened"] == 0  # made 40 days ago...
    assert month["programmes"]["kip"]["completed"] == 1  # ...completed 10 days ago
    assert month["programmes"]["bpnt"]["closed"] == 0  # refused 80 days ago
    assert (month["total"]["opened"], month["total"]["closed"]) == (1, 1)
    older = referral_counts("35.11", start=days_ago(120), end=days_ago(31))
    assert (older["total"]["opened"], older["total"]["rejected"], older["total"]["completed"]) == (2, 1, 0)
    mine = referral_counts("35.11", pendamping_id=world.pendamping.pk)
    assert mine["total"]["opened"] == 2 and mine["programmes"]["bpnt"]["opened"] == 0


def test_coverage_counts_count_families_in_the_programme_once_per_programme(
    world: World, counted: dict[str, object]
) -> None:
    other = counted["other"]
    coverage_add(household=other, programme=programme("kis"), since=days_ago(500), acting_user=world.korkab.user)  # type: ignore[arg-type]
    kip2 = coverage_add(
        household=world.family,
        programme=programme("kip"),
        member=world.toddler,
        since=days_ago(3),
        acting_user=world.korkab.user,
    )
    ended = coverage_add(
        household=world.family, programme=programme("bpnt"), since=days_ago(700), acting_user=world.korkab.user
    )
    coverage_end(coverage=ended, until=days_ago(30), acting_user=world.korkab.user)
    gone = make_household(desa="35.11.01.2001", status=HouseholdStatus.GRADUASI_ALAMIAH)
    Coverage.objects.create(
        household=gone, programme=programme("kis"), since=days_ago(900), source=CoverageSource.IMPOR
    )
    counts = coverage_counts("35.11")
    assert counts["families"] == 2
    assert (counts["programmes"]["kis"], counts["programmes"]["kip"], counts["programmes"]["bpnt"]) == (1, 1, 0)
    assert counts["members"]["kip"] == 2 and "kis" not in counts["members"]
    assert coverage_counts("35.11", on=days_ago(60))["programmes"]["bpnt"] == 1  # on a past date
    assert coverage_counts(None)["families"] == 3 and coverage_counts(JEMBER)["programmes"]["kip"] == 0
    assert kip2.pk


def test_coverage_by_region_is_scoped_and_grouped_one_level_down(world: World, counted: dict[str, object]) -> None:
    coverage_add(
        household=world.family, programme=programme("bpnt"), since=days_ago(500), acting_user=world.korkab.user
    )
    rows = coverage_by_region(world.korkab.user, within="35.11", child_length=8, on=timezone.localdate())
    assert [(r.code, r.families, r.covered, r.open_referrals) for r in rows] == [
        ("35.11.01", 2, {"kip": 1, "bpnt": 1}, 1)
    ]
    assert rows[0].share("bpnt") == 50
    assert coverage_by_region(world.korkab_jember.user, within="35.11", child_length=8, on=timezone.localdate()) == []
    mine = coverage_by_region(world.other_pendamping.user, within="35.11.01", child_length=13, on=timezone.localdate())
    assert [(r.code, r.families, r.covered) for r in mine] == [("35.11.01.2001", 1, {})]
