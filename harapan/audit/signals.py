"""A named hook other contexts subscribe to (STYLE.md: openIMIS hooks): audit events were written.

Every change to family data writes audit events, so this one signal tells a subscriber (the
dashboards' stale marks) that something changed, and where, without it knowing every service.
It is sent inside the writer's transaction: a subscriber's own writes commit or roll back with
the change."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from .models import AuditEvent

# Sent with ``events``: the list of AuditEvent rows just saved (by ``audit_events_save`` in bulk,
# or one by one through ``AuditEvent.save()``).
audit_events_saved = Signal()


@receiver(post_save, sender=AuditEvent, dispatch_uid="audit-events-saved-single")
def _single_event_saved(sender: Any, instance: AuditEvent, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        audit_events_saved.send(sender=AuditEvent, events=[instance])
