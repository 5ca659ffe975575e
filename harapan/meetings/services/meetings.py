"""Planning a group's year of meetings, editing and cancelling a planned one (issue 3; RULES.md
"P2K2 / FDS curriculum": one meeting a month per group, sessions in teaching order, at an agreed
place and time; a pendamping with several groups holds several meetings a month)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.audit.services import audit_event, audit_events_save, diff, snapshot
from harapan.conf import setting
from harapan.groups.models import Kelompok
from harapan.groups.selectors import kelompok_worker
from harapan.p2k2.models import ModuleKind, Session
from harapan.p2k2.selectors import curriculum_for, kabupaten_of

from .. import events, rules
from ..models import Meeting, MeetingStatus, Venue, default_start_time


def may_record(user: Any, kelompok: Kelompok) -> Staff:
    """The group's pendamping, or an operator/korkab of the group's area; PermissionDenied otherwise."""
    staff = kelompok_worker(user, kelompok)
    if staff is not None:
        return staff
    raise PermissionDenied(_("Anda tidak berwenang mencatat pertemuan kelompok ini."))


def meeting_minutes(session: Session | None) -> int:
    """How long a meeting lasts: its session's duration, else the configured length (~2 hours)."""
    if session is not None and session.duration_minutes:
        return int(session.duration_minutes)
    return int(setting("meetings", "MEETING_MINUTES"))


def _first_session(kelompok: Kelompok) -> Session | None:
    for module in curriculum_for(str(kelompok.desa_id)):
        sessions = list(module.sessions.all())
        if sessions:
            return sessions[0]
    return None


@transaction.atomic
def meeting_plan_year(*, kelompok: Kelompok, year: int, acting_user: Any) -> list[Meeting]:
    """One meeting a month for ``year`` (idempotent per month), sessions in teaching order from
    the group's last held session. Returns the meetings created."""
    may_record(acting_user, kelompok)
    return meetings_plan_year_bulk(kelompok_ids=[kelompok.pk], year=year, acting_user=acting_user)


def _session_successors() -> tuple[dict[int, Session], dict[int, Session | None]]:
    """Every session by id, and the session taught after each one, as ``next_session_after``
    decides it (one query for the whole curriculum)."""
    sessions = list(Session.objects.select_related("module"))
    by_id = {s.pk: s for s in sessions}
    after: dict[int, Session | None] = {}
    for s in sessions:
        module = s.module
        candidates = [
            c
            for c in sessions
            if (c.module_id == module.pk and c.order > s.order)
            or (
                module.kind == ModuleKind.INTI
                and c.module.kind == ModuleKind.INTI
                and c.module.is_active
                and c.module.order > module.order
            )
        ]
        after[s.pk] = min(candidates, key=lambda c: (c.module.order, c.order), default=None)
    return by_id, after


def _pendamping_slots(pendamping_ids: set[int]) -> dict[int, int]:
    """Each active group's place among its pendamping's active groups (by code): the working day
    it gets in a plan, so a pendamping's groups do not all meet on one day."""
    slots: dict[int, int] = {}
    counts: dict[int, int] = defaultdict(int)
    for pid, kid in (
        Kelompok.objects.filter(pendamping_id__in=pendamping_ids, is_active=True)
        .order_by("pendamping_id", "code", "pk")
        .values_list("pendamping_id", "pk")
    ):
        slots[kid] = counts[pid]
        counts[pid] += 1
    return slots


