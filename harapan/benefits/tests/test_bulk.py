"""The set-based totals for a tahap run equal the per-family calculation (RULES.md: Components
and amounts; STYLE.md: the bulk result equals the per-family result on the same data)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from harapan.accounts.models import Role
from harapan.benefits.rules import IndexTerms, family_entitlement, household_totals, tahap_amounts
from harapan.benefits.selectors import hard_to_reach_household_ids, household_entitlement_on
from harapan.benefits.services import hard_to_reach_region_add
from harapan.registry.models import DisabilityAssessment, Household, Member, Pregnancy, SchoolEnrolment
from harapan.registry.rules import Komponen, RegistryRules, member_components
from harapan.registry.selectors import member_facts
from harapan.testing import MAESAN, first_desa, make_household, make_staff

from .conftest import ON_2007, ON_2019, ON_2021, terms_on

# How often a member fits each category in the random families (several at once is allowed).
WEIGHTS = {
    Komponen.IBU_HAMIL: 0.12,
    Komponen.ANAK_USIA_DINI: 0.3,
    Komponen.ANAK_SD: 0.3,
    Komponen.ANAK_SMP: 0.15,
    Komponen.ANAK_SMA: 0.1,
    Komponen.DISABILITAS_BERAT: 0.08,
    Komponen.LANJUT_USIA: 0.12,
}


def random_families(n: int, seed: int) -> list[tuple[int, list[tuple[int, list[str]]]]]:
    rng = random.Random(seed)
    out = []
    member_id = 0
    for household_id in range(1, n + 1):
        members = []
        for _ in range(rng.randint(1, 8)):
            member_id += 1
            members.append((member_id, [str(k) for k, p in WEIGHTS.items() if rng.random() < p]))
        out.append((household_id * 3, members))
    return out


def columns(families: list[tuple[int, list[tuple[int, list[str]]]]]) -> tuple[list[int], list[int], list[str]]:
    hs: list[int] = []
    ms: list[int] = []
    ks: list[str] = []
    for h, members in families:
        for m, cats in members:
            for k in cats:
                hs.append(h)
                ms.append(m)
                ks.append(k)
    return hs, ms, ks


@pytest.mark.parametrize("on", [ON_2007, ON_2019, ON_2021])
def test_set_based_totals_equal_the_per_family_function_on_a_random_sample(on: dt.date) -> None:
    """Components and amounts: the same year total and counted people, family by family, for
    random compositions (caps, people in two categories, hard-to-reach families)."""
    terms = terms_on(on)
    families = random_families(3000, seed=on.year)
    far = {h for h, _m in families if h % 7 == 0}
    totals = household_totals(*columns(families), terms=terms, hard_to_reach=far)
    for h, members in families:
        e = family_entitlement(members, terms, hard_to_reach=h in far)
        if e.counted_people == 0 and not any(cats for _m, cats in members):
            assert h not in totals
            continue
        assert totals[h] == (e.year_total, e.counted_people), (h, members)
    tahap_2 = tahap_amounts(totals, terms, 2)
    tahap_4 = tahap_amounts(totals, terms, 4)
    for h, t in list(totals.items())[:500]:
        split = family_entitlement(dict(families)[h], terms, hard_to_reach=h in far).tahap
        assert (tahap_2[h], tahap_4[h]) == (split[1], split[3])
        assert t.year == sum(tahap_amounts({h: t}, terms, n)[h] for n in range(1, 5))


def test_set_based_totals_need_rows_ordered_by_household_then_member() -> None:
    """Components and amounts: a person counts once, so a member's rows must be together; rows
    out of order are refused rather than counted twice."""
    terms = terms_on(ON_2021)
    with pytest.raises(ValueError):
        household_totals([2, 1], [5, 6], [Komponen.ANAK_SD, Komponen.ANAK_SD], terms=terms)
    with pytest.raises(ValueError):
        household_totals([1, 1, 1], [5, 4, 5], [Komponen.ANAK_SD] * 3, terms=terms)


def test_set_based_totals_equal_family_pages_on_recorded_families() -> None:
    """Components and amounts: from the registry's recorded facts, the set-based path (member
    facts of many families, components, columnar rows) equals each family's page."""
    rng = random.Random(11)
    on = ON_2021
    ministry = make_staff(Role.MINISTRY, None).user
    hard_to_reach_region_add(
        region_code=MAESAN,
        valid_from=dt.date(2020, 1, 1),
        citation="SK uji",
        acting_user=ministry,
        today=dt.date(2020, 1, 1),
    )
    households: list[Household] = []
    for i in range(25):
        kids: list[tuple[dt.date, str | None]] = [
            (dt.date(rng.randint(2004, 2023), rng.randint(1, 12), rng.randint(1, 28)), None)
            for _ in range(rng.randint(0, 5))
        ]
        h = make_household(
            desa=first_desa(MAESAN) if i % 3 == 0 else first_desa("35.11.02"),
            children=kids,
            pregnant_since=on - dt.timedelta(days=rng.randint(0, 400)) if rng.random() < 0.4 else None,
            head_birth=dt.date(rng.choice([1950, 1980]), 1, 1),
        )
        for m in h.members.filter(relationship=3):
            if rng.random() < 0.7:
                SchoolEnrolment.objects.create(
                    member=m, level=rng.choice(["SD", "SMP", "SMA"]), valid_from=dt.date(2023, 7, 1)
                )
            if rng.random() < 0.15:
                DisabilityAssessment.objects.create(member=m, valid_from=dt.date(2022, 1, 1))
        households.append(h)
    assert Pregnancy.objects.exists()

    rules = RegistryRules.from_settings()
    ids = [h.pk for h in households]
    household_of = dict(Member.objects.filter(household_id__in=ids).values_list("pk", "household_id"))
    rows = sorted(
        (household_of[f.member_id], f.member_id, str(k))
        for f in member_facts(household_ids=ids)
        for k in member_components(f, on=on, rules=rules)
    )
    terms: IndexTerms = terms_on(on)
    far = hard_to_reach_household_ids(on, Household.objects.filter(pk__in=[h.pk for h in households]))
    assert far and len(far) < len(households)
    totals = household_totals(
        [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], terms=terms, hard_to_reach=far
    )
    for h in households:
        page = household_entitlement_on(h, on)
        assert page is not None
        got = totals.get(h.pk)
        assert (got.year if got else 0) == page.entitlement.year_total, h.pk
        assert (got.counted if got else 0) == page.entitlement.counted_people
