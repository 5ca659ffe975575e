"""Audit events of graduation: one function per kind of change (STYLE.md: Saleor events). The
status change itself is the registry's ``household_status_changed``, written by its service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

ASSESSMENT_RECORDED = "graduation_assessment_recorded"
PROPOSAL_SUBMITTED = "graduation_proposal_submitted"
STATEMENT_UPLOADED = "graduation_statement_uploaded"
PROPOSAL_DECIDED = "graduation_proposal_decided"
PROPOSAL_CANCELLED = "graduation_proposal_cancelled"
INDICATOR_UPDATED = "graduation_indicator_updated"

ACTION_LABELS = {
    ASSESSMENT_RECORDED: gettext_noop("Penilaian kesiapan graduasi dicatat"),
    PROPOSAL_SUBMITTED: gettext_noop("Graduasi mandiri diusulkan"),
    STATEMENT_UPLOADED: gettext_noop("Surat pernyataan graduasi diunggah"),
    PROPOSAL_DECIDED: gettext_noop("Usulan graduasi diputuskan"),
    PROPOSAL_CANCELLED: gettext_noop("Usulan graduasi dibatalkan"),
    INDICATOR_UPDATED: gettext_noop("Indikator kesiapan graduasi diubah"),
}


def graduation_event(
    action: str,
    obj: Model,
    *,
    household_id: int,
    actor: Any,
    source: str = "web",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    return audit_event(
        action=action,
        obj=obj,
        actor=actor,
        source=source,
        household_id=household_id,
        before=before,
        after=after,
        note=note,
    )


def indicator_updated(
    indicator: Model, *, actor: Any, before: Mapping[str, Any], after: Mapping[str, Any]
) -> AuditEvent:
    return audit_event(
        action=INDICATOR_UPDATED,
        obj=indicator,
        actor=actor,
        source="web",
        household_id=None,
        before=before,
        after=after,
    )