@transaction.atomic
def meetings_plan_year_bulk(*, kelompok_ids: Sequence[int], year: int, acting_user: Any) -> list[Meeting]:
    """One meeting a month for ``year`` for many groups at once, set-based: one query for the groups, one for
    their meetings already in ``year``, one for each group's last held session before ``year``,
    one for the curriculum, one for their pendamping's groups and one for their pendamping's
    meeting days, then ``bulk_create`` and one audit event per group planned.
    ``meeting_plan_year`` is this for one group. Returns the meetings created.

    A month that already has a meeting (even a cancelled one) is left as it is. Each group of a
    pendamping gets its own working day (rules.plan_day), at the configured start time."""
    last_held = (
        Meeting.objects.filter(
            kelompok=OuterRef("pk"),
            status=MeetingStatus.TERLAKSANA,
            session__isnull=False,
            scheduled_on__lt=dt.date(year, 1, 1),
        )
        .order_by("-scheduled_on", "-pk")
        .values("session_id")[:1]
    )
    groups = list(
        Kelompok.objects.filter(pk__in=list(kelompok_ids)).annotate(last_session_id=Subquery(last_held)).order_by("pk")
    )
    for kelompok in groups:
        may_record(acting_user, kelompok)
    first_day = int(setting("meetings", "DEFAULT_DAY"))
    weekdays = set(setting("meetings", "MEETING_WEEKDAYS"))
    start = default_start_time()
    months_taken: dict[int, set[int]] = defaultdict(set)
    # The session a month already teaches; a cancelled meeting taught nothing.
    taught: dict[int, dict[int, int]] = defaultdict(dict)
    for kid, on, session_id, status in (
        Meeting.objects.filter(kelompok_id__in=[g.pk for g in groups], scheduled_on__year=year)
        .order_by("kelompok_id", "scheduled_on", "pk")
        .values_list("kelompok_id", "scheduled_on", "session_id", "status")
    ):
        months_taken[kid].add(on.month)
        if session_id is not None and status != MeetingStatus.DIBATALKAN:
            taught[kid].setdefault(on.month, session_id)
    pendamping_ids = {g.pendamping_id for g in groups if g.pendamping_id is not None}
    slots = _pendamping_slots(pendamping_ids)
    busy: dict[int, set[dt.date]] = defaultdict(set)
    for pid, on in (
        Meeting.objects.filter(kelompok__pendamping_id__in=pendamping_ids, scheduled_on__year=year)
        .exclude(status=MeetingStatus.DIBATALKAN)
        .values_list("kelompok__pendamping_id", "scheduled_on")
    ):
        busy[pid].add(on)
    sessions, after = _session_successors()
    first_by_kabupaten: dict[str | None, Session | None] = {}
    new: list[Meeting] = []
    for kelompok in groups:
        kabupaten = kabupaten_of(str(kelompok.desa_id))
        last_id = kelompok.last_session_id  # type: ignore[attr-defined]
        current: Session | None = sessions.get(last_id) if last_id is not None else None
        started = current is not None
        days = busy[kelompok.pendamping_id] if kelompok.pendamping_id is not None else set()
        for month in range(1, 13):
            if month in months_taken[kelompok.pk]:
                sid = taught[kelompok.pk].get(month)
                if sid is not None:
                    current, started = sessions[sid], True
                continue
            if not started:
                if kabupaten not in first_by_kabupaten:
                    first_by_kabupaten[kabupaten] = _first_session(kelompok)
                current, started = first_by_kabupaten[kabupaten], True
            elif current is not None:
                current = after[current.pk]
            day = rules.plan_day(
                year, month, slot=slots.get(kelompok.pk, 0), busy=days, first_day=first_day, weekdays=weekdays
            )
            days.add(day)
            new.append(
                Meeting(
                    kelompok=kelompok,
                    session=current,
                    scheduled_on=day,
                    start_time=start,
                    status=MeetingStatus.DIRENCANAKAN,
                )
            )
    created = Meeting.objects.bulk_create(new, batch_size=2000)
    by_group: dict[int, list[Meeting]] = defaultdict(list)
    for m in created:
        by_group[m.kelompok_id].append(m)
    audit_events_save(
        [
            audit_event(
                action=events.MEETINGS_PLANNED,
                obj=kelompok,
                actor=acting_user,
                source=events.SOURCE,
                household_id=None,
                after={"year": year, "dates": [m.scheduled_on.isoformat() for m in by_group[kelompok.pk]]},
            )
            for kelompok in groups
            if by_group.get(kelompok.pk)
        ]
    )
    return created


EDITABLE_FIELDS = ["scheduled_on", "start_time", "session", "venue_place", "venue"]


def _meeting_state(meeting: Meeting) -> dict[str, Any]:
    state = snapshot(meeting, ["scheduled_on", "session", "venue_place", "venue"])
    state["start_time"] = meeting.start_time.strftime("%H:%M")
    return state


def _clash(meeting: Meeting, *, on: dt.date, start: dt.time, session: Session | None) -> Meeting | None:
    """Another meeting, of any group of this group's pendamping, that overlaps ``on`` at ``start``."""
    pendamping_id = meeting.kelompok.pendamping_id
    if pendamping_id is None:
        return None
    others = (
        Meeting.objects.filter(kelompok__pendamping_id=pendamping_id, scheduled_on=on)
        .exclude(pk=meeting.pk)
        .exclude(status=MeetingStatus.DIBATALKAN)
        .select_related("kelompok", "session")
        .order_by("start_time", "pk")
    )
    minutes = meeting_minutes(session)
    for other in others:
        if rules.times_overlap(start, minutes, other.start_time, meeting_minutes(other.session)):
            return other
    return None


def _lock(meeting: Meeting) -> None:
    """Lock the meeting's row and re-read it (the caller's object stays the one that changes)."""
    list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True))
    meeting.refresh_from_db()


