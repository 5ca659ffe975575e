"""Writing the figures: refresh the desas under a region prefix, then roll their figures up.

``figures_refresh(prefixes)`` recomputes, for the desas under each prefix, the figures of the
sections asked (``compute.desa_cells``: one GROUP BY per kind of record), replaces their rows and
the rows of their cells (desa × pendamping), then recomputes from stored rows:

1. each pendamping touched: the sum of their cells, plus whether they are active and their
   caseload against the norm (section ``staf``);
2. each kecamatan: the sum of its desas, plus the sum of its pendamping's ``staf`` rows;
3. each kabupaten: the sum of its kecamatan, plus its dana sharing against the target (``dana``);
4. each province, then the nation: the sum of its children.

A prefix is refreshed in one transaction; a province or the nation in one transaction per
kabupaten, so a long refresh never holds the database for long. Refreshes take one lock
(PostgreSQL advisory lock; SQLite serialises writers itself), so two never write the same rows.

Staleness (``StaleArea``): the audit trail marks the desas and regions a change touched
(``stale.py``). ``stale_refresh_for(prefix)``, called by every dashboard read, refreshes the marks
inside what the read shows when they are small enough (``SYNC_REFRESH_MAX_COST``), and leaves
larger ones to the background task; ``figures_refresh_all`` (the nightly command) refreshes
everything and clears every mark older than its start.
"""

from __future__ import annotations

from .areas import ALL, ancestors, covers, expand, kind_of, metrics_q, parent_code, window_today
from .marks import (
    Freshness,
    WorkItem,
    day_refresh_queue,
    estimate,
    mark_stale,
    plan,
    related_marks,
    stale_queue,
    stale_refresh_for,
    stale_refresh_pending,
)
from .refresh import RefreshStats, figures_refresh, figures_refresh_all, kabupaten_with_data, marks_clear

__all__ = [
    "ALL",
    "Freshness",
    "RefreshStats",
    "WorkItem",
    "ancestors",
    "covers",
    "day_refresh_queue",
    "estimate",
    "expand",
    "figures_refresh",
    "figures_refresh_all",
    "kabupaten_with_data",
    "kind_of",
    "mark_stale",
    "marks_clear",
    "metrics_q",
    "parent_code",
    "plan",
    "related_marks",
    "stale_queue",
    "stale_refresh_for",
    "stale_refresh_pending",
    "window_today",
]
