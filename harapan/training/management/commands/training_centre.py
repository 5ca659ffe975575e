"""``harapan training_centre``: register a training centre (balai diklat) and link its staff
(users whose staff role is balai_diklat or fasilitator), e.g.

    harapan training_centre --code bbppks-yogyakarta --name "BBPPKS Yogyakarta" --province 34 --staff sri bambang
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harapan.accounts.models import Staff
from harapan.regions.models import Region
from harapan.training.models import Centre
from harapan.training.services import centre_staff_add


class Command(BaseCommand):
    help = "Daftarkan balai diklat dan kaitkan petugasnya (peran balai_diklat atau fasilitator)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help="Kode balai, mis. bbppks-yogyakarta.")
        parser.add_argument("--name", help="Nama balai (wajib saat mendaftarkan balai baru).")
        parser.add_argument("--province", help="Kode provinsi tempat balai (wajib saat mendaftarkan balai baru).")
        parser.add_argument("--staff", nargs="*", default=[], help="Nama pengguna petugas balai / fasilitator.")

    def handle(self, *args: Any, **opts: Any) -> None:
        centre = Centre.objects.filter(code=opts["code"]).first()
        if centre is None:
            if not opts["name"] or not opts["province"]:
                raise CommandError("Balai baru: isi --name dan --province.")
            if not Region.objects.filter(code=opts["province"], level=1).exists():
                raise CommandError(f"Provinsi {opts['province']} tidak dikenal.")
            centre = Centre.objects.create(code=opts["code"], name=opts["name"], region_id=opts["province"])
            self.stdout.write(f"Balai {centre.name} didaftarkan.")
        for username in opts["staff"]:
            staff = Staff.objects.filter(user__username=username).first()
            if staff is None:
                raise CommandError(f"Petugas {username} tidak ditemukan.")
            try:
                centre_staff_add(staff=staff, centre=centre)
            except ValidationError as e:
                raise CommandError(f"{username}: {' '.join(e.messages)}") from e
            self.stdout.write(f"{username} bekerja di {centre.name}.")
