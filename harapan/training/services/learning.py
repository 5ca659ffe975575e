"""The participant's learning, saved as they go, and the facilitator's part in it (RULES.md "People
and ratios": Facilitator training; seed 001: pretest scored at once, self-study from files and
videos, a forum on the facilitator's theme graded by the facilitator, posttest, video conference).

Every answer is saved the moment it is picked, so a dropped connection loses nothing; a test's
questions are drawn once and kept, so a reload shows the same test with its saved answers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.scope import staff_of

from .. import events
from ..models import (
    Choice,
    Cohort,
    CohortStatus,
    ForumPost,
    ForumTopic,
    LiveAttendance,
    LiveSession,
    Material,
    MaterialView,
    Participant,
    ParticipantStatus,
    ProgrammeSession,
    Question,
    TestAnswer,
    TestAttempt,
    TestPhase,
)
from ..rules import attempt_score, draw_questions
from .access import may_facilitate

OPEN_COHORT = (CohortStatus.PLANNED, CohortStatus.RUNNING)


def _own(participant: Participant, acting_user: Any) -> None:
    staff = staff_of(acting_user)
    if staff is None or staff.pk != participant.staff_id:
        raise PermissionDenied(_("Halaman belajar hanya untuk peserta sendiri."))


def _learning_open(participant: Participant) -> None:
    """Learning is open to a confirmed participant while the cohort is not finished."""
    if participant.status != ParticipantStatus.CONFIRMED or participant.cohort.status not in OPEN_COHORT:
        raise ValidationError(_("Pembelajaran angkatan ini sudah ditutup untuk Anda."))


def _session_of(participant: Participant, session: ProgrammeSession) -> None:
    if session.programme_id != participant.cohort.programme_id:
        raise ValidationError(_("Sesi ini bukan bagian dari program Anda."))


def material_open(*, participant: Participant, material: Material, acting_user: Any) -> MaterialView:
    """Record that the participant opened a material (the first time counts), for progress."""
    _own(participant, acting_user)
    _session_of(participant, material.session)
    view, _created = MaterialView.objects.get_or_create(
        participant=participant, material=material, defaults={"viewed_at": timezone.now()}
    )
    return view


def materials_missing(participant: Participant, session: ProgrammeSession) -> int:
    """Materials of the session the participant has not opened yet."""
    return (
        Material.objects.filter(session=session)
        .exclude(pk__in=MaterialView.objects.filter(participant=participant).values("material_id"))
        .count()
    )


def test_start(
    *,
    participant: Participant,
    session: ProgrammeSession,
    phase: str,
    acting_user: Any,
    rng: random.Random | None = None,
) -> TestAttempt:
    """The participant's pretest or posttest of the session: the existing attempt (same questions,
    saved answers), or a new one with ``questions_per_test`` questions drawn from the active bank.
    The posttest opens after the pretest is submitted and, when the programme says so, after every
    material of the session has been opened."""
    _own(participant, acting_user)
    _session_of(participant, session)
    existing = TestAttempt.objects.filter(participant=participant, session=session, phase=phase).first()
    if existing is not None:
        return existing
    _learning_open(participant)
    if phase not in TestPhase.values:
        raise ValidationError(_("Jenis tes tidak dikenal."))
    programme = participant.cohort.programme
    if phase == TestPhase.POST:
        pre_done = TestAttempt.objects.filter(
            participant=participant, session=session, phase=TestPhase.PRE, submitted_at__isnull=False
        ).exists()
        if not pre_done:
            raise ValidationError(_("Kerjakan pretest sesi ini lebih dulu."))
        if programme.require_materials_before_posttest and materials_missing(participant, session):
            raise ValidationError(_("Buka semua materi sesi ini sebelum posttest."))
    bank = list(Question.objects.filter(session=session, is_active=True).values_list("pk", flat=True))
    if not bank:
        raise ValidationError(_("Bank soal sesi ini masih kosong."))
    drawn = draw_questions(bank, programme.questions_per_test, rng or random.SystemRandom())
    try:
        with transaction.atomic():
            return TestAttempt.objects.create(
                participant=participant,
                session=session,
                phase=phase,
                question_ids=drawn,
                started_at=timezone.now(),
                total=len(drawn),
            )
    except IntegrityError:  # a second tab started the same test at the same moment: keep theirs
        return TestAttempt.objects.get(participant=participant, session=session, phase=phase)


test_start.__test__ = False  # type: ignore[attr-defined]  # a service, not a pytest test


def test_answer(*, attempt: TestAttempt, question_id: int, choice_id: int, acting_user: Any) -> TestAnswer:
    """Save (or change) one answer of an open test the moment it is picked."""
    _own(attempt.participant, acting_user)
    if attempt.is_submitted:
        raise ValidationError(_("Tes ini sudah dikirim; jawaban tidak dapat diubah."))
    if question_id not in attempt.question_ids:
        raise ValidationError(_("Soal ini bukan bagian dari tes Anda."))
    if not Choice.objects.filter(pk=choice_id, question_id=question_id).exists():
        raise ValidationError(_("Pilihan ini bukan jawaban soal tersebut."))
    now = timezone.now()
    for _try in range(2):  # a double click may race with itself: the second try updates
        try:
            with transaction.atomic():
                answer, _created = TestAnswer.objects.update_or_create(
                    attempt=attempt, question_id=question_id, defaults={"choice_id": choice_id, "answered_at": now}
                )
                return answer
        except IntegrityError:
            continue
    return TestAnswer.objects.get(attempt=attempt, question_id=question_id)


test_answer.__test__ = False  # type: ignore[attr-defined]


@transaction.atomic
def test_submit(*, attempt: TestAttempt, acting_user: Any, at: dt.datetime | None = None) -> TestAttempt:
    """Submit the test and score it at once: right answers over the questions drawn (seed 001: "nilai
    langsung keluar"). Submitting again changes nothing."""
    _own(attempt.participant, acting_user)
    attempt = TestAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_submitted:
        return attempt
    correct = TestAnswer.objects.filter(
        attempt=attempt, question_id__in=attempt.question_ids, choice__is_correct=True
    ).count()
    attempt.correct = correct
    attempt.score = attempt_score(correct, attempt.total)
    attempt.submitted_at = at or timezone.now()
    attempt.save(update_fields=["correct", "score", "submitted_at"])
    events.training_event(
        events.TEST_SUBMITTED,
        attempt,
        actor=acting_user,
        after={"phase": attempt.phase, "session": attempt.session_id, "score": str(attempt.score)},
    ).save()
    return attempt


test_submit.__test__ = False  # type: ignore[attr-defined]


@transaction.atomic
def forum_topic_set(
    *, cohort: Cohort, session: ProgrammeSession, title: str, text: str, acting_user: Any
) -> ForumTopic:
    """The facilitator sets (or rewrites) the discussion theme of a session for the cohort."""
    if not may_facilitate(acting_user, cohort):
        raise PermissionDenied(_("Hanya fasilitator angkatan ini yang menetapkan topik forum."))
    if session.programme_id != cohort.programme_id:
        raise ValidationError(_("Sesi ini bukan bagian dari program angkatan."))
    topic, _created = ForumTopic.objects.update_or_create(
        cohort=cohort,
        session=session,
        defaults={"title": title, "text": text, "set_by": staff_of(acting_user), "created_at": timezone.now()},
    )
    events.training_event(events.TOPIC_SET, topic, actor=acting_user, after={"title": title}).save()
    return topic


def forum_post_create(
    *, topic: ForumTopic, text: str, acting_user: Any, reply_to: ForumPost | None = None, at: dt.datetime | None = None
) -> ForumPost:
    """A post (or a reply) by a participant of the cohort or one of its facilitators."""
    staff = staff_of(acting_user)
    if staff is None:
        raise PermissionDenied(_("Akun Anda belum terdaftar sebagai petugas."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Tulisan tidak boleh kosong.")})
    if reply_to is not None and reply_to.topic_id != topic.pk:
        raise ValidationError(_("Balasan harus pada topik yang sama."))
    participant = (
        Participant.objects.filter(cohort_id=topic.cohort_id, staff=staff)
        .select_related("cohort", "cohort__programme")
        .first()
    )
    if participant is not None:
        _learning_open(participant)
    elif not may_facilitate(acting_user, topic.cohort):
        raise PermissionDenied(_("Hanya peserta dan fasilitator angkatan ini yang menulis di forum."))
    return ForumPost.objects.create(
        topic=topic,
        author=staff,
        participant=participant,
        reply_to=reply_to,
        text=text,
        created_at=at or timezone.now(),
    )


@transaction.atomic
def forum_post_grade(*, post: ForumPost, grade: int, acting_user: Any, comment: str = "") -> ForumPost:
    """The facilitator grades a participant's post 0-100 with a comment (seed 001: "keaktifan dan
    kualitas jawaban dinilai oleh fasilitator")."""
    post = ForumPost.objects.select_for_update().select_related("topic__cohort").get(pk=post.pk)
    if not may_facilitate(acting_user, post.topic.cohort):
        raise PermissionDenied(_("Hanya fasilitator angkatan ini yang menilai tulisan forum."))
    if post.participant_id is None:
        raise ValidationError(_("Hanya tulisan peserta yang dinilai."))
    if not 0 <= grade <= 100:
        raise ValidationError({"grade": _("Nilai antara 0 dan 100.")})
    before = {"grade": post.grade, "grade_comment": post.grade_comment}
    post.grade, post.grade_comment = grade, comment[:500]
    post.graded_by, post.graded_at = staff_of(acting_user), timezone.now()
    post.save(update_fields=["grade", "grade_comment", "graded_by", "graded_at"])
    events.training_event(
        events.POST_GRADED,
        post,
        actor=acting_user,
        before=before,
        after={"grade": grade, "grade_comment": post.grade_comment},
    ).save()
    return post


def live_session_create(
    *,
    cohort: Cohort,
    session: ProgrammeSession,
    starts_at: dt.datetime,
    url: str,
    acting_user: Any,
    title: str = "",
    duration_minutes: int = 90,
) -> LiveSession:
    if not may_facilitate(acting_user, cohort):
        raise PermissionDenied(_("Hanya fasilitator angkatan ini yang menjadwalkan sesi langsung."))
    if session.programme_id != cohort.programme_id:
        raise ValidationError(_("Sesi ini bukan bagian dari program angkatan."))
    live = LiveSession(
        cohort=cohort,
        session=session,
        starts_at=starts_at,
        url=url,
        title=title,
        duration_minutes=duration_minutes,
        created_by=staff_of(acting_user),
    )
    live.full_clean()
    live.save()
    return live


@transaction.atomic
def live_attendance_record(*, live_session: LiveSession, present: Iterable[int], acting_user: Any) -> int:
    """Record who attended a live session: every participant of the cohort gets a row, present or
    not (set-based: one bulk update and one bulk insert). Returns the number present."""
    if not may_facilitate(acting_user, live_session.cohort):
        raise PermissionDenied(_("Hanya fasilitator angkatan ini yang mencatat kehadiran."))
    present_ids = set(present)
    ids = list(
        Participant.objects.filter(
            cohort_id=live_session.cohort_id,
            status__in=(ParticipantStatus.CONFIRMED, ParticipantStatus.PASSED, ParticipantStatus.FAILED),
        ).values_list("pk", flat=True)
    )
    now, staff = timezone.now(), staff_of(acting_user)
    existing = {a.participant_id: a for a in LiveAttendance.objects.filter(live_session=live_session)}
    changed = []
    for pid in ids:
        row = existing.get(pid)
        if row is not None:
            row.present, row.recorded_by, row.recorded_at = pid in present_ids, staff, now
            changed.append(row)
    LiveAttendance.objects.bulk_update(changed, ["present", "recorded_by", "recorded_at"])
    LiveAttendance.objects.bulk_create(
        [
            LiveAttendance(
                live_session=live_session,
                participant_id=pid,
                present=pid in present_ids,
                recorded_by=staff,
                recorded_at=now,
            )
            for pid in ids
            if pid not in existing
        ]
    )
    n = sum(1 for pid in ids if pid in present_ids)
    events.training_event(
        events.ATTENDANCE_RECORDED, live_session, actor=acting_user, after={"present": n, "participants": len(ids)}
    ).save()
    return n
