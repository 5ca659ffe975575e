"""``seed_referrals``: the demo area's existing coverage (most PKH families hold KIS, many BPNT, many
pupils KIP) and a year of referrals — about one family in eight, mostly completed, some still open or
refused — with the coverage completed referrals open and the audit events the services write
(RULES.md: People and ratios, "ensure complementary programmes (BPNT, KIS, KIP)")."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db.models import Q

from harapan.accounts.models import Role
from harapan.audit.models import AuditEvent
from harapan.referrals import events
from harapan.referrals.demo import seed_referrals
from harapan.referrals.models import Coverage, CoverageSource, Referral, ReferralStatus
from harapan.referrals.services import referral_accept, referral_complete, referral_create
from harapan.registry.models import IN_PROGRAMME, Household, SchoolEnrolment
from harapan.testing import JEMBER, make_staff

from .conftest import programme

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def area(db: None) -> object:
    call_command("seed_demo", "--families", "300", "--as-of", AS_OF.isoformat(), stdout=io.StringIO())
    return get_user_model().objects.get(username="operator")


def snapshot() -> list[tuple[object, ...]]:
    return sorted(
        Referral.objects.values_list(
            "household_id", "member_id", "programme__code", "status", "referred_on", "closed_on"
        )
    )


def test_a_year_of_referrals_about_one_family_in_eight_mostly_completed(area: object) -> None:
    written = seed_referrals(area_code="35.11", as_of=AS_OF, seed=7, acting_user=area)
    families = Household.objects.filter(status__in=IN_PROGRAMME).count()
    assert written == Referral.objects.count()
    assert families / 12 <= written <= families / 5
    status = Counter(Referral.objects.values_list("status", flat=True))
    assert status[ReferralStatus.SELESAI] > written / 2
    assert status[ReferralStatus.DITOLAK] > 0 and status[ReferralStatus.DIRUJUK] + status[ReferralStatus.DITERIMA] > 0
    assert not Referral.objects.filter(
        Q(referred_on__gt=AS_OF) | Q(referred_on__lte=AS_OF - dt.timedelta(days=365))
    ).exists()
    # Open ones are the recent ones: none made more than half a year ago is still waiting, bar a few stalled.
    old_open = Referral.objects.filter(
        status__in=["dirujuk", "diterima"], referred_on__lt=AS_OF - dt.timedelta(days=180)
    )
    assert old_open.count() <= max(2, written // 10)
    for r in Referral.objects.select_related("programme", "member", "household"):
        assert r.household.pendamping_id == r.referred_by_id
        if r.programme.for_members:
            assert r.member is not None and r.member.household_id == r.household_id
        else:
            assert r.member is None


def test_existing_coverage_is_realistic_and_completed_referrals_open_theirs(area: object) -> None:
    seed_referrals(area_code="35.11", as_of=AS_OF, seed=7, acting_user=area)
    families = Household.objects.filter(status__in=IN_PROGRAMME).count()
    imported = Coverage.objects.filter(source=CoverageSource.IMPOR)
    kis = imported.filter(programme__code="kis").values("household_id").distinct().count()
    bpnt = imported.filter(programme__code="bpnt").values("household_id").distinct().count()
    assert kis / families > 0.75 and 0.55 < bpnt / families < 0.9
    pupils = SchoolEnrolment.objects.filter(valid_from__lte=AS_OF).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=AS_OF)
    )
    kip = imported.filter(programme__code="kip", member__in=pupils.values("member_id")).count()
    assert kip / pupils.count() > 0.5
    done = Referral.objects.filter(status=ReferralStatus.SELESAI)
    assert Coverage.objects.filter(source=CoverageSource.RUJUKAN).count() == done.count()
    for r in done.select_related("coverage"):
        assert (r.coverage.since, r.coverage.programme_id, r.coverage.member_id) == (
            r.closed_on,
            r.programme_id,
            r.member_id,
        )
    assert not Coverage.objects.filter(referral__status__in=["dirujuk", "diterima", "ditolak"]).exists()
    # A family is referred only to what it lacked: no KIS referral for a family holding KIS already.
    assert not Referral.objects.filter(
        programme__code="kis", household__in=imported.filter(programme__code="kis").values("household_id")
    ).exists()


def test_every_step_is_audited_as_the_services_do(area: object) -> None:
    seed_referrals(area_code="35.11", as_of=AS_OF, seed=7, acting_user=area)
    actions = Counter(AuditEvent.objects.filter(object_type="referral").values_list("action", flat=True))
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    assert actions[events.REFERRAL_CREATED] == Referral.objects.count()
    assert actions[events.REFERRAL_COMPLETED] == statuses["selesai"]
    assert actions[events.REFERRAL_REJECTED] == statuses["ditolak"]
    assert actions[events.REFERRAL_ACCEPTED] == Referral.objects.filter(accepted_on__isnull=False).count()
    assert AuditEvent.objects.filter(action=events.COVERAGE_ADDED).count() == Coverage.objects.count()
    seeded = AuditEvent.objects.filter(action=events.REFERRAL_COMPLETED).select_related("actor").first()
    assert seeded is not None and seeded.actor is not None and seeded.actor.staff.role == Role.PENDAMPING
    # The same keys as the single path (services) writes for the same steps.
    family = Household.objects.filter(status__in=IN_PROGRAMME, referrals__isnull=True, pendamping__isnull=False).first()
    assert family is not None and family.pendamping is not None
    pendamping = family.pendamping.user
    Coverage.objects.filter(household=family, programme__code="kis").delete()
    r = referral_create(household=family, programme=programme("kis"), acting_user=pendamping)
    referral_accept(referral=r, acting_user=pendamping)
    referral_complete(referral=r, outcome="KIS aktif", card_number="0001", acting_user=pendamping)
    for action in (events.REFERRAL_CREATED, events.REFERRAL_ACCEPTED, events.REFERRAL_COMPLETED):
        single = AuditEvent.objects.get(action=action, object_id=str(r.pk))
        bulk = AuditEvent.objects.filter(action=action, source="seed", after__program=r.programme.name).first()
        assert bulk is not None and set(bulk.after) == set(single.after) and set(bulk.before) == set(single.before)
    single_cov = AuditEvent.objects.get(action=events.COVERAGE_ADDED, object_id=str(r.coverage.pk))
    bulk_cov = AuditEvent.objects.filter(action=events.COVERAGE_ADDED, source="seed", after__has_key="rujukan").first()
    assert bulk_cov is not None and set(bulk_cov.after) <= set(single_cov.after) | {"anggota"}


def test_the_seeder_does_nothing_when_the_area_has_referrals_and_is_deterministic(area: object) -> None:
    first = seed_referrals(area_code="35.11", as_of=AS_OF, seed=7, acting_user=area)
    before = snapshot()
    assert seed_referrals(area_code="35.11", as_of=AS_OF, seed=7, acting_user=area) == 0
    assert snapshot() == before and Referral.objects.count() == first
    AuditEvent.objects.filter(object_type__in=["referral", "coverage"]).delete()
    Coverage.objects.all().delete()
    Referral.objects.all().delete()
    assert seed_referrals(area_code="35.11", as_of=AS_OF, seed=7, acting_user=area) == first
    assert snapshot() == before
    with pytest.raises(PermissionDenied):
        seed_referrals(area_code="35.11", as_of=AS_OF, seed=7, acting_user=make_staff(Role.KORKAB, JEMBER).user)
