"""Pure payroll rules (RULES.md: Identity numbers; Disbursement and data; Components and amounts)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from harapan.payroll.rules import (
    IdentityCheck,
    carer_absence,
    dana_sharing_meets_target,
    dana_sharing_percent,
    id_salur,
    years_before,
)
from harapan.registry.rules import age_on, compose_nik, compose_no_kk, nik_violations, no_kk_violations

KECAMATAN = frozenset({"351101", "351102", "350901"})


def test_years_before_is_the_bound_of_age_on() -> None:
    """Components and amounts: a birth date is at least n years old on a day exactly when it is on
    or before years_before(day, n), including 29 February birthdays and cut-offs."""
    rng = random.Random(3)
    for _ in range(3000):
        on = dt.date.fromordinal(rng.randint(dt.date(2020, 1, 1).toordinal(), dt.date(2030, 1, 1).toordinal()))
        if rng.random() < 0.05:
            on = dt.date(rng.choice([2024, 2028]), 2, 29)
        n = rng.choice([6, 7, 21, 22, 70])
        bound = years_before(on, n)
        for birth in (bound, bound + dt.timedelta(days=1), dt.date(on.year - n, 2, 28), dt.date(on.year - n, 3, 1)):
            assert (age_on(birth, on) >= n) == (birth <= bound), (birth, on, n)


def test_identity_check_agrees_with_the_registry_rules_on_valid_and_broken_numbers() -> None:
    """Identity numbers: the run's quick path finds nothing exactly when the registry's rules find
    nothing, and otherwise returns their messages."""
    rng = random.Random(5)
    on = dt.date(2026, 3, 1)
    check = IdentityCheck(KECAMATAN, on, 1970)
    exists = KECAMATAN.__contains__
    for _ in range(4000):
        birth = dt.date.fromordinal(rng.randint(dt.date(1940, 1, 1).toordinal(), dt.date(2008, 12, 31).toordinal()))
        sex = rng.choice("LP")
        nik = compose_nik(rng.choice(["35.11.01", "35.09.01"]), birth, sex, rng.randint(0, 9999))
        kk = compose_no_kk("35.11.02", birth, rng.randint(0, 9999))
        mutate = rng.random()
        if mutate < 0.1:
            nik = nik[:6] + nik[8:10] + nik[6:8] + nik[10:]  # day and month swapped
        elif mutate < 0.2:
            nik = "359999" + nik[6:]
        elif mutate < 0.25:
            nik = nik[:15]
        elif mutate < 0.3:
            sex = "L" if sex == "P" else "P"
        if rng.random() < 0.1:
            kk = kk[:6] + "310299" + kk[12:]
        assert check.nik(nik, birth_date=birth, sex=sex) == nik_violations(
            nik, birth_date=birth, sex=sex, kecamatan_exists=exists, field_name="NIK_PENGURUS"
        )
        assert check.no_kk(kk) == no_kk_violations(kk, kecamatan_exists=exists, today=on, earliest_year=1970)


def test_id_salur_is_stable_and_unique_per_tahap_and_family() -> None:
    """FORMATS.md §6.2: ID_SALUR is Harapan's unique line id, the same on every re-run."""
    assert id_salur(2026, 1, 12, 345) == id_salur(2026, 1, 12, 345) == "2026-1-12-345"
    assert len({id_salur(2026, n, t, h) for n in (1, 2) for t in (1, 12) for h in (3, 45)}) == 8


def test_carer_absence() -> None:
    """Disbursement and data: payment goes to the carer."""
    on = dt.date(2026, 3, 1)
    assert carer_absence(has_carer=False, presence_ok=True, left_on=None, on=on)
    assert carer_absence(has_carer=True, presence_ok=True, left_on=on, on=on)
    assert carer_absence(has_carer=True, presence_ok=True, left_on=on + dt.timedelta(days=1), on=on) is None
    assert carer_absence(has_carer=True, presence_ok=False, left_on=None, on=on)


@pytest.mark.parametrize(
    ("apbd", "pkh", "percent", "meets"),
    [
        (5_000_000, 100_000_000, Decimal("5.00"), True),
        (4_999_999, 100_000_000, Decimal("5.00"), False),  # rounds to 5.00 but falls short
        (12_345, 1_000_000, Decimal("1.23"), False),
        (1, 0, None, None),
    ],
)
def test_dana_sharing_share_against_the_5_percent_target(apbd: int, pkh: int, percent: object, meets: object) -> None:
    """Disbursement and data: each kabupaten/kota should co-fund at least 5%."""
    assert dana_sharing_percent(apbd, pkh) == percent
    assert dana_sharing_meets_target(apbd, pkh, 5) is meets
