"""The pendamping's monthly report (*laporan bulanan*), generated from what was recorded, never typed
(RULES.md "People and ratios": monthly P2K2 and PKH reports to the korkab and Dinas Sosial; issue 5).

``monthly_report(staff, year, month)`` reads each section with set-based aggregates: a fixed number
of queries whatever the number of families. Whose a family was is dated (``timeline``): a family
moved to another pendamping in the month counts, for each dated thing (a flag raised, an update
submitted, a grievance opened), with the pendamping it had that day; monthly things (commitment
records, status at the month's end) go with the pendamping it had at the month's end. A meeting
goes with its group's pendamping on the meeting's day.

Rules read, each where it is applied: attendance (RULES.md "P2K2 / FDS curriculum": attendance
rate = hadir over everyone marked, ``p2k2.rules.attendance_rate``); absence (RULES.md "Sanctions
(configurable ladder)": the absence that counts is alpa; izin is no absence, and meets the P2K2
commitment when ``compliance.P2K2_IZIN_MET``); a cancelled meeting counts for no one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from harapan.accounts.models import Staff
from harapan.conf import setting
from harapan.groups.models import GroupMembership
from harapan.meetings.models import Attendance, Mark, Meeting, MeetingStatus
from harapan.p2k2.models import KnowledgeCheck
from harapan.regions.models import Region
from harapan.registry.models import IN_PROGRAMME, HouseholdStatus, HouseholdStatusPeriod

from .. import rules
from ..timeline import household_timelines, kelompok_timelines, local_midnight
from .families import MonthFamilies, Periods, local_day
from .sections import (
    compliance_section,
    flags_section,
    graduation_proposals,
    grievances_section,
    referrals_section,
    sanctions_section,
    updates_section,
)
from .shapes import (
    AttendanceTotals,
    FamilyMove,
    FamilySection,
    GraduationSection,
    GroupRow,
    KnowledgeSection,
    MeetingRow,
    MonthlyReport,
    StatusChange,
    StatusCount,
)


def monthly_report(staff: Staff, year: int, month: int) -> MonthlyReport:
    """The monthly report of ``staff`` (a pendamping) for ``month`` of ``year``, from the records.
    The caller has checked the reader may see it (``access.report_staff``)."""
    first, last = rules.month_first_last(year, month)
    start, end = local_midnight(first), local_midnight(last + dt.timedelta(days=1))
    today = timezone.localdate()
    regions = _regions(staff)
    timelines = household_timelines(staff, start)
    fam = MonthFamilies(staff, timelines, _status_periods(list(timelines), first, last), start, end, first)
    served = sorted(fam.served)

    families, graduation = _families_section(fam, served, first, last)
    groups, meetings, attendance, knowledge = _meetings_section(staff, start, first, last)
    flags = flags_section(fam, served, first, last, end)
    sanctions = sanctions_section(fam, served, first, last, end)
    compliance = compliance_section(sorted(fam.at_end), first)
    updates = updates_section(fam, served, start, end)
    graduation_proposals(fam, served, start, end, graduation)
    return MonthlyReport(
        staff=staff,
        year=year,
        month=month,
        first=first,
        last=last,
        finished=last < today,
        kecamatan=regions.get(3, ""),
        kabupaten=regions.get(2, ""),
        provinsi=regions.get(1, ""),
        generated_at=timezone.now(),
        families=families,
        groups=groups,
        meetings=meetings,
        attendance=attendance,
        knowledge=knowledge,
        flags=flags,
        sanctions=sanctions,
        compliance=compliance,
        updates=updates,
        graduation=graduation,
        grievances=grievances_section(fam, served, start, end),
        referrals=referrals_section(fam, served, first, last, start, end),
    )


def _regions(staff: Staff) -> dict[int, str]:
    code = str(staff.region_id or "")
    parts = code.split(".")
    codes = [".".join(parts[: i + 1]) for i in range(len(parts))] if code else []
    return dict(Region.objects.filter(code__in=codes).values_list("level", "name"))


def _status_periods(household_ids: list[int], first: dt.date, last: dt.date) -> Periods:
    """The status periods of the families that reach into the month (the one before a change in
    the month included), in date order: the dated registry of RULES.md "Graduation" and the
    registry's ``HouseholdStatusPeriod``. One query."""
    periods: Periods = defaultdict(list)
    for hid, since, until, status in (
        HouseholdStatusPeriod.objects.filter(household_id__in=household_ids, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first - dt.timedelta(days=1)))
        .order_by("household_id", "valid_from", "id")
        .values_list("household_id", "valid_from", "valid_to", "status")
    ):
        periods[hid].append((since, until, status))
    return dict(periods)


