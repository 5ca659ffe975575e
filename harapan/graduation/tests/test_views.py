"""Graduation pages: the family's graduation page and assessment form, proposing, the statement
scan upload and its scoped download, the korkab's queue and decision, the family page tag. Every
page answers only within the reader's scope (accounts.scope); out of scope is 404 (RULES.md:
Graduation)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from harapan.graduation.models import GraduationAssessment, GraduationProposal, ProposalStatus
from harapan.graduation.services import proposal_submit
from harapan.registry.models import HouseholdStatus

from .conftest import PNG, World, assess, client_of

pytestmark = pytest.mark.django_db


def assessment_post(**extra):
    return {
        "assessed_on": timezone.localdate().isoformat(),
        "income_per_month": "3500000",
        "need_per_month": "2800000",
        "business_type": "Warung",
        "kpm_willing": "on",
        "i_usaha_berjalan": "on",
        "i_aset_produktif": "2",
        "i_rumah_layak": "on",
        "i_anak_bersekolah": "on",
        **extra,
    }


def test_the_pendamping_assesses_and_proposes_from_the_graduation_page(world: World) -> None:
    client = client_of(world.pendamping)
    base = f"/graduasi/kpm/{world.family.pk}/"
    assert 'data-testid="assess-start"' in client.get(base).content.decode()
    form = client.get(base + "penilaian/").content.decode()
    assert "Penghasilan keluarga per bulan" in form and "Memiliki usaha yang berjalan" in form
    response = client.post(base + "penilaian/", assessment_post())
    assert response.status_code == 302
    assessment = GraduationAssessment.objects.get(household=world.family)
    assert assessment.ready and assessment.answers["aset_produktif"] == 2
    response = client.post(base + "usulkan/", {"reason_category": "usaha_berkembang", "note": "Warung ramai"})
    proposal = GraduationProposal.objects.get(household=world.family)
    assert response.status_code == 302 and response["Location"] == f"/graduasi/usulan/{proposal.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="statement-download"' in page and 'id="upload-form"' in page
    assert 'id="approve-form"' not in page  # the proposer never decides


def test_an_invalid_assessment_shows_its_errors(world: World) -> None:
    response = client_of(world.pendamping).post(
        f"/graduasi/kpm/{world.family.pk}/penilaian/", assessment_post(income_per_month="")
    )
    assert response.status_code == 400 and 'data-testid="error-a-income_per_month"' in response.content.decode()


def test_upload_then_korkab_approves_from_the_queue(world: World) -> None:
    assess(world)
    proposal = proposal_submit(household=world.family, acting_user=world.pendamping.user)
    pendamping = client_of(world.pendamping)
    response = pendamping.post(
        f"/graduasi/usulan/{proposal.pk}/unggah/",
        {"signed_on": timezone.localdate().isoformat(), "scan": SimpleUploadedFile("s.png", PNG, "image/png")},
    )
    assert response.status_code == 302
    scan = pendamping.get(f"/graduasi/usulan/{proposal.pk}/pindaian/")
    assert scan.status_code == 200 and b"".join(scan.streaming_content) == PNG  # type: ignore[attr-defined]
    assert client_of(world.other_pendamping).get(f"/graduasi/usulan/{proposal.pk}/pindaian/").status_code == 404
    korkab = client_of(world.korkab)
    assert f'data-testid="queue-link-{proposal.pk}"' in korkab.get("/graduasi/").content.decode()
    assert f"queue-link-{proposal.pk}" not in client_of(world.korkab_jember).get("/graduasi/").content.decode()
    response = korkab.post(f"/graduasi/usulan/{proposal.pk}/putuskan/", {"decision": "setujui"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    world.family.refresh_from_db()
    assert proposal.status == ProposalStatus.DISETUJUI
    assert world.family.status == HouseholdStatus.GRADUASI_MANDIRI


def test_a_rejection_without_reason_is_refused_on_the_page(world: World) -> None:
    assess(world)
    proposal = proposal_submit(household=world.family, acting_user=world.pendamping.user)
    response = client_of(world.korkab).post(f"/graduasi/usulan/{proposal.pk}/putuskan/", {"decision": "tolak"})
    assert response.status_code == 400 and 'data-testid="error-reason"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_open


def test_out_of_scope_is_404(world: World) -> None:
    assess(world)
    proposal = proposal_submit(household=world.family, acting_user=world.pendamping.user)
    for staff in (world.other_pendamping, world.korkab_jember):
        client = client_of(staff)
        for url in (
            f"/graduasi/kpm/{world.family.pk}/",
            f"/graduasi/kpm/{world.family.pk}/penilaian/",
            f"/graduasi/usulan/{proposal.pk}/",
            f"/graduasi/usulan/{proposal.pk}/surat.pdf",
        ):
            assert client.get(url).status_code == 404, (staff, url)
        assert client.post(f"/graduasi/usulan/{proposal.pk}/putuskan/", {"decision": "setujui"}).status_code == 404


def test_a_korkab_sees_the_family_but_cannot_assess_it(world: World) -> None:
    client = client_of(world.korkab)
    assert client.get(f"/graduasi/kpm/{world.family.pk}/").status_code == 200
    assert client.get(f"/graduasi/kpm/{world.family.pk}/penilaian/").status_code == 403


def test_the_family_page_tag_shows_the_latest_assessment_and_proposal(world: World) -> None:
    assess(world)
    proposal = proposal_submit(household=world.family, acting_user=world.pendamping.user)
    request = RequestFactory().get("/")
    request.user = world.pendamping.user
    html = Template("{% load graduasi %}{% family_graduation household %}").render(
        Context({"request": request, "household": world.family})
    )
    assert 'data-testid="graduation-assessment"' in html and "siap" in html
    assert f"/graduasi/usulan/{proposal.pk}/" in html and 'data-status="diajukan"' in html
    assert f"/graduasi/kpm/{world.family.pk}/penilaian/" in html


def test_the_indicator_page_is_editable_by_dinas_sosial_only(world: World) -> None:
    from harapan.accounts.models import Role
    from harapan.graduation.models import ReadinessIndicator
    from harapan.testing import BONDOWOSO, make_staff

    house = ReadinessIndicator.objects.get(code="rumah_layak")
    data = {
        "pk": house.pk,
        f"i{house.pk}-label": house.label,
        f"i{house.pk}-help_text": "",
        f"i{house.pk}-threshold": "",
        f"i{house.pk}-weight": "2",
        f"i{house.pk}-order": str(house.order),
        f"i{house.pk}-is_active": "on",
    }
    page = client_of(world.korkab).get("/graduasi/indikator/")
    assert page.status_code == 200 and "Memiliki usaha yang berjalan" in page.content.decode()
    assert "<form" not in page.content.decode().split("<main")[-1]
    assert client_of(world.korkab).post("/graduasi/indikator/", data).status_code == 403
    dinsos = make_staff(Role.DINSOS_KAB, BONDOWOSO)
    assert client_of(dinsos).post("/graduasi/indikator/", data).status_code == 302
    house.refresh_from_db()
    assert house.weight == 2
