"""Pages of the KPM import: upload, run progress and rejects, report and template downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from harapan.accounts.models import IMPORT_ROLES
from harapan.accounts.scope import require_role
from harapan.conf import setting

from .forms import UploadForm
from .report import report_csv_lines, report_xlsx_bytes, template_xlsx_bytes
from .selectors import import_rejects, import_run_get, import_run_list
from .services import import_run_create
from .tasks import run_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def upload_view(request: HttpRequest) -> HttpResponse:
    """Upload a KPM file (or a pair) and queue its import; below, the recent runs in scope."""
    require_role(request.user, *IMPORT_ROLES)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        art = data.get("art_file")
        run = import_run_create(
            user=request.user,
            file=data["file"],
            file_name=data["file"].name,
            as_of=data["as_of"],
            art_file=art,
            art_name=art.name if art else "",
        )
        transaction.on_commit(lambda: run_import.enqueue(run.pk))
        return redirect("imports:detail", pk=run.pk)
    runs = import_run_list(user=request.user).select_related("started_by")[:20]
    return render(request, "imports/upload.html", {"form": form, "runs": runs})


@login_required
def run_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress and counts (polled every 2 s while it runs) and its rejected rows."""
    run = import_run_get(user=request.user, pk=pk)
    if request.htmx:  # type: ignore[attr-defined]
        if run.is_finished:
            return HttpResponseClientRefresh()
        return render(request, "imports/_status.html", {"run": run})
    errors_only = request.GET.get("tampil") == "kesalahan"
    rejects = import_rejects(run, errors_only=errors_only)
    page = Paginator(rejects, setting("imports", "REJECTS_PER_PAGE")).get_page(request.GET.get("page"))
    return render(request, "imports/detail.html", {"run": run, "page": page, "errors_only": errors_only})


@login_required
def report_csv_view(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    run = import_run_get(user=request.user, pk=pk)
    response = StreamingHttpResponse(report_csv_lines(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impor-{run.pk}-laporan.csv"'
    return response


@login_required
def report_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_get(user=request.user, pk=pk)
    response = HttpResponse(report_xlsx_bytes(run), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="impor-{run.pk}-laporan.xlsx"'
    return response


@login_required
def template_view(request: HttpRequest) -> HttpResponse:
    require_role(request.user, *IMPORT_ROLES)
    response = HttpResponse(template_xlsx_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-kpm.xlsx"'
    return response
