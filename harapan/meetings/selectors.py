"""Reading meetings inside the user's scope (groups.selectors.kelompok_list is the rule)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.groups.selectors import kelompok_list

from .models import Attendance, Meeting, MeetingStatus


def meeting_list(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(kelompok__in=kelompok_list(user).values("pk")).select_related(
        "kelompok", "kelompok__desa", "session"
    )


def meetings_upcoming(user: Any, *, days_back: int = 7) -> QuerySet[Meeting]:
    """Today's and upcoming meetings of the user's groups (and the last week's, to catch up)."""
    since = timezone.localdate() - dt.timedelta(days=days_back)
    return (
        meeting_list(user)
        .filter(scheduled_on__gte=since)
        .exclude(status=MeetingStatus.DIBATALKAN)
        .order_by("scheduled_on", "kelompok__code")
    )


def meeting_get(user: Any, pk: int) -> Meeting:
    try:
        return meeting_list(user).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404(_("Pertemuan tidak ditemukan.")) from None


def meeting_marks(meeting: Meeting) -> dict[int, tuple[str, str]]:
    return {
        hid: (mark, reason)
        for hid, mark, reason in Attendance.objects.filter(meeting=meeting).values_list(
            "household_id", "mark", "reason"
        )
    }
