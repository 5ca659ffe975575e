"""``harapan seed-field-year``: a year in the field for the demo district (``harapan.demo.field``).

    harapan seed-field-year --user operator --kabupaten 35.11 --if-empty

Every planned meeting of the area's groups dated before today (``--as-of``) is held by the group's
pendamping with realistic attendance, one or two are cancelled in some groups, the 3-absence rule
raises (and lifts) flags, and about one group in ten registers a flagship product with monthly
sales. Run it after ``form-groups`` and ``plan-meetings``.

Idempotent by refusal, like ``seed-demo``: an area that already has recorded attendance is left as
it is (an error without ``--if-empty``; with it, ``make run``, a message and success).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harapan.demo.commands import district_and_user, district_arguments
from harapan.demo.field import area_has_attendance, field_year_seed, field_year_summary
from harapan.meetings.models import Mark


class Command(BaseCommand):
    help = (
        "Isi setahun kegiatan lapangan kabupaten demo: pertemuan kelompok yang sudah lewat dicatat terlaksana "
        "dengan kehadiran realistis, tanda ketidakhadiran dari aturan 3 kali alpa, dan produk unggulan kelompok."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        district_arguments(
            parser,
            as_of_help="Pertemuan sebelum tanggal ini (ISO); default hari ini.",
            if_empty_help="Jika wilayah sudah punya catatan kehadiran: jangan ubah apa pun, selesai tanpa galat.",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.perf_counter()
        user, region = district_and_user(opts)
        if area_has_attendance(region.code):
            message = (
                f"{region.name} sudah punya catatan kehadiran: seed_field_year tidak menambah atau mengulang data."
            )
            if not opts["if_empty"]:
                raise CommandError(message + " Pakai --if-empty untuk melewati tanpa galat.")
            self.stdout.write(message)
            return
        as_of: dt.date = opts["as_of"] or timezone.localdate()
        say = self.stdout.write if opts["verbosity"] > 1 else None
        try:
            result = field_year_seed(area_code=region.code, as_of=as_of, seed=opts["seed"], acting_user=user, say=say)
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        s = field_year_summary(region.code)
        marks = sum(s.marks.values()) or 1
        share = ", ".join(f"{_n(s.marks[m])} {m} ({_s(100 * s.marks[m] / marks)}%)" for m in Mark.values)
        open_flags = ", ".join(f"{_n(n)} {kind}" for kind, n in sorted(s.flags_open.items())) or "tidak ada"
        self.stdout.write(
            f"{region.name}, pertemuan sebelum {as_of:%Y-%m-%d}: {_n(result.groups)} kelompok; "
            f"{_n(s.meetings_held)} pertemuan terlaksana, {_n(s.meetings_cancelled)} dibatalkan, "
            f"{_n(s.meetings_planned)} masih direncanakan."
        )
        self.stdout.write(f"  Kehadiran: {share}.")
        self.stdout.write(
            f"  Tanda ketidakhadiran: {_n(sum(s.flags_total.values()))} pernah dinaikkan, {_n(s.flags_lifted)} "
            f"dicabut karena hadir lagi; masih terbuka: {open_flags} ({_n(s.families_flagged_open)} KPM)."
        )
        self.stdout.write(
            f"  Produk unggulan: {_n(s.products)} produk, {_n(s.makers)} pembuat, {_n(s.sales)} catatan penjualan "
            f"(Rp {_n(s.sales_rupiah)})."
        )
        self.stdout.write(f"Selesai dalam {_s(elapsed)} detik.")


def _n(number: int) -> str:
    """12.345 — Indonesian thousands separator (as seed_demo prints)."""
    return f"{number:,}".replace(",", ".")


def _s(value: float) -> str:
    """12,3 — Indonesian decimal comma."""
    return f"{value:.1f}".replace(".", ",")
