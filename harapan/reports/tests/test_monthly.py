"""The pendamping's monthly report, section by section, against the records of ``month_world``
(RULES.md "People and ratios": monthly P2K2 and PKH reports to the korkab; "P2K2 / FDS curriculum";
"Sanctions (configurable ladder)"; "Obligations (conditionalities)"; "Graduation"; "Disbursement and
data")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from harapan.meetings.models import AbsenceFlag, Attendance, FlagKind, Mark, MeetingStatus
from harapan.p2k2.rules import attendance_rate
from harapan.registry.models import HouseholdStatusPeriod
from harapan.reports.monthly import monthly_report
from harapan.testing import make_household

from .conftest import MAESAN_DESA, MONTH, YEAR, MonthWorld, day, join, make_meeting, mark


def test_families_at_the_start_and_end_of_the_month_follow_a_mid_month_move(month_world: MonthWorld) -> None:
    """RULES.md "People and ratios": each pendamping reports on the families they accompanied; the
    mover is Bu Rina's until 15 October and Pak Budi's after."""
    w = month_world
    a = monthly_report(w.a, YEAR, MONTH)
    assert (a.families.at_start, a.families.at_end) == (7, 6)
    assert [m.family.pkh_id for m in a.families.moved_out] == [w.f("mover").pkh_id]
    assert a.families.moved_out[0].on == day(15) and a.families.moved_out[0].other == "Pak Budi"
    assert a.families.moved_in == []
    b = monthly_report(w.b, YEAR, MONTH)
    assert (b.families.at_start, b.families.at_end) == (1, 2)
    assert [(m.family.pkh_id, m.other) for m in b.families.moved_in] == [(w.f("mover").pkh_id, w.a.full_name)]


def test_a_family_registered_later_is_not_in_the_month_and_one_registered_in_it_only_at_its_end(
    month_world: MonthWorld,
) -> None:
    """The family's dated status history says when it entered the registry (RULES.md "Graduation";
    registry ``HouseholdStatusPeriod``), whatever its pendamping is now."""
    w = month_world
    later = make_household(desa=MAESAN_DESA, pendamping=w.a)
    during = make_household(desa=MAESAN_DESA, pendamping=w.a)
    HouseholdStatusPeriod.objects.filter(household=later).update(valid_from=dt.date(2026, 11, 5))
    HouseholdStatusPeriod.objects.filter(household=during).update(valid_from=day(12))
    r = monthly_report(w.a, YEAR, MONTH)
    assert (r.families.at_start, r.families.at_end) == (7, 7)
    assert [c.family.pkh_id for c in r.families.changes] == [during.pkh_id, w.f("grad").pkh_id]
    assert r.families.changes[0].before == "" and r.families.changes[0].after == "Aktif"


def test_families_by_status_at_the_month_end_and_the_status_changes_of_the_month(month_world: MonthWorld) -> None:
    w = month_world
    r = monthly_report(w.a, YEAR, MONTH)
    by_status = {c.status: c.families for c in r.families.by_status}
    assert by_status["aktif"] == 5 and by_status["graduasi_mandiri"] == 1 and sum(by_status.values()) == 6
    assert r.families.in_programme_end == 5
    assert [(c.family.pkh_id, c.on, c.after_status) for c in r.families.changes] == [
        (w.f("grad").pkh_id, day(20), "graduasi_mandiri")
    ]
    assert r.families.changes[0].before == "Aktif"


def test_meetings_planned_held_cancelled_and_pending_per_group(month_world: MonthWorld) -> None:
    """RULES.md "P2K2 / FDS curriculum": one meeting a month per group. The meeting of 31 October
    counts in October; those of 30 September and 1 November do not; a cancelled meeting is planned
    but not held; a meeting never recorded stays pending."""
    w = month_world
    r = monthly_report(w.a, YEAR, MONTH)
    groups = {g.code: g for g in r.groups}
    assert set(groups) == {w.k1.code, w.k2.code}
    k1, k2 = groups[w.k1.code], groups[w.k2.code]
    assert (k1.planned, k1.held, k1.cancelled, k1.pending) == (2, 1, 0, 1)
    assert (k2.planned, k2.held, k2.cancelled, k2.pending) == (2, 1, 1, 0)
    assert k1.sessions == ["1. Menjadi Orang Tua yang Lebih Baik"]
    assert k2.sessions == ["1. Menjadi Orang Tua yang Lebih Baik"]
    assert (k1.families, k2.families) == (3, 2)  # the mover left K1 on the 14th
    assert [m.on for m in r.meetings] == [day(5), day(10), day(24), day(31)]
    last = next(m for m in r.meetings if m.on == day(31))
    assert last.status == MeetingStatus.TERLAKSANA and (last.hadir, last.izin, last.alpa) == (1, 0, 1)
    cancelled = next(m for m in r.meetings if m.status == MeetingStatus.DIBATALKAN)
    assert cancelled.cancel_reason == "Hujan deras" and cancelled.marked == 0
    assert (r.meetings_planned, r.meetings_held, r.meetings_cancelled, r.meetings_pending) == (4, 2, 1, 1)
    assert r.groups_without_meeting == [] and r.sessions_delivered == 2
    # Pak Budi's meeting is his alone.
    b = monthly_report(w.b, YEAR, MONTH)
    assert [(m.kelompok, m.on) for m in b.meetings] == [(f"{w.k3.code} {w.k3.name}", day(20))]


def test_attendance_rate_counts_hadir_and_izin_is_no_unexcused_absence(month_world: MonthWorld) -> None:
    """RULES.md "P2K2 / FDS curriculum" (attendance rate) and "Sanctions (configurable ladder)": the
    absence that counts is alpa; izin is not present, is no unexcused absence, and meets the P2K2
    commitment (compliance P2K2_IZIN_MET)."""
    r = monthly_report(month_world.a, YEAR, MONTH)
    a = r.attendance
    assert (a.hadir, a.izin, a.alpa, a.marked) == (3, 1, 2, 6)
    assert a.rate == Decimal("50.0") == Decimal(str(attendance_rate(3, 6)))
    assert a.alpa_rate == Decimal("33.3")  # 2 of 6: the izin is not in it
    assert a.met_rate == Decimal("66.7")  # hadir + izin
    k1 = next(g for g in r.groups if g.code == month_world.k1.code)
    assert (k1.hadir, k1.izin, k1.alpa, k1.rate) == (2, 1, 1, Decimal("50.0"))


def test_izin_meets_the_commitment_only_when_configured(month_world: MonthWorld, settings) -> None:
    settings.HARAPAN = {"compliance": {"P2K2_IZIN_MET": False}}
    assert monthly_report(month_world.a, YEAR, MONTH).attendance.met_rate == Decimal("50.0")


def test_knowledge_checks_average_before_and_after_of_families_present(month_world: MonthWorld) -> None:
    """RULES.md "P2K2 / FDS curriculum": the before/after knowledge check; the izin family's score
    does not count."""
    r = monthly_report(month_world.a, YEAR, MONTH)
    k = r.knowledge
    assert (k.checks, k.pre, k.post, k.gain, k.paired) == (2, Decimal("50.0"), Decimal("90.0"), Decimal("40.0"), 2)
    k1 = next(g for g in r.groups if g.code == month_world.k1.code)
    assert (k1.checks, k1.pre, k1.post) == (2, Decimal("50.0"), Decimal("90.0"))


def test_absence_flags_raised_lifted_and_open_go_with_the_pendamping_of_their_day(month_world: MonthWorld) -> None:
    """RULES.md "Sanctions (configurable ladder)": three consecutive absences raise a flag. The
    mover's flag was raised on the 12th (Bu Rina's) and is open at the month's end (Pak Budi's)."""
    w = month_world
    a = {k.kind: (k.raised, k.lifted, k.open_end) for k in monthly_report(w.a, YEAR, MONTH).flags.kinds}
    assert a == {FlagKind.PENANGGUHAN: (1, 0, 1), FlagKind.USUL_NON_ELIGIBLE: (0, 1, 0)}
    b = {k.kind: (k.raised, k.lifted, k.open_end) for k in monthly_report(w.b, YEAR, MONTH).flags.kinds}
    assert b == {FlagKind.PENANGGUHAN: (0, 0, 1), FlagKind.USUL_NON_ELIGIBLE: (0, 0, 0)}


def test_sanctions_raised_in_the_month(month_world: MonthWorld) -> None:
    r = monthly_report(month_world.a, YEAR, MONTH)
    assert {k.kind: (k.raised, k.open_end) for k in r.sanctions.kinds}["peringatan"] == (1, 1)
    assert [row.family.pkh_id for row in r.sanctions.rows] == [month_world.f("a1").pkh_id]


def test_commitment_verification_of_the_families_at_the_month_end_per_kind(month_world: MonthWorld) -> None:
    """RULES.md "Obligations (conditionalities)": the month's records, verified, met and not met per
    kind; the mover's record goes to Pak Budi, whose family it was at the month's end."""
    w = month_world
    c = monthly_report(w.a, YEAR, MONTH).compliance
    rows = {r.kind: (r.records, r.met, r.not_met, r.families) for r in c.rows}
    assert rows == {"kesehatan": (1, 1, 0, 1), "pendidikan": (1, 0, 1, 1), "kesos": (0, 0, 0, 0), "p2k2": (1, 1, 0, 1)}
    assert (c.families_verified, c.families_not_met, c.records, c.met) == (2, 1, 3, 2)
    b = monthly_report(w.b, YEAR, MONTH).compliance
    assert {r.kind: r.not_met for r in b.rows}["p2k2"] == 1


def test_data_updates_submitted_applied_and_open(month_world: MonthWorld) -> None:
    """RULES.md "Disbursement and data": changes are updated monthly and approved up the chain."""
    rows = {
        u.kind: (u.submitted, u.applied, u.rejected, u.open_end)
        for u in monthly_report(month_world.a, YEAR, MONTH).updates
    }
    assert rows["kelahiran"] == (1, 1, 0, 0)
    assert rows["kematian"] == (0, 0, 0, 1)
    assert sum(sum(v) for k, v in rows.items() if k not in ("kelahiran", "kematian")) == 0


def test_graduations_of_the_month(month_world: MonthWorld) -> None:
    """RULES.md "Graduation": graduasi mandiri proposed, approved, and the family's new status."""
    g = monthly_report(month_world.a, YEAR, MONTH).graduation
    assert (g.proposed, g.approved, g.rejected, g.mandiri, g.alamiah) == (1, 1, 0, 1, 0)
    assert [r.family.pkh_id for r in g.rows] == [month_world.f("grad").pkh_id]


