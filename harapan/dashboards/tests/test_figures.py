"""Each stored figure against records made in the test, and the rollups: a kecamatan's figures are
the sum of its desas', a pendamping's the sum of their cells, and so on up to the nation (issue 5,
"Dashboards"). The rules each figure counts by are cited per test."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from harapan.accounts.models import Role
from harapan.benefits.models import BenefitAmount, BenefitIndex, TahapShare
from harapan.benefits.seeds import load_benefit_indexes
from harapan.compliance.models import (
    Obligation,
    ObligationRecord,
    Sanction,
    SanctionLevel,
    VerificationPeriod,
)
from harapan.dashboards import metrics as m
from harapan.dashboards.metrics import section_keys
from harapan.dashboards.models import AreaKind, Figure
from harapan.graduation.selectors import graduation_progress
from harapan.grievances.models import GrievanceCategory
from harapan.grievances.services import grievance_lodge
from harapan.meetings.models import Attendance, Mark, Meeting, MeetingStatus
from harapan.p2k2.models import Session
from harapan.payroll.models import PaymentLine, ReasonCode
from harapan.payroll.reconciliation import result_import_create, result_import_execute
from harapan.payroll.seeds import load_reason_codes
from harapan.payroll.selectors import dana_sharing_rows, region_totals
from harapan.payroll.services import dana_sharing_record, tahap_approve, tahap_compute, tahap_issue, tahap_open
from harapan.referrals.models import Programme
from harapan.referrals.services import referral_create
from harapan.registry.models import HouseholdStatus
from harapan.registry.rules import Komponen
from harapan.registry.selectors import household_components_on
from harapan.registry.services import household_set_status
from harapan.testing import BONDOWOSO, MAESAN, make_household, make_staff

from . import conftest as c
from .conftest import DESA_A, DESA_B, TAMANAN_DESA, World, card, client_for, fig, refresh

pytestmark = pytest.mark.django_db


def test_family_status_counts_roll_up_from_desa_to_the_nation(world: World) -> None:
    """Families by status at every level; the province holds Jember too (issue 5, families)."""
    make_household(desa=DESA_A, pendamping=world.pa, status=HouseholdStatus.DITANGGUHKAN)
    make_household(desa=DESA_B, status=HouseholdStatus.GRADUASI_MANDIRI)
    refresh()
    assert (fig(DESA_A, "kpm_aktif"), fig(DESA_A, "kpm_ditangguhkan")) == (3, 1)
    assert (fig(DESA_B, "kpm_aktif"), fig(DESA_B, "kpm_graduasi_mandiri")) == (2, 1)
    assert fig(MAESAN, "kpm_aktif") == 5 and fig("35.11.02", "kpm_aktif") == 1
    assert fig(BONDOWOSO, "kpm_aktif") == 6 and fig("35", "kpm_aktif") == 7 and fig("", "kpm_aktif") == 7
    # A pendamping's families, and those in the programme with a pendamping.
    assert fig(f"p:{world.pa.pk}", "kpm_aktif") == 3 and fig(f"p:{world.pa.pk}", "kpm_ditangguhkan") == 1
    assert fig(f"c:{DESA_A}:{world.pa.pk}", "kpm_aktif") == 3
    assert fig(MAESAN, "kpm_didampingi") == 6  # the graduated family and Tamanan's have none


def test_components_on_today_equal_the_single_family_rule(world: World) -> None:
    """Members fitting each komponen on the computation date, as ``registry.rules.member_components``
    counts them for one family (RULES.md: Components and amounts); families out of the programme
    do not count."""
    today = timezone.localdate()
    families = [
        make_household(desa=DESA_A, pendamping=world.pa, children=[(today - dt.timedelta(days=400), None)]),
        make_household(
            desa=DESA_A,
            pendamping=world.pa,
            children=[(today.replace(year=today.year - 8), "SD"), (today.replace(year=today.year - 13), "SMP")],
            pregnant_since=today - dt.timedelta(days=60),
        ),
        make_household(desa=DESA_A, head_birth=dt.date(1940, 1, 1), children=[(today - dt.timedelta(days=30), None)]),
    ]
    make_household(
        desa=DESA_A, status=HouseholdStatus.GRADUASI_ALAMIAH, children=[(today - dt.timedelta(days=9), None)]
    )
    refresh()
    expected: dict[str, int] = defaultdict(int)
    with_any = 0
    for h in [*world.a, *families]:
        counts = household_components_on(h, today).counts()
        with_any += bool(counts)
        for k, n in counts.items():
            expected[k.value] += n
    assert {k.value: fig(DESA_A, f"komponen_{k.value}") for k in Komponen} == {
        k.value: expected[k.value] for k in Komponen
    }
    assert expected["anak_usia_dini"] == 2 and expected["ibu_hamil"] == 1 and expected["lanjut_usia"] == 1
    assert fig(DESA_A, "kpm_berkomponen") == with_any == 3
    assert fig(f"p:{world.pa.pk}", "komponen_anak_sd") == 1 and fig(f"p:{world.pa.pk}", "komponen_lanjut_usia") == 0


@override_settings(HARAPAN={"groups": {"CASELOAD_MIN": 2, "CASELOAD_MAX": 3}})
def test_pendamping_count_and_caseload_against_the_norm(world: World) -> None:
    """Active pendamping of the kecamatan and those outside the norm of families in the programme
    per pendamping (RULES.md: People and ratios; the norm is configuration)."""
    make_household(desa=DESA_A, pendamping=world.pa)  # Bu Ani: 4 families, above 3
    idle = make_staff(Role.PENDAMPING, MAESAN, full_name="Pak Idle")  # no family: below 2
    gone = make_staff(Role.PENDAMPING, MAESAN, full_name="Bu Pensiun")
    gone.is_active = False
    gone.save()
    refresh()
    assert fig(MAESAN, "pendamping") == 3  # Bu Ani, Pak Budi (2 families: within), Pak Idle
    assert fig(MAESAN, "pendamping_di_atas_norma") == 1 and fig(MAESAN, "pendamping_di_bawah_norma") == 1
    assert fig(f"p:{idle.pk}", "pendamping_di_bawah_norma") == 1
    assert fig(BONDOWOSO, "pendamping") == 3
    html = client_for(world.korkab).get(f"/dasbor/wilayah/{MAESAN}/").content.decode()
    assert card(html, "pendamping") == "3"
    assert "2,0 KPM per pendamping" in html  # 6 families in the programme / 3
    assert f'data-testid="child-row-p:{idle.pk}"' in html and "di bawah norma" in html


def _core_sessions() -> list[Session]:
    return list(Session.objects.filter(number__isnull=False, module__kind="inti").order_by("number"))


def test_groups_meetings_and_coverage_of_the_fourteen_core_sessions(world: World) -> None:
    """Kelompok, families in a group, meetings by month and status, core sessions delivered and
    groups through all fourteen (RULES.md: P2K2 / FDS curriculum)."""
    sessions = _core_sessions()
    assert len(sessions) == 14
    full = c.make_group("K-FULL", DESA_A, world.pa, world.a)
    part = c.make_group("K-PART", DESA_B, world.pb, world.b[:1])
    for i, session in enumerate(sessions):
        Meeting.objects.create(kelompok=full, session=session, scheduled_on=c.days_ago(7 * i + 1), status="terlaksana")
    for i, session in enumerate(sessions[:3]):
        Meeting.objects.create(kelompok=part, session=session, scheduled_on=c.days_ago(7 * i + 2), status="terlaksana")
    Meeting.objects.create(kelompok=part, session=sessions[3], scheduled_on=c.days_ago(40), status="dibatalkan")
    planned = Meeting.objects.create(kelompok=part, session=sessions[3], scheduled_on=c.days_ago(-3))
    refresh()
    assert fig(MAESAN, "kelompok") == 2 and fig(MAESAN, "kelompok_inti_tuntas") == 1
    assert fig(MAESAN, "kelompok_sesi_inti") == 17
    assert fig(DESA_A, "kelompok_modul_inti") == 5 and fig(DESA_B, "kelompok_modul_inti") == 0
    assert fig(MAESAN, "kpm_berkelompok") == 4  # three in K-FULL, one in K-PART
    held: dict[str, int] = defaultdict(int)
    for meeting in Meeting.objects.filter(status="terlaksana"):
        held[f"{meeting.scheduled_on:%Y-%m}"] += 1
    assert {p: fig(MAESAN, "pertemuan_terlaksana", p) for p in held} == dict(held)
    assert fig(DESA_B, "pertemuan_direncanakan", f"{planned.scheduled_on:%Y-%m}") == 1
    assert fig(f"p:{world.pb.pk}", "kelompok_sesi_inti") == 3


def test_attendance_rate_by_month(world: World) -> None:
    """Hadir / all marks at held meetings, by the meeting's month (RULES.md: P2K2 / FDS curriculum,
    "Measures of success: attendance rate"); marks of planned meetings do not count."""
    kelompok = c.make_group("K-1", DESA_A, world.pa, world.a)
    held = Meeting.objects.create(kelompok=kelompok, scheduled_on=c.days_ago(1), status=MeetingStatus.TERLAKSANA)
    marks = [Mark.HADIR, Mark.HADIR, Mark.ALPA]
    Attendance.objects.bulk_create(
        [Attendance(meeting=held, household=h, mark=mark) for h, mark in zip(world.a, marks, strict=True)]
    )
    Attendance.objects.create(meeting=held, household=world.b[0], mark=Mark.IZIN, reason="Sakit")
    other = Meeting.objects.create(kelompok=kelompok, scheduled_on=c.days_ago(-5))
    Attendance.objects.create(meeting=other, household=world.a[0], mark=Mark.ALPA)
    refresh()
    month = f"{held.scheduled_on:%Y-%m}"
    assert (fig(MAESAN, "absen_hadir", month), fig(MAESAN, "absen_izin", month), fig(MAESAN, "absen_alpa", month)) == (
        2,
        1,
        1,
    )
    assert fig(DESA_B, "absen_izin", month) == 1  # by the family's desa
    html = client_for(world.korkab).get(f"/dasbor/wilayah/{MAESAN}/").content.decode()
    assert card(html, "kehadiran") == "50,0%"
    pa_html = client_for(world.pa).get("/dasbor/").content.decode()
    assert card(pa_html, "kehadiran") == "66,7%"


def test_commitment_compliance_per_verification_month_and_open_sanctions(world: World) -> None:
    """Families verified in a month and those that met every obligation recorded for them; records
    met; open sanctions by level (RULES.md: Obligations; Sanctions)."""
    period = VerificationPeriod.objects.create(month=timezone.localdate().replace(day=1))
    obligations = list(Obligation.objects.order_by("pk")[:2])
    h1, h2 = world.a[0], world.a[1]
    for h, met in ((h1, (True, True)), (h2, (True, False))):
        wife = h.members.get(is_carer=True)
        for obligation, ok in zip(obligations, met, strict=True):
            ObligationRecord.objects.create(
                household=h, member=wife, period=period, obligation=obligation, met=ok, source="form"
            )
    Sanction.objects.create(household=h2, level=SanctionLevel.PERINGATAN, period=period, raised_on=timezone.localdate())
    Sanction.objects.create(
        household=h1,
        level=SanctionLevel.PENANGGUHAN,
        period=period,
        raised_on=timezone.localdate(),
        lifted_on=timezone.localdate(),
    )
    refresh()
    month = f"{period.month:%Y-%m}"
    assert (fig(DESA_A, "komitmen_kpm", month), fig(DESA_A, "komitmen_kpm_patuh", month)) == (2, 1)
    assert (fig(DESA_A, "komitmen_catatan", month), fig(DESA_A, "komitmen_dipenuhi", month)) == (4, 3)
    assert (fig(BONDOWOSO, "sanksi_peringatan"), fig(BONDOWOSO, "sanksi_penangguhan")) == (1, 0)
    html = client_for(world.korkab).get("/dasbor/").content.decode()
    assert card(html, "komitmen") == "50,0%"


@pytest.fixture
def paid_tahap(world: World, tmp_path: Path) -> dict:
    """Tahap 1 of this year for Bondowoso: computed, approved, issued; the bank paid all but one
    family of Desa A (GAGAL, saldo nol)."""
    load_benefit_indexes(BenefitIndex, BenefitAmount, TahapShare)
    load_reason_codes(ReasonCode)
    today = timezone.localdate()
    toddler = [(today - dt.timedelta(days=500), None)]
    families = [*world.a, *world.b, world.tamanan]
    for h in families:
        make_household(desa=h.desa_id)  # more families, without components: excluded (alamiah)
    from harapan.registry.models import Member

    for h in families:
        Member.objects.create(
            household=h, nik=None, no_kk=h.no_kk, name="Balita", sex="P", birth_date=toddler[0][0], relationship=3
        )
    c.give_accounts(*families)
    tahap = tahap_open(region_code=BONDOWOSO, year=today.year, number=1, cut_off=today, acting_user=world.operator.user)
    tahap = tahap_compute(tahap=tahap, acting_user=world.operator.user)
    tahap = tahap_issue(tahap=tahap_approve(tahap=tahap, acting_user=world.dinsos.user), acting_user=world.dinsos.user)
    lines = list(PaymentLine.objects.filter(tahap=tahap).order_by("pk"))
    failed = next(line for line in lines if line.household_id == world.a[0].pk)
    statuses = ["GAGAL" if line.pk == failed.pk else "SALUR" for line in lines]
    path = c.bank_result(tmp_path / "hasil.csv", lines, statuses)
    with path.open("rb") as fh:
        result = result_import_create(
            tahap=tahap, kind="hasil", bank="BRI", file=fh, file_name=path.name, acting_user=world.operator.user
        )
    result_import_execute(result_id=result.pk)
    return {"tahap": tahap, "lines": lines, "failed": failed}


def test_payments_planned_against_paid_per_tahap(world: World, paid_tahap: dict) -> None:
    """Lines and amount planned per tahap against the bank's results, equal to the reconciliation's
    totals per kecamatan (RULES.md: Disbursement and data)."""
    tahap = paid_tahap["tahap"]
    refresh()
    period = f"{tahap.year}-{tahap.number}"
    totals = {t.code: t for t in region_totals(tahap, user=world.korkab.user, level="kecamatan")}
    for code in (MAESAN, "35.11.02"):
        t = totals[code]
        assert (
            fig(code, "bayar_kpm", period),
            fig(code, "bayar_rp", period),
            fig(code, "salur_kpm", period),
            fig(code, "salur_rp", period),
            fig(code, "gagal_kpm", period),
        ) == (t.lines, t.planned, t.paid_lines, t.paid, t.failed_lines)
    assert fig(MAESAN, "gagal_rp", period) == paid_tahap["failed"].amount
    assert fig(f"p:{world.pa.pk}", "gagal_kpm", period) == 1
    html = client_for(world.korkab).get("/dasbor/").content.decode()
    planned, paid = fig(BONDOWOSO, "bayar_rp", period), fig(BONDOWOSO, "salur_rp", period)
    assert paid < planned and card(html, "penyaluran") == f"{round(100 * paid / planned, 1)}%".replace(".", ",")


def test_dana_sharing_against_the_target_equals_the_payroll_page(world: World, paid_tahap: dict) -> None:
    """APBD co-funding against the PKH funds paid in the district that year (RULES.md:
    Disbursement and data, ≥ 5%), as ``payroll.selectors.dana_sharing_rows`` computes it."""
    year = paid_tahap["tahap"].year
    paid = sum(line.amount for line in paid_tahap["lines"] if line.pk != paid_tahap["failed"].pk)
    dana_sharing_record(
        kabupaten_code=BONDOWOSO, year=year, apbd_amount=paid * 5 // 100 + 1, acting_user=world.dinsos.user
    )
    refresh()
    (row,) = dana_sharing_rows(user=world.dinsos.user, year=year)
    y = str(year)
    assert (fig(BONDOWOSO, "dana_apbd_rp", y), fig(BONDOWOSO, "dana_pkh_rp", y)) == (row.apbd, row.paid)
    assert fig(BONDOWOSO, "dana_kab_tercapai", y) == int(bool(row.meets_target)) == 1
    assert fig("35", "dana_kab_tercatat", y) == 1 and fig("", "dana_apbd_rp", y) == row.apbd
    html = client_for(world.dinsos).get("/dasbor/").content.decode()
    assert card(html, "dana_sharing") == f"{row.percent}%".replace(".", ",")


def test_graduation_against_the_target_equals_graduation_progress(world: World) -> None:
    """Graduations of the year, mandiri and alamiah, against 10% of the year's KPM, as the
    graduation app's progress page counts them (RULES.md: Graduation)."""
    today = timezone.localdate()
    for _ in range(10):
        make_household(desa=DESA_A, pendamping=world.pa)
    for h, status in ((world.a[0], HouseholdStatus.GRADUASI_MANDIRI), (world.a[1], HouseholdStatus.GRADUASI_ALAMIAH)):
        household_set_status(
            household=h, status=status, valid_from=today, reason="Uji", acting_user=world.operator.user
        )
    refresh()
    (row,) = [
        r
        for r in graduation_progress(world.korkab.user, level="kecamatan", year=today.year, as_of=today)
        if r.key == MAESAN
    ]
    y = str(today.year)
    assert (
        fig(MAESAN, "graduasi_basis", y),
        fig(MAESAN, "graduasi_mandiri", y),
        fig(MAESAN, "graduasi_alamiah", y),
    ) == (
        row.base,
        row.mandiri,
        row.alamiah,
    )
    html = client_for(world.korkab).get(f"/dasbor/wilayah/{MAESAN}/").content.decode()
    assert f"dari target {row.target} KPM" in html
    assert card(html, "graduasi") == f"{row.share}%".replace(".", ",")


