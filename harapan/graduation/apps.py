from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GraduationConfig(AppConfig):
    """Graduasi mandiri (assessment, proposal, signed statement, korkab approval) and the progress
    of both kinds of graduation against the district's target (RULES.md: Graduation). Graduasi
    alamiah itself is detected by the tahap run (``harapan.payroll.graduation``)."""

    name = "harapan.graduation"
    label = "graduation"
    verbose_name = _("Graduasi")

    # Override through settings.HARAPAN["graduation"]. Roles are accounts.Role values.
    defaults: dict[str, Any] = {
        # RULES.md "Graduation": target 10% of a district's KPM graduating.
        "TARGET_PERCENT": 10,
        # Which graduations count towards the target (both kinds, issue 4).
        "TARGET_STATUSES": ["graduasi_mandiri", "graduasi_alamiah"],
        # Readiness: the sum of the weights of the indicators met must reach this score, and every
        # indicator marked "wajib" must be met (indicators themselves are data: ReadinessIndicator).
        "READY_MIN_SCORE": 4,
        # A proposal needs the family's readiness (the latest assessment ready) and its consent
        # (graduasi mandiri is voluntary; some KPM are reluctant, RULES.md: Graduation).
        "PROPOSE_REQUIRES_READY": True,
        # An assessment older than this no longer supports a proposal.
        "ASSESSMENT_VALID_DAYS": 180,
        # Who assesses and proposes (a pendamping for their own families), and who decides (the
        # korkab of the family's kabupaten/kota, never the proposer).
        "PROPOSE_ROLES": ["pendamping"],
        "DECIDE_ROLES": ["korkab"],
        # Approval needs the statement signed by the carer, pendamping and witness, uploaded.
        "APPROVAL_REQUIRES_SIGNED_STATEMENT": True,
        # The family leaves the programme this many days after approval (the next tahap's cut-off
        # reads the status; issue 4: "leaves the payroll from the next tahap").
        "EFFECTIVE_DAYS_AFTER_APPROVAL": 1,
        # Who edits the readiness indicators.
        "INDICATOR_ROLES": ["ministry", "dinsos_kab"],
        # The signed statement's scan: a photo (JPEG/PNG) or a PDF, within this size.
        "SCAN_MAX_BYTES": 10 * 1024 * 1024,
        # Where scans are kept: never under MEDIA_ROOT; None means "private" beside MEDIA_ROOT.
        "SCAN_ROOT": None,
    }
