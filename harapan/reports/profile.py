"""The district profile (*profil kabupaten*): the figures the source documents quote, computed from the
database for one kabupaten/kota and set beside the sources' own with the source named (issue 5: "the
seeds' district profiles as a check"; the source figures and their citations live in ``sources``).

Each figure says how it is computed (``definition``), because a ratio is only comparable when its
parts mean the same. Every figure is an aggregate in SQL: a fixed number of queries whatever the
size of the district.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, ExpressionWrapper, F, FloatField, Q, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from harapan.accounts.models import Role, Staff
from harapan.conf import setting
from harapan.graduation.selectors import graduation_progress
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Attendance, Mark, Meeting, MeetingStatus
from harapan.p2k2.models import KnowledgeCheck
from harapan.payroll.models import FROZEN, DanaSharing, PaymentLine, SalurStatus, TahapStatus
from harapan.payroll.rules import dana_sharing_meets_target, dana_sharing_percent
from harapan.regions.models import Region
from harapan.registry.models import IN_PROGRAMME, Household, HouseholdStatus, HouseholdStatusPeriod

from . import rules
from .sources import SourceFigure, figures_for
from .timeline import local_midnight


@dataclass
class ProfileFigure:
    key: str
    label: str
    value: Decimal | int | None
    unit: str
    definition: str
    sources: list[SourceFigure] = field(default_factory=list)


@dataclass
class ProfileSection:
    key: str
    title: str
    figures: list[ProfileFigure]


@dataclass
class TahapRow:
    number: int
    statuses: list[str]
    lines: int = 0
    planned: int = 0
    paid_lines: int = 0
    paid: int = 0

    @property
    def per_kpm(self) -> Decimal | None:
        return rules.ratio(self.planned, self.lines, places=0)


@dataclass
class DistrictProfile:
    region: Region
    provinsi: str
    year: int
    as_of: dt.date
    months: int  # finished months of the year the meeting figures cover
    sections: list[ProfileSection]
    tahap: list[TahapRow]
    applying_definition: str
    generated_at: dt.datetime

    def figure(self, key: str) -> ProfileFigure:
        for section in self.sections:
            for f in section.figures:
                if f.key == key:
                    return f
        raise KeyError(key)

    @property
    def figures(self) -> list[ProfileFigure]:
        return [f for s in self.sections for f in s.figures]


def finished_months(year: int, today: dt.date) -> int:
    """How many months of ``year`` are over on ``today`` (12 for a past year)."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month - 1


def applying_definition() -> str:
    return _(
        "KPM dalam program yang dalam %(months)d bulan terakhir mengikuti sedikitnya %(checks)d cek pengetahuan "
        "sesudah sesi P2K2 dengan rata-rata nilai sesudah sesi sedikitnya %(pass)d%% dari pertanyaan, dibagi "
        "KPM dalam program yang punya cek sesudah sesi. Ini ukuran pengetahuan dari catatan cek; sumber "
        "(seed 003) memakai perkiraan pendamping tentang penerapan dalam keseharian."
    ) % {
        "months": setting("reports", "APPLYING_WINDOW_MONTHS"),
        "checks": setting("reports", "APPLYING_MIN_CHECKS"),
        "pass": setting("reports", "APPLYING_PASS_PERCENT"),
    }


