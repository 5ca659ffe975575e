"""Report pages under /laporan/: a pendamping's monthly report (page, PDF, XLSX) with a month picker,
the korkab's list of the pendamping of a kabupaten/kota with each month's state, the area browser
for the province and the ministry, and the district profile (page, PDF, XLSX). Every page is
scoped (``access``): out of the reader's area is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from harapan.accounts.models import Role
from harapan.conf import setting
from harapan.regions.models import Level, Region
from harapan.regions.selectors import region_ancestors

from . import access, rules
from .monthly import monthly_report
from .overview import overview_months, pendamping_overview
from .pdf import filename, monthly_pdf, profile_pdf
from .profile import district_profile
from .sources import DOCUMENTS
from .xlsx import monthly_xlsx, profile_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _month(year: int, month: int) -> tuple[int, int]:
    """A month the picker allows: from FIRST_YEAR up to the month now running; 404 otherwise."""
    today = timezone.localdate()
    if not 1 <= month <= 12 or year < setting("reports", "FIRST_YEAR") or (year, month) > (today.year, today.month):
        raise Http404(_("Bulan laporan tidak tersedia."))
    return year, month


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("tahun", today.year))
    except ValueError:
        year = today.year
    return min(max(year, setting("reports", "FIRST_YEAR")), today.year)


def _years() -> list[int]:
    return list(range(timezone.localdate().year, setting("reports", "FIRST_YEAR") - 1, -1))


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    """A pendamping goes to their own report of the last finished month; an area reader to the
    pendamping of their kabupaten/kota (or the regions of their province, or the provinces)."""
    staff = access.reader(request.user)
    if staff.role == Role.PENDAMPING:
        year, month = rules.last_finished_month(timezone.localdate())
        return redirect("reports:monthly", staff_id=staff.pk, year=year, month=month)
    code = access.home_region(staff)
    return redirect("reports:area", code=code) if code else redirect("reports:area_root")


@login_required
def area_view(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """A kabupaten/kota: its pendamping with the state of each month's meetings; a province or the
    nation: the regions below it to choose from."""
    staff = access.reader(request.user)
    region = access.area_region(request.user, code)
    year = _year(request)
    context: dict[str, Any] = {
        "region": region,
        "crumbs": region_ancestors(region.code)[:-1] if region else [],
        "year": year,
        "years": _years(),
        "may_profile": access.may_read_profile(staff),
        "may_monthly": access.may_read_area(staff),
    }
    if region is not None and region.level == Level.KABUPATEN:
        today = timezone.localdate()
        rows = pendamping_overview(region.code, year, today) if access.may_read_area(staff) else []
        context.update({"rows": rows, "months": overview_months(year, today)})
        return render(request, "reports/area_kabupaten.html", context)
    children = Region.objects.filter(level=Level.PROVINSI if region is None else Level.KABUPATEN)
    if region is not None:
        children = children.filter(parent=region)
    context["children"] = children.order_by("code")
    return render(request, "reports/area.html", context)


@login_required
def monthly_default_view(request: HttpRequest, staff_id: int) -> HttpResponse:
    pendamping = access.report_staff(request.user, staff_id)
    year, month = rules.last_finished_month(timezone.localdate())
    return redirect("reports:monthly", staff_id=pendamping.pk, year=year, month=month)


@login_required
def monthly_view(request: HttpRequest, staff_id: int, year: int, month: int) -> HttpResponse:
    """The monthly report page; ``?bulan=YYYY-MM`` (the month picker) goes to that month."""
    pendamping = access.report_staff(request.user, staff_id)
    picked = request.GET.get("bulan", "")
    if picked:
        try:
            y, m = (int(part) for part in picked.split("-", 1))
            _month(y, m)
        except (ValueError, Http404):
            pass
        else:
            return redirect("reports:monthly", staff_id=pendamping.pk, year=y, month=m)
    year, month = _month(year, month)
    report = monthly_report(pendamping, year, month)
    today = timezone.localdate()
    prev = rules.add_months(year, month, -1)
    nxt = rules.add_months(year, month, 1)
    viewer = access.reader(request.user)
    return render(
        request,
        "reports/monthly.html",
        {
            "r": report,
            "pendamping": pendamping,
            "prev": prev if prev[0] >= setting("reports", "FIRST_YEAR") else None,
            "next": nxt if nxt <= (today.year, today.month) else None,
            "month_value": f"{year:04d}-{month:02d}",
            "month_max": f"{today.year:04d}-{today.month:02d}",
            "month_min": f"{setting('reports', 'FIRST_YEAR')}-01",
            "back": reverse("reports:area", kwargs={"code": str(pendamping.region_id)[:5]})
            if viewer.role != Role.PENDAMPING and pendamping.region_id
            else "",
        },
    )


@login_required
def monthly_pdf_view(request: HttpRequest, staff_id: int, year: int, month: int) -> HttpResponse:
    pendamping = access.report_staff(request.user, staff_id)
    year, month = _month(year, month)
    with translation.override("id"):  # a document read and signed in Indonesian
        body = monthly_pdf(monthly_report(pendamping, year, month))
    name = filename("laporan-bulanan", pendamping.user.get_username(), f"{year:04d}-{month:02d}") + ".pdf"
    return _download(body, "application/pdf", name)


@login_required
def monthly_xlsx_view(request: HttpRequest, staff_id: int, year: int, month: int) -> HttpResponse:
    pendamping = access.report_staff(request.user, staff_id)
    year, month = _month(year, month)
    with translation.override("id"):
        body = monthly_xlsx(monthly_report(pendamping, year, month))
    name = filename("laporan-bulanan", pendamping.user.get_username(), f"{year:04d}-{month:02d}") + ".xlsx"
    return _download(body, XLSX, name)


@login_required
def profile_index_view(request: HttpRequest) -> HttpResponse:
    """A kabupaten reader goes to their own profile; the province and the ministry choose one."""
    staff = access.reader(request.user)
    if not access.may_read_profile(staff):
        raise Http404(_("Profil kabupaten tidak tersedia untuk peran Anda."))
    code = access.home_region(staff)
    if code and len(code) == 5:
        return redirect("reports:profile", code=code)
    return redirect("reports:area", code=code) if code else redirect("reports:area_root")


def _profile(request: HttpRequest, code: str) -> tuple[Region, int, dt.date]:
    region = access.profile_region(request.user, code)
    return region, _year(request), timezone.localdate()


@login_required
def profile_view(request: HttpRequest, code: str) -> HttpResponse:
    region, year, today = _profile(request, code)
    profile = district_profile(request.user, region, year=year, today=today)
    return render(
        request,
        "reports/profile.html",
        {
            "p": profile,
            "years": _years(),
            "crumbs": region_ancestors(region.code)[:-1],
            "documents": [(seed, str(title)) for seed, title in DOCUMENTS.items()],
        },
    )


@login_required
def profile_pdf_view(request: HttpRequest, code: str) -> HttpResponse:
    region, year, today = _profile(request, code)
    with translation.override("id"):
        body = profile_pdf(district_profile(request.user, region, year=year, today=today))
    return _download(body, "application/pdf", filename("profil-kabupaten", region.code, year) + ".pdf")


@login_required
def profile_xlsx_view(request: HttpRequest, code: str) -> HttpResponse:
    region, year, today = _profile(request, code)
    with translation.override("id"):
        body = profile_xlsx(district_profile(request.user, region, year=year, today=today))
    return _download(body, XLSX, filename("profil-kabupaten", region.code, year) + ".xlsx")
