"""Every referral page and read answers within the reader's scope (accounts.scope.household_q: a
pendamping their own families, kabupaten roles their kabupaten/kota, Dinas Sosial provinsi the
province, the ministry everything, no staff record nothing); out of scope is a 404, the same answer
as a referral that does not exist (RULES.md: People and ratios — the pendamping follows their own
families)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from harapan.conftest import ScopeWorld
from harapan.referrals.models import Coverage, CoverageSource, Programme, Referral
from harapan.referrals.selectors import coverage_visible, referrals_visible

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(scope_world: ScopeWorld) -> dict[str, Referral]:
    """One open KIS referral and one KIS coverage for every family of the world."""
    kis = Programme.objects.get(code="kis")
    bpnt = Programme.objects.get(code="bpnt")
    out = {}
    for key, household in scope_world.families.items():
        out[key] = Referral.objects.create(
            household=household,
            programme=kis,
            referred_on=timezone.localdate(),
            referred_by=scope_world.staff["ministry"],
        )
        Coverage.objects.create(
            household=household, programme=bpnt, since=timezone.localdate(), source=CoverageSource.IMPOR
        )
    return out


def test_referrals_and_coverage_visible_follow_the_access_rule(
    scope_world: ScopeWorld, referred: dict[str, Referral]
) -> None:
    names = {r.pk: key for key, r in referred.items()}
    for persona, user in scope_world.users.items():
        seen = {names[pk] for pk in referrals_visible(user).values_list("pk", flat=True)}
        assert seen == scope_world.visible[persona], persona
        families = set(coverage_visible(user).values_list("household_id", flat=True))
        assert families == {scope_world.families[k].pk for k in scope_world.visible[persona]}, persona


@pytest.mark.parametrize("persona", ["pendamping", "pendamping_b", "korkab", "korkab_jember", "dinsos_prov_other"])
def test_pages_of_families_out_of_scope_are_404(
    scope_world: ScopeWorld, referred: dict[str, Referral], persona: str
) -> None:
    client = Client()
    client.force_login(scope_world.users[persona])
    for key, referral in referred.items():
        household = scope_world.families[key]
        coverage = Coverage.objects.get(household=household)
        expected = 200 if key in scope_world.visible[persona] else 404
        assert client.get(f"/rujukan/{referral.pk}/").status_code == expected, (persona, key)
        assert client.get(f"/rujukan/kpm/{household.pk}/").status_code == expected, (persona, key)
        if expected == 404:
            assert client.get(f"/rujukan/kpm/{household.pk}/baru/").status_code == 404
            assert (
                client.post(f"/rujukan/{referral.pk}/terima/", {"accept-accepted_on": "2026-01-01"}).status_code == 404
            )
            assert (
                client.post(f"/rujukan/kepesertaan/{coverage.pk}/akhiri/", {"until": "2026-01-01"}).status_code == 404
            )
    listed = client.get("/rujukan/").content.decode()
    for key, referral in referred.items():
        assert (f'data-testid="referral-row-{referral.pk}"' in listed) == (key in scope_world.visible[persona])
    assert Referral.objects.filter(status="dirujuk").count() == len(referred)  # nothing moved


def test_the_coverage_summary_stays_in_the_readers_area(scope_world: ScopeWorld, referred: dict[str, Referral]) -> None:
    client = Client()
    client.force_login(scope_world.users["korkab"])
    page = client.get("/rujukan/cakupan/")
    assert page.status_code == 200
    assert 'data-testid="coverage-row-35.11.01"' in page.content.decode()
    assert client.get("/rujukan/cakupan/?wilayah=35.09").status_code == 404
    assert client.get("/rujukan/cakupan/?wilayah=35.11.01").status_code == 200
    client.force_login(scope_world.users["no_staff"])
    assert client.get("/rujukan/cakupan/").status_code == 403
