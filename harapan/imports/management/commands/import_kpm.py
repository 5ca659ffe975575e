"""``harapan import-kpm FILE [FILE2] --user USERNAME [--as-of YYYY-MM-DD]``: import KPM data now.

The same import as the upload page, run synchronously with the given user's role and working
area; prints the counts, the first rejected rows and where the report was written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harapan.imports.models import ImportRun, RunStatus
from harapan.imports.report import report_counts, write_report_csv
from harapan.imports.services import import_run_create, import_run_execute

SHOWN_REJECTS = 20


class Command(BaseCommand):
    help = "Impor data KPM dari XLSX (lembar KELUARGA dan ART), dua CSV (keluarga dan ART) atau satu berkas datar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="berkas XLSX/CSV (satu atau dua)")
        parser.add_argument("--user", required=True, help="nama pengguna petugas yang mengimpor")
        parser.add_argument("--as-of", dest="as_of", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
        parser.add_argument("--chunk-size", dest="chunk_size", type=int, default=None, help="keluarga per transaksi")
        parser.add_argument("--report", help="tulis laporan CSV ke sini (bawaan: MEDIA_ROOT/imports/laporan/)")

    def handle(self, *args: Any, **options: Any) -> None:
        files = [Path(f) for f in options["files"]]
        if len(files) > 2:
            raise CommandError("Berikan satu atau dua berkas.")
        for f in files:
            if not f.is_file():
                raise CommandError(f"Berkas tidak ditemukan: {f}")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']} tidak ada.")
        try:
            as_of = dt.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--as-of harus tanggal YYYY-MM-DD.") from exc

        handles = [f.open("rb") for f in files]
        try:
            run = import_run_create(
                user=user,
                file=handles[0],
                file_name=files[0].name,
                as_of=as_of,
                art_file=handles[1] if len(handles) > 1 else None,
                art_name=files[1].name if len(files) > 1 else "",
            )
        except PermissionDenied as exc:
            raise CommandError(f"{user.get_username()}: {exc}") from exc
        finally:
            for h in handles:
                h.close()

        self.stdout.write(f"Impor #{run.pk}: {run.file_name}{' + ' + run.file_art_name if run.file_art_name else ''}")
        run = import_run_execute(run_id=run.pk, chunk_size=options["chunk_size"])
        run.refresh_from_db()
        self._print(run)
        report = Path(options["report"]) if options["report"] else self._default_report(run)
        report.parent.mkdir(parents=True, exist_ok=True)
        with report.open("w", encoding="utf-8", newline="") as fh:
            write_report_csv(run, fh)
        self.stdout.write(f"Laporan: {report}")
        if run.status == RunStatus.FAILED:
            raise CommandError(f"Impor gagal: {run.error}")

    def _default_report(self, run: ImportRun) -> Path:
        return Path(settings.MEDIA_ROOT) / "imports" / "laporan" / f"impor-{run.pk}-laporan.csv"

    def _print(self, run: ImportRun) -> None:
        seconds = (run.finished_at - run.started_at).total_seconds() if run.finished_at and run.started_at else 0
        self.stdout.write(f"Status: {run.get_status_display()} ({seconds:.1f} detik)")
        for label, value in report_counts(run):
            self.stdout.write(f"  {label:<18} {value:>9,}".replace(",", "."))
        rejects = list(run.rejects.exclude(rule="keluarga_ditolak").order_by("id")[:SHOWN_REJECTS])
        if rejects:
            self.stdout.write("Baris ditolak pertama:")
            for r in rejects:
                column = f", kolom {r.field}" if r.field else ""
                self.stdout.write(f"  {r.sheet} baris {r.row}{column} [{r.rule}]: {r.message}")
