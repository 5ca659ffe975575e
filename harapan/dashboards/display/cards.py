"""The cards at the top of a dashboard: one figure each, a line of detail, its definition."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from harapan.conf import setting
from harapan.payroll.rules import dana_sharing_meets_target, dana_sharing_percent
from harapan.registry.models import HouseholdStatus
from harapan.registry.rules import Komponen

from .. import metrics as m
from ..models import AreaKind
from ..selectors import Dashboard
from .base import (
    NORM_LABELS,
    Periods,
    attendance,
    graduated_counted,
    graduation_target,
    in_programme,
    month_label,
    norm_status,
    num_text,
    pct_text,
    percent,
    ratio,
    rp_text,
    tahap_label,
)

# --- Cards ------------------------------------------------------------------------------------------


@dataclass
class Card:
    key: str
    label: str | Promise
    value: str
    detail: str = ""
    definition: str | Promise = ""
    tone: str = ""  # "ok", "warn" or ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (label, value) lines under the card


def cards(d: Dashboard, p: Periods, live: dict[str, Any]) -> list[Card]:
    v = d.values
    out: list[Card] = []
    program = in_programme(v)
    out.append(
        Card(
            "kpm",
            _("KPM dalam program") if d.pendamping is None else _("KPM dampingan"),
            num_text(program),
            _("aktif %(a)s, ditangguhkan %(t)s, calon %(c)s")
            % {
                "a": num_text(v.get("kpm_aktif")),
                "t": num_text(v.get("kpm_ditangguhkan")),
                "c": num_text(v.get("kpm_calon")),
            },
            m.IN_PROGRAMME_NOTE,
            items=[(str(label), num_text(v.get(f"kpm_{value}"))) for value, label in HouseholdStatus.choices],
        )
    )
    members = sum(v.get(f"komponen_{k.value}") for k in Komponen)
    out.append(
        Card(
            "komponen",
            _("Anggota berkomponen"),
            num_text(members),
            _("%(n)s KPM berkomponen dari %(p)s KPM dalam program")
            % {"n": num_text(v.get("kpm_berkomponen")), "p": num_text(program)},
            _(
                "Anggota KPM dalam program yang memenuhi suatu komponen pada tanggal perhitungan (sebelum batas "
                "4 orang per keluarga; seseorang yang memenuhi dua komponen dihitung pada keduanya)."
            ),
        )
    )
    low, high = m.caseload_band()
    ref = int(setting("dashboards", "NORM_REFERENCE"))
    norm_text = _("norma %(low)s–%(high)s KPM per pendamping (Banjarmasin ≈%(ref)s)") % {
        "low": low,
        "high": high,
        "ref": ref,
    }
    if d.pendamping is None:
        per = ratio(program, v.get("pendamping"))
        out.append(
            Card(
                "pendamping",
                _("Pendamping"),
                num_text(v.get("pendamping")),
                _("%(per)s KPM per pendamping; %(under)s di bawah dan %(over)s di atas norma")
                % {
                    "per": num_text(per),
                    "under": num_text(v.get("pendamping_di_bawah_norma")),
                    "over": num_text(v.get("pendamping_di_atas_norma")),
                },
                _(
                    "Pendamping aktif yang bertugas di wilayah ini; KPM per pendamping = KPM dalam program / pendamping; "
                )
                + norm_text
                + _(" (RULES.md: People and ratios)."),
                tone="" if per is None else ("ok" if low <= per <= high else "warn"),
            )
        )
    else:
        status = norm_status(program)
        out.append(
            Card(
                "pendamping",
                _("Beban dampingan"),
                str(NORM_LABELS[status]),
                norm_text,
                _("KPM dalam program yang didampingi, dibanding norma (RULES.md: People and ratios)."),
                tone="ok" if status == "dalam" else "warn",
            )
        )
    groups = v.get("kelompok")
    out.append(
        Card(
            "kelompok",
            _("Kelompok"),
            num_text(groups),
            _("%(share)s KPM berkelompok; rata-rata %(avg)s sesi inti per kelompok; %(done)s kelompok tuntas 14 sesi")
            % {
                "share": pct_text(percent(v.get("kpm_berkelompok"), program)),
                "avg": num_text(ratio(v.get("kelompok_sesi_inti"), groups)),
                "done": pct_text(percent(v.get("kelompok_inti_tuntas"), groups)),
            },
            _(
                "Kelompok aktif; KPM berkelompok = KPM dalam program yang menjadi anggota kelompok; sesi inti = sesi "
                "berbeda dari 14 sesi modul inti P2K2 yang sudah disampaikan; tuntas = semua sesi inti sudah "
                "disampaikan (RULES.md: P2K2 / FDS curriculum)."
            ),
            items=[(_("Modul inti tuntas (jumlah atas semua kelompok)"), num_text(v.get("kelompok_modul_inti")))],
        )
    )
    past = [mo for mo in p.months if mo < f"{p.today:%Y-%m}"]
    out.append(
        Card(
            "pertemuan",
            _("Pertemuan terlaksana"),
            num_text(v.total("pertemuan_terlaksana", p.months)),
            _("%(months)s bulan terakhir; %(open)s pertemuan bulan lalu belum dicatat, %(cancel)s dibatalkan")
            % {
                "months": len(p.months),
                "open": num_text(v.total("pertemuan_direncanakan", past)),
                "cancel": num_text(v.total("pertemuan_dibatalkan", p.months)),
            },
            _("Pertemuan kelompok yang tercatat terlaksana dalam bulan-bulan yang ditampilkan."),
        )
    )
    hadir, marks = attendance(v, p.months)
    rate = percent(hadir, marks)
    out.append(
        Card(
            "kehadiran",
            _("Tingkat kehadiran"),
            pct_text(rate),
            _("%(h)s hadir dari %(n)s tanda kehadiran, %(months)s bulan terakhir")
            % {"h": num_text(hadir), "n": num_text(marks), "months": len(p.months)},
            _(
                "Hadir / semua tanda (hadir, izin, alpa) pada pertemuan terlaksana (RULES.md: P2K2 / FDS curriculum, "
                "Measures of success)."
            ),
        )
    )
    month = p.last_verification
    patuh, verified = (v.get("komitmen_kpm_patuh", month), v.get("komitmen_kpm", month)) if month else (0, 0)
    out.append(
        Card(
            "komitmen",
            _("Kepatuhan komitmen"),
            pct_text(percent(patuh, verified)),
            (
                _("%(p)s dari %(n)s KPM patuh pada %(month)s; catatan dipenuhi %(rec)s")
                % {
                    "p": num_text(patuh),
                    "n": num_text(verified),
                    "month": month_label(month),
                    "rec": pct_text(percent(v.get("komitmen_dipenuhi", month), v.get("komitmen_catatan", month))),
                }
                if month
                else _("Belum ada catatan verifikasi komitmen.")
            ),
            _(
                "KPM yang memenuhi semua komitmen yang dicatat untuknya pada bulan verifikasi terakhir, dari KPM "
                "yang diverifikasi (RULES.md: Obligations). Sanksi yang masih berlaku menurut tingkat (RULES.md: "
                "Sanctions)."
            ),
            items=[
                (_("Sanksi peringatan"), num_text(v.get("sanksi_peringatan"))),
                (_("Sanksi penangguhan"), num_text(v.get("sanksi_penangguhan"))),
                (_("Sanksi pembatalan"), num_text(v.get("sanksi_pembatalan"))),
                (_("KPM ditandai tidak hadir P2K2"), num_text(v.get("kpm_tanda_penangguhan"))),
            ],
        )
    )
    t = p.last_tahap
    if t:
        planned, paid = v.get("bayar_rp", t), v.get("salur_rp", t)
        out.append(
            Card(
                "penyaluran",
                _("Penyaluran %(tahap)s") % {"tahap": tahap_label(t)},
                pct_text(percent(paid, planned)),
                _("%(paid)s tersalur dari %(planned)s; %(pk)s dari %(lk)s KPM; gagal %(fk)s KPM")
                % {
                    "paid": rp_text(paid),
                    "planned": rp_text(planned),
                    "pk": num_text(v.get("salur_kpm", t)),
                    "lk": num_text(v.get("bayar_kpm", t)),
                    "fk": num_text(v.get("gagal_kpm", t)),
                },
                _(
                    "Rencana = nominal baris bayar tahap (tidak dibatalkan); tersalur = jumlah dibayar menurut hasil "
                    "bank (STATUS_SALUR); gagal = GAGAL atau RETUR (RULES.md: Disbursement and data)."
                ),
            )
        )
    else:
        out.append(Card("penyaluran", _("Penyaluran"), "–", _("Belum ada daftar bayar tahap."), ""))
    counted, target = graduated_counted(v, p.year), graduation_target(v, p.year)
    base = v.get("graduasi_basis", p.year)
    out.append(
        Card(
            "graduasi",
            _("Graduasi %(year)s") % {"year": p.year},
            pct_text(percent(counted, base)),
            _("%(c)s dari target %(t)s KPM (%(pct)s%% dari %(b)s KPM): mandiri %(md)s, alamiah %(al)s")
            % {
                "c": num_text(counted),
                "t": num_text(target),
                "pct": setting("graduation", "TARGET_PERCENT"),
                "b": num_text(base),
                "md": num_text(v.get("graduasi_mandiri", p.year)),
                "al": num_text(v.get("graduasi_alamiah", p.year)),
            },
            _(
                "Graduasi tahun ini (mandiri dan alamiah) dibanding target persentase KPM tahun ini: KPM dalam "
                "program pada suatu waktu tahun ini, termasuk yang graduasi (RULES.md: Graduation)."
            ),
            tone="ok" if target and counted >= target else "",
            items=[
                (_("Seluruhnya berstatus graduasi mandiri"), num_text(v.get("kpm_graduasi_mandiri"))),
                (_("Seluruhnya berstatus graduasi alamiah"), num_text(v.get("kpm_graduasi_alamiah"))),
            ],
        )
    )
    if d.kind in (AreaKind.NASIONAL, AreaKind.PROVINSI, AreaKind.KABUPATEN):
        out.append(dana_card(d, p))
    grievances = live.get("grievances")
    if grievances is not None:
        out.append(
            Card(
                "pengaduan",
                _("Pengaduan terbuka"),
                num_text(grievances["open_now"]),
                _("%(late)s melewati batas waktu; %(esc)s dieskalasi")
                % {
                    "late": num_text(grievances["overdue_now"]),
                    "esc": num_text(grievances["escalated_open"]),
                },
                _(
                    "Pengaduan berstatus baru atau ditangani; terlambat = masih terbuka setelah batas waktu kategorinya "
                    "(dihitung saat halaman dibuka). Pengaduan tentang seorang pendamping tidak dihitung pada angka "
                    "pendamping itu."
                ),
                tone="warn" if grievances["overdue_now"] else "",
            )
        )
    referrals = live.get("referrals")
    if referrals is not None:
        total = referrals["total"]
        out.append(
            Card(
                "rujukan",
                _("Rujukan"),
                num_text(total["opened"]),
                _("dirujuk %(a)s, diterima %(b)s, selesai %(c)s, ditolak %(d)s")
                % {
                    "a": num_text(total["dirujuk"]),
                    "b": num_text(total["diterima"]),
                    "c": num_text(total["selesai"]),
                    "d": num_text(total["ditolak"]),
                },
                _("Rujukan KPM atau anggotanya ke program komplementer, menurut status sekarang."),
            )
        )
    return out


def dana_card(d: Dashboard, p: Periods) -> Card:
    v = d.values
    target = setting("payroll", "DANA_SHARING_TARGET_PERCENT")
    year = (
        p.year
        if v.get("dana_kab_tercatat", p.year) or not v.get("dana_kab_tercatat", str(int(p.year) - 1))
        else str(int(p.year) - 1)
    )
    apbd, pkh = v.get("dana_apbd_rp", year), v.get("dana_pkh_rp", year)
    share = dana_sharing_percent(apbd, pkh)
    definition = _(
        "Dana APBD kabupaten/kota untuk PKH dibanding dana PKH tersalur di kabupaten/kota itu pada tahun yang "
        "sama; target %(t)s%% (RULES.md: Disbursement and data)."
    ) % {"t": target}
    if d.kind == AreaKind.KABUPATEN:
        detail = (
            _("%(a)s dari %(p)s tersalur tahun %(y)s (target %(t)s%%)")
            % {"a": rp_text(apbd), "p": rp_text(pkh), "y": year, "t": target}
            if v.get("dana_kab_tercatat", year)
            else _("Dana sharing tahun %(y)s belum dicatat.") % {"y": year}
        )
        met = dana_sharing_meets_target(apbd, pkh, target) if v.get("dana_kab_tercatat", year) else None
    else:
        detail = _("%(m)s dari %(n)s kabupaten/kota yang mencatat mencapai target %(t)s%% (tahun %(y)s)") % {
            "m": num_text(v.get("dana_kab_tercapai", year)),
            "n": num_text(v.get("dana_kab_tercatat", year)),
            "t": target,
            "y": year,
        }
        met = None
    return Card(
        "dana_sharing",
        _("Dana sharing"),
        "–" if share is None else f"{share}%".replace(".", ","),
        detail,
        definition,
        tone="" if met is None else ("ok" if met else "warn"),
    )
