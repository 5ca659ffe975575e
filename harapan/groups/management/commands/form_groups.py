"""Form P2K2 groups for the families of a kecamatan (or every kecamatan of a kabupaten) that have
no group yet, and balance them across the kecamatan's pendamping (issue 3)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harapan.regions.models import Region
from harapan.regions.selectors import region_get

from ...services import kelompok_form_for_kecamatan


class Command(BaseCommand):
    help = "Bentuk kelompok KPM per desa dan bagi ke pendamping kecamatan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username operator/korkab yang menjalankan")
        area = parser.add_mutually_exclusive_group(required=True)
        area.add_argument("--kecamatan", help="kode kecamatan, mis. 35.11.01")
        area.add_argument("--kabupaten", help="kode kabupaten/kota, mis. 35.11")
        parser.add_argument(
            "--rebalance",
            action="store_true",
            help="bagi ulang semua KPM tanpa kelompok (abaikan pendamping yang sudah ditetapkan)",
        )
        parser.add_argument("--valid-from", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']} tidak ada.")
        valid_from = options["valid_from"] or timezone.localdate()
        if options["kecamatan"]:
            region = region_get(options["kecamatan"])
            if region is None or region.level != 3:
                raise CommandError(f"Kecamatan {options['kecamatan']} tidak ada.")
            codes = [region.code]
        else:
            region = region_get(options["kabupaten"])
            if region is None or region.level != 2:
                raise CommandError(f"Kabupaten/kota {options['kabupaten']} tidak ada.")
            codes = list(Region.objects.filter(parent_id=region.code).order_by("code").values_list("code", flat=True))
        started = time.perf_counter()
        total_groups = total_families = 0
        for code in codes:
            try:
                result = kelompok_form_for_kecamatan(
                    kecamatan_code=code,
                    acting_user=user,
                    valid_from=valid_from,
                    keep_pendamping=not options["rebalance"],
                    source="command",
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from error
            except ValidationError as error:
                self.stderr.write(f"{code}: {'; '.join(error.messages)}")
                continue
            total_groups += result.groups
            total_families += result.families
            loads = ", ".join(f"{pid}:{n}({result.statuses[pid]})" for pid, n in result.loads.items())
            small = f"; kelompok kecil: {', '.join(result.small_groups)}" if result.small_groups else ""
            self.stdout.write(
                f"{code}: {result.groups} kelompok, {result.families} KPM; beban pendamping {loads}{small}"
            )
        self.stdout.write(
            f"Jumlah: {total_groups} kelompok, {total_families} KPM dalam {time.perf_counter() - started:.1f} detik."
        )
