"""Meeting places (tempat pertemuan) of a desa/kecamatan in scope: the list, add and edit
(RULES.md "P2K2 / FDS curriculum", Venue). Pendamping of the kecamatan, korkab and operator
record them; everyone in scope may look."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from harapan.accounts.scope import region_in_scope, region_prefix, staff_of
from harapan.regions.models import Level, Region
from harapan.regions.selectors import region_children, region_get
from harapan.registry.forms import add_service_errors

from .. import selectors, services
from ..forms import VenueForm
from ..models import LAYAK_Q, Venue
from ..services.venues import VENUE_FIELDS

PAGE_SIZE = 50


def _area_desa(request: HttpRequest) -> QuerySet[Region]:
    """The desa in which the user may record places."""
    staff = staff_of(request.user)
    if staff is None or staff.role not in services.VENUE_ROLES:
        return Region.objects.none()
    area = region_prefix(staff)
    qs = Region.objects.filter(level=Level.DESA).select_related("parent").order_by("parent__name", "name")
    return qs if area is None else qs.filter(code__startswith=area + ".")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok else ""


@login_required
def venue_list_view(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    venues = selectors.venue_list(request.user).order_by("desa__parent__name", "desa__name", "name")
    code = request.GET.get("wilayah", "").strip()
    region = region_get(code) if code else None
    if region is not None and region_in_scope(request.user, region.code):
        venues = (
            venues.filter(desa__code__startswith=region.code + ".")
            if region.level < Level.DESA
            else venues.filter(desa=region)
        )
    else:
        region = None
    if request.GET.get("layak") == "1":
        venues = venues.filter(LAYAK_Q)
    elif request.GET.get("layak") == "0":
        venues = venues.exclude(LAYAK_Q)
    page = Paginator(venues, PAGE_SIZE).get_page(request.GET.get("page"))
    areas = region_children(str(staff.region_id) if staff and staff.region_id else None).order_by("name")
    return render(
        request,
        "meetings/venue_list.html",
        {
            "page": page,
            "region": region,
            "areas": areas if staff is not None else [],
            "layak": request.GET.get("layak", ""),
            "can_add": staff is not None and staff.role in services.VENUE_ROLES,
        },
    )


def _form_page(request: HttpRequest, form: VenueForm, venue: Venue | None, status: int) -> HttpResponse:
    return render(
        request, "meetings/venue_form.html", {"form": form, "venue": venue, "next": _next(request)}, status=status
    )


def _fields(form: VenueForm) -> dict[str, object]:
    data = dict(form.cleaned_data)
    data["address"] = str(data.get("address") or "")
    return data


@login_required
def venue_create_view(request: HttpRequest) -> HttpResponse:
    desa = _area_desa(request)
    staff = staff_of(request.user)
    if staff is None or staff.role not in services.VENUE_ROLES:
        raise PermissionDenied(_("Anda tidak berwenang menambah tempat pertemuan."))
    initial = {"is_active": True, "desa": request.GET.get("desa") or None}
    form = VenueForm(request.POST or None, initial=initial, desa=desa)
    if request.method == "POST" and form.is_valid():
        data = _fields(form)
        try:
            venue = services.venue_create(acting_user=request.user, **data)  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tempat %(name)s tersimpan.") % {"name": venue.name})
            if not venue.is_layak:
                messages.warning(
                    request,
                    _("Tempat ini belum layak (tidak %(criteria)s); tidak ditawarkan untuk pertemuan kecuali diminta.")
                    % {"criteria": ", ".join(venue.failed_criteria)},
                )
            return redirect(_next(request) or "meetings:venues")
    return _form_page(request, form, None, 400 if request.method == "POST" else 200)


@login_required
def venue_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    venue = selectors.venue_get(request.user, pk)
    if not services.venue_may_edit(request.user, str(venue.desa_id)):
        raise PermissionDenied(_("Anda tidak berwenang mengubah tempat pertemuan ini."))
    initial = {name: getattr(venue, name) for name in VENUE_FIELDS}
    initial["desa"] = venue.desa_id
    form = VenueForm(request.POST or None, initial=initial, desa=_area_desa(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_update(venue=venue, acting_user=request.user, **_fields(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Tempat %(name)s tersimpan.") % {"name": venue.name})
            return redirect(_next(request) or "meetings:venues")
    return _form_page(request, form, venue, 400 if request.method == "POST" else 200)
