"""The pendamping's phone screens for the before/after knowledge check of a held meeting: the
scores of every family present, and one family's answers question by question (issue 3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from harapan.meetings.models import Meeting
from harapan.meetings.selectors import meeting_get

from ..models import CheckPhase, KnowledgeCheck, KnowledgeQuestion
from ..selectors import knowledge_check_answers, knowledge_check_rows
from ..services import (
    Score,
    knowledge_answers_record,
    knowledge_check_problem,
    knowledge_check_total,
    knowledge_scores_record,
    knowledge_scores_validate,
    may_record_checks,
)

PHASES = [(CheckPhase.PRE.value, "pre"), (CheckPhase.POST.value, "post")]


def _parse(text: str) -> int | None:
    """A typed score: empty means not collected; ValueError for anything but a whole number."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


def _meeting(request: HttpRequest, pk: int) -> tuple[Meeting, int, str | None]:
    meeting = meeting_get(request.user, pk)
    may_record_checks(request.user, meeting)
    total = knowledge_check_total(meeting)
    return meeting, total, knowledge_check_problem(meeting, total)


@login_required
def knowledge_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Two small inputs per family present (sebelum / sesudah, out of N). A failed save keeps
    what was typed and names each row and the rule it broke."""
    meeting, total, problem = _meeting(request, pk)
    rows = knowledge_check_rows(meeting)
    typed: dict[int, tuple[str, str]] = {
        r["hid"]: (
            "" if r["check"] is None or r["check"].pre_correct is None else str(r["check"].pre_correct),
            "" if r["check"] is None or r["check"].post_correct is None else str(r["check"].post_correct),
        )
        for r in rows
    }
    errors: dict[str, list[str]] = {}
    failed = ""
    if request.method == "POST" and problem is None:
        typed = {
            r["hid"]: (request.POST.get(f"pre-{r['hid']}", "")[:5], request.POST.get(f"post-{r['hid']}", "")[:5])
            for r in rows
        }
        scores: dict[int, Score] = {}
        for hid, (pre_text, post_text) in typed.items():
            try:
                scores[hid] = (_parse(pre_text), _parse(post_text))
            except ValueError:
                errors[str(hid)] = [_("Isi angka bulat 0 sampai %(n)d, atau kosongkan.") % {"n": total}]
        # Every row at once, so one round trip shows every mistake.
        for key, problems in knowledge_scores_validate(scores, total=total, present=set(typed)).items():
            errors.setdefault(key, problems)
        if not errors:
            try:
                counts = knowledge_scores_record(meeting=meeting, scores=scores, acting_user=request.user)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    errors = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
                else:
                    failed = " ".join(exc.messages)
            else:
                messages.success(
                    request, _("Nilai cek pengetahuan tersimpan untuk %(n)d KPM.") % {"n": counts["saved"]}
                )
                return redirect(reverse("p2k2:knowledge_check", args=[meeting.pk]) + "?tersimpan=1")
        if errors:
            names = {str(r["hid"]): r["name"] for r in rows}
            failed = _("Belum tersimpan. Periksa: %(rows)s") % {
                "rows": "; ".join(f"{names.get(hid, hid)}: {' '.join(msgs)}" for hid, msgs in errors.items())
            }
    view_rows = [
        {
            **r,
            "pre": typed.get(r["hid"], ("", ""))[0],
            "post": typed.get(r["hid"], ("", ""))[1],
            "error": " ".join(errors.get(str(r["hid"]), [])),
        }
        for r in rows
    ]
    return render(
        request,
        "p2k2/knowledge_check.html",
        {
            "meeting": meeting,
            "total": total,
            "problem": problem,
            "failed": failed,
            "rows": view_rows,
            "saved": request.GET.get("tersimpan") == "1" and not failed,
        },
        status=400 if failed else 200,
    )


@login_required
def knowledge_answers_view(request: HttpRequest, pk: int, household_id: int) -> HttpResponse:
    """One family's check question by question, before and after the session; the score is the
    number of correct choices. A half left unanswered keeps its score."""
    meeting, total, problem = _meeting(request, pk)
    row = next((r for r in knowledge_check_rows(meeting) if r["hid"] == household_id), None)
    if row is None:
        raise Http404(_("KPM ini tidak tercatat hadir pada pertemuan ini."))
    check: KnowledgeCheck | None = row["check"]
    questions = list(KnowledgeQuestion.objects.filter(session=meeting.session).prefetch_related("choices"))
    picked = knowledge_check_answers(check)
    if problem is None and len(questions) != total:
        problem = _("Pertanyaan sesi ini berubah sejak nilai pertama dicatat; isi jumlah jawaban benar saja.")
    failed = ""
    if request.method == "POST" and problem is None:
        picked = {phase: {} for phase, _prefix in PHASES}
        for phase, prefix in PHASES:
            for q in questions:
                value = request.POST.get(f"{prefix}-q{q.pk}", "")
                if value.isdigit():
                    picked[phase][q.pk] = int(value)
        answers = {phase: choices for phase, choices in picked.items() if choices}
        try:
            knowledge_answers_record(
                meeting=meeting, household_id=household_id, answers=answers, acting_user=request.user
            )
        except ValidationError as exc:
            labels = dict(CheckPhase.choices)
            if hasattr(exc, "error_dict"):
                failed = " ".join(
                    f"{labels.get(k, '')}: {' '.join(m for e in v for m in e.messages)}".lstrip(": ")
                    for k, v in exc.error_dict.items()
                )
            else:
                failed = " ".join(exc.messages)
        else:
            messages.success(request, _("Jawaban %(name)s tersimpan.") % {"name": row["name"]})
            return redirect("p2k2:knowledge_check", pk=meeting.pk)
    items: list[dict[str, Any]] = [
        {
            "question": q,
            "phases": [
                {"prefix": prefix, "choices": [(c, picked[phase].get(q.pk) == c.pk) for c in q.choices.all()]}
                for phase, prefix in PHASES
            ],
        }
        for q in questions
    ]
    return render(
        request,
        "p2k2/knowledge_answers.html",
        {
            "meeting": meeting,
            "row": row,
            "total": total,
            "problem": problem,
            "failed": failed,
            "items": items,
        },
        status=400 if failed else 200,
    )
