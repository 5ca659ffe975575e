"""The participant's pages, phone first: the cohort with its sessions and progress, a session with
its materials, pretest, forum, live sessions and posttest, and the test itself, whose answers are
saved by htmx the moment they are picked (a reload shows them; a dropped connection loses nothing).
Only the participant opens them: anyone else gets 404."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.scope import staff_of

from .. import selectors, services
from ..forms import PostForm
from ..models import (
    LEARNING_STATUSES,
    CohortStatus,
    ForumPost,
    ForumTopic,
    LiveAttendance,
    Material,
    MaterialKind,
    MaterialView,
    Participant,
    ParticipantStatus,
    ProgrammeSession,
    TestAnswer,
    TestAttempt,
    TestPhase,
)
from ..rules import REASON_LABELS, days_left
from ..services.learning import materials_missing


def _session_of(participant: Participant, session_pk: int) -> ProgrammeSession:
    return get_object_or_404(ProgrammeSession, pk=session_pk, programme_id=participant.cohort.programme_id)


def _learning_open(participant: Participant) -> bool:
    return participant.status == ParticipantStatus.CONFIRMED and participant.cohort.status in (
        CohortStatus.PLANNED,
        CohortStatus.RUNNING,
    )


@login_required
def learn_view(request: HttpRequest, participant_pk: int) -> HttpResponse:
    participant = selectors.own_participant_get(request.user, participant_pk)
    progress = selectors.participant_progress(participant)
    result = selectors.cohort_completions(participant.cohort, [participant])[participant.pk]
    return render(
        request,
        "training/learn.html",
        {
            "participant": participant,
            "cohort": participant.cohort,
            "progress": progress,
            "done": sum(1 for p in progress if p.done),
            "result": result,
            "reasons": [REASON_LABELS.get(r, r) for r in result.reasons],
            "days_left": days_left(participant.cohort.ends_on, timezone.localdate()),
            "open": _learning_open(participant),
        },
    )


@login_required
def session_view(request: HttpRequest, participant_pk: int, session_pk: int) -> HttpResponse:
    participant = selectors.own_participant_get(request.user, participant_pk)
    session = _session_of(participant, session_pk)
    attempts = {a.phase: a for a in TestAttempt.objects.filter(participant=participant, session=session)}
    topic = ForumTopic.objects.filter(cohort=participant.cohort, session=session).first()
    opened = set(MaterialView.objects.filter(participant=participant).values_list("material_id", flat=True))
    lives = list(participant.cohort.live_sessions.filter(session=session).order_by("starts_at"))
    attended = dict(
        LiveAttendance.objects.filter(participant=participant, live_session__in=lives).values_list(
            "live_session_id", "present"
        )
    )
    reply_to = request.GET.get("balas")
    pre = attempts.get(TestPhase.PRE)
    post_locked = ""
    if pre is None or not pre.is_submitted:
        post_locked = _("Posttest terbuka setelah pretest dikirim.")
    elif participant.cohort.programme.require_materials_before_posttest and materials_missing(participant, session):
        post_locked = _("Buka semua materi sesi ini sebelum posttest.")
    return render(
        request,
        "training/session.html",
        {
            "participant": participant,
            "cohort": participant.cohort,
            "session": session,
            "pre": pre,
            "post": attempts.get(TestPhase.POST),
            "post_locked": post_locked,
            "materials": [(m, m.pk in opened) for m in session.materials.all()],
            "topic": topic,
            "posts": selectors.forum_topic_posts(topic) if topic else [],
            "post_form": PostForm(initial={"reply_to": reply_to}) if topic else None,
            "reply_to": ForumPost.objects.filter(pk=reply_to, topic=topic).first()
            if topic and reply_to and reply_to.isdigit()
            else None,
            "lives": [(live, attended.get(live.pk)) for live in lives],
            "open": _learning_open(participant),
            "me": participant.staff_id,
        },
    )


@login_required
def material_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Open a material: the participant's opening is recorded (progress); a file is served, a video
    link and a text are shown. Editors of the programme open it too (nothing recorded)."""
    material = get_object_or_404(Material.objects.select_related("session__programme"), pk=pk)
    programme = material.session.programme
    participant = (
        Participant.objects.filter(
            staff=staff_of(request.user), cohort__programme=programme, status__in=LEARNING_STATUSES
        )
        .select_related("cohort")
        .order_by("-cohort__starts_on")
        .first()
        if staff_of(request.user)
        else None
    )
    if participant is not None:
        services.material_open(participant=participant, material=material, acting_user=request.user)
    elif not services.may_edit_programme(request.user, programme):
        raise Http404(_("Materi tidak ditemukan."))
    if material.kind == MaterialKind.FILE:
        return FileResponse(
            material.file.open("rb"), as_attachment=True, filename=(material.file.name or "materi").rsplit("/", 1)[-1]
        )
    back = (
        reverse("training:session", args=[participant.pk, material.session_id])
        if participant
        else reverse("training:session_bank", args=[material.session_id])
    )
    return render(request, "training/material.html", {"material": material, "back": back})


