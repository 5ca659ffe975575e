"""The columns of a dashboard's children table and of its export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from harapan.registry.rules import Komponen

from .. import metrics as m
from ..models import AreaKind
from ..selectors import Dashboard, Values
from .base import (
    Periods,
    attendance,
    graduated_counted,
    graduation_target,
    in_programme,
    num_text,
    pct_text,
    percent,
    ratio,
    rp_text,
)

# --- Columns of the children table and of the export ------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    value: Callable[[Values, Periods], int | Decimal | None]
    kind: str = "n"  # "n" number, "pct" percentage, "rp" rupiah, "x" ratio
    definition: str | Promise = ""
    on_phone: bool = True
    # Rows of these kinds have no such figure (a desa has no pendamping of its own).
    not_for: frozenset[int] = frozenset()

    def text(self, values: Values, periods: Periods, kind: int | None = None) -> str:
        if kind in self.not_for:
            return "–"
        value = self.value(values, periods)
        if self.kind == "pct":
            return pct_text(value if isinstance(value, Decimal) or value is None else Decimal(value))
        if self.kind == "rp":
            return "–" if value is None else rp_text(int(value))
        return num_text(value)


def _last_tahap(field_name: str) -> Callable[[Values, Periods], int | None]:
    return lambda v, p: v.get(field_name, p.last_tahap) if p.last_tahap else None


COLUMNS: list[Column] = [
    Column("kpm", gettext_lazy("KPM dalam program"), lambda v, p: in_programme(v), definition=m.IN_PROGRAMME_NOTE),
    Column("kpm_aktif", gettext_lazy("KPM aktif"), lambda v, p: v.get("kpm_aktif"), on_phone=False),
    Column(
        "pendamping",
        gettext_lazy("Pendamping"),
        lambda v, p: v.get("pendamping"),
        not_for=frozenset({AreaKind.DESA, AreaKind.SEL}),
    ),
    Column(
        "kpm_per_pendamping",
        gettext_lazy("KPM per pendamping"),
        lambda v, p: ratio(in_programme(v), v.get("pendamping")),
        kind="x",
        definition=gettext_lazy("KPM dalam program / pendamping aktif (RULES.md: People and ratios)."),
        not_for=frozenset({AreaKind.DESA, AreaKind.SEL}),
    ),
    Column(
        "komponen",
        gettext_lazy("Anggota berkomponen"),
        lambda v, p: sum(v.get(f"komponen_{k.value}") for k in Komponen),
        on_phone=False,
    ),
    Column("kelompok", gettext_lazy("Kelompok"), lambda v, p: v.get("kelompok")),
    Column(
        "kelompok_tuntas",
        gettext_lazy("Kelompok tuntas 14 sesi"),
        lambda v, p: percent(v.get("kelompok_inti_tuntas"), v.get("kelompok")),
        kind="pct",
    ),
    Column(
        "pertemuan",
        gettext_lazy("Pertemuan terlaksana"),
        lambda v, p: v.total("pertemuan_terlaksana", p.months),
        on_phone=False,
    ),
    Column(
        "kehadiran",
        gettext_lazy("Kehadiran"),
        lambda v, p: percent(*attendance(v, p.months)),
        kind="pct",
        definition=gettext_lazy(
            "Hadir / semua tanda kehadiran pada pertemuan terlaksana, bulan-bulan yang ditampilkan."
        ),
    ),
    Column(
        "kepatuhan",
        gettext_lazy("Kepatuhan komitmen"),
        lambda v, p: (
            percent(v.get("komitmen_kpm_patuh", p.last_verification), v.get("komitmen_kpm", p.last_verification))
            if p.last_verification
            else None
        ),
        kind="pct",
        definition=gettext_lazy("KPM patuh / KPM diverifikasi pada bulan verifikasi terakhir."),
    ),
    Column(
        "tersalur",
        gettext_lazy("Tersalur tahap terakhir"),
        lambda v, p: (
            percent(v.get("salur_rp", p.last_tahap), v.get("bayar_rp", p.last_tahap)) if p.last_tahap else None
        ),
        kind="pct",
        definition=gettext_lazy("Jumlah tersalur / rencana bayar pada tahap terakhir."),
    ),
    Column(
        "bayar_rp",
        gettext_lazy("Rencana bayar tahap terakhir (Rp)"),
        _last_tahap("bayar_rp"),
        kind="rp",
        on_phone=False,
    ),
    Column(
        "salur_rp", gettext_lazy("Tersalur tahap terakhir (Rp)"), _last_tahap("salur_rp"), kind="rp", on_phone=False
    ),
    Column(
        "graduasi",
        gettext_lazy("Graduasi tahun ini"),
        lambda v, p: graduated_counted(v, p.year),
    ),
    Column("graduasi_target", gettext_lazy("Target graduasi"), lambda v, p: graduation_target(v, p.year)),
    Column("sanksi", gettext_lazy("Sanksi penangguhan"), lambda v, p: v.get("sanksi_penangguhan"), on_phone=False),
    Column("aduan_terbuka", gettext_lazy("Pengaduan terbuka"), lambda v, p: v.get("aduan_terbuka")),
    Column("rujukan", gettext_lazy("Rujukan"), lambda v, p: v.get("rujukan"), on_phone=False),
]


DANA_COLUMN = Column(
    "dana_sharing",
    gettext_lazy("Dana sharing tahun ini"),
    lambda v, p: percent(v.get("dana_apbd_rp", p.year), v.get("dana_pkh_rp", p.year)),
    kind="pct",
    definition=gettext_lazy("Dana APBD / dana PKH tersalur tahun ini, kabupaten/kota yang mencatatnya."),
)


def columns_for(d: Dashboard) -> list[Column]:
    """The columns of the dashboard's children table: no pendamping count below the kecamatan (a
    desa's and a pendamping's rows are families of one pendamping); dana sharing where the rows are
    kabupaten/kota or provinces."""
    if d.kind in (AreaKind.DESA, AreaKind.PENDAMPING):
        return [c for c in COLUMNS if c.key not in ("pendamping", "kpm_per_pendamping")]
    if d.kind in (AreaKind.NASIONAL, AreaKind.PROVINSI):
        return [*COLUMNS, DANA_COLUMN]
    return COLUMNS
