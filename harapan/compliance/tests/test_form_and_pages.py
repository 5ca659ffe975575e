"""The pendamping's phone form, the month's sheet, the sanctions pages and the family panel, each
inside the user's scope (RULES.md "Obligations (conditionalities)", "Sanctions (configurable
ladder)"; accounts.scope)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from harapan.compliance.models import EvaluationRun, ObligationRecord, Sanction
from harapan.compliance.services import FormEntry, verification_form_save
from harapan.imports.models import RunStatus
from harapan.testing import PASSWORD

from .conftest import World, attendance, evaluate, m

pytestmark = pytest.mark.django_db


def login(client, staff) -> None:
    assert client.login(username=staff.user.username, password=PASSWORD)


def form_url(world: World, month: str = "2026-10", family=None) -> str:
    return reverse("compliance:form", args=[(family or world.family).pk, month])


def test_pendamping_cannot_record_for_another_pendamping_family(world: World, client) -> None:
    """accounts.scope: a pendamping sees and records only their own families."""
    with pytest.raises(PermissionDenied):
        verification_form_save(
            household=world.other,
            month=m(10),
            entries={(world.other.members.get(relationship=3).pk, "sekolah_terdaftar"): FormEntry(met=True)},
            acting_user=world.pendamping.user,
        )
    login(client, world.pendamping)
    assert client.get(form_url(world, family=world.other)).status_code == 404
    assert client.post(form_url(world, family=world.other), {}).status_code == 404
    assert not ObligationRecord.objects.filter(household=world.other).exists()


def test_form_shows_only_the_obligations_of_the_members_components_that_month(world: World, client) -> None:
    """RULES.md "Obligations": the school child owes enrolment and attendance; the parents nothing."""
    login(client, world.pendamping)
    page = client.get(form_url(world)).content.decode()
    pupil = world.pupil.pk
    assert f'name="o-{pupil}-sekolah_terdaftar"' in page
    assert f'name="v-{pupil}-sekolah_kehadiran"' in page
    head = world.family.members.get(relationship=1)
    assert f'data-testid="member-{head.pk}"' not in page
    assert page.count('type="radio" name="o-') == 4  # Ya/Tidak of the pupil's two obligations


def test_form_saves_records_and_attendance_below_85_percent_is_not_met(world: World, client) -> None:
    login(client, world.pendamping)
    pupil = world.pupil.pk
    response = client.post(form_url(world), {f"o-{pupil}-sekolah_terdaftar": "1", f"v-{pupil}-sekolah_kehadiran": "80"})
    assert response.status_code == 302
    records = {r.obligation.code: r for r in ObligationRecord.objects.filter(household=world.family)}
    assert records["sekolah_terdaftar"].met is True
    assert records["sekolah_kehadiran"].met is False and records["sekolah_kehadiran"].value == Decimal("80.00")
    assert records["sekolah_kehadiran"].source == "form"
    assert records["sekolah_kehadiran"].recorded_by == world.pendamping.user
    # Ya with 80% contradicts the threshold: refused, nothing changes, the page says where.
    response = client.post(form_url(world), {f"o-{pupil}-sekolah_kehadiran": "1", f"v-{pupil}-sekolah_kehadiran": "80"})
    assert response.status_code == 400
    assert f'data-testid="error-{pupil}-sekolah_kehadiran"' in response.content.decode()


def test_form_refuses_an_obligation_that_does_not_apply_and_a_future_month(world: World) -> None:
    head = world.family.members.get(relationship=1)
    with pytest.raises(ValidationError) as err:
        verification_form_save(
            household=world.family,
            month=m(10),
            entries={(head.pk, "anc"): FormEntry(met=True)},
            acting_user=world.pendamping.user,
        )
    assert f"{head.pk}-anc" in err.value.error_dict
    with pytest.raises(ValidationError):
        verification_form_save(
            household=world.family,
            month=m(12),
            entries={(world.pupil.pk, "sekolah_terdaftar"): FormEntry(met=True)},
            acting_user=world.pendamping.user,
        )


def test_sheet_lists_who_has_records_and_who_is_missing(world: World, client) -> None:
    from .conftest import school_family

    second = school_family(world.desa, world.pendamping)
    attendance(world, m(10), True)
    login(client, world.pendamping)
    page = client.get(reverse("compliance:sheet", args=["2026-10"])).content.decode()
    assert f'data-testid="sheet-row-{world.family.pk}" data-complete="0"' in page  # enrolment not recorded yet
    assert f'data-testid="sheet-missing-{second.pk}"' in page
    assert f'data-testid="sheet-row-{world.other.pk}"' not in page  # another pendamping's family
    assert "Terdaftar di sekolah" in page


def test_area_staff_choose_a_pendamping_for_the_sheet(world: World, client) -> None:
    login(client, world.operator)
    url = reverse("compliance:sheet", args=["2026-10"])
    assert 'data-testid="sheet-choose"' in client.get(url).content.decode()
    page = client.get(url, {"pendamping": world.other_pendamping.pk}).content.decode()
    assert f'data-testid="sheet-row-{world.other.pk}"' in page
    assert f'data-testid="sheet-row-{world.family.pk}"' not in page


def test_sanctions_list_filters_and_is_scoped(world: World, client) -> None:
    for n in range(8, 11):
        attendance(world, m(n), False)
        evaluate(world, m(n))
    login(client, world.operator)
    page = client.get(reverse("compliance:sanctions"), {"level": "penangguhan", "state": "terbuka"}).content.decode()
    suspension = Sanction.objects.get(level="penangguhan")
    assert f'data-testid="sanction-{suspension.pk}"' in page
    assert 'data-level="peringatan"' not in page
    assert "Hadir minimal 85%" in page  # the records behind it
    client.logout()
    login(client, world.other_pendamping)
    assert 'data-testid="sanction-empty"' in client.get(reverse("compliance:sanctions")).content.decode()
    assert client.get(reverse("compliance:sanction_detail", args=[suspension.pk])).status_code == 404


def test_korkab_confirms_a_cancellation_on_its_page(world: World, client) -> None:
    for n in range(5, 11):
        attendance(world, m(n), False)
        evaluate(world, m(n))
    cancellation = Sanction.objects.get(level="pembatalan")
    login(client, world.operator)
    assert (
        'data-testid="decide-form"'
        not in client.get(reverse("compliance:sanction_detail", args=[cancellation.pk])).content.decode()
    )
    client.logout()
    login(client, world.korkab)
    page = client.get(reverse("compliance:sanction_detail", args=[cancellation.pk])).content.decode()
    assert 'data-testid="decide-form"' in page
    assert "Sanksi dikenakan" in page
    client.post(reverse("compliance:sanction_decide", args=[cancellation.pk]), {"decision": "konfirmasi", "note": "ok"})
    world.family.refresh_from_db()
    assert world.family.status == "non_eligible"


def test_family_sanctions_tag_lists_sanctions_with_their_reasons_and_records(world: World) -> None:
    for n in range(8, 11):
        attendance(world, m(n), False)
        evaluate(world, m(n))
    request = RequestFactory().get("/")
    request.user = world.pendamping.user
    html = Template("{% load verifikasi %}{% family_sanctions household %}").render(
        Context({"household": world.family, "request": request})
    )
    suspension = Sanction.objects.get(level="penangguhan")
    assert f'data-testid="family-sanction-{suspension.pk}"' in html
    assert "pembayaran ditahan" in html
    assert "Hadir minimal 85%" in html and "70" in html
    assert 'data-testid="family-verification-link"' in html
    request.user = world.other_pendamping.user
    html = Template("{% load verifikasi %}{% family_sanctions household %}").render(
        Context({"household": world.family, "request": request})
    )
    assert 'data-testid="family-verification-link"' not in html


def test_evaluation_page_queues_an_area_evaluation(
    world: World, client, immediate_tasks, django_capture_on_commit_callbacks
) -> None:
    attendance(world, m(10), False)
    login(client, world.operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("compliance:evaluation"), {"region": "35.11", "month": "2026-10"})
    assert response.status_code == 302
    run = EvaluationRun.objects.get()
    assert (run.status, run.raised) == (RunStatus.DONE, 1)
    client.logout()
    login(client, world.pendamping)
    assert client.get(reverse("compliance:evaluation")).status_code == 403
