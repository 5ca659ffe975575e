from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports (laporan): the pendamping's monthly report generated from what was recorded, and the
    district profile that sets the database's figures beside the figures the sources quote
    (RULES.md: "People and ratios", "P2K2 / FDS curriculum", "Graduation", "Disbursement and
    data"; issue 5). Override through ``settings.HARAPAN["reports"]``."""

    name = "harapan.reports"
    label = "reports"
    verbose_name = _("Laporan")

    defaults: dict[str, Any] = {
        # Who reads the monthly reports of the pendamping in their area (a pendamping always reads
        # their own, and only their own).
        "MONTHLY_READER_ROLES": ["korkab", "supervisor", "dinsos_kab", "dinsos_prov", "ministry"],
        # Who reads the district profile (a kabupaten/kota inside their area).
        "PROFILE_ROLES": ["korkab", "supervisor", "dinsos_kab", "dinsos_prov", "ministry"],
        # RULES.md "P2K2 / FDS curriculum", measures of success: "share of KPM applying the
        # material". Harapan measures it from the knowledge checks: a family counts when the mean of
        # its after-session scores reaches this share of the questions (percent)...
        "APPLYING_PASS_PERCENT": 70,
        # ...over at least this many sessions it sat the after-session check of...
        "APPLYING_MIN_CHECKS": 1,
        # ...within this many months up to the profile's date.
        "APPLYING_WINDOW_MONTHS": 12,
        # The earliest year the month picker offers.
        "FIRST_YEAR": 2018,
    }
