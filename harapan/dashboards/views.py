"""Dashboard pages under /dasbor/: the user's own (``/dasbor/``), any region in scope
(``/dasbor/wilayah/<code>/``, the nation at ``/dasbor/wilayah/``) and a pendamping's
(``/dasbor/pendamping/<id>/``). Outside the user's scope a page is a 404. ``?unduh=csv`` or
``?unduh=xlsx`` downloads the area's row and its children's (the table under the cards).

Figures come from ``selectors`` (stored, refreshed first when a change touched them), grievances
and referrals too (``cases``: only the cases overdue, which depends on the time, are counted at
the read). A kecamatan lists its pendamping a page at a time (``?hal=2``); its export lists all."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from harapan.regions.selectors import normalize_code

from . import display, exports
from .cases import case_figures
from .models import AreaKind
from .selectors import Dashboard, own_area, pendamping_dashboard, region_dashboard


def _export(request: HttpRequest) -> str | None:
    fmt = request.GET.get("unduh", "")
    return fmt if fmt in exports.FORMATS else None


def _page(request: HttpRequest) -> int | None:
    """The page of a kecamatan's pendamping asked for (``?hal=``); None (all) for an export."""
    if _export(request):
        return None
    raw = request.GET.get("hal", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


def _render(request: HttpRequest, d: Dashboard) -> HttpResponseBase:
    periods = display.Periods.of(d.values, d.today)
    columns = display.columns_for(d)
    fmt = _export(request)
    if fmt is not None:
        return exports.response(d, periods, columns, fmt)
    live = case_figures(d)
    charts = display.charts(d, periods, live)
    rows = [
        {
            "child": c,
            "cells": [(col, col.text(c.values, periods, c.kind)) for col in columns],
            "norm": display.norm_status(display.in_programme(c.values)) if c.kind == AreaKind.PENDAMPING else "",
        }
        for c in d.children
    ]
    context = {
        "d": d,
        "periods": periods,
        "cards": display.cards(d, periods, live),
        "charts": [(chart, *chart.table()) for chart in charts],
        "chart_data": {chart.key: chart.data() for chart in charts},
        "columns": columns,
        "area_cells": [(col, col.text(d.values, periods, d.kind)) for col in columns],
        "rows": rows,
        "norm_labels": display.NORM_LABELS,
        "child_heading": _child_heading(d),
    }
    return render(request, "dashboards/dashboard.html", context)


def _child_heading(d: Dashboard) -> str:
    from django.utils.translation import gettext as _

    return {
        AreaKind.NASIONAL: _("Provinsi"),
        AreaKind.PROVINSI: _("Kabupaten/kota"),
        AreaKind.KABUPATEN: _("Kecamatan"),
        AreaKind.KECAMATAN: _("Desa/kelurahan dan pendamping"),
        AreaKind.DESA: _("Pendamping (KPM dampingannya di desa ini)"),
        AreaKind.PENDAMPING: _("Desa/kelurahan (KPM dampingan di desa itu)"),
    }[AreaKind(d.kind)]


@login_required
def own_view(request: HttpRequest) -> HttpResponseBase:
    """The user's own dashboard: where each role lands after logging in (LOGIN_REDIRECT_URL). A user
    with no dashboard (no active staff record, a training role) goes to the home page."""
    area = own_area(request.user)
    if area is None:
        return redirect("home")
    if area.startswith("p:"):
        return _render(request, pendamping_dashboard(request.user, int(area[2:])))
    return _render(request, region_dashboard(request.user, area, page=_page(request)))


@login_required
def national_view(request: HttpRequest) -> HttpResponseBase:
    return _render(request, region_dashboard(request.user, ""))


@login_required
def region_view(request: HttpRequest, code: str) -> HttpResponseBase:
    return _render(request, region_dashboard(request.user, normalize_code(code), page=_page(request)))


@login_required
def pendamping_view(request: HttpRequest, pk: int) -> HttpResponse | HttpResponseBase:
    return _render(request, pendamping_dashboard(request.user, pk))
