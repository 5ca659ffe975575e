"""The figures the source documents quote, with where each comes from, for the district profile to set
beside the database's own (issue 5: "the seeds' district profiles as a check"; RULES.md "People and
ratios", "P2K2 / FDS curriculum", "Graduation", "Disbursement and data").

Seeds are the files of ``shared/domain/sources`` named by their number:
- 000: SEKOPER PKH innovation proposal, Dinas Sosial Kabupaten Bondowoso (2020/2022);
- 001: a pendamping's blog, Kabupaten Trenggalek, Jawa Timur (2018);
- 003: evaluation of P2K2 training, BBPPKS Banjarmasin, Regional IV Kalimantan (survey 2020);
- 004: PKH provincial coordination report, Dinas Sosial Provinsi Kalimantan Barat (2023).

A ``derived`` figure is arithmetic on figures a source states (36,547 / 102), not a number the
source prints; the note says so. Figures are data here, never literals in templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DOCUMENTS: dict[str, Promise] = {
    "000": _("Proposal Inovasi SEKOPER PKH, Dinas Sosial Kabupaten Bondowoso (2020/2022)"),
    "001": _("Blog pendamping PKH Kabupaten Trenggalek, Jawa Timur (2018)"),
    "003": _("Evaluasi Manfaat Diklat P2K2 Regional IV Kalimantan, BBPPKS Banjarmasin (2020)"),
    "004": _("Laporan Rapat Koordinasi PKH Provinsi Kalimantan Barat (2023)"),
}


@dataclass(frozen=True)
class SourceFigure:
    """One figure a source quotes: which profile figure it sits beside (``key``), where and when,
    its value (a number the profile compares) and its words (``text``), the seed file it is in."""

    key: str
    place: str | Promise
    year: str
    value: Decimal
    text: str | Promise
    seed: str
    derived: bool = False
    note: str | Promise = ""

    @property
    def document(self) -> str:
        return str(DOCUMENTS[self.seed])

    @property
    def citation(self) -> str:
        return f"[seed {self.seed}] {self.document}"


TRENGGALEK = _("Kab. Trenggalek")
BANJARMASIN = _("Regional IV Kalimantan (survei BBPPKS Banjarmasin)")
KALBAR = _("Prov. Kalimantan Barat")
BONDOWOSO = _("Kab. Bondowoso")

FIGURES: tuple[SourceFigure, ...] = (
    # KPM and pendamping.
    SourceFigure("kpm_total", TRENGGALEK, "2018", Decimal(36547), _("36.547 KPM"), "001"),
    SourceFigure("kpm_total", KALBAR, "2023", Decimal(179527), _("179.527 KPM"), "004"),
    SourceFigure("kpm_total", BONDOWOSO, "2020", Decimal(60093), _("60.093 KPM peserta SEKOPER"), "000"),
    SourceFigure("pendamping_total", TRENGGALEK, "2018", Decimal(102), _("102 pendamping sosial"), "001"),
    SourceFigure(
        "pendamping_total",
        KALBAR,
        "2023",
        Decimal(648),
        _("648 pendamping (sebelumnya 678)"),
        "004",
        note=_("Ditambah 12 eks Korda Sembako/BPNT; 25 APD akan ditugaskan sebagai pendamping."),
    ),
    SourceFigure(
        "kpm_per_pendamping",
        TRENGGALEK,
        "2018",
        Decimal("358.3"),
        _("36.547 KPM / 102 pendamping"),
        "001",
        derived=True,
        note=_("Dihitung dari dua angka sumber."),
    ),
    SourceFigure(
        "kpm_per_pendamping",
        BANJARMASIN,
        "2019",
        Decimal(195),
        _("rata-rata 195 KPM per pendamping (umumnya 150-200)"),
        "003",
        note=_("Jawaban 718 dari 1.142 alumni Diklat P2K2."),
    ),
    SourceFigure(
        "kpm_per_pendamping",
        KALBAR,
        "2023",
        Decimal("277.0"),
        _("179.527 KPM / 648 pendamping"),
        "004",
        derived=True,
        note=_("Dihitung dari dua angka sumber."),
    ),
    # Other PKH staff.
    SourceFigure("korkab_total", TRENGGALEK, "2018", Decimal(2), _("2 korkab"), "001"),
    SourceFigure("korkab_total", KALBAR, "2023", Decimal(14), _("14 koordinator kabupaten/kota"), "004"),
    SourceFigure("supervisor_total", TRENGGALEK, "2018", Decimal(1), _("1 supervisor"), "001"),
    SourceFigure("operator_total", TRENGGALEK, "2018", Decimal(6), _("6 operator"), "001"),
    SourceFigure("operator_total", KALBAR, "2023", Decimal(25), _("25 APD"), "004"),
    # Groups.
    SourceFigure("kelompok_total", BONDOWOSO, "2020", Decimal(1859), _("1.859 kelas (kelompok)"), "000"),
    SourceFigure(
        "kelompok_size",
        BONDOWOSO,
        "2020",
        Decimal("32.3"),
        _("60.093 KPM / 1.859 kelompok"),
        "000",
        derived=True,
        note=_("Dihitung dari dua angka sumber; sumber lain menyebut 10-30 KPM per kelompok."),
    ),
    # P2K2 meetings.
    SourceFigure(
        "meetings_per_pendamping_month",
        BANJARMASIN,
        "2019",
        Decimal(5),
        _("P2K2 sebanyak lima kali sebulan bila pendamping punya beberapa kelompok"),
        "003",
    ),
    SourceFigure(
        "meetings_per_kelompok_month",
        BANJARMASIN,
        "2019",
        Decimal(1),
        _("rata-rata 1 bulan sekali untuk tiap kelompok"),
        "003",
    ),
    SourceFigure(
        "applying_share",
        BANJARMASIN,
        "2019",
        Decimal("50.09"),
        _("50,09% KPM sudah mampu menerapkan materi modul P2K2"),
        "003",
        note=_("Perkiraan pendamping dalam kuesioner, bukan hasil tes."),
    ),
    # Graduation.
    SourceFigure(
        "mandiri_per_pendamping",
        BANJARMASIN,
        "2019",
        Decimal(10),
        _("rata-rata 10 KPM graduasi mandiri per pendamping"),
        "003",
        note=_("Sumber tidak menyebut periode; dibandingkan dengan angka setahun dan sepanjang waktu."),
    ),
    SourceFigure(
        "graduation_share",
        BONDOWOSO,
        "2020",
        Decimal(10),
        _("target graduasi mandiri 10% dari total KPM"),
        "000",
    ),
    # Payments.
    SourceFigure(
        "tahap_kpm",
        KALBAR,
        "2023",
        Decimal(169425),
        _("Tahap I: 169.425 KPM"),
        "004",
    ),
    SourceFigure(
        "tahap_amount",
        KALBAR,
        "2023",
        Decimal(122771150000),
        _("Tahap I: Rp122.771.150.000"),
        "004",
    ),
    SourceFigure(
        "tahap_per_kpm",
        KALBAR,
        "2023",
        Decimal(724634),
        _("Rp122.771.150.000 / 169.425 KPM"),
        "004",
        derived=True,
        note=_("Dihitung dari dua angka sumber (RULES.md: ≈ Rp724.600 per KPM)."),
    ),
    SourceFigure(
        "year_per_kpm",
        TRENGGALEK,
        "2018",
        Decimal(1850000),
        _("Rp1,85 juta sampai Rp2 juta per KPM per tahun, dalam 4 tahap"),
        "001",
    ),
    SourceFigure(
        "dana_sharing_amount",
        KALBAR,
        "2023",
        Decimal(2530428791),
        _("dana sharing APBD 14 kabupaten/kota Rp2.530.428.791"),
        "004",
        note=_("Sumber menilai belum maksimal terhadap himbauan minimal 5%; dasar persentasenya tidak disebut."),
    ),
    SourceFigure(
        "dana_sharing_share",
        KALBAR,
        "2023",
        Decimal(5),
        _("himbauan Kemensos: dana sharing minimal 5% di setiap kabupaten/kota"),
        "004",
    ),
)


def figures_for(key: str) -> list[SourceFigure]:
    return [f for f in FIGURES if f.key == key]
