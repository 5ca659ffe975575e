"""A month of field records for the report tests: October 2026 in Kecamatan Maesan (Bondowoso).

Pendamping Bu Rina (A) has two groups and her families; Pak Budi (B) has one group. On 15 October a
family (``mover``) moves from A's group to B's, so A's report counts it until then and B's after.
Every record is created in the test's own database: meetings (one on the last day of the month, one
cancelled, one still planned, one either side of the month), attendance with hadir/izin/alpa,
knowledge checks, absence flags, sanctions, commitment records, data updates, a graduation, a
grievance about A herself, grievances and referrals of A's families.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.audit.models import AuditEvent
from harapan.compliance.models import (
    Obligation,
    ObligationKind,
    ObligationRecord,
    Sanction,
    SanctionLevel,
    VerificationPeriod,
)
from harapan.graduation.models import GraduationAssessment, GraduationProposal, ProposalStatus
from harapan.grievances.models import Grievance, GrievanceCategory, GrievanceStatus
from harapan.groups.models import GroupMembership, Kelompok
from harapan.groups.services import household_move_group
from harapan.meetings.models import AbsenceFlag, Attendance, FlagKind, Mark, Meeting, MeetingStatus
from harapan.p2k2.models import KnowledgeCheck, Session
from harapan.referrals.models import Programme, Referral, ReferralStatus
from harapan.registry.models import Household, HouseholdStatus, Member
from harapan.registry.services import household_set_status
from harapan.reports.timeline import local_midnight
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_household, make_staff
from harapan.updates.models import DataUpdate, UpdateKind, UpdateStatus

YEAR, MONTH = 2026, 10
MAESAN_DESA = "35.11.01.2001"


def day(d: int, month: int = MONTH, year: int = YEAR) -> dt.date:
    return dt.date(year, month, d)


def at(d: int, hour: int = 10, month: int = MONTH) -> dt.datetime:
    return local_midnight(day(d, month)) + dt.timedelta(hours=hour)


def client_of(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


@dataclass
class MonthWorld:
    a: Staff
    b: Staff
    korkab: Staff
    korkab_jember: Staff
    operator: Staff
    k1: Kelompok
    k2: Kelompok
    k3: Kelompok
    families: dict[str, Household] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)

    def f(self, key: str) -> Household:
        return self.families[key]


def carer(household: Household) -> Member:
    return household.members.get(is_carer=True)


def make_meeting(kelompok: Kelompok, on: dt.date, status: str, session: int | None = None, **extra: Any) -> Meeting:
    return Meeting.objects.create(
        kelompok=kelompok,
        scheduled_on=on,
        status=status,
        session=Session.objects.get(number=session) if session else None,
        **extra,
    )


def mark(meeting: Meeting, household: Household, value: str) -> Attendance:
    return Attendance.objects.create(
        meeting=meeting, household=household, mark=value, reason="sakit" if value == Mark.IZIN else ""
    )


def join(household: Household, kelompok: Kelompok, since: dt.date = dt.date(2026, 1, 1)) -> GroupMembership:
    return GroupMembership.objects.create(household=household, kelompok=kelompok, valid_from=since)


def grievance_category(code: str, *, about_pendamping: bool = False) -> GrievanceCategory:
    category, _created = GrievanceCategory.objects.get_or_create(
        code=code,
        defaults={"name": code.replace("_", " ").title(), "sla_days": 14, "about_pendamping": about_pendamping},
    )
    return category


def programme(code: str) -> Programme:
    prog, _created = Programme.objects.get_or_create(
        code=code, defaults={"name": code.upper(), "provider": "Dinas", "target": "keluarga"}
    )
    return prog


def make_grievance(household: Household, category: GrievanceCategory, opened: dt.datetime, **extra: Any) -> Grievance:
    return Grievance.objects.create(
        number=f"ADU-{Grievance.objects.count() + 1:05d}",
        category=category,
        household=household,
        desa_id=household.desa_id,
        lodged_by_name="Pelapor",
        lodged_by_kind="kpm",
        channel="langsung",
        description="Uraian",
        opened_at=opened,
        due_at=opened + dt.timedelta(days=14),
        created_by=extra.pop("created_by"),
        **extra,
    )


def obligation(kind: str) -> Obligation:
    found = Obligation.objects.filter(kind=kind).order_by("order", "code").first()
    assert found is not None, kind
    return found


@pytest.fixture
def month_world(db: None) -> MonthWorld:
    a = make_staff(
        Role.PENDAMPING, MAESAN, username="bu_rina", full_name="Bu Rina Ñoviyanti", nip="19900101 201501 2 003"
    )
    b = make_staff(Role.PENDAMPING, MAESAN, username="pak_budi", full_name="Pak Budi")
    w = MonthWorld(
        a=a,
        b=b,
        korkab=make_staff(Role.KORKAB, BONDOWOSO, username="korkab_bdw", full_name="Pak Korkab"),
        korkab_jember=make_staff(Role.KORKAB, JEMBER, username="korkab_jbr", full_name="Korkab Jember"),
        operator=make_staff(Role.OPERATOR, BONDOWOSO, username="operator_bdw", full_name="Operator"),
        k1=Kelompok.objects.create(code=f"{MAESAN_DESA}-K01", name="Sucolor 01", desa_id=MAESAN_DESA, pendamping=a),
        k2=Kelompok.objects.create(code=f"{MAESAN_DESA}-K02", name="Sucolor 02", desa_id=MAESAN_DESA, pendamping=a),
        k3=Kelompok.objects.create(code=f"{MAESAN_DESA}-K03", name="Sucolor 03", desa_id=MAESAN_DESA, pendamping=b),
    )
    for key, owner, group in [
        ("a1", a, w.k1),
        ("a2", a, w.k1),
        ("a3", a, w.k1),
        ("mover", a, w.k1),
        ("a4", a, w.k2),
        ("a5", a, w.k2),
        ("grad", a, None),
        ("b1", b, w.k3),
    ]:
        household = make_household(desa=MAESAN_DESA, pendamping=owner, children=[(dt.date(2016, 5, 1), "SD")])
        if group is not None:
            join(household, group)
        w.families[key] = household
    f = w.f

    # 15 October: the mover goes to Pak Budi's group (the audit event dates the move).
    household_move_group(household=f("mover"), kelompok=w.k3, valid_from=day(15), acting_user=w.operator.user)
    AuditEvent.objects.filter(household=f("mover"), action="household_group_assigned").update(at=at(15))

    # Meetings: K1 held on the 10th and still planned on the 24th; K2 cancelled on the 5th and held
    # on the 31st (the last day); K3 (Pak Budi) held on the 20th; K1 also either side of the month.
    m = w.meetings
    m["k1_held"] = make_meeting(w.k1, day(10), MeetingStatus.TERLAKSANA, 1, held_by=a)
    m["k1_planned"] = make_meeting(w.k1, day(24), MeetingStatus.DIRENCANAKAN, 2)
    m["k2_cancelled"] = make_meeting(w.k2, day(5), MeetingStatus.DIBATALKAN, 1, cancel_reason="Hujan deras")
    m["k2_last_day"] = make_meeting(w.k2, day(31), MeetingStatus.TERLAKSANA, 1, held_by=a)
    m["k3_held"] = make_meeting(w.k3, day(20), MeetingStatus.TERLAKSANA, 3, held_by=b)
    m["k1_before"] = make_meeting(w.k1, day(30, month=9), MeetingStatus.TERLAKSANA, 14, held_by=a)
    m["k1_after"] = make_meeting(w.k1, day(1, month=11), MeetingStatus.TERLAKSANA, 2, held_by=a)
    for key, value in [("a1", Mark.HADIR), ("a2", Mark.IZIN), ("a3", Mark.HADIR), ("mover", Mark.ALPA)]:
        mark(m["k1_held"], f(key), value)
    mark(m["k2_last_day"], f("a4"), Mark.HADIR)
    mark(m["k2_last_day"], f("a5"), Mark.ALPA)
    mark(m["k3_held"], f("mover"), Mark.HADIR)
    mark(m["k3_held"], f("b1"), Mark.HADIR)
    for key in ("a1", "a2", "a3"):
        mark(m["k1_before"], f(key), Mark.ALPA)
        mark(m["k1_after"], f(key), Mark.ALPA)
    now = timezone.now()
    KnowledgeCheck.objects.create(
        meeting=m["k1_held"], household=f("a1"), total=5, pre_correct=2, post_correct=4, recorded_at=now
    )
    KnowledgeCheck.objects.create(
        meeting=m["k1_held"], household=f("a3"), total=5, pre_correct=3, post_correct=5, recorded_at=now
    )
    # Izin: not present, so its score does not count (p2k2.progress does the same).
    KnowledgeCheck.objects.create(meeting=m["k1_held"], household=f("a2"), total=5, pre_correct=1, recorded_at=now)

    # Absence flags: the mover's raised on the 12th (still A's), open at the month's end (then B's);
    # a3's lifted on the 20th; a4's open since August.
    AbsenceFlag.objects.create(household=f("mover"), kind=FlagKind.PENANGGUHAN, raised_on=day(12))
    AbsenceFlag.objects.create(
        household=f("a3"), kind=FlagKind.USUL_NON_ELIGIBLE, raised_on=day(1, 9), lifted_on=day(20)
    )
    AbsenceFlag.objects.create(household=f("a4"), kind=FlagKind.PENANGGUHAN, raised_on=day(1, 8))

    october = VerificationPeriod.objects.get_or_create(month=day(1))[0]
    Sanction.objects.create(household=f("a1"), level=SanctionLevel.PERINGATAN, period=october, raised_on=day(3))

    # Commitment records of October: a1 health met and school not met; a2 P2K2 met; the mover's
    # P2K2 (B's at the month's end) not met.
    child = lambda h: h.members.get(relationship=3)  # noqa: E731
    ObligationRecord.objects.create(
        household=f("a1"),
        member=carer(f("a1")),
        period=october,
        obligation=obligation(ObligationKind.KESEHATAN),
        met=True,
        source="form",
    )
    ObligationRecord.objects.create(
        household=f("a1"),
        member=child(f("a1")),
        period=october,
        obligation=obligation(ObligationKind.PENDIDIKAN),
        met=False,
        source="form",
    )
    ObligationRecord.objects.create(
        household=f("a2"), period=october, obligation=obligation(ObligationKind.P2K2), met=True, source="meetings"
    )
    ObligationRecord.objects.create(
        household=f("mover"), period=october, obligation=obligation(ObligationKind.P2K2), met=False, source="meetings"
    )

    # Data updates: a1's birth submitted on the 3rd, applied on the 20th; a2's death submitted in
    # September, still open.
    DataUpdate.objects.create(
        household=f("a1"),
        kind=UpdateKind.KELAHIRAN,
        effective_date=day(1),
        status=UpdateStatus.DITERAPKAN,
        chain=["korkab"],
        open_key="bayi",
        submitted_by=a,
        submitted_at=at(3),
        closed_at=at(20),
        applied_at=at(20),
    )
    DataUpdate.objects.create(
        household=f("a2"),
        kind=UpdateKind.KEMATIAN,
        effective_date=day(20, 9),
        status=UpdateStatus.DIAJUKAN,
        chain=["korkab"],
        awaiting_role="korkab",
        open_key="kepala",
        submitted_by=a,
        submitted_at=at(25, month=9),
    )

    # Graduasi mandiri of ``grad``: proposed on the 10th, approved on the 19th, from the 20th.
    assessment = GraduationAssessment.objects.create(
        household=f("grad"),
        assessed_by=a,
        assessed_on=day(8),
        income_per_month=3_000_000,
        need_per_month=2_000_000,
        score=5,
        min_score=4,
        ready=True,
    )
    GraduationProposal.objects.create(
        household=f("grad"),
        assessment=assessment,
        status=ProposalStatus.DISETUJUI,
        proposed_by=a,
        proposed_at=at(10),
        decided_by=w.korkab,
        decided_at=at(19),
        effective_date=day(20),
    )
    household_set_status(
        household=f("grad"),
        status=HouseholdStatus.GRADUASI_MANDIRI,
        valid_from=day(20),
        reason="Graduasi mandiri",
        acting_user=w.operator.user,
    )

    # Grievances: a1's lost card opened and resolved in October; one about Bu Rina herself (never in
    # her report); a3's from September still open.
    card = grievance_category("kks_hilang_uji")
    conduct = grievance_category("perilaku_pendamping_uji", about_pendamping=True)
    make_grievance(
        f("a1"),
        card,
        at(5),
        status=GrievanceStatus.SELESAI,
        resolved_at=at(12),
        resolution="Kartu diganti",
        created_by=w.operator.user,
    )
    make_grievance(f("a2"), conduct, at(8), about_pendamping=a, created_by=w.operator.user)
    make_grievance(f("a3"), card, at(20, month=9), created_by=w.operator.user)

    # Referrals: a1 to KIS, done on the 25th; a4 to BPNT, refused on the 16th.
    Referral.objects.create(
        household=f("a1"),
        programme=programme("kis_uji"),
        status=ReferralStatus.SELESAI,
        referred_on=day(2),
        accepted_on=day(5),
        closed_on=day(25),
        outcome="Kartu KIS terbit",
        referred_by=a,
    )
    Referral.objects.create(
        household=f("a4"),
        programme=programme("bpnt_uji"),
        status=ReferralStatus.DITOLAK,
        referred_on=day(15),
        closed_on=day(16),
        outcome="Kuota penuh",
        referred_by=a,
    )
    return w
