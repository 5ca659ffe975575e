"""Writing audit events. Each context names its own events in ``events.py`` and calls these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from .models import AuditEvent
from .signals import audit_events_saved


def jsonable(value: Any) -> Any:
    """A JSON-safe form of a model field value (dates as ISO text, decimals as text)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Values of ``fields`` of ``instance`` (foreign keys as their id) in JSON-safe form."""
    out: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = jsonable(getattr(instance, attname))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The changed keys only, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def audit_event(
    *,
    action: str,
    obj: models.Model,
    actor: Any,
    source: str,
    household_id: int | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Build (unsaved) one audit event; save it, or pass many to ``audit_events_save``."""
    actor_id = getattr(actor, "pk", None) if actor is not None and actor.is_authenticated else None
    return AuditEvent(
        at=at or timezone.now(),
        actor_id=actor_id,
        source=source,
        action=action,
        household_id=household_id,
        object_type=obj._meta.model_name or "",
        object_id=str(obj.pk),
        before=dict(before or {}),
        after=dict(after or {}),
        note=note[:500],
    )


def audit_events_save(events: list[AuditEvent], batch_size: int = 5000) -> None:
    """Write many events at once, then tell subscribers (``signals.audit_events_saved``)."""
    if not events:
        return
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    audit_events_saved.send(sender=AuditEvent, events=events)
