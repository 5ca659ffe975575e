"""Kelompok, meetings, module coverage, attendance and absence flags (section p2k2)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth

from harapan.groups.models import Kelompok
from harapan.meetings.models import AbsenceFlag, Attendance, Meeting, MeetingStatus
from harapan.p2k2.models import ModuleKind, Session

from .. import metrics as m
from .base import Cells, Scope, Window, desa_q, month_key

# --- Groups and meetings (section p2k2) --------------------------------------------------------------


def core_sessions() -> dict[int, set[int]]:
    """The sessions of each national core module ({module id: {session id}}): the fourteen sessions
    of the five inti modules (RULES.md: P2K2 / FDS curriculum), read from the catalogue."""
    out: dict[int, set[int]] = defaultdict(set)
    for session_id, module_id in Session.objects.filter(
        number__isnull=False, module__kind=ModuleKind.INTI, module__is_active=True
    ).values_list("id", "module_id"):
        out[module_id].add(session_id)
    return dict(out)


def groups(scope: Scope, window: Window, cells: Cells) -> None:
    """Active kelompok and their coverage of the core curriculum: distinct core sessions delivered
    at held meetings, core modules whose every session was delivered, and groups through all of
    them (RULES.md: P2K2 / FDS curriculum, "modules delivered in order")."""
    active = Kelompok.objects.filter(desa_q(scope.prefix), is_active=True)
    for r in active.values("desa_id", "pendamping_id").annotate(n=Count("id")).order_by():
        cells.add(r["desa_id"], r["pendamping_id"], "kelompok", m.NOW, r["n"])
    modules = core_sessions()
    module_of = {s: mod for mod, sessions in modules.items() for s in sessions}
    core_total = sum(len(s) for s in modules.values())
    if not core_total:
        return
    delivered: Any = (
        Meeting.objects.filter(
            desa_q(scope.prefix, "kelompok__desa_id"),
            kelompok__is_active=True,
            status=MeetingStatus.TERLAKSANA,
            session_id__in=list(module_of),
        )
        .values("kelompok_id", "kelompok__desa_id", "kelompok__pendamping_id", "session_id")
        .distinct()
        .order_by()
    )
    per_group: dict[int, tuple[str, int | None, dict[int, int]]] = {}
    for d in delivered:
        entry = per_group.setdefault(d["kelompok_id"], (d["kelompok__desa_id"], d["kelompok__pendamping_id"], {}))
        module = module_of[d["session_id"]]
        entry[2][module] = entry[2].get(module, 0) + 1
    for desa, pendamping, by_module in per_group.values():
        sessions = sum(by_module.values())
        cells.add(desa, pendamping, "kelompok_sesi_inti", m.NOW, sessions)
        cells.add(
            desa,
            pendamping,
            "kelompok_modul_inti",
            m.NOW,
            sum(1 for mod, n in by_module.items() if n >= len(modules[mod])),
        )
        cells.add(desa, pendamping, "kelompok_inti_tuntas", m.NOW, 1 if sessions >= core_total else 0)


MEETING_METRIC: dict[str, str] = {
    MeetingStatus.TERLAKSANA: "pertemuan_terlaksana",
    MeetingStatus.DIRENCANAKAN: "pertemuan_direncanakan",
    MeetingStatus.DIBATALKAN: "pertemuan_dibatalkan",
}


def meetings(scope: Scope, window: Window, cells: Cells) -> None:
    """Meetings of the window by month and status, in the kelompok's desa."""
    rows = (
        Meeting.objects.filter(
            desa_q(scope.prefix, "kelompok__desa_id"), scheduled_on__gte=window.start, scheduled_on__lte=window.end
        )
        .annotate(month=TruncMonth("scheduled_on"))
        .values("kelompok__desa_id", "kelompok__pendamping_id", "month", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        metric = MEETING_METRIC.get(r["status"])
        if metric:
            cells.add(r["kelompok__desa_id"], r["kelompok__pendamping_id"], metric, month_key(r["month"]), r["n"])


def attendance(scope: Scope, window: Window, cells: Cells) -> None:
    """Attendance marks at held meetings of the window, by the meeting's month and the mark
    (RULES.md: P2K2 / FDS curriculum, "Measures of success: attendance rate")."""
    rows = (
        Attendance.objects.filter(
            scope.families("household__"),
            meeting__status=MeetingStatus.TERLAKSANA,
            meeting__scheduled_on__gte=window.start,
            meeting__scheduled_on__lte=window.end,
        )
        .annotate(month=TruncMonth("meeting__scheduled_on"))
        .values("household__desa_id", "household__pendamping_id", "month", "mark")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in rows:
        cells.add(
            r["household__desa_id"], r["household__pendamping_id"], f"absen_{r['mark']}", month_key(r["month"]), r["n"]
        )


def absence_flags(scope: Scope, window: Window, cells: Cells) -> None:
    """Families with an open absence flag, by kind (RULES.md: Sanctions, 3 consecutive absences)."""
    rows = (
        AbsenceFlag.objects.filter(scope.families("household__"), lifted_on__isnull=True)
        .values("household__desa_id", "household__pendamping_id", "kind")
        .annotate(n=Count("household_id", distinct=True))
        .order_by()
    )
    for r in rows:
        cells.add(r["household__desa_id"], r["household__pendamping_id"], f"kpm_tanda_{r['kind']}", m.NOW, r["n"])
