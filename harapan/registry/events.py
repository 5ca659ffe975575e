"""Audit events of the registry: one function per kind of change (STYLE.md: Saleor events)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_noop

from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event

from .models import Household, Member

HOUSEHOLD_CREATED = "household_created"
HOUSEHOLD_UPDATED = "household_updated"
HOUSEHOLD_STATUS_CHANGED = "household_status_changed"
HOUSEHOLD_PENDAMPING_ASSIGNED = "household_pendamping_assigned"
HOUSEHOLD_MOVED = "household_moved"
MEMBER_CREATED = "member_created"
MEMBER_UPDATED = "member_updated"
MEMBER_LEFT = "member_left"
FACT_RECORDED = "member_fact_recorded"

# Marked for makemessages only; pages translate them when they show them.
ACTION_LABELS = {
    HOUSEHOLD_CREATED: gettext_noop("KPM didaftarkan"),
    HOUSEHOLD_UPDATED: gettext_noop("Data KPM diubah"),
    HOUSEHOLD_STATUS_CHANGED: gettext_noop("Status KPM diubah"),
    HOUSEHOLD_PENDAMPING_ASSIGNED: gettext_noop("Pendamping ditetapkan"),
    HOUSEHOLD_MOVED: gettext_noop("KPM pindah alamat"),
    MEMBER_CREATED: gettext_noop("Anggota ditambahkan"),
    MEMBER_UPDATED: gettext_noop("Data anggota diubah"),
    MEMBER_LEFT: gettext_noop("Anggota keluar (meninggal/pindah)"),
    FACT_RECORDED: gettext_noop("Fakta anggota dicatat"),
}


def household_created(household: Household, *, actor: Any, source: str, after: Mapping[str, Any]) -> AuditEvent:
    return audit_event(
        action=HOUSEHOLD_CREATED,
        obj=household,
        actor=actor,
        source=source,
        household_id=household.pk,
        after=after,
    )


def household_updated(
    household: Household, *, actor: Any, source: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> AuditEvent:
    return audit_event(
        action=HOUSEHOLD_UPDATED,
        obj=household,
        actor=actor,
        source=source,
        household_id=household.pk,
        before=before,
        after=after,
    )


def household_status_changed(
    household: Household, *, actor: Any, source: str, before: str, after: str, reason: str
) -> AuditEvent:
    return audit_event(
        action=HOUSEHOLD_STATUS_CHANGED,
        obj=household,
        actor=actor,
        source=source,
        household_id=household.pk,
        before={"status": before},
        after={"status": after},
        note=reason,
    )


def household_pendamping_assigned(
    household: Household, *, actor: Any, source: str, before: int | None, after: int | None
) -> AuditEvent:
    return audit_event(
        action=HOUSEHOLD_PENDAMPING_ASSIGNED,
        obj=household,
        actor=actor,
        source=source,
        household_id=household.pk,
        before={"pendamping": before},
        after={"pendamping": after},
    )


def household_moved(
    household: Household, *, actor: Any, source: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> AuditEvent:
    return audit_event(
        action=HOUSEHOLD_MOVED,
        obj=household,
        actor=actor,
        source=source,
        household_id=household.pk,
        before=before,
        after=after,
    )


def member_created(member: Member, *, actor: Any, source: str, after: Mapping[str, Any]) -> AuditEvent:
    return audit_event(
        action=MEMBER_CREATED,
        obj=member,
        actor=actor,
        source=source,
        household_id=member.household_id,
        after=after,
    )


def member_updated(
    member: Member, *, actor: Any, source: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> AuditEvent:
    return audit_event(
        action=MEMBER_UPDATED,
        obj=member,
        actor=actor,
        source=source,
        household_id=member.household_id,
        before=before,
        after=after,
    )


def member_left(
    member: Member, *, actor: Any, source: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> AuditEvent:
    """A member died or moved out: presence, the date they left, and the NIK released."""
    return audit_event(
        action=MEMBER_LEFT,
        obj=member,
        actor=actor,
        source=source,
        household_id=member.household_id,
        before=before,
        after=after,
    )


def member_fact_recorded(
    member: Member, *, actor: Any, source: str, before: Mapping[str, Any], after: Mapping[str, Any]
) -> AuditEvent:
    """A dated fact of a member opened, closed or replaced (pregnancy, school enrolment, severe
    disability); ``before``/``after`` name the fact, e.g. {"sekolah": {"jenjang": "SD"}}."""
    return audit_event(
        action=FACT_RECORDED,
        obj=member,
        actor=actor,
        source=source,
        household_id=member.household_id,
        before=before,
        after=after,
    )
