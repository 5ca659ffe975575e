"""Dashboard pages under /dasbor/: the user's own (``/dasbor/``), any region in scope
(``/dasbor/wilayah/<code>/``, the nation at ``/dasbor/wilayah/``) and a pendamping's
(``/dasbor/pendamping/<id>/``). Outside the user's scope a page is a 404. ``?unduh=csv`` or
``?unduh=xlsx`` downloads the area's row and its children's (the table under the cards).

Figures come from ``selectors`` (stored, refreshed first when a change touched them); grievances
and referrals are read live from their contexts' count selectors (overdue depends on the time)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from harapan.grievances.selectors import grievance_counts
from harapan.referrals.selectors import programmes, referral_counts
from harapan.regions.selectors import normalize_code

from . import display, exports
from .models import AreaKind
from .selectors import Dashboard, own_area, pendamping_dashboard, region_dashboard


def _live(d: Dashboard) -> dict[str, Any]:
    """Grievance and referral counts read now (overdue depends on the time of reading)."""
    if d.pendamping is not None:
        grievances = grievance_counts(None, user=d.pendamping.user)
        referrals = referral_counts(None, pendamping_id=d.pendamping.pk)
    else:
        grievances = grievance_counts(d.prefix or None)
        referrals = referral_counts(d.prefix or None)
    names = {p.code: p.name for p in programmes()}
    return {"grievances": grievances, "referrals": referrals, "programme_names": names}


def _render(request: HttpRequest, d: Dashboard) -> HttpResponseBase:
    periods = display.Periods.of(d.values, d.today)
    columns = display.columns_for(d)
    fmt = request.GET.get("unduh", "")
    if fmt in exports.FORMATS:
        return exports.response(d, periods, columns, fmt)
    live = _live(d)
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
    return _render(request, region_dashboard(request.user, area))


@login_required
def national_view(request: HttpRequest) -> HttpResponseBase:
    return _render(request, region_dashboard(request.user, ""))


@login_required
def region_view(request: HttpRequest, code: str) -> HttpResponseBase:
    return _render(request, region_dashboard(request.user, normalize_code(code)))


@login_required
def pendamping_view(request: HttpRequest, pk: int) -> HttpResponse | HttpResponseBase:
    return _render(request, pendamping_dashboard(request.user, pk))
