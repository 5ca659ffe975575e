"""The referral rules as pure functions: the status flow (issue 5: "dirujuk → diterima → selesai /
ditolak") and the eligibility behind suggested referrals (RULES.md: People and ratios, "ensure
complementary programmes (BPNT, KIS, KIP)"; Components and amounts for school age; Identity numbers
for the NIK)."""

from __future__ import annotations

import pytest

from harapan.referrals.rules import (
    EligibilityRules,
    PersonFacts,
    ProgrammeRule,
    can_move,
    family_eligible,
    gaps,
    member_eligible,
)

RULES = EligibilityRules(school_min_age=6, school_max_age=21)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("dirujuk", "diterima", True),
        ("dirujuk", "ditolak", True),
        ("dirujuk", "selesai", False),  # accepted first
        ("diterima", "selesai", True),
        ("diterima", "ditolak", True),
        ("diterima", "dirujuk", False),
        ("selesai", "ditolak", False),  # closed referrals never move
        ("ditolak", "diterima", False),
        ("selesai", "selesai", False),
    ],
)
def test_status_flow_is_dirujuk_then_diterima_then_selesai_or_ditolak(current: str, target: str, allowed: bool) -> None:
    assert can_move(current, target) is allowed


def person(
    age: int, *, present: bool = True, nik_valid: bool = True, komponen: frozenset[str] = frozenset()
) -> PersonFacts:
    return PersonFacts(member_id=age, age=age, present=present, nik_valid=nik_valid, komponen=komponen)


def test_school_age_follows_the_registry_range_for_kip() -> None:
    """RULES.md Components and amounts: school children count from 6 to 21 years."""
    assert [a for a in (5, 6, 15, 21, 22) if member_eligible("usia_sekolah", person(a), rules=RULES)] == [6, 15, 21]


def test_a_member_who_left_the_family_is_never_suggested() -> None:
    assert not member_eligible("usia_sekolah", person(10, present=False), rules=RULES)
    assert not member_eligible("nik_tidak_sah", person(30, present=False, nik_valid=False), rules=RULES)


def test_a_member_without_a_valid_nik_is_suggested_for_dukcapil() -> None:
    """RULES.md Identity numbers; Disbursement and data: a valid NIK is a condition of payment."""
    assert member_eligible("nik_tidak_sah", person(0, nik_valid=False), rules=RULES)
    assert not member_eligible("nik_tidak_sah", person(30), rules=RULES)


def test_elderly_or_severely_disabled_members_are_suggested_for_atensi() -> None:
    assert member_eligible("lansia_disabilitas", person(72, komponen=frozenset({"lanjut_usia"})), rules=RULES)
    assert member_eligible("lansia_disabilitas", person(30, komponen=frozenset({"disabilitas_berat"})), rules=RULES)
    assert not member_eligible("lansia_disabilitas", person(30, komponen=frozenset({"anak_sd"})), rules=RULES)


def test_family_programmes_are_suggested_to_families_in_the_programme_only() -> None:
    assert family_eligible("keluarga_pkh", in_programme=True)
    assert not family_eligible("keluarga_pkh", in_programme=False)
    assert not family_eligible("", in_programme=True)  # no rule: never suggested


def test_gaps_leave_out_what_the_family_already_receives() -> None:
    programmes = [
        ProgrammeRule("kis", for_members=False, eligibility="keluarga_pkh"),
        ProgrammeRule("kip", for_members=True, eligibility="usia_sekolah"),
        ProgrammeRule("bpnt", for_members=False, eligibility="keluarga_pkh"),
        ProgrammeRule("dinkop", for_members=False, eligibility=""),
    ]
    people = [person(40), person(12), person(9)]
    found = gaps(programmes, in_programme=True, people=people, covered={("kis", None), ("kip", 12)}, rules=RULES)
    assert found == [("kip", 9), ("bpnt", None)]
