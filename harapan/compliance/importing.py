"""Bringing in a school form or a health facility file: the stored run, its execution (in the task
worker or a command), its rejected rows, and its report (CSV or XLSX), the way the KPM import does
(harapan.imports)."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from harapan.accounts.scope import require_role
from harapan.conf import setting
from harapan.imports.models import RunStatus
from harapan.imports.readers import ImportFileError
from harapan.imports.report import REJECT_HEADER
from harapan.imports.rows import RowReject
from harapan.imports.services import file_sha256

from .health import health_records, health_table
from .models import RunKind, VerificationImportRun, VerificationReject
from .school import school_records
from .services.records import records_save
from .verkom import month_heading, read_verkom

log = logging.getLogger(__name__)


def verification_run_create(
    *, user: Any, kind: str, file: IO[bytes], file_name: str, year: int | None = None
) -> VerificationImportRun:
    """Store an uploaded school or health facility file and queue its run (IMPORT_ROLES only)."""
    staff = require_role(user, *setting("compliance", "IMPORT_ROLES"))
    run = VerificationImportRun(
        kind=kind,
        started_by=user,
        region_id=staff.region_id,
        year=year,
        file_name=Path(file_name).name[:255],
        sha256=file_sha256([file]),
    )
    run.file.save(Path(file_name).name, File(file), save=False)
    run.save()
    return run


def verification_run_execute(*, run_id: int) -> VerificationImportRun:
    """Run a queued verification import to the end. A bad file or a refused user fails the run
    with the reason; it never raises."""
    run = VerificationImportRun.objects.select_related("started_by").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    run.status, run.started_at = RunStatus.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    user = run.started_by
    try:
        require_role(user, *setting("compliance", "IMPORT_ROLES"))
        path = Path(run.file.path)
        with transaction.atomic():
            if run.kind == RunKind.SEKOLAH:
                verkom = read_verkom(path, year=run.year, name=run.file_name)
                rows, rejects = school_records(verkom, user=user)
                run.npsn, run.school_name = verkom.header.npsn[:20], verkom.header.school_name[:200]
                run.months = ", ".join(month_heading(m) for m in verkom.header.months)[:40]
                run.rows_seen = len(verkom.rows)
            else:
                table = health_table(path, name=run.file_name)
                rows, rejects, run.rows_seen = health_records(table, user=user)
            result = records_save(rows, source=run.source, acting_user=user, run=run)
            _save_rejects(run, rejects)
            run.records_created, run.records_updated, run.records_unchanged = (
                result.created,
                result.updated,
                result.unchanged,
            )
            run.rows_rejected = len({(r.sheet, r.row) for r in rejects})
            run.status, run.finished_at = RunStatus.DONE, timezone.now()
            run.save()
    except (ImportFileError, PermissionDenied) as exc:
        return _fail(run, str(exc))
    except Exception as exc:
        log.exception("verification import %s failed", run.pk)
        return _fail(run, f"Galat tak terduga: {exc.__class__.__name__}")
    return run


def _save_rejects(run: VerificationImportRun, rejects: list[RowReject]) -> None:
    VerificationReject.objects.bulk_create(
        [
            VerificationReject(
                run=run,
                sheet=r.sheet[:100],
                row=r.row,
                field=r.field[:60],
                rule=r.rule[:60],
                message=r.message[:500],
                value=r.value[:300],
                family_key=r.family_key[:60],
            )
            for r in rejects
        ]
    )


def _fail(run: VerificationImportRun, message: str) -> VerificationImportRun:
    run.status, run.error = RunStatus.FAILED, message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    return run


# --- Report ------------------------------------------------------------------------------------


def report_summary(run: VerificationImportRun) -> list[tuple[str, Any]]:
    return [
        ("Impor verifikasi", run.pk),
        ("Jenis", run.get_kind_display()),
        ("Berkas", run.file_name),
        ("SHA-256", run.sha256),
        ("NPSN", run.npsn),
        ("Nama sekolah", run.school_name),
        ("Bulan", run.months),
        ("Diimpor oleh", run.started_by.get_username() if run.started_by else "sistem"),
        ("Status", run.get_status_display()),
        ("Baris dibaca", run.rows_seen),
        ("Catatan baru", run.records_created),
        ("Catatan dikoreksi", run.records_updated),
        ("Catatan tetap", run.records_unchanged),
        ("Baris ditolak", run.rows_rejected),
        ("Galat", run.error),
    ]


def _reject_rows(run: VerificationImportRun) -> Iterator[list[Any]]:
    for r in run.rejects.order_by("id").values_list("sheet", "row", "field", "rule", "message", "value", "family_key"):
        yield list(r)


def report_csv_lines(run: VerificationImportRun) -> Iterator[str]:
    """The report as ``;`` CSV (UTF-8 with a BOM): the summary, a blank line, the rejected rows."""

    class _Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    yield writer.writerow(["RINGKASAN", ""])
    for label, value in report_summary(run):
        yield writer.writerow([label, value])
    yield writer.writerow([])
    yield writer.writerow(REJECT_HEADER)
    for row in _reject_rows(run):
        yield writer.writerow(row)


def report_xlsx_bytes(run: VerificationImportRun) -> bytes:
    wb = Workbook(write_only=True)
    summary = wb.create_sheet("RINGKASAN")
    for label, value in report_summary(run):
        summary.append([label, value])
    rejects = wb.create_sheet("DITOLAK")
    rejects.append(REJECT_HEADER)
    for row in _reject_rows(run):
        rejects.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
