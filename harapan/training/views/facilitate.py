"""The facilitator's pages of a cohort: forum topics per session, grading participants' posts
(0-100 with a comment) and replying, live sessions and their attendance (seed 001: "diskusi ...
dengan tema dari fasilitator ... dinilai oleh fasilitator"; "video conference ... dipandu oleh
fasilitator")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import GradeForm, LiveSessionForm, PostForm, TopicForm
from ..models import Cohort, ForumPost, ForumTopic, LiveAttendance, LiveSession, ParticipantStatus
from .manage import error_message


def _facilitated(request: HttpRequest, pk: int) -> Cohort:
    cohort = selectors.cohort_get(request.user, pk)
    if not services.may_facilitate(request.user, cohort):
        raise PermissionDenied(_("Halaman ini untuk fasilitator angkatan."))
    return cohort


@login_required
def forum_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every session's topic of the cohort with its posts, a grade form on each participant post."""
    cohort = _facilitated(request, pk)
    sessions = selectors.programme_sessions(cohort.programme)
    topics = {t.session_id: t for t in ForumTopic.objects.filter(cohort=cohort)}
    only_ungraded = request.GET.get("belum") == "1"
    blocks = []
    for s in sessions:
        topic = topics.get(s.pk)
        posts = selectors.forum_topic_posts(topic) if topic else []
        if only_ungraded:
            posts = [p for p in posts if p.participant_id and p.grade is None]
        blocks.append((s, topic, posts))
    return render(
        request,
        "training/forum.html",
        {
            "cohort": cohort,
            "blocks": blocks,
            "topic_form": TopicForm(sessions=cohort.programme.sessions.order_by("order"), prefix="topic"),
            "only_ungraded": only_ungraded,
            "ungraded": ForumPost.objects.filter(
                topic__cohort=cohort, participant__isnull=False, grade__isnull=True
            ).count(),
        },
    )


@login_required
@require_POST
def topic_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _facilitated(request, pk)
    form = TopicForm(request.POST, sessions=cohort.programme.sessions.all(), prefix="topic")
    if form.is_valid():
        cd = form.cleaned_data
        try:
            services.forum_topic_set(
                cohort=cohort, session=cd["session"], title=cd["title"], text=cd["text"], acting_user=request.user
            )
            messages.success(request, _("Topik forum disimpan."))
        except ValidationError as e:
            error_message(request, e)
    else:
        messages.error(request, _("Lengkapi sesi, judul dan pertanyaan diskusi."))
    return redirect("training:forum", pk=cohort.pk)


@login_required
@require_POST
def grade_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(ForumPost.objects.select_related("topic__cohort"), pk=pk)
    cohort = _facilitated(request, post.topic.cohort_id)
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.forum_post_grade(
                post=post,
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
            )
            messages.success(request, _("Nilai disimpan."))
        except ValidationError as e:
            error_message(request, e)
    else:
        messages.error(request, _("Nilai antara 0 dan 100."))
    suffix = "?belum=1" if request.POST.get("belum") == "1" else ""
    return redirect(reverse("training:forum", args=[cohort.pk]) + suffix + f"#post-{post.pk}")


@login_required
@require_POST
def facilitator_post_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A facilitator's post or reply in a topic."""
    topic = get_object_or_404(ForumTopic.objects.select_related("cohort"), pk=pk)
    cohort = _facilitated(request, topic.cohort_id)
    form = PostForm(request.POST)
    if form.is_valid():
        reply_to = (
            ForumPost.objects.filter(pk=form.cleaned_data["reply_to"], topic=topic).first()
            if form.cleaned_data.get("reply_to")
            else None
        )
        try:
            services.forum_post_create(
                topic=topic, text=form.cleaned_data["text"], reply_to=reply_to, acting_user=request.user
            )
            messages.success(request, _("Tanggapan disimpan."))
        except ValidationError as e:
            error_message(request, e)
    return redirect(reverse("training:forum", args=[cohort.pk]) + f"#topic-{topic.pk}")


@login_required
def live_view(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _facilitated(request, pk)
    form = LiveSessionForm(request.POST or None, sessions=cohort.programme.sessions.order_by("order"), prefix="live")
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.live_session_create(
                cohort=cohort,
                session=cd["session"],
                starts_at=cd["starts_at"],
                url=cd["url"],
                title=cd["title"],
                duration_minutes=cd["duration_minutes"],
                acting_user=request.user,
            )
            messages.success(request, _("Sesi langsung dijadwalkan."))
            return redirect("training:live", pk=cohort.pk)
        except ValidationError as e:
            error_message(request, e)
    participants = list(
        cohort.participants.filter(
            status__in=(ParticipantStatus.CONFIRMED, ParticipantStatus.PASSED, ParticipantStatus.FAILED)
        )
        .select_related("staff")
        .order_by("staff__full_name")
    )
    lives = list(cohort.live_sessions.select_related("session").order_by("starts_at"))
    present = {
        (a.live_session_id, a.participant_id): a.present for a in LiveAttendance.objects.filter(live_session__in=lives)
    }
    return render(
        request,
        "training/live.html",
        {
            "cohort": cohort,
            "form": form,
            "lives": [
                (
                    live,
                    [(p, present.get((live.pk, p.pk))) for p in participants],
                    any((live.pk, p.pk) in present for p in participants),
                )
                for live in lives
            ],
        },
    )


@login_required
@require_POST
def attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    live = get_object_or_404(LiveSession.objects.select_related("cohort"), pk=pk)
    cohort = _facilitated(request, live.cohort_id)
    present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    n = services.live_attendance_record(live_session=live, present=present, acting_user=request.user)
    messages.success(request, _("Kehadiran dicatat: %(n)d hadir.") % {"n": n})
    return redirect(reverse("training:live", args=[cohort.pk]) + f"#live-{live.pk}")