def _end(start: dt.time, minutes: int) -> str:
    return (dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)).strftime("%H:%M")


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    acting_user: Any,
    scheduled_on: dt.date,
    start_time: dt.time,
    session: Session | None,
    venue_place: Venue | None,
    venue: str = "",
    note: str = "",
) -> Meeting:
    """Change a planned meeting's date, start time, session and place.

    Refused (ValidationError naming the field) when: the meeting is no longer planned; the date
    leaves the plan's year; the group already meets that day; the group's pendamping holds
    another meeting overlapping that date and time (the error names the other group); the
    session is not in the curriculum taught in the group's kabupaten; the place is not an
    active place of the group's kecamatan. Teaching a module out of order, a place not (yet)
    layak or too small are allowed: ``selectors.meeting_warnings`` shows them."""
    may_record(acting_user, meeting.kelompok)
    kelompok = meeting.kelompok
    if kelompok.pendamping_id is not None:
        # One edit at a time per pendamping, so two edits cannot both pass the clash check.
        list(Staff.objects.select_for_update().filter(pk=kelompok.pendamping_id).values_list("pk", flat=True))
    _lock(meeting)
    if meeting.status != MeetingStatus.DIRENCANAKAN:
        raise ValidationError(_("Hanya pertemuan yang masih direncanakan yang dapat diubah."))
    errors: dict[str, list[str]] = defaultdict(list)
    year = meeting.scheduled_on.year
    if scheduled_on.year != year:
        errors["scheduled_on"].append(_("Tanggal harus di dalam tahun %(year)d.") % {"year": year})
    elif (
        Meeting.objects.filter(kelompok=kelompok, scheduled_on=scheduled_on)
        .exclude(pk=meeting.pk)
        .exclude(status=MeetingStatus.DIBATALKAN)
        .exists()
    ):
        errors["scheduled_on"].append(
            _("Kelompok ini sudah punya pertemuan pada %(day)s.") % {"day": scheduled_on.strftime("%d-%m-%Y")}
        )
    if session is not None:
        allowed = {s.pk for module in curriculum_for(str(kelompok.desa_id)) for s in module.sessions.all()}
        if session.pk not in allowed:
            errors["session"].append(_("Sesi ini tidak termasuk kurikulum kabupaten kelompok ini."))
    if venue_place is not None and (
        not venue_place.is_active or not str(venue_place.desa_id).startswith(kelompok.kecamatan_code + ".")
    ):
        errors["venue_place"].append(_("Pilih tempat pertemuan di kecamatan kelompok ini."))
    if "scheduled_on" not in errors:
        other = _clash(meeting, on=scheduled_on, start=start_time, session=session)
        if other is not None:
            minutes = meeting_minutes(other.session)
            errors["start_time"].append(
                _(
                    "Bentrok: pendamping sudah memandu kelompok %(name)s (%(code)s) pada %(day)s "
                    "pukul %(start)s–%(end)s. Pilih jam atau tanggal lain."
                )
                % {
                    "name": other.kelompok.name,
                    "code": other.kelompok.code,
                    "day": other.scheduled_on.strftime("%d-%m-%Y"),
                    "start": other.start_time.strftime("%H:%M"),
                    "end": _end(other.start_time, minutes),
                }
            )
    if errors:
        raise ValidationError(dict(errors))
    before = _meeting_state(meeting)
    meeting.scheduled_on = scheduled_on
    meeting.start_time = start_time.replace(second=0, microsecond=0)
    meeting.session = session
    meeting.venue_place = venue_place
    meeting.venue = venue.strip()[:200]
    meeting.save(update_fields=EDITABLE_FIELDS)
    changed_before, changed_after = diff(before, _meeting_state(meeting))
    if changed_after:
        audit_event(
            action=events.MEETING_UPDATED,
            obj=meeting,
            actor=acting_user,
            source=events.SOURCE,
            household_id=None,
            before=changed_before,
            after=changed_after,
            note=note,
        ).save()
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, acting_user: Any, note: str = "") -> Meeting:
    """Cancel a planned meeting, keeping why; a cancelled meeting counts for no one, and a held
    one cannot be cancelled."""
    may_record(acting_user, meeting.kelompok)
    _lock(meeting)
    if meeting.status == MeetingStatus.TERLAKSANA:
        raise ValidationError(_("Pertemuan yang sudah terlaksana tidak dapat dibatalkan."))
    if meeting.status == MeetingStatus.DIBATALKAN:
        return meeting
    meeting.status = MeetingStatus.DIBATALKAN
    meeting.cancel_reason = note.strip()[:300]
    meeting.save(update_fields=["status", "cancel_reason"])
    audit_event(
        action=events.MEETING_CANCELLED,
        obj=meeting,
        actor=acting_user,
        source=events.SOURCE,
        household_id=None,
        before={"status": MeetingStatus.DIRENCANAKAN.value},
        after={"status": meeting.status},
        note=note,
    ).save()
    return meeting
