"""Graduation rules as pure functions: readiness from the indicators, the effective date, and the
progress against the target (RULES.md: Graduation). Numbers come from the indicators (data) and
the ``graduation`` configuration, never literals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Indicator:
    """The parts of a ReadinessIndicator the rule reads."""

    code: str
    kind: str  # "ya_tidak", "angka", "penghasilan"
    threshold: Decimal | None = None
    weight: int = 1
    required: bool = False


@dataclass(frozen=True)
class Readiness:
    score: int
    min_score: int
    met: tuple[str, ...]
    missing_required: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return self.score >= self.min_score and not self.missing_required


def indicator_met(indicator: Indicator, answer: Any, *, income: int, need: int) -> bool:
    """Whether one indicator is met. Yes/no: the answer is yes. Number: the answer reaches the
    threshold. Income: the monthly income is above the monthly need taken at the threshold's
    percent ("income above need", RULES.md: Graduation; threshold 100 = above the need itself)."""
    if indicator.kind == "penghasilan":
        percent = indicator.threshold if indicator.threshold is not None else Decimal(100)
        return Decimal(income) * 100 > Decimal(need) * percent
    if indicator.kind == "angka":
        if answer in (None, "") or indicator.threshold is None:
            return False
        return Decimal(str(answer)) >= indicator.threshold
    return answer is True


def readiness(
    indicators: Sequence[Indicator], answers: Mapping[str, Any], *, income: int, need: int, min_score: int
) -> Readiness:
    """A family is ready for graduasi mandiri when the weights of the indicators it meets reach
    ``min_score`` and every required indicator is met (RULES.md: Graduation: "readiness indicators
    are configurable: income above need, a running business, assets, housing, children in school")."""
    met = [i for i in indicators if indicator_met(i, answers.get(i.code), income=income, need=need)]
    met_codes = {i.code for i in met}
    return Readiness(
        score=sum(i.weight for i in met),
        min_score=min_score,
        met=tuple(i.code for i in met),
        missing_required=tuple(i.code for i in indicators if i.required and i.code not in met_codes),
    )


def effective_date(approved_on: dt.date, *, days_after: int) -> dt.date:
    """The family leaves the programme ``days_after`` days after approval, so the next tahap's
    cut-off no longer finds it in the programme (issue 4: "leaves the payroll from the next tahap")."""
    return approved_on + dt.timedelta(days=days_after)


def target_count(base: int, *, percent: int | Decimal) -> int:
    """Graduations needed to reach the target: ``percent`` of the KPM, rounded up (RULES.md:
    Graduation, "Target: 10% of a district's KPM")."""
    if base <= 0:
        return 0
    whole, rest = divmod(base * Decimal(percent), 100)
    return int(whole) + (1 if rest else 0)


def share_percent(graduated: int, base: int) -> Decimal:
    """Graduated families as a percentage of the KPM, one decimal."""
    if base <= 0:
        return Decimal(0)
    return (Decimal(graduated) * 100 / base).quantize(Decimal("0.1"))
