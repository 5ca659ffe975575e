"""Recording many meetings at once, set-based (issue 3; RULES.md "Sanctions (configurable
ladder)"): the bulk path beside ``services.attendance_record`` and ``services.meeting_cancel``, equal
to them meeting by meeting — the same marks, held meetings, audit events and absence flags.

Meetings are taken in date order, one *date* at a time (one transaction each). The marks of every
meeting held that day are written in chunks (new marks with one ``executemany`` a chunk, changed
ones with ``bulk_update``) with their audit events (``audit_events_save``), the meetings are marked
held, then ``services.flags_evaluate`` runs, in chunks, for the families whose flags that day can
change. Evaluating after each date keeps the rule chronological: a family absent three
times and present at the fourth meeting gets its flag raised after the third and lifted at the
fourth, exactly as if each meeting had been recorded on the phone.

Which families are evaluated: ``attendance_record`` evaluates every family it marks; here only
those whose flags can change are — a family marked ``alpa`` (its run may grow), a family whose
earlier mark was changed (an old ``hadir`` turned ``izin`` can join two runs), and a family with an
open flag (``hadir`` lifts it). A new ``hadir`` or ``izin`` of a family without an open flag never
raises one. This holds because every recording path evaluates the flags of what it writes; after a
change of the thresholds, run ``flags_evaluate`` over all families once.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_event, audit_events_save
from harapan.groups.selectors import kelompok_worker

from . import events
from .models import AbsenceFlag, Attendance, Mark, Meeting, MeetingStatus
from .services import flags_evaluate, may_record, validate_marks

T = TypeVar("T")
# Ids per ``IN (...)`` list: well under SQLite's variable limit, small enough for PostgreSQL plans.
ID_CHUNK = 2000


@dataclass(frozen=True)
class MeetingMarks:
    """One held meeting as its recorder typed it: household id -> (mark, reason).

    ``meeting`` carries its ``kelompok``; ``by`` (with its ``user``) led and recorded the meeting:
    it becomes ``held_by`` and the actor of the attendance audit events, as the acting user's staff
    record does in ``attendance_record``. ``recorded_at`` is when it was recorded."""

    meeting: Meeting
    marks: Mapping[int, tuple[str, str]]
    by: Staff
    recorded_at: dt.datetime


@dataclass(frozen=True)
class MeetingCancel:
    """One planned meeting cancelled by ``by`` (with its ``user``), with an optional note."""

    meeting: Meeting
    by: Staff
    note: str = ""


@dataclass
class BulkRecordResult:
    meetings: int = 0
    dates: int = 0
    marks: Counter[str] = field(default_factory=Counter)  # per mark, as given (like attendance_record)
    rows_written: int = 0  # attendance rows created or changed
    evaluated: int = 0  # family evaluations by flags_evaluate (a family once per date)
    raised: int = 0
    lifted: int = 0


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Permissions:
    """Who may act for which group, each group checked once (kelompok_worker is the rule)."""

    def __init__(self, acting_user: Any) -> None:
        self.acting_user = acting_user
        self.checked: set[tuple[int, int]] = set()

    def check(self, meeting: Meeting, by: Staff) -> None:
        kelompok = meeting.kelompok
        key = (kelompok.pk, by.pk)
        if key in self.checked:
            return
        may_record(self.acting_user, kelompok)
        if kelompok_worker(by.user, kelompok) is None:
            raise PermissionDenied(_("Anda tidak berwenang mencatat pertemuan kelompok ini."))
        self.checked.add(key)


def attendance_record_bulk(
    *,
    records: Iterable[MeetingMarks],
    acting_user: Any,
    source: str = events.SOURCE,
    chunk_size: int = 20_000,
    flags_chunk_size: int = ID_CHUNK,
) -> BulkRecordResult:
    """Save the marks of many meetings (create or update), mark them held by their recorder, write
    one audit event per created or changed mark, and raise/lift absence flags date by date.

    ``records`` must come in meeting date order (a generator is fine: one date is held in memory at
    a time); each date is one transaction. ``acting_user`` must be allowed to record for every
    group (``services.may_record``), and so must each record's ``by``. Flags are evaluated by
    ``acting_user``. Raises ``ValueError`` when the dates go backwards, ``ValidationError`` for a
    cancelled meeting or an invalid mark (nothing of that date is written)."""
    result = BulkRecordResult()
    permissions = _Permissions(acting_user)
    previous: dt.date | None = None
    for day, same_day in itertools.groupby(records, key=lambda r: r.meeting.scheduled_on):
        if previous is not None and day <= previous:
            raise ValueError(f"Meetings must come in date order: {day} after {previous}.")
        previous = day
        _record_day(
            list(same_day),
            permissions=permissions,
            acting_user=acting_user,
            source=source,
            chunk_size=chunk_size,
            flags_chunk_size=flags_chunk_size,
            result=result,
        )
    if result.rows_written:
        planner_statistics_refresh()
    return result


def planner_statistics_refresh() -> None:
    """Refresh the query planner's statistics of the attendance tables after a bulk load.

    Without statistics SQLite reads a family's history (``flags_evaluate``) through the meeting
    status index — every held meeting of the database, seconds per call once there are a few
    hundred thousand marks — instead of the household index (a tenth of a second for 2,000
    families). ``ANALYZE`` takes a fraction of a second; PostgreSQL's autovacuum would do it later,
    but a long bulk load needs the statistics before its own next query."""
    with connection.cursor() as cursor:
        for model in (Attendance, Meeting, AbsenceFlag):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return connection.ops.quote_name(field.column)


def _attendance_insert(rows: list[tuple[int, int, str, str]]) -> None:
    """INSERT new marks (meeting, household, mark, reason) with one ``executemany``: ids and text
    need no preparation, and building a model instance per mark would cost more than the insert."""
    if not rows:
        return
    qn = connection.ops.quote_name
    columns = ", ".join(_column(Attendance, name) for name in ("meeting", "household", "mark", "reason"))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {qn(Attendance._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)", rows)


def _meetings_mark_held(rows: list[tuple[int, int, dt.datetime]]) -> None:
    """Mark meetings (id, held_by, recorded_at) held with one ``executemany``: every meeting has its
    own recorder and time, which a queryset ``update`` could only set one meeting at a time."""
    qn = connection.ops.quote_name
    status, held_by, recorded_at, pk = (_column(Meeting, n) for n in ("status", "held_by", "recorded_at", "id"))
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {qn(Meeting._meta.db_table)} SET {status} = %s, {held_by} = %s, {recorded_at} = %s WHERE {pk} = %s",
            [(MeetingStatus.TERLAKSANA.value, staff_id, adapt(at), pk) for pk, staff_id, at in rows],
        )


@transaction.atomic
def _record_day(
    day: list[MeetingMarks],
    *,
    permissions: _Permissions,
    acting_user: Any,
    source: str,
    chunk_size: int,
    flags_chunk_size: int,
    result: BulkRecordResult,
) -> None:
    for record in day:
        permissions.check(record.meeting, record.by)
        if record.meeting.status == MeetingStatus.DIBATALKAN:
            raise ValidationError(_("Pertemuan ini dibatalkan; kehadiran tidak dapat dicatat."))
        errors = validate_marks(dict(record.marks))
        if errors:
            raise ValidationError(errors)

    to_evaluate: set[int] = set()
    marked: set[int] = set()
    creates: list[tuple[int, int, str, str]] = []
    audit: list[AuditEvent] = []

    def flush() -> None:
        _attendance_insert(creates)
        audit_events_save(audit)
        result.rows_written += len(creates)
        creates.clear()
        audit.clear()

    for batch in chunked(day, 500):
        existing: dict[tuple[int, int], tuple[int, str, str]] = {
            (meeting_id, hid): (pk, mark, reason)
            for pk, meeting_id, hid, mark, reason in Attendance.objects.filter(
                meeting_id__in=[r.meeting.pk for r in batch]
            ).values_list("pk", "meeting_id", "household_id", "mark", "reason")
        }
        updates: list[Attendance] = []
        for record in batch:
            meeting, actor = record.meeting, record.by.user
            on = meeting.scheduled_on.isoformat()
            for hid, (mark, reason) in record.marks.items():
                reason = reason.strip() if mark == Mark.IZIN else ""
                result.marks[mark] += 1
                marked.add(hid)
                row = existing.get((meeting.pk, hid))
                if row is None:
                    creates.append((meeting.pk, hid, mark, reason))
                elif (row[1], row[2]) != (mark, reason):
                    updates.append(
                        Attendance(pk=row[0], meeting_id=meeting.pk, household_id=hid, mark=mark, reason=reason)
                    )
                    to_evaluate.add(hid)
                else:
                    continue
                if mark == Mark.ALPA:
                    to_evaluate.add(hid)
                audit.append(
                    audit_event(
                        action=events.ATTENDANCE_RECORDED,
                        obj=meeting,
                        actor=actor,
                        source=source,
                        household_id=hid,
                        after={"meeting": on, "mark": mark, "reason": reason},
                        at=record.recorded_at,
                    )
                )
            if len(creates) >= chunk_size:
                flush()
        Attendance.objects.bulk_update(updates, ["mark", "reason"], batch_size=1000)
        result.rows_written += len(updates)
    flush()

    _meetings_mark_held([(r.meeting.pk, r.by.pk, r.recorded_at) for r in day])
    for r in day:
        r.meeting.status, r.meeting.held_by_id, r.meeting.recorded_at = MeetingStatus.TERLAKSANA, r.by.pk, r.recorded_at
    result.meetings += len(day)
    result.dates += 1

    if result.dates == 1:
        planner_statistics_refresh()
    open_flags = set(AbsenceFlag.objects.filter(lifted_on__isnull=True).values_list("household_id", flat=True))
    to_evaluate |= marked & open_flags
    for ids in chunked(sorted(to_evaluate), flags_chunk_size):
        raised, lifted = flags_evaluate(household_ids=list(ids), acting_user=acting_user)
        result.raised += raised
        result.lifted += lifted
    result.evaluated += len(to_evaluate)


@transaction.atomic
def meetings_cancel_bulk(
    *, cancellations: Sequence[MeetingCancel], acting_user: Any, source: str = events.SOURCE
) -> int:
    """Cancel many planned meetings, as ``services.meeting_cancel`` does one: a held meeting cannot
    be cancelled, one already cancelled is left alone; the note is kept as the cancel reason; one
    audit event each, by its ``by``. Returns the number cancelled."""
    permissions = _Permissions(acting_user)
    todo: list[MeetingCancel] = []
    for c in cancellations:
        permissions.check(c.meeting, c.by)
        if c.meeting.status == MeetingStatus.TERLAKSANA:
            raise ValidationError(_("Pertemuan yang sudah terlaksana tidak dapat dibatalkan."))
        if c.meeting.status != MeetingStatus.DIBATALKAN:
            todo.append(c)
    by_reason: dict[str, list[int]] = defaultdict(list)
    for c in todo:
        by_reason[c.note.strip()[:300]].append(c.meeting.pk)
    for reason, pks in by_reason.items():
        for ids in chunked(pks, ID_CHUNK):
            Meeting.objects.filter(pk__in=ids).update(status=MeetingStatus.DIBATALKAN, cancel_reason=reason)
    audit: list[AuditEvent] = []
    for c in todo:
        c.meeting.status = MeetingStatus.DIBATALKAN
        c.meeting.cancel_reason = c.note.strip()[:300]
        audit.append(
            audit_event(
                action=events.MEETING_CANCELLED,
                obj=c.meeting,
                actor=c.by.user,
                source=source,
                household_id=None,
                before={"status": MeetingStatus.DIRENCANAKAN.value},
                after={"status": c.meeting.status},
                note=c.note,
            )
        )
    audit_events_save(audit)
    return len(todo)
