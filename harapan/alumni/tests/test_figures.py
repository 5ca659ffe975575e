"""The evaluation's figures, reported beside recorded, against the database (issue 7: "sets each
self-reported figure beside the same figure computed from what the pendamping actually recorded").

Two pendamping, A and B, with families in every status, graduations inside and outside the
reference period, groups whose meetings were held, cancelled, planned or held by a stand-in, and
attendance marks; each recorded figure is checked exactly (seed 003 figures a-g; RULES.md "People
and ratios": ≈195 KPM per pendamping; "Graduation": 10 graduasi mandiri per pendamping in the
Banjarmasin survey; "P2K2 / FDS curriculum": one meeting a month per group, taught in order,
attendance rate, 50.09% of KPM applying the material)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harapan.accounts.models import Staff
from harapan.alumni import services
from harapan.alumni.figures import recorded_figures
from harapan.alumni.models import Invitation, Survey
from harapan.alumni.report import evaluation_report
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings.models import Attendance, Meeting, MeetingStatus
from harapan.p2k2.models import Session
from harapan.registry.models import Household, HouseholdStatus
from harapan.registry.services import household_set_status
from harapan.testing import make_household

from .factories import World, full_answers, open_survey

pytestmark = pytest.mark.django_db

DESA = "35.11.01.2001"
START, END = dt.date(2026, 5, 1), dt.date(2026, 10, 31)  # six whole months
H, IZ, A = ("hadir", ""), ("izin", "sakit"), ("alpa", "")
_codes = itertools.count(1)


def graduate(w: World, household: Household, status: str, on: dt.date) -> None:
    household_set_status(household=household, status=status, valid_from=on, reason="uji", acting_user=w.operator.user)


def group(pendamping: Staff, families: list[Household]) -> Kelompok:
    n = next(_codes)
    k = Kelompok.objects.create(code=f"KLP-ALUMNI-{n}", name=f"Kelompok {n}", desa_id=DESA, pendamping=pendamping)
    GroupMembership.objects.bulk_create(
        [GroupMembership(household=h, kelompok=k, valid_from=dt.date(2025, 1, 1)) for h in families]
    )
    return k


def meeting(
    k: Kelompok,
    day: dt.date,
    session: int | None,
    marks: dict[Household, tuple[str, str]],
    *,
    held_by: Staff | None = None,
    status: str = MeetingStatus.TERLAKSANA,
) -> Meeting:
    m = Meeting.objects.create(
        kelompok=k,
        scheduled_on=day,
        session=Session.objects.get(number=session) if session else None,
        status=status,
        held_by=held_by,
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=m, household=h, mark=mark, reason=reason) for h, (mark, reason) in marks.items()]
    )
    return m


@dataclass
class Field:
    survey: Survey
    a: Staff
    b: Staff


@pytest.fixture
def field(world: World) -> Field:
    a, b, c = world.pendamping
    fam = {f"a{i}": make_household(desa=DESA, pendamping=a) for i in (1, 2, 3, 6, 7, 8, 10)}
    fam["a4"] = make_household(desa=DESA, pendamping=a, status=HouseholdStatus.CALON)
    fam["a5"] = make_household(desa=DESA, pendamping=a, status=HouseholdStatus.DITANGGUHKAN)
    fam["a9"] = make_household(desa=DESA, pendamping=a, status=HouseholdStatus.NON_ELIGIBLE)
    fam |= {f"b{i}": make_household(desa=DESA, pendamping=b) for i in (1, 2, 3)}
    fam["c1"] = make_household(desa=DESA, pendamping=c)
    graduate(world, fam["a6"], HouseholdStatus.GRADUASI_MANDIRI, dt.date(2026, 6, 15))  # in the period
    graduate(world, fam["a7"], HouseholdStatus.GRADUASI_MANDIRI, dt.date(2026, 4, 30))  # before it
    graduate(world, fam["a8"], HouseholdStatus.GRADUASI_ALAMIAH, dt.date(2026, 7, 1))  # the other kind
    graduate(world, fam["a10"], HouseholdStatus.GRADUASI_MANDIRI, END)  # its last day
    graduate(world, fam["b3"], HouseholdStatus.GRADUASI_MANDIRI, START)  # its first day
    graduate(world, fam["c1"], HouseholdStatus.GRADUASI_MANDIRI, dt.date(2026, 8, 1))  # C's, not A's or B's

    ga1 = group(a, [fam["a1"], fam["a2"], fam["a3"]])
    ga2 = group(a, [fam["a4"], fam["a5"]])
    gb1 = group(b, [fam["b1"], fam["b2"]])
    meeting(ga1, dt.date(2026, 5, 10), 1, {fam["a1"]: H, fam["a2"]: H, fam["a3"]: A}, held_by=a)
    meeting(ga1, dt.date(2026, 6, 10), 2, {fam["a1"]: H, fam["a2"]: IZ, fam["a3"]: H})  # nobody named: A's group
    meeting(ga1, dt.date(2026, 7, 10), 3, {fam["a1"]: H, fam["a2"]: H}, held_by=b)  # B stood in: B's meeting
    meeting(ga1, dt.date(2026, 8, 10), 4, {}, status=MeetingStatus.DIBATALKAN)
    meeting(ga1, dt.date(2026, 9, 10), 4, {}, status=MeetingStatus.DIRENCANAKAN)
    meeting(ga1, dt.date(2026, 11, 10), 5, {fam["a1"]: H}, held_by=a)  # after the period
    meeting(ga1, dt.date(2026, 4, 20), None, {fam["a1"]: A, fam["a2"]: A}, held_by=a)  # before the period
    meeting(ga2, dt.date(2026, 5, 20), 1, {fam["a4"]: H, fam["a5"]: H}, held_by=a)
    meeting(ga2, dt.date(2026, 6, 20), 3, {fam["a4"]: H, fam["a5"]: A}, held_by=a)  # session 2 skipped
    meeting(gb1, dt.date(2026, 5, 15), 1, {fam["b1"]: H, fam["b2"]: A})
    meeting(gb1, dt.date(2026, 6, 15), 2, {fam["b1"]: H, fam["b2"]: H}, held_by=b)
    meeting(gb1, END, 3, {fam["b1"]: H}, held_by=b)

    survey = open_survey(world, period_start=START, period_end=END)
    for staff, override in (
        (a, {}),
        (b, {"jumlah_kpm": "150", "graduasi_mandiri": "0", "p2k2_per_bulan": "4,5", "kehadiran": "90",
             "modul_berurutan": "tidak", "kpm_menerapkan": "40"}),
    ):  # fmt: skip
        inv = Invitation.objects.select_related("survey").get(survey=survey, staff=staff)
        services.answers_save(invitation=inv, raw=full_answers(survey, **override))
        services.invitation_submit(invitation=inv)
    return Field(survey=survey, a=a, b=b)


def test_each_recorded_figure_is_what_the_pendamping_recorded(field: Field) -> None:
    rec = recorded_figures([field.a.pk, field.b.pk], period_start=START, period_end=END)
    a, b = rec[field.a.pk], rec[field.b.pk]
    # Caseload: families in the programme (calon, aktif, ditangguhkan) today.
    assert (a.caseload, b.caseload) == (5, 2)
    # Graduasi mandiri in the period, first and last day included; alamiah and earlier ones not.
    assert (a.graduasi_mandiri, b.graduasi_mandiri) == (2, 1)
    # Held meetings in the period: held_by, else the group's pendamping; cancelled/planned not.
    assert (a.meetings, b.meetings) == (4, 4)
    assert a.months == Decimal(6)
    assert a.p2k2_meetings_per_month == Decimal("0.67") == b.p2k2_meetings_per_month
    # Attendance: hadir over all marks of those meetings (izin is not presence).
    assert (a.present, a.marked, a.attendance_rate) == (7, 10, Decimal("70.00"))
    assert (b.present, b.marked, b.attendance_rate) == (6, 7, Decimal("85.71"))
    # Modules in order: A's second group skipped session 2; B's held 1, 2, 3.
    assert (a.groups, a.groups_in_order, a.modules_in_order) == (2, 1, Decimal("50.00"))
    assert (b.groups, b.groups_in_order, b.modules_in_order) == (1, 1, Decimal("100.00"))
    assert a.value("applying_share") is None  # no recorded twin


def test_recorded_figures_are_set_based(field: Field, world: World) -> None:
    """The same number of queries for two alumni as for all of them."""
    with CaptureQueriesContext(connection) as two:
        recorded_figures([field.a.pk, field.b.pk], period_start=START, period_end=END)
    everyone = [p.pk for p in world.pendamping] + [world.pendamping_jember.pk]
    with CaptureQueriesContext(connection) as four:
        recorded_figures(everyone, period_start=START, period_end=END)
    assert len(two) == len(four) <= 6


def test_the_report_sets_each_reported_figure_beside_the_recorded_one(field: Field) -> None:
    report = evaluation_report(field.survey, Invitation.objects.filter(survey=field.survey))
    assert (report.total.invited, report.total.answered) == (4, 2)
    rows = {r.staff_id: r for r in report.respondents}
    assert set(rows) == {field.a.pk, field.b.pk}
    a, b = rows[field.a.pk], rows[field.b.pk]
    assert (a.reported["caseload"], a.recorded["caseload"], a.difference["caseload"]) == (195, 5, 190)
    assert (b.reported["caseload"], b.recorded["caseload"], b.difference["caseload"]) == (150, 2, 148)
    assert (a.reported["graduasi_mandiri"], a.recorded["graduasi_mandiri"]) == (10, 2)
    assert b.difference["graduasi_mandiri"] == -1
    assert a.difference["p2k2_meetings_per_month"] == Decimal("4.33")
    assert b.reported["p2k2_meetings_per_month"] == Decimal("4.50")
    assert a.difference["attendance_rate"] == Decimal("15.00")
    assert b.difference["attendance_rate"] == Decimal("4.29")
    # Modules in order asked as ya/tidak: ya counts 100, tidak 0.
    assert (a.reported["modules_in_order"], a.recorded["modules_in_order"]) == (100, Decimal("50.00"))
    assert (b.reported["modules_in_order"], b.difference["modules_in_order"]) == (0, -100)
    assert a.recorded["applying_share"] is None and a.difference["applying_share"] is None

    figures = {f.figure: f for f in report.figures}
    caseload = figures["caseload"]
    assert (caseload.reported.mean, caseload.reported.median) == (Decimal("172.50"), Decimal("172.50"))
    assert (caseload.recorded.mean, caseload.difference.mean) == (Decimal("3.50"), Decimal("169.00"))
    # Over all four alumni invited (C and Jember's pendamping have no families here).
    assert (caseload.recorded_all.n, caseload.recorded_all.mean) == (4, Decimal("1.75"))
    assert caseload.reported_dist.counts == [0, 0, 2, 0, 0, 0]  # 150 and 195: "150 sampai dengan 200"
    assert caseload.recorded_dist.counts == [2, 0, 0, 0, 0, 0]
    assert figures["graduasi_mandiri"].recorded.mean == Decimal("1.50")
    assert figures["attendance_rate"].recorded.mean == Decimal("77.86")  # (70.00 + 85.71) / 2
    assert figures["modules_in_order"].reported.mean == Decimal("50.00")  # one of two said ya
    applying = figures["applying_share"]
    assert not applying.has_recorded and applying.recorded.n == 0
    assert applying.reported.mean == Decimal("45.05")  # (50.09 + 40) / 2; seed 003 averaged 50.09%
    assert applying.banjarmasin == "50,09%"


def test_the_report_reads_in_a_fixed_number_of_queries(field: Field, world: World) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            evaluation_report(field.survey, Invitation.objects.filter(survey=field.survey))
        return len(ctx)

    two = queries()
    inv = Invitation.objects.select_related("survey").get(survey=field.survey, staff=world.pendamping[2])
    services.answers_save(invitation=inv, raw=full_answers(field.survey))
    services.invitation_submit(invitation=inv)
    assert queries() == two
