from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "harapan.groups"
    label = "groups"
    verbose_name = _("Kelompok dan beban kerja")
    # RULES.md "P2K2 / FDS curriculum" (10-30 families in sources, Bondowoso ≈ 32) and issue 3:
    # group size band and target; caseload band of families per pendamping.
    defaults: dict[str, Any] = {
        "GROUP_MIN": 10,
        "GROUP_MAX": 35,
        "GROUP_TARGET": 32,
        "CASELOAD_MIN": 150,
        "CASELOAD_MAX": 350,
    }
