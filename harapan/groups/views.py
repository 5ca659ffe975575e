"""Group pages: the list in scope, one group (families, ketua, history, hand moves for operator
and korkab), and caseload pages per kecamatan and per pendamping (issue 3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from harapan.accounts.scope import household_q, region_in_scope, staff_of
from harapan.regions.selectors import region_get
from harapan.registry.forms import add_service_errors
from harapan.registry.models import Household

from . import selectors, services
from .forms import AssignPendampingForm, MoveFamilyForm
from .models import Kelompok

LIST_PAGE_SIZE = 50


def _can_manage(request: HttpRequest) -> bool:
    staff = staff_of(request.user)
    return staff is not None and staff.role in services.GROUP_ROLES


def _detail(
    request: HttpRequest,
    kelompok: Kelompok,
    assign_form: AssignPendampingForm | None = None,
    move_form: MoveFamilyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = _can_manage(request)
    pendamping = services.Staff.objects.filter(
        role="pendamping", region_id=kelompok.kecamatan_code, is_active=True
    ).order_by("full_name")
    targets = selectors.kecamatan_kelompok(kelompok.kecamatan_code).exclude(pk=kelompok.pk)
    return render(
        request,
        "groups/kelompok_detail.html",
        {
            "kelompok": kelompok,
            "members": selectors.kelompok_members(kelompok),
            "history": selectors.kelompok_history(kelompok),
            "band": selectors.group_band(),
            "can_manage": can_manage,
            "assign_form": assign_form or AssignPendampingForm(pendamping=pendamping),
            "move_form": move_form or MoveFamilyForm(targets=targets),
        },
        status=status,
    )


@login_required
def kelompok_list_view(request: HttpRequest) -> HttpResponse:
    groups = selectors.kelompok_list(request.user).order_by("code")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        groups = groups.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(desa__name__icontains=q))
    page = Paginator(groups, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    staff = staff_of(request.user)
    return render(
        request,
        "groups/kelompok_list.html",
        {"page": page, "q": q, "band": selectors.group_band(), "staff": staff},
    )


@login_required
def kelompok_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.kelompok_get(request.user, pk))


@login_required
@require_POST
def kelompok_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    kelompok = selectors.kelompok_get(request.user, pk)
    if not _can_manage(request):
        raise PermissionDenied(_("Hanya operator atau korkab yang dapat memindahkan kelompok."))
    pendamping = services.Staff.objects.filter(role="pendamping", region_id=kelompok.kecamatan_code, is_active=True)
    form = AssignPendampingForm(request.POST, pendamping=pendamping)
    if form.is_valid():
        try:
            n = services.kelompok_assign_pendamping(
                kelompok=kelompok, pendamping=form.cleaned_data["pendamping"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Kelompok dipindahkan; %(n)d KPM ikut pindah.") % {"n": n})
            return redirect("groups:detail", pk=kelompok.pk)
    return _detail(request, kelompok, assign_form=form, status=400)


@login_required
@require_POST
def kelompok_move_family_view(request: HttpRequest, pk: int) -> HttpResponse:
    kelompok = selectors.kelompok_get(request.user, pk)
    if not _can_manage(request):
        raise PermissionDenied(_("Hanya operator atau korkab yang dapat memindahkan KPM."))
    targets = selectors.kecamatan_kelompok(kelompok.kecamatan_code)
    form = MoveFamilyForm(request.POST, targets=targets)
    if form.is_valid():
        household = Household.objects.filter(household_q(request.user), pk=form.cleaned_data["household"]).first()
        if household is None:
            form.add_error("household", _("KPM tidak ditemukan di wilayah Anda."))
        else:
            target = form.cleaned_data["kelompok"]
            try:
                services.household_move_group(
                    household=household,
                    kelompok=target,
                    valid_from=form.cleaned_data["valid_from"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("KPM %(pkh)s dipindahkan ke %(code)s.") % {"pkh": household.pkh_id, "code": target.code}
                )
                return redirect("groups:detail", pk=target.pk)
    return _detail(request, kelompok, move_form=form, status=400)


@login_required
def caseload_kecamatan_view(request: HttpRequest, kecamatan_code: str) -> HttpResponse:
    region = region_get(kecamatan_code)
    if region is None or region.level != 3 or not region_in_scope(request.user, kecamatan_code):
        raise Http404(_("Kecamatan tidak ditemukan."))
    low, high = selectors.caseload_band()
    return render(
        request,
        "groups/caseload_kecamatan.html",
        {"region": region, "rows": selectors.caseload_by_pendamping(kecamatan_code), "low": low, "high": high},
    )


@login_required
def caseload_pendamping_view(request: HttpRequest, staff_id: int) -> HttpResponse:
    pendamping = selectors.pendamping_get(request.user, staff_id)
    low, high = selectors.caseload_band()
    return render(
        request,
        "groups/caseload_pendamping.html",
        {
            "pendamping": pendamping,
            "row": selectors.caseload_rows([pendamping])[0],
            "groups": selectors.pendamping_kelompok(pendamping),
            "low": low,
            "high": high,
            "group_min": selectors.group_band()[0],
        },
    )
