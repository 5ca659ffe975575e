"""Referral pages: the family page's block (coverage badges, referrals, suggested referrals), the new
referral form from a family, the follow-up on the referral's page (htmx in place, or plain posts),
coverage recorded and ended, the list with filters, the coverage summary and the programmes page
(RULES.md: People and ratios, "ensure complementary programmes (BPNT, KIS, KIP)")."""

from __future__ import annotations

import pytest
from django.utils import timezone

from harapan.referrals.models import Coverage, Programme, Referral, ReferralStatus
from harapan.referrals.services import referral_accept, referral_create
from harapan.testing import make_household

from .conftest import World, client_of, days_ago, programme

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_family_page_shows_gaps_with_a_referral_link_and_the_history_names_the_events(world: World) -> None:
    client = client_of(world.pendamping)
    page = client.get(f"/kpm/{world.family.pk}/").content.decode()
    assert 'id="referrals"' in page and 'data-testid="coverage-none"' in page
    assert f'data-testid="gap-refer-kip-{world.pupil.pk}"' in page and 'data-testid="gap-refer-kis-kk"' in page
    referral_create(household=world.family, programme=programme("kis"), acting_user=world.pendamping.user)
    page = client.get(f"/kpm/{world.family.pk}/").content.decode()
    assert 'data-testid="gap-refer-kis-kk"' not in page  # referred: shown with its status instead
    assert "Dirujuk ke program komplementer" in page  # the family history labels the event


