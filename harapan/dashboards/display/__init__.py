"""The figures as a dashboard shows them: cards, charts (with their table), and the columns of the
children table and of the export. Ratios are divided here, from their stored numerator and
denominator; targets come from configuration (graduation TARGET_PERCENT, payroll
DANA_SHARING_TARGET_PERCENT, groups CASELOAD_MIN/MAX, dashboards NORM_REFERENCE)."""

from __future__ import annotations

from .base import NORM_LABELS, Periods, in_programme, norm_status, percent
from .cards import Card, cards
from .charts import Chart, charts
from .columns import COLUMNS, Column, columns_for

__all__ = [
    "COLUMNS",
    "NORM_LABELS",
    "Card",
    "Chart",
    "Column",
    "Periods",
    "cards",
    "charts",
    "columns_for",
    "in_programme",
    "norm_status",
    "percent",
]
