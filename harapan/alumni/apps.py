from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlumniConfig(AppConfig):
    """Alumni evaluation (evaluasi alumni) of facilitator training: a questionnaire sent to the
    alumni of a programme some months after it, answered from a link on a phone, with reminders,
    and a report that sets each self-reported figure beside the same figure computed from what the
    pendamping recorded in Harapan (RULES.md "People and ratios": Facilitator training, "later
    evaluation by questionnaire (718 of 1,142 alumni answered)"; seed 003)."""

    name = "harapan.alumni"
    label = "alumni"
    verbose_name = _("Evaluasi alumni")

    # Override through settings.HARAPAN["alumni"]. Roles are accounts.Role values.
    defaults: dict[str, Any] = {
        # Who creates, opens, closes and reminds surveys: a training centre for its own
        # programmes/cohorts, the ministry for all.
        "MANAGE_ROLES": ["balai_diklat", "ministry"],
        # Roles that see the report limited to the alumni of their own kabupaten/kota.
        "AREA_REPORT_ROLES": ["korkab"],
        # Reminders: at most this many per invitation, and not twice within this many days.
        "REMINDER_MAX": 3,
        "REMINDER_MIN_DAYS": 3,
        # A new survey's reference period (the months whose recorded work is compared): the whole
        # calendar months before it opens.
        "REFERENCE_MONTHS": 6,
        # How long a new survey stays open by default.
        "OPEN_DAYS": 30,
        # The address the answer links in emails and WhatsApp messages start with, when no request
        # gives it (the scheduled ``survey-remind`` command).
        "BASE_URL": "http://localhost:8000",
        # The longest text answer kept.
        "TEXT_ANSWER_MAX": 2000,
        # Bins of the distributions in the report: lower edges per figure (the last bin is open).
        # Seed 003: "secara umum mendampingi KPM sebanyak 150 sampai dengan 200 KPM".
        "DISTRIBUTION_EDGES": {
            "caseload": [0, 100, 150, 200, 250, 300],
            "graduasi_mandiri": [0, 1, 5, 10, 15, 20],
            "p2k2_meetings_per_month": [0, 1, 3, 5, 7, 10],
            "attendance_rate": [0, 50, 60, 70, 80, 90],
            "modules_in_order": [0, 50, 100],
            "applying_share": [0, 25, 50, 75],
        },
    }
