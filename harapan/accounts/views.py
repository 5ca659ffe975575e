"""The landing page: who the user is, their working area and the families in their scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from harapan.regions.models import Region
from harapan.regions.selectors import region_children
from harapan.registry.selectors import CHILD_CODE_LENGTH, household_counts_by_region, region_rows, status_totals

from .models import Role
from .scope import staff_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Per-role landing: family counts in scope by status and by the region level below the
    user's working area (desa of a pendamping's families, kecamatan for kabupaten roles,
    kabupaten for a province, provinces for the ministry), from one GROUP BY."""
    staff = staff_of(request.user)
    context: dict[str, object] = {"staff": staff}
    if staff is not None:
        if staff.role == Role.PENDAMPING:
            counts = household_counts_by_region(request.user, within=None, child_length=CHILD_CODE_LENGTH[8])
            children = list(Region.objects.filter(code__in=list(counts)))
        else:
            area = None if staff.role == Role.MINISTRY else staff.region_id
            counts = household_counts_by_region(
                request.user, within=area, child_length=CHILD_CODE_LENGTH[len(area or "")]
            )
            children = list(region_children(area))
        totals = status_totals(counts)
        context |= {
            "status_totals": totals,
            "total": sum(n for _s, _label, n in totals),
            "rows": region_rows(children, counts),
            "child_level": children[0].get_level_display() if children else "",
            "can_import": staff.can_import,
        }
    return render(request, "home.html", context)
