"""The registry's PKH rules, checked at their edges.

RULES.md sections cited per test: "Identity numbers", "Components and amounts".
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from harapan.regions.selectors import kecamatan_codes
from harapan.registry.rules import (
    Enrolment,
    Komponen,
    MemberAgeFacts,
    MemberFacts,
    Period,
    RegistryRules,
    age_on,
    compose_nik,
    compose_no_kk,
    household_age_violations,
    member_components,
    nik_violations,
    no_kk_violations,
)

MAESAN = "35.11.01"
TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def kecamatan_exists(db):
    codes = kecamatan_codes()
    return codes.__contains__


def rules_of(nik: str, **kw) -> set[str]:
    return {v.rule for v in nik_violations(nik, **kw)}


# --- RULES.md: Identity numbers ---------------------------------------------------------------


def test_valid_nik_of_a_woman_passes_with_day_plus_40(kecamatan_exists):
    nik = compose_nik(MAESAN, dt.date(1988, 7, 2), "P", 17)
    assert nik == "3511014207880017"
    assert nik_violations(nik, birth_date=dt.date(1988, 7, 2), sex="P", kecamatan_exists=kecamatan_exists) == []


def test_valid_nik_of_a_man_passes_without_plus_40(kecamatan_exists):
    nik = compose_nik(MAESAN, dt.date(1985, 3, 14), "L", 1)
    assert nik == "3511011403850001"
    assert nik_violations(nik, birth_date=dt.date(1985, 3, 14), sex="L", kecamatan_exists=kecamatan_exists) == []


@pytest.mark.parametrize("nik", ["351101140385001", "35110114038500011", "35110114O3850001", ""])
def test_nik_of_wrong_length_or_with_letters_is_refused(nik, kecamatan_exists):
    violations = nik_violations(nik, birth_date=None, sex=None, kecamatan_exists=kecamatan_exists)
    assert [v.rule for v in violations] == ["nik_16_digit"]
    assert violations[0].field == "NIK"


def test_nik_whose_region_part_is_not_a_real_kecamatan_is_refused(kecamatan_exists):
    # 35.11.99 does not exist in Bondowoso; 99.01.01 is no province.
    for region in ("351199", "990101"):
        nik = f"{region}1403850001"
        assert "nik_wilayah" in rules_of(
            nik, birth_date=dt.date(1985, 3, 14), sex="L", kecamatan_exists=kecamatan_exists
        )


def test_nik_of_a_new_2022_papua_province_is_accepted(kecamatan_exists):
    """Papua Selatan (93) and its kecamatan exist since 2022; the 2025 region list knows them."""
    kec = next(c for c in kecamatan_codes() if c.startswith("93"))
    nik = f"{kec}0101900001"
    assert rules_of(nik, birth_date=dt.date(1990, 1, 1), sex="L", kecamatan_exists=kecamatan_exists) == set()


@pytest.mark.parametrize("date_part", ["320185", "003085", "311385", "720285", "300285"])
def test_nik_with_an_impossible_birth_date_is_refused(date_part, kecamatan_exists):
    # 32 Jan, day 00, month 13, 32 Feb for a woman (72-40), 30 Feb.
    nik = f"351101{date_part}0001"
    assert "nik_tanggal" in rules_of(nik, birth_date=None, sex=None, kecamatan_exists=kecamatan_exists)


def test_a_man_with_day_plus_40_breaks_the_plus_40_rule(kecamatan_exists):
    nik = compose_nik(MAESAN, dt.date(1985, 3, 14), "P", 1)  # encoded as a woman
    assert rules_of(nik, birth_date=dt.date(1985, 3, 14), sex="L", kecamatan_exists=kecamatan_exists) == {
        "nik_jenis_kelamin"
    }


def test_a_woman_without_plus_40_breaks_the_plus_40_rule(kecamatan_exists):
    nik = compose_nik(MAESAN, dt.date(1988, 7, 2), "L", 1)
    assert rules_of(nik, birth_date=dt.date(1988, 7, 2), sex="P", kecamatan_exists=kecamatan_exists) == {
        "nik_jenis_kelamin"
    }


def test_nik_date_must_match_the_members_birth_date(kecamatan_exists):
    nik = compose_nik(MAESAN, dt.date(1988, 7, 2), "P", 1)
    violations = nik_violations(nik, birth_date=dt.date(1988, 7, 3), sex="P", kecamatan_exists=kecamatan_exists)
    assert [v.rule for v in violations] == ["nik_tanggal_lahir"]
    assert "02-07-88" in violations[0].message and "03-07-88" in violations[0].message


def test_nik_serial_0000_is_refused(kecamatan_exists):
    nik = compose_nik(MAESAN, dt.date(1985, 3, 14), "L", 0)
    assert rules_of(nik, birth_date=dt.date(1985, 3, 14), sex="L", kecamatan_exists=kecamatan_exists) == {
        "nik_nomor_urut"
    }


def test_valid_no_kk_passes(kecamatan_exists):
    no_kk = compose_no_kk(MAESAN, dt.date(2015, 1, 5), 12)
    assert no_kk == "3511010501150012"
    assert no_kk_violations(no_kk, kecamatan_exists=kecamatan_exists, today=TODAY) == []


@pytest.mark.parametrize(
    ("no_kk", "rule"),
    [
        ("351101050115001", "kk_16_digit"),
        ("3511010501150012X", "kk_16_digit"),
        ("3511990501150012", "kk_wilayah"),
        ("3511013202150012", "kk_tanggal"),
        ("3511010501150000", "kk_nomor_urut"),
    ],
)
def test_broken_no_kk_is_refused_by_the_rule_it_breaks(no_kk, rule, kecamatan_exists):
    assert rule in {v.rule for v in no_kk_violations(no_kk, kecamatan_exists=kecamatan_exists, today=TODAY)}


def test_no_kk_registered_in_the_future_is_refused(kecamatan_exists):
    no_kk = compose_no_kk(MAESAN, dt.date(2026, 12, 25), 1)
    assert {v.rule for v in no_kk_violations(no_kk, kecamatan_exists=kecamatan_exists, today=TODAY)} == {"kk_tanggal"}


# --- Ages against the relationship to the head (issue 2: members' ages consistent with role) ---


@pytest.fixture
def rules(db):
    return RegistryRules.from_settings()


def fam(*members: tuple[str, dt.date, int], carer: str = "") -> list[MemberAgeFacts]:
    return [MemberAgeFacts(key=k, birth_date=b, relationship=r, is_carer=(k == carer)) for k, b, r in members]


def test_a_plausible_family_has_no_age_violation(rules):
    members = fam(
        ("ayah", dt.date(1985, 3, 14), 1),
        ("ibu", dt.date(1988, 7, 2), 2),
        ("anak", dt.date(2015, 1, 1), 3),
        ("nenek", dt.date(1950, 1, 1), 6),
        carer="ibu",
    )
    assert household_age_violations(members, on=TODAY, rules=rules) == []


def test_a_child_older_than_the_parent_gap_allows_is_refused(rules):
    members = fam(("ayah", dt.date(1985, 3, 14), 1), ("anak", dt.date(1990, 1, 1), 3))
    assert [(k, v.rule) for k, v in household_age_violations(members, on=TODAY, rules=rules)] == [("anak", "umur_anak")]


def test_two_heads_or_none_is_refused(rules):
    two = fam(("a", dt.date(1980, 1, 1), 1), ("b", dt.date(1982, 1, 1), 1))
    none = fam(("a", dt.date(1980, 1, 1), 2))
    assert "satu_kepala_keluarga" in {v.rule for _, v in household_age_violations(two, on=TODAY, rules=rules)}
    assert "satu_kepala_keluarga" in {v.rule for _, v in household_age_violations(none, on=TODAY, rules=rules)}


def test_a_child_as_carer_or_spouse_is_refused(rules):
    members = fam(
        ("ayah", dt.date(1985, 3, 14), 1),
        ("istri", dt.date(2015, 1, 1), 2),
        carer="istri",
    )
    found = {v.rule for _, v in household_age_violations(members, on=TODAY, rules=rules)}
    assert {"umur_pasangan", "umur_pengurus"} <= found


def test_a_parent_younger_than_the_head_and_a_future_birth_are_refused(rules):
    members = fam(
        ("kepala", dt.date(1970, 1, 1), 1),
        ("ortu", dt.date(1975, 1, 1), 6),
        ("bayi", dt.date(2027, 1, 1), 3),
    )
    found = {(k, v.rule) for k, v in household_age_violations(members, on=TODAY, rules=rules)}
    assert {("ortu", "umur_orang_tua"), ("bayi", "tanggal_lahir_masa_depan")} <= found


# --- RULES.md: Components and amounts ---------------------------------------------------------


def comps(facts: MemberFacts, on: dt.date, rules: RegistryRules) -> list[Komponen]:
    return member_components(facts, on=on, rules=rules)


def child(birth: dt.date, *enrolments: Enrolment, sex: str = "L") -> MemberFacts:
    return MemberFacts(member_id=1, sex=sex, birth_date=birth, enrolments=enrolments)


def test_age_counts_completed_years_and_leap_day_births():
    assert age_on(dt.date(2019, 11, 30), TODAY) == 6
    assert age_on(dt.date(2019, 11, 29), TODAY) == 7
    assert age_on(dt.date(2000, 2, 29), dt.date(2026, 2, 28)) == 25
    assert age_on(dt.date(2000, 2, 29), dt.date(2026, 3, 1)) == 26


def test_child_is_anak_usia_dini_until_the_seventh_birthday(rules):
    birth = dt.date(2019, 11, 30)
    assert comps(child(birth), dt.date(2026, 11, 29), rules) == [Komponen.ANAK_USIA_DINI]
    assert comps(child(birth), dt.date(2026, 11, 30), rules) == []


def test_newborn_counts_from_birth_not_before(rules):
    birth = dt.date(2026, 11, 1)
    assert comps(child(birth), dt.date(2026, 10, 31), rules) == []
    assert comps(child(birth), birth, rules) == [Komponen.ANAK_USIA_DINI]


def test_school_level_comes_from_enrolment_not_age(rules):
    # A 13-year-old still in SD counts as SD; the same child enrolled in SMP counts as SMP.
    birth = dt.date(2013, 6, 1)
    sd = Enrolment(dt.date(2026, 7, 1), None, level="SD")
    smp = Enrolment(dt.date(2026, 7, 1), None, level="SMP")
    assert comps(child(birth, sd), TODAY, rules) == [Komponen.ANAK_SD]
    assert comps(child(birth, smp), TODAY, rules) == [Komponen.ANAK_SMP]


def test_school_child_not_enrolled_has_no_component(rules):
    assert comps(child(dt.date(2013, 6, 1)), TODAY, rules) == []


def test_enrolment_counts_only_inside_its_period(rules):
    enrolment = Enrolment(dt.date(2025, 7, 1), dt.date(2026, 6, 30), level="SMA")
    birth = dt.date(2009, 1, 1)
    assert comps(child(birth, enrolment), dt.date(2026, 6, 30), rules) == [Komponen.ANAK_SMA]
    assert comps(child(birth, enrolment), dt.date(2026, 7, 1), rules) == []


def test_six_year_old_in_sd_fits_both_usia_dini_and_sd(rules):
    """A person who fits two categories is listed in both; the benefit rules count the higher once."""
    birth = dt.date(2020, 1, 1)
    sd = Enrolment(dt.date(2026, 7, 13), None, level="SD")
    assert comps(child(birth, sd), TODAY, rules) == [Komponen.ANAK_USIA_DINI, Komponen.ANAK_SD]


def test_school_component_ends_after_age_21(rules):
    enrolment = Enrolment(dt.date(2020, 7, 1), None, level="SMA")
    birth = dt.date(2004, 11, 30)
    assert comps(child(birth, enrolment), dt.date(2026, 11, 29), rules) == [Komponen.ANAK_SMA]  # 21
    assert comps(child(birth, enrolment), dt.date(2026, 11, 30), rules) == []  # 22


def test_elderly_from_70_by_default_and_60_when_configured(rules):
    person = MemberFacts(member_id=1, sex="P", birth_date=dt.date(1956, 11, 29))
    assert comps(person, dt.date(2026, 11, 28), rules) == []
    assert comps(person, dt.date(2026, 11, 29), rules) == [Komponen.LANJUT_USIA]
    with override_settings(HARAPAN={"registry": {"ELDERLY_MIN_AGE": 60}}):
        assert comps(person, dt.date(2016, 11, 29), RegistryRules.from_settings()) == [Komponen.LANJUT_USIA]


def test_pregnancy_counts_until_nifas_ends_42_days_after_delivery(rules):
    delivered = dt.date(2026, 9, 1)
    mother = MemberFacts(
        member_id=1, sex="P", birth_date=dt.date(1995, 1, 1), pregnancies=(Period(dt.date(2025, 12, 1), delivered),)
    )
    assert comps(mother, dt.date(2025, 11, 30), rules) == []
    assert comps(mother, dt.date(2025, 12, 1), rules) == [Komponen.IBU_HAMIL]
    assert comps(mother, delivered + dt.timedelta(days=42), rules) == [Komponen.IBU_HAMIL]
    assert comps(mother, delivered + dt.timedelta(days=43), rules) == []


def test_open_pregnancy_lasts_280_days_plus_nifas(rules):
    start = dt.date(2026, 1, 1)
    mother = MemberFacts(member_id=1, sex="P", birth_date=dt.date(1995, 1, 1), pregnancies=(Period(start, None),))
    assert comps(mother, start + dt.timedelta(days=280 + 42), rules) == [Komponen.IBU_HAMIL]
    assert comps(mother, start + dt.timedelta(days=280 + 43), rules) == []


def test_severe_disability_counts_while_assessed(rules):
    person = MemberFacts(
        member_id=1,
        sex="L",
        birth_date=dt.date(1980, 1, 1),
        severe_disability=(Period(dt.date(2024, 1, 1), dt.date(2026, 1, 1)),),
    )
    assert comps(person, dt.date(2025, 6, 1), rules) == [Komponen.DISABILITAS_BERAT]
    assert comps(person, dt.date(2026, 1, 2), rules) == []


def test_a_member_who_died_or_moved_counts_until_the_day_before_leaving(rules):
    person = MemberFacts(
        member_id=1, sex="P", birth_date=dt.date(1940, 1, 1), present=False, left_on=dt.date(2026, 6, 1)
    )
    assert comps(person, dt.date(2026, 5, 31), rules) == [Komponen.LANJUT_USIA]
    assert comps(person, dt.date(2026, 6, 1), rules) == []
