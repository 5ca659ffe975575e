"""The evaluation pages and their scope: a centre runs the surveys of its programmes and cohorts, the
ministry all; a korkab reads the report limited to the alumni of their kabupaten/kota (with the
recorded figures of their pendamping); a pendamping reaches only their own invitation, through its
link; anything else is a 404 (issue 7: "a centre sees its cohorts; a korkab their district's
participants"). The report comes as a page, a PDF and a workbook."""

from __future__ import annotations

import datetime as dt
import io

import pypdfium2 as pdfium
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from harapan.accounts.models import Staff
from harapan.alumni import services
from harapan.alumni.models import Invitation, Survey, SurveyQuestion, SurveyStatus
from harapan.testing import PASSWORD

from .factories import World, full_answers, open_survey

pytestmark = pytest.mark.django_db


def client_for(staff: Staff | None) -> Client:
    client = Client()
    if staff is not None:
        assert client.login(username=staff.user.get_username(), password=PASSWORD)
    return client


def answered(w: World) -> Survey:
    """A survey answered by Pendamping A (Bondowoso) and Jember's pendamping."""
    survey = open_survey(w)
    for staff, kpm in ((w.pendamping[0], "195"), (w.pendamping_jember, "177")):
        inv = Invitation.objects.select_related("survey").get(survey=survey, staff=staff)
        services.answers_save(invitation=inv, raw=full_answers(survey, jumlah_kpm=kpm))
        services.invitation_submit(invitation=inv)
    return survey