def test_new_referral_from_a_family_preselects_the_gap_and_limits_members_to_the_family(world: World) -> None:
    client = client_of(world.pendamping)
    url = f"/rujukan/kpm/{world.family.pk}/baru/"
    form = client.get(url, {"program": "kip", "anggota": str(world.pupil.pk)}).content.decode()
    assert f'<option value="{world.pupil.pk}" selected>' in form
    assert '<option value="kip" selected>' in form
    assert f'data-testid="create-gap-kip-{world.pupil.pk}"' in form
    stranger = make_household(desa="35.11.01.2001", pendamping=world.pendamping).members.first()
    assert stranger is not None and f'value="{stranger.pk}"' not in form
    response = client.post(
        url, {"programme": "kip", "member": stranger.pk, "referred_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400 and 'data-testid="error-r-member"' in response.content.decode()
    response = client.post(
        url, {"programme": "kip", "member": world.pupil.pk, "referred_on": timezone.localdate().isoformat()}
    )
    referral = Referral.objects.get(household=world.family)
    assert response.status_code == 302 and response["Location"] == f"/rujukan/{referral.pk}/"
    response = client.post(
        url, {"programme": "kip", "member": world.pupil.pk, "referred_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400 and "rujukan terbuka" in response.content.decode()
    response = client.post(url, {"programme": "kip", "member": "", "referred_on": timezone.localdate().isoformat()})
    assert response.status_code == 400 and 'data-testid="error-r-member"' in response.content.decode()


def test_korkab_accepts_and_completes_in_place_with_htmx(world: World) -> None:
    referral = referral_create(
        household=world.family,
        programme=programme("kip"),
        member=world.pupil,
        referred_on=days_ago(9),
        acting_user=world.pendamping.user,
    )
    client = client_of(world.korkab)
    page = client.get(f"/rujukan/{referral.pk}/").content.decode()
    assert 'id="accept-form"' in page and 'id="complete-form"' not in page
    response = client.post(
        f"/rujukan/{referral.pk}/terima/", {"accept-accepted_on": days_ago(2).isoformat()}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="referral-status">')
    assert 'data-status="diterima"' in body and 'id="complete-form"' in body and "<html" not in body
    response = client.post(
        f"/rujukan/{referral.pk}/selesai/",
        {"complete-closed_on": days_ago(1).isoformat(), "complete-outcome": ""},
        headers=HTMX,
    )
    assert response.status_code == 200 and 'data-testid="error-complete-outcome"' in response.content.decode()
    response = client.post(
        f"/rujukan/{referral.pk}/selesai/",
        {
            "complete-closed_on": days_ago(1).isoformat(),
            "complete-outcome": "KIP terbit",
            "complete-card_number": "Q4NP7Z",
        },
        headers=HTMX,
    )
    body = response.content.decode()
    assert 'data-status="selesai"' in body and 'data-testid="referral-coverage"' in body and "Q4NP7Z" in body
    assert Coverage.objects.get(referral=referral).since == days_ago(1)
    assert 'id="referral-actions"' not in body  # closed: nothing more to do


def test_follow_up_without_javascript_redirects_or_explains_the_rule(world: World) -> None:
    referral = referral_create(household=world.family, programme=programme("kis"), acting_user=world.pendamping.user)
    client = client_of(world.pendamping)
    response = client.post(
        f"/rujukan/{referral.pk}/selesai/",
        {"complete-closed_on": timezone.localdate().isoformat(), "complete-outcome": "KIS aktif"},
    )
    assert response.status_code == 409 and "dirujuk → diterima → selesai" in response.content.decode()
    response = client.post(
        f"/rujukan/{referral.pk}/tolak/",
        {"reject-closed_on": timezone.localdate().isoformat(), "reject-outcome": "Sudah peserta BPJS mandiri"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DITOLAK and referral.outcome == "Sudah peserta BPJS mandiri"


def test_coverage_recorded_and_ended_from_the_family_referral_page(world: World) -> None:
    client = client_of(world.pendamping)
    url = f"/rujukan/kpm/{world.family.pk}/"
    assert 'id="coverage-form"' in client.get(url).content.decode()
    response = client.post(
        url + "kepesertaan/",
        {"programme": "kis", "member": "", "since": days_ago(700).isoformat(), "card_number": "0001234567890"},
    )
    assert response.status_code == 302
    coverage = Coverage.objects.get(household=world.family)
    page = client.get(url).content.decode()
    assert f'data-testid="coverage-row-{coverage.pk}"' in page and "0001234567890" in page
    response = client.post(url + "kepesertaan/", {"programme": "kis", "since": days_ago(5).isoformat()})
    assert response.status_code == 400 and "sudah tercatat menerima" in response.content.decode()
    client.post(
        f"/rujukan/kepesertaan/{coverage.pk}/akhiri/",
        {"until": days_ago(1).isoformat(), "reason": "Pindah ke PBI daerah"},
    )
    coverage.refresh_from_db()
    assert coverage.until == days_ago(1)
    assert f'data-testid="coverage-ended-{coverage.pk}"' in client.get(url).content.decode()


def test_list_filters_by_status_programme_and_search(world: World) -> None:
    kip = referral_create(
        household=world.family, programme=programme("kip"), member=world.pupil, acting_user=world.pendamping.user
    )
    referral_accept(referral=kip, acting_user=world.korkab.user)
    other = make_household(desa="35.11.01.2001", pendamping=world.pendamping)
    other.members.filter(is_carer=True).update(name="Ibu Warsini")
    kis = referral_create(household=other, programme=programme("kis"), acting_user=world.pendamping.user)
    client = client_of(world.korkab)

    def rows(**params: str) -> set[int]:
        body = client.get("/rujukan/", params).content.decode()
        return {r.pk for r in (kip, kis) if f'data-testid="referral-row-{r.pk}"' in body}

    assert rows() == {kip.pk, kis.pk}
    assert rows(status="diterima") == {kip.pk}
    assert rows(programme="kis") == {kis.pk}
    assert rows(q="warsini") == {kis.pk}
    assert rows(q=world.pupil.nik or "") == {kip.pk}
    assert rows(status="selesai") == set()
    assert 'data-testid="nav-referrals"' in client.get("/rujukan/").content.decode()


def test_coverage_summary_shows_families_covered_per_programme(world: World) -> None:
    client = client_of(world.korkab)
    client.post(
        f"/rujukan/kpm/{world.family.pk}/kepesertaan/", {"programme": "kis", "since": days_ago(100).isoformat()}
    )
    body = client.get("/rujukan/cakupan/").content.decode()
    assert 'data-testid="coverage-35.11.01-kis" data-n="1"' in body
    assert 'data-testid="coverage-total-kis" data-n="1"' in body
    assert 'data-testid="coverage-drill-35.11.01"' in body
    desa = client.get("/rujukan/cakupan/", {"wilayah": "35.11.01"}).content.decode()
    assert 'data-testid="coverage-row-35.11.01.2001"' in desa


def test_programmes_are_edited_by_korkab_not_by_pendamping(world: World) -> None:
    assert 'data-testid="programme-kip"' in client_of(world.pendamping).get("/rujukan/program/").content.decode()
    assert client_of(world.pendamping).get("/rujukan/program/baru/").status_code == 403
    client = client_of(world.korkab)
    response = client.post(
        "/rujukan/program/baru/",
        {
            "code": "pip",
            "name": "PIP Kemenag (madrasah)",
            "provider": "Kementerian Agama",
            "target": "anggota",
            "eligibility": "usia_sekolah",
            "order": "25",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    pip = Programme.objects.get(code="pip")
    response = client.post(
        f"/rujukan/program/{pip.pk}/",
        {
            "code": "ignored",
            "name": "PIP madrasah",
            "provider": "Kemenag",
            "target": "anggota",
            "eligibility": "usia_sekolah",
            "order": "25",
        },
    )
    pip.refresh_from_db()
    assert response.status_code == 302 and (pip.code, pip.name, pip.is_active) == ("pip", "PIP madrasah", False)