def test_grievances_opened_and_closed_never_one_about_the_pendamping_herself(month_world: MonthWorld) -> None:
    """Issue 5: a case about a pendamping is not visible to that pendamping, nor in her report."""
    w = month_world
    r = monthly_report(w.a, YEAR, MONTH)
    assert r.grievances.available
    rows = {row.key: (row.opened, row.closed, row.open_end) for row in r.grievances.rows}
    assert rows == {"kks_hilang_uji": (1, 1, 1)}
    assert "perilaku_pendamping_uji" not in rows
    # The korkab's view of the same family data is another matter; Pak Budi's report does not
    # hold a case about Bu Rina either, since the family is not his.
    assert monthly_report(w.b, YEAR, MONTH).grievances.rows == []


def test_referrals_opened_and_closed_per_programme(month_world: MonthWorld) -> None:
    """RULES.md "People and ratios": ensure complementary programmes (KIS, BPNT)."""
    r = monthly_report(month_world.a, YEAR, MONTH).referrals
    rows = {row.key: (row.opened, row.closed, row.done, row.refused, row.open_end) for row in r.rows}
    assert rows == {"kis_uji": (1, 1, 1, 0, 0), "bpnt_uji": (1, 1, 0, 1, 0)}


def test_summary_lists_each_headline_figure_once(month_world: MonthWorld) -> None:
    r = monthly_report(month_world.a, YEAR, MONTH)
    summary = {key: value for key, _label, value in r.summary()}
    assert len(summary) == len(r.summary())
    assert summary["meetings_held"] == 2 and summary["attendance_rate"] == Decimal("50.0")
    assert summary["grievances_opened"] == 1 and summary["referrals_closed"] == 2
    assert r.finished and r.kecamatan == "Maesan" and r.kabupaten.endswith("Bondowoso")


