"""Recording the short before/after knowledge check of a held meeting (RULES.md "P2K2 / FDS
curriculum": measures of success include the share of KPM applying the material; issue 3).

Whoever may act for the group (groups.selectors.kelompok_worker: its pendamping, or an operator
or korkab of its area) records, for the families present (hadir) at the meeting, how many of the
session's questions they answered correctly before and after the session. The number of questions
is fixed for a meeting by its first score, so later edits to the questions keep old scores
meaningful. Each change is audited per family.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Staff
from harapan.audit.models import AuditEvent
from harapan.audit.services import audit_events_save
from harapan.groups.selectors import kelompok_worker
from harapan.meetings.models import Attendance, Mark, Meeting, MeetingStatus
from harapan.registry.models import Member

from .. import events, rules
from ..models import CheckPhase, KnowledgeAnswer, KnowledgeCheck, KnowledgeQuestion

# A family's (before, after) correct answers at one meeting; None where that half was not collected.
Score = tuple[int | None, int | None]


def may_record_checks(user: Any, meeting: Meeting) -> Staff:
    """The user's staff record when they may act for the meeting's group; PermissionDenied otherwise."""
    staff = kelompok_worker(user, meeting.kelompok)
    if staff is None:
        raise PermissionDenied(_("Anda tidak berwenang mencatat cek pengetahuan kelompok ini."))
    return staff


def knowledge_check_total(meeting: Meeting) -> int:
    """How many questions the check at ``meeting`` is out of: fixed by the first score recorded
    at that meeting; before that, the session's current number of questions."""
    stored = KnowledgeCheck.objects.filter(meeting=meeting).aggregate(n=Max("total"))["n"]
    if stored:
        return int(stored)
    if meeting.session_id is None:
        return 0
    return KnowledgeQuestion.objects.filter(session_id=meeting.session_id).count()


def knowledge_check_problem(meeting: Meeting, total: int) -> str | None:
    """Why no knowledge check can be recorded at ``meeting`` (None when it can)."""
    if meeting.status != MeetingStatus.TERLAKSANA:
        return _("Cek pengetahuan dicatat setelah pertemuan terlaksana: catat kehadiran dulu.")
    if meeting.session_id is None:
        return _("Pertemuan ini tidak membahas sesi P2K2.")
    if total < 1:
        return _("Sesi ini belum punya pertanyaan cek pengetahuan.")
    return None


def present_household_ids(meeting: Meeting) -> set[int]:
    """The families marked present (hadir) at ``meeting``; izin and alpa did not sit the check."""
    return set(Attendance.objects.filter(meeting=meeting, mark=Mark.HADIR).values_list("household_id", flat=True))


def knowledge_scores_validate(
    scores: Mapping[int, Score], *, total: int, present: set[int], members: Mapping[int, int] | None = None
) -> dict[str, list[str]]:
    """Errors per household id (as text): only families present (hadir) at the meeting have a
    score, and each score lies between 0 and ``total`` (rules.score_violations). ``members``
    (household -> member who sat the check) must name a member of that family (one query)."""
    errors: dict[str, list[str]] = {}
    for hid, (pre, post) in scores.items():
        if pre is None and post is None:
            continue
        if hid not in present:
            errors[str(hid)] = [_("KPM ini tidak tercatat hadir pada pertemuan ini.")]
            continue
        problems = [_("Sebelum: %(e)s") % {"e": e} for e in rules.score_violations(pre, total)]
        problems += [_("Sesudah: %(e)s") % {"e": e} for e in rules.score_violations(post, total)]
        if problems:
            errors[str(hid)] = problems
    if members:
        owner = dict(Member.objects.filter(pk__in=list(members.values())).values_list("pk", "household_id"))
        for hid, mid in members.items():
            if owner.get(mid) != hid:
                errors.setdefault(str(hid), []).append(_("Anggota yang mengikuti bukan anggota KPM ini."))
    return errors


def _state(check: KnowledgeCheck) -> dict[str, Any]:
    return {
        "meeting": check.meeting_id,
        "pre": check.pre_correct,
        "post": check.post_correct,
        "total": check.total,
        "member": check.member_id,
    }