def test_grievances_by_category_never_counted_for_the_pendamping_they_are_about(world: World) -> None:
    """Cases by category and open now; a case about a pendamping counts for its desa, never in that
    pendamping's figures (issue 5: not visible to that pendamping); overdue is read live."""
    lost = GrievanceCategory.objects.get(code="kks_hilang")
    conduct = GrievanceCategory.objects.get(code="perilaku_pendamping")
    grievance_lodge(
        category=lost,
        description="Kartu hilang di pasar",
        lodged_by_name="Ibu A",
        lodged_by_kind="kpm",
        channel="langsung",
        acting_user=world.operator.user,
        household=world.a[0],
        opened_at=timezone.now() - dt.timedelta(days=60),
    )
    grievance_lodge(
        category=conduct,
        description="Pendamping meminta uang",
        lodged_by_name="Ibu B",
        lodged_by_kind="kpm",
        channel="telepon",
        acting_user=world.operator.user,
        household=world.a[1],
        about_pendamping=world.pa,
    )
    refresh()
    conduct_key = m.grievance_key("perilaku_pendamping", "baru")
    assert (fig(DESA_A, "aduan"), fig(DESA_A, "aduan_terbuka"), fig(DESA_A, conduct_key)) == (2, 2, 1)
    assert fig(f"p:{world.pa.pk}", "aduan") == 1 and fig(f"p:{world.pa.pk}", conduct_key) == 0
    html = client_for(world.korkab).get(f"/dasbor/wilayah/{MAESAN}/").content.decode()
    assert card(html, "pengaduan") == "2" and "1 melewati batas waktu" in html
    own = client_for(world.pa).get("/dasbor/").content.decode()
    assert card(own, "pengaduan") == "1" and "Pendamping meminta uang" not in own


