"""Reading the curriculum: what a region's groups are taught, and in which order
(RULES.md "P2K2 / FDS curriculum": the national modules in order, FDS fokus topics, then the
kabupaten's own muatan lokal); and the knowledge checks of one meeting. Progress lives in
``progress.py``."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from harapan.accounts.models import Role
from harapan.accounts.scope import region_in_scope, staff_of
from harapan.meetings.models import Attendance, Mark, Meeting
from harapan.registry.models import Member

from .models import CheckPhase, KnowledgeAnswer, KnowledgeCheck, Module, ModuleKind, Session


def kabupaten_of(region_code: str | None) -> str | None:
    """The kabupaten/kota code ("35.11") containing ``region_code``; None above that level."""
    if not region_code:
        return None
    parts = region_code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def _sessions_prefetch() -> Prefetch:
    return Prefetch(
        "sessions",
        queryset=Session.objects.order_by("order")
        .annotate(question_count=Count("questions"))
        .prefetch_related("materials"),
    )


_KIND_RANK: dict[str, int] = {ModuleKind.INTI: 0, ModuleKind.FDS_FOKUS: 1, ModuleKind.MUATAN_LOKAL: 2}


def teaching_key(module: Module) -> tuple[int, str, int, int]:
    """Sort key of modules in teaching order: inti, then FDS fokus (national first), then muatan lokal."""
    rank = _KIND_RANK.get(module.kind, len(_KIND_RANK))
    return (rank, str(module.owner_region_id or ""), module.order, module.pk)


def curriculum_sessions(region_code: str | None) -> list[Session]:
    """The sessions taught in ``region_code`` in teaching order (as ``curriculum_for`` orders the
    modules: inti 1-14, then FDS fokus, then the kabupaten's muatan lokal), each with its
    ``module`` loaded and ``question_count``; one query."""
    kabupaten = kabupaten_of(region_code)
    local = Q(module__owner_region_id=kabupaten) if kabupaten else Q(pk__in=[])
    sessions = list(
        Session.objects.filter(module__is_active=True)
        .filter(
            Q(module__kind=ModuleKind.INTI)
            | Q(module__kind=ModuleKind.FDS_FOKUS) & (Q(module__owner_region__isnull=True) | local)
            | Q(module__kind=ModuleKind.MUATAN_LOKAL) & local
        )
        .select_related("module")
        .annotate(question_count=Count("questions"))
    )
    return sorted(sessions, key=lambda s: (*teaching_key(s.module), s.order, s.pk))


def curriculum_for(region_code: str | None) -> list[Module]:
    """The active modules taught in ``region_code``: national inti modules in order, then the
    FDS fokus topics, then the muatan lokal of the kabupaten/kota containing ``region_code``.
    Sessions (with ``question_count`` and materials) are prefetched in teaching order."""
    kabupaten = kabupaten_of(region_code)
    local = Q(owner_region_id=kabupaten) if kabupaten else Q(pk__in=[])
    base = Module.objects.filter(is_active=True).prefetch_related(_sessions_prefetch())
    inti = base.filter(kind=ModuleKind.INTI).order_by("order", "pk")
    fokus = base.filter(Q(kind=ModuleKind.FDS_FOKUS) & (Q(owner_region__isnull=True) | local)).order_by(
        "owner_region_id", "order", "pk"
    )
    lokal = base.filter(Q(kind=ModuleKind.MUATAN_LOKAL) & local).order_by("order", "pk")
    return [*inti, *fokus, *lokal]


def next_session_after(session: Session) -> Session | None:
    """The session taught after ``session``: the next one in its module; after the last session
    of an inti module, the first session of the next inti module (teaching order 1 → 14)."""
    module = session.module
    within = Q(module=module, order__gt=session.order)
    if module.kind == ModuleKind.INTI:
        within |= Q(module__kind=ModuleKind.INTI, module__is_active=True, module__order__gt=module.order)
    return Session.objects.filter(within).select_related("module").order_by("module__order", "order").first()


def user_kabupaten(user: Any) -> str | None:
    """The kabupaten/kota whose curriculum the user works with (None for province and ministry)."""
    staff = staff_of(user)
    if staff is None or staff.role == Role.MINISTRY:
        return None
    return kabupaten_of(staff.region_id)


def module_visible_to(user: Any, module: Module) -> bool:
    """National modules: every staff member. A kabupaten's own module: staff working in that
    kabupaten (including a pendamping of one of its kecamatan) and the levels above it."""
    staff = staff_of(user)
    if staff is None:
        return False
    if module.owner_region_id is None:
        return True
    owner = str(module.owner_region_id)
    return user_kabupaten(user) == owner or region_in_scope(user, owner)


def session_for(user: Any, pk: int) -> Session | None:
    """One session with its module, materials and questions (with choices), if the user may see it."""
    session = (
        Session.objects.select_related("module", "module__owner_region")
        .prefetch_related("materials", "questions__choices")
        .filter(pk=pk, module__is_active=True)
        .first()
    )
    if session is None or not module_visible_to(user, session.module):
        return None
    return session


def modules_owned_by(region_code: str) -> QuerySet[Module]:
    return Module.objects.filter(owner_region_id=region_code).order_by("order", "pk")


def knowledge_check_rows(meeting: Meeting) -> list[dict[str, Any]]:
    """The families present (hadir) at ``meeting`` in the group's usual order (RW, RT, PKH id),
    with their carer's name and their recorded check, if any (``check``); two queries."""
    carer = Member.objects.filter(household_id=OuterRef("household_id"), is_carer=True).values("name")[:1]
    present = (
        Attendance.objects.filter(meeting=meeting, mark=Mark.HADIR)
        .select_related("household")
        .annotate(carer_name=Subquery(carer))
        .order_by("household__rw", "household__rt", "household__pkh_id")
    )
    checks = {c.household_id: c for c in KnowledgeCheck.objects.filter(meeting=meeting).select_related("member")}
    return [
        {
            "hid": a.household_id,
            "pkh_id": a.household.pkh_id,
            "name": a.carer_name or a.household.pkh_id,  # type: ignore[attr-defined]
            "check": checks.get(a.household_id),
        }
        for a in present
    ]


def knowledge_check_answers(check: KnowledgeCheck | None) -> dict[str, dict[int, int]]:
    """The choices recorded for a check question by question: {phase: {question id: choice id}}."""
    out: dict[str, dict[int, int]] = {p: {} for p in CheckPhase.values}
    if check is None:
        return out
    for phase, qid, cid in KnowledgeAnswer.objects.filter(knowledge_check=check).values_list(
        "phase", "question_id", "choice_id"
    ):
        out[phase][qid] = cid
    return out
