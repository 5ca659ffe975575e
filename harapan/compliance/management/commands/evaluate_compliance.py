"""``harapan evaluate-compliance --user U --region 35.11 --period 2026-10``: evaluate the sanction
ladder for every family of an area for one verification month (RULES.md "Sanctions (configurable
ladder)"), set-based and idempotent: the month's P2K2 records are derived from the meetings, then
sanctions are raised and lifted and statuses follow."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harapan.imports.models import RunStatus
from harapan.regions.selectors import region_get

from ...evaluation import evaluation_run_create
from ...services import compliance_evaluate


def parse_period(text: str) -> dt.date:
    try:
        year, month = text.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError as exc:
        raise CommandError("--period harus YYYY-MM, mis. 2026-10.") from exc


class Command(BaseCommand):
    help = "Evaluasi tangga sanksi komitmen untuk semua KPM di wilayah pada satu bulan verifikasi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username operator/korkab/Dinas Sosial yang menjalankan")
        parser.add_argument("--region", required=True, help="kode wilayah, mis. 35.11 atau 35.11.01")
        parser.add_argument("--period", required=True, help="bulan verifikasi YYYY-MM")
        parser.add_argument("--no-p2k2", action="store_true", help="jangan turunkan catatan P2K2 dari pertemuan")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['user']} tidak ada.")
        month = parse_period(options["period"])
        region = region_get(options["region"])
        if region is None:
            raise CommandError(f"Wilayah {options['region']} tidak ada.")
        started = time.perf_counter()
        try:
            result = compliance_evaluate(
                region=region.code, month=month, acting_user=user, derive_p2k2=not options["no_p2k2"]
            )
        except PermissionDenied as exc:
            raise CommandError(f"{user.get_username()}: {exc}") from exc
        run = evaluation_run_create(user=user, region=region.code, month=month)
        run.status = RunStatus.DONE
        run.families, run.raised, run.lifted = result.families, result.raised, result.lifted
        run.status_changes, run.p2k2_records = result.status_changes, result.p2k2_records
        run.save()
        self.stdout.write(
            f"{region.code} {month:%Y-%m}: {result.families} KPM dievaluasi ({result.skipped} sudah dievaluasi untuk bulan "
            f"sesudahnya); {result.p2k2_records} catatan P2K2; {result.raised} sanksi dikenakan, {result.lifted} dicabut; "
            f"{result.status_changes} status berubah; {time.perf_counter() - started:.1f} detik."
        )
