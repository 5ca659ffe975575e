"""Reading P2K2 progress (RULES.md "P2K2 / FDS curriculum": five modules, fourteen sessions,
taught in order; measures of success: attendance rate, modules delivered in order, share of KPM
applying the material): for a group, for a family, and for the groups of an area.

Only held meetings (status *terlaksana*) with a session count: a cancelled or planned meeting
counts for no one. A family attended a session when it was marked hadir at a held meeting of
that session in any group (a family that moved keeps what it attended before); izin is not
attendance. A module is done when every one of its sessions is. Every reader is set-based: a
fixed handful of queries whatever the number of families or sessions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Exists, ExpressionWrapper, F, FloatField, OuterRef, Q
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast

from harapan.groups.models import Kelompok
from harapan.groups.selectors import kelompok_list, kelompok_members
from harapan.meetings.models import Attendance, Mark, Meeting, MeetingStatus
from harapan.regions.models import Region
from harapan.registry.models import Household

from . import rules
from .models import KnowledgeCheck, Module, ModuleKind, Session
from .selectors import curriculum_sessions, teaching_key

NOT_YET = "belum"
HELD = Q(status=MeetingStatus.TERLAKSANA, session__isnull=False)


# --- Shapes ----------------------------------------------------------------------------------


@dataclass
class MeetingResult:
    """One held meeting: who was marked, who was present, and the average knowledge-check scores
    (percent of questions answered correctly) of the families present."""

    meeting_id: int
    on: dt.date
    kelompok_name: str = ""
    marked: int = 0
    present: int = 0
    checks: int = 0
    pre: float | None = None
    post: float | None = None
    # Average rise in percentage points over the families with both scores (``paired`` of them).
    gain: float | None = None
    paired: int = 0

    @property
    def rate(self) -> float | None:
        return rules.attendance_rate(self.present, self.marked)


@dataclass
class SessionRow:
    session: Session
    meetings: list[MeetingResult] = field(default_factory=list)
    out_of_order: bool = False

    @property
    def held(self) -> bool:
        return bool(self.meetings)


@dataclass
class FamilySessionRow:
    """A session for one family: hadir / izin / alpa at its held meeting(s), or ``belum``."""

    session: Session
    status: str = NOT_YET
    on: dt.date | None = None
    kelompok_name: str = ""
    pre: int | None = None
    post: int | None = None
    total: int | None = None

    @property
    def attended(self) -> bool:
        return self.status == Mark.HADIR


@dataclass
class ModuleRow:
    module: Module
    sessions: list[Any] = field(default_factory=list)  # SessionRow or FamilySessionRow
    done: bool = False


@dataclass
class FamilyCount:
    """The summary line of one family: inti sessions attended and inti modules completed."""

    household_id: int
    sessions: int
    modules: int


@dataclass
class KelompokProgress:
    kelompok: Kelompok
    modules: list[ModuleRow]
    out_of_order: list[Session]
    inti_sessions: int
    inti_held: int
    inti_modules: int
    inti_done: int
    present: int
    marked: int
    families: list[dict[str, Any]]

    @property
    def in_order(self) -> bool:
        return not self.out_of_order

    @property
    def rate(self) -> float | None:
        return rules.attendance_rate(self.present, self.marked)


@dataclass
class HouseholdProgress:
    household: Household
    modules: list[ModuleRow]
    inti_sessions: int
    inti_attended: int
    inti_modules: int
    inti_completed: int
    kelompok: Kelompok | None
    carer_name: str = ""


# --- Helpers ---------------------------------------------------------------------------------


def _percent(expr: Combinable) -> ExpressionWrapper:
    return ExpressionWrapper(expr * 100.0 / F("total"), output_field=FloatField())


def _sessions_with(sessions: list[Session], extra_ids: Iterable[int]) -> list[Session]:
    """The curriculum sessions plus any session held that is not in it (say, a module since
    made inactive), so nothing held disappears from a progress page."""
    known = {s.pk for s in sessions}
    missing = set(extra_ids) - known
    if not missing:
        return sessions
    extra = list(Session.objects.filter(pk__in=missing).select_related("module"))
    return sorted([*sessions, *extra], key=lambda s: (*teaching_key(s.module), s.order, s.pk))


def _by_module(sessions: Sequence[Session]) -> list[tuple[Module, list[Session]]]:
    out: list[tuple[Module, list[Session]]] = []
    for s in sessions:
        if not out or out[-1][0].pk != s.module_id:
            out.append((s.module, []))
        out[-1][1].append(s)
    return out


def _teaching_sequences(sessions: Sequence[Session]) -> list[list[int]]:
    """The sequences that must be taught in order: the inti sessions 1-14 as one, and each other
    module's sessions on their own (FDS fokus and muatan lokal may come between inti sessions)."""
    inti = [s.pk for s in sessions if s.module.kind == ModuleKind.INTI]
    others = [[s.pk for s in group] for module, group in _by_module(sessions) if module.kind != ModuleKind.INTI]
    return [inti, *others] if inti else others


