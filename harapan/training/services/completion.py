"""Finishing a cohort: the completion rule decides lulus / tidak lulus for every confirmed
participant at once, and each who completed gets a certificate number (RULES.md "People and
ratios": Facilitator training)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.scope import staff_of

from .. import events
from ..models import Cohort, CohortStatus, Participant, ParticipantStatus
from ..selectors import cohort_completions
from .access import may_manage_cohort


def certificate_number(cohort: Cohort, serial: int) -> str:
    """The certificate number: centre code / programme / angkatan / serial / year, e.g.
    ``BBPPKS-YOGYAKARTA/P2/ANGK-10/007/2026``."""
    return (
        f"{cohort.centre.code.upper()}/P{cohort.programme_id}/ANGK-{cohort.number}/{serial:03d}/{cohort.ends_on.year}"
    )


@transaction.atomic
def cohort_finish(*, cohort: Cohort, acting_user: Any, on: dt.date | None = None) -> dict[str, int]:
    """ "Selesaikan angkatan": each confirmed participant becomes lulus when the completion rule is
    met, tidak lulus otherwise, with the posttest average kept as the final score; the lulus get
    certificate numbers in name order. Nominations never confirmed are left as they are.
    Set-based: one bulk update. Returns the counts."""
    cohort = Cohort.objects.select_for_update().select_related("programme", "centre").get(pk=cohort.pk)
    if not may_manage_cohort(acting_user, cohort):
        raise PermissionDenied(_("Hanya balai diklat penyelenggara yang menyelesaikan angkatan."))
    if cohort.status in (CohortStatus.FINISHED, CohortStatus.CANCELLED):
        raise ValidationError(_("Angkatan ini sudah selesai atau dibatalkan."))
    on = on or timezone.localdate()
    participants = list(
        Participant.objects.filter(cohort=cohort, status=ParticipantStatus.CONFIRMED)
        .select_related("staff")
        .order_by("staff__full_name", "pk")
    )
    results = cohort_completions(cohort, participants)
    serial = 0
    for p in participants:
        result = results[p.pk]
        p.final_score = result.posttest_average
        if result.completed:
            serial += 1
            p.status = ParticipantStatus.PASSED
            p.completed_on = on
            p.certificate_number = certificate_number(cohort, serial)
        else:
            p.status = ParticipantStatus.FAILED
    Participant.objects.bulk_update(participants, ["status", "final_score", "completed_on", "certificate_number"])
    cohort.status = CohortStatus.FINISHED
    cohort.finished_at = timezone.now()
    cohort.finished_by = staff_of(acting_user)
    cohort.save(update_fields=["status", "finished_at", "finished_by"])
    counts = {"lulus": serial, "tidak_lulus": len(participants) - serial}
    events.training_event(events.COHORT_FINISHED, cohort, actor=acting_user, after=counts).save()
    return counts
