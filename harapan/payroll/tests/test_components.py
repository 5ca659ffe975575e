"""The set-based components of a tahap run (one SQL statement) equal ``registry.rules.
member_components`` member by member on recorded families (RULES.md: Components and amounts;
STYLE.md: the bulk result equals the per-family result on the same data)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from harapan.payroll.components import component_rows
from harapan.registry.models import DisabilityAssessment, Member, Pregnancy, Presence, SchoolEnrolment
from harapan.registry.rules import RegistryRules, member_components
from harapan.registry.selectors import member_facts
from harapan.testing import make_household


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


@pytest.fixture
def recorded(db: None) -> list[int]:
    """Forty families with every kind of fact, open and closed, around the test dates."""
    rng = random.Random(7)
    ids = []
    for _ in range(40):
        kids: list[tuple[dt.date, str | None]] = [
            (_date(rng, dt.date(2003, 1, 1), dt.date(2026, 6, 1)), None) for _ in range(rng.randint(0, 5))
        ]
        h = make_household(
            children=kids,
            head_birth=_date(rng, dt.date(1940, 1, 1), dt.date(1990, 1, 1)),
            wife_birth=_date(rng, dt.date(1950, 1, 1), dt.date(2000, 1, 1)),
        )
        ids.append(h.pk)
        wife = Member.objects.get(household=h, is_carer=True)
        if rng.random() < 0.6:
            start = _date(rng, dt.date(2025, 1, 1), dt.date(2026, 5, 1))
            end = start + dt.timedelta(days=rng.randint(30, 300)) if rng.random() < 0.5 else None
            Pregnancy.objects.create(member=wife, valid_from=start, valid_to=end)
        for m in Member.objects.filter(household=h):
            roll = rng.random()
            if m.relationship == 3 and roll < 0.7:
                start = _date(rng, dt.date(2024, 7, 1), dt.date(2026, 1, 1))
                end = start + dt.timedelta(days=rng.randint(10, 400)) if rng.random() < 0.3 else None
                SchoolEnrolment.objects.create(
                    member=m, level=rng.choice(["SD", "SMP", "SMA"]), valid_from=start, valid_to=end
                )
            if roll > 0.9:
                start = _date(rng, dt.date(2024, 1, 1), dt.date(2026, 3, 1))
                end = start + dt.timedelta(days=rng.randint(0, 200)) if rng.random() < 0.5 else None
                DisabilityAssessment.objects.create(member=m, valid_from=start, valid_to=end, severe=rng.random() < 0.8)
            if 0.85 < roll <= 0.9 and not m.is_carer:
                Member.objects.filter(pk=m.pk).update(
                    presence=Presence.MENINGGAL, left_on=_date(rng, dt.date(2025, 6, 1), dt.date(2026, 6, 1))
                )
            if 0.8 < roll <= 0.85 and not m.is_carer:
                Member.objects.filter(pk=m.pk).update(presence=Presence.PINDAH)
    # Birthdays around 29 February and the age limits (7, 70) of the leap-day cut-offs.
    leap = make_household(
        children=[
            (d, None) for d in (dt.date(2016, 2, 29), dt.date(2017, 2, 28), dt.date(2017, 3, 1), dt.date(2016, 2, 28))
        ],
        head_birth=dt.date(1954, 2, 28),
        wife_birth=dt.date(1953, 3, 1),
    )
    ids.append(leap.pk)
    return ids


@pytest.mark.parametrize(
    "on",
    [dt.date(2026, 3, 1), dt.date(2025, 12, 31), dt.date(2024, 2, 29), dt.date(2023, 2, 28), dt.date(2026, 6, 15)],
    ids=str,
)
def test_sql_components_equal_member_components(recorded: list[int], on: dt.date) -> None:
    rules = RegistryRules.from_settings()
    household_of = dict(Member.objects.filter(household_id__in=recorded).values_list("pk", "household_id"))
    expected = sorted(
        (household_of[f.member_id], f.member_id, str(k))
        for f in member_facts(household_ids=recorded)
        for k in member_components(f, on=on, rules=rules)
    )
    got = component_rows(on=on, rules=rules, id_after=min(recorded) - 1, id_upto=max(recorded), region_prefix="35.11.")
    assert sorted(got) == expected
    assert [r[:2] for r in got] == sorted(r[:2] for r in got)  # ordered by household, then member
    if on.year == 2026:
        assert len({r[2] for r in got}) >= 6  # every kind of fact is exercised


def test_region_and_id_range_limit_the_rows(recorded: list[int]) -> None:
    rules = RegistryRules.from_settings()
    on = dt.date(2026, 3, 1)
    elsewhere = make_household(desa="35.09.01.2001", children=[(dt.date(2024, 1, 1), None)])
    rows = component_rows(on=on, rules=rules, id_after=0, id_upto=elsewhere.pk, region_prefix="35.11.")
    assert elsewhere.pk not in {r[0] for r in rows}
    everywhere = component_rows(on=on, rules=rules, id_after=0, id_upto=elsewhere.pk, region_prefix=None)
    assert elsewhere.pk in {r[0] for r in everywhere}
    half = sorted(recorded)[20]
    assert {r[0] for r in component_rows(on=on, rules=rules, id_after=half, id_upto=10**9, region_prefix=None)} <= {
        h for h in [*recorded, elsewhere.pk] if h > half
    }
