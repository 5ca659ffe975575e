"""Audit events of training: one name per kind of change (STYLE.md: Saleor events). Training
changes no family data, so the events carry no household."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

PROGRAMME_CREATED = "training_programme_created"
COHORT_CREATED = "training_cohort_created"
COHORT_STARTED = "training_cohort_started"
COHORT_FINISHED = "training_cohort_finished"
QUOTA_SET = "training_quota_set"
PARTICIPANT_NOMINATED = "training_participant_nominated"
PARTICIPANT_DECIDED = "training_participant_decided"
PARTICIPANT_WITHDRAWN = "training_participant_withdrawn"
TEST_SUBMITTED = "training_test_submitted"
POST_GRADED = "training_post_graded"
ATTENDANCE_RECORDED = "training_live_attendance_recorded"
TOPIC_SET = "training_forum_topic_set"

ACTION_LABELS = {
    PROGRAMME_CREATED: gettext_noop("Program diklat dibuat"),
    COHORT_CREATED: gettext_noop("Angkatan diklat dibuat"),
    COHORT_STARTED: gettext_noop("Angkatan diklat dimulai"),
    COHORT_FINISHED: gettext_noop("Angkatan diklat diselesaikan"),
    QUOTA_SET: gettext_noop("Kuota angkatan ditetapkan"),
    PARTICIPANT_NOMINATED: gettext_noop("Pendamping dinominasikan untuk diklat"),
    PARTICIPANT_DECIDED: gettext_noop("Nominasi peserta diklat diputuskan"),
    PARTICIPANT_WITHDRAWN: gettext_noop("Peserta diklat mengundurkan diri"),
    TEST_SUBMITTED: gettext_noop("Tes diklat dikirim"),
    POST_GRADED: gettext_noop("Tulisan forum dinilai"),
    ATTENDANCE_RECORDED: gettext_noop("Kehadiran sesi langsung dicatat"),
    TOPIC_SET: gettext_noop("Topik forum ditetapkan"),
}


def training_event(
    action: str,
    obj: Model,
    *,
    actor: Any,
    source: str = "web",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """An unsaved audit event of a training change (save it, or bulk-save many)."""
    return audit_event(
        action=action, obj=obj, actor=actor, source=source, household_id=None, before=before, after=after, note=note
    )
