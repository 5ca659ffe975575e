"""``harapan refresh-figures [--region CODE ...]``: recompute the dashboards' figures.

Without ``--region`` every figure of the country is recomputed (run it nightly: components depend
on age, and months and years turn), one kabupaten/kota per transaction, and every stale mark older
than the start is cleared. ``--queue`` hands the work to the task worker instead.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from harapan.regions.selectors import normalize_code, region_get

from ...services import figures_refresh, figures_refresh_all
from ...tasks import refresh_figures


class Command(BaseCommand):
    help = "Hitung ulang angka dasbor: seluruh Indonesia, atau wilayah yang disebut dengan --region."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region", action="append", default=[], help="Kode wilayah (boleh berulang), mis. 35.11 atau 3511."
        )
        parser.add_argument("--queue", action="store_true", help="Serahkan ke task worker (db_worker).")

    def handle(self, *args: Any, **opts: Any) -> None:
        codes = [normalize_code(c) for c in opts["region"]]
        for code in codes:
            if region_get(code) is None:
                raise CommandError(f"Wilayah {code} tidak dikenal.")
        if opts["queue"]:
            refresh_figures.enqueue(codes or None)
            self.stdout.write("Pembaruan angka dasbor diantrekan.")
            return
        stats = figures_refresh(codes) if codes else figures_refresh_all()
        self.stdout.write(
            f"Angka dasbor diperbarui ({', '.join(codes) or 'seluruh Indonesia'}): {stats.desas} desa/kelurahan, "
            f"{stats.pendamping} pendamping, {stats.regions} wilayah di atasnya, {stats.rows} baris "
            f"dalam {stats.seconds:.1f} detik."
        )
