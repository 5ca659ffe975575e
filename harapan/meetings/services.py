"""Planning meetings, recording attendance and raising/lifting absence flags (issue 3;
RULES.md "Sanctions (configurable ladder)", "P2K2 / FDS curriculum")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event, audit_events_save
from harapan.conf import setting
from harapan.groups.models import Kelompok
from harapan.groups.selectors import kelompok_worker
from harapan.p2k2.models import ModuleKind, Session
from harapan.p2k2.selectors import curriculum_for, kabupaten_of

from . import events, rules
from .models import AbsenceFlag, AbsenceFlagMeeting, Attendance, Mark, Meeting, MeetingStatus


def may_record(user: Any, kelompok: Kelompok) -> Staff:
    """The group's pendamping, or an operator/korkab of the group's area; PermissionDenied otherwise."""
    staff = kelompok_worker(user, kelompok)
    if staff is not None:
        return staff
    raise PermissionDenied(_("Anda tidak berwenang mencatat pertemuan kelompok ini."))


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


@transaction.atomic
def meetings_plan_year_bulk(*, kelompok_ids: Sequence[int], year: int, acting_user: Any) -> list[Meeting]:
    """One meeting a month for ``year`` for many groups at once, set-based: one query for the groups, one for
    their meetings already in ``year``, one for each group's last held session before ``year``,
    one for the curriculum, then ``bulk_create``. ``meeting_plan_year`` is this for one group.
    Returns the meetings created."""
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
    day = int(setting("meetings", "DEFAULT_DAY"))
    existing: dict[int, dict[int, int | None]] = defaultdict(dict)
    for kid, on, session_id in (
        Meeting.objects.filter(kelompok_id__in=[g.pk for g in groups], scheduled_on__year=year)
        .order_by("kelompok_id", "scheduled_on", "pk")
        .values_list("kelompok_id", "scheduled_on", "session_id")
    ):
        existing[kid].setdefault(on.month, session_id)
    sessions, after = _session_successors()
    first_by_kabupaten: dict[str | None, Session | None] = {}
    new: list[Meeting] = []
    for kelompok in groups:
        kabupaten = kabupaten_of(str(kelompok.desa_id))
        have = existing.get(kelompok.pk, {})
        last_id = kelompok.last_session_id  # type: ignore[attr-defined]
        current: Session | None = sessions.get(last_id) if last_id is not None else None
        started = current is not None
        for month in range(1, 13):
            if month in have:
                sid = have[month]
                if sid is not None:
                    current, started = sessions[sid], True
                continue
            if not started:
                if kabupaten not in first_by_kabupaten:
                    first_by_kabupaten[kabupaten] = _first_session(kelompok)
                current, started = first_by_kabupaten[kabupaten], True
            elif current is not None:
                current = after[current.pk]
            new.append(
                Meeting(
                    kelompok=kelompok,
                    session=current,
                    scheduled_on=dt.date(year, month, min(day, 28)),
                    status=MeetingStatus.DIRENCANAKAN,
                )
            )
    return Meeting.objects.bulk_create(new, batch_size=2000)


def validate_marks(marks: dict[int, tuple[str, str]]) -> dict[str, list[str]]:
    """Errors per household id (as text) for marks that cannot be saved."""
    errors: dict[str, list[str]] = {}
    valid = set(Mark.values)
    for hid, (mark, reason) in marks.items():
        if mark not in valid:
            errors[str(hid)] = [_("Pilih H, I atau A.")]
        elif mark == Mark.IZIN and not reason.strip():
            errors[str(hid)] = [_("Alasan izin wajib diisi.")]
    return errors


@transaction.atomic
def attendance_record(*, meeting: Meeting, marks: dict[int, tuple[str, str]], acting_user: Any) -> dict[str, int]:
    """Save the marks of ``meeting`` (create or update), mark it held, and re-evaluate the flags
    of its families. Returns counts per mark."""
    staff = may_record(acting_user, meeting.kelompok)
    if meeting.status == MeetingStatus.DIBATALKAN:
        raise ValidationError(_("Pertemuan ini dibatalkan; kehadiran tidak dapat dicatat."))
    errors = validate_marks(marks)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    existing = {a.household_id: a for a in Attendance.objects.filter(meeting=meeting)}
    create: list[Attendance] = []
    update: list[Attendance] = []
    for hid, (mark, reason) in marks.items():
        reason = reason.strip() if mark == Mark.IZIN else ""
        row = existing.get(hid)
        if row is None:
            create.append(Attendance(meeting=meeting, household_id=hid, mark=mark, reason=reason))
        elif (row.mark, row.reason) != (mark, reason):
            row.mark, row.reason = mark, reason
            update.append(row)
    Attendance.objects.bulk_create(create)
    Attendance.objects.bulk_update(update, ["mark", "reason"])
    audit_events_save(
        [
            audit_event(
                action=events.ATTENDANCE_RECORDED,
                obj=meeting,
                actor=acting_user,
                source=events.SOURCE,
                household_id=row.household_id,
                after={"meeting": meeting.scheduled_on.isoformat(), "mark": row.mark, "reason": row.reason},
                at=now,
            )
            for row in [*create, *update]
        ]
    )
    meeting.status = MeetingStatus.TERLAKSANA
    meeting.held_by = staff
    meeting.recorded_at = now
    meeting.save(update_fields=["status", "held_by", "recorded_at"])
    flags_evaluate(household_ids=list(marks), acting_user=acting_user)
    counts = {m: 0 for m in Mark.values}
    for mark, _reason in marks.values():
        counts[mark] += 1
    return counts


def flags_evaluate(*, household_ids: list[int], acting_user: Any) -> tuple[int, int]:
    """Raise and lift absence flags of the families, set-based: one query for their marks at held
    meetings (across every group), one for their open flags. Returns (raised, lifted)."""
    low = int(setting("meetings", "ABSENCE_THRESHOLD"))
    high = int(setting("meetings", "NON_ELIGIBLE_THRESHOLD"))
    rows = (
        Attendance.objects.filter(household_id__in=household_ids, meeting__status=MeetingStatus.TERLAKSANA)
        .order_by("household_id", "meeting__scheduled_on", "meeting_id")
        .values_list("household_id", "mark", "meeting_id", "meeting__scheduled_on")
    )
    history: dict[int, list[tuple[str, int, dt.date]]] = defaultdict(list)
    for hid, mark, meeting_id, day in rows:
        history[hid].append((mark, meeting_id, day))
    open_flags: dict[int, dict[str, AbsenceFlag]] = defaultdict(dict)
    for flag in AbsenceFlag.objects.filter(household_id__in=household_ids, lifted_on__isnull=True):
        open_flags[flag.household_id][flag.kind] = flag
    today = timezone.localdate()
    raised: list[tuple[AbsenceFlag, list[tuple[int, dt.date]]]] = []
    lifted: list[AbsenceFlag] = []
    for hid in household_ids:
        seq = history.get(hid, [])
        marks = [m for m, _i, _d in seq]
        behind = [(seq[i][1], seq[i][2]) for i in rules.trailing_alpa_positions(marks)]
        due = rules.flags_due(len(behind), absence_threshold=low, non_eligible_threshold=high)
        have = open_flags.get(hid, {})
        for kind in sorted(due - set(have)):
            raised.append((AbsenceFlag(household_id=hid, kind=kind, raised_on=today), behind))
        for kind in sorted(set(have) - due):
            flag = have[kind]
            flag.lifted_on = today
            lifted.append(flag)
    AbsenceFlag.objects.bulk_create([f for f, _b in raised])
    AbsenceFlagMeeting.objects.bulk_create(
        [AbsenceFlagMeeting(flag=f, meeting_id=mid) for f, behind in raised for mid, _d in behind]
    )
    AbsenceFlag.objects.bulk_update(lifted, ["lifted_on"])
    lifted_dates: dict[int, list[str]] = defaultdict(list)
    for flag_id, day in (
        AbsenceFlagMeeting.objects.filter(flag__in=[f.pk for f in lifted])
        .order_by("meeting__scheduled_on")
        .values_list("flag_id", "meeting__scheduled_on")
    ):
        lifted_dates[flag_id].append(day.isoformat())
    audit: list[AuditEvent] = [
        audit_event(
            action=events.ABSENCE_FLAG_RAISED,
            obj=f,
            actor=acting_user,
            source=events.SOURCE,
            household_id=f.household_id,
            after={"kind": f.kind, "meetings": [d.isoformat() for _m, d in behind]},
        )
        for f, behind in raised
    ]
    audit += [
        audit_event(
            action=events.ABSENCE_FLAG_LIFTED,
            obj=f,
            actor=acting_user,
            source=events.SOURCE,
            household_id=f.household_id,
            before={"kind": f.kind, "raised_on": f.raised_on.isoformat()},
            after={"lifted_on": today.isoformat(), "meetings": lifted_dates.get(f.pk, [])},
        )
        for f in lifted
    ]
    audit_events_save(audit)
    return len(raised), len(lifted)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, acting_user: Any, note: str = "") -> Meeting:
    """Cancel a planned meeting; a cancelled meeting counts for no one."""
    may_record(acting_user, meeting.kelompok)
    if meeting.status == MeetingStatus.TERLAKSANA:
        raise ValidationError(_("Pertemuan yang sudah terlaksana tidak dapat dibatalkan."))
    meeting.status = MeetingStatus.DIBATALKAN
    meeting.save(update_fields=["status"])
    audit_event(
        action=events.MEETING_CANCELLED,
        obj=meeting,
        actor=acting_user,
        source=events.SOURCE,
        household_id=None,
        after={"status": meeting.status},
        note=note,
    ).save()
    return meeting
