"""Sanctions per area with filters, one sanction with the records behind it and its history, the
decision on a proposed cancellation, and an area's evaluation (RULES.md "Sanctions (configurable
ladder)")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.scope import region_in_scope, require_role, staff_of
from harapan.audit.labels import action_label, field_label, value_label
from harapan.audit.models import AuditEvent
from harapan.conf import setting

from ..evaluation import evaluation_run_create
from ..forms import DecisionForm, EvaluationForm, SanctionFilterForm
from ..models import EvaluationRun, month_start
from ..selectors import sanction_get, sanction_list, sanctions_with_basis
from ..services import may_decide, sanction_confirm, sanction_reject
from ..tasks import run_evaluation
from .common import staff_required

PER_PAGE = 50


@login_required
def sanction_list_view(request: HttpRequest) -> HttpResponse:
    staff_required(request)
    form = SanctionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sanctions = sanction_list(
        request.user,
        region=filters.get("region", ""),
        level=filters.get("level", ""),
        state=filters.get("state", ""),
        period=filters.get("period"),
    )
    page = Paginator(sanctions, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    staff = staff_of(request.user)
    return render(
        request,
        "compliance/sanction_list.html",
        {
            "form": form,
            "page": page,
            "views": sanctions_with_basis(page.object_list),
            "query": query.urlencode(),
            "can_evaluate": staff is not None and staff.role in setting("compliance", "EVALUATE_ROLES"),
        },
    )


def _changes(event: AuditEvent) -> list[tuple[str, str]]:
    """An event's ``after`` as (label, text) lines, labels and coded values as the audit trail names them."""
    out = []
    for key, value in event.after.items():
        label = field_label(key) or key
        if isinstance(value, list):
            text = "; ".join(str(v) for v in value) or "—"
        else:
            text = value_label(key, value) or str(value)
        out.append((label, text))
    return out


@login_required
def sanction_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = sanction_get(request.user, pk)
    view = sanctions_with_basis([sanction])[0]
    history = AuditEvent.objects.filter(object_type="sanction", object_id=str(sanction.pk)).select_related("actor")
    return render(
        request,
        "compliance/sanction_detail.html",
        {
            "view": view,
            "sanction": sanction,
            "history": [(e, action_label(e.action), _changes(e)) for e in history.order_by("at", "pk")],
            "can_decide": may_decide(request.user, sanction),
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
def sanction_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = sanction_get(request.user, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if request.POST.get("decision") == "konfirmasi":
            sanction_confirm(sanction=sanction, acting_user=request.user, note=note)
            messages.success(request, _("Pembatalan dikonfirmasi: KPM menjadi non-eligible."))
        else:
            sanction_reject(sanction=sanction, acting_user=request.user, note=note)
            messages.success(request, _("Usul pembatalan ditolak."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("compliance:sanction_detail", pk=sanction.pk)


@login_required
def evaluation_view(request: HttpRequest) -> HttpResponse:
    """Queue an evaluation of the ladder for an area and a month; the recent ones with what they did."""
    staff = require_role(request.user, *setting("compliance", "EVALUATE_ROLES"))
    initial = {"region": staff.region_id or "", "month": f"{month_start(timezone.localdate()):%Y-%m}"}
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        region, month = form.cleaned_data["region"], form.cleaned_data["month"]
        if not region_in_scope(request.user, region):
            form.add_error("region", _("Wilayah di luar wilayah kerja Anda."))
        else:
            run = evaluation_run_create(user=request.user, region=region, month=month)
            transaction.on_commit(lambda: run_evaluation.enqueue(run.pk))
            messages.success(
                request, _("Evaluasi %(region)s %(month)s dijalankan.") % {"region": region, "month": f"{month:%Y-%m}"}
            )
            return redirect("compliance:evaluation")
    runs = EvaluationRun.objects.filter(started_by_id=request.user.pk).select_related("period", "region")[:20]
    return render(
        request, "compliance/evaluation.html", {"form": form, "runs": runs}, status=400 if form.errors else 200
    )
