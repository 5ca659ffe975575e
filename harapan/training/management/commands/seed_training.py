"""``harapan seed_training``: the demo's facilitator training (centre, programme "Diklat P2K2", a
finished and a running cohort of the demo kabupaten's pendamping). Run after ``seed_demo``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harapan.training.demo import seed_training


class Command(BaseCommand):
    help = "Isi data demo diklat fasilitator P2K2 untuk pendamping kabupaten demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kabupaten", default="35.11", help="Kode kabupaten/kota Kemendagri.")
        parser.add_argument("--as-of", default=None, help="Tanggal acuan (YYYY-MM-DD); bawaan hari ini.")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **opts: Any) -> None:
        as_of = dt.date.fromisoformat(opts["as_of"]) if opts["as_of"] else timezone.localdate()
        try:
            summary = seed_training(kabupaten_code=opts["kabupaten"], as_of=as_of, seed=opts["seed"])
        except ValueError as e:
            raise CommandError(str(e)) from e
        if summary["created"]:
            self.stdout.write(
                f"Diklat P2K2: angkatan selesai (#{summary['finished_cohort']}: {summary['lulus']} lulus, "
                f"{summary['tidak_lulus']} tidak lulus) dan angkatan berjalan (#{summary['running_cohort']})."
            )
        else:
            self.stdout.write("Data diklat demo sudah ada: tidak ada yang ditambahkan.")
        self.stdout.write(f"Login diklat (kata sandi {summary['password']}):")
        for login in summary["logins"]:
            self.stdout.write(f"  {login['username']:<14} {login['role']:<13} {login['full_name']}")
