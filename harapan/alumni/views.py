"""Alumni evaluation pages: the surveys, a new survey, one survey (questions, opening, response
rate, reminders), the evaluation report with its PDF and XLSX, and the respondent's questionnaire
reached by its link (no login: the link's token is the credential). Out of scope is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.models import Role
from harapan.accounts.scope import staff_of
from harapan.conf import setting

from . import services
from .forms import QuestionForm, SurveyForm
from .models import Answer, Invitation, QuestionKind, Survey, SurveyQuestion, SurveyStatus
from .pdf import report_pdf
from .report import evaluation_report, figure_note
from .selectors import (
    area_kabupaten,
    cohorts_for,
    invitation_by_token,
    invitations_in_scope,
    kabupaten_name,
    manages_survey,
    may_manage,
    own_invitations,
    programmes_for,
    response_by_cohort,
    response_by_kabupaten,
    response_total,
    survey_get,
    visible_surveys,
)
from .xlsx import report_xlsx


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _messages_of(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


# --- Staff pages --------------------------------------------------------------------------------


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    """The surveys the user runs or may read; for a pendamping, their own open questionnaires."""
    staff = staff_of(request.user)
    if staff is None:
        raise Http404(_("Halaman tidak ditemukan."))
    kabupaten = area_kabupaten(request.user)
    # A korkab counts the alumni of their kabupaten/kota only.
    mine = Q(invitations__kabupaten_id=kabupaten) if kabupaten and not may_manage(request.user) else Q()
    surveys = (
        visible_surveys(request.user)
        .select_related("programme", "centre")
        .annotate(
            invited=Count("invitations", filter=mine, distinct=True),
            answered=Count("invitations", filter=mine & Q(invitations__submitted_at__isnull=False), distinct=True),
        )
        .order_by("-opens_on", "-pk")
    )
    return render(
        request,
        "alumni/index.html",
        {
            "surveys": list(surveys[:200]),
            "can_manage": may_manage(request.user),
            "area": kabupaten_name(kabupaten),
            "own": list(own_invitations(request.user)) if staff.role == Role.PENDAMPING else [],
        },
    )


@login_required
def create_view(request: HttpRequest) -> HttpResponse:
    if not may_manage(request.user):
        raise Http404(_("Halaman tidak ditemukan."))
    programmes, cohorts = programmes_for(request.user), cohorts_for(request.user)
    form = SurveyForm(request.POST or None, programmes=programmes, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            survey = services.survey_create(
                programme=cd["programme"],
                title=cd["title"],
                intro=cd["intro"],
                cohorts=list(cd["cohorts"]),
                completed_before=cd["completed_before"],
                opens_on=cd["opens_on"],
                closes_on=cd["closes_on"],
                period_start=cd["period_start"],
                period_end=cd["period_end"],
                acting_user=request.user,
            )
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for name, errors in e.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, e)
        else:
            messages.success(request, _("Survei dibuat. Tambahkan pertanyaan, lalu buka survei."))
            return redirect("alumni:detail", pk=survey.pk)
    return render(request, "alumni/create.html", {"form": form}, status=400 if request.method == "POST" else 200)


def _detail_page(
    request: HttpRequest,
    survey: Survey,
    *,
    question_form: QuestionForm | None = None,
    delivery: services.Delivery | None = None,
    delivery_kind: str = "",
    status: int = 200,
) -> HttpResponse:
    invitations = invitations_in_scope(request.user, survey)
    waiting = list(
        invitations.filter(submitted_at__isnull=True)
        .select_related("staff", "kabupaten")
        .order_by("staff__full_name", "pk")[:2000]
    )
    return render(
        request,
        "alumni/detail.html",
        {
            "survey": survey,
            "questions": list(survey.questions.order_by("order", "pk")),
            "question_form": question_form or (QuestionForm() if survey.status == SurveyStatus.DRAFT else None),
            "total": response_total(invitations),
            "by_cohort": response_by_cohort(invitations),
            "by_kabupaten": response_by_kabupaten(invitations),
            "waiting": waiting,
            "delivery": delivery,
            "delivery_kind": delivery_kind,
            "reminder_max": setting("alumni", "REMINDER_MAX"),
            "reminder_min_days": setting("alumni", "REMINDER_MIN_DAYS"),
            "is_draft": survey.status == SurveyStatus.DRAFT,
            "is_open": survey.status == SurveyStatus.OPEN,
            "base_url": _base_url(request),
        },
        status=status,
    )


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_get(user=request.user, pk=pk, manage=True)
    return _detail_page(request, survey)


@require_POST
@login_required
def question_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_get(user=request.user, pk=pk, manage=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.questions_add(survey=survey, questions=[form.question_data()], acting_user=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Pertanyaan ditambahkan."))
            return redirect("alumni:detail", pk=pk)
    return _detail_page(request, survey, question_form=form, status=400)


@require_POST
@login_required
def questions_default_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_get(user=request.user, pk=pk, manage=True)
    try:
        added = services.questions_load_default(survey=survey, acting_user=request.user)
    except ValidationError as e:
        messages.error(request, _messages_of(e))
    else:
        messages.success(request, _("%(n)d pertanyaan baku dimuat.") % {"n": len(added)})
    return redirect("alumni:detail", pk=pk)


@require_POST
@login_required
def question_delete_view(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = survey_get(user=request.user, pk=pk, manage=True)
    question = get_object_or_404(SurveyQuestion, pk=question_pk, survey=survey)
    try:
        services.question_delete(question=question, acting_user=request.user)
    except ValidationError as e:
        messages.error(request, _messages_of(e))
    else:
        messages.success(request, _("Pertanyaan dihapus."))
    return redirect("alumni:detail", pk=pk)


@require_POST
@login_required
def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_get(user=request.user, pk=pk, manage=True)
    try:
        delivery = services.survey_open(survey=survey, acting_user=request.user, base_url=_base_url(request))
    except ValidationError as e:
        messages.error(request, _messages_of(e))
        return redirect("alumni:detail", pk=pk)
    survey.refresh_from_db()
    messages.success(request, _("Survei dibuka: %(n)d alumni diundang.") % {"n": delivery.count})
    return _detail_page(request, survey, delivery=delivery, delivery_kind="undangan")


@require_POST
@login_required
def close_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = survey_get(user=request.user, pk=pk, manage=True)
    try:
        services.survey_close(survey=survey, acting_user=request.user)
    except ValidationError as e:
        messages.error(request, _messages_of(e))
    else:
        messages.success(request, _("Survei ditutup."))
    return redirect("alumni:detail", pk=pk)


@require_POST
@login_required
def remind_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Kirim pengingat: email where the alumnus has an address, WhatsApp-ready links for the rest."""
    survey = survey_get(user=request.user, pk=pk, manage=True)
    try:
        delivery = services.invitations_remind(survey=survey, acting_user=request.user, base_url=_base_url(request))
    except ValidationError as e:
        messages.error(request, _messages_of(e))
        return redirect("alumni:detail", pk=pk)
    messages.success(
        request,
        _("Pengingat: %(e)d lewat email, %(w)d untuk dikirim lewat WhatsApp; %(c)d sudah mencapai batas pengingat.")
        % {"e": delivery.emailed, "w": len(delivery.by_hand), "c": delivery.skipped_capped},
    )
    return _detail_page(request, survey, delivery=delivery, delivery_kind="pengingat")


