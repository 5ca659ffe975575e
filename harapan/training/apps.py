from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Facilitator training (diklat): programmes, cohorts (angkatan) with quotas per kabupaten,
    e-learning sessions with pre/post tests, graded forums and live sessions, completion and
    certificates (RULES.md "People and ratios": Facilitator training, seed 001, 003)."""

    name = "harapan.training"
    label = "training"
    verbose_name = _("Diklat")

    # Override through settings.HARAPAN["training"]. Roles are accounts.Role values.
    # Per-programme rules (pass mark, questions per test, forum minimum ...) live on Programme;
    # these are the defaults a new programme starts from.
    defaults: dict[str, Any] = {
        # Seed 001: "pelaksanaannya selama 10 Hari" (FDS e-learning, angkatan 10).
        "DEFAULT_DURATION_DAYS": 10,
        # Lesson hours (jam pelajaran) printed on the certificate for a programme of the default length.
        "DEFAULT_HOURS": 60,
        "DEFAULT_PASS_MARK": 70,
        "DEFAULT_QUESTIONS_PER_TEST": 5,
        # Seed 001: "Semua peserta harus terlibat aktif dalam diskusi" (per session with a topic).
        "DEFAULT_MIN_FORUM_POSTS": 1,
        # Who nominates pendamping for a cohort's quota of their kabupaten/kota.
        "NOMINATE_ROLES": ["korkab"],
        # A participant not yet meeting the completion rule is "at risk" once the cohort ends
        # within this many days (beside being behind schedule, a low average, missing posts).
        "AT_RISK_DAYS_LEFT": 3,
    }