def _out_of_order(sessions: Sequence[Session], first_held: dict[int, int]) -> set[int]:
    out: set[int] = set()
    for seq in _teaching_sequences(sessions):
        out.update(rules.sessions_out_of_order(seq, first_held))
    return out


def _inti_modules(sessions: Sequence[Session]) -> dict[int, list[int]]:
    return {m.pk: [s.pk for s in group] for m, group in _by_module(sessions) if m.kind == ModuleKind.INTI}


def meeting_results(meetings: Iterable[tuple[int, dt.date, str]]) -> dict[int, MeetingResult]:
    """Attendance and average scores of held meetings given as (id, date, group name), in two
    queries. Scores count only for families marked hadir at that meeting."""
    results = {pk: MeetingResult(meeting_id=pk, on=on, kelompok_name=name) for pk, on, name in meetings}
    meeting_ids = list(results)
    for row in (
        Attendance.objects.filter(meeting_id__in=meeting_ids)
        .values("meeting_id")
        .annotate(marked=Count("pk"), present=Count("pk", filter=Q(mark=Mark.HADIR)))
        .order_by()
    ):
        results[row["meeting_id"]].marked = row["marked"]
        results[row["meeting_id"]].present = row["present"]
    both = Q(pre_correct__isnull=False, post_correct__isnull=False)
    was_present = Exists(
        Attendance.objects.filter(
            meeting_id=OuterRef("meeting_id"), household_id=OuterRef("household_id"), mark=Mark.HADIR
        )
    )
    for scores in (
        KnowledgeCheck.objects.filter(meeting_id__in=meeting_ids)
        .filter(was_present)
        .values("meeting_id")
        .annotate(
            n=Count("pk"),
            pre=Avg(_percent(Cast("pre_correct", FloatField()))),
            post=Avg(_percent(Cast("post_correct", FloatField()))),
            gain=Avg(
                _percent(Cast("post_correct", FloatField()) - Cast("pre_correct", FloatField())),
                filter=both,
            ),
            paired=Count("pk", filter=both),
        )
        .order_by()
    ):
        r = results[scores["meeting_id"]]
        r.checks, r.pre, r.post = scores["n"], scores["pre"], scores["post"]
        r.gain, r.paired = scores["gain"], scores["paired"]
    return results


def attended_sessions(household_ids: Iterable[int] | Any) -> dict[int, set[int]]:
    """The sessions each family attended (hadir at a held meeting of that session, in any group);
    ``household_ids`` is a list or a subquery. One query."""
    attended: dict[int, set[int]] = defaultdict(set)
    for hid, sid in (
        Attendance.objects.filter(household_id__in=household_ids, mark=Mark.HADIR)
        .filter(meeting__status=MeetingStatus.TERLAKSANA, meeting__session__isnull=False)
        .values_list("household_id", "meeting__session_id")
        .distinct()
    ):
        attended[hid].add(sid)
    return attended


def family_counts(household_ids: list[int], *, sessions: Sequence[Session] | None = None) -> dict[int, FamilyCount]:
    """For each family: inti sessions attended and inti modules completed (the summary line "x dari
    14 sesi, y dari 5 modul"). Two queries (one when ``sessions`` are given); the bulk form of
    ``household_progress``'s summary."""
    if sessions is None:
        sessions = curriculum_sessions(None)
    modules = _inti_modules(sessions)
    inti = {sid for ids in modules.values() for sid in ids}
    attended = attended_sessions(household_ids)
    return {
        hid: FamilyCount(
            household_id=hid,
            sessions=len(attended.get(hid, set()) & inti),
            modules=len(rules.modules_completed(modules, attended.get(hid, set()))),
        )
        for hid in household_ids
    }


