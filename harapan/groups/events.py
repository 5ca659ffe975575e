"""Audit events of groups: one function per kind of change (STYLE.md: Saleor events)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event
from harapan.registry.models import Household

from .models import Kelompok

HOUSEHOLD_GROUP_ASSIGNED = "household_group_assigned"
KELOMPOK_PENDAMPING_ASSIGNED = "kelompok_pendamping_assigned"

ACTION_LABELS = {
    HOUSEHOLD_GROUP_ASSIGNED: gettext_noop("Kelompok KPM ditetapkan"),
    KELOMPOK_PENDAMPING_ASSIGNED: gettext_noop("Pendamping kelompok ditetapkan"),
}


def household_group_assigned(
    household_id: int,
    *,
    actor: Any,
    source: str,
    before_kelompok: str | None,
    after_kelompok: str | None,
    before_pendamping: int | None,
    after_pendamping: int | None,
    note: str = "",
) -> AuditEvent:
    """A family put into a group (or moved); ``kelompok`` values are group codes."""
    return audit_event(
        action=HOUSEHOLD_GROUP_ASSIGNED,
        obj=Household(pk=household_id),
        actor=actor,
        source=source,
        household_id=household_id,
        before={"kelompok": before_kelompok, "pendamping": before_pendamping},
        after={"kelompok": after_kelompok, "pendamping": after_pendamping},
        note=note,
    )


def kelompok_pendamping_assigned(
    kelompok: Kelompok, *, actor: Any, source: str, before: int | None, after: int | None
) -> AuditEvent:
    return audit_event(
        action=KELOMPOK_PENDAMPING_ASSIGNED,
        obj=kelompok,
        actor=actor,
        source=source,
        household_id=None,
        before={"pendamping": before},
        after={"pendamping": after},
    )
