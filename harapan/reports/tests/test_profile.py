"""The district profile: the database's figures of one kabupaten beside the figures the sources
quote (RULES.md "People and ratios", "P2K2 / FDS curriculum", "Graduation", "Disbursement and
data"; issue 5), each checked against records created here."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from harapan.accounts.models import Role, Staff
from harapan.benefits.models import BenefitIndex
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Attendance, Mark, Meeting, MeetingStatus
from harapan.p2k2.models import KnowledgeCheck
from harapan.payroll.models import DanaSharing, PaymentLine, SalurStatus, Tahap, TahapStatus
from harapan.payroll.selectors import dana_sharing_rows
from harapan.regions.models import Region
from harapan.registry.models import Household, HouseholdStatus
from harapan.registry.services import household_set_status
from harapan.reports.profile import district_profile
from harapan.reports.timeline import local_midnight
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, first_desa, make_household, make_staff

from .conftest import client_of
from .test_views import pdf_pages

TODAY = dt.date(2026, 11, 29)
MAESAN_DESA = "35.11.01.2001"
TAMANAN_DESA = "35.11.02.2001"
_salur = itertools.count(1)


@dataclass
class District:
    korkab: Staff
    operator: Staff
    dinsos: Staff
    pendamping: list[Staff]
    families: list[Household] = field(default_factory=list)
    groups: list[Kelompok] = field(default_factory=list)
    held: list[Meeting] = field(default_factory=list)


def line(tahap: Tahap, household: Household, amount: int, paid: int | None = None) -> PaymentLine:
    carer = household.members.get(is_carer=True)
    return PaymentLine.objects.create(
        tahap=tahap,
        household=household,
        year=tahap.year,
        number=tahap.number,
        cancelled=False,
        id_salur=f"UJI{next(_salur):06d}",
        pkh_id=household.pkh_id,
        carer_nik=carer.nik or "",
        carer_name=carer.name,
        carer_birth_date=carer.birth_date,
        address=household.address,
        desa_id=household.desa_id,
        bank="BRI",
        komponen_count=1,
        entitlement=amount,
        amount=amount,
        status_salur=SalurStatus.SALUR if paid is not None else "",
        paid_amount=paid,
    )


def check(meeting: Meeting, household: Household, post: int | None, *, pre: int | None = 1, when: Any = None) -> None:
    KnowledgeCheck.objects.create(
        meeting=meeting,
        household=household,
        total=5,
        pre_correct=pre,
        post_correct=post,
        recorded_at=when or timezone.now(),
    )


@pytest.fixture
def district(db: None) -> District:
    p1 = make_staff(Role.PENDAMPING, MAESAN)
    p2 = make_staff(Role.PENDAMPING, MAESAN)
    p3 = make_staff(Role.PENDAMPING, "35.11.02")
    inactive = make_staff(Role.PENDAMPING, MAESAN)
    Staff.objects.filter(pk=inactive.pk).update(is_active=False)
    make_staff(Role.PENDAMPING, "35.09.01")  # Jember: not counted
    d = District(
        korkab=make_staff(Role.KORKAB, BONDOWOSO),
        operator=make_staff(Role.OPERATOR, BONDOWOSO),
        dinsos=make_staff(Role.DINSOS_KAB, BONDOWOSO),
        pendamping=[p1, p2, p3],
    )
    make_staff(Role.SUPERVISOR, BONDOWOSO)
    # 12 families in the programme (10 aktif, 1 calon, 1 ditangguhkan), 1 non-eligible; graduations.
    for i in range(10):
        d.families.append(make_household(desa=MAESAN_DESA if i < 7 else TAMANAN_DESA, pendamping=[p1, p2, p3][i % 3]))
    d.families.append(make_household(desa=MAESAN_DESA, pendamping=p1, status=HouseholdStatus.CALON))
    d.families.append(make_household(desa=MAESAN_DESA, pendamping=p1, status=HouseholdStatus.DITANGGUHKAN))
    make_household(desa=MAESAN_DESA, pendamping=p1, status=HouseholdStatus.NON_ELIGIBLE)
    for since, status in [
        (dt.date(2026, 3, 1), HouseholdStatus.GRADUASI_MANDIRI),
        (dt.date(2026, 6, 1), HouseholdStatus.GRADUASI_MANDIRI),
        (dt.date(2024, 5, 1), HouseholdStatus.GRADUASI_MANDIRI),
        (dt.date(2026, 7, 1), HouseholdStatus.GRADUASI_ALAMIAH),
    ]:
        household = make_household(desa=MAESAN_DESA, pendamping=p2)
        household_set_status(
            household=household, status=status, valid_from=since, reason="uji", acting_user=d.operator.user
        )
    jember = first_desa("35.09.01")
    for _ in range(3):
        make_household(desa=jember, pendamping=None)

    # Groups: 3 active (4, 3 and 2 families in the programme), 1 inactive.
    fam = d.families
    for i, (desa, owner, members) in enumerate(
        [(MAESAN_DESA, p1, fam[0:4]), (MAESAN_DESA, p2, fam[4:7]), (TAMANAN_DESA, p3, fam[7:9])], start=1
    ):
        group = Kelompok.objects.create(code=f"{desa}-K{i:02d}", name=f"Uji {i}", desa_id=desa, pendamping=owner)
        d.groups.append(group)
        for h in members:
            GroupMembership.objects.create(household=h, kelompok=group, valid_from=dt.date(2026, 1, 1))
    GroupMembership.objects.create(
        household=fam[9], kelompok=d.groups[0], valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 12, 31)
    )
    graduated = Household.objects.filter(status=HouseholdStatus.GRADUASI_MANDIRI).first()
    assert graduated is not None
    GroupMembership.objects.create(household=graduated, kelompok=d.groups[0], valid_from=dt.date(2026, 1, 1))
    Kelompok.objects.create(code=f"{MAESAN_DESA}-K09", name="Lama", desa_id=MAESAN_DESA, pendamping=p1, is_active=False)

    # Meetings: K1 held every month January-October, K2 January-March; not counted: a cancelled
    # one, one held in November (the month is not over), one in Jember.
    k1, k2, _k3 = d.groups
    for month in range(1, 11):
        d.held.append(
            Meeting.objects.create(kelompok=k1, scheduled_on=dt.date(2026, month, 10), status=MeetingStatus.TERLAKSANA)
        )
    for month in range(1, 4):
        d.held.append(
            Meeting.objects.create(kelompok=k2, scheduled_on=dt.date(2026, month, 12), status=MeetingStatus.TERLAKSANA)
        )
    Meeting.objects.create(kelompok=k2, scheduled_on=dt.date(2026, 4, 12), status=MeetingStatus.DIBATALKAN)
    Meeting.objects.create(kelompok=k1, scheduled_on=dt.date(2026, 11, 10), status=MeetingStatus.TERLAKSANA)
    jember_group = Kelompok.objects.create(code=f"{jember.code}-K01", name="Jember", desa_id=jember.code)
    Meeting.objects.create(kelompok=jember_group, scheduled_on=dt.date(2026, 2, 2), status=MeetingStatus.TERLAKSANA)
    for h, mark in zip(fam[0:4], [Mark.HADIR, Mark.HADIR, Mark.IZIN, Mark.ALPA], strict=True):
        Attendance.objects.create(
            meeting=d.held[0], household=h, mark=mark, reason="sakit" if mark == Mark.IZIN else ""
        )
    for h in fam[4:7]:
        Attendance.objects.create(meeting=d.held[10], household=h, mark=Mark.HADIR)

    # Knowledge checks: fam0 90% (4/5 and 5/5), fam1 40%, fam2 70% (3/5 and 4/5): 2 of 3 apply.
    # Left out: fam3's check from 2025 (outside the 12 months), fam4's check with no after-score.
    check(d.held[1], fam[0], 4)
    check(d.held[2], fam[0], 5)
    check(d.held[1], fam[1], 2)
    check(d.held[1], fam[2], 3)
    check(d.held[2], fam[2], 4)
    check(d.held[1], fam[3], 5, when=local_midnight(dt.date(2025, 6, 1)))
    check(d.held[10], fam[4], None, pre=3)

    # Payroll: tahap 1 approved (3 lines, 2 paid), tahap 2 computed (2 lines), a cancelled tahap.
    index = BenefitIndex.objects.order_by("-valid_from").first()
    assert index is not None

    def tahap(number: int, status: str, region: str = BONDOWOSO) -> Tahap:
        return Tahap.objects.create(
            year=2026,
            number=number,
            region_id=region,
            cut_off=dt.date(2026, 3 * number - 2, 1),
            status=status,
            benefit_index=index,
            opened_by=d.operator.user,
        )

    t1 = tahap(1, TahapStatus.DISETUJUI)
    line(t1, fam[0], 750_000, paid=750_000)
    line(t1, fam[1], 600_000, paid=600_000)
    line(t1, fam[2], 225_000)
    t2 = tahap(2, TahapStatus.DIHITUNG)
    line(t2, fam[0], 750_000)
    line(t2, fam[3], 375_000)
    cancelled = Tahap.objects.create(
        year=2026,
        number=3,
        region_id=BONDOWOSO,
        cut_off=dt.date(2026, 7, 1),
        status=TahapStatus.DIBATALKAN,
        benefit_index=index,
        opened_by=d.operator.user,
    )
    line(cancelled, fam[5], 999_000)
    DanaSharing.objects.create(kabupaten_id=BONDOWOSO, year=2026, apbd_amount=67_500, recorded_by=d.dinsos.user)
    return d


def profile(d: District) -> Any:
    return district_profile(d.korkab.user, Region.objects.get(code=BONDOWOSO), year=2026, today=TODAY)


def values(p: Any) -> dict[str, Any]:
    return {f.key: f.value for f in p.figures}


def test_kpm_and_staff_per_pendamping(district: District) -> None:
    """RULES.md "People and ratios": Trenggalek 36,547 / 102; Banjarmasin ≈195; Kalbar 179,527 / 648."""
    v = values(profile(district))
    assert v["kpm_total"] == 12 and v["pendamping_total"] == 3
    assert v["kpm_per_pendamping"] == Decimal("4.0")
    assert (v["korkab_total"], v["supervisor_total"], v["operator_total"]) == (1, 1, 1)


def test_groups_and_their_average_size(district: District) -> None:
    """RULES.md "P2K2 / FDS curriculum": Bondowoso 60,093 / 1,859 ≈ 32."""
    v = values(profile(district))
    assert v["kelompok_total"] == 3 and v["kelompok_size"] == Decimal("3.0")  # 9 members in the programme


def test_meetings_per_pendamping_and_per_group_per_month(district: District) -> None:
    """RULES.md "P2K2 / FDS curriculum": a pendamping holds ≈ 5 meetings a month (seed 003), one a
    month per group; only the finished months of the year (January-October on 29 November)."""
    p = profile(district)
    v = values(p)
    assert p.months == 10 and v["meetings_held"] == 13
    assert v["meetings_per_pendamping_month"] == Decimal("0.4")  # 13 / (3 x 10)
    assert v["meetings_per_kelompok_month"] == Decimal("0.43")  # 13 / (3 x 10)
    assert v["attendance_rate"] == Decimal("71.4")  # 5 hadir of 7 marks


def test_share_of_kpm_applying_the_material(district: District) -> None:
    """RULES.md "P2K2 / FDS curriculum": share of KPM applying the material (Banjarmasin 50.09%),
    measured as the mean after-session score reaching the pass mark over the last 12 months."""
    p = profile(district)
    assert values(p)["applying_share"] == Decimal("66.67")
    assert "70%" in p.applying_definition and "12 bulan" in p.applying_definition
    assert [s.value for s in p.figure("applying_share").sources] == [Decimal("50.09")]


def test_graduation_per_pendamping_and_share_against_the_target(district: District) -> None:
    """RULES.md "Graduation": 10 graduasi mandiri per pendamping (seed 003); target 10% (seed 000)."""
    v = values(profile(district))
    assert v["mandiri_year"] == 2 and v["mandiri_per_pendamping"] == Decimal("0.7")
    assert v["mandiri_per_pendamping_ever"] == Decimal("1.0")  # 3 ever / 3 pendamping
    # Graduations of 2026 (2 mandiri + 1 alamiah) over the KPM served in 2026 (12 + 3 graduated).
    assert v["graduation_share"] == Decimal("20.00")


def test_tahap_totals_and_dana_sharing_against_5_percent(district: District) -> None:
    """RULES.md "Disbursement and data": four tahap a year; dana sharing ≥ 5% (seed 004)."""
    p = profile(district)
    v = values(p)
    assert [(t.number, t.statuses, t.lines, t.planned, t.paid_lines, t.paid) for t in p.tahap] == [
        (1, ["disetujui"], 3, 1_575_000, 2, 1_350_000),
        (2, ["dihitung"], 2, 1_125_000, 0, 0),
    ]
    assert (v["tahap_kpm"], v["tahap_amount"], v["tahap_per_kpm"]) == (3, 1_575_000, Decimal(525_000))
    assert v["year_per_kpm"] == Decimal(675_000)  # 2,700,000 over 4 families
    assert v["dana_sharing_amount"] == 67_500 and v["dana_sharing_share"] == Decimal("5.00")
    (row,) = dana_sharing_rows(user=district.dinsos.user, year=2026)
    assert row.percent == v["dana_sharing_share"] and row.meets_target


def test_every_compared_figure_names_its_source(district: District) -> None:
    p = profile(district)
    expected = {
        "kpm_per_pendamping": {"001", "003", "004"},
        "kelompok_size": {"000"},
        "mandiri_per_pendamping": {"003"},
        "applying_share": {"003"},
        "meetings_per_pendamping_month": {"003"},
        "tahap_kpm": {"004"},
        "dana_sharing_share": {"004"},
        "graduation_share": {"000"},
    }
    for key, seeds in expected.items():
        assert {s.seed for s in p.figure(key).sources} == seeds, key


def test_the_profile_page_and_downloads_for_the_korkab_only_in_scope(district: District) -> None:
    d = district
    c = client_of(d.korkab)
    body = c.get("/laporan/profil/35.11/?tahun=2026").content.decode()
    page = dict(re.findall(r'data-testid="fig-(\w+)" data-value="([^"]*)"', body))
    assert page["kpm_total"] == "12" and page["kelompok_size"] == "3.0"
    assert 'data-testid="src-kpm_per_pendamping-003"' in body and "[seed 003]" in body
    assert 'data-testid="applying-definition"' in body
    wb = load_workbook(io.BytesIO(c.get("/laporan/profil/35.11/profil.xlsx?tahun=2026").content))
    sheet = {row[1]: row[3] for row in wb["Profil"].iter_rows(min_row=4, values_only=True)}
    for key, value in page.items():
        if value == "":
            assert sheet[key] is None, key
        else:
            assert Decimal(str(sheet[key])) == Decimal(value), key
    assert {row[7] for row in wb["Sumber"].iter_rows(min_row=2, values_only=True)} == {"000", "001", "003", "004"}
    pages = pdf_pages(c.get("/laporan/profil/35.11/profil.pdf?tahun=2026").content)
    assert all(inked > 0.005 for _t, inked in pages)
    text = re.sub(r"\s+", " ", " ".join(t for t, _ in pages))
    assert "PROFIL KABUPATEN/KOTA PKH" in text and "50,09%" in text and "[seed 004]" in text
    assert client_of(make_staff(Role.KORKAB, JEMBER)).get("/laporan/profil/35.11/").status_code == 404
    assert client_of(d.pendamping[0]).get("/laporan/profil/35.11/").status_code == 404
    assert client_of(make_staff(Role.DINSOS_PROV, "35")).get("/laporan/profil/35.11/").status_code == 200
    assert client_of(make_staff(Role.MINISTRY, None)).get("/laporan/profil/35.11/").status_code == 200
    assert c.get("/laporan/profil/").headers["Location"] == "/laporan/profil/35.11/"
