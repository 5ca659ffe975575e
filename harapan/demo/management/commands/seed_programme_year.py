"""``harapan seed-programme-year``: the demo district's programme year (``harapan.demo.programme``).

    harapan seed-programme-year --user operator --kabupaten 35.11 --if-empty

Run it after ``seed-field-year``. Up to today (``--as-of``): commitment verification month by month
(school and health facility files through the compliance import, the ladder evaluated with the
P2K2 records of the meetings held), every tahap whose cut-off has passed (opened, computed, approved
by Dinas Sosial, issued, reconciled with each bank's burekol and result file), the district's dana
sharing, knowledge checks at the groups' latest meetings, graduasi mandiri through assessment,
proposal, signed statement and the korkab's approval; then the year's complaints, referrals,
facilitator training and alumni survey through their apps' seeders. Prints the figures the source
documents quote, to set beside them (issue 5).

Idempotent by refusal, like ``seed-field-year``: a district that already has a tahap this year is
left as it is (an error without ``--if-empty``; with it, ``make run``, a message and success).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from harapan.compliance.models import SanctionLevel
from harapan.conf import setting
from harapan.demo.commands import district_and_user, district_arguments
from harapan.demo.programme import ProgrammeResult, programme_year_seed, programme_year_summary, year_tahap
from harapan.demo.programme.payments import cut_offs
from harapan.demo.services import DEMO_PASSWORD

LEVELS = {
    SanctionLevel.PERINGATAN: "peringatan",
    SanctionLevel.PENANGGUHAN: "penangguhan",
    SanctionLevel.PEMBATALAN: "pembatalan",
}


class Command(BaseCommand):
    help = (
        "Lengkapi tahun program kabupaten demo: verifikasi komitmen dan sanksi tiap bulan, tahap yang cut-off-nya "
        "sudah lewat sampai hasil bank, dana sharing, graduasi mandiri, pengaduan, rujukan, diklat dan survei alumni."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        district_arguments(
            parser,
            as_of_help="Tahun program sampai tanggal ini (ISO); default hari ini.",
            if_empty_help="Jika kabupaten sudah punya tahap tahun ini: jangan ubah apa pun, selesai tanpa galat.",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.perf_counter()
        user, region = district_and_user(opts)
        as_of: dt.date = opts["as_of"] or timezone.localdate()
        existing = year_tahap(region.code, as_of.year)
        message = ""
        if existing is not None:
            message = (
                f"{region.name} sudah punya tahap {existing.number}/{existing.year}: seed_programme_year tidak "
                "menambah atau mengulang data."
            )
        elif not cut_offs(as_of.year, as_of):
            message = f"Belum ada tahap {as_of.year} dengan cut-off sebelum {as_of:%Y-%m-%d}: belum ada tahun program."
        if message:
            if not opts["if_empty"]:
                raise CommandError(message + " Pakai --if-empty untuk melewati tanpa galat.")
            self.stdout.write(message)
            return
        say = self.stdout.write if opts["verbosity"] > 0 else None
        if say:
            say(f"Tahun program {as_of.year} {region.name} sampai {as_of:%Y-%m-%d} …")
        try:
            result = programme_year_seed(kabupaten=region, as_of=as_of, seed=opts["seed"], acting_user=user, say=say)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error
        self._report(result, region.code, region.name, as_of, time.perf_counter() - started)

    def _report(self, result: ProgrammeResult, code: str, name: str, as_of: dt.date, seconds: float) -> None:
        s = programme_year_summary(code, result.year)
        out = self.stdout.write
        out(f"{name}, tahun program {result.year} sampai {as_of:%Y-%m-%d}:")
        out(
            f"  KPM dalam program {_n(s.kpm)}, pendamping {_n(s.pendamping)}: {_d(s.kpm_per_pendamping)} KPM per "
            "pendamping (Banjarmasin: 195)."
        )
        v = result.verification
        out(
            f"  Verifikasi komitmen: {len(v.months)} bulan dievaluasi; {v.school_files} berkas sekolah, "
            f"{v.health_files} berkas faskes ({_n(v.records_created)} catatan, {_n(v.rows_rejected)} baris ditolak)."
        )
        raised = ", ".join(f"{_n(s.sanctions_raised.get(k, 0))} {label}" for k, label in LEVELS.items())
        still = ", ".join(f"{_n(s.sanctions_open.get(k, 0))} {label}" for k, label in LEVELS.items())
        out(f"  Sanksi tahun ini: {raised}; masih terbuka: {still}.")
        out(
            f"    {_n(s.suspended)} KPM ditangguhkan, {_n(s.awaiting_confirmation)} pembatalan menunggu konfirmasi "
            "korkab/Dinas Sosial."
        )
        out("  Tahap (cut-off): baris bayar, rencana, tersalur (hasil bank), gagal/retur, dibawa ke tahap berikut:")
        for t in s.tahap:
            share = _d(_percent(t.paid, t.planned))
            out(
                f"    {t.number} ({t.cut_off:%d-%m-%Y}, {t.status}): {_n(t.lines)} KPM, Rp {_n(t.planned)} rencana, "
                f"Rp {_n(t.paid)} tersalur ({share}%), {_n(t.salur)} SALUR, {_n(t.unpaid)} gagal/retur, "
                f"{_n(t.carried)} dibawa; tunggakan masuk Rp {_n(t.arrears)}; {_n(t.excluded)} dikecualikan "
                f"({_n(t.alamiah)} graduasi alamiah)."
            )
        first = s.tahap[0] if s.tahap else None
        if first and first.lines:
            out(f"    Tahap I per KPM: Rp {_n(first.planned // first.lines)} (Kalbar 2023: Rp 724.634).")
        target = setting("payroll", "DANA_SHARING_TARGET_PERCENT")
        out(
            f"  Dana sharing APBD: Rp {_n(s.apbd or 0)} = {_d(s.dana_sharing_percent, 2)}% dari Rp {_n(s.paid)} tersalur "
            f"(target ≥ {target}%)."
        )
        g = result.graduation
        out(
            f"  Graduasi {result.year}: {_n(s.mandiri_year)} mandiri ({_d(s.mandiri_per_pendamping)} per pendamping; "
            f"Banjarmasin: 10), {_n(s.alamiah_year)} alamiah. Lewat usulan tahun ini: {_n(g.assessed)} dinilai, "
            f"{_n(g.proposed)} diusulkan, {_n(g.approved)} disetujui, {_n(g.rejected)} ditolak, {_n(g.waiting)} "
            "menunggu."
        )
        out(
            f"  Menerapkan materi P2K2 (cek pengetahuan): {_n(s.applying)} dari {_n(s.checked)} KPM = "
            f"{_d(s.applying_percent, 2)}% (Banjarmasin: 50,09%)."
        )
        out(f"  Pengaduan: {_counts(s.grievances)}. Rujukan: {_counts(s.referrals)}.")
        out(f"  Diklat pendamping (peserta per status angkatan): {_counts(s.cohorts)}.")
        alumni = result.alumni
        if "answered" in alumni:
            out(
                f"  Survei alumni: {_n(alumni['answered'])} dari {_n(alumni.get('invited', 0))} alumni menjawab "
                f"({_d(alumni.get('rate'))}%)."
            )
        elif alumni.get("skipped"):
            out(f"  Survei alumni: dilewati ({alumni['skipped']}).")
        steps = ", ".join(f"{k} {_s(v)}" for k, v in result.seconds.items())
        out(f"Selesai dalam {_s(seconds)} detik ({steps}).")
        logins = [(lg.username, lg.full_name) for lg in result.actors.created]
        logins += [(lg["username"], lg["full_name"]) for lg in result.training.get("logins", [])]
        if logins:
            out("")
            out(f"Login demo (password {DEMO_PASSWORD}):")
            for username, full_name in logins:
                out(f"  {username:<14} {full_name}")


def _percent(part: int, whole: int) -> float | None:
    return None if not whole else 100 * part / whole


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{_n(n)} {k}" for k, n in sorted(counts.items())) or "tidak ada"


def _n(number: int) -> str:
    """12.345 — Indonesian thousands separator (as seed_demo prints)."""
    return f"{number:,}".replace(",", ".")


def _d(value: Any, places: int = 1) -> str:
    """12,3 — Indonesian decimal comma; a dash when there is no figure."""
    if value is None:
        return "—"
    return f"{float(value):.{places}f}".replace(".", ",")


def _s(seconds: float) -> str:
    return f"{seconds:.1f}".replace(".", ",")
