"""The demo year of complaints (``demo.seed_grievances``): about one case per 60 families a year,
mostly card, PIN and balance problems (RULES.md: Disbursement and data, "Field problems to record:
zero balance, lost card, forgotten PIN, card swallowed"), most resolved within the SLA, some overdue
and some escalated, a few about a pendamping's conduct (People and ratios); written set-based, with
its timeline and audit trail, and only once per area."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone

from harapan.accounts.models import Role, Staff
from harapan.audit.models import AuditEvent
from harapan.grievances.demo import FAMILIES_PER_CASE, area_grievance_summary, seed_grievances
from harapan.grievances.models import ActionKind, Grievance, GrievanceAction, GrievanceStatus
from harapan.grievances.rules import due_at
from harapan.registry.models import Household, HouseholdStatus, Member
from harapan.testing import BONDOWOSO, JEMBER, MAESAN, make_staff

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)
FAMILIES = 3000


@pytest.fixture
def district(db: None) -> dict[str, Any]:
    """3,000 families in Kecamatan Maesan shared by five pendamping, with the korkab of Bondowoso."""
    pendamping = [make_staff(Role.PENDAMPING, MAESAN, full_name=f"Pendamping {i}") for i in range(5)]
    korkab = make_staff(Role.KORKAB, BONDOWOSO, full_name="Korkab Bondowoso")
    desa = [f"{MAESAN}.{2001 + i}" for i in range(4)]
    Household.objects.bulk_create(
        [
            Household(
                pkh_id=f"DEMO{i:06d}",
                no_kk=f"3511012001{i:06d}",
                desa_id=desa[i % len(desa)],
                address="Dusun Krajan",
                status=HouseholdStatus.AKTIF,
                status_since=dt.date(2020, 1, 1),
                pendamping=pendamping[i % len(pendamping)],
            )
            for i in range(FAMILIES)
        ]
    )
    ids = list(Household.objects.filter(pkh_id__startswith="DEMO").values_list("pk", flat=True))
    Member.objects.bulk_create(
        [
            Member(
                household_id=h,
                no_kk="0",
                name=f"Ibu Demo {h}",
                sex="P",
                birth_date=dt.date(1985, 1, 1),
                relationship=2,
                is_carer=True,
                nik=None,
            )
            for h in ids
        ]
    )
    return {"pendamping": pendamping, "korkab": korkab}


def test_a_year_of_complaints_is_plausible_and_complete(
    district: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    korkab: Staff = district["korkab"]
    with django_assert_max_num_queries(40):  # set-based: no query per case
        n = seed_grievances(area_code=BONDOWOSO, as_of=AS_OF, seed=7, acting_user=korkab.user)
    cases = list(Grievance.objects.select_related("category"))
    assert n == len(cases) == round(FAMILIES / FAMILIES_PER_CASE) == 50
    start = timezone.make_aware(dt.datetime.combine(AS_OF - dt.timedelta(days=365), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(AS_OF, dt.time.min))
    assert all(start <= g.opened_at < end for g in cases)
    assert all(g.due_at == due_at(g.opened_at, g.category.sla_days) for g in cases)
    assert not GrievanceAction.objects.filter(at__gte=end).exists()

    # The mix: card, PIN and balance problems first.
    by_category = Counter(g.category.code for g in cases)
    assert sum(by_category[c] for c in ("kks_hilang", "pin_lupa", "kartu_tertelan", "saldo_nol")) >= 0.55 * n
    # Most cases due by the reference date were resolved in time; some are still open past it.
    due = [g for g in cases if g.due_at < end]
    in_time = [g for g in due if g.status == GrievanceStatus.SELESAI and g.resolved_at and g.resolved_at <= g.due_at]
    assert len(in_time) >= 0.6 * len(due)
    assert any(g.overdue_at(end) for g in cases)
    assert any(g.escalated_at for g in cases)
    for g in cases:
        if g.escalated_at:
            assert g.escalated_to_id == korkab.pk and g.opened_at <= g.escalated_at
        if g.about_pendamping_id:  # conduct: handled by the korkab, never by the pendamping
            assert g.category.code == "perilaku_pendamping" and g.handler_id in (None, korkab.pk)
        if g.household_id is None:
            assert g.category.code in ("belum_terdaftar", "lainnya")

    # The timeline of each case ends in its status, and every step is an audit event.
    steps = GrievanceAction.objects.values("grievance_id").annotate(n=Count("pk"))
    assert {s["grievance_id"] for s in steps} == {g.pk for g in cases}
    assert GrievanceAction.objects.filter(kind=ActionKind.DIBUAT).count() == n
    last = {}
    for a in GrievanceAction.objects.order_by("grievance_id", "at", "id"):
        last[a.grievance_id] = a.status_after
    assert all(last[g.pk] == g.status for g in cases)
    audit = AuditEvent.objects.filter(object_type="grievance", source="seed")
    assert audit.count() == GrievanceAction.objects.count()
    family_of = {str(g.pk): (None if g.about_pendamping_id else g.household_id) for g in cases}
    assert all(family_of[e.object_id] == e.household_id for e in audit)
    summary = area_grievance_summary(BONDOWOSO)
    assert sum(summary.values()) == n and summary.get(GrievanceStatus.SELESAI, 0) > n / 2


def test_the_seeder_is_deterministic_and_does_nothing_a_second_time(district: dict[str, Any]) -> None:
    korkab: Staff = district["korkab"]
    seed_grievances(area_code=BONDOWOSO, as_of=AS_OF, seed=7, acting_user=korkab.user)
    first = list(Grievance.objects.order_by("number").values_list("number", "category__code", "status", "opened_at"))
    actions = GrievanceAction.objects.count()
    assert seed_grievances(area_code=BONDOWOSO, as_of=AS_OF, seed=7, acting_user=korkab.user) == 0
    assert Grievance.objects.count() == len(first) and GrievanceAction.objects.count() == actions
    Grievance.objects.all().delete()
    AuditEvent.objects.filter(object_type="grievance").delete()
    seed_grievances(area_code=BONDOWOSO, as_of=AS_OF, seed=7, acting_user=korkab.user)
    again = list(Grievance.objects.order_by("number").values_list("number", "category__code", "status", "opened_at"))
    assert again == first


def test_the_seeder_acts_only_within_the_acting_users_area(district: dict[str, Any]) -> None:
    jember = make_staff(Role.KORKAB, JEMBER)
    with pytest.raises(PermissionDenied):
        seed_grievances(area_code=BONDOWOSO, as_of=AS_OF, seed=7, acting_user=jember.user)
    assert not Grievance.objects.exists()
