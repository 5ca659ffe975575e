"""Pages of the KPM import: upload, run progress and rejects, report and template downloads, and
the export of the families a user may see, in the same layout (FORMATS.md §6.1)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from harapan.accounts.models import IMPORT_ROLES
from harapan.accounts.scope import require_role
from harapan.conf import setting
from harapan.regions.selectors import normalize_code
from harapan.registry.forms import FamilySearchForm

from .export import ExportFilters, export_families, log_export
from .forms import UploadForm
from .kpm_writer import FileStats, csv_zip_chunks, write_xlsx
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


# --- Export ----------------------------------------------------------------------------------


def _export_filters(request: HttpRequest) -> ExportFilters:
    """The family list's filters (registry:list), read the same way, so the file holds what the
    list shows."""
    region = normalize_code(request.GET.get("region", "")) if request.GET.get("region") else ""
    form = FamilySearchForm(request.GET or None)
    query = status = ""
    if form.is_valid():
        query, status = form.cleaned_data["q"], form.cleaned_data["status"]
    return {"query": query, "region": region, "status": status}


def _export_name(filters: ExportFilters, suffix: str) -> str:
    """kpm[-region code]-YYYY-MM-DD.suffix (the code as digits and dots only: it comes from the URL)."""
    region = re.sub(r"[^0-9.]", "", filters["region"])
    where = f"-{region}" if region else ""
    return f"kpm{where}-{timezone.localdate():%Y-%m-%d}.{suffix}"


@login_required
def export_xlsx_view(request: HttpRequest) -> FileResponse:
    """The families the user may see (filtered as on the list) as one XLSX with the sheets KELUARGA
    and ART. Written to a temporary file first (an XLSX is assembled on save), then streamed."""
    filters = _export_filters(request)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    try:
        stats = write_xlsx(export_families(user=request.user, **filters), spool)
    except BaseException:
        spool.close()
        raise
    log_export(user=request.user, kind="xlsx", stats=stats, **filters)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=_export_name(filters, "xlsx"), content_type=XLSX)


@login_required
def export_csv_view(request: HttpRequest) -> StreamingHttpResponse:
    """The same families as a ZIP of the CSV pair, streamed while the families are read."""
    filters = _export_filters(request)
    families = export_families(user=request.user, **filters)
    stats = FileStats()

    def stream() -> Iterator[bytes]:
        try:
            yield from csv_zip_chunks(families, stats=stats)
        finally:  # also when the download is cut short: the counts say how far it got
            log_export(user=request.user, kind="csv-zip", stats=stats, **filters)

    response = StreamingHttpResponse(stream(), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, _export_name(filters, "zip"))
    return response
