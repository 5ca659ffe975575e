"""The stored figures: each metric's key, the section of the records it comes from, the kind of
period it is counted over, and what it means (shown beside the figure on the dashboards).

Sections let a change refresh only what it touches: a tahap computed for a whole province
refreshes the payment figures of the province, not its components or attendance."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from harapan.conf import setting
from harapan.registry.models import HouseholdStatus
from harapan.registry.rules import KOMPONEN_LABELS, Komponen

# Sections of the records behind the figures.
KPM = "kpm"  # families: status, components, pendamping, groups joined, graduation
P2K2 = "p2k2"  # kelompok, meetings, module coverage, attendance, absence flags
KOMITMEN = "komitmen"  # commitment verification records, open sanctions
BAYAR = "bayar"  # tahap payment lines and the bank's results
DANA = "dana"  # a kabupaten's dana sharing (and whether it reaches the target)
STAF = "staf"  # pendamping counted and their caseload against the norm
ADUAN = "aduan"  # grievances
RUJUKAN = "rujukan"  # referrals to complementary programmes
SECTIONS: tuple[str, ...] = (KPM, P2K2, KOMITMEN, BAYAR, DANA, STAF, ADUAN, RUJUKAN)

# Sections computed from desa records (the others are computed at their own level: STAF for each
# pendamping, DANA for each kabupaten).
DESA_SECTIONS: tuple[str, ...] = (KPM, P2K2, KOMITMEN, BAYAR, ADUAN, RUJUKAN)

# Kinds of period.
NOW = ""  # as of the computation
MONTH = "bulan"  # "2026-03"
YEAR = "tahun"  # "2026"
TAHAP = "tahap"  # "2026-1"


@dataclass(frozen=True)
class Metric:
    key: str
    section: str
    period: str
    label: str | Promise
    definition: str | Promise


def _m(key: str, section: str, period: str, label: str | Promise, definition: str | Promise) -> Metric:
    return Metric(key, section, period, label, definition)


IN_PROGRAMME_NOTE = _("KPM dalam program: berstatus calon, aktif atau ditangguhkan.")

METRICS: dict[str, Metric] = {
    m.key: m
    for m in [
        *(
            _m(
                f"kpm_{value}",
                KPM,
                NOW,
                label,
                _("KPM yang statusnya sekarang %(status)s.") % {"status": label},
            )
            for value, label in HouseholdStatus.choices
        ),
        _m(
            "kpm_didampingi",
            KPM,
            NOW,
            _("KPM didampingi"),
            _("KPM dalam program yang punya pendamping."),
        ),
        *(
            _m(
                f"komponen_{k.value}",
                KPM,
                NOW,
                _(KOMPONEN_LABELS[k]),  # noqa: INT001
                _("Anggota KPM dalam program yang memenuhi komponen ini pada tanggal perhitungan."),
            )
            for k in Komponen
        ),
        _m(
            "kpm_berkomponen",
            KPM,
            NOW,
            _("KPM berkomponen"),
            _("KPM dalam program yang punya paling sedikit satu komponen pada tanggal perhitungan."),
        ),
        _m(
            "kpm_berkelompok",
            KPM,
            NOW,
            _("KPM berkelompok"),
            _("KPM dalam program yang menjadi anggota kelompok pada tanggal perhitungan."),
        ),
        _m(
            "graduasi_basis",
            KPM,
            YEAR,
            _("KPM tahun ini"),
            _("KPM dalam program pada suatu waktu di tahun itu, termasuk yang graduasi pada tahun itu."),
        ),
        _m("graduasi_mandiri", KPM, YEAR, _("Graduasi mandiri"), _("KPM yang graduasi mandiri pada tahun itu.")),
        _m("graduasi_alamiah", KPM, YEAR, _("Graduasi alamiah"), _("KPM yang graduasi alamiah pada tahun itu.")),
        _m("kelompok", P2K2, NOW, _("Kelompok"), _("Kelompok aktif.")),
        _m(
            "kelompok_sesi_inti",
            P2K2,
            NOW,
            _("Sesi inti tersampaikan"),
            _("Jumlah, atas semua kelompok aktif, sesi inti P2K2 berbeda yang sudah disampaikan dalam pertemuan."),
        ),
        _m(
            "kelompok_modul_inti",
            P2K2,
            NOW,
            _("Modul inti tuntas"),
            _("Jumlah, atas semua kelompok aktif, modul inti yang semua sesinya sudah disampaikan."),
        ),
        _m(
            "kelompok_inti_tuntas",
            P2K2,
            NOW,
            _("Kelompok tuntas 14 sesi"),
            _("Kelompok aktif yang sudah menerima semua sesi inti P2K2."),
        ),
        _m(
            "pertemuan_terlaksana",
            P2K2,
            MONTH,
            _("Pertemuan terlaksana"),
            _("Pertemuan kelompok yang tercatat terlaksana, menurut bulan tanggalnya."),
        ),
        _m(
            "pertemuan_direncanakan",
            P2K2,
            MONTH,
            _("Pertemuan direncanakan"),
            _("Pertemuan yang masih berstatus direncanakan (belum dicatat), menurut bulan tanggalnya."),
        ),
        _m("pertemuan_dibatalkan", P2K2, MONTH, _("Pertemuan dibatalkan"), _("Pertemuan yang dibatalkan.")),
        _m("absen_hadir", P2K2, MONTH, _("Hadir"), _("Tanda hadir pada pertemuan terlaksana.")),
        _m("absen_izin", P2K2, MONTH, _("Izin"), _("Tanda izin pada pertemuan terlaksana.")),
        _m("absen_alpa", P2K2, MONTH, _("Alpa"), _("Tanda alpa pada pertemuan terlaksana.")),
        _m(
            "kpm_tanda_penangguhan",
            P2K2,
            NOW,
            _("KPM ditandai penangguhan"),
            _("KPM dengan tanda ketidakhadiran P2K2 (penangguhan) yang masih terbuka."),
        ),
        _m(
            "kpm_tanda_usul_non_eligible",
            P2K2,
            NOW,
            _("KPM diusulkan non-eligible"),
            _("KPM dengan tanda usul non-eligible karena ketidakhadiran P2K2 yang masih terbuka."),
        ),
        _m("komitmen_catatan", KOMITMEN, MONTH, _("Catatan komitmen"), _("Catatan komitmen per bulan verifikasi.")),
        _m(
            "komitmen_dipenuhi",
            KOMITMEN,
            MONTH,
            _("Catatan dipenuhi"),
            _("Catatan komitmen yang dipenuhi per bulan verifikasi."),
        ),
        _m("komitmen_kpm", KOMITMEN, MONTH, _("KPM diverifikasi"), _("KPM dengan catatan komitmen pada bulan itu.")),
        _m(
            "komitmen_kpm_patuh",
            KOMITMEN,
            MONTH,
            _("KPM patuh"),
            _("KPM yang memenuhi semua komitmennya yang dicatat pada bulan itu."),
        ),
        _m("sanksi_peringatan", KOMITMEN, NOW, _("Peringatan"), _("Sanksi peringatan yang masih berlaku.")),
        _m("sanksi_penangguhan", KOMITMEN, NOW, _("Penangguhan"), _("Sanksi penangguhan yang masih berlaku.")),
        _m(
            "sanksi_pembatalan",
            KOMITMEN,
            NOW,
            _("Pembatalan"),
            _("Sanksi pembatalan (non-eligible) yang masih berlaku."),
        ),
        _m("bayar_kpm", BAYAR, TAHAP, _("KPM dalam daftar bayar"), _("Baris bayar tahap (tidak dibatalkan).")),
        _m("bayar_rp", BAYAR, TAHAP, _("Rencana bayar (Rp)"), _("Nominal baris bayar tahap (hak + tunggakan).")),
        _m("salur_kpm", BAYAR, TAHAP, _("KPM tersalur"), _("Baris bayar yang menurut hasil bank berstatus SALUR.")),
        _m("salur_rp", BAYAR, TAHAP, _("Tersalur (Rp)"), _("Jumlah dibayar menurut hasil bank.")),
        _m("gagal_kpm", BAYAR, TAHAP, _("KPM gagal salur"), _("Baris bayar berstatus GAGAL atau RETUR.")),
        _m("gagal_rp", BAYAR, TAHAP, _("Gagal salur (Rp)"), _("Nominal baris berstatus GAGAL atau RETUR.")),
        _m(
            "dana_apbd_rp",
            DANA,
            YEAR,
            _("Dana sharing APBD (Rp)"),
            _("Dana APBD kabupaten/kota untuk PKH yang dicatat untuk tahun itu."),
        ),
        _m(
            "dana_pkh_rp",
            DANA,
            YEAR,
            _("Dana PKH tersalur (Rp)"),
            _("Dana PKH tersalur pada tahun itu di kabupaten/kota yang mencatat dana sharing."),
        ),
        _m(
            "dana_kab_tercatat",
            DANA,
            YEAR,
            _("Kabupaten/kota mencatat dana sharing"),
            _("Kabupaten/kota yang mencatat dana sharing tahun itu."),
        ),
        _m(
            "dana_kab_tercapai",
            DANA,
            YEAR,
            _("Kabupaten/kota mencapai target"),
            _("Kabupaten/kota yang dana sharing-nya mencapai target persentase dana PKH tersalur."),
        ),
        _m("pendamping", STAF, NOW, _("Pendamping"), _("Pendamping aktif yang bertugas di wilayah ini.")),
        _m(
            "pendamping_di_bawah_norma",
            STAF,
            NOW,
            _("Pendamping di bawah norma"),
            _("Pendamping aktif yang mendampingi lebih sedikit KPM dalam program daripada batas bawah norma."),
        ),
        _m(
            "pendamping_di_atas_norma",
            STAF,
            NOW,
            _("Pendamping di atas norma"),
            _("Pendamping aktif yang mendampingi lebih banyak KPM dalam program daripada batas atas norma."),
        ),
        _m("aduan", ADUAN, NOW, _("Pengaduan"), _("Semua pengaduan.")),
        _m("aduan_terbuka", ADUAN, NOW, _("Pengaduan terbuka"), _("Pengaduan berstatus baru atau ditangani.")),
        _m("rujukan", RUJUKAN, NOW, _("Rujukan"), _("Semua rujukan ke program komplementer.")),
        _m(
            "rujukan_terbuka",
            RUJUKAN,
            NOW,
            _("Rujukan terbuka"),
            _("Rujukan yang belum selesai: berstatus dirujuk atau diterima."),
        ),
        _m("rujukan_selesai", RUJUKAN, NOW, _("Rujukan selesai"), _("Rujukan yang selesai: layanan diterima KPM.")),
    ]
}

# Metrics whose key carries codes after a fixed prefix: cases of a grievance category in a status,
# referrals to a programme in a status, families in the programme receiving a programme (coverage on
# the date of the computation, as ``referrals.selectors.coverage_counts`` counts it).
GRIEVANCE_PREFIX = "aduan_kategori_"
REFERRAL_PREFIX = "rujukan_program_"
COVERAGE_PREFIX = "cakupan_program_"
DYNAMIC_PREFIXES: dict[str, str] = {GRIEVANCE_PREFIX: ADUAN, REFERRAL_PREFIX: RUJUKAN, COVERAGE_PREFIX: RUJUKAN}


# After a grievance category: its cases still open (baru, ditangani) that were escalated to korkab.
ESCALATED_OPEN = "eskalasi"


def grievance_key(category: str, status: str) -> str:
    """Cases of one category in one status ("aduan_kategori_pin_lupa.baru"), or open and escalated
    (``ESCALATED_OPEN``: "aduan_kategori_pin_lupa.eskalasi")."""
    return f"{GRIEVANCE_PREFIX}{category}.{status}"


def referral_key(programme: str, status: str) -> str:
    """Referrals to one programme in one status: "rujukan_program_kis.dirujuk"."""
    return f"{REFERRAL_PREFIX}{programme}.{status}"


def coverage_key(programme: str) -> str:
    """Families in the programme receiving one complementary programme: "cakupan_program_kis"."""
    return f"{COVERAGE_PREFIX}{programme}"


def section_of(key: str) -> str:
    metric = METRICS.get(key)
    if metric is not None:
        return metric.section
    for prefix, section in DYNAMIC_PREFIXES.items():
        if key.startswith(prefix):
            return section
    raise KeyError(key)


def section_keys(sections: set[str] | frozenset[str]) -> list[str]:
    """The fixed metric keys of ``sections`` (dynamic keys are matched by prefix, ``section_of``)."""
    return [k for k, m in METRICS.items() if m.section in sections]


def caseload_band() -> tuple[int, int]:
    """Families per pendamping inside the norm: the band groups balance caseloads with (groups
    CASELOAD_MIN/MAX; RULES.md "People and ratios"), so one setting serves both apps."""
    return int(setting("groups", "CASELOAD_MIN")), int(setting("groups", "CASELOAD_MAX"))
