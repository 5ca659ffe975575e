"""Reading meetings and meeting places inside the user's scope (groups.selectors.kelompok_list and
accounts.scope are the rules), and the warnings a plan shows (RULES.md "P2K2 / FDS curriculum")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.accounts.scope import region_prefix, staff_of
from harapan.groups.models import Kelompok
from harapan.groups.selectors import kelompok_list
from harapan.p2k2.models import ModuleKind, Session

from . import rules
from .models import LAYAK_Q, Attendance, Meeting, MeetingStatus, Venue
from .services.meetings import meeting_minutes


def meeting_list(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(kelompok__in=kelompok_list(user).values("pk")).select_related(
        "kelompok", "kelompok__desa", "session", "venue_place"
    )


def meetings_upcoming(user: Any, *, days_back: int = 7) -> QuerySet[Meeting]:
    """Today's and upcoming meetings of the user's groups (and the last week's, to catch up)."""
    since = timezone.localdate() - dt.timedelta(days=days_back)
    return (
        meeting_list(user)
        .filter(scheduled_on__gte=since)
        .exclude(status=MeetingStatus.DIBATALKAN)
        .order_by("scheduled_on", "start_time", "kelompok__code")
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


def kelompok_year_meetings(kelompok: Kelompok, year: int) -> QuerySet[Meeting]:
    """The group's meetings of ``year`` (cancelled ones too), in date and time order."""
    return (
        Meeting.objects.filter(kelompok=kelompok, scheduled_on__year=year)
        .select_related("session", "session__module", "venue_place")
        .order_by("scheduled_on", "start_time", "pk")
    )


def pendamping_month_meetings(staff: Staff, year: int, month: int) -> QuerySet[Meeting]:
    """Every meeting of the pendamping's groups in one month, in date and time order."""
    return (
        Meeting.objects.filter(kelompok__pendamping=staff, scheduled_on__year=year, scheduled_on__month=month)
        .select_related("kelompok", "kelompok__desa", "session", "venue_place")
        .order_by("scheduled_on", "start_time", "kelompok__code")
    )


def pendamping_groups_without_meeting(staff: Staff, year: int, month: int) -> QuerySet[Kelompok]:
    """The pendamping's active groups with no meeting (other than cancelled) in the month."""
    met = Meeting.objects.filter(scheduled_on__year=year, scheduled_on__month=month).exclude(
        status=MeetingStatus.DIBATALKAN
    )
    return (
        Kelompok.objects.filter(pendamping=staff, is_active=True)
        .exclude(pk__in=met.values("kelompok_id"))
        .order_by("code")
    )


def month_clashes(meetings: Sequence[Meeting]) -> dict[int, Meeting]:
    """For each meeting that overlaps an earlier one of the same list on the same day, that
    earlier meeting (a pendamping cannot lead both)."""
    by_day: dict[dt.date, list[Meeting]] = defaultdict(list)
    out: dict[int, Meeting] = {}
    for m in meetings:
        if m.status == MeetingStatus.DIBATALKAN:
            continue
        for earlier in by_day[m.scheduled_on]:
            if rules.times_overlap(
                earlier.start_time, meeting_minutes(earlier.session), m.start_time, meeting_minutes(m.session)
            ):
                out[m.pk] = earlier
                break
        by_day[m.scheduled_on].append(m)
    return out


def _teaching_position(session: Session) -> tuple[str, tuple[int, int]]:
    module = session.module
    if module.kind == ModuleKind.INTI:
        return "inti", (module.order, session.order)
    return f"module-{module.pk}", (0, session.order)


def _session_label(session: Session) -> str:
    return _("sesi %(session)s (modul %(module)s)") % {"session": session, "module": session.module.title}


def meeting_warnings(meetings: Sequence[Meeting], *, families: int) -> dict[int, list[str]]:
    """What a plan should point out per meeting (RULES.md "P2K2 / FDS curriculum"): a place that
    is not layak (with the criteria it lacks) or smaller than the group's ``families``; a session
    taught out of teaching order; a second meeting in one month. ``meetings`` are one group's, in
    date order; cancelled ones are skipped."""
    out: dict[int, list[str]] = defaultdict(list)
    live = [m for m in meetings if m.status != MeetingStatus.DIBATALKAN]
    for m in live:
        place = m.venue_place
        if place is not None:
            if not place.is_layak:
                out[m.pk].append(
                    _("Tempat belum layak: tidak %(criteria)s.") % {"criteria": ", ".join(place.failed_criteria)}
                )
            if rules.venue_too_small(place.capacity, families):
                out[m.pk].append(
                    _("Kapasitas tempat %(capacity)d orang, kurang dari %(families)d KPM kelompok.")
                    % {"capacity": place.capacity, "families": families}
                )
    sequence = [_teaching_position(m.session) if m.session is not None else None for m in live]
    for i, j in rules.teaching_order_breaks(sequence):
        earlier, later = live[i], live[j]
        assert earlier.session is not None and later.session is not None
        out[later.pk].append(
            _("Tidak urut: %(later)s dijadwalkan setelah %(earlier)s pada %(day)s.")
            % {
                "later": _session_label(later.session),
                "earlier": _session_label(earlier.session),
                "day": earlier.scheduled_on.strftime("%d-%m-%Y"),
            }
        )
    seen: dict[tuple[int, int], Meeting] = {}
    for m in live:
        key = (m.scheduled_on.year, m.scheduled_on.month)
        if key in seen:
            out[m.pk].append(
                _("Sudah ada pertemuan lain bulan ini (%(day)s); satu pertemuan sebulan dianjurkan.")
                % {"day": seen[key].scheduled_on.strftime("%d-%m-%Y")}
            )
        else:
            seen[key] = m
    return dict(out)


def venue_list(user: Any) -> QuerySet[Venue]:
    """Places in the user's working area (a pendamping: their kecamatan)."""
    staff = staff_of(user)
    if staff is None:
        return Venue.objects.none()
    qs = Venue.objects.select_related("desa", "desa__parent")
    area = region_prefix(staff)
    return qs if area is None else qs.filter(desa__code__startswith=area + ".")


def venue_get(user: Any, pk: int) -> Venue:
    venue = venue_list(user).filter(pk=pk).first()
    if venue is None:
        raise Http404(_("Tempat pertemuan tidak ditemukan."))
    return venue


def venues_for_kelompok(kelompok: Kelompok, *, include_unfit: bool = False, keep: int | None = None) -> list[Venue]:
    """Active places of the group's kecamatan, its own desa first: the layak ones, or all with
    ``include_unfit``; the place ``keep`` (the meeting's current one) is always in the list."""
    offered = Q(desa__code__startswith=kelompok.kecamatan_code + ".", is_active=True)
    if not include_unfit:
        offered &= LAYAK_Q
    if keep:
        offered |= Q(pk=keep)
    qs = Venue.objects.filter(offered)
    own_desa = Case(When(desa_id=kelompok.desa_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(qs.select_related("desa").annotate(own=own_desa).order_by("own", "desa__name", "name"))