def _families_section(
    fam: MonthFamilies, served: list[int], first: dt.date, last: dt.date
) -> tuple[FamilySection, GraduationSection]:
    staff_ids: set[int] = set()
    moves_in: list[tuple[int, dt.datetime, int | None]] = []
    moves_out: list[tuple[int, dt.datetime, int | None]] = []
    for pk in served:
        for change in fam.timelines[pk].changes:
            if not fam.start <= change.at < fam.end:
                continue
            if change.after == fam.staff.pk:
                moves_in.append((pk, change.at, change.before))
                if change.before:
                    staff_ids.add(change.before)
            elif change.before == fam.staff.pk:
                moves_out.append((pk, change.at, change.after))
                if change.after:
                    staff_ids.add(change.after)
    names = dict(Staff.objects.filter(pk__in=staff_ids).values_list("pk", "full_name")) if staff_ids else {}

    def move(pk: int, at: dt.datetime, other: int | None) -> FamilyMove:
        return FamilyMove(fam.ref(pk), local_day(at), names.get(other, "") if other else "")

    labels = dict(HouseholdStatus.choices)
    periods = fam.periods
    status_end: dict[str, int] = defaultdict(int)
    changes: list[StatusChange] = []
    graduation = GraduationSection()
    for hid in served:
        rows = periods.get(hid, [])
        if hid in fam.at_end:
            current = [s for since, until, s in rows if since <= last and (until is None or until >= last)]
            if current:
                status_end[current[-1]] += 1
        for i, (since, _until, status) in enumerate(rows):
            if not first <= since <= last or not fam.mine_on(hid, since):
                continue
            before = rows[i - 1][2] if i else ""
            status_change = StatusChange(
                fam.ref(hid), since, str(labels.get(before, "")), str(labels.get(status, status)), status
            )
            changes.append(status_change)
            if status == HouseholdStatus.GRADUASI_MANDIRI:
                graduation.mandiri += 1
                graduation.rows.append(status_change)
            elif status == HouseholdStatus.GRADUASI_ALAMIAH:
                graduation.alamiah += 1
                graduation.rows.append(status_change)
    section = FamilySection(
        at_start=len(fam.at_start),
        at_end=len(fam.at_end),
        in_programme_end=sum(n for s, n in status_end.items() if s in IN_PROGRAMME),
        moved_in=sorted((move(*m) for m in moves_in), key=lambda m: (m.on, m.family.pkh_id)),
        moved_out=sorted((move(*m) for m in moves_out), key=lambda m: (m.on, m.family.pkh_id)),
        by_status=[
            StatusCount(value, str(label), status_end.get(value, 0)) for value, label in HouseholdStatus.choices
        ],
        changes=sorted(changes, key=lambda c: (c.on, c.family.pkh_id)),
    )
    return section, graduation


def _percent_of_total(field_name: str) -> ExpressionWrapper:
    return ExpressionWrapper(Cast(field_name, FloatField()) * 100.0 / F("total"), output_field=FloatField())


