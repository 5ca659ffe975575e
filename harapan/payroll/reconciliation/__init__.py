"""Reconciliation: the bank's result file marks each payment line (FORMATS.md §6.3), and a burekol
result gives families their new accounts.

Result file: ``ID_SALUR; NIK_PENGURUS; NO_REKENING; NAMA_REKENING; NOMINAL; STATUS_SALUR;
TGL_PROSES; KODE_ALASAN; KETERANGAN; STATUS_REKENING; SALDO`` as CSV (``;``, ``,`` or ``|``, UTF-8,
BOM allowed) or XLSX, read with the KPM import's readers. Each row must name a line of the tahap
(ID_SALUR) of the import's bank and repeat its carer's NIK and its NOMINAL; a row that does not
is rejected with its row, column and rule, as the KPM import reports. A valid row sets the line's
result; STATUS_REKENING moves the family's dated account status (``AccountStatus``), which the
next tahap's validation reads. Importing the same file again changes nothing: a row whose values
are already on the line counts as unchanged.

Burekol result: the BSI shape as it is (``NIK; NO_REKENING_COREBSI; NAMA_REKENING_COREBSI;
NAMA_CABANG; STATUS_BUREKOL; KETERANGAN_BUREKOL``), other banks' columns mapped by configuration
(``BUREKOL_COLUMN_ALIASES``). An opened account is written to the family's registry record with
the registry's audit event and the source ``burekol:<id>``.
"""

from __future__ import annotations

import hashlib
import logging
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.scope import require_role
from harapan.conf import setting
from harapan.imports.readers import ImportFileError

from .. import events
from ..models import ISSUED, ReasonCode, ResultImport, ResultReject, Tahap, TahapStatus
from ..services import check_may_issue
from .accounts import account_statuses_record
from .burekol import BUREKOL_COLUMNS, BUREKOL_REQUIRED, burekol_chunk
from .results import RESULT_COLUMNS, RESULT_REQUIRED, result_chunk
from .rows import read_table, table_rows

__all__ = [
    "BUREKOL_COLUMNS",
    "RESULT_COLUMNS",
    "account_statuses_record",
    "read_table",
    "result_import_create",
    "result_import_execute",
]

log = logging.getLogger(__name__)


# --- Starting an import ----------------------------------------------------------------------------


def _sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    fh.seek(0)
    while block := fh.read(1 << 20):
        digest.update(block)
    fh.seek(0)
    return digest.hexdigest()


def result_import_create(
    *, tahap: Tahap, kind: str, bank: str, file: IO[bytes], file_name: str, acting_user: Any
) -> ResultImport:
    """Store an uploaded bank file and queue its import (by the roles that issue files, in area)."""
    require_role(acting_user, *setting("payroll", "RESULT_ROLES"))
    check_may_issue(acting_user, tahap)
    if tahap.status not in ISSUED:
        raise ValidationError(_("Hasil bank hanya diimpor untuk tahap yang berkasnya sudah diterbitkan."))
    if kind not in ResultImport.Kind.values:
        raise ValidationError({"kind": _("Jenis berkas tidak dikenal.")})
    result = ResultImport(
        tahap=tahap,
        kind=kind,
        bank=bank,
        file_name=Path(file_name).name[:255],
        sha256=_sha256(file),
        started_by=acting_user,
    )
    result.file.save(Path(file_name).name, File(file), save=False)
    result.save()
    return result


# --- Running an import -----------------------------------------------------------------------------


def result_import_execute(*, result_id: int, chunk_size: int | None = None) -> ResultImport:
    """Run a queued bank file import to the end (in the task worker or a test). A file that cannot
    be read fails the import with the reason; rows are applied chunk by chunk."""
    result = ResultImport.objects.select_related("tahap", "started_by").get(pk=result_id)
    if result.state != ResultImport.State.QUEUED:
        return result
    result.state = ResultImport.State.RUNNING
    result.started_at = timezone.now()
    result.save(update_fields=["state", "started_at"])
    burekol = result.kind == ResultImport.Kind.BUREKOL
    columns, required = (BUREKOL_COLUMNS, BUREKOL_REQUIRED) if burekol else (RESULT_COLUMNS, RESULT_REQUIRED)
    try:
        user = result.started_by
        require_role(user, *setting("payroll", "RESULT_ROLES"))
        table = read_table(
            Path(result.file.path), aliases=setting("payroll", "BUREKOL_COLUMN_ALIASES") if burekol else None
        )
        missing = [c for c in required if c not in table.header]
        if missing:
            raise ImportFileError(f"Kolom wajib tidak ada di {table.name}: {', '.join(missing)}.")
        result.rows_total = sum(1 for _ in table.read())
        result.save(update_fields=["rows_total"])
        seen: set[str] = set()
        reasons = set(ReasonCode.objects.filter(is_active=True).values_list("code", flat=True))
        size = max(1, chunk_size or setting("payroll", "RESULT_CHUNK_SIZE"))
        rows = table_rows(table, columns)
        while chunk := list(islice(rows, size)):
            with transaction.atomic():
                if burekol:
                    outcome = burekol_chunk(chunk, result=result, user=user, seen=seen)
                else:
                    outcome = result_chunk(chunk, result=result, user=user, seen=seen, reasons=reasons)
                ResultReject.objects.bulk_create(outcome.rejects, batch_size=1000)
                result.rows_seen += len(chunk)
                result.rows_applied += outcome.applied
                result.rows_unchanged += outcome.unchanged
                result.rows_rejected += len(outcome.rejects)
                result.save(update_fields=["rows_seen", "rows_applied", "rows_unchanged", "rows_rejected"])
    except (ImportFileError, PermissionDenied) as exc:
        return _finish(result, error=str(exc))
    except Exception as exc:
        log.exception("bank result import %s failed", result.pk)
        return _finish(result, error=f"{type(exc).__name__}: {exc}")
    return _finish(result, error="")


def _finish(result: ResultImport, *, error: str) -> ResultImport:
    with transaction.atomic():
        result.state = ResultImport.State.FAILED if error else ResultImport.State.DONE
        result.error = error[:5000]
        result.finished_at = timezone.now()
        result.save(update_fields=["state", "error", "finished_at"])
        if not error:
            tahap = Tahap.objects.select_for_update().get(pk=result.tahap_id)
            if result.kind == ResultImport.Kind.HASIL and tahap.status == TahapStatus.DITERBITKAN:
                tahap.status = TahapStatus.DIREKONSILIASI
                tahap.reconciled_at = timezone.now()
                tahap.save(update_fields=["status", "reconciled_at"])
            events.bank_result_imported(result, actor=result.started_by).save()
    return result