# --- A group ---------------------------------------------------------------------------------


def kelompok_progress(kelompok: Kelompok) -> KelompokProgress:
    """A group's progress: each session of its curriculum in teaching order with its held
    meeting(s), attendance rate and average before/after scores; modules done; whether the
    sessions were delivered in order; and the summary line of each current family."""
    sessions = curriculum_sessions(str(kelompok.desa_id))
    held = list(
        Meeting.objects.filter(HELD, kelompok=kelompok)
        .order_by("scheduled_on", "pk")
        .values_list("pk", "session_id", "scheduled_on")
    )
    sessions = _sessions_with(sessions, (sid for _pk, sid, _on in held))
    results = meeting_results((pk, on, kelompok.name) for pk, _sid, on in held)
    by_session: dict[int, list[MeetingResult]] = defaultdict(list)
    first_held: dict[int, int] = {}
    for position, (pk, sid, _on) in enumerate(held):
        by_session[sid].append(results[pk])
        first_held.setdefault(sid, position)
    late = _out_of_order(sessions, first_held)
    modules = [
        ModuleRow(
            module=module,
            sessions=[
                SessionRow(session=s, meetings=by_session.get(s.pk, []), out_of_order=s.pk in late) for s in group
            ],
            done=all(s.pk in first_held for s in group),
        )
        for module, group in _by_module(sessions)
    ]
    inti = [m for m in modules if m.module.kind == ModuleKind.INTI]
    members = list(kelompok_members(kelompok))
    counts = family_counts([m.household_id for m in members], sessions=sessions)
    return KelompokProgress(
        kelompok=kelompok,
        modules=modules,
        out_of_order=[s for s in sessions if s.pk in late],
        inti_sessions=sum(len(m.sessions) for m in inti),
        inti_held=sum(1 for m in inti for s in m.sessions if s.held),
        inti_modules=len(inti),
        inti_done=sum(1 for m in inti if m.done),
        present=sum(r.present for r in results.values()),
        marked=sum(r.marked for r in results.values()),
        families=[
            {
                "household_id": m.household_id,
                "pkh_id": m.household.pkh_id,
                "name": getattr(m, "carer_name", None) or m.household.pkh_id,
                "sessions": counts[m.household_id].sessions,
                "modules": counts[m.household_id].modules,
            }
            for m in members
        ],
    )


# --- A family --------------------------------------------------------------------------------

_MARK_RANK: dict[str, int] = {Mark.HADIR: 3, Mark.IZIN: 2, Mark.ALPA: 1}


def household_progress(household: Household) -> HouseholdProgress:
    """A family's progress: each session of its curriculum with hadir / izin / alpa (the best mark
    over the held meetings of that session, in any group) or not yet held, with its scores;
    modules completed (every session attended); the summary counts of the inti modules."""
    sessions = curriculum_sessions(str(household.desa_id))
    rows = list(
        Attendance.objects.filter(household=household, meeting__status=MeetingStatus.TERLAKSANA)
        .filter(meeting__session__isnull=False)
        .order_by("meeting__scheduled_on", "meeting_id")
        .values_list("meeting_id", "meeting__session_id", "meeting__scheduled_on", "mark", "meeting__kelompok__name")
    )
    checks = {
        mid: (pre, post, total)
        for mid, pre, post, total in KnowledgeCheck.objects.filter(household=household).values_list(
            "meeting_id", "pre_correct", "post_correct", "total"
        )
    }
    sessions = _sessions_with(sessions, (sid for _m, sid, _d, _k, _n in rows))
    # Per session, the meeting that speaks for the family: the best mark (hadir over izin over
    # alpa), then one with a score, then the latest.
    best: dict[int, tuple[tuple[int, bool], int, str, dt.date, str]] = {}
    for mid, sid, on, mark, name in rows:  # oldest first, so a later meeting wins a tie
        key = (_MARK_RANK.get(mark, 0), mark == Mark.HADIR and mid in checks)
        if sid not in best or key >= best[sid][0]:
            best[sid] = (key, mid, mark, on, name)
    modules: list[ModuleRow] = []
    for module, group in _by_module(sessions):
        family_rows = []
        for s in group:
            if s.pk not in best:
                family_rows.append(FamilySessionRow(session=s))
                continue
            (_rank, scored), mid, mark, on, name = best[s.pk]
            pre, post, total = checks[mid] if scored else (None, None, None)
            family_rows.append(
                FamilySessionRow(session=s, status=mark, on=on, kelompok_name=name, pre=pre, post=post, total=total)
            )
        modules.append(ModuleRow(module=module, sessions=family_rows, done=all(r.attended for r in family_rows)))
    inti = [m for m in modules if m.module.kind == ModuleKind.INTI]
    current = household.group_memberships.filter(valid_to__isnull=True).select_related("kelompok").first()
    return HouseholdProgress(
        household=household,
        modules=modules,
        inti_sessions=sum(len(m.sessions) for m in inti),
        inti_attended=sum(1 for m in inti for r in m.sessions if r.attended),
        inti_modules=len(inti),
        inti_completed=sum(1 for m in inti if m.done),
        kelompok=current.kelompok if current else None,
        carer_name=household.members.filter(is_carer=True).values_list("name", flat=True).first() or "",
    )


