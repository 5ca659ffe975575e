"""Plan the year's twelve monthly meetings for every active group of a kecamatan or kabupaten
(RULES.md "P2K2 / FDS curriculum"; issue 3), set-based through ``meetings_plan_year_bulk``."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harapan.accounts.models import Role
from harapan.accounts.scope import region_in_scope, require_role
from harapan.groups.models import Kelompok
from harapan.regions.selectors import region_get

from ...services import meetings_plan_year_bulk


class Command(BaseCommand):
    help = "Rencanakan 12 pertemuan bulanan setahun untuk semua kelompok aktif di wilayah."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username operator/korkab yang menjalankan")
        area = parser.add_mutually_exclusive_group(required=True)
        area.add_argument("--kecamatan", help="kode kecamatan, mis. 35.11.01")
        area.add_argument("--kabupaten", help="kode kabupaten/kota, mis. 35.11")
        parser.add_argument("--year", type=int, required=True, help="tahun, mis. 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']} tidak ada.")
        code, level = (options["kecamatan"], 3) if options["kecamatan"] else (options["kabupaten"], 2)
        region = region_get(code)
        if region is None or region.level != level:
            raise CommandError(f"Wilayah {code} tidak ada.")
        try:
            require_role(user, Role.OPERATOR, Role.KORKAB)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        if not region_in_scope(user, region.code):
            raise CommandError(f"Wilayah {region.code} di luar wilayah kerja Anda.")
        started = time.perf_counter()
        ids = list(
            Kelompok.objects.filter(is_active=True, desa__code__startswith=region.code + ".")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        try:
            created = meetings_plan_year_bulk(kelompok_ids=ids, year=options["year"], acting_user=user)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        groups = len({m.kelompok_id for m in created})
        self.stdout.write(
            f"{region.code} {options['year']}: {len(ids)} kelompok aktif; {len(created)} pertemuan baru "
            f"untuk {groups} kelompok dalam {time.perf_counter() - started:.1f} detik."
        )