def _meetings_section(
    staff: Staff, start: dt.datetime, first: dt.date, last: dt.date
) -> tuple[list[GroupRow], list[MeetingRow], AttendanceTotals, KnowledgeSection]:
    timelines = kelompok_timelines(staff, start)
    end = local_midnight(last + dt.timedelta(days=1))
    status_labels = dict(MeetingStatus.choices)
    meetings: list[MeetingRow] = []
    for row in (
        Meeting.objects.filter(kelompok_id__in=list(timelines), scheduled_on__gte=first, scheduled_on__lte=last)
        .order_by("scheduled_on", "start_time", "kelompok__code", "pk")
        .values(
            "pk",
            "kelompok_id",
            "scheduled_on",
            "start_time",
            "status",
            "cancel_reason",
            "session__number",
            "session__order",
            "session__title",
            "session__module__title",
        )
    ):
        if timelines[row["kelompok_id"]].owner_on(row["scheduled_on"]) != staff.pk:
            continue
        info = timelines[row["kelompok_id"]].info
        number = row["session__number"] or row["session__order"]
        meetings.append(
            MeetingRow(
                meeting_id=row["pk"],
                kelompok_id=row["kelompok_id"],
                on=row["scheduled_on"],
                start=row["start_time"],
                kelompok=f"{info['code']} {info['name']}",
                session=f"{number}. {row['session__title']}" if row["session__title"] else "",
                module=row["session__module__title"] or "",
                status=row["status"],
                status_label=str(status_labels.get(row["status"], row["status"])),
                cancel_reason=row["cancel_reason"],
            )
        )
    mine = {pk for pk, t in timelines.items() if t.owner_at(end) == staff.pk and t.info["is_active"]}
    families = dict(
        GroupMembership.objects.filter(kelompok_id__in=list(timelines), valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=last))
        .values("kelompok_id")
        .annotate(n=Count("pk"))
        .values_list("kelompok_id", "n")
    )
    with_meetings = {m.kelompok_id for m in meetings}
    groups: dict[int, GroupRow] = {}
    for pk in sorted(timelines, key=lambda k: timelines[k].info["code"]):
        if pk in with_meetings or (pk in mine and families.get(pk)):
            info = timelines[pk].info
            groups[pk] = GroupRow(pk, info["code"], info["name"], info["desa"], families=families.get(pk, 0))
    held_ids = [m.meeting_id for m in meetings if m.status == MeetingStatus.TERLAKSANA]
    marks = {
        r["meeting_id"]: r
        for r in Attendance.objects.filter(meeting_id__in=held_ids)
        .values("meeting_id")
        .annotate(
            hadir=Count("pk", filter=Q(mark=Mark.HADIR)),
            izin=Count("pk", filter=Q(mark=Mark.IZIN)),
            alpa=Count("pk", filter=Q(mark=Mark.ALPA)),
        )
        .order_by()
    }
    # Scores count only for families marked hadir at that meeting (as p2k2.progress does).
    was_present = Exists(
        Attendance.objects.filter(
            meeting_id=OuterRef("meeting_id"), household_id=OuterRef("household_id"), mark=Mark.HADIR
        )
    )
    both = Q(pre_correct__isnull=False, post_correct__isnull=False)
    scores = {
        r["meeting_id"]: r
        for r in KnowledgeCheck.objects.filter(meeting_id__in=held_ids)
        .filter(was_present)
        .values("meeting_id")
        .annotate(
            n=Count("pk"),
            pre_sum=Sum(_percent_of_total("pre_correct")),
            pre_n=Count("pre_correct"),
            post_sum=Sum(_percent_of_total("post_correct")),
            post_n=Count("post_correct"),
            gain_sum=Sum(
                ExpressionWrapper(
                    (Cast("post_correct", FloatField()) - Cast("pre_correct", FloatField())) * 100.0 / F("total"),
                    output_field=FloatField(),
                ),
                filter=both,
            ),
            paired=Count("pk", filter=both),
        )
        .order_by()
    }
    totals = AttendanceTotals(izin_met=bool(setting("compliance", "P2K2_IZIN_MET")))
    knowledge = KnowledgeSection()
    for m in meetings:
        g = groups[m.kelompok_id]
        g.planned += 1
        if m.status == MeetingStatus.DIBATALKAN:
            g.cancelled += 1
            continue
        if m.status == MeetingStatus.DIRENCANAKAN:
            g.pending += 1
            continue
        g.held += 1
        if m.session:
            g.sessions.append(m.session)
        got = marks.get(m.meeting_id)
        if got:
            m.hadir, m.izin, m.alpa = got["hadir"], got["izin"], got["alpa"]
            g.hadir += m.hadir
            g.izin += m.izin
            g.alpa += m.alpa
        s = scores.get(m.meeting_id)
        if s:
            g.checks += s["n"]
            g.pre_sum += s["pre_sum"] or 0.0
            g.pre_n += s["pre_n"]
            g.post_sum += s["post_sum"] or 0.0
            g.post_n += s["post_n"]
            knowledge.checks += s["n"]
            knowledge.pre_sum += s["pre_sum"] or 0.0
            knowledge.pre_n += s["pre_n"]
            knowledge.post_sum += s["post_sum"] or 0.0
            knowledge.post_n += s["post_n"]
            knowledge.gain_sum += s["gain_sum"] or 0.0
            knowledge.paired += s["paired"]
    for g in groups.values():
        totals.hadir += g.hadir
        totals.izin += g.izin
        totals.alpa += g.alpa
    return list(groups.values()), meetings, totals, knowledge