@login_required
def test_view(request: HttpRequest, participant_pk: int, session_pk: int, phase: str) -> HttpResponse:
    """The test: started (questions drawn) on first opening, the same questions and the saved
    answers on every reload; after submitting, its score."""
    participant = selectors.own_participant_get(request.user, participant_pk)
    session = _session_of(participant, session_pk)
    if phase not in TestPhase.values:
        raise Http404(_("Tes tidak dikenal."))
    try:
        attempt = services.test_start(participant=participant, session=session, phase=phase, acting_user=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("training:session", participant_pk=participant.pk, session_pk=session.pk)
    questions = {q.pk: q for q in session.questions.filter(pk__in=attempt.question_ids).prefetch_related("choices")}
    answers = dict(TestAnswer.objects.filter(attempt=attempt).values_list("question_id", "choice_id"))
    ordered = [questions[qid] for qid in attempt.question_ids if qid in questions]
    return render(
        request,
        "training/test.html",
        {
            "participant": participant,
            "session": session,
            "attempt": attempt,
            "questions": [(i, q, answers.get(q.pk)) for i, q in enumerate(ordered, start=1)],
            "answered": len(answers),
            "right": set(
                TestAnswer.objects.filter(attempt=attempt, choice__is_correct=True).values_list(
                    "question_id", flat=True
                )
            )
            if attempt.is_submitted
            else set(),
        },
    )


def _attempt_own(request: HttpRequest, pk: int) -> TestAttempt:
    staff = staff_of(request.user)
    attempt = (
        TestAttempt.objects.filter(pk=pk, participant__staff=staff).select_related("participant").first()
        if staff
        else None
    )
    if attempt is None:
        raise Http404(_("Tes tidak ditemukan."))
    return attempt


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save one answer the moment it is picked; answers with a small status fragment."""
    attempt = _attempt_own(request, pk)
    question, choice = _int(request.POST.get("question")), _int(request.POST.get("choice"))
    if question is None or choice is None:
        return HttpResponse(_("Jawaban tidak lengkap."), status=400)
    try:
        services.test_answer(attempt=attempt, question_id=question, choice_id=choice, acting_user=request.user)
    except ValidationError as e:
        return render(request, "training/_saved.html", {"error": " ".join(e.messages), "q": question}, status=409)
    return render(request, "training/_saved.html", {"q": question, "at": timezone.localtime()})


@login_required
@require_POST
def submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the test. Answers posted with the form (a browser without htmx) are saved first."""
    attempt = _attempt_own(request, pk)
    if not attempt.is_submitted:
        for qid in attempt.question_ids:
            choice = _int(request.POST.get(f"q{qid}"))
            if choice is not None:
                # A choice of another question is ignored: the saved answer stands.
                with contextlib.suppress(ValidationError):
                    services.test_answer(attempt=attempt, question_id=qid, choice_id=choice, acting_user=request.user)
        attempt = services.test_submit(attempt=attempt, acting_user=request.user)
        messages.success(
            request,
            _("%(t)s dikirim. Nilai Anda: %(s)s (%(c)d dari %(n)d benar).")
            % {"t": attempt.get_phase_display(), "s": attempt.score, "c": attempt.correct or 0, "n": attempt.total},
        )
    return redirect(
        "training:test", participant_pk=attempt.participant_id, session_pk=attempt.session_id, phase=attempt.phase
    )


@login_required
@require_POST
def post_view(request: HttpRequest, participant_pk: int, session_pk: int) -> HttpResponse:
    participant = selectors.own_participant_get(request.user, participant_pk)
    session = _session_of(participant, session_pk)
    topic = get_object_or_404(ForumTopic, cohort=participant.cohort, session=session)
    form = PostForm(request.POST)
    url = reverse("training:session", args=[participant.pk, session.pk]) + "#forum"
    if not form.is_valid():
        messages.error(request, _("Tulisan tidak boleh kosong."))
        return redirect(url)
    reply_to = None
    if form.cleaned_data.get("reply_to"):
        reply_to = ForumPost.objects.filter(pk=form.cleaned_data["reply_to"], topic=topic).first()
    try:
        post = services.forum_post_create(
            topic=topic, text=form.cleaned_data["text"], reply_to=reply_to, acting_user=request.user
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(url)
    messages.success(request, _("Tulisan Anda tersimpan di forum."))
    return redirect(reverse("training:session", args=[participant.pk, session.pk]) + f"#post-{post.pk}")
