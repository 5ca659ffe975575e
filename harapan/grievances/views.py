"""Complaint pages under /pengaduan/: the list (filters, search, export), a new case (from the list
or a family page), a case with its timeline and the steps the reader may take (htmx where the page
is open), and the categories' SLA. Every page reads through ``grievances_visible``: a case outside
the reader's scope, or about the reader, is a 404."""

from __future__ import annotations

import logging
import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from harapan.accounts.scope import region_prefix, staff_of
from harapan.conf import setting
from harapan.regions.models import Region
from harapan.registry.models import Household
from harapan.registry.selectors import household_get, household_list

from . import services
from .export import write_xlsx
from .forms import FilterForm, LodgeForm, NoteForm, ReasonForm, ResolveForm, SlaForm
from .models import Grievance, GrievanceCategory
from .selectors import (
    categories,
    grievance_counts,
    grievance_get,
    grievance_list,
    pendamping_choices,
    timeline,
)

log = logging.getLogger(__name__)

# URL slug of each step -> the service's action name.
STEPS = {
    "tangani": services.TAKE,
    "catatan": services.NOTE,
    "eskalasi": services.ESCALATE,
    "selesaikan": services.RESOLVE,
    "tutup": services.CLOSE,
    "buka-kembali": services.REOPEN,
}
DONE = {
    services.TAKE: gettext_lazy("Pengaduan mulai Anda tangani."),
    services.NOTE: gettext_lazy("Catatan ditambahkan."),
    services.ESCALATE: gettext_lazy("Pengaduan dieskalasi ke korkab."),
    services.RESOLVE: gettext_lazy("Pengaduan diselesaikan."),
    services.CLOSE: gettext_lazy("Pengaduan ditutup."),
    services.REOPEN: gettext_lazy("Pengaduan dibuka kembali."),
}
DESA_LIST_MAX_LEVEL = 2  # a kabupaten/kota or smaller area lists its desa; a province types a code