# --- The report ---------------------------------------------------------------------------------


def _report(request: HttpRequest, pk: int) -> Any:
    survey = survey_get(user=request.user, pk=pk)
    invitations = invitations_in_scope(request.user, survey)
    area = "" if manages_survey(request.user, survey) else kabupaten_name(area_kabupaten(request.user))
    return evaluation_report(survey, invitations, area=area)


@login_required
def report_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(
        request,
        "alumni/report.html",
        {
            "report": report,
            "survey": report.survey,
            "notes": {f.figure: figure_note(f.figure) for f in report.figures},
            "chart_data": report.chart_data(),
            "chart_labels": {
                "reported": _("Dilaporkan"),
                "recorded": _("Tercatat di Harapan"),
                "rate": _("Tingkat respons (%)"),
                "count": _("Jumlah responden"),
            },
            "can_manage": may_manage(request.user),
        },
    )


@login_required
def report_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    response = HttpResponse(report_pdf(report, on=timezone.localdate()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evaluasi-alumni-{report.survey.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    response = HttpResponse(
        report_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="evaluasi-alumni-{report.survey.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- The respondent's questionnaire (no login: the token is the credential) --------------------


def _private(response: HttpResponse) -> HttpResponse:
    """The link's token must not leak through caches, the Referer header to other sites, or search
    engines (same-origin, not no-referrer: Chromium then sends "Origin: null" and CSRF refuses)."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _entries(request: HttpRequest, questions: list[SurveyQuestion]) -> dict[int, Any]:
    """What the form holds for each question (a list for a multiple choice)."""
    out: dict[int, Any] = {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == QuestionKind.CHOICE and q.multiple:
            out[q.pk] = request.POST.getlist(name)
        else:
            out[q.pk] = request.POST.get(name, "")
    return out


def _saved(invitation: Invitation) -> dict[int, Any]:
    """The saved answers as the form shows them."""
    out: dict[int, Any] = {}
    for a in Answer.objects.filter(invitation=invitation).select_related("question"):
        q = a.question
        if q.kind == QuestionKind.CHOICE:
            out[q.pk] = a.choices if q.multiple else a.text
        elif q.kind == QuestionKind.TEXT:
            out[q.pk] = a.text
        elif a.number is not None:
            n = a.number.normalize()
            out[q.pk] = format(n, "f").replace(".", ",") if q.kind == QuestionKind.NUMBER else str(int(n))
    return out


def _questionnaire(
    request: HttpRequest,
    invitation: Invitation,
    *,
    values: dict[int, Any] | None = None,
    errors: dict[int, list[str]] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    survey = invitation.survey
    today = timezone.localdate()
    questions = list(survey.questions.order_by("order", "pk"))
    values = _saved(invitation) if values is None else values
    errors = errors or {}
    state = "submitted" if invitation.is_submitted else ("open" if survey.accepts_answers_on(today) else "closed")
    if state == "closed" and survey.status == SurveyStatus.OPEN and today < survey.opens_on:
        state = "not_yet"
    rows = []
    for q in questions:
        value = values.get(q.pk, [] if q.multiple else "")
        rows.append(
            {
                "q": q,
                "name": f"q{q.pk}",
                "value": value,
                "values": value if isinstance(value, list) else [value],
                "errors": errors.get(q.pk, []),
                "scale": [str(v) for v in range(q.scale_min, q.scale_max + 1)] if q.kind == QuestionKind.SCALE else [],
            }
        )
    answered = sum(1 for r in rows if r["value"] not in ("", [], None))
    return _private(
        render(
            request,
            "alumni/answer.html",
            {
                "invitation": invitation,
                "survey": survey,
                "rows": rows,
                "state": state,
                "problem": problem,
                "answered": answered,
                "total": len(rows),
            },
            status=status,
        )
    )


def answer_view(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire behind one link. GET shows it with what is saved; POST saves every answer
    (action "simpan") or saves and submits (action "kirim") - the page works without JavaScript, and
    with it each change is saved at once through ``answer_save_view``."""
    invitation = invitation_by_token(token)
    if request.method == "GET":
        if invitation.survey.accepts_answers_on(timezone.localdate()) and not invitation.is_submitted:
            services.invitation_opened(invitation)
        return _questionnaire(request, invitation)
    if request.method != "POST":
        return HttpResponse(status=405)
    questions = list(invitation.survey.questions.order_by("order", "pk"))
    entries = _entries(request, questions)
    try:
        errors = services.answers_save(invitation=invitation, raw=entries)
    except ValidationError as e:
        return _questionnaire(request, invitation, problem=_messages_of(e), status=409)
    if errors:
        return _questionnaire(request, invitation, values=entries, errors=errors, status=400)
    if request.POST.get("action") == "kirim":
        try:
            services.invitation_submit(invitation=invitation)
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                missing = {int(k): [str(m) for m in v[0].messages] for k, v in e.error_dict.items()}
                return _questionnaire(
                    request,
                    invitation,
                    errors=missing,
                    problem=_("Masih ada pertanyaan wajib yang belum dijawab."),
                    status=400,
                )
            return _questionnaire(request, invitation, problem=_messages_of(e), status=409)
    # Post/redirect/get: reloading the thank-you page does not send the form again.
    return redirect("alumni:answer", token=token)


@require_POST
def answer_save_view(request: HttpRequest, token: str) -> HttpResponse:
    """Save the whole questionnaire as it stands (htmx, on every change): the status line and each
    question's message come back; nothing typed is lost when the connection drops afterwards."""
    invitation = invitation_by_token(token)
    questions = list(invitation.survey.questions.order_by("order", "pk"))
    try:
        errors = services.answers_save(invitation=invitation, raw=_entries(request, questions))
    except ValidationError as e:
        return _private(
            # 200, so that htmx shows why (the survey closed, or the answers were already sent).
            render(request, "alumni/_save_status.html", {"problem": _messages_of(e), "questions": []})
        )
    answered = Answer.objects.filter(invitation=invitation).count()
    return _private(
        render(
            request,
            "alumni/_save_status.html",
            {
                "questions": [{"pk": q.pk, "errors": errors.get(q.pk, [])} for q in questions],
                "saved_at": timezone.localtime(),
                "answered": answered,
                "total": len(questions),
                "has_errors": bool(errors),
            },
        )
    )
