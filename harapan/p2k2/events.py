"""Audit events of the curriculum (STYLE.md: one function per kind of change). Curriculum
changes concern no family, so ``household`` stays empty."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

MODULE_CREATED = "p2k2_module_created"
MATERIAL_ADDED = "p2k2_material_added"
QUESTION_ADDED = "p2k2_question_added"

ACTION_LABELS = {
    MODULE_CREATED: gettext_noop("Modul P2K2 ditambahkan"),
    MATERIAL_ADDED: gettext_noop("Materi sesi ditambahkan"),
    QUESTION_ADDED: gettext_noop("Pertanyaan pengetahuan ditambahkan"),
}


def created(action: str, obj: models.Model, *, actor: Any, source: str, after: Mapping[str, Any]) -> AuditEvent:
    return audit_event(action=action, obj=obj, actor=actor, source=source, household_id=None, after=after)
