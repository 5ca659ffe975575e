"""Progress pages (RULES.md "P2K2 / FDS curriculum": attendance rate, modules delivered in order,
knowledge gained): a group, a family, and the groups of a kecamatan or kabupaten. Each is
scoped by the one access rule (groups.selectors.kelompok_get, registry.selectors.household_get,
accounts.scope) and answers 404 outside it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from harapan.accounts.scope import region_in_scope
from harapan.groups.selectors import kelompok_get, kelompok_worker
from harapan.regions.models import Region
from harapan.registry.selectors import household_get

from ..progress import area_progress, household_progress, kelompok_progress

AREA_LEVELS = (2, 3)  # kabupaten/kota, kecamatan


@login_required
def kelompok_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    kelompok = kelompok_get(request.user, pk)
    return render(
        request,
        "p2k2/progress_kelompok.html",
        {
            "progress": kelompok_progress(kelompok),
            "kelompok": kelompok,
            "can_record": kelompok_worker(request.user, kelompok) is not None,
        },
    )


@login_required
def household_progress_view(request: HttpRequest, household_id: int) -> HttpResponse:
    household = household_get(user=request.user, pk=household_id)
    return render(request, "p2k2/progress_household.html", {"progress": household_progress(household)})


@login_required
def area_progress_view(request: HttpRequest, code: str) -> HttpResponse:
    region = Region.objects.filter(pk=code, level__in=AREA_LEVELS).first()
    if region is None or not region_in_scope(request.user, region.code):
        raise Http404(_("Wilayah tidak ditemukan."))
    return render(request, "p2k2/progress_area.html", {"progress": area_progress(request.user, region)})
