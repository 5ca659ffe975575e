"""The synthetic district: deterministic, valid identity numbers, plausible families, real ratios."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from harapan.demo.generator import generate_families
from harapan.demo.plan import District, plan_district
from harapan.demo.selectors import district_load
from harapan.regions.selectors import desa_codes, kecamatan_codes
from harapan.registry.rules import (
    MemberAgeFacts,
    RegistryRules,
    age_on,
    household_age_violations,
    nik_violations,
    no_kk_violations,
)

AS_OF = dt.date(2025, 11, 3)


@pytest.fixture
def bondowoso(db: None) -> District:
    return district_load("35.11")


def _families(district: District, n: int, seed: int = 7) -> list:
    return list(generate_families(plan_district(district, families=n, seed=seed), as_of=AS_OF))


def test_same_seed_gives_the_same_families_and_another_seed_others(bondowoso: District) -> None:
    a = _families(bondowoso, 400, seed=1)
    b = _families(bondowoso, 400, seed=1)
    c = _families(bondowoso, 400, seed=2)
    assert [(f.keluarga, f.art) for f in a] == [(f.keluarga, f.art) for f in b]
    assert [f.art for f in a] != [f.art for f in c]


def test_row_numbers_follow_the_sheets(bondowoso: District) -> None:
    families = _families(bondowoso, 120)
    assert [f.keluarga_row for f in families] == list(range(2, 122))
    art_rows = [row for f in families for row, _ in f.art]
    assert art_rows == list(range(2, 2 + len(art_rows)))
    for f in families:
        assert {a["ID_KELUARGA_PKH"] for _, a in f.art} == {f.keluarga["ID_KELUARGA_PKH"]}


def test_every_nik_and_no_kk_is_valid_and_unique(bondowoso: District) -> None:
    """RULES.md: Identity numbers — region, birth date (day + 40 for women), serial never 0000."""
    kec = kecamatan_codes()
    desa = desa_codes()
    niks: Counter[str] = Counter()
    no_kks: Counter[str] = Counter()
    newborns_without_nik = 0
    for f in _families(bondowoso, 3000):
        k = f.keluarga
        assert k["KODE_WILAYAH"] in desa
        assert k["KODE_WILAYAH"] == ".".join([k["KDPROP"], k["KDKAB"], k["KDKEC"], k["KDDESA"]])
        assert no_kk_violations(k["NOKK"], kecamatan_exists=kec.__contains__, today=AS_OF) == []
        assert k["NOKK"][:6] == k["KODE_WILAYAH"].replace(".", "")[:6]
        no_kks[k["NOKK"]] += 1
        for _, a in f.art:
            sex = "L" if a["JNSKEL"] == "1" else "P"
            born = dt.date.fromisoformat(a["TGLLAHIR"])
            if not a["NIK"]:  # a newborn not yet registered at Dukcapil (FORMATS.md §6.1)
                newborns_without_nik += 1
                assert (AS_OF - born).days < 92
                continue
            assert nik_violations(a["NIK"], birth_date=born, sex=sex, kecamatan_exists=kec.__contains__) == []
            assert a["NOKK"] == k["NOKK"]
            niks[a["NIK"]] += 1
    assert niks.most_common(1)[0][1] == 1
    assert 0 < newborns_without_nik < 40
    assert no_kks.most_common(1)[0][1] == 1


def test_members_ages_fit_their_place_in_the_family(bondowoso: District) -> None:
    """Age consistency (registry.rules.household_age_violations): one head, children at least the
    generation gap younger, parents older, carers adult, pregnant women of child-bearing age."""
    rules = RegistryRules.from_settings()
    for f in _families(bondowoso, 3000):
        carer_nik = f.keluarga["NIK_PENGURUS"]
        members = [
            MemberAgeFacts(
                key=a["NIK"],
                birth_date=dt.date.fromisoformat(a["TGLLAHIR"]),
                relationship=int(a["HUBKEL"]),
                is_carer=a["NIK"] == carer_nik,
                pregnant=a["STA_HAMIL"] == "1",
                sex="L" if a["JNSKEL"] == "1" else "P",
            )
            for _, a in f.art
        ]
        assert household_age_violations(members, on=AS_OF, rules=rules) == []
        assert sum(m.is_carer for m in members) == 1
        mothers = [m for m in members if m.relationship in (1, 2) and m.sex == "P"]
        for m in members:
            if m.relationship == 3 and mothers:
                assert (m.birth_date - mothers[0].birth_date).days >= 16 * 365


def test_families_carry_every_kind_of_component(bondowoso: District) -> None:
    """RULES.md: Components and amounts — pregnancies, young and school children by level,
    severe disability and elderly all occur; school level follows the grade."""
    rows = [a for f in _families(bondowoso, 3000) for _, a in f.art]
    ages = [age_on(dt.date.fromisoformat(a["TGLLAHIR"]), AS_OF) for a in rows]
    pregnant = [a for a in rows if a["STA_HAMIL"] == "1"]
    assert pregnant
    for a in pregnant:
        started = dt.date.fromisoformat(a["TGL_MULAI_HAMIL"])
        assert AS_OF - dt.timedelta(days=8 * 31) <= started <= AS_OF
        assert a["JNSKEL"] == "2"
    assert sum(age <= 6 for age in ages) > 100
    assert sum(age >= 70 for age in ages) > 20
    assert sum(60 <= age < 70 for age in ages) > 20
    assert sum(a["DISABILITAS_BERAT"] == "Y" for a in rows) > 20
    levels = Counter(a["JENJANG"] for a in rows if a["PARTISIPASI_SEKOLAH"] == "1")
    assert set(levels) == {"SD", "SMP", "SMA"} and levels["SD"] > levels["SMA"]
    for a, age in zip(rows, ages, strict=True):
        if a["JENJANG"]:
            grade = int(a["KELAS"])
            assert {"SD": range(1, 7), "SMP": range(7, 10), "SMA": range(10, 13)}[a["JENJANG"]].count(grade) == 1
            assert 6 <= age <= 19
            assert a["NAMA_SEKOLAH"] and len(a["NPSN"]) == 8 and len(a["NISN"]) == 10
    dropouts = [a for a, age in zip(rows, ages, strict=True) if 13 <= age <= 17 and a["PARTISIPASI_SEKOLAH"] == "2"]
    assert dropouts
    # Out of school only after some years of it (a dropout from 13, or done with grade 12).
    children = [(a, age) for a, age in zip(rows, ages, strict=True) if a["HUBKEL"] in ("3", "5")]
    assert all(age >= 13 for a, age in children if a["PARTISIPASI_SEKOLAH"] == "2")


def test_accounts_statuses_and_carers(bondowoso: District) -> None:
    """RULES.md: Disbursement and data — Himbara accounts, a few without (burekol); mostly AKTIF."""
    families = [f.keluarga for f in _families(bondowoso, 3000)]
    without = sum(not k["NO_REKENING"] for k in families)
    assert 0.01 * len(families) < without < 0.06 * len(families)
    assert {k["BANK"] for k in families} == {"BRI", "BNI", "MANDIRI", "BTN", "BSI"}
    status = Counter(k["STATUS_KEPESERTAAN"] for k in families)
    assert status["AKTIF"] > 0.85 * len(families)
    assert {"CALON", "DITANGGUHKAN", "GRADUASI_MANDIRI"} <= set(status)
    assert all(k["NAMA_PENGURUS"] and k["NAMA_IBU_KANDUNG_PENGURUS"] for k in families)


def test_caseloads_and_groups_follow_the_field_ratios(bondowoso: District) -> None:
    """RULES.md: People and ratios (≈200 KPM per pendamping, 150-350 here) and P2K2 group size
    (15-35 families, Bondowoso ≈32); a pendamping works in one kecamatan, a group in one desa."""
    plan = plan_district(bondowoso, families=3000, seed=11)
    assert len(plan.pendamping) == 15
    assert all(150 <= p.families <= 350 for p in plan.pendamping)
    assert all(15 <= g.size <= 35 for g in plan.groups)
    assert sum(g.size for g in plan.groups) == 3000
    per_pdp: dict[str, set[str]] = defaultdict(set)
    per_group: dict[str, set[str]] = defaultdict(set)
    for f in generate_families(plan, as_of=AS_OF):
        k = f.keluarga
        per_pdp[k["PENDAMPING"]].add(k["KODE_WILAYAH"].rsplit(".", 1)[0])
        per_group[k["KELOMPOK"]].add(k["KODE_WILAYAH"])
    assert all(len(kec) == 1 for kec in per_pdp.values())
    assert all(len(desa) == 1 for desa in per_group.values())
    assert "pendamping" in per_pdp


def test_default_scale_is_bondowoso(bondowoso: District) -> None:
    """Seed 000: 60,093 KPM in 1,859 groups; every kecamatan and desa of the kabupaten used."""
    plan = plan_district(bondowoso, families=60_000, seed=2020)
    assert len(bondowoso.kecamatan) == 23
    assert len(plan.pendamping) == 300
    assert 1_750 <= len(plan.groups) <= 2_000
    assert {p.kecamatan.code for p in plan.pendamping} == {k.code for k in bondowoso.kecamatan}
    assert {g.desa.code for g in plan.groups} == {d.code for k in bondowoso.kecamatan for d in k.desa}
    assert all(150 <= p.families <= 350 for p in plan.pendamping)
    assert all(15 <= g.size <= 35 for g in plan.groups)
    assert plan.pendamping[0].username == "pendamping" and plan.pendamping[0].kecamatan.name == "Maesan"


def test_another_district_gets_its_own_usernames(db: None) -> None:
    jember = district_load("35.09")
    plan = plan_district(jember, families=500, seed=1)
    assert plan.pendamping[0].username == "pendamping-3509"
    assert plan.pendamping[1].username == "pendamping-3509-002"
    first = next(iter(generate_families(plan, as_of=AS_OF)))
    assert first.keluarga["KODE_WILAYAH"].startswith("35.09.")
