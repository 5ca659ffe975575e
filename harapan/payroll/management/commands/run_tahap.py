"""``harapan run-tahap --user U --region 35.11 --year Y --tahap N --cutoff YYYY-MM-DD``: open the
tahap (or take the live one already open for that region, year and number) and compute its list
now, as the page's background job does; prints the counts and the exclusions by reason.

``--region`` is a kabupaten/kota or province code; ``--region nasional`` the whole country.
Running it again recomputes the same list (until the tahap is approved, when it is frozen).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harapan.payroll.models import Exclusion, Tahap, TahapStatus
from harapan.payroll.services import tahap_compute, tahap_open
from harapan.regions.selectors import normalize_code


class Command(BaseCommand):
    help = "Buka (atau ambil) tahap untuk satu wilayah dan hitung daftar bayarnya sekarang."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="nama pengguna petugas (operator)")
        parser.add_argument("--region", required=True, help="kode kabupaten/kota atau provinsi, atau 'nasional'")
        parser.add_argument("--year", type=int, required=True, help="tahun")
        parser.add_argument("--tahap", type=int, required=True, help="tahap ke (1..jumlah tahap di indeks)")
        parser.add_argument("--cutoff", required=True, help="tanggal cut-off YYYY-MM-DD")
        parser.add_argument("--chunk-size", type=int, default=None, help="keluarga per transaksi")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {opts['user']} tidak ada.")
        try:
            cut_off = dt.date.fromisoformat(opts["cutoff"])
        except ValueError as exc:
            raise CommandError("--cutoff harus tanggal YYYY-MM-DD.") from exc
        region = None if opts["region"].lower() == "nasional" else normalize_code(opts["region"])
        tahap = (
            Tahap.objects.filter(year=opts["year"], number=opts["tahap"], region_id=region)
            .exclude(status=TahapStatus.DIBATALKAN)
            .first()
        )
        try:
            if tahap is None:
                tahap = tahap_open(
                    region_code=region,
                    year=opts["year"],
                    number=opts["tahap"],
                    cut_off=cut_off,
                    acting_user=user,
                    source="command",
                )
                self.stdout.write(f"Tahap #{tahap.pk} dibuka.")
            elif tahap.cut_off != cut_off:
                raise CommandError(
                    f"Tahap #{tahap.pk} sudah dibuka dengan cut-off {tahap.cut_off:%Y-%m-%d}; batalkan dulu untuk "
                    "memakai tanggal lain."
                )
            started = time.monotonic()
            tahap = tahap_compute(tahap=tahap, acting_user=user, chunk_size=opts["chunk_size"], source="command")
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        seconds = time.monotonic() - started
        n = _n
        self.stdout.write(f"Tahap #{tahap.pk} dihitung dalam {seconds:.1f} detik:".replace(".", ",", 1))
        self.stdout.write(f"  KPM dalam snapshot   {n(tahap.families_count):>12}")
        self.stdout.write(f"  baris bayar          {n(tahap.lines_count):>12}")
        self.stdout.write(f"  total nominal (Rp)   {n(tahap.lines_amount):>12}")
        self.stdout.write(f"  tunggakan (Rp)       {n(tahap.arrears_amount):>12}")
        self.stdout.write(f"  perlu burekol        {n(tahap.burekol_count):>12}")
        self.stdout.write(f"  KPM dikecualikan     {n(tahap.excluded_count):>12}")
        for reason, label in Exclusion._meta.get_field("reason").choices or []:
            count = Exclusion.objects.filter(tahap=tahap, reason=reason).count()
            if count:
                self.stdout.write(f"    {label:<40} {n(count):>8}")


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")