# --- An area ---------------------------------------------------------------------------------


@dataclass
class AreaGroupRow:
    kelompok: Kelompok
    sessions_held: int
    modules_done: int
    in_order: bool


@dataclass
class AreaRow:
    """One kecamatan of a kabupaten, or the area itself: groups counted by inti modules done."""

    region: Region
    groups: int = 0
    by_modules: list[int] = field(default_factory=list)  # index n: groups with n modules done
    in_order: int = 0


@dataclass
class AreaProgress:
    region: Region
    inti_sessions: int
    inti_modules: int
    total: AreaRow
    kecamatan: list[AreaRow]
    groups: list[AreaGroupRow]


def area_progress(user: Any, region: Region) -> AreaProgress:
    """The user's groups in a kecamatan or kabupaten counted by the number of inti modules done
    (0-5) and by whether they were delivered in order; per kecamatan for a kabupaten, per group
    for a kecamatan. Four queries whatever the number of groups."""
    scoped = kelompok_list(user).filter(desa__code__startswith=region.code + ".", is_active=True)
    groups = list(scoped.order_by("code"))
    sessions = [s for s in curriculum_sessions(region.code) if s.module.kind == ModuleKind.INTI]
    modules = _inti_modules(sessions)
    inti = {s.pk for s in sessions}
    held: dict[int, dict[int, int]] = defaultdict(dict)
    for position, (kid, sid) in enumerate(
        Meeting.objects.filter(HELD, kelompok__in=scoped.values("pk"), session__in=inti)
        .order_by("kelompok_id", "scheduled_on", "pk")
        .values_list("kelompok_id", "session_id")
    ):
        held[kid].setdefault(sid, position)
    n_modules = len(modules)
    rows: list[AreaGroupRow] = []
    for g in groups:
        first = held.get(g.pk, {})
        rows.append(
            AreaGroupRow(
                kelompok=g,
                sessions_held=len(first),
                modules_done=len(rules.modules_completed(modules, first)),
                in_order=not rules.sessions_out_of_order([s.pk for s in sessions], first),
            )
        )
    kecamatan: dict[str, AreaRow] = {}
    if region.level == 2:
        for kec in Region.objects.filter(parent=region).order_by("code"):
            kecamatan[kec.code] = AreaRow(region=kec, by_modules=[0] * (n_modules + 1))
    total = AreaRow(region=region, by_modules=[0] * (n_modules + 1))
    for row in rows:
        targets = [total]
        kec_row = kecamatan.get(str(row.kelompok.desa_id).rsplit(".", 1)[0])
        if kec_row is not None:
            targets.append(kec_row)
        for t in targets:
            t.groups += 1
            t.by_modules[row.modules_done] += 1
            t.in_order += int(row.in_order)
    return AreaProgress(
        region=region,
        inti_sessions=len(sessions),
        inti_modules=n_modules,
        total=total,
        kecamatan=[k for k in kecamatan.values() if k.groups],
        groups=rows if region.level == 3 else [],
    )
