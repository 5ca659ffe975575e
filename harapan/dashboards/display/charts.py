"""The charts of a dashboard (drawn by the vendored Chart.js from ``Chart.data``) and the table
that stands in for each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from harapan.conf import setting
from harapan.registry.rules import KOMPONEN_LABELS, Komponen

from ..selectors import Dashboard
from .base import (
    Periods,
    attendance,
    graduation_target,
    in_programme,
    month_label,
    num_text,
    pct_text,
    percent,
    rp_text,
    tahap_label,
)

# --- Charts -----------------------------------------------------------------------------------------


@dataclass
class Chart:
    key: str
    title: str
    labels: list[str]
    datasets: list[dict[str, Any]]
    stacked: bool = False
    horizontal: bool = False
    money: bool = False
    definition: str | Promise = ""
    extra: list[tuple[str, list[str]]] = field(default_factory=list)  # more table-only rows

    def data(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "datasets": self.datasets,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "money": self.money,
        }

    def table(self) -> tuple[list[str], list[list[str]]]:
        """The chart as a table: one row per label, one column per dataset."""
        head = [str(ds["label"]) for ds in self.datasets] + [label for label, _vals in self.extra]
        rows = []
        for i, label in enumerate(self.labels):
            cells = [rp_text(ds["data"][i]) if self.money else num_text(ds["data"][i]) for ds in self.datasets]
            cells += [vals[i] for _label, vals in self.extra]
            rows.append([label, *cells])
        return head, rows


def charts(d: Dashboard, p: Periods, live: dict[str, Any]) -> list[Chart]:
    v = d.values
    months = [month_label(mo) for mo in p.months]
    out = []
    out.append(
        Chart(
            "kehadiran",
            _("Kehadiran P2K2 per bulan"),
            months,
            [
                {"label": _("Hadir"), "data": [v.get("absen_hadir", mo) for mo in p.months]},
                {"label": _("Izin"), "data": [v.get("absen_izin", mo) for mo in p.months]},
                {"label": _("Alpa"), "data": [v.get("absen_alpa", mo) for mo in p.months]},
            ],
            stacked=True,
            definition=_("Tanda kehadiran pada pertemuan terlaksana, menurut bulan pertemuan."),
            extra=[(_("Tingkat kehadiran"), [pct_text(percent(*attendance(v, [mo]))) for mo in p.months])],
        )
    )
    out.append(
        Chart(
            "pertemuan",
            _("Pertemuan kelompok per bulan"),
            months,
            [
                {"label": _("Terlaksana"), "data": [v.get("pertemuan_terlaksana", mo) for mo in p.months]},
                {"label": _("Direncanakan"), "data": [v.get("pertemuan_direncanakan", mo) for mo in p.months]},
                {"label": _("Dibatalkan"), "data": [v.get("pertemuan_dibatalkan", mo) for mo in p.months]},
            ],
            stacked=True,
            definition=_("Pertemuan menurut bulan tanggalnya dan statusnya sekarang."),
        )
    )
    out.append(
        Chart(
            "penyaluran",
            _("Penyaluran per tahap: rencana dan tersalur"),
            [tahap_label(t) for t in p.tahap],
            [
                {"label": _("Rencana (Rp)"), "data": [v.get("bayar_rp", t) for t in p.tahap]},
                {"label": _("Tersalur (Rp)"), "data": [v.get("salur_rp", t) for t in p.tahap]},
                {"label": _("Gagal (Rp)"), "data": [v.get("gagal_rp", t) for t in p.tahap]},
            ],
            money=True,
            definition=_("Nominal baris bayar tiap tahap dan yang tersalur menurut hasil bank."),
            extra=[
                (
                    _("KPM tersalur / KPM"),
                    [f"{num_text(v.get('salur_kpm', t))} / {num_text(v.get('bayar_kpm', t))}" for t in p.tahap],
                )
            ],
        )
    )
    years = sorted({p.year, *(per for per in v.periods("graduasi_basis"))})
    out.append(
        Chart(
            "graduasi",
            _("Graduasi dan target"),
            years,
            [
                {"label": _("Graduasi mandiri"), "data": [v.get("graduasi_mandiri", y) for y in years], "stack": "g"},
                {"label": _("Graduasi alamiah"), "data": [v.get("graduasi_alamiah", y) for y in years], "stack": "g"},
                {"label": _("Target"), "data": [graduation_target(v, y) for y in years], "stack": "t"},
            ],
            stacked=True,
            definition=_("Graduasi tiap tahun dibanding target %(pct)s%% KPM tahun itu.")
            % {"pct": setting("graduation", "TARGET_PERCENT")},
        )
    )
    grievances = live.get("grievances")
    if grievances is not None:
        cats = list(grievances["by_category"].values())
        out.append(
            Chart(
                "pengaduan",
                _("Pengaduan per kategori"),
                [str(c["name"]) for c in cats],
                [
                    {"label": _("Terbuka"), "data": [c["open_now"] for c in cats]},
                    {"label": _("Terlambat"), "data": [c["overdue_now"] for c in cats]},
                    {"label": _("Selesai/ditutup"), "data": [c["closed"] for c in cats]},
                ],
                horizontal=True,
                definition=_(
                    "Pengaduan menurut kategori: terbuka sekarang, yang terlambat, dan yang sudah selesai atau ditutup."
                ),
            )
        )
    referrals = live.get("referrals")
    if referrals is not None:
        names = live.get("programme_names", {})
        progs = list(referrals["programmes"].items())
        covered = referrals.get("coverage", {})
        families = in_programme(v)
        out.append(
            Chart(
                "rujukan",
                _("Rujukan per program"),
                [str(names.get(code, code)) for code, _c in progs],
                [
                    {"label": _("Dirujuk"), "data": [c["dirujuk"] for _code, c in progs]},
                    {"label": _("Diterima"), "data": [c["diterima"] for _code, c in progs]},
                    {"label": _("Selesai"), "data": [c["selesai"] for _code, c in progs]},
                    {"label": _("Ditolak"), "data": [c["ditolak"] for _code, c in progs]},
                ],
                stacked=True,
                horizontal=True,
                definition=_(
                    "Rujukan ke program komplementer menurut program dan status sekarang; KPM menerima = KPM "
                    "dalam program yang menerima program itu (keluarga atau salah satu anggotanya) pada tanggal "
                    "perhitungan, dan bagiannya dari KPM dalam program."
                ),
                extra=[
                    (
                        _("KPM menerima"),
                        [
                            f"{num_text(covered.get(code, 0))} ({pct_text(percent(covered.get(code, 0), families))})"
                            for code, _c in progs
                        ],
                    )
                ],
            )
        )
    out.append(
        Chart(
            "komponen",
            _("Komponen"),
            [_(KOMPONEN_LABELS[k]) for k in Komponen],
            [{"label": _("Anggota"), "data": [v.get(f"komponen_{k.value}") for k in Komponen]}],
            horizontal=True,
            definition=_("Anggota KPM dalam program yang memenuhi tiap komponen pada tanggal perhitungan."),
        )
    )
    return out