def test_referrals_by_programme(world: World) -> None:
    """Referrals by programme and status (issue 5, referrals to complementary programmes)."""
    programmes = list(Programme.objects.filter(is_active=True, target="keluarga").order_by("order")[:2])
    referral_create(household=world.a[0], programme=programmes[0], acting_user=world.pa.user)
    referral_create(household=world.a[1], programme=programmes[0], acting_user=world.pa.user)
    referral_create(household=world.b[0], programme=programmes[1], acting_user=world.pb.user)
    refresh()
    assert fig(MAESAN, "rujukan") == 3 and fig(MAESAN, "rujukan_terbuka") == 3
    assert fig(MAESAN, m.referral_key(programmes[0].code, "dirujuk")) == 2
    assert fig(f"p:{world.pb.pk}", m.referral_key(programmes[1].code, "dirujuk")) == 1
    html = client_for(world.korkab).get("/dasbor/").content.decode()
    assert card(html, "rujukan") == "3" and 'data-testid="chart-rujukan"' in html


def test_every_rollup_is_the_sum_of_its_children(world: World, paid_tahap: dict) -> None:
    """Every stored figure of a region equals the sum of its children's (desa → kecamatan →
    kabupaten → provinsi → nation), and every pendamping's the sum of their cells."""
    c.make_group("K-1", DESA_A, world.pa, world.a)
    make_household(desa=TAMANAN_DESA, status=HouseholdStatus.CALON)
    refresh()
    rows = list(Figure.objects.values_list("area", "kind", "parent", "pendamping_id", "metric", "period", "value"))
    staf, dana = set(section_keys({m.STAF})), set(section_keys({m.DANA}))
    kinds = {area: kind for area, kind, *_rest in rows}
    own: dict[tuple[str, str, str], int] = {}
    children: dict[tuple[str, str, str], int] = defaultdict(int)  # regions from regions below
    listed: dict[tuple[str, str, str], int] = defaultdict(int)  # a kecamatan's staf from its pendamping
    cells: dict[tuple[str, str, str], int] = defaultdict(int)  # a pendamping from their cells
    for area, kind, parent, pid, metric, period, value in rows:
        own[(area, metric, period)] = value
        if kind == AreaKind.SEL:
            cells[(f"p:{pid}", metric, period)] += value
        elif kind == AreaKind.PENDAMPING:
            listed[(parent, metric, period)] += value
        elif kind != AreaKind.NASIONAL:
            children[(parent, metric, period)] += value

    def direct(area: str, metric: str) -> bool:
        """Figures a level computes itself: a kecamatan's staf (from its pendamping), a kabupaten's dana."""
        return (kinds[area] == AreaKind.KECAMATAN and metric in staf) or (
            kinds[area] == AreaKind.KABUPATEN and metric in dana
        )

    regions = {
        a
        for a, k in kinds.items()
        if k in (AreaKind.NASIONAL, AreaKind.PROVINSI, AreaKind.KABUPATEN, AreaKind.KECAMATAN)
    }
    checked = 0
    for key in set(own) | set(children):
        area, metric, _period = key
        if area in regions and not direct(area, metric):
            assert own.get(key, 0) == children.get(key, 0), key
            checked += 1
    for key, value in listed.items():
        if key[1] in staf:
            assert own.get(key, 0) == value, key
    for key in set(cells) | {k for k in own if kinds[k[0]] == AreaKind.PENDAMPING and k[1] not in staf}:
        assert own.get(key, 0) == cells.get(key, 0), key
    assert checked > 50 and fig(MAESAN, "pendamping") == 2
