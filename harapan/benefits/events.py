"""Audit events of the benefit index: one function per kind of change (STYLE.md: Saleor events).
They concern no family, so ``household_id`` is empty."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

from .models import BenefitIndex, HardToReachRegion

BENEFIT_INDEX_CREATED = "benefit_index_created"
BENEFIT_INDEX_UPDATED = "benefit_index_updated"
BENEFIT_INDEX_CLOSED = "benefit_index_closed"
HARD_TO_REACH_ADDED = "hard_to_reach_added"
HARD_TO_REACH_ENDED = "hard_to_reach_ended"

ACTION_LABELS = {
    BENEFIT_INDEX_CREATED: gettext_noop("Versi indeks bantuan dibuat"),
    BENEFIT_INDEX_UPDATED: gettext_noop("Versi indeks bantuan yang belum berlaku diubah"),
    BENEFIT_INDEX_CLOSED: gettext_noop("Versi indeks bantuan ditutup"),
    HARD_TO_REACH_ADDED: gettext_noop("Daerah sulit dijangkau ditetapkan"),
    HARD_TO_REACH_ENDED: gettext_noop("Penetapan daerah sulit dijangkau diakhiri"),
}


def benefit_index_created(index: BenefitIndex, *, actor: Any, source: str, after: Mapping[str, Any]) -> AuditEvent:
    return audit_event(
        action=BENEFIT_INDEX_CREATED, obj=index, actor=actor, source=source, household_id=None, after=after
    )


def benefit_index_updated(
    index: BenefitIndex, *, actor: Any, source: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> AuditEvent:
    return audit_event(
        action=BENEFIT_INDEX_UPDATED,
        obj=index,
        actor=actor,
        source=source,
        household_id=None,
        before=before,
        after=after,
    )


def benefit_index_closed(
    index: BenefitIndex, *, actor: Any, source: str, before: dt.date | None, by: BenefitIndex
) -> AuditEvent:
    return audit_event(
        action=BENEFIT_INDEX_CLOSED,
        obj=index,
        actor=actor,
        source=source,
        household_id=None,
        before={"valid_to": before.isoformat() if before else None},
        after={"valid_to": index.valid_to.isoformat() if index.valid_to else None},
        note=f"diganti oleh {by.name}",
    )


def hard_to_reach_added(area: HardToReachRegion, *, actor: Any, source: str, after: Mapping[str, Any]) -> AuditEvent:
    return audit_event(action=HARD_TO_REACH_ADDED, obj=area, actor=actor, source=source, household_id=None, after=after)


def hard_to_reach_ended(area: HardToReachRegion, *, actor: Any, source: str) -> AuditEvent:
    return audit_event(
        action=HARD_TO_REACH_ENDED,
        obj=area,
        actor=actor,
        source=source,
        household_id=None,
        before={"valid_to": None},
        after={"valid_to": area.valid_to.isoformat() if area.valid_to else None},
    )
