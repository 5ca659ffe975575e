"""Pemutakhiran pages: choose a kind and record it from the family page (a phone in the field),
the approvers' queue, the update with its before -> after, evidence and decisions, and the
evidence photos themselves (served only here, after the scope check)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.models import Role
from harapan.accounts.scope import staff_of
from harapan.registry.models import Household
from harapan.registry.selectors import household_get

from .forms import FORMS, DecisionForm, UpdateForm
from .models import DataUpdate, DataUpdateEvidence, UpdateKind
from .selectors import (
    approver_roles,
    change_of,
    components_before_after,
    scoped_updates,
    update_get,
    update_queue,
    update_rows,
    update_subject,
    updates_submitted,
)
from .services import may_decide, may_submit, update_cancel, update_decide, update_submit

PAGE_SIZE = 50
EVIDENCE_FIELD = "evidence"


def _carer_name(household: Household) -> str:
    carer = household.members.filter(is_carer=True).only("name").first()
    return carer.name if carer else ""


def _put_errors(form: UpdateForm, error: ValidationError) -> list[str]:
    """A service's errors next to the fields they name; the evidence errors are returned apart
    (the photo input is not a form field)."""
    evidence: list[str] = []
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return evidence
    for name, errors in error.error_dict.items():
        if name == EVIDENCE_FIELD:
            evidence += [m for e in errors for m in e.messages]
        elif name in form.fields:
            form.add_error(name, errors)
        else:
            form.add_error(None, errors)
    return evidence


# --- Recording an update (pendamping, operator, korkab) ----------------------------------------


def _submittable(request: HttpRequest, household_pk: int) -> Household:
    household = household_get(user=request.user, pk=household_pk)
    if not may_submit(request.user, household):
        raise PermissionDenied(_("Anda tidak dapat mengajukan pemutakhiran untuk KPM ini."))
    return household


@login_required
def choose_kind_view(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = _submittable(request, household_pk)
    kinds = [(kind, label, FORMS[kind].explanation) for kind, label in UpdateKind.choices]
    return render(
        request,
        "updates/choose_kind.html",
        {"household": household, "carer_name": _carer_name(household), "kinds": kinds},
    )


@login_required
def submit_view(request: HttpRequest, household_pk: int, kind: str) -> HttpResponse:
    household = _submittable(request, household_pk)
    if kind not in FORMS:
        raise Http404(_("Jenis pemutakhiran tidak dikenal."))
    form_class = FORMS[kind]
    evidence_errors: list[str] = []
    if request.method == "POST":
        form = form_class(request.POST, household=household)
        files = request.FILES.getlist(EVIDENCE_FIELD)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                update = update_submit(
                    household=household,
                    kind=kind,
                    member=cd.get("member"),
                    effective_date=cd["effective_date"],
                    payload=form.payload(),
                    note=cd.get("note", ""),
                    evidence=files,
                    acting_user=request.user,
                )
            except ValidationError as e:
                evidence_errors = _put_errors(form, e)
            else:
                messages.success(
                    request,
                    _("Pemutakhiran %(kind)s diajukan; menunggu persetujuan %(role)s.")
                    % {"kind": update.get_kind_display(), "role": Role(update.awaiting_role).label},
                )
                return redirect("updates:detail", pk=update.pk)
        elif not files:
            evidence_errors = [_("Lampirkan foto bukti (dokumen atau surat keterangan).")]
    else:
        form = form_class(household=household, initial={"effective_date": timezone.localdate()})
    return render(
        request,
        "updates/submit.html",
        {
            "household": household,
            "carer_name": _carer_name(household),
            "kind": kind,
            "kind_label": UpdateKind(kind).label,
            "form": form,
            "evidence_errors": evidence_errors,
            "posted": request.method == "POST",
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The queue and one update ------------------------------------------------------------------


@login_required
def queue_view(request: HttpRequest) -> HttpResponse:
    """Updates awaiting the user's role in their scope, and the user's own open submissions."""
    staff = staff_of(request.user)
    kind = request.GET.get("jenis", "")
    kind = kind if kind in UpdateKind.values else ""
    approves = staff is not None and staff.role in approver_roles()
    page = Paginator(update_queue(user=request.user, kind=kind) if approves else DataUpdate.objects.none(), PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    queue = [(u, update_subject(u)) for u in page_obj.object_list]
    mine = [(u, update_subject(u)) for u in updates_submitted(user=request.user)[:PAGE_SIZE]]
    return render(
        request,
        "updates/queue.html",
        {
            "approves": approves,
            "page": page_obj,
            "queue": queue,
            "mine": mine,
            "kinds": UpdateKind.choices,
            "kind": kind,
        },
    )


def _detail(
    request: HttpRequest,
    update: DataUpdate,
    *,
    decision_form: DecisionForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    staff = staff_of(request.user)
    change = change_of(update)
    can_decide = may_decide(request.user, update)
    return render(
        request,
        "updates/detail.html",
        {
            "update": update,
            "household": update.household,
            "carer_name": _carer_name(update.household),
            "subject": update_subject(update),
            "rows": update_rows(update, change),
            "components": components_before_after(update, change) if update.is_open else [],
            "evidence": list(update.evidence.all()),
            "decisions": list(update.decisions.select_related("decided_by")),
            "chain": [(i + 1, Role(r).label) for i, r in enumerate(update.chain)],
            "decision_form": decision_form or (DecisionForm() if can_decide else None),
            "can_cancel": update.is_open and staff is not None and update.submitted_by_id == staff.pk,
            "problem": problem,
        },
        status=status,
    )


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, update_get(user=request.user, pk=pk))


@require_POST
@login_required
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    update = update_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, update, decision_form=form, status=400)
    try:
        update = update_decide(
            update=update, approve=form.approve, reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except ValidationError as e:
        if hasattr(e, "error_dict") and "reason" in e.error_dict:
            form.add_error("reason", e.error_dict["reason"])
            return _detail(request, update, decision_form=form, status=400)
        problem = _messages(e)
        if form.approve:
            problem = _("Belum dapat diterapkan; pemutakhiran tetap menunggu. %(why)s") % {"why": problem}
        return _detail(request, update_get(user=request.user, pk=pk), decision_form=form, problem=problem, status=409)
    messages.success(
        request,
        {
            "ditolak": _("Pemutakhiran ditolak."),
            "menunggu_lanjut": _("Disetujui; diteruskan ke %(role)s.")
            % {"role": Role(update.awaiting_role).label if update.awaiting_role else ""},
            "diterapkan": _("Disetujui dan diterapkan pada data keluarga."),
        }.get(update.status, update.get_status_display()),
    )
    return redirect("updates:detail", pk=update.pk)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_POST
@login_required
def cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    update = update_get(user=request.user, pk=pk)
    try:
        update_cancel(update=update, acting_user=request.user)
    except ValidationError as e:
        return _detail(request, update, problem=_messages(e), status=409)
    messages.success(request, _("Pemutakhiran dibatalkan."))
    return redirect("updates:detail", pk=pk)


@login_required
def evidence_view(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence photo, only for a reader who may see the family."""
    evidence = DataUpdateEvidence.objects.filter(pk=pk, update__in=scoped_updates(request.user)).first()
    if evidence is None:
        raise Http404(_("Bukti tidak ditemukan di wilayah Anda."))
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type or "application/octet-stream")
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
