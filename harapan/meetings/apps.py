from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "harapan.meetings"
    label = "meetings"
    verbose_name = _("Pertemuan kelompok dan kehadiran")
    # RULES.md "Sanctions (configurable ladder)" and issue 3: consecutive unexcused absences (alpa)
    # at held group meetings before a suspension flag, and before a proposal of non-eligibility.
    defaults: dict[str, Any] = {
        "ABSENCE_THRESHOLD": 3,
        "NON_ELIGIBLE_THRESHOLD": 6,
        # RULES.md "P2K2 / FDS curriculum": one meeting a month per group (~2 hours); a pendamping with
        # several groups holds several a month. A year's plan puts each group of a pendamping on its
        # own working day from DEFAULT_DAY on, at DEFAULT_START_TIME.
        "DEFAULT_DAY": 10,
        "DEFAULT_START_TIME": "09:00",
        "MEETING_MINUTES": 120,
        "MEETING_WEEKDAYS": [0, 1, 2, 3, 4],  # Monday-Friday
    }
