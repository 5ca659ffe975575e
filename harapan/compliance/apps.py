from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """Commitment verification and the sanction ladder (RULES.md "Obligations (conditionalities)",
    "Sanctions (configurable ladder)"; issue 4). Which obligations exist, per component and age
    band, is data (``Obligation``, loaded from ``catalogue.py``); the numbers below are the rule's
    configuration. Override through ``settings.HARAPAN["compliance"]``."""

    name = "harapan.compliance"
    label = "compliance"
    verbose_name = _("Verifikasi komitmen dan sanksi")

    defaults: dict[str, Any] = {
        # RULES.md "Obligations": school age, attending >= 85% of effective school days each month.
        "SCHOOL_ATTENDANCE_MIN_PERCENT": 85,
        # Which absences of the school form (FORMATS.md §4.2: ALPA, IZIN, SAKIT) count against the
        # effective days. The form's JML is their sum, so all three by default.
        "SCHOOL_ABSENCES_COUNTED": ["alpa", "izin", "sakit"],
        # A KET remark with one of these words means the pupil is no longer enrolled (case-insensitive).
        "SCHOOL_NOT_ENROLLED_WORDS": ["tidak terdaftar", "putus sekolah", "drop out", "keluar sekolah"],
        # RULES.md "Obligations": >= 4 antenatal checks over the pregnancy. When a visit count is
        # given, it is checked against the visits due by the end of the pregnancy month m:
        # [m, visits] pairs (K1 in trimester 1, K2 in trimester 2, K3+K4 in trimester 3; inferred).
        "ANC_SCHEDULE": [[3, 1], [6, 2], [9, 4]],
        # Postnatal checks: 4 within 42 days (later guidance; 2 in the 2007 rules): [day after
        # delivery, visits due by then] (KF1-KF4; inferred).
        "NIFAS_SCHEDULE": [[2, 1], [7, 2], [28, 3], [42, 4]],
        # Vitamin A is given in the February and August campaign months (twice a year).
        "VITAMIN_A_MONTHS": [2, 8],
        # Yearly obligations (health check of the elderly and the severely disabled, social
        # activity) are verified once a year, in this month.
        "YEARLY_CHECK_MONTH": 12,
        # P2K2: hadir is met, alpa is not; izin counts as met (RULES.md "Sanctions": the absence
        # that counts is the unexcused one).
        "P2K2_IZIN_MET": True,
        # RULES.md "Sanctions (configurable ladder)": warning -> suspension -> cancellation, as
        # consecutive months in which the family did not meet a commitment.
        "WARNING_AFTER": 1,
        "SUSPENSION_AFTER": 3,
        "CANCELLATION_AFTER": 6,
        # The meetings app's absence flags feed the ladder: penangguhan is a suspension,
        # usul_non_eligible a proposal of cancellation.
        "P2K2_FLAGS_FEED_LADDER": True,
        # A cancellation (non-eligible) takes effect only when one of these roles confirms it.
        "CANCELLATION_NEEDS_CONFIRMATION": True,
        "CONFIRM_ROLES": ["korkab", "dinsos_kab"],
        # A suspension holds payment; the payment is released when the family is compliant again
        # within the same window of months (3 = the tahap quarter: Jan-Mar, Apr-Jun, ...).
        "HOLD_RELEASE_WINDOW_MONTHS": 3,
        # Who may do what (accounts.Role values); every one of them only inside their scope.
        "RECORD_ROLES": ["pendamping", "operator", "korkab"],
        "IMPORT_ROLES": ["pendamping", "operator", "korkab", "dinsos_kab"],
        "EVALUATE_ROLES": ["operator", "korkab", "dinsos_kab"],
        # Families per transaction when evaluating an area.
        "CHUNK_SIZE": 2000,
        "REJECTS_PER_PAGE": 100,
    }
