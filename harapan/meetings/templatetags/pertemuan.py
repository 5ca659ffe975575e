"""The family page's field-work panel (``{% family_field_work household %}``): the family's
current kelompok, its open absence flags with the meetings behind them, its attendance at held
meetings, and links to its P2K2 progress and entitlement, so the registry's page shows them
without the registry reading the groups or meetings models."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q

from harapan.groups.models import GroupMembership
from harapan.registry.models import Household

from ..models import AbsenceFlag, AbsenceFlagMeeting, Attendance, Mark, MeetingStatus

register = template.Library()


@register.inclusion_tag("meetings/_family_field_work.html", takes_context=True)
def family_field_work(context: dict[str, Any], household: Household) -> dict[str, Any]:
    membership = (
        GroupMembership.objects.filter(household=household, valid_to__isnull=True).select_related("kelompok").first()
    )
    flags = list(AbsenceFlag.objects.filter(household=household, lifted_on__isnull=True).order_by("raised_on", "pk"))
    behind: dict[int, list[Any]] = {f.pk: [] for f in flags}
    for flag_id, day in (
        AbsenceFlagMeeting.objects.filter(flag__in=flags)
        .order_by("meeting__scheduled_on")
        .values_list("flag_id", "meeting__scheduled_on")
    ):
        behind[flag_id].append(day)
    counts = Attendance.objects.filter(household=household, meeting__status=MeetingStatus.TERLAKSANA).aggregate(
        held=Count("pk"),
        hadir=Count("pk", filter=Q(mark=Mark.HADIR)),
        izin=Count("pk", filter=Q(mark=Mark.IZIN)),
        alpa=Count("pk", filter=Q(mark=Mark.ALPA)),
    )
    return {
        "household": household,
        "kelompok": membership.kelompok if membership else None,
        "flags": [(f, behind[f.pk]) for f in flags],
        "counts": counts,
        "on": context.get("on"),
    }
