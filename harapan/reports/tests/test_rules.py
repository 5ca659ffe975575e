"""Pure report rules and the source figures' own arithmetic (RULES.md "People and ratios", "P2K2 /
FDS curriculum", "Graduation", "Disbursement and data")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from harapan.reports import rules
from harapan.reports.formatting import angka, rupiah
from harapan.reports.rules import Change
from harapan.reports.sources import DOCUMENTS, FIGURES, figures_for

T0 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def t(day: int) -> dt.datetime:
    return T0 + dt.timedelta(days=day - 1)


def test_a_family_belongs_to_the_pendamping_before_its_next_change() -> None:
    """RULES.md "People and ratios": each pendamping reports on the families they accompanied."""
    changes = [Change(t(15), before=1, after=2), Change(t(25), before=2, after=3)]
    assert rules.owner_at(changes, 3, t(1)) == 1
    assert rules.owner_at(changes, 3, t(15)) == 1  # just before the change
    assert rules.owner_at(changes, 3, t(16)) == 2
    assert rules.owner_at(changes, 3, t(30)) == 3
    assert rules.owner_at([], 7, t(1)) == 7
    assert rules.owners_during(changes, 3, t(1), t(20)) == {1, 2}
    assert rules.owners_during(changes, 3, t(26), t(31)) == {3}


def test_the_default_month_is_the_last_finished_one() -> None:
    assert rules.last_finished_month(dt.date(2026, 11, 29)) == (2026, 10)
    assert rules.last_finished_month(dt.date(2026, 1, 1)) == (2025, 12)
    assert rules.month_first_last(2024, 2) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert rules.add_months(2026, 1, -1) == (2025, 12) and rules.add_months(2026, 12, 1) == (2027, 1)


@pytest.mark.parametrize(
    ("planned", "pending", "finished", "status"),
    [
        (0, 0, True, rules.TANPA_PERTEMUAN),
        (5, 2, False, rules.BERJALAN),
        (5, 0, True, rules.LENGKAP),
        (5, 1, True, rules.BELUM_LENGKAP),
    ],
)
def test_month_status_of_the_pendamping_list(planned: int, pending: int, finished: bool, status: str) -> None:
    assert rules.month_status(planned=planned, pending=pending, finished=finished) == status


def test_shares_and_ratios_round_half_up_and_never_divide_by_zero() -> None:
    assert rules.percent(1, 3) == Decimal("33.3") and rules.percent(2, 3) == Decimal("66.7")
    assert rules.percent(1, 0) is None and rules.ratio(5, 0) is None
    assert rules.ratio(36547, 102) == Decimal("358.3")
    assert rules.percent(5009, 10000, places=2) == Decimal("50.09")


def test_applying_the_material_is_a_mean_after_score_reaching_the_pass_mark() -> None:
    """RULES.md "P2K2 / FDS curriculum": share of KPM applying the material (Harapan's proxy)."""
    assert rules.applies_material(70.0, 1, pass_percent=70, min_checks=1)
    assert not rules.applies_material(69.9, 3, pass_percent=70, min_checks=1)
    assert not rules.applies_material(90.0, 1, pass_percent=70, min_checks=2)
    assert not rules.applies_material(None, 0, pass_percent=70, min_checks=1)


def test_derived_source_figures_equal_the_arithmetic_of_the_stated_ones() -> None:
    """RULES.md "People and ratios" (Trenggalek 36,547 / 102; Kalbar 179,527 / 648), "P2K2 / FDS
    curriculum" (Bondowoso 60,093 / 1,859 ≈ 32), "Components and amounts" (Kalbar tahap I)."""

    def one(key: str, seed: str, *, derived: bool | None = None) -> Decimal:
        (found,) = [f for f in figures_for(key) if f.seed == seed and (derived is None or f.derived == derived)]
        return found.value

    assert one("kpm_per_pendamping", "001") == rules.ratio(one("kpm_total", "001"), one("pendamping_total", "001"))
    assert one("kpm_per_pendamping", "004") == rules.ratio(one("kpm_total", "004"), one("pendamping_total", "004"))
    assert one("kelompok_size", "000") == rules.ratio(one("kpm_total", "000"), one("kelompok_total", "000"))
    assert one("tahap_per_kpm", "004") == rules.ratio(one("tahap_amount", "004"), one("tahap_kpm", "004"), places=0)
    assert one("kpm_per_pendamping", "003") == 195
    assert one("applying_share", "003") == Decimal("50.09")
    assert one("mandiri_per_pendamping", "003") == 10
    assert one("graduation_share", "000") == 10 and one("dana_sharing_share", "004") == 5
    assert one("dana_sharing_amount", "004") == 2_530_428_791


def test_every_source_figure_names_a_seed_document() -> None:
    assert {f.seed for f in FIGURES} <= set(DOCUMENTS)
    assert all(f.citation.startswith(f"[seed {f.seed}]") for f in FIGURES)


def test_numbers_are_written_the_indonesian_way() -> None:
    assert angka(36547) == "36.547" and angka(Decimal("94.0")) == "94,0" and angka(Decimal("1234.5")) == "1.234,5"
    assert angka(None) == "–" and rupiah(122771150000) == "Rp122.771.150.000"