def district_profile(user: Any, region: Region, *, year: int, today: dt.date | None = None) -> DistrictProfile:
    """The profile of the kabupaten/kota ``region`` for ``year`` (figures of a year: meetings,
    graduation, tahap, dana sharing) as of ``today`` (figures of a date: KPM, staff, groups). The
    caller has checked the user may see the region (``access.profile_region``)."""
    today = today or timezone.localdate()
    area = region.code + "."
    households = Household.objects.filter(desa__code__startswith=area)
    kpm = households.filter(status__in=IN_PROGRAMME).count()
    staff = dict(
        Staff.objects.filter(is_active=True)
        .filter(Q(region__code__startswith=area) | Q(region_id=region.code))
        .values("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    pendamping = staff.get(Role.PENDAMPING, 0)

    groups = Kelompok.objects.filter(desa__code__startswith=area, is_active=True)
    kelompok = groups.count()
    members = GroupMembership.objects.filter(
        kelompok__in=groups.values("pk"), valid_to__isnull=True, household__status__in=IN_PROGRAMME
    ).count()

    months = finished_months(year, today)
    last_day = rules.month_first_last(year, months)[1] if months else dt.date(year, 1, 1) - dt.timedelta(days=1)
    held = Meeting.objects.filter(
        kelompok__desa__code__startswith=area,
        status=MeetingStatus.TERLAKSANA,
        scheduled_on__gte=dt.date(year, 1, 1),
        scheduled_on__lte=last_day,
    )
    meetings = held.count()
    marks = Attendance.objects.filter(meeting__in=held.values("pk")).aggregate(
        marked=Count("pk"), hadir=Count("pk", filter=Q(mark=Mark.HADIR))
    )
    leading = held.exclude(kelompok__pendamping=None).values("kelompok__pendamping").distinct().count()

    progress = graduation_progress(
        user, level="kabupaten", year=year, as_of=min(today, dt.date(year, 12, 31)), region=region.code
    )
    grad = progress[0] if progress else None
    mandiri_ever = (
        HouseholdStatusPeriod.objects.filter(
            household__desa__code__startswith=area, status=HouseholdStatus.GRADUASI_MANDIRI
        )
        .values("household_id")
        .distinct()
        .count()
    )

    applying, measured = _applying(area, today)
    tahap = _tahap_rows(area, year)
    first = next((t for t in tahap if t.number == 1), None)
    frozen = [t for t in tahap if set(t.statuses) & set(FROZEN)]
    paid_frozen = sum(t.paid for t in frozen)
    planned_frozen = sum(t.planned for t in frozen)
    record = DanaSharing.objects.filter(kabupaten=region, year=year).first()
    target = setting("payroll", "DANA_SHARING_TARGET_PERCENT")
    apbd = record.apbd_amount if record else None
    year_lines = sum(t.lines for t in tahap)
    year_planned = sum(t.planned for t in tahap)
    distinct_paid = (
        PaymentLine.objects.filter(year=year, cancelled=False, desa__code__startswith=area)
        .exclude(tahap__status=TahapStatus.DIBATALKAN)
        .values("household_id")
        .distinct()
        .count()
    )

    def fig(key: str, label: str, value: Decimal | int | None, unit: str, definition: str) -> ProfileFigure:
        return ProfileFigure(key, label, value, unit, definition, figures_for(key))

    provinsi = Region.objects.filter(code=region.code.split(".")[0]).values_list("name", flat=True).first() or ""
    sections = [
        ProfileSection(
            "sdm",
            _("KPM dan SDM PKH"),
            [
                fig(
                    "kpm_total",
                    _("KPM dalam program"),
                    kpm,
                    "KPM",
                    _("Keluarga berstatus calon, aktif atau ditangguhkan hari ini."),
                ),
                fig(
                    "pendamping_total",
                    _("Pendamping"),
                    pendamping,
                    _("orang"),
                    _("Petugas aktif berperan pendamping di kecamatan kabupaten ini."),
                ),
                fig(
                    "kpm_per_pendamping",
                    _("KPM per pendamping"),
                    rules.ratio(kpm, pendamping),
                    "KPM",
                    _("KPM dalam program dibagi jumlah pendamping aktif."),
                ),
                fig(
                    "korkab_total",
                    _("Koordinator kabupaten"),
                    staff.get(Role.KORKAB, 0),
                    _("orang"),
                    _("Petugas aktif berperan korkab."),
                ),
                fig(
                    "supervisor_total",
                    _("Supervisor"),
                    staff.get(Role.SUPERVISOR, 0),
                    _("orang"),
                    _("Petugas aktif berperan supervisor."),
                ),
                fig(
                    "operator_total",
                    _("Operator/APD"),
                    staff.get(Role.OPERATOR, 0),
                    _("orang"),
                    _("Petugas aktif berperan operator/APD."),
                ),
            ],
        ),
        ProfileSection(
            "p2k2",
            _("Kelompok dan P2K2"),
            [
                fig(
                    "kelompok_total",
                    _("Kelompok aktif"),
                    kelompok,
                    _("kelompok"),
                    _("Kelompok aktif di desa kabupaten ini."),
                ),
                fig(
                    "kelompok_size",
                    _("Rata-rata KPM per kelompok"),
                    rules.ratio(members, kelompok),
                    "KPM",
                    _("Anggota kelompok saat ini yang masih dalam program dibagi jumlah kelompok aktif."),
                ),
                fig(
                    "meetings_per_pendamping_month",
                    _("Pertemuan P2K2 per pendamping per bulan"),
                    rules.ratio(meetings, pendamping * months),
                    _("pertemuan"),
                    _(
                        "Pertemuan terlaksana %(year)d sampai akhir bulan lalu (%(months)d bulan) dibagi pendamping aktif dan jumlah bulan."
                    )
                    % {"year": year, "months": months},
                ),
                fig(
                    "meetings_per_kelompok_month",
                    _("Pertemuan per kelompok per bulan"),
                    rules.ratio(meetings, kelompok * months, places=2),
                    _("pertemuan"),
                    _("Pertemuan terlaksana pada bulan yang sama dibagi kelompok aktif dan jumlah bulan."),
                ),
                fig(
                    "meetings_held",
                    _("Pertemuan terlaksana"),
                    meetings,
                    _("pertemuan"),
                    _("Dipandu oleh %(n)d pendamping (pendamping kelompok saat ini).") % {"n": leading},
                ),
                fig(
                    "attendance_rate",
                    _("Tingkat kehadiran P2K2"),
                    rules.percent(marks["hadir"], marks["marked"]),
                    "%",
                    _("Tanda hadir dibagi semua tanda (hadir, izin, alpa) pada pertemuan terlaksana yang sama."),
                ),
                fig(
                    "applying_share",
                    _("KPM menerapkan materi (ukuran pengetahuan)"),
                    rules.percent(applying, measured, places=2),
                    "%",
                    applying_definition()
                    + " "
                    + _("%(a)d dari %(m)d KPM terukur; %(m)d dari %(k)d KPM dalam program punya cek sesudah sesi.")
                    % {"a": applying, "m": measured, "k": kpm},
                ),
            ],
        ),
        ProfileSection(
            "graduasi",
            _("Graduasi"),
            [
                fig(
                    "mandiri_year",
                    _("Graduasi mandiri tahun ini"),
                    grad.mandiri if grad else 0,
                    "KPM",
                    _("Keluarga yang masuk status graduasi mandiri pada %(year)d.") % {"year": year},
                ),
                fig(
                    "mandiri_per_pendamping",
                    _("Graduasi mandiri per pendamping (tahun ini)"),
                    rules.ratio(grad.mandiri if grad else 0, pendamping),
                    "KPM",
                    _("Graduasi mandiri %(year)d dibagi pendamping aktif.") % {"year": year},
                ),
                fig(
                    "mandiri_per_pendamping_ever",
                    _("Graduasi mandiri per pendamping (sepanjang catatan)"),
                    rules.ratio(mandiri_ever, pendamping),
                    "KPM",
                    _("Semua keluarga yang pernah berstatus graduasi mandiri (%(n)d) dibagi pendamping aktif.")
                    % {"n": mandiri_ever},
                ),
                fig(
                    "graduation_share",
                    _("KPM graduasi tahun ini"),
                    grad.share if grad else None,
                    "%",
                    _(
                        "Graduasi (mandiri %(m)d, alamiah %(a)d) dibagi %(base)d KPM dalam program pada %(year)d; "
                        "target %(t)s%% = %(target)d KPM."
                    )
                    % {
                        "m": grad.mandiri if grad else 0,
                        "a": grad.alamiah if grad else 0,
                        "base": grad.base if grad else 0,
                        "year": year,
                        "t": setting("graduation", "TARGET_PERCENT"),
                        "target": grad.target if grad else 0,
                    },
                ),
            ],
        ),
        ProfileSection(
            "bayar",
            _("Penyaluran dan dana sharing"),
            [
                fig(
                    "tahap_kpm",
                    _("Baris bayar tahap I"),
                    first.lines if first else None,
                    "KPM",
                    _("Baris bayar tahap I tahun ini yang tidak dibatalkan."),
                ),
                fig(
                    "tahap_amount",
                    _("Nominal tahap I"),
                    first.planned if first else None,
                    "Rp",
                    _("Jumlah nominal baris bayar tahap I."),
                ),
                fig(
                    "tahap_per_kpm",
                    _("Nominal tahap I per KPM"),
                    first.per_kpm if first else None,
                    "Rp",
                    _("Nominal tahap I dibagi baris bayarnya."),
                ),
                fig(
                    "year_per_kpm",
                    _("Nominal setahun per KPM"),
                    rules.ratio(year_planned, distinct_paid, places=0),
                    "Rp",
                    _("Nominal semua tahap %(year)d (%(lines)d baris) dibagi KPM yang masuk daftar bayar.")
                    % {"year": year, "lines": year_lines},
                ),
                fig(
                    "dana_sharing_amount",
                    _("Dana sharing APBD"),
                    apbd,
                    "Rp",
                    _("Dana APBD kabupaten yang dicatat Dinas Sosial untuk %(year)d.") % {"year": year},
                ),
                fig(
                    "dana_sharing_share",
                    _("Dana sharing terhadap dana PKH tersalur"),
                    dana_sharing_percent(apbd, paid_frozen) if apbd is not None else None,
                    "%",
                    _(
                        "Dana APBD dibagi dana PKH tersalur (hasil bank) tahap yang disetujui tahun ini "
                        "(Rp%(paid)s dari rencana Rp%(planned)s); target %(t)s%%: %(meets)s."
                    )
                    % {
                        "paid": f"{paid_frozen:,}".replace(",", "."),
                        "planned": f"{planned_frozen:,}".replace(",", "."),
                        "t": target,
                        "meets": _yes_no(
                            dana_sharing_meets_target(apbd, paid_frozen, target) if apbd is not None else None
                        ),
                    },
                ),
            ],
        ),
    ]
    return DistrictProfile(
        region=region,
        provinsi=provinsi,
        year=year,
        as_of=today,
        months=months,
        sections=sections,
        tahap=tahap,
        applying_definition=applying_definition(),
        generated_at=timezone.now(),
    )


def _yes_no(value: bool | None) -> str:
    if value is None:
        return _("belum dapat dinilai")
    return _("tercapai") if value else _("belum tercapai")


def _applying(area: str, today: dt.date) -> tuple[int, int]:
    """(families applying the material, families measured): families in the programme with at
    least APPLYING_MIN_CHECKS after-session checks in the window, and those whose mean after-session
    score reaches APPLYING_PASS_PERCENT (``rules.applies_material``). Two queries."""
    y, m = rules.add_months(today.year, today.month, -int(setting("reports", "APPLYING_WINDOW_MONTHS")))
    since = local_midnight(dt.date(y, m, 1))
    per_family = (
        KnowledgeCheck.objects.filter(
            household__desa__code__startswith=area,
            household__status__in=IN_PROGRAMME,
            post_correct__isnull=False,
            recorded_at__gte=since,
            meeting__status=MeetingStatus.TERLAKSANA,
        )
        .values("household_id")
        .annotate(
            checks=Count("pk"),
            mean=Avg(
                ExpressionWrapper(Cast("post_correct", FloatField()) * 100.0 / F("total"), output_field=FloatField())
            ),
        )
        .filter(checks__gte=setting("reports", "APPLYING_MIN_CHECKS"))
        .order_by()
    )
    measured = per_family.count()
    applying = per_family.filter(mean__gte=setting("reports", "APPLYING_PASS_PERCENT")).count()
    return applying, measured


def _tahap_rows(area: str, year: int) -> list[TahapRow]:
    """Lines, amount planned and paid per tahap of ``year`` for the district's families (RULES.md
    "Disbursement and data": four tahap a year), from every tahap not cancelled, with its status."""
    rows: dict[int, TahapRow] = {}
    for r in (
        PaymentLine.objects.filter(year=year, cancelled=False, desa__code__startswith=area)
        .exclude(tahap__status=TahapStatus.DIBATALKAN)
        .values("number", "tahap__status")
        .annotate(
            n=Count("pk"),
            planned=Coalesce(Sum("amount"), 0),
            paid=Coalesce(Sum("paid_amount"), 0),
            paid_n=Count("pk", filter=Q(status_salur=SalurStatus.SALUR)),
        )
        .order_by("number")
    ):
        row = rows.setdefault(r["number"], TahapRow(r["number"], []))
        row.statuses.append(r["tahap__status"])
        row.lines += r["n"]
        row.planned += r["planned"]
        row.paid += r["paid"]
        row.paid_lines += r["paid_n"]
    return [rows[k] for k in sorted(rows)]