def _scores_save(
    *,
    meeting: Meeting,
    staff: Staff,
    total: int,
    scores: Mapping[int, Score],
    members: Mapping[int, int],
    acting_user: Any,
    source: str,
) -> dict[int, KnowledgeCheck]:
    """Write validated scores set-based: one query for the existing checks, one for the carers of
    new ones, then bulk delete / create / update and one bulk insert of audit events. A family
    whose both scores are empty loses its check. Returns the checks of ``scores`` that remain."""
    now = timezone.now()
    existing = {
        c.household_id: c for c in KnowledgeCheck.objects.filter(meeting=meeting, household_id__in=list(scores))
    }
    need_carer = [
        h for h, (pre, post) in scores.items() if h not in existing and h not in members and (pre, post) != (None, None)
    ]
    carers: dict[int, int] = (
        dict(Member.objects.filter(household_id__in=need_carer, is_carer=True).values_list("household_id", "pk"))
        if need_carer
        else {}
    )
    create: list[KnowledgeCheck] = []
    update: list[tuple[KnowledgeCheck, dict[str, Any]]] = []
    remove: list[KnowledgeCheck] = []
    stale_answers = Q(pk__in=[])
    for hid, (pre, post) in scores.items():
        row = existing.get(hid)
        if pre is None and post is None:
            if row is not None:
                remove.append(row)
            continue
        if row is None:
            create.append(
                KnowledgeCheck(
                    meeting=meeting,
                    household_id=hid,
                    member_id=members.get(hid, carers.get(hid)),
                    total=total,
                    pre_correct=pre,
                    post_correct=post,
                    recorded_by=staff,
                    recorded_at=now,
                )
            )
            continue
        member_id = members.get(hid, row.member_id)
        if (row.pre_correct, row.post_correct, row.member_id) == (pre, post, member_id):
            continue
        # Answers given question by question no longer back a score typed over them.
        if row.pre_correct != pre:
            stale_answers |= Q(knowledge_check=row, phase=CheckPhase.PRE)
        if row.post_correct != post:
            stale_answers |= Q(knowledge_check=row, phase=CheckPhase.POST)
        before = _state(row)
        row.pre_correct, row.post_correct, row.member_id = pre, post, member_id
        row.recorded_by, row.recorded_at = staff, now
        update.append((row, before))
    audit: list[AuditEvent] = [
        events.knowledge_check_changed(
            events.KNOWLEDGE_CHECK_REMOVED,
            row,
            actor=acting_user,
            source=source,
            before=_state(row),
            after=None,
            at=now,
        )
        for row in remove
    ]
    KnowledgeCheck.objects.filter(pk__in=[r.pk for r in remove]).delete()
    KnowledgeAnswer.objects.filter(stale_answers).delete()
    KnowledgeCheck.objects.bulk_create(create)
    KnowledgeCheck.objects.bulk_update(
        [row for row, _before in update], ["pre_correct", "post_correct", "member", "recorded_by", "recorded_at"]
    )
    changed: list[tuple[KnowledgeCheck, dict[str, Any] | None]] = [(row, None) for row in create]
    changed += update
    audit += [
        events.knowledge_check_changed(
            events.KNOWLEDGE_CHECK_RECORDED,
            row,
            actor=acting_user,
            source=source,
            before=before,
            after=_state(row),
            at=now,
        )
        for row, before in changed
    ]
    audit_events_save(audit)
    gone = {r.household_id for r in remove}
    kept = {**existing, **{c.household_id: c for c in create}}
    return {hid: c for hid, c in kept.items() if hid not in gone}


def _lock_and_total(meeting: Meeting) -> int:
    # One writer at a time per meeting, so the first scores fix one total for every family.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True).first()
    total = knowledge_check_total(meeting)
    problem = knowledge_check_problem(meeting, total)
    if problem:
        raise ValidationError(problem)
    return total


