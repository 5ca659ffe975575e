"""The readiness rule and the target arithmetic as pure functions (RULES.md: Graduation: "readiness
indicators are configurable (income above need, a running business, assets, housing, children in
school)"; "Target: 10% of a district's KPM")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from harapan.graduation.rules import Indicator, effective_date, indicator_met, readiness, share_percent, target_count

INCOME = Indicator("penghasilan", "penghasilan", Decimal(100), weight=2, required=True)
BUSINESS = Indicator("usaha", "ya_tidak")
ASSETS = Indicator("aset", "angka", Decimal(1))
HOUSE = Indicator("rumah", "ya_tidak")
ALL = [INCOME, BUSINESS, ASSETS, HOUSE]


def test_income_must_be_above_the_need_not_equal_to_it() -> None:
    assert indicator_met(INCOME, None, income=2_000_001, need=2_000_000)
    assert not indicator_met(INCOME, None, income=2_000_000, need=2_000_000)


def test_income_threshold_is_a_percent_of_the_need() -> None:
    above_120 = Indicator("p", "penghasilan", Decimal(120))
    assert not indicator_met(above_120, None, income=2_300_000, need=2_000_000)
    assert indicator_met(above_120, None, income=2_500_000, need=2_000_000)


def test_a_number_indicator_is_met_at_its_threshold() -> None:
    assert indicator_met(ASSETS, 1, income=0, need=0)
    assert not indicator_met(ASSETS, 0, income=0, need=0)
    assert not indicator_met(ASSETS, None, income=0, need=0)


def test_ready_when_the_weights_reach_the_minimum_and_required_indicators_are_met() -> None:
    answers = {"usaha": True, "aset": 2, "rumah": False}
    result = readiness(ALL, answers, income=3_000_000, need=2_000_000, min_score=4)
    assert result.score == 4 and result.met == ("penghasilan", "usaha", "aset")
    assert result.ready


def test_not_ready_below_the_minimum_score() -> None:
    result = readiness(ALL, {"usaha": True}, income=3_000_000, need=2_000_000, min_score=4)
    assert result.score == 3 and not result.ready


def test_a_missing_required_indicator_blocks_readiness_whatever_the_score() -> None:
    answers = {"usaha": True, "aset": 3, "rumah": True}
    result = readiness(ALL, answers, income=1_500_000, need=2_000_000, min_score=3)
    assert result.score == 3
    assert result.missing_required == ("penghasilan",)
    assert not result.ready


def test_the_family_leaves_the_day_after_approval_by_default() -> None:
    assert effective_date(dt.date(2025, 3, 31), days_after=1) == dt.date(2025, 4, 1)


def test_the_target_is_ten_percent_rounded_up() -> None:
    assert target_count(195, percent=10) == 20
    assert target_count(200, percent=10) == 20
    assert target_count(0, percent=10) == 0
    assert share_percent(3, 20) == Decimal("15.0")
    assert share_percent(1, 3) == Decimal("33.3")
