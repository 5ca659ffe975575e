"""Audit events of the alumni evaluation: one function per kind of change (STYLE.md: Saleor events).
No family data changes here, so no event names a household."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

SURVEY_CREATED = "alumni_survey_created"
QUESTIONS_CHANGED = "alumni_survey_questions_changed"
SURVEY_OPENED = "alumni_survey_opened"
SURVEY_CLOSED = "alumni_survey_closed"
REMINDERS_SENT = "alumni_survey_reminders_sent"
RESPONSE_SUBMITTED = "alumni_survey_response_submitted"

ACTION_LABELS = {
    SURVEY_CREATED: gettext_noop("Survei alumni dibuat"),
    QUESTIONS_CHANGED: gettext_noop("Pertanyaan survei alumni diubah"),
    SURVEY_OPENED: gettext_noop("Survei alumni dibuka"),
    SURVEY_CLOSED: gettext_noop("Survei alumni ditutup"),
    REMINDERS_SENT: gettext_noop("Pengingat survei alumni dikirim"),
    RESPONSE_SUBMITTED: gettext_noop("Jawaban survei alumni dikirim"),
}


def survey_event(
    action: str,
    obj: Model,
    *,
    actor: Any,
    source: str = "web",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """An unsaved event about a survey (or one of its invitations); the caller saves it."""
    return audit_event(
        action=action,
        obj=obj,
        actor=actor,
        source=source,
        household_id=None,
        before=before,
        after=after,
        note=note,
    )