@transaction.atomic
def knowledge_scores_record(
    *,
    meeting: Meeting,
    scores: Mapping[int, Score],
    members: Mapping[int, int] | None = None,
    acting_user: Any,
    source: str = "web",
) -> dict[str, int]:
    """Record the before/after scores of a held meeting for the families present (hadir), as
    correct answers out of the session's questions; both empty removes a family's score.
    ``members`` names who sat the check where it was not the carer. Returns counts
    ``saved`` (families with a score in ``scores``) and ``removed``."""
    staff = may_record_checks(acting_user, meeting)
    total = _lock_and_total(meeting)
    members = dict(members or {})
    errors = knowledge_scores_validate(scores, total=total, present=present_household_ids(meeting), members=members)
    if errors:
        raise ValidationError(errors)
    had = set(
        KnowledgeCheck.objects.filter(meeting=meeting, household_id__in=list(scores)).values_list(
            "household_id", flat=True
        )
    )
    kept = _scores_save(
        meeting=meeting,
        staff=staff,
        total=total,
        scores=scores,
        members=members,
        acting_user=acting_user,
        source=source,
    )
    return {"saved": len(kept), "removed": len(had - set(kept))}


@transaction.atomic
def knowledge_answers_record(
    *,
    meeting: Meeting,
    household_id: int,
    answers: Mapping[str, Mapping[int, int]],
    member_id: int | None = None,
    acting_user: Any,
    source: str = "web",
) -> KnowledgeCheck:
    """One family's check taken question by question: ``answers`` maps a phase (sebelum/sesudah)
    to {question id: chosen choice id}. A phase given answers every question of the session and
    scores the number of correct choices; a phase not given keeps its score."""
    staff = may_record_checks(acting_user, meeting)
    total = _lock_and_total(meeting)
    questions = list(KnowledgeQuestion.objects.filter(session=meeting.session).prefetch_related("choices"))
    if len(questions) != total:
        raise ValidationError(
            _(
                "Pertanyaan sesi ini berubah sejak nilai pertama dicatat (dulu %(old)d, sekarang %(new)d); "
                "isi jumlah jawaban benar saja."
            )
            % {"old": total, "new": len(questions)}
        )
    correct: dict[str, int] = {}
    chosen: list[KnowledgeAnswer] = []
    errors: dict[str, list[str]] = {}
    for phase, picked in answers.items():
        if phase not in CheckPhase.values:
            raise ValidationError(_("Tahap cek tidak dikenal."))
        missing = [str(q.order) for q in questions if q.pk not in picked]
        if missing:
            errors[phase] = [_("Jawab semua pertanyaan (belum: %(n)s).") % {"n": ", ".join(missing)}]
            continue
        n = 0
        for q in questions:
            choice = next((c for c in q.choices.all() if c.pk == picked[q.pk]), None)
            if choice is None:
                errors[phase] = [_("Jawaban tidak cocok dengan pertanyaannya.")]
                break
            n += int(choice.is_correct)
            chosen.append(KnowledgeAnswer(question_id=q.pk, phase=phase, choice_id=choice.pk))
        correct[phase] = n
    if not answers:
        errors["__all__"] = [_("Isi jawaban sebelum atau sesudah sesi.")]
    if errors:
        raise ValidationError(errors)
    existing = KnowledgeCheck.objects.filter(meeting=meeting, household_id=household_id).first()
    pre = correct.get(CheckPhase.PRE, existing.pre_correct if existing else None)
    post = correct.get(CheckPhase.POST, existing.post_correct if existing else None)
    members = {household_id: member_id} if member_id is not None else {}
    problems = knowledge_scores_validate(
        {household_id: (pre, post)}, total=total, present=present_household_ids(meeting), members=members
    )
    if problems:
        raise ValidationError(problems)
    check = _scores_save(
        meeting=meeting,
        staff=staff,
        total=total,
        scores={household_id: (pre, post)},
        members=members,
        acting_user=acting_user,
        source=source,
    )[household_id]
    KnowledgeAnswer.objects.filter(knowledge_check=check, phase__in=list(correct)).delete()
    for answer in chosen:
        answer.knowledge_check = check
    KnowledgeAnswer.objects.bulk_create(chosen)
    return check
