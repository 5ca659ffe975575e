"""Region pages: the Kemendagri tree from Indonesia down to desa, with breadcrumbs and a search.

Regions are public data; the family counts beside them are the reader's own scope
(``accounts.scope.household_q`` through ``registry.selectors.household_counts_by_region``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from harapan.registry.selectors import CHILD_CODE_LENGTH, household_counts_by_region, region_rows, status_totals

from .models import Level, Region
from .selectors import region_ancestors, region_children, region_get, region_search

SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 30


def _region_page(request: HttpRequest, region: Region | None) -> HttpResponse:
    code = region.code if region else ""
    children = list(region_children(code)) if region is None or region.level < Level.DESA else []
    counts = household_counts_by_region(request.user, within=code or None, child_length=CHILD_CODE_LENGTH[len(code)])
    totals = status_totals(counts)
    return render(
        request,
        "regions/region.html",
        {
            "region": region,
            "ancestors": region_ancestors(code) if region else [],
            "rows": region_rows(children, counts),
            "status_totals": totals,
            "total": sum(n for _s, _label, n in totals),
            "child_level": Level(region.level + 1).label if children and region else Level.PROVINSI.label,
        },
    )


@login_required
def region_index_view(request: HttpRequest) -> HttpResponse:
    return _region_page(request, None)


@login_required
def region_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    region = region_get(code)
    if region is None:
        raise Http404("Wilayah tidak ditemukan.")
    return _region_page(request, region)


@login_required
def region_search_view(request: HttpRequest) -> HttpResponse:
    """Regions by code or name; an htmx request gets the result list alone (an HTML fragment)."""
    query = request.GET.get("q", "").strip()[:100]
    results: list[Region] = []
    if len(query) >= SEARCH_MIN_LENGTH:
        results = list(region_search(query).select_related("parent__parent__parent")[:SEARCH_LIMIT])
    context = {"query": query, "results": results, "min_length": SEARCH_MIN_LENGTH, "limit": SEARCH_LIMIT}
    template = "regions/_search_results.html" if request.htmx else "regions/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)
