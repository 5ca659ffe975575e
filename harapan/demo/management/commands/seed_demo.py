"""``harapan seed-demo``: a realistic synthetic district, seeded through the KPM import.

    harapan seed-demo                      # Kabupaten Bondowoso, 60,000 KPM, ~1,860 kelompok, 300 pendamping
    harapan seed-demo --families 1000000   # benchmark scale; families are generated lazily
    harapan seed-demo --kabupaten 35.09    # another district (its logins carry its code: korkab-3509)

The families go through ``harapan.imports.pipeline.import_families``, the same validated, set-based
write path as an uploaded file, so each family gets its creation audit event with the run's
source (``import:<run>``). It creates one demo login per role and one per pendamping, all with
the password ``harapan-demo``, and prints them.

Idempotent by refusal: a district that already has families is never seeded again (nothing is
duplicated or topped up). Without ``--if-empty`` that is an error; with it (``make run``) the
command says so, prints the existing logins and succeeds. Start again from an empty database
(``make clean``) to seed a different size or seed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.conf import setting
from harapan.demo.generator import generate_families
from harapan.demo.plan import DEFAULT_FAMILIES, DEFAULT_KABUPATEN, DEFAULT_SEED, DistrictPlan, plan_district
from harapan.demo.selectors import district_load
from harapan.demo.services import (
    DEMO_PASSWORD,
    DemoLogin,
    demo_logins,
    demo_staff_ensure,
    previous_level_enrol,
    school_history_backdate,
)
from harapan.imports.models import ImportRun
from harapan.imports.pipeline import import_families
from harapan.imports.rows import FamilyRows
from harapan.registry.models import Household


class Command(BaseCommand):
    help = (
        "Isi database dengan kabupaten demo sintetis (default Bondowoso: 60.000 KPM, ±1.900 kelompok, "
        "300 pendamping) melalui jalur impor KPM, dan buat satu login demo per peran."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--families", type=int, default=DEFAULT_FAMILIES, help="Jumlah KPM (100 s.d. 1.000.000+).")
        parser.add_argument("--kabupaten", default=DEFAULT_KABUPATEN, help="Kode kabupaten/kota Kemendagri.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Benih acak: sama = data sama.")
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, default=None, help="Tanggal acuan umur (ISO); default hari ini."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Jika kabupaten sudah berisi KPM: jangan ubah apa pun, tampilkan login, selesai tanpa galat.",
        )
        parser.add_argument(
            "--chunk-size", type=int, default=None, help="Keluarga per transaksi impor (default: CHUNK_SIZE impor)."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.monotonic()
        families: int = opts["families"]
        if families < 1:
            raise CommandError("--families harus paling sedikit 1.")
        try:
            district = district_load(opts["kabupaten"])
        except ValueError as e:
            raise CommandError(str(e)) from e
        as_of: dt.date = opts["as_of"] or timezone.localdate()
        plan = plan_district(district, families=families, seed=opts["seed"])
        logins = demo_logins(plan)

        existing = Household.objects.filter(desa__code__startswith=district.code + ".").count()
        if existing:
            message = (
                f"{district.name} sudah berisi {_n(existing)} KPM: seed_demo tidak menambah atau menggandakan data. "
                "Untuk data demo baru, mulai dari database kosong (make clean)."
            )
            if not opts["if_empty"]:
                raise CommandError(message + " Pakai --if-empty untuk melewati tanpa galat.")
            self.stdout.write(message)
            self._print_logins(logins)
            return

        created = demo_staff_ensure(logins)
        self._say(opts, f"{created} login demo dibuat ({len(plan.pendamping)} pendamping).")
        self._say(
            opts,
            f"Membangkitkan {_n(families)} KPM di {district.name} ({_n(len(plan.groups))} kelompok, "
            f"{len({p.kecamatan.code for p in plan.pendamping})} kecamatan), tanggal acuan {as_of:%Y-%m-%d} …",
        )
        run = self._import(plan, as_of=as_of, opts=opts)
        backdated = school_history_backdate(as_of=as_of)
        self._say(opts, f"{_n(backdated)} pendaftaran sekolah diberi tanggal masuk jenjangnya (1 Juli).")
        previous = previous_level_enrol(as_of=as_of)
        self._say(opts, f"{_n(previous)} siswa kelas 7 dan 10 diberi jenjang yang mereka selesaikan Juni lalu.")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Selesai dalam {_s(elapsed)} detik: {_n(run.families_created)} KPM dan {_n(run.members_created)} anggota "
            f"dibuat, {_n(run.families_rejected)} keluarga ditolak (impor #{run.pk})."
        )
        if run.families_rejected:
            for reject in run.rejects.all()[:10]:
                self.stderr.write(
                    f"  {reject.sheet} baris {reject.row} {reject.field} [{reject.rule}]: {reject.message}"
                )
        self._print_logins(logins)

    def _import(self, plan: DistrictPlan, *, as_of: dt.date, opts: dict[str, Any]) -> ImportRun:
        # A system job: no acting user, so no area limit and audit events without an actor; the
        # run's source (import:<run>) marks every event of the seed.
        run = ImportRun.objects.create(
            file_name=f"seed_demo {plan.district.code} families={plan.families} seed={plan.seed}",
            region_id=plan.district.code,
            as_of=as_of,
            families_total=plan.families,
        )
        chunk = max(1, opts["chunk_size"] or setting("imports", "CHUNK_SIZE"))
        # Every chunk for big runs, about every tenth of the run otherwise.
        every = chunk if plan.families >= 100_000 else max(chunk, (plan.families // 10) // chunk * chunk)
        families: Iterable[FamilyRows] = generate_families(plan, as_of=as_of)
        if opts["verbosity"] > 0:
            families = _progress(families, total=plan.families, every=every, write=self.stdout.write)
        return import_families(families, run=run, acting_user=None, as_of=as_of, chunk_size=chunk)

    def _say(self, opts: dict[str, Any], text: str) -> None:
        if opts["verbosity"] > 0:
            self.stdout.write(text)

    def _print_logins(self, logins: list[DemoLogin]) -> None:
        """The login table: every role, and the first pendamping only (the others share the password)."""
        present = set(
            get_user_model()
            .objects.filter(username__in=[lg.username for lg in logins])
            .values_list("username", flat=True)
        )
        pendamping = [lg for lg in logins if lg.role == Role.PENDAMPING and lg.username in present]
        shown = [lg for lg in logins if lg.role != Role.PENDAMPING and lg.username in present] + pendamping[:1]
        staff = {
            s.user.username: s
            for s in Staff.objects.filter(user__username__in=[lg.username for lg in shown]).select_related("user")
        }
        load = {
            row["pendamping"]: row
            for row in Household.objects.filter(
                pendamping__in=[s.pk for s in staff.values() if s.role == Role.PENDAMPING]
            )
            .values("pendamping")
            .annotate(n=Count("id"), groups=Count("kelompok_label", distinct=True))
        }
        rows = [("Peran", "Username", "Password", "Wilayah kerja")]
        for lg in shown:
            area = lg.area
            s = staff.get(lg.username)
            if lg.role == Role.PENDAMPING and s is not None:
                got = load.get(s.pk, {"n": 0, "groups": 0})
                area = f"{area.split(':')[0]}: {_n(got['n'])} KPM, {got['groups']} kelompok"
            rows.append((str(Role(lg.role).label), lg.username, DEMO_PASSWORD, area))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write("Login demo:")
        for i, r in enumerate(rows):
            self.stdout.write("  " + "  ".join(r[j].ljust(widths[j]) for j in range(3)) + "  " + r[3])
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * 13)
        others = [lg.username for lg in pendamping[1:]]
        if others:
            names = others[0] if len(others) == 1 else f"{others[0]} … {others[-1]}"
            self.stdout.write(
                f"  (+ {len(others)} pendamping lain: {names}, password sama; masing-masing di satu kecamatan)"
            )


def _progress(
    families: Iterable[FamilyRows], *, total: int, every: int, write: Callable[[str], None]
) -> Iterator[FamilyRows]:
    """Pass the families through, reporting each time ``every`` more have been handed to the import."""
    started = time.monotonic()
    i = 0
    for i, f in enumerate(families):
        if i and i % every == 0:
            elapsed = time.monotonic() - started
            write(f"  {_n(i):>10} / {_n(total)} KPM ({100 * i // total}%), {_s(elapsed)} detik")
        yield f
    write(f"  {_n(i + 1):>10} / {_n(total)} KPM dibangkitkan, {_s(time.monotonic() - started)} detik")


def _n(number: int) -> str:
    """12.345 — Indonesian thousands separator."""
    return f"{number:,}".replace(",", ".")


def _s(seconds: float) -> str:
    """12,3 — Indonesian decimal comma."""
    return f"{seconds:.1f}".replace(".", ",")
