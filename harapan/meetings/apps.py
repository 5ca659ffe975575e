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
        "DEFAULT_DAY": 10,
    }
