from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Dashboards (dasbor) at kecamatan, kabupaten, provinsi and national level and the pendamping's
    own: precomputed figures kept consistent with the records through the audit trail (issue 5)."""

    name = "harapan.dashboards"
    label = "dashboards"
    verbose_name = _("Dasbor")

    # Override through settings.HARAPAN["dashboards"].
    defaults: dict[str, Any] = {
        # Families in the programme per pendamping (RULES.md "People and ratios": Banjarmasin 2019
        # ≈195 KPM per pendamping, most 150-200; Kalbar 2023 179,527 / 648 ≈ 277; Trenggalek 2018
        # 36,547 / 102 ≈ 358). The band is the one groups balance caseloads with (groups
        # CASELOAD_MIN/MAX, read by ``metrics.caseload_band``): a pendamping outside it is flagged;
        # NORM_REFERENCE is shown beside the ratio.
        "NORM_REFERENCE": 195,
        # Years of monthly and tahap figures kept: this year and the one before.
        "YEARS_KEPT": 2,
        # Months shown in the monthly charts (ending with the current month).
        "MONTHS_SHOWN": 12,
        # A kecamatan's pendamping shown a page at a time (hundreds at a million families); the
        # exports hold them all.
        "PENDAMPING_PER_PAGE": 50,
        # A dashboard read refreshes the changes marked inside what it shows while their cost (families
        # under the marked region times the weight of the sections: components and attendance 1,
        # commitments 0.5, payments 0.2) stays within this; larger changes go to the background task.
        "SYNC_REFRESH_MAX_COST": 30_000,
        # ... and at most this many separate refreshes (after merging marks) in one read.
        "SYNC_REFRESH_MAX_ITEMS": 12,
        # More stale desas than this in one kecamatan are refreshed as the whole kecamatan.
        "DESA_MERGE": 8,
    }

    def ready(self) -> None:
        from . import stale  # noqa: F401  (connects the receivers that mark figures stale)
