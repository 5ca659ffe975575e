"""The payroll pages: open and compute a tahap as a background job, the exclusions filtered by
reason, approval by the second person, scope (a tahap outside the area is 404), and the family
page's tag listing every payment and exclusion (RULES.md: Disbursement and data)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from harapan.accounts.models import Role
from harapan.payroll.models import PaymentLine, RunState, Tahap, TahapStatus
from harapan.registry.models import Household
from harapan.testing import JEMBER, PASSWORD, make_household, make_staff

from .conftest import CUT_OFF, give_accounts


def login(staff: object) -> Client:
    c = Client()
    assert c.login(username=staff.user.get_username(), password=PASSWORD)  # type: ignore[attr-defined]
    return c


@pytest.mark.usefixtures("immediate_tasks")
def test_operator_opens_and_computes_a_tahap_then_dinsos_approves_on_the_page(
    operator, dinsos, django_capture_on_commit_callbacks
) -> None:
    paid = make_household(children=[(dt.date(2022, 1, 1), None)])
    alamiah = make_household()
    give_accounts(paid, alamiah)
    c = login(operator)
    response = c.post("/bayar/", {"region": "3511", "year": 2026, "number": 1, "cut_off": CUT_OFF.isoformat()})
    tahap = Tahap.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bayar/{tahap.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        c.post(f"/bayar/{tahap.pk}/hitung/")
    tahap.refresh_from_db()
    assert (tahap.status, tahap.run_state, tahap.lines_count) == (TahapStatus.DIHITUNG, RunState.DONE, 1)
    page = c.get(f"/bayar/{tahap.pk}/").content.decode()
    assert 'data-testid="count-lines">1<' in page
    assert f'data-testid="exclusion-{alamiah.pkh_id}-graduasi_alamiah"' in page
    assert 'data-testid="approve-submit"' not in page  # the operator does not approve

    filtered = c.get(f"/bayar/{tahap.pk}/?alasan=nik_ganda").content.decode()
    assert f"exclusion-{alamiah.pkh_id}" not in filtered

    d = login(dinsos)
    assert 'data-testid="approve-submit"' in d.get(f"/bayar/{tahap.pk}/").content.decode()
    d.post(f"/bayar/{tahap.pk}/setujui/")
    d.post(f"/bayar/{tahap.pk}/terbitkan/")
    tahap.refresh_from_db()
    assert tahap.status == TahapStatus.DITERBITKAN and tahap.approved_by == dinsos.user
    page = d.get(f"/bayar/{tahap.pk}/").content.decode()
    assert 'data-testid="file-BRI-csv"' in page and 'data-testid="result-upload-link"' in page


def test_the_preparer_sees_why_they_cannot_approve(run_tahap, settings, dinsos) -> None:
    settings.HARAPAN = {"payroll": {"OPEN_ROLES": ["operator", "dinsos_kab"]}}
    tahap = run_tahap(acting_user=dinsos.user)
    c = login(dinsos)
    page = c.get(f"/bayar/{tahap.pk}/").content.decode()
    assert 'data-testid="approval-refusal"' in page and "orang kedua" in page
    c.post(f"/bayar/{tahap.pk}/setujui/")
    tahap.refresh_from_db()
    assert tahap.status == TahapStatus.DIHITUNG


def test_a_tahap_outside_the_area_is_404_and_pendamping_have_no_payroll_pages(run_tahap) -> None:
    tahap = run_tahap()
    assert login(make_staff(Role.OPERATOR, JEMBER)).get(f"/bayar/{tahap.pk}/").status_code == 404
    assert login(make_staff(Role.PENDAMPING, "35.11.01")).get("/bayar/").status_code == 403
    assert login(make_staff(Role.DINSOS_PROV, "35")).get(f"/bayar/{tahap.pk}/").status_code == 200
    assert login(make_staff(Role.MINISTRY, None)).get("/bayar/").status_code == 200


def test_a_province_tahap_shows_a_kabupaten_user_only_their_families(run_tahap, operator) -> None:
    """accounts.scope: the people a tahap lists are cut to the reader's families."""
    bondowoso = make_household(children=[(dt.date(2022, 1, 1), None)])
    jember = make_household(desa="35.09.01.2001")
    give_accounts(bondowoso, jember)
    province = run_tahap(region="35", acting_user=make_staff(Role.DINSOS_PROV, "35").user)
    page = login(operator).get(f"/bayar/{province.pk}/").content.decode()
    assert f"exclusion-{jember.pkh_id}" not in page
    assert (
        login(make_staff(Role.OPERATOR, JEMBER))
        .get(f"/bayar/{province.pk}/")
        .content.decode()
        .count(f"exclusion-{jember.pkh_id}")
    )


def test_run_status_polls_while_running(run_tahap, operator) -> None:
    tahap = run_tahap()
    Tahap.objects.filter(pk=tahap.pk).update(run_state=RunState.RUNNING, run_total=10, run_done=4)
    c = login(operator)
    partial = c.get(f"/bayar/{tahap.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-state="running"' in partial and "(40%)" in partial
    Tahap.objects.filter(pk=tahap.pk).update(run_state=RunState.DONE)
    assert c.get(f"/bayar/{tahap.pk}/", HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_family_payments_tag_lists_lines_and_exclusions_with_reasons(run_tahap, approve_and_issue, operator) -> None:
    """The family page shows every payment and every exclusion with its reason."""
    h = make_household(children=[(dt.date(2022, 1, 1), None)])
    give_accounts(h)
    first = approve_and_issue(run_tahap())
    Household.objects.filter(pk=h.pk).update(no_kk=h.no_kk[:12] + "0000")
    second = run_tahap(number=2, cut_off=dt.date(2026, 6, 1))
    request = RequestFactory().get("/")
    request.user = operator.user
    html = Template("{% load pembayaran %}{% family_payments household %}").render(
        Context({"household": h, "request": request})
    )
    line = PaymentLine.objects.get(household=h)
    assert f'data-testid="payment-tahap-{first.pk}"' in html and f'data-testid="payment-tahap-{second.pk}"' in html
    assert html.index(f"payment-tahap-{second.pk}") < html.index(f"payment-tahap-{first.pk}")
    assert f'data-testid="payment-amount-{first.pk}">{line.amount:,}'.replace(",", ".") in html
    assert 'data-testid="payment-exclusion-kk_tidak_valid"' in html and "No KK tidak valid" in html


def test_open_form_errors_are_shown(operator) -> None:
    c = login(operator)
    response = c.post("/bayar/", {"region": "3511", "year": 2026, "number": 9, "cut_off": CUT_OFF.isoformat()})
    assert response.status_code == 400 and "membagi setahun menjadi 4 tahap" in response.content.decode()
