"""School and health facility files: upload (a django-tasks job), the run with its rejected rows and
its report, and the school form export per school and quarter (FORMATS.md §4.2)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh

from harapan.accounts.scope import require_role
from harapan.conf import setting

from ..forms import UploadForm
from ..health import COLUMNS as HEALTH_COLUMNS
from ..importing import report_csv_lines, report_xlsx_bytes, verification_run_create
from ..models import Obligation, ObligationKind
from ..school import quarter_months, school_pupils, schools_in_scope
from ..selectors import run_get, run_list, run_rejects
from ..tasks import run_verification_import
from ..verkom import month_heading, verkom_lines
from .common import staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_roles() -> list[str]:
    return list(setting("compliance", "IMPORT_ROLES"))


@login_required
def upload_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled-in school form or a health facility file; the run is queued."""
    require_role(request.user, *_import_roles())
    form = UploadForm(request.POST or None, request.FILES or None, initial={"kind": "sekolah"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = verification_run_create(
            user=request.user, kind=data["kind"], file=data["file"], file_name=data["file"].name, year=data.get("year")
        )
        transaction.on_commit(lambda: run_verification_import.enqueue(run.pk))
        return redirect("compliance:run_detail", pk=run.pk)
    codes = Obligation.objects.filter(kind__in=(ObligationKind.KESEHATAN, ObligationKind.KESOS), is_active=True)
    return render(
        request,
        "compliance/upload.html",
        {
            "form": form,
            "runs": run_list(request.user).select_related("started_by")[:20],
            "health_columns": HEALTH_COLUMNS,
            "health_codes": codes.order_by("order"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def run_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = run_get(request.user, pk)
    if request.htmx:  # type: ignore[attr-defined]
        if run.is_finished:
            return HttpResponseClientRefresh()
        return render(request, "compliance/_run_status.html", {"run": run})
    page = Paginator(run_rejects(run), setting("compliance", "REJECTS_PER_PAGE")).get_page(request.GET.get("page"))
    return render(request, "compliance/run_detail.html", {"run": run, "page": page})


@login_required
def report_csv_view(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    run = run_get(request.user, pk)
    response = StreamingHttpResponse(report_csv_lines(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="verifikasi-{run.pk}-laporan.csv"'
    return response


@login_required
def report_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = run_get(request.user, pk)
    response = HttpResponse(report_xlsx_bytes(run), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="verifikasi-{run.pk}-laporan.xlsx"'
    return response


def _quarter(request: HttpRequest) -> tuple[int, int]:
    today = timezone.localdate()
    year = int(request.GET["tahun"]) if request.GET.get("tahun", "").isdigit() else today.year
    quarter = (
        int(request.GET["triwulan"])
        if request.GET.get("triwulan", "") in ("1", "2", "3", "4")
        else (today.month - 1) // 3 + 1
    )
    return year, quarter


@login_required
def schools_view(request: HttpRequest) -> HttpResponse:
    """The schools of the user's pupils in a quarter, each with its form to download."""
    staff_required(request)
    year, quarter = _quarter(request)
    months = quarter_months(year, quarter)
    return render(
        request,
        "compliance/schools.html",
        {
            "schools": schools_in_scope(request.user, months),
            "year": year,
            "quarter": quarter,
            "months": [month_heading(m) for m in months],
            "quarters": [1, 2, 3, 4],
        },
    )


@login_required
def verkom_export_view(request: HttpRequest, npsn: str, year: int, quarter: int) -> StreamingHttpResponse:
    """The school's Form Verifikasi Komitmen Pendidikan for the quarter, prefilled with the user's
    pupils enrolled there (FORMATS.md §4.2)."""
    staff_required(request)
    if not 1 <= quarter <= 4 or not re.fullmatch(r"[0-9A-Za-z]{1,20}", npsn):
        raise Http404(_("Sekolah atau triwulan tidak dikenal."))
    months = quarter_months(year, quarter)
    pupils = school_pupils(request.user, npsn, months)
    if not pupils:
        raise Http404(_("Tidak ada siswa dampingan Anda di sekolah ini pada triwulan tersebut."))
    school = next((s["name"] for s in schools_in_scope(request.user, months) if s["npsn"] == npsn), "") or ""
    response = StreamingHttpResponse(
        verkom_lines(npsn=npsn, school_name=school, months=months, pupils=pupils),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="verkom-{npsn}-{year}-T{quarter}.csv"'
    return response
