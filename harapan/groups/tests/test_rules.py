"""Grouping and caseload rules (RULES.md "P2K2 / FDS curriculum": group size; issue 3: bands)."""

from __future__ import annotations

import pytest

from harapan.groups import rules

BAND = {"minimum": 10, "maximum": 35, "target": 32}


def test_no_families_no_groups() -> None:
    assert rules.split_sizes(0, **BAND) == []


@pytest.mark.parametrize("n", [1, 5, 9])
def test_small_desa_forms_one_flagged_group(n: int) -> None:
    assert rules.split_sizes(n, **BAND) == [n]
    assert rules.is_small(n, minimum=10)


def test_exactly_minimum_and_maximum_form_one_group() -> None:
    assert rules.split_sizes(10, **BAND) == [10]
    assert rules.split_sizes(35, **BAND) == [35]


def test_one_over_maximum_splits_into_two_groups_in_band() -> None:
    assert rules.split_sizes(36, **BAND) == [18, 18]


@pytest.mark.parametrize("n", [10, 11, 34, 35, 36, 40, 64, 69, 70, 71, 100, 333, 1000, 6001])
def test_every_size_inside_band_and_fewest_groups_near_target(n: int) -> None:
    sizes = rules.split_sizes(n, **BAND)
    assert sum(sizes) == n
    assert all(10 <= s <= 35 for s in sizes)
    assert max(sizes) - min(sizes) <= 1
    # near target: never more groups than rounding to the target needs, never fewer than the band allows
    assert len(sizes) == max(-(-n // 35), round(n / 32))


def test_large_desa_averages_near_target() -> None:
    sizes = rules.split_sizes(60093, **BAND)  # Bondowoso's families in one block
    assert 31 <= sum(sizes) / len(sizes) <= 33


def test_narrow_band_never_exceeds_maximum() -> None:
    sizes = rules.split_sizes(40, minimum=30, maximum=35, target=32)
    assert sum(sizes) == 40 and all(s <= 35 for s in sizes)


def test_load_status_band_edges() -> None:
    assert rules.load_status(149, min_load=150, max_load=350) == rules.UNDER
    assert rules.load_status(150, min_load=150, max_load=350) == rules.WITHIN
    assert rules.load_status(350, min_load=150, max_load=350) == rules.WITHIN
    assert rules.load_status(351, min_load=150, max_load=350) == rules.OVER


def test_greedy_balancing_keeps_loads_in_band_when_feasible() -> None:
    sizes = rules.split_sizes(1000, **BAND)  # 31 groups for 4 pendamping: 250 each on average
    result = rules.assign_groups_to_pendamping(sizes, [7, 8, 9, 10], min_load=150, max_load=350)
    assert sum(result.loads.values()) == 1000
    assert max(result.loads.values()) - min(result.loads.values()) <= 35
    assert set(result.statuses.values()) == {rules.WITHIN}
    assert len(result.pendamping_of_group) == len(sizes)


def test_balancing_starts_from_existing_loads() -> None:
    result = rules.assign_groups_to_pendamping(
        [30, 30], [1, 2], min_load=150, max_load=350, existing_loads={1: 200, 2: 100}
    )
    assert result.pendamping_of_group == [2, 2]
    assert result.loads == {1: 200, 2: 160}


def test_too_many_families_for_the_pendamping_are_reported_over() -> None:
    result = rules.assign_groups_to_pendamping([35] * 12, [1], min_load=150, max_load=350)
    assert result.statuses == {1: rules.OVER}


def test_no_pendamping_is_an_error() -> None:
    with pytest.raises(ValueError):
        rules.assign_groups_to_pendamping([10], [], min_load=150, max_load=350)