def pdf_text(body: bytes) -> str:
    doc = pdfium.PdfDocument(body)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def test_the_centre_creates_loads_the_default_questions_and_opens_a_survey(world: World) -> None:
    client = client_for(world.centre_staff)
    today = timezone.localdate()
    page = client.get(reverse("alumni:create"))
    assert page.status_code == 200
    r = client.post(
        reverse("alumni:create"),
        {
            "programme": world.programme.pk,
            "title": "Evaluasi Alumni Angkatan 10",
            "cohorts": [world.cohort.pk],
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=30)).isoformat(),
            "period_start": "2026-05-01",
            "period_end": "2026-10-31",
        },
    )
    survey = Survey.objects.get(title="Evaluasi Alumni Angkatan 10")
    assert r.status_code == 302 and r["Location"] == reverse("alumni:detail", args=[survey.pk])
    assert survey.centre_id == world.centre.pk
    client.post(reverse("alumni:questions_default", args=[survey.pk]))
    assert SurveyQuestion.objects.filter(survey=survey).count() == 17
    r = client.post(
        reverse("alumni:question_add", args=[survey.pk]),
        {"text": "Kepuasan terhadap fasilitator", "kind": "scale", "scale_min": 1, "scale_max": 5, "required": "on"},
    )
    assert r.status_code == 302
    r = client.post(reverse("alumni:open", args=[survey.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="delivery"' in body
    # Nobody has an email address: every alumnus is listed with the message to send by hand.
    assert body.count('data-testid="wa-row-') == 4
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN and survey.invitations.count() == 4


def test_a_question_form_error_is_shown(world: World) -> None:
    client = client_for(world.centre_staff)
    today = timezone.localdate()
    survey = services.survey_create(
        programme=world.programme, title="x", opens_on=today, closes_on=today, acting_user=world.centre_staff.user
    )
    r = client.post(
        reverse("alumni:question_add", args=[survey.pk]),
        {"text": "Pilih satu", "kind": "choice", "options": "Hanya satu", "scale_min": 1, "scale_max": 5},
    )
    assert r.status_code == 400 and "dua pilihan" in r.content.decode()


def test_the_centre_reminds_from_the_survey_page(world: World) -> None:
    survey = open_survey(world, day=timezone.localdate() - dt.timedelta(days=5))
    client = client_for(world.centre_staff)
    r = client.post(reverse("alumni:remind", args=[survey.pk]))
    assert r.status_code == 200
    assert Invitation.objects.filter(survey=survey, reminder_count=1).count() == 4
    assert 'data-testid="delivery-by-hand" data-n="4"' in r.content.decode()


@pytest.mark.parametrize(
    ("who", "detail", "report"),
    [
        ("centre_staff", 200, 200),
        ("ministry", 200, 200),
        ("other_centre_staff", 404, 404),
        ("korkab", 404, 200),
        ("korkab_jember", 404, 200),
        ("operator", 404, 404),
    ],
)
def test_who_may_run_and_read_a_survey(world: World, who: str, detail: int, report: int) -> None:
    survey = answered(world)
    client = client_for(getattr(world, who))
    assert client.get(reverse("alumni:detail", args=[survey.pk])).status_code == detail
    assert client.get(reverse("alumni:report", args=[survey.pk])).status_code == report
    assert client.get(reverse("alumni:report_pdf", args=[survey.pk])).status_code == report
    assert client.get(reverse("alumni:report_xlsx", args=[survey.pk])).status_code == report
    if detail == 404:
        assert client.post(reverse("alumni:remind", args=[survey.pk])).status_code == 404
        assert client.post(reverse("alumni:close", args=[survey.pk])).status_code == 404


def test_a_pendamping_reaches_only_their_own_invitation(world: World) -> None:
    survey = answered(world)
    client = client_for(world.pendamping[1])
    for name in ("alumni:detail", "alumni:report", "alumni:report_pdf"):
        assert client.get(reverse(name, args=[survey.pk])).status_code == 404
    index = client.get(reverse("alumni:index")).content.decode()
    mine = Invitation.objects.get(survey=survey, staff=world.pendamping[1])
    theirs = Invitation.objects.get(survey=survey, staff=world.pendamping[0])
    assert reverse("alumni:answer", args=[mine.token]) in index
    assert theirs.token not in index
    assert "survey-row-" not in index


def test_a_korkab_reads_the_report_of_their_kabupaten_alumni_only(world: World) -> None:
    survey = answered(world)
    bondowoso = client_for(world.korkab).get(reverse("alumni:report", args=[survey.pk])).content.decode()
    assert 'data-testid="report-area"' in bondowoso
    assert f'data-testid="respondent-{world.pendamping[0].pk}"' in bondowoso
    assert f'data-testid="respondent-{world.pendamping_jember.pk}"' not in bondowoso
    assert 'data-testid="report-invited">3<' in bondowoso
    jember = client_for(world.korkab_jember).get(reverse("alumni:report", args=[survey.pk])).content.decode()
    assert f'data-testid="respondent-{world.pendamping_jember.pk}"' in jember
    assert f'data-testid="respondent-{world.pendamping[0].pk}"' not in jember
    # The workbook holds the same limit.
    xlsx = client_for(world.korkab).get(reverse("alumni:report_xlsx", args=[survey.pk])).content
    names = [row[0] for row in load_workbook(io.BytesIO(xlsx))["PER_RESPONDEN"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Pendamping A"]
    # A korkab whose kabupaten sent no alumni sees no such survey.
    from harapan.testing import make_staff

    elsewhere = make_staff("korkab", "33.01", username="korkab_clp")
    assert client_for(elsewhere).get(reverse("alumni:report", args=[survey.pk])).status_code == 404


def test_a_draft_is_not_shown_to_a_korkab(world: World) -> None:
    today = timezone.localdate()
    survey = services.survey_create(
        programme=world.programme, title="Draf", opens_on=today, closes_on=today, acting_user=world.centre_staff.user
    )
    assert client_for(world.korkab).get(reverse("alumni:report", args=[survey.pk])).status_code == 404
    assert client_for(world.ministry).get(reverse("alumni:detail", args=[survey.pk])).status_code == 200


def test_the_index_lists_the_surveys_in_scope(world: World) -> None:
    survey = answered(world)
    assert f"survey-row-{survey.pk}" in client_for(world.centre_staff).get(reverse("alumni:index")).content.decode()
    assert (
        f"survey-row-{survey.pk}"
        not in client_for(world.other_centre_staff).get(reverse("alumni:index")).content.decode()
    )
    korkab = client_for(world.korkab).get(reverse("alumni:index")).content.decode()
    assert f"survey-row-{survey.pk}" in korkab and 'data-testid="area-note"' in korkab
    assert Client().get(reverse("alumni:index")).status_code == 302  # to the login page


def test_the_nav_entry_shows_for_centre_ministry_and_korkab(world: World) -> None:
    home = reverse("alumni:index")
    for staff in (world.centre_staff, world.ministry, world.korkab):
        assert 'data-testid="nav-alumni"' in client_for(staff).get(home).content.decode()
    assert 'data-testid="nav-alumni"' not in client_for(world.pendamping[0]).get(home).content.decode()


def test_the_report_page_pdf_and_workbook(world: World) -> None:
    survey = answered(world)
    client = client_for(world.centre_staff)
    page = client.get(reverse("alumni:report", args=[survey.pk])).content.decode()
    assert 'data-testid="report-rate">50%<' in page  # 2 of 4
    assert 'id="chart-caseload"' in page and "chart.umd.min.js" in page and 'id="report-data"' in page
    assert 'data-testid="no-recorded-applying_share"' in page
    assert "718 / 1.142" in page

    r = client.get(reverse("alumni:report_pdf", args=[survey.pk]))
    assert r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for expected in (
        "LAPORAN EVALUASI ALUMNI DIKLAT",
        survey.title,
        "Dari 4 alumni yang diundang, 2 mengisi kuesioner (50%)",
        "KPM per pendamping",
        "Persentase KPM menerapkan materi",
        "tidak tercatat",
        "Pendamping A",
        "195 / 0",
    ):
        assert expected in text, expected

    r = client.get(reverse("alumni:report_xlsx", args=[survey.pk]))
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["RINGKASAN", "RESPONS", "PER_RESPONDEN", "PERTANYAAN"]
    summary = {row[0]: row[1] for row in wb["RINGKASAN"].iter_rows(values_only=True) if row and row[0]}
    assert (summary["Diundang"], summary["Menjawab"], summary["Tingkat respons (%)"]) == (4, 2, 50.0)
    figures = {row[1]: row for row in wb["RINGKASAN"].iter_rows(values_only=True) if row and row[1] == "caseload"}
    assert figures["caseload"][3] == 186.0  # (195 + 177) / 2
    per = list(wb["PER_RESPONDEN"].iter_rows(values_only=True))
    head = per[0]
    a_row = next(row for row in per if row[0] == "Pendamping A")
    assert a_row[head.index("caseload dilaporkan")] == 195.0
    assert a_row[head.index("caseload tercatat")] == 0.0


def test_the_detail_page_shows_the_response_rate_per_kabupaten(world: World) -> None:
    survey = answered(world)
    page = client_for(world.centre_staff).get(reverse("alumni:detail", args=[survey.pk])).content.decode()
    assert 'data-testid="rate-kabupaten-35.11" data-invited="3" data-answered="1"' in page
    assert 'data-testid="rate-kabupaten-35.09" data-invited="1" data-answered="1"' in page
    assert 'data-testid="total-rate">50%<' in page