def _put_errors(form: BaseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _require_staff(request: HttpRequest) -> None:
    if staff_of(request.user) is None:
        raise PermissionDenied(_("Tidak berwenang."))


# --- The list and its export -----------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[FilterForm, Any]:
    form = FilterForm(request.GET or None, categories=list(categories(active_only=False)))
    filters: dict[str, Any] = {}
    if form.is_valid():
        cd = form.cleaned_data
        filters = {
            "query": cd["q"],
            "status": cd["status"],
            "category": cd["kategori"],
            "overdue": cd["terlambat"],
            "escalated": cd["eskalasi"],
            "household_id": cd["kpm"],
        }
    return form, grievance_list(user=request.user, **filters)


@login_required
def list_view(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form, qs = _filtered(request)
    page = Paginator(qs, setting("grievances", "PAGE_SIZE")).get_page(request.GET.get("page"))
    household = None
    if form.is_valid() and form.cleaned_data["kpm"]:
        household = Household.objects.filter(pk=form.cleaned_data["kpm"]).only("pk", "pkh_id").first()
    return render(
        request,
        "grievances/list.html",
        {
            "form": form,
            "page": page,
            "household": household,
            "filtered": bool(request.GET.get("q") or request.GET.get("status") or request.GET.get("kategori"))
            or "terlambat" in request.GET
            or "eskalasi" in request.GET,
            "counts": grievance_counts(None, user=request.user),
            "can_lodge": services.may_lodge(request.user),
            "now": timezone.now(),
        },
    )


@login_required
def export_view(request: HttpRequest) -> FileResponse:
    """The listed cases (same filters, same scope) as one XLSX sheet."""
    _require_staff(request)
    _form, qs = _filtered(request)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    try:
        n = write_xlsx(qs, spool)
    except BaseException:
        spool.close()
        raise
    log.info("Grievance export by %s (%s): %d cases", request.user.get_username(), request.GET.urlencode(), n)
    spool.seek(0)
    name = f"pengaduan-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        spool,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- A new case --------------------------------------------------------------------------------


def _desa_choices(request: HttpRequest) -> list[Region] | None:
    """The desa of the user's area as a list, or None when the area is too large (a province,
    the nation) and a code is typed instead."""
    staff = staff_of(request.user)
    area = region_prefix(staff) if staff else None
    if area is None:
        return None
    region = Region.objects.filter(code=area).first()
    if region is None or region.level < DESA_LIST_MAX_LEVEL:
        return None
    return list(Region.objects.filter(level=4, code__startswith=area + ".").select_related("parent").order_by("code"))


def _find_household(request: HttpRequest, text: str) -> Household:
    matches = list(household_list(user=request.user, query=text)[:2])
    if not matches:
        raise ValidationError({"kpm": _("KPM tidak ditemukan di wilayah kerja Anda.")})
    if len(matches) > 1:
        raise ValidationError({"kpm": _("Lebih dari satu KPM cocok; gunakan ID PKH, NIK atau No KK.")})
    return matches[0]


@login_required
def new_view(request: HttpRequest) -> HttpResponse:
    if not services.may_lodge(request.user):
        raise PermissionDenied(_("Peran Anda tidak dapat mencatat pengaduan."))
    household = None
    kpm = request.POST.get("household") or request.GET.get("kpm")
    if kpm:
        if not str(kpm).isdigit():
            raise Http404(_("KPM tidak ditemukan di wilayah Anda."))
        household = household_get(user=request.user, pk=int(kpm))
    form_kwargs: dict[str, Any] = {
        "categories": categories(),
        "pendamping": pendamping_choices(request.user),
        "desa_choices": None if household else _desa_choices(request),
        "fixed_household": household is not None,
    }
    initial = {"lodged_by_kind": "kpm", "channel": "langsung"}
    if household is not None:
        carer = household.members.filter(is_carer=True).first()
        initial["lodged_by_name"] = carer.name if carer else ""
    status = 200
    if request.method == "POST":
        form = LodgeForm(request.POST, **form_kwargs)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                target = household
                if target is None and cd.get("kpm"):
                    target = _find_household(request, cd["kpm"])
                grievance = services.grievance_lodge(
                    category=cd["category"],
                    household=target,
                    desa=cd.get("desa") or None,
                    about_pendamping=cd["about_pendamping"],
                    lodged_by_name=cd["lodged_by_name"],
                    lodged_by_kind=cd["lodged_by_kind"],
                    channel=cd["channel"],
                    description=cd["description"],
                    acting_user=request.user,
                )
            except ValidationError as e:
                _put_errors(form, e)
            except PermissionDenied as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("Pengaduan %(number)s dicatat.") % {"number": grievance.number})
                return redirect("grievances:detail", pk=grievance.pk)
        status = 400
    else:
        form = LodgeForm(initial=initial, **form_kwargs)
    return render(
        request,
        "grievances/new.html",
        {"form": form, "household": household, "categories": list(categories())},
        status=status,
    )


# --- A case ------------------------------------------------------------------------------------


def _case_context(request: HttpRequest, grievance: Grievance, **extra: Any) -> dict[str, Any]:
    allowed = services.allowed_actions(request.user, grievance)
    return {
        "g": grievance,
        "steps": list(timeline(grievance)),
        "allowed": allowed,
        "carer": grievance.household.members.filter(is_carer=True).first() if grievance.household else None,
        "note_form": extra.pop("note_form", None) or NoteForm(),
        "resolve_form": extra.pop("resolve_form", None) or ResolveForm(),
        "reason_form": extra.pop("reason_form", None) or ReasonForm(),
        **extra,
    }


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    grievance = grievance_get(user=request.user, pk=pk)
    return render(request, "grievances/detail.html", _case_context(request, grievance))


@require_POST
@login_required
def step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step on a case. From htmx the case block is answered in place (always 200, so htmx
    swaps it, with the problem shown); otherwise a redirect, or the page with the problem."""
    action = STEPS.get(step)
    if action is None:
        raise Http404()
    grievance = grievance_get(user=request.user, pk=pk)
    forms: dict[str, Any] = {}
    problem, code = "", 200
    try:
        if action == services.RESOLVE:
            form: BaseForm = ResolveForm(request.POST)
            forms["resolve_form"] = form
            text = form.data.get("resolution", "")
            services.grievance_resolve(grievance=grievance, acting_user=request.user, resolution=text)
        elif action in (services.CLOSE, services.REOPEN):
            form = ReasonForm(request.POST)
            forms["reason_form"] = form
            text = form.data.get("reason", "")
            do = services.grievance_close if action == services.CLOSE else services.grievance_reopen
            do(grievance=grievance, acting_user=request.user, reason=text)
        else:
            form = NoteForm(request.POST)
            forms["note_form"] = form
            text = form.data.get("note", "")
            if action == services.TAKE:
                services.grievance_take(grievance=grievance, acting_user=request.user, note=text)
            elif action == services.ESCALATE:
                services.grievance_escalate(grievance=grievance, acting_user=request.user, note=text)
            else:
                services.grievance_note(grievance=grievance, acting_user=request.user, note=text)
    except PermissionDenied as e:
        problem, code = str(e), 403
    except ValidationError as e:
        problem, code = " ".join(e.messages), 409
    fresh = grievance_get(user=request.user, pk=pk)
    if problem:
        context = _case_context(request, fresh, problem=problem, problem_step=step, **forms)
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "grievances/_case.html", context)
        return render(request, "grievances/detail.html", context, status=code)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "grievances/_case.html", _case_context(request, fresh, done=DONE[action]))
    messages.success(request, DONE[action])
    return redirect("grievances:detail", pk=pk)


# --- The categories and their SLA ---------------------------------------------------------------


@login_required
def categories_view(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    can_edit = services.may_edit_sla(request.user)
    status = 200
    bound: dict[int, SlaForm] = {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Peran Anda tidak dapat mengubah batas waktu pengaduan."))
        category = get_object_or_404(GrievanceCategory, code=request.POST.get("code", ""))
        form = SlaForm(request.POST, prefix=category.code)
        if form.is_valid():
            try:
                services.category_sla_update(
                    category=category, sla_days=form.cleaned_data["sla_days"], acting_user=request.user
                )
            except ValidationError as e:
                _put_errors(form, e)
            else:
                messages.success(request, _("Batas waktu %(name)s disimpan.") % {"name": category.name})
                return redirect("grievances:categories")
        bound[category.pk] = form
        status = 400
    rows = [
        (c, bound.get(c.pk) or (SlaForm(initial={"sla_days": c.sla_days}, prefix=c.code) if can_edit else None))
        for c in categories(active_only=False)
    ]
    return render(request, "grievances/categories.html", {"rows": rows, "can_edit": can_edit}, status=status)
