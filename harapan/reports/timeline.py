"""Whose a family, or a group, was on a past date.

A family's pendamping and a group's pendamping are kept as the present value only; every change is
an audit event with the pendamping before and after (registry ``household_pendamping_assigned``,
groups ``household_group_assigned`` and ``kelompok_pendamping_assigned``). Read back in time order,
those events date the assignment, so a family moved to another pendamping in the middle of a month
is in each report for the part of the month it was theirs (``rules.owner_at``). Each reader is a
fixed pair of queries, whatever the number of families.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from harapan.accounts.models import Staff
from harapan.audit.models import AuditEvent
from harapan.groups.events import HOUSEHOLD_GROUP_ASSIGNED, KELOMPOK_PENDAMPING_ASSIGNED
from harapan.groups.models import Kelompok
from harapan.registry.events import HOUSEHOLD_PENDAMPING_ASSIGNED
from harapan.registry.models import Household, Member

from .rules import Change, owner_at, owners_during

HOUSEHOLD_ACTIONS = (HOUSEHOLD_PENDAMPING_ASSIGNED, HOUSEHOLD_GROUP_ASSIGNED)


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in the project's time zone (Asia/Jakarta by default)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass
class Timeline:
    """Who one family or group belonged to over time: its present owner and the dated changes."""

    pk: int
    current: int | None
    changes: list[Change] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def owner_at(self, moment: dt.datetime) -> int | None:
        return owner_at(self.changes, self.current, moment)

    def owner_on(self, day: dt.date) -> int | None:
        """Whose it was at the end of ``day`` (a flag raised the day of a move goes to the new one)."""
        return self.owner_at(local_midnight(day + dt.timedelta(days=1)))

    def owned_during(self, owner: int, start: dt.datetime, end: dt.datetime) -> bool:
        return owner in owners_during(self.changes, self.current, start, end)


def kelompok_changes(kelompok: Any, since: dt.datetime) -> dict[int, list[Change]]:
    """The changes of pendamping since ``since`` of the groups of ``kelompok`` (a queryset), by
    group id. One query."""
    ids = kelompok.annotate(pk_text=Cast("pk", CharField())).values("pk_text")
    rows = (
        AuditEvent.objects.filter(action=KELOMPOK_PENDAMPING_ASSIGNED, at__gte=since, object_id__in=ids)
        .order_by("object_id", "at", "id")
        .values_list("object_id", "at", "before", "after")
    )
    return {int(key): changes for key, changes in _changes(rows).items()}


def _changes(rows: Iterable[tuple[Any, dt.datetime, Any, Any]]) -> dict[Any, list[Change]]:
    out: dict[Any, list[Change]] = defaultdict(list)
    for key, at, before, after in rows:
        b = (before or {}).get("pendamping")
        a = (after or {}).get("pendamping")
        if b != a:  # a move between groups of one pendamping changes no pendamping
            out[key].append(Change(at=at, before=b, after=a))
    return out


def _involving(staff: Staff) -> Q:
    return Q(before__pendamping=staff.pk) | Q(after__pendamping=staff.pk)


def household_timelines(staff: Staff, since: dt.datetime) -> dict[int, Timeline]:
    """Every family that was ``staff``'s at some time from ``since`` on (its present pendamping, or
    one an assignment event since then names), with its changes since then and its carer's name and
    ID keluarga PKH in ``info``. Two queries."""
    involved = AuditEvent.objects.filter(action__in=HOUSEHOLD_ACTIONS, at__gte=since).filter(_involving(staff))
    carer = Member.objects.filter(household_id=OuterRef("pk"), is_carer=True).values("name")[:1]
    families = {
        pk: Timeline(pk=pk, current=pendamping, info={"pkh_id": pkh_id, "carer": carer_name or ""})
        for pk, pendamping, pkh_id, carer_name in Household.objects.filter(
            Q(pendamping=staff) | Q(pk__in=involved.values("household_id"))
        )
        .annotate(carer_name=Subquery(carer))
        .values_list("pk", "pendamping_id", "pkh_id", "carer_name")
    }
    rows = (
        AuditEvent.objects.filter(action__in=HOUSEHOLD_ACTIONS, at__gte=since)
        .filter(Q(household__pendamping=staff) | Q(household_id__in=involved.values("household_id")))
        .order_by("household_id", "at", "id")
        .values_list("household_id", "at", "before", "after")
    )
    for hid, changes in _changes(rows).items():
        if hid in families:
            families[hid].changes = changes
    return families


def kelompok_timelines(staff: Staff, since: dt.datetime) -> dict[int, Timeline]:
    """Every group that was ``staff``'s at some time from ``since`` on, with its changes of
    pendamping since then and its code, name, desa and whether it is active in ``info``. Two
    queries."""
    # Compared as text: casting an audit object_id to a number could fail on another action's row.
    involved = (
        AuditEvent.objects.filter(action=KELOMPOK_PENDAMPING_ASSIGNED, at__gte=since)
        .filter(_involving(staff))
        .values("object_id")
    )
    groups = {
        pk: Timeline(
            pk=pk,
            current=pendamping,
            info={"code": code, "name": name, "desa": desa, "is_active": active},
        )
        for pk, pendamping, code, name, desa, active in Kelompok.objects.annotate(pk_text=Cast("pk", CharField()))
        .filter(Q(pendamping=staff) | Q(pk_text__in=involved))
        .values_list("pk", "pendamping_id", "code", "name", "desa__name", "is_active")
    }
    if groups:
        rows = (
            AuditEvent.objects.filter(
                action=KELOMPOK_PENDAMPING_ASSIGNED, at__gte=since, object_id__in=[str(pk) for pk in groups]
            )
            .order_by("object_id", "at", "id")
            .values_list("object_id", "at", "before", "after")
        )
        for key, changes in _changes(rows).items():
            groups[int(key)].changes = changes
    return groups
