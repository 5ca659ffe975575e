"""``harapan export-kpm --user USERNAME [--region CODE] [--status S] [--query Q] --out FILE.xlsx|FILE.zip``

Export the families the given user may see (accounts.scope: a pendamping their own families, a
kabupaten role their kabupaten, ...) in the KPM import layout (FORMATS.md §6.1): one XLSX with the
sheets KELUARGA and ART, or a ZIP holding the CSV pair. The file imports back with ``import-kpm``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harapan.accounts.scope import staff_of
from harapan.imports.export import export_families, log_export
from harapan.imports.kpm_writer import TooManyRowsError, write_csv_zip, write_xlsx
from harapan.imports.parsing import STATUS_NAMES
from harapan.regions.selectors import normalize_code
from harapan.registry.models import HouseholdStatus


class Command(BaseCommand):
    help = "Ekspor KPM yang boleh dilihat seorang pengguna ke XLSX (lembar KELUARGA dan ART) atau ZIP berisi dua CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="nama pengguna petugas; wilayah kerjanya membatasi ekspor")
        parser.add_argument("--region", default="", help="kode wilayah, mis. 35.11.01 (bawaan: seluruh wilayah kerja)")
        parser.add_argument("--status", default="", help="status kepesertaan, mis. AKTIF (bawaan: semua)")
        parser.add_argument("--query", default="", help="NIK, No KK, ID PKH atau nama, seperti pencarian di daftar KPM")
        parser.add_argument("--out", required=True, type=Path, help="berkas tujuan: .xlsx atau .zip (pasangan CSV)")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        kind = out.suffix.lower()
        if kind not in (".xlsx", ".zip"):
            raise CommandError("--out harus berakhiran .xlsx atau .zip.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']} tidak ada.")
        if staff_of(user) is None:
            raise CommandError(f"{user.get_username()} bukan petugas aktif: tidak ada KPM yang boleh diekspor.")
        filters = {
            "query": options["query"].strip(),
            "region": normalize_code(options["region"]) if options["region"].strip() else "",
            "status": _status(options["status"]),
        }
        started = time.monotonic()
        families = export_families(user=user, **filters)
        try:
            stats = write_xlsx(families, out) if kind == ".xlsx" else write_csv_zip(families, out)
        except TooManyRowsError as exc:
            out.unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        log_export(user=user, kind=kind.lstrip("."), stats=stats, **filters)
        seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
        self.stdout.write(f"{_n(stats.families)} KPM, {_n(stats.members)} anggota ditulis ke {out} ({seconds} detik).")


def _n(number: int) -> str:
    """12.345: Indonesian thousands separator."""
    return f"{number:,}".replace(",", ".")


def _status(text: str) -> str:
    """AKTIF, aktif or DITUNDA -> the stored status value; empty -> all statuses."""
    text = text.strip()
    if not text:
        return ""
    if text in HouseholdStatus.values:
        return text
    status = STATUS_NAMES.get("_".join(text.upper().replace("-", " ").split()))
    if not status:
        raise CommandError(f"Status {text} tidak dikenal; pilih salah satu dari {', '.join(STATUS_NAMES)}.")
    return str(status)
