"""Audit events of the curriculum and the knowledge checks (STYLE.md: one function per kind of
change). Curriculum changes concern no family, so their ``household`` stays empty; a knowledge
check belongs to one family."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

from .models import KnowledgeCheck

MODULE_CREATED = "p2k2_module_created"
MATERIAL_ADDED = "p2k2_material_added"
QUESTION_ADDED = "p2k2_question_added"
MATERIAL_REMOVED = "p2k2_material_removed"
QUESTION_REMOVED = "p2k2_question_removed"
KNOWLEDGE_CHECK_RECORDED = "p2k2_knowledge_check_recorded"
KNOWLEDGE_CHECK_REMOVED = "p2k2_knowledge_check_removed"

ACTION_LABELS = {
    MODULE_CREATED: gettext_noop("Modul P2K2 ditambahkan"),
    MATERIAL_ADDED: gettext_noop("Materi sesi ditambahkan"),
    QUESTION_ADDED: gettext_noop("Pertanyaan pengetahuan ditambahkan"),
    MATERIAL_REMOVED: gettext_noop("Materi sesi dihapus"),
    QUESTION_REMOVED: gettext_noop("Pertanyaan pengetahuan dihapus"),
    KNOWLEDGE_CHECK_RECORDED: gettext_noop("Nilai cek pengetahuan dicatat"),
    KNOWLEDGE_CHECK_REMOVED: gettext_noop("Nilai cek pengetahuan dihapus"),
}


def created(action: str, obj: models.Model, *, actor: Any, source: str, after: Mapping[str, Any]) -> AuditEvent:
    return audit_event(action=action, obj=obj, actor=actor, source=source, household_id=None, after=after)


def removed(action: str, obj: models.Model, *, actor: Any, source: str, before: Mapping[str, Any]) -> AuditEvent:
    return audit_event(action=action, obj=obj, actor=actor, source=source, household_id=None, before=before)


def knowledge_check_changed(
    action: str,
    check: KnowledgeCheck,
    *,
    actor: Any,
    source: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    at: dt.datetime,
) -> AuditEvent:
    """A family's before/after score at one meeting recorded, changed or removed."""
    return audit_event(
        action=action,
        obj=check,
        actor=actor,
        source=source,
        household_id=check.household_id,
        before=before,
        after=after,
        at=at,
    )
