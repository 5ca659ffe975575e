"""Starting and running KPM imports from files (the upload page, the task and the command)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.utils import timezone

from harapan.accounts.models import IMPORT_ROLES
from harapan.accounts.scope import require_role
from harapan.conf import setting

from .models import ImportRun, RunStatus
from .pipeline import import_families
from .readers import ImportFileError, read_source

log = logging.getLogger(__name__)


def file_sha256(files: Sequence[IO[bytes]]) -> str:
    digest = hashlib.sha256()
    for fh in files:
        fh.seek(0)
        while block := fh.read(1 << 20):
            digest.update(block)
        fh.seek(0)
    return digest.hexdigest()


def import_run_create(
    *, user: Any, file: IO[bytes], file_name: str, as_of: dt.date, art_file: IO[bytes] | None = None, art_name: str = ""
) -> ImportRun:
    """Store the uploaded file(s) under MEDIA_ROOT/imports/ and queue a run for them.

    Only operator, korkab, Dinas Sosial (kabupaten/kota, provinsi) and the ministry may import."""
    staff = require_role(user, *IMPORT_ROLES)
    files = [file] + ([art_file] if art_file is not None else [])
    run = ImportRun(
        started_by=user,
        region_id=staff.region_id,
        as_of=as_of,
        file_name=Path(file_name).name[:255],
        file_art_name=Path(art_name).name[:255] if art_file is not None else "",
        sha256=file_sha256(files),
    )
    run.file.save(Path(file_name).name, File(file), save=False)
    if art_file is not None:
        run.file_art.save(Path(art_name).name, File(art_file), save=False)
    run.save()
    return run


def import_run_execute(*, run_id: int, chunk_size: int | None = None) -> ImportRun:
    """Run a queued import to the end (in the task worker, or in the command). Never raises for
    a bad file or a refused user: the run records the failure."""
    run = ImportRun.objects.select_related("started_by").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run
    paths = [Path(run.file.path)] + ([Path(run.file_art.path)] if run.file_art else [])
    names = [run.file_name or paths[0].name] + ([run.file_art_name or paths[1].name] if run.file_art else [])
    try:
        if run.started_by is not None:
            require_role(run.started_by, *IMPORT_ROLES)
        source = read_source(paths, names=names)
    except (ImportFileError, PermissionDenied) as exc:
        return _fail(run, str(exc))
    run.families_total = source.families_total
    run.save(update_fields=["families_total"])
    try:
        import_families(
            source.families,
            run=run,
            acting_user=run.started_by,
            as_of=run.as_of,
            chunk_size=chunk_size or setting("imports", "CHUNK_SIZE"),
        )
    except ImportFileError as exc:
        return _fail(run, str(exc))
    except Exception:
        log.exception("import %s failed", run.pk)
    return run


def _fail(run: ImportRun, message: str) -> ImportRun:
    run.status = RunStatus.FAILED
    run.error = message
    run.started_at = run.started_at or timezone.now()
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "started_at", "finished_at"])
    return run
