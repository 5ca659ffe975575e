"""``seed_field_year``: a year of held meetings with realistic attendance, the absence flags the
3-absence rule gives them (RULES.md "Sanctions (configurable ladder)"), a few cancelled meetings and
flagship products (issue 3), on a 300-family demo district."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from harapan.audit.models import AuditEvent
from harapan.demo.field import FieldRates, FieldYearResult, field_year_seed, field_year_summary, group_year
from harapan.groups.models import GroupMembership, Kelompok
from harapan.meetings import rules
from harapan.meetings.models import AbsenceFlag, Attendance, Meeting, MeetingStatus
from harapan.meetings.services import flags_evaluate
from harapan.products.models import Product, ProductMaker, ProductSale
from harapan.registry.models import Household

AS_OF = dt.date(2026, 11, 20)
YEAR_START = dt.date(2026, 1, 1)
# More of the rarer behaviours than the demo default, so 300 families show every one of them.
RATES = FieldRates(dropout=0.04, lapse=0.05, irregular=0.08, cancel_one=0.3, cancel_two=0.1, product_groups=0.5)


@dataclass
class World:
    operator: object
    result: FieldYearResult | None = None


def _world(*, seed_year: bool) -> World:
    out = io.StringIO()
    call_command("seed_demo", "--families", "300", "--as-of", AS_OF.isoformat(), stdout=out)
    call_command(
        "form_groups", "--user", "operator", "--kabupaten", "35.11", "--valid-from", YEAR_START.isoformat(), stdout=out
    )
    call_command("plan_meetings", "--user", "operator", "--kabupaten", "35.11", "--year", "2026", stdout=out)
    world = World(operator=get_user_model().objects.get(username="operator"))
    if seed_year:
        world.result = field_year_seed(area_code="35.11", as_of=AS_OF, seed=11, acting_user=world.operator, rates=RATES)
    return world


@pytest.fixture
def world(db: None) -> World:
    return _world(seed_year=True)


def _members_on(day: dt.date, kelompok_id: int) -> set[int]:
    return set(
        GroupMembership.objects.filter(kelompok_id=kelompok_id, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .values_list("household_id", flat=True)
    )


def test_meetings_before_the_date_are_held_by_the_pendamping_or_cancelled_and_later_ones_stay_planned(
    world: World,
) -> None:
    """Issue 3: every planned meeting before the reference date is held (or, in some groups, one or
    two cancelled); the rest of the year stays planned."""
    meetings = Meeting.objects.select_related("kelompok")
    assert meetings.exists()
    for m in meetings:
        if m.scheduled_on >= AS_OF:
            assert m.status == MeetingStatus.DIRENCANAKAN
            assert not Attendance.objects.filter(meeting=m).exists()
        elif m.status == MeetingStatus.TERLAKSANA:
            assert m.held_by_id == m.kelompok.pendamping_id
            assert m.recorded_at is not None
            assert timezone.localtime(m.recorded_at).date() == m.scheduled_on
        else:
            assert m.status == MeetingStatus.DIBATALKAN
            assert m.cancel_reason
            assert not Attendance.objects.filter(meeting=m).exists()
    cancelled = meetings.filter(status=MeetingStatus.DIBATALKAN)
    assert cancelled.exists()
    per_group: dict[int, int] = defaultdict(int)
    for kid in cancelled.values_list("kelompok_id", flat=True):
        per_group[kid] += 1
    assert max(per_group.values()) <= 2
    assert AuditEvent.objects.filter(action="meeting_cancelled").count() == cancelled.count()


def test_every_family_of_the_group_is_marked_at_each_held_meeting(world: World) -> None:
    """Issue 3: attendance is taken for every family of the group on the meeting day; izin carries a
    reason; most families come."""
    held = list(Meeting.objects.filter(status=MeetingStatus.TERLAKSANA))
    assert len(held) > 50
    for m in held:
        marked = set(Attendance.objects.filter(meeting=m).values_list("household_id", flat=True))
        assert marked == _members_on(m.scheduled_on, m.kelompok_id)
    assert not Attendance.objects.filter(mark="izin", reason="").exists()
    marks = field_year_summary("35.11").marks
    assert 0.75 < marks["hadir"] / sum(marks.values()) < 0.95
    assert marks["izin"] and marks["alpa"]
    recorded = AuditEvent.objects.filter(action="attendance_recorded")
    assert recorded.count() == Attendance.objects.count()
    assert not recorded.filter(household__isnull=True).exists()


def _expected_flags(history: list[str]) -> dict[str, tuple[int, bool]]:
    """Per flag kind: how many times the family's run crossed the threshold as its meetings were
    held one after another, and whether the flag is open after the last one (the rule replayed)."""
    out: dict[str, tuple[int, bool]] = {}
    for kind, threshold in (("penangguhan", 3), ("usul_non_eligible", 6)):
        raised, open_ = 0, False
        for n in range(1, len(history) + 1):
            due = rules.consecutive_unexcused_absences(history[:n]) >= threshold
            if due and not open_:
                raised += 1
            open_ = due
        out[kind] = (raised, open_)
    return out


def test_flags_are_the_three_absence_rule_replayed_in_meeting_order(world: World) -> None:
    """RULES.md "Sanctions (configurable ladder)": 3 consecutive alpa at held meetings raise a
    suspension flag, 6 a proposal of non-eligibility, izin neither counts nor resets, hadir lifts.
    The year is evaluated meeting after meeting, so a flag raised then lifted shows as such."""
    history: dict[int, list[str]] = defaultdict(list)
    for hid, mark in (
        Attendance.objects.filter(meeting__status=MeetingStatus.TERLAKSANA)
        .order_by("household_id", "meeting__scheduled_on", "meeting_id")
        .values_list("household_id", "mark")
    ):
        history[hid].append(mark)
    flags: dict[tuple[int, str], list[AbsenceFlag]] = defaultdict(list)
    for flag in AbsenceFlag.objects.all():
        flags[(flag.household_id, flag.kind)].append(flag)
    for hid, marks in history.items():
        for kind, (raised, open_) in _expected_flags(marks).items():
            got = flags.get((hid, kind), [])
            assert len(got) == raised, (hid, kind, marks)
            assert any(f.lifted_on is None for f in got) == open_, (hid, kind, marks)
    assert len(flags) == len({key for key in flags if key[0] in history})
    summary = field_year_summary("35.11")
    assert summary.flags_open.get("penangguhan") and summary.flags_open.get("usul_non_eligible")
    assert summary.flags_lifted > 0
    for flag in AbsenceFlag.objects.filter(kind="penangguhan")[:20]:
        assert flag.meetings.count() >= 3
    # Nothing is left for the rule to do.
    all_families = list(Household.objects.values_list("pk", flat=True))
    assert flags_evaluate(household_ids=all_families, acting_user=world.operator) == (0, 0)


def test_products_are_made_by_carers_of_their_own_group_and_sold_monthly(world: World) -> None:
    """Issue 3 (SEKOPER): a product belongs to a group, its makers come from the group's families,
    its sales are monthly records before the reference date at the product's price."""
    products = list(Product.objects.select_related("kelompok"))
    assert products
    for product in products:
        members = set(
            GroupMembership.objects.filter(kelompok=product.kelompok, valid_to__isnull=True).values_list(
                "household_id", flat=True
            )
        )
        makers = list(ProductMaker.objects.filter(product=product).select_related("member"))
        assert 2 <= len(makers) <= 5
        for maker in makers:
            assert maker.member.household_id in members
            assert maker.member.is_carer
        months = set()
        for sale in ProductSale.objects.filter(product=product):
            assert sale.sold_on < AS_OF
            assert sale.amount_rupiah == sale.quantity * product.price_rupiah
            months.add((sale.sold_on.year, sale.sold_on.month))
        assert len(months) == ProductSale.objects.filter(product=product).count()
    assert AuditEvent.objects.filter(action="product_created").count() == len(products)


