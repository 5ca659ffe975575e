"""Benefit pages: the index with its history (every staff role reads it; the ministry makes new
versions and lists hard-to-reach areas) and a family's entitlement on a chosen date, in scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.scope import require_role, staff_of
from harapan.registry.rules import KOMPONEN_LABELS, Komponen
from harapan.registry.selectors import household_get

from . import selectors, services
from .forms import BenefitIndexForm, CutOffDateForm, HardToReachEndForm, HardToReachForm
from .models import BenefitIndex, HardToReachRegion


def _add_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError next to the fields it names; the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _reader(request: HttpRequest) -> Any:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied(_("Halaman ini untuk petugas PKH."))
    return staff


def _can_edit(request: HttpRequest) -> bool:
    staff = staff_of(request.user)
    return staff is not None and staff.role in services.INDEX_ROLES


@dataclass
class HistoryRow:
    label: str
    key: str
    cells: list[Any]


def _history_rows(versions: list[BenefitIndex]) -> list[HistoryRow]:
    """One row per term, one cell per version (newest first)."""
    terms = [selectors.index_terms(v) for v in versions]
    rows = [
        HistoryRow(
            _(KOMPONEN_LABELS[k]),
            f"amount-{k}",
            [(t.amounts.get(k), t.category_caps.get(k)) for t in terms],
        )
        for k in Komponen
    ]
    rows += [
        HistoryRow(_("Batas orang per keluarga"), "person-cap", [t.person_cap for t in terms]),
        HistoryRow(_("Bantuan tetap per tahun"), "fixed", [t.fixed for t in terms]),
        HistoryRow(_("Bantuan tetap daerah sulit dijangkau"), "fixed-htr", [t.fixed_hard_to_reach for t in terms]),
        HistoryRow(_("Minimum per keluarga per tahun"), "minimum", [t.minimum for t in terms]),
        HistoryRow(_("Maksimum per keluarga per tahun"), "maximum", [t.maximum for t in terms]),
        HistoryRow(_("Bobot tahap"), "tahap", [":".join(map(str, t.tahap_weights)) for t in terms]),
    ]
    return rows


def _list_page(
    request: HttpRequest,
    *,
    area_form: HardToReachForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    versions = list(selectors.benefit_index_list())
    current = next((v for v in versions if v.covers(today)), None)
    return render(
        request,
        "benefits/index_list.html",
        {
            "versions": versions,
            "current": current,
            "rows": _history_rows(versions),
            "today": today,
            "can_edit": _can_edit(request),
            "areas": selectors.hard_to_reach_list(),
            "area_form": area_form or HardToReachForm(initial={"valid_from": today}),
            "end_form": HardToReachEndForm(initial={"valid_to": today}, auto_id=False),
        },
        status=status,
    )


@login_required
def index_list_view(request: HttpRequest) -> HttpResponse:
    _reader(request)
    return _list_page(request)


def _form_page(
    request: HttpRequest, form: BenefitIndexForm, *, editing: BenefitIndex | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "benefits/index_form.html",
        {"form": form, "editing": editing, "latest": selectors.benefit_index_latest()},
        status=status,
    )


@login_required
def index_create_view(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *services.INDEX_ROLES)
    if request.method == "POST":
        form = BenefitIndexForm(request.POST)
        if form.is_valid():
            try:
                index = services.benefit_index_create_version(
                    name=form.cleaned_data["name"],
                    valid_from=form.cleaned_data["valid_from"],
                    citation=form.cleaned_data["citation"],
                    terms=form.terms(),
                    acting_user=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Versi %(name)s berlaku dari %(date)s.")
                    % {"name": index.name, "date": index.valid_from.isoformat()},
                )
                return redirect("benefits:index_list")
        return _form_page(request, form, editing=None, status=400)
    latest = selectors.benefit_index_latest()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = BenefitIndexForm(initial=BenefitIndexForm.initial_from(latest, name="", valid_from=tomorrow))
    return _form_page(request, form, editing=None)


@login_required
def index_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *services.INDEX_ROLES)
    index = selectors.benefit_index_list().filter(pk=pk).first()
    if index is None:
        raise Http404(_("Versi indeks tidak ditemukan."))
    if index.is_locked():
        messages.error(request, _("Versi yang sudah berlaku tidak dapat diubah; buat versi baru."))
        return redirect("benefits:index_list")
    if request.method == "POST":
        form = BenefitIndexForm(request.POST)
        if form.is_valid():
            try:
                services.benefit_index_update(
                    index=index,
                    name=form.cleaned_data["name"],
                    valid_from=form.cleaned_data["valid_from"],
                    citation=form.cleaned_data["citation"],
                    terms=form.terms(),
                    acting_user=request.user,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Versi %(name)s diubah.") % {"name": form.cleaned_data["name"]})
                return redirect("benefits:index_list")
        return _form_page(request, form, editing=index, status=400)
    return _form_page(request, BenefitIndexForm(initial=BenefitIndexForm.initial_from(index)), editing=index)


@login_required
@require_POST
def hard_to_reach_add_view(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *services.INDEX_ROLES)
    form = HardToReachForm(request.POST)
    if form.is_valid():
        try:
            area = services.hard_to_reach_region_add(
                region_code=form.cleaned_data["region"].strip(),
                valid_from=form.cleaned_data["valid_from"],
                citation=form.cleaned_data["citation"],
                acting_user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Wilayah %(code)s ditetapkan sulit dijangkau.") % {"code": area.region_id})
            return redirect("benefits:index_list")
    return _list_page(request, area_form=form, status=400)


@login_required
@require_POST
def hard_to_reach_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user, *services.INDEX_ROLES)
    area = HardToReachRegion.objects.filter(pk=pk).first()
    if area is None:
        raise Http404(_("Penetapan tidak ditemukan."))
    form = HardToReachEndForm(request.POST)
    if form.is_valid():
        try:
            services.hard_to_reach_region_end(
                area=area, valid_to=form.cleaned_data["valid_to"], acting_user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Penetapan %(code)s diakhiri.") % {"code": area.region_id})
    else:
        messages.error(request, _("Tanggal akhir tidak sah."))
    return redirect("benefits:index_list")


@login_required
def entitlement_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """A family's entitlement on a chosen cut-off date; a family outside the reader's scope is 404."""
    household = household_get(user=request.user, pk=household_id)
    date_form = CutOffDateForm(request.GET or None)
    on = date_form.cut_off()
    result = selectors.household_entitlement_on(household, on)
    return render(
        request,
        "benefits/entitlement.html",
        {
            "household": household,
            "on": on,
            "date_form": date_form,
            "result": result,
        },
    )