def test_a_group_without_a_meeting_is_listed(month_world: MonthWorld) -> None:
    w = month_world
    from harapan.groups.models import Kelompok

    empty = Kelompok.objects.create(code=f"{MAESAN_DESA}-K09", name="Sucolor 09", desa_id=MAESAN_DESA, pendamping=w.a)
    join(make_household(desa=MAESAN_DESA, pendamping=w.a), empty)
    r = monthly_report(w.a, YEAR, MONTH)
    assert [g.code for g in r.groups_without_meeting] == [empty.code]


def test_query_count_does_not_grow_with_the_families(month_world: MonthWorld) -> None:
    """Set-based: the report reads a fixed number of queries whatever the number of families."""
    w = month_world
    with CaptureQueriesContext(connection) as first:
        monthly_report(w.a, YEAR, MONTH)
    meeting = make_meeting(w.k2, day(17), MeetingStatus.TERLAKSANA, 2, held_by=w.a)
    for i in range(15):
        h = make_household(desa=MAESAN_DESA, pendamping=w.a)
        join(h, w.k2)
        mark(meeting, h, [Mark.HADIR, Mark.IZIN, Mark.ALPA][i % 3])
        AbsenceFlag.objects.create(household=h, kind=FlagKind.PENANGGUHAN, raised_on=day(18))
    with CaptureQueriesContext(connection) as second:
        r = monthly_report(w.a, YEAR, MONTH)
    assert r.families.at_end == 21 and Attendance.objects.filter(meeting=meeting).count() == 15
    assert len(first.captured_queries) == len(second.captured_queries) <= 25


@pytest.mark.parametrize("month", [1, 12])
def test_an_empty_month_is_a_report_of_zeros(month_world: MonthWorld, month: int) -> None:
    r = monthly_report(month_world.a, 2025, month)
    assert r.meetings == [] and r.attendance.rate is None and r.compliance.rate is None
    assert r.first == dt.date(2025, month, 1)