@pytest.mark.django_db
def test_seed_field_year_command_runs_once_and_then_leaves_the_area_alone() -> None:
    """Idempotent by refusal (like seed_demo): an area with recorded attendance is never seeded again."""
    _world(seed_year=False)
    out = io.StringIO()
    args = ("seed_field_year", "--user", "operator", "--kabupaten", "35.11", "--as-of", AS_OF.isoformat())
    call_command(*args, stdout=out)
    assert "pertemuan terlaksana" in out.getvalue() and "Produk unggulan" in out.getvalue()
    counts = (
        Attendance.objects.count(),
        AuditEvent.objects.count(),
        AbsenceFlag.objects.count(),
        Product.objects.count(),
        Meeting.objects.filter(status=MeetingStatus.TERLAKSANA).count(),
    )
    assert counts[0] > 0
    with pytest.raises(CommandError, match="sudah punya catatan kehadiran"):
        call_command(*args, stdout=io.StringIO())
    again = io.StringIO()
    call_command(*args, "--if-empty", stdout=again)
    assert "sudah punya catatan kehadiran" in again.getvalue()
    assert counts == (
        Attendance.objects.count(),
        AuditEvent.objects.count(),
        AbsenceFlag.objects.count(),
        Product.objects.count(),
        Meeting.objects.filter(status=MeetingStatus.TERLAKSANA).count(),
    )


@pytest.mark.django_db
def test_seed_field_year_refuses_a_pendamping_and_an_area_outside_scope() -> None:
    _world(seed_year=False)
    with pytest.raises(CommandError):
        call_command("seed_field_year", "--user", "pendamping", "--kabupaten", "35.11", stdout=io.StringIO())
    with pytest.raises(CommandError, match="di luar wilayah"):
        call_command("seed_field_year", "--user", "operator", "--kabupaten", "35.09", stdout=io.StringIO())
    assert not Attendance.objects.exists()
    assert not Kelompok.objects.filter(meetings__status=MeetingStatus.TERLAKSANA).exists()


def test_a_group_year_is_the_same_for_the_same_seed() -> None:
    """Deterministic: the same seed, meetings and families give the same cancellations and marks."""
    dates = [dt.date(2026, m, 12) for m in range(1, 12)]
    families = [(i, YEAR_START, None) for i in range(1, 40)] + [(99, dt.date(2026, 6, 1), None)]

    def year(seed: str) -> tuple[list[int], dict[int, dict[int, tuple[str, str]]]]:
        y = group_year(random.Random(seed), dates, families, RATES)
        return y.cancelled, y.marks

    assert year("a") == year("a")
    assert year("a") != year("b")
    _cancelled, marks = year("a")
    for i, by_family in marks.items():
        assert (99 in by_family) == (dates[i] >= dt.date(2026, 6, 1))
