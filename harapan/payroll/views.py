"""Payroll pages under /bayar/: tahap list and opening, the tahap page (run, exclusions, totals,
approval, issue, files), bank result imports, reconciliation and dana sharing. Every page reads
through ``selectors`` (scope: a tahap outside the reader's area is 404) and writes through
``services``; no rule lives here."""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from harapan.accounts.scope import require_role, staff_of
from harapan.conf import setting
from harapan.registry.models import Bank

from . import bankfiles, events, selectors, services
from .forms import CancelForm, DanaSharingForm, ExclusionFilterForm, ResultUploadForm, TahapOpenForm
from .models import ISSUED, Tahap, TahapStatus
from .reconciliation import result_import_create
from .tasks import compute_tahap, import_bank_result

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_KINDS = ("penerima", "burekol")


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _may(check: Any, *args: Any) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


# --- List and open ---------------------------------------------------------------------------------


@login_required
def tahap_list_view(request: HttpRequest) -> HttpResponse:
    """The tahap of the reader's area; the form to open one for those who may."""
    tahaps = selectors.tahap_list(user=request.user)
    staff = staff_of(request.user)
    can_open = staff is not None and staff.role in setting("payroll", "OPEN_ROLES")
    form = TahapOpenForm(request.POST or None, initial=TahapOpenForm.initial_for(staff.region_id if staff else None))
    if request.method == "POST":
        if not can_open:
            raise PermissionDenied(_("Peran Anda tidak berwenang membuka tahap."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                tahap = services.tahap_open(
                    region_code=data["region"] or None,
                    year=data["year"],
                    number=data["number"],
                    cut_off=data["cut_off"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errs in error.error_dict.items():
                        form.add_error(name if name in form.fields else None, errs)
                else:
                    form.add_error(None, error)
            else:
                messages.success(request, _("Tahap dibuka. Jalankan perhitungan daftar bayar."))
                return redirect("payroll:detail", pk=tahap.pk)
    page = Paginator(tahaps, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "payroll/tahap_list.html",
        {"page": page, "form": form, "can_open": can_open},
        status=400 if request.method == "POST" else 200,
    )


# --- The tahap page --------------------------------------------------------------------------------


@login_required
def tahap_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    tahap = selectors.tahap_get(user=request.user, pk=pk)
    if request.htmx:  # type: ignore[attr-defined]
        if not tahap.is_running:
            return HttpResponseClientRefresh()
        return render(request, "payroll/_run_status.html", {"tahap": tahap})
    filter_form = ExclusionFilterForm(request.GET or None)
    reason = filter_form.cleaned_data["alasan"] if filter_form.is_valid() else ""
    exclusions = selectors.tahap_exclusions(tahap, user=request.user, reason=reason)
    page = Paginator(exclusions, setting("payroll", "ROWS_PER_PAGE")).get_page(request.GET.get("page"))
    user = request.user
    refusal = services.approval_refusal(user, tahap)
    can_compute = tahap.status in services.RECOMPUTABLE and _may(services.check_may_open, user, tahap.region_id)
    context = {
        "tahap": tahap,
        "page": page,
        "reason": reason,
        "filter_form": filter_form,
        "exclusion_counts": selectors.exclusion_counts(tahap, user=user),
        "banks": selectors.bank_totals(tahap, user=user),
        "regions": selectors.region_totals(tahap, user=user),
        "can_compute": can_compute,
        "can_cancel": can_compute and not tahap.is_running,
        "can_approve": tahap.status == TahapStatus.DIHITUNG and refusal is None,
        "approval_refusal": refusal if tahap.status == TahapStatus.DIHITUNG else None,
        "can_issue": tahap.status == TahapStatus.DISETUJUI and _may(services.check_may_issue, user, tahap),
        "files_ready": tahap.status in ISSUED,
        "can_import": tahap.status in ISSUED and _may(services.check_may_issue, user, tahap),
        "cancel_form": CancelForm(),
        "imports": tahap.result_imports.select_related("started_by")[:10],
    }
    context["totals"] = selectors.total_of(context["regions"])  # type: ignore[arg-type]
    return render(request, "payroll/tahap_detail.html", context)


@login_required
@require_POST
def tahap_compute_view(request: HttpRequest, pk: int) -> HttpResponse:
    tahap = selectors.tahap_get(user=request.user, pk=pk)
    try:
        services.tahap_compute_queue(tahap=tahap, acting_user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        user_id: int = request.user.pk  # type: ignore[assignment]
        transaction.on_commit(lambda: compute_tahap.enqueue(tahap.pk, user_id))
        messages.success(request, _("Perhitungan daftar bayar dimulai."))
    return redirect("payroll:detail", pk=pk)


@login_required
@require_POST
def tahap_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    tahap = selectors.tahap_get(user=request.user, pk=pk)
    was = tahap.status
    try:
        tahap = services.tahap_approve(tahap=tahap, acting_user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        _errors(request, error)
    else:
        if was == TahapStatus.DIHITUNG:
            messages.success(
                request,
                _("Daftar bayar disetujui; %(n)d KPM berstatus graduasi alamiah.") % {"n": tahap.alamiah_applied},
            )
        else:
            messages.info(request, _("Tahap ini sudah disetujui sebelumnya; tidak ada yang berubah."))
    return redirect("payroll:detail", pk=pk)


@login_required
@require_POST
def tahap_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    tahap = selectors.tahap_get(user=request.user, pk=pk)
    try:
        services.tahap_issue(tahap=tahap, acting_user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Berkas bank diterbitkan dan dapat diunduh."))
    return redirect("payroll:detail", pk=pk)


@login_required
@require_POST
def tahap_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    tahap = selectors.tahap_get(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan pembatalan wajib diisi."))
        return redirect("payroll:detail", pk=pk)
    try:
        services.tahap_cancel(tahap=tahap, reason=form.cleaned_data["reason"], acting_user=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Tahap dibatalkan."))
    return redirect("payroll:detail", pk=pk)


# --- Files -----------------------------------------------------------------------------------------


def _file_tahap(request: HttpRequest, pk: int, bank: str, kind: str) -> tuple[Tahap, Any]:
    require_role(request.user, *setting("payroll", "FILE_ROLES"))
    tahap = selectors.tahap_get(user=request.user, pk=pk)
    if bank not in Bank.values or kind not in FILE_KINDS:
        raise Http404(_("Berkas tidak dikenal."))
    if tahap.status not in ISSUED:
        raise PermissionDenied(_("Berkas bank tersedia setelah tahap disetujui dan berkasnya diterbitkan."))
    lines = selectors.tahap_lines(tahap, user=request.user).filter(bank=bank)
    if kind == "burekol":
        lines = lines.filter(needs_burekol=True)
    return tahap, lines


def _log_download(request: HttpRequest, tahap: Tahap, **file: Any) -> None:
    events.bank_file_downloaded(tahap, actor=request.user, file={**file, "versi": bankfiles.FORMAT_VERSION}).save()


@login_required
def recipient_file_view(request: HttpRequest, pk: int, bank: str, kind: str, ext: str) -> HttpResponseBase:
    """The recipient (or burekol) file of one bank, CSV streamed or XLSX (FORMATS.md §6.2)."""
    if ext not in ("csv", "xlsx"):
        raise Http404(_("Berkas tidak dikenal."))
    tahap, lines = _file_tahap(request, pk, bank, kind)
    control = bankfiles.control_of(lines)
    name = bankfiles.file_name(tahap, bank=bank, kind=kind, ext=ext)
    _log_download(request, tahap, berkas=name, bank=bank, jenis=kind, baris=control.rows, nominal=control.total)
    if ext == "csv":
        response = StreamingHttpResponse(
            bankfiles.csv_lines(bankfiles.RECIPIENT_COLUMNS, bankfiles.recipient_rows(lines)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    try:
        values = bankfiles.control_values(tahap, bank=bank, kind=kind, control=control)
        bankfiles.write_xlsx(lines, spool, control=values)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX)


@login_required
def control_file_view(request: HttpRequest, pk: int, bank: str, kind: str) -> HttpResponse:
    """The control file of a recipient (or burekol) file: row count and sum of NOMINAL."""
    tahap, lines = _file_tahap(request, pk, bank, kind)
    control = bankfiles.control_of(lines)
    name = bankfiles.file_name(tahap, bank=bank, kind=f"{kind}-kontrol", ext="csv")
    _log_download(request, tahap, berkas=name, bank=bank, jenis=f"{kind}-kontrol", baris=control.rows)
    text = bankfiles.control_csv(bankfiles.control_values(tahap, bank=bank, kind=kind, control=control))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def region_totals_file_view(request: HttpRequest, pk: int, level: str) -> HttpResponse:
    """Planned (and paid) totals per kecamatan or desa as CSV."""
    require_role(request.user, *setting("payroll", "FILE_ROLES"))
    tahap = selectors.tahap_get(user=request.user, pk=pk)
    if level not in ("kecamatan", "desa"):
        raise Http404(_("Tingkat wilayah tidak dikenal."))
    rows = selectors.region_totals(tahap, user=request.user, level=level)
    header = ("KODE_WILAYAH", "NAMA", "JUMLAH_KPM", "TOTAL_NOMINAL", "PERLU_BUREKOL", "KPM_TERSALUR", "TOTAL_TERSALUR")
    values = [[r.code, r.name, r.lines, r.planned, r.burekol, r.paid_lines, r.paid] for r in rows]
    name = bankfiles.file_name(tahap, bank="SEMUA", kind=f"rekap-{level}", ext="csv")
    _log_download(request, tahap, berkas=name, jenis=f"rekap-{level}", baris=len(rows))
    response = HttpResponse("".join(bankfiles.csv_lines(header, values)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# --- Bank results and reconciliation ---------------------------------------------------------------


@login_required
def result_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    tahap = selectors.tahap_get(user=request.user, pk=pk)
    services.check_may_issue(request.user, tahap)
    form = ResultUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = result_import_create(
                tahap=tahap,
                kind=data["kind"],
                bank=data["bank"],
                file=data["file"],
                file_name=data["file"].name,
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            transaction.on_commit(lambda: import_bank_result.enqueue(result.pk))
            return redirect("payroll:result", pk=result.pk)
    return render(
        request,
        "payroll/result_upload.html",
        {"tahap": tahap, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def result_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    result = selectors.result_import_get(user=request.user, pk=pk)
    if request.htmx:  # type: ignore[attr-defined]
        if result.is_finished:
            return HttpResponseClientRefresh()
        return render(request, "payroll/_result_status.html", {"result": result})
    page = Paginator(result.rejects.order_by("id"), setting("payroll", "ROWS_PER_PAGE")).get_page(
        request.GET.get("page")
    )
    return render(request, "payroll/result_detail.html", {"result": result, "tahap": result.tahap, "page": page})


@login_required
def reconciliation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Planned against paid per kecamatan, counts per bank status and per reason."""
    tahap = selectors.tahap_get(user=request.user, pk=pk)
    regions = selectors.region_totals(tahap, user=request.user)
    return render(
        request,
        "payroll/reconciliation.html",
        {
            "tahap": tahap,
            "regions": regions,
            "totals": selectors.total_of(regions),
            "statuses": selectors.status_counts(tahap, user=request.user),
            "reasons": selectors.reason_counts(tahap, user=request.user),
            "imports": tahap.result_imports.select_related("started_by"),
        },
    )


# --- Dana sharing ----------------------------------------------------------------------------------


@login_required
def dana_sharing_view(request: HttpRequest) -> HttpResponse:
    """APBD co-funding per kabupaten/kota against the PKH funds of the year (target 5%)."""
    staff = staff_of(request.user)
    try:
        year = int(request.GET.get("tahun") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    can_record = staff is not None and staff.role in setting("payroll", "DANA_SHARING_ROLES")
    initial = {"kabupaten": staff.region_id if staff else "", "year": year}
    form = DanaSharingForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(_("Dana sharing dicatat oleh Dinas Sosial kabupaten/kota."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.dana_sharing_record(
                    kabupaten_code=data["kabupaten"],
                    year=data["year"],
                    apbd_amount=data["apbd_amount"],
                    note=data["note"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Dana sharing tercatat."))
                return redirect(f"{request.path}?tahun={data['year']}")
    rows = selectors.dana_sharing_rows(user=request.user, year=year)
    return render(
        request,
        "payroll/dana_sharing.html",
        {
            "rows": rows,
            "year": year,
            "form": form,
            "can_record": can_record,
            "target": setting("payroll", "DANA_SHARING_TARGET_PERCENT"),
        },
        status=400 if request.method == "POST" else 200,
    )
